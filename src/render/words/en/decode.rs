//! English for what decoding found: ICMP messages, link payloads, why decoding stopped.

use etherparse::err::Layer;

use super::English;
use crate::decode::{
    ARPHRD_NETLINK, DecodeStop, HeaderProblem, IcmpInfo, IcmpKind, Link, LinkHeader, PppControl,
    TcpOptionKind, Unreachable, WifiFrame,
};
use crate::render::words::{DecodeWords, ethertype_label};

/// An ICMP message in words.
pub(super) fn icmp(info: &IcmpInfo) -> String {
    let echo = |what: &str| match info.echo {
        Some((id, seq)) => format!("{what} id {id} seq {seq}"),
        None => what.into(),
    };
    let unreachable = |why: &str| format!("destination unreachable: {why}");
    match info.kind {
        IcmpKind::EchoRequest => echo("echo request"),
        IcmpKind::EchoReply => echo("echo reply"),
        IcmpKind::Unreachable(u) => match u {
            Unreachable::Network => unreachable("network unreachable"),
            Unreachable::Host => unreachable("host unreachable"),
            Unreachable::Protocol => unreachable("protocol unreachable"),
            Unreachable::Port => unreachable("port unreachable"),
            Unreachable::FragmentationNeeded(mtu) => {
                unreachable(&format!("fragmentation needed (next-hop MTU {mtu})"))
            }
            Unreachable::Prohibited => unreachable("administratively prohibited"),
            Unreachable::NoRoute => unreachable("no route"),
            Unreachable::Address => unreachable("address unreachable"),
            Unreachable::Other(code) => format!("destination unreachable (code {code})"),
        },
        IcmpKind::PacketTooBig(mtu) => format!("packet too big (MTU {mtu})"),
        IcmpKind::TtlExceeded if info.v6 => "time exceeded: hop limit expired".into(),
        IcmpKind::TtlExceeded => "time exceeded: TTL expired in transit".into(),
        IcmpKind::ReassemblyExceeded => "time exceeded: fragment reassembly time exceeded".into(),
        IcmpKind::SourceQuench => "source quench".into(),
        IcmpKind::Redirect => "redirect".into(),
        IcmpKind::RouterAdvertisement => "router advertisement".into(),
        IcmpKind::RouterSolicitation => "router solicitation".into(),
        IcmpKind::ParameterProblem => "parameter problem".into(),
        IcmpKind::TimestampRequest => "timestamp request".into(),
        IcmpKind::TimestampReply => "timestamp reply".into(),
        IcmpKind::MulticastListener => "multicast listener message".into(),
        IcmpKind::NeighborSolicitation => "neighbor solicitation (who has this address?)".into(),
        IcmpKind::NeighborAdvertisement => "neighbor advertisement (this address is at ...)".into(),
        IcmpKind::Other => format!(
            "{} type {} code {}",
            if info.v6 { "ICMPv6" } else { "ICMP" },
            info.icmp_type,
            info.code
        ),
    }
}

/// What a link header carries, when no network layer was decoded.
pub(super) fn link_payload(link: &Link) -> String {
    match link {
        Link::Ethernet { ethertype, .. } if *ethertype < 0x0600 => {
            format!("802.3 frame (length {ethertype})")
        }
        Link::Ethernet { ethertype, .. } => ethertype_label(*ethertype),
        Link::Sll {
            protocol, hatype, ..
        }
        | Link::Sll2 {
            protocol, hatype, ..
        } => {
            if *hatype == ARPHRD_NETLINK {
                format!("netlink message (protocol {protocol})")
            } else if *protocol < 0x0600 {
                format!("non-IP frame (Linux protocol 0x{protocol:04x})")
            } else {
                ethertype_label(*protocol)
            }
        }
        Link::Loopback { family } => format!("address family {family}"),
        Link::Raw => "not an IP packet".into(),
        Link::Wifi(frame) => format!("802.11 {}", wifi_frame(*frame)),
        Link::Encapsulated { header, protocol } => {
            format!("{} protocol 0x{protocol:04x} not decoded", header.name())
        }
        Link::Unknown(lt) => format!("link type {} not decoded", lt.name()),
    }
}

/// Why decoding stopped.
pub(super) fn decode_stop(stop: &DecodeStop) -> String {
    match *stop {
        DecodeStop::LinkTooShort {
            link,
            have,
            need: Some(need),
        } => format!(
            "frame too short for a {} header: {have} of {need} bytes",
            link.name()
        ),
        DecodeStop::LinkTooShort {
            link: LinkHeader::Ieee80211,
            have,
            need: None,
        } => format!("{have} bytes"),
        DecodeStop::LinkTooShort {
            link,
            have,
            need: None,
        } => {
            let article = if link == LinkHeader::Arcnet {
                "an"
            } else {
                "a"
            };
            format!(
                "frame too short for {article} {} header: {have} bytes",
                link.name()
            )
        }
        DecodeStop::EmptyFrame => "empty frame".into(),
        DecodeStop::NotIp { version } => {
            format!("raw packet with IP version {version}, not 4 or 6")
        }
        DecodeStop::NotIpFamily {
            link: LinkHeader::Loopback,
            family,
        } => format!("loopback address family {family} is not IP"),
        DecodeStop::NotIpFamily { link, family } => {
            format!("{} address family {family} not decoded", link.name())
        }
        DecodeStop::NotEtherType { protocol } => {
            format!("protocol 0x{protocol:04x} is not an EtherType")
        }
        DecodeStop::CookedNotIp { protocol } => {
            format!("non-IP frame (Linux protocol 0x{protocol:04x})")
        }
        DecodeStop::Netlink { protocol } => {
            format!("netlink message (protocol {protocol}), not a network packet")
        }
        DecodeStop::LinkProtocol {
            link: LinkHeader::Ppp,
            protocol,
        } => format!("PPP protocol 0x{protocol:04x} not decoded"),
        DecodeStop::LinkProtocol { link, protocol } => {
            format!("{} protocol {protocol} not decoded", link.name())
        }
        DecodeStop::PppControl(control) => match control {
            PppControl::Lcp => "PPP link control (LCP)",
            PppControl::Ipcp => "PPP IP control (IPCP)",
            PppControl::Ipv6cp => "PPP IPv6 control (IPV6CP)",
            PppControl::Pap => "PPP password authentication (PAP)",
            PppControl::Chap => "PPP challenge authentication (CHAP)",
        }
        .into(),
        DecodeStop::NflogNoPacket => "NFLOG message without a packet".into(),
        DecodeStop::Radiotap { len } => format!("radiotap length {len} does not fit the frame"),
        DecodeStop::WifiNoPacket => "no IP packet inside".into(),
        DecodeStop::WifiNoPayload => "no payload".into(),
        DecodeStop::WifiEncrypted => "protected by WEP/WPA: the contents are not visible".into(),
        DecodeStop::WifiNotSnap => "the data is not LLC/SNAP encapsulated".into(),
        DecodeStop::WifiReserved => "not decoded".into(),
        DecodeStop::UnsupportedLink(lt) => format!(
            "link type {} is not decoded (supported: {})",
            lt.name(),
            crate::capture::LinkType::supported_list()
        ),
        DecodeStop::Short { layer, have, need } => {
            format!("{} cut short: {have} of {need} bytes", layer_name(layer))
        }
        DecodeStop::BadHeader { layer, problem } => {
            let layer = layer_name(layer);
            match problem {
                HeaderProblem::Version(v) => format!("{layer}: version {v} is not valid here"),
                HeaderProblem::HeaderLength(ihl) => format!(
                    "{layer}: header length {ihl} × 4 = {} bytes is less than 20",
                    u32::from(ihl) * 4
                ),
                HeaderProblem::DataOffset(off) => format!(
                    "{layer}: data offset {off} × 4 = {} bytes is less than 20",
                    u32::from(off) * 4
                ),
                HeaderProblem::Other => format!("{layer} is malformed"),
            }
        }
        DecodeStop::Truncated { kept, wire } => {
            format!("frame truncated by the capture: {kept} of {wire} bytes kept")
        }
        DecodeStop::FirstFragment => "first fragment: the transport header is here, the rest \
                                      of the datagram follows in other fragments"
            .into(),
        DecodeStop::Fragment { offset, more } => format!(
            "IP fragment at offset {offset}{}: the transport header is in the first fragment",
            if more {
                ", more follow"
            } else {
                ", the last one"
            }
        ),
        DecodeStop::UdpLength { udp, ip } => {
            format!("UDP length {udp} disagrees with the {ip} bytes IP carries")
        }
    }
}

/// An 802.11 frame's kind in words.
fn wifi_frame(frame: WifiFrame) -> String {
    match frame {
        WifiFrame::Management(subtype) => {
            let name = match subtype {
                0 => "association request",
                1 => "association response",
                2 => "reassociation request",
                3 => "reassociation response",
                4 => "probe request",
                5 => "probe response",
                8 => "beacon",
                9 => "ATIM",
                10 => "disassociation",
                11 => "authentication",
                12 => "deauthentication",
                13 => "action",
                _ => "management frame",
            };
            format!("management frame: {name}")
        }
        WifiFrame::Control(subtype) => {
            let name = match subtype {
                8 => "block ack request",
                9 => "block ack",
                10 => "PS-poll",
                11 => "RTS (request to send)",
                12 => "CTS (clear to send)",
                13 => "ACK",
                14 | 15 => "CF-end",
                _ => "control frame",
            };
            format!("control frame: {name}")
        }
        WifiFrame::Data => "data frame".into(),
        WifiFrame::NullData => "null data frame (power management)".into(),
        WifiFrame::Encrypted => "encrypted data frame".into(),
        WifiFrame::Reserved => "frame of reserved type 3".into(),
        WifiFrame::TooShort => "frame too short for its header".into(),
        WifiFrame::DamagedRadiotap => "frame with a damaged radiotap header".into(),
    }
}

/// A header or packet etherparse names.
fn layer_name(layer: Layer) -> &'static str {
    match layer {
        Layer::LinuxSllHeader => "Linux cooked (SLL) header",
        Layer::Ethernet2Header => "Ethernet header",
        Layer::EtherPayload => "EtherType payload",
        Layer::VlanHeader => "VLAN tag",
        Layer::MacsecHeader => "MACsec header",
        Layer::MacsecPacket => "MACsec packet",
        Layer::IpHeader => "IP header",
        Layer::Ipv4Header => "IPv4 header",
        Layer::Ipv4Packet => "IPv4 packet",
        Layer::IpAuthHeader => "IP authentication header",
        Layer::Ipv6Header => "IPv6 header",
        Layer::Ipv6Packet => "IPv6 packet",
        Layer::Ipv6ExtHeader => "IPv6 extension header",
        Layer::Ipv6HopByHopHeader => "IPv6 hop-by-hop options header",
        Layer::Ipv6DestOptionsHeader => "IPv6 destination options header",
        Layer::Ipv6RouteHeader => "IPv6 routing header",
        Layer::Ipv6FragHeader => "IPv6 fragment header",
        Layer::UdpHeader => "UDP header",
        Layer::UdpPayload => "UDP payload",
        Layer::TcpHeader => "TCP header",
        Layer::Icmpv4 => "ICMP message",
        Layer::Icmpv4Timestamp => "ICMP timestamp",
        Layer::Icmpv4TimestampReply => "ICMP timestamp reply",
        Layer::Icmpv6 => "ICMPv6 message",
        Layer::Igmp => "IGMP message",
        Layer::Arp => "ARP packet",
    }
}

impl DecodeWords for English {
    fn icmp(&self, info: &IcmpInfo) -> String {
        icmp(info)
    }

    fn link_payload(&self, link: &Link) -> String {
        link_payload(link)
    }

    fn decode_stop(&self, stop: &DecodeStop) -> String {
        decode_stop(stop)
    }

    fn tcp_option(&self, out: &mut String, option: &TcpOptionKind, sack: &[(u32, u32)]) {
        let name = |kind: u8| match crate::wire::tcp::option_name(kind) {
            Some(name) => name.to_string(),
            None => format!("kind {kind}"),
        };
        match option {
            TcpOptionKind::EndOfList => out.push_str("EOL"),
            TcpOptionKind::Nop => out.push_str("NOP"),
            TcpOptionKind::Mss(v) => put!(out, "MSS ", *v),
            TcpOptionKind::WindowScale(s) => {
                put!(out, "window scale ", *s, " (x", 1u64 << (*s).min(14), ")")
            }
            TcpOptionKind::SackPermitted => out.push_str("SACK permitted"),
            TcpOptionKind::Sack(_) => {
                out.push_str("SACK ");
                super::super::push_sack_blocks(out, sack);
            }
            TcpOptionKind::Timestamp(v, e) => put!(out, "timestamps ", *v, "/", *e),
            TcpOptionKind::Unknown { kind } => match kind {
                2..=5 | 8 => put!(out, name(*kind), " (malformed)"),
                _ => put!(out, "option ", name(*kind)),
            },
            TcpOptionKind::Cut { kind } => put!(out, name(*kind), " (cut by the snaplen)"),
        }
    }
}
