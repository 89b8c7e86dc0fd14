//! Typed values and meanings of fields: what the bytes say, as facts the views put into
//! words.

use crate::decode::{IcmpKind, Unreachable};

use super::CutBy;
use super::checksum::Verdict;

/// How a field's value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    /// A number in decimal.
    Dec(u64),
    /// A number in hexadecimal, `digits` wide.
    Hex {
        /// The number.
        value: u64,
        /// Hex digits to show.
        digits: u8,
    },
    /// The field's bytes as a MAC address.
    Mac,
    /// The field's bytes as an IPv4 address.
    Ipv4,
    /// The field's bytes as an IPv6 address.
    Ipv6,
    /// The field's bytes as hex (the first 16, then an ellipsis).
    Bytes,
    /// The field's bytes as escaped text (the first 32, then an ellipsis).
    Text,
    /// The capture (or an ICMP quote) cut the field.
    Cut(CutBy),
}

/// What a MAC address is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MacKind {
    /// `00:00:00:00:00:00`: no real address (the loopback interface has none).
    Zero,
    /// `ff:ff:ff:ff:ff:ff`.
    Broadcast,
    /// An IPv4 multicast group (`01:00:5e`, RFC 1112).
    Ipv4Multicast,
    /// An IPv6 multicast group (`33:33`, RFC 2464).
    Ipv6Multicast,
    /// Another group address; `local` is the LG bit.
    Multicast {
        /// The LG bit is set.
        local: bool,
    },
    /// A unicast address set by software (the LG bit is set).
    Local,
    /// A unicast address from its maker: the first three bytes are the maker's OUI.
    Global {
        /// The organizationally unique identifier.
        oui: [u8; 3],
    },
}

impl MacKind {
    /// What `bytes` (a 6-byte address) are.
    pub fn of(bytes: &[u8]) -> MacKind {
        let first = bytes.first().copied().unwrap_or(0);
        let group = first & 0x01 != 0;
        let local = first & 0x02 != 0;
        if bytes.iter().all(|b| *b == 0) {
            MacKind::Zero
        } else if bytes.iter().all(|b| *b == 0xff) {
            MacKind::Broadcast
        } else if bytes.starts_with(&[0x01, 0x00, 0x5e]) {
            MacKind::Ipv4Multicast
        } else if bytes.starts_with(&[0x33, 0x33]) {
            MacKind::Ipv6Multicast
        } else if group {
            MacKind::Multicast { local }
        } else if local {
            MacKind::Local
        } else {
            let oui = [
                first,
                bytes.get(1).copied().unwrap_or(0),
                bytes.get(2).copied().unwrap_or(0),
            ];
            MacKind::Global { oui }
        }
    }
}

/// What an IP address is, when it is special.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddrKind {
    /// Loopback: this host.
    Loopback,
    /// Private (RFC 1918).
    Private,
    /// Limited broadcast.
    Broadcast,
    /// Multicast.
    Multicast,
    /// Link-local.
    LinkLocal,
    /// Unique local (IPv6, RFC 4193).
    UniqueLocal,
    /// Unspecified (all zeros).
    Unspecified,
}

/// What a port number is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortKind {
    /// A well-known service ("HTTP", "DNS").
    Service(&'static str),
    /// In the ephemeral range: a client's port.
    Ephemeral,
}

/// What a TCP window field says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowMeaning {
    /// In a SYN the window is never scaled.
    Syn,
    /// Scaled by the shift the handshake announced.
    Scaled {
        /// The raw field.
        raw: u64,
        /// The shift (at most 14).
        shift: u8,
    },
    /// The handshake was not seen: the scale is unknown.
    UnknownScale,
}

/// What an ICMP code says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IcmpCode {
    /// Why a destination was unreachable.
    Unreachable(Unreachable),
    /// The TTL (IPv4) or hop limit (IPv6) reached zero in transit.
    TtlExceeded {
        /// ICMPv6.
        v6: bool,
    },
    /// Fragment reassembly time exceeded.
    Reassembly,
    /// Code 0 of a type without sub-types.
    NoSubtype,
}

/// What is wrong with a TCP option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionProblem {
    /// A known kind with a length that does not fit it.
    BadLength(u8),
}

/// What a field's value means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Meaning {
    /// A MAC address.
    Mac(MacKind),
    /// The local/global bit of an address of this kind.
    LgBit(MacKind),
    /// The individual/group bit of an address of this kind.
    IgBit(MacKind),
    /// An EtherType (or an 802.3 length when below 0x0600).
    EtherType(u16),
    /// An 802.3 length: bytes of LLC data follow.
    Llc8023Length,
    /// Linux cooked packet type.
    PacketType(u16),
    /// An ARPHRD_ interface type.
    Arphrd(u16),
    /// Length of the link-layer address.
    LinkAddrLen(u64),
    /// An interface index of the capturing host.
    InterfaceIndex,
    /// 802.1Q priority code point.
    Priority(u8),
    /// 802.1Q VLAN id.
    VlanId(u16),
    /// A loopback header's address family.
    AddressFamily {
        /// The AF_ value.
        family: u32,
        /// Written in network byte order (OpenBSD LOOP) rather than the host's.
        network_order: bool,
    },
    /// ARP hardware type.
    ArpHardware(u16),
    /// ARP hardware address length.
    HardwareSize(u8),
    /// ARP protocol address length.
    ProtocolSize(u8),
    /// ARP operation.
    ArpOperation(u16),
    /// An all-zero target MAC in ARP: what the request asks.
    ArpTargetUnknown,
    /// A one-bit flag.
    Flag(bool),
    /// IP version nibble.
    IpVersion(u8),
    /// A length in 4-byte words (IPv4 IHL, TCP data offset).
    Words4(u64),
    /// Differentiated services code point.
    Dscp(u8),
    /// Explicit congestion notification.
    Ecn(u8),
    /// The DS field as a whole.
    DsField {
        /// DSCP.
        dscp: u8,
        /// ECN.
        ecn: u8,
    },
    /// IPv4 total length: header and payload.
    TotalLength,
    /// The value in decimal (a hex field).
    Decimal(u64),
    /// IPv4 flags (reserved, DF, MF as bits 2, 1, 0).
    IpFlags(u8),
    /// A fragment offset in 8-byte units.
    FragmentOffset(u64),
    /// TTL or hop limit: hops left.
    HopsLeft,
    /// An IP protocol number.
    IpProtocol(u8),
    /// A special IP address.
    Addr(AddrKind),
    /// IPv6 flow label; `false` when zero.
    FlowLabel(bool),
    /// IPv6 payload length: bytes after the fixed header.
    Ipv6PayloadLength,
    /// An IPv6 extension header length in 8-byte units after the first 8.
    ExtLength(u64),
    /// IPv4 options, by kind, in order.
    IpOptions(Vec<u8>),
    /// A port.
    Port(PortKind),
    /// A TCP sequence number; `isn` in a SYN.
    Seq {
        /// The segment is a SYN: this is the initial sequence number.
        isn: bool,
    },
    /// A TCP acknowledgment number; `used` when the ACK flag is set.
    Ack {
        /// The ACK flag is set.
        used: bool,
    },
    /// TCP flags set (the 12 bits).
    TcpFlags(u16),
    /// The TCP window.
    Window(WindowMeaning),
    /// The urgent pointer with URG clear.
    UrgentUnused,
    /// A TCP option kind.
    OptionKind(u8),
    /// A TCP option length: kind and length bytes included.
    OptionLength,
    /// A TCP option that is not well formed.
    OptionProblem(OptionProblem),
    /// The MSS value.
    Mss,
    /// A window scale shift count.
    WindowShift(u8),
    /// The timestamp value: the sender's clock.
    TsVal,
    /// The timestamp echo reply.
    TsEcr,
    /// SACK blocks: how many.
    SackBlocks(usize),
    /// A SACK edge: a raw sequence number.
    SackEdge,
    /// Zero bytes after the end of the option list.
    OptionPadding,
    /// UDP length: header and payload.
    UdpLength(u64),
    /// An ICMP type.
    IcmpType(IcmpKind),
    /// An ICMP code.
    IcmpCode(IcmpCode),
    /// An MTU in bytes.
    Mtu,
    /// Echo identifier or sequence number.
    EchoMatch,
    /// Unused or reserved bytes.
    Unused,
    /// Bytes of application data.
    AppData(usize),
    /// Ethernet padding up to the 60-byte minimum.
    EthPadding,
    /// A frame check sequence; `ok` when it matches the frame's CRC-32.
    Fcs {
        /// The CRC matches.
        ok: bool,
    },
    /// A checksum's verdict.
    Checksum(Verdict),
}
