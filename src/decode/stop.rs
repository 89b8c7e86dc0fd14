//! Why decoding ended before the last byte of a frame, as typed facts; the views put them into
//! words.

use etherparse::err::Layer;

use crate::capture::LinkType;

/// A link-layer or encapsulation header handshake-viz reads itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LinkHeader {
    /// Ethernet II.
    Ethernet,
    /// Linux cooked capture v1.
    Sll,
    /// Linux cooked capture v2.
    Sll2,
    /// BSD or OpenBSD loopback.
    Loopback,
    /// PPP.
    Ppp,
    /// Cisco HDLC.
    CiscoHdlc,
    /// IP over InfiniBand.
    Ipoib,
    /// ARCNET (Linux).
    Arcnet,
    /// Linux netfilter log.
    Nflog,
    /// Radiotap.
    Radiotap,
    /// IEEE 802.11 MAC header.
    Ieee80211,
    /// LLC/SNAP header of an 802.11 data frame.
    LlcSnap,
}

impl LinkHeader {
    /// The protocol's name, the same in every language ("PPP", "Cisco HDLC").
    pub fn name(self) -> &'static str {
        match self {
            LinkHeader::Ethernet => "Ethernet",
            LinkHeader::Sll => "Linux cooked (SLL)",
            LinkHeader::Sll2 => "Linux cooked (SLL2)",
            LinkHeader::Loopback => "loopback",
            LinkHeader::Ppp => "PPP",
            LinkHeader::CiscoHdlc => "Cisco HDLC",
            LinkHeader::Ipoib => "IP over InfiniBand",
            LinkHeader::Arcnet => "ARCNET",
            LinkHeader::Nflog => "NFLOG",
            LinkHeader::Radiotap => "radiotap",
            LinkHeader::Ieee80211 => "802.11",
            LinkHeader::LlcSnap => "LLC/SNAP",
        }
    }
}

/// A PPP control protocol (it carries no packet).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PppControl {
    /// Link control (LCP).
    Lcp,
    /// IP control (IPCP).
    Ipcp,
    /// IPv6 control (IPV6CP).
    Ipv6cp,
    /// Password authentication (PAP).
    Pap,
    /// Challenge authentication (CHAP).
    Chap,
}

/// What is wrong with a header etherparse refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HeaderProblem {
    /// The version field is not the one the header needs.
    Version(u8),
    /// The header length field is smaller than the fixed header.
    HeaderLength(u8),
    /// The data offset field is smaller than 5 words.
    DataOffset(u8),
    /// Another malformation (an extension header, an unsupported hardware type).
    Other,
}

/// Why decoding ended before the end of a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DecodeStop {
    /// The frame is shorter than its link-layer header (`need` unknown for variable headers).
    LinkTooShort {
        /// The header.
        link: LinkHeader,
        /// Bytes in the frame.
        have: usize,
        /// Bytes the header needs, when fixed.
        need: Option<usize>,
    },
    /// The frame is empty.
    EmptyFrame,
    /// A raw-IP frame whose version nibble is not 4 or 6.
    NotIp {
        /// The version nibble.
        version: u8,
    },
    /// A loopback or NFLOG header names an address family that is not IP.
    NotIpFamily {
        /// The header.
        link: LinkHeader,
        /// The AF_ value.
        family: u32,
    },
    /// A link header's protocol field is a length or a value below 0x0600, not an EtherType.
    NotEtherType {
        /// The protocol field.
        protocol: u16,
    },
    /// A Linux cooked frame of a non-IP protocol.
    CookedNotIp {
        /// The protocol field.
        protocol: u16,
    },
    /// A Linux cooked frame carrying a netlink message, not a packet.
    Netlink {
        /// The netlink protocol.
        protocol: u16,
    },
    /// A link header carrying a protocol that is not decoded.
    LinkProtocol {
        /// The header.
        link: LinkHeader,
        /// Its protocol field.
        protocol: u32,
    },
    /// A PPP control message.
    PppControl(PppControl),
    /// An NFLOG message without a packet.
    NflogNoPacket,
    /// A radiotap header whose length does not fit the frame.
    Radiotap {
        /// The length field.
        len: usize,
    },
    /// An 802.11 management or control frame: no packet inside.
    WifiNoPacket,
    /// An 802.11 null data frame: no payload.
    WifiNoPayload,
    /// An 802.11 data frame protected by WEP/WPA.
    WifiEncrypted,
    /// An 802.11 data frame not in LLC/SNAP.
    WifiNotSnap,
    /// An 802.11 frame of the reserved type 3.
    WifiReserved,
    /// A link type handshake-viz does not decode.
    UnsupportedLink(LinkType),
    /// A header needs more bytes than the frame (or its length fields) hold.
    Short {
        /// The header or layer.
        layer: Layer,
        /// Bytes available.
        have: usize,
        /// Bytes needed.
        need: usize,
    },
    /// A header is malformed.
    BadHeader {
        /// The header.
        layer: Layer,
        /// What is wrong.
        problem: HeaderProblem,
    },
    /// The snaplen cut the frame.
    Truncated {
        /// Bytes captured.
        kept: usize,
        /// Bytes on the wire.
        wire: usize,
    },
    /// The first fragment of a fragmented datagram: its transport header is decoded.
    FirstFragment,
    /// A later fragment: the transport header is in the first.
    Fragment {
        /// Offset of the fragment in the datagram, in bytes.
        offset: u32,
        /// More fragments follow.
        more: bool,
    },
    /// A UDP length field that disagrees with what IP carries.
    UdpLength {
        /// The UDP length field.
        udp: u16,
        /// Bytes of IP payload.
        ip: usize,
    },
}

impl DecodeStop {
    /// Typed form of the error etherparse stopped slicing with.
    pub fn from_slice_error(error: &etherparse::err::packet::SliceError) -> DecodeStop {
        use etherparse::err::packet::SliceError as E;
        use etherparse::err::{ip, ipv4, ipv6, tcp};
        let bad = |layer, problem| DecodeStop::BadHeader { layer, problem };
        match error {
            E::Len(len) => DecodeStop::Short {
                layer: len.layer,
                have: len.len,
                need: len.required_len,
            },
            E::LinuxSll(_) => bad(Layer::LinuxSllHeader, HeaderProblem::Other),
            E::Macsec(_) => bad(Layer::MacsecHeader, HeaderProblem::Other),
            E::Ip(ip::HeaderError::UnsupportedIpVersion { version_number }) => {
                bad(Layer::IpHeader, HeaderProblem::Version(*version_number))
            }
            E::Ip(ip::HeaderError::Ipv4HeaderLengthSmallerThanHeader { ihl }) => {
                bad(Layer::Ipv4Header, HeaderProblem::HeaderLength(*ihl))
            }
            E::Ipv4(ipv4::HeaderError::UnexpectedVersion { version_number }) => {
                bad(Layer::Ipv4Header, HeaderProblem::Version(*version_number))
            }
            E::Ipv4(ipv4::HeaderError::HeaderLengthSmallerThanHeader { ihl }) => {
                bad(Layer::Ipv4Header, HeaderProblem::HeaderLength(*ihl))
            }
            E::Ipv6(ipv6::HeaderError::UnexpectedVersion { version_number }) => {
                bad(Layer::Ipv6Header, HeaderProblem::Version(*version_number))
            }
            E::Ipv4Exts(_) => bad(Layer::IpAuthHeader, HeaderProblem::Other),
            E::Ipv6Exts(_) => bad(Layer::Ipv6ExtHeader, HeaderProblem::Other),
            E::Tcp(tcp::HeaderError::DataOffsetTooSmall { data_offset }) => {
                bad(Layer::TcpHeader, HeaderProblem::DataOffset(*data_offset))
            }
        }
    }
}
