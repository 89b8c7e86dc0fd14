//! Every ICMP message and every reason decoding stops has words in every language.

use super::tests::has_cjk;
use super::*;
use crate::capture::LinkType;
use crate::decode::{
    DecodeStop, HeaderProblem, IcmpKind, LinkHeader, PppControl, Unreachable, WifiFrame,
};

#[test]
fn every_icmp_kind_and_decode_stop_has_words() {
    let icmp = [
        IcmpKind::EchoRequest,
        IcmpKind::EchoReply,
        IcmpKind::Unreachable(Unreachable::Network),
        IcmpKind::Unreachable(Unreachable::Host),
        IcmpKind::Unreachable(Unreachable::Protocol),
        IcmpKind::Unreachable(Unreachable::Port),
        IcmpKind::Unreachable(Unreachable::FragmentationNeeded(1400)),
        IcmpKind::Unreachable(Unreachable::Prohibited),
        IcmpKind::Unreachable(Unreachable::NoRoute),
        IcmpKind::Unreachable(Unreachable::Address),
        IcmpKind::Unreachable(Unreachable::Other(7)),
        IcmpKind::PacketTooBig(1280),
        IcmpKind::TtlExceeded,
        IcmpKind::ReassemblyExceeded,
        IcmpKind::SourceQuench,
        IcmpKind::Redirect,
        IcmpKind::RouterAdvertisement,
        IcmpKind::RouterSolicitation,
        IcmpKind::ParameterProblem,
        IcmpKind::TimestampRequest,
        IcmpKind::TimestampReply,
        IcmpKind::MulticastListener,
        IcmpKind::NeighborSolicitation,
        IcmpKind::NeighborAdvertisement,
    ];
    let stops = [
        DecodeStop::LinkTooShort {
            link: LinkHeader::Ethernet,
            have: 3,
            need: Some(14),
        },
        DecodeStop::LinkTooShort {
            link: LinkHeader::Ppp,
            have: 1,
            need: None,
        },
        DecodeStop::EmptyFrame,
        DecodeStop::NotIp { version: 5 },
        DecodeStop::NotIpFamily {
            link: LinkHeader::Loopback,
            family: 7,
        },
        DecodeStop::NotEtherType { protocol: 5 },
        DecodeStop::CookedNotIp { protocol: 4 },
        DecodeStop::Netlink { protocol: 0 },
        DecodeStop::LinkProtocol {
            link: LinkHeader::Arcnet,
            protocol: 9,
        },
        DecodeStop::PppControl(PppControl::Lcp),
        DecodeStop::PppControl(PppControl::Ipcp),
        DecodeStop::PppControl(PppControl::Ipv6cp),
        DecodeStop::PppControl(PppControl::Pap),
        DecodeStop::PppControl(PppControl::Chap),
        DecodeStop::NflogNoPacket,
        DecodeStop::Radiotap { len: 3 },
        DecodeStop::WifiNoPacket,
        DecodeStop::WifiNoPayload,
        DecodeStop::WifiEncrypted,
        DecodeStop::WifiNotSnap,
        DecodeStop::WifiReserved,
        DecodeStop::UnsupportedLink(LinkType(147)),
        DecodeStop::Short {
            layer: etherparse::err::Layer::TcpHeader,
            have: 24,
            need: 32,
        },
        DecodeStop::BadHeader {
            layer: etherparse::err::Layer::Ipv4Header,
            problem: HeaderProblem::HeaderLength(3),
        },
        DecodeStop::Truncated { kept: 60, wire: 74 },
        DecodeStop::FirstFragment,
        DecodeStop::Fragment {
            offset: 1480,
            more: true,
        },
        DecodeStop::UdpLength { udp: 9, ip: 20 },
    ];
    for lang in Lang::ALL {
        let w = lang.words();
        let zh = lang == Lang::Zh;
        for kind in icmp {
            for v6 in [false, true] {
                let info = crate::decode::IcmpInfo {
                    v6,
                    icmp_type: 0,
                    code: 0,
                    checksum: 0,
                    kind,
                    echo: Some((1, 2)),
                    quoted: None,
                };
                assert_eq!(zh, has_cjk(&w.icmp(&info)), "{lang:?} {kind:?}");
            }
        }
        for stop in &stops {
            assert_eq!(zh, has_cjk(&w.decode_stop(stop)), "{lang:?} {stop:?}");
        }
        for frame in [
            WifiFrame::Management(8),
            WifiFrame::Control(13),
            WifiFrame::Data,
            WifiFrame::NullData,
            WifiFrame::Encrypted,
            WifiFrame::Reserved,
            WifiFrame::TooShort,
            WifiFrame::DamagedRadiotap,
        ] {
            let text = w.link_payload(&Link::Wifi(frame));
            assert_eq!(zh, has_cjk(&text), "{lang:?} {frame:?}");
        }
        let stats = CaptureStats {
            received: 20,
            dropped: 1,
            if_dropped: 0,
            delivered: 10,
            counts_twice: true,
        };
        let text = w.capture_stats(&stats);
        assert!(text.contains("20") && text.contains("10"), "{text}");
        assert_eq!(zh, has_cjk(&text));
    }
}
