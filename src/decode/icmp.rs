//! ICMP and ICMPv6: type, code, what the message is, and the flow an error message quotes.

use std::net::IpAddr;
use std::ops::Range;

use etherparse::{Icmpv4Slice, Icmpv6Slice, LaxNetSlice, LaxSlicedPacket, TransportSlice};

use crate::wire::{self, tcp, udp};

/// The transport flow quoted inside an ICMP error (the packet that caused it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotedFlow {
    /// IP protocol of the quoted packet (6 TCP, 17 UDP, ...).
    pub protocol: u8,
    /// Source address of the quoted packet (normally this host).
    pub src: IpAddr,
    /// Destination address of the quoted packet.
    pub dst: IpAddr,
    /// Source and destination ports, when the quote reaches them.
    pub ports: Option<(u16, u16)>,
}

/// Why a destination was unreachable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unreachable {
    /// Network unreachable (ICMPv4 code 0).
    Network,
    /// Host unreachable (ICMPv4 code 1).
    Host,
    /// Protocol unreachable (ICMPv4 code 2).
    Protocol,
    /// Port unreachable: nothing listens (ICMPv4 code 3, ICMPv6 code 4).
    Port,
    /// Fragmentation needed but DF set, with the next hop's MTU (ICMPv4 code 4).
    FragmentationNeeded(u16),
    /// Administratively prohibited (ICMPv4 codes 9, 10, 13; ICMPv6 code 1).
    Prohibited,
    /// No route to destination (ICMPv6 code 0).
    NoRoute,
    /// Address unreachable (ICMPv6 code 3).
    Address,
    /// Another code.
    Other(u8),
}

/// What an ICMP or ICMPv6 message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IcmpKind {
    /// Echo request (ping).
    EchoRequest,
    /// Echo reply.
    EchoReply,
    /// Destination unreachable.
    Unreachable(Unreachable),
    /// ICMPv6 packet too big, with the MTU.
    PacketTooBig(u32),
    /// Time exceeded in transit (TTL or hop limit reached zero).
    TtlExceeded,
    /// Fragment reassembly time exceeded.
    ReassemblyExceeded,
    /// Source quench.
    SourceQuench,
    /// Redirect.
    Redirect,
    /// Router advertisement.
    RouterAdvertisement,
    /// Router solicitation.
    RouterSolicitation,
    /// Parameter problem.
    ParameterProblem,
    /// Timestamp request.
    TimestampRequest,
    /// Timestamp reply.
    TimestampReply,
    /// ICMPv6 multicast listener query, report or done.
    MulticastListener,
    /// ICMPv6 neighbor solicitation (who has this address?).
    NeighborSolicitation,
    /// ICMPv6 neighbor advertisement (this address is at ...).
    NeighborAdvertisement,
    /// Any other type.
    Other,
}

/// ICMP facts kept for analysis and display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IcmpInfo {
    /// ICMPv6 rather than ICMPv4.
    pub v6: bool,
    /// Type field.
    pub icmp_type: u8,
    /// Code field.
    pub code: u8,
    /// Checksum field.
    pub checksum: u16,
    /// What the message is.
    pub kind: IcmpKind,
    /// Echo identifier and sequence number, for echo request/reply.
    pub echo: Option<(u16, u16)>,
    /// The flow an error message quotes.
    pub quoted: Option<QuotedFlow>,
}

impl IcmpInfo {
    pub(super) fn from_v4(icmp: &Icmpv4Slice<'_>) -> IcmpInfo {
        let (t, c) = (icmp.type_u8(), icmp.code_u8());
        let b = icmp.bytes5to8();
        let echo = matches!(t, 0 | 8).then(|| echo_id_seq(b));
        let kind = match t {
            0 => IcmpKind::EchoReply,
            8 => IcmpKind::EchoRequest,
            3 => IcmpKind::Unreachable(match c {
                0 => Unreachable::Network,
                1 => Unreachable::Host,
                2 => Unreachable::Protocol,
                3 => Unreachable::Port,
                4 => Unreachable::FragmentationNeeded(u16::from_be_bytes([b[2], b[3]])),
                9 | 10 | 13 => Unreachable::Prohibited,
                other => Unreachable::Other(other),
            }),
            4 => IcmpKind::SourceQuench,
            5 => IcmpKind::Redirect,
            9 => IcmpKind::RouterAdvertisement,
            10 => IcmpKind::RouterSolicitation,
            11 if c == 0 => IcmpKind::TtlExceeded,
            11 => IcmpKind::ReassemblyExceeded,
            12 => IcmpKind::ParameterProblem,
            13 => IcmpKind::TimestampRequest,
            14 => IcmpKind::TimestampReply,
            _ => IcmpKind::Other,
        };
        let quoted = matches!(t, 3 | 4 | 5 | 11 | 12)
            .then(|| quote(icmp.payload()))
            .flatten();
        IcmpInfo {
            v6: false,
            icmp_type: t,
            code: c,
            checksum: icmp.checksum(),
            kind,
            echo,
            quoted,
        }
    }

    pub(super) fn from_v6(icmp: &Icmpv6Slice<'_>) -> IcmpInfo {
        let (t, c) = (icmp.type_u8(), icmp.code_u8());
        let b = icmp.bytes5to8();
        let echo = matches!(t, 128 | 129).then(|| echo_id_seq(b));
        let kind = match t {
            1 => IcmpKind::Unreachable(match c {
                0 => Unreachable::NoRoute,
                1 => Unreachable::Prohibited,
                3 => Unreachable::Address,
                4 => Unreachable::Port,
                other => Unreachable::Other(other),
            }),
            2 => IcmpKind::PacketTooBig(u32::from_be_bytes(b)),
            3 => IcmpKind::TtlExceeded,
            4 => IcmpKind::ParameterProblem,
            128 => IcmpKind::EchoRequest,
            129 => IcmpKind::EchoReply,
            130..=132 | 143 => IcmpKind::MulticastListener,
            133 => IcmpKind::RouterSolicitation,
            134 => IcmpKind::RouterAdvertisement,
            135 => IcmpKind::NeighborSolicitation,
            136 => IcmpKind::NeighborAdvertisement,
            137 => IcmpKind::Redirect,
            _ => IcmpKind::Other,
        };
        let quoted = matches!(t, 1..=4).then(|| quote(icmp.payload())).flatten();
        IcmpInfo {
            v6: true,
            icmp_type: t,
            code: c,
            checksum: icmp.checksum(),
            kind,
            echo,
            quoted,
        }
    }

    /// True for error messages (unreachable, time exceeded, ...), which quote a packet.
    pub fn is_error(&self) -> bool {
        if self.v6 {
            self.icmp_type < 128
        } else {
            matches!(self.icmp_type, 3 | 4 | 5 | 11 | 12)
        }
    }
}

/// Identifier and sequence number of an echo request or reply (bytes 5 to 8).
fn echo_id_seq(b: [u8; 4]) -> (u16, u16) {
    (
        u16::from_be_bytes([b[0], b[1]]),
        u16::from_be_bytes([b[2], b[3]]),
    )
}

/// The packet an ICMP error quotes, as byte positions inside the quote: where its IP header,
/// IPv6 extension headers and transport header are, and the flow they name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// The quoted packet is IPv6.
    pub v6: bool,
    /// The IP header.
    pub ip: Range<usize>,
    /// IPv6 extension headers between the IP header and the payload (empty when none).
    pub extensions: Range<usize>,
    /// Where the IP payload starts.
    pub payload: usize,
    /// Length of the transport header when the quote holds all of it (TCP or UDP).
    pub transport_len: Option<usize>,
    /// Protocol, addresses and ports.
    pub flow: QuotedFlow,
}

/// Finds the IP header and the first transport bytes an ICMP error quotes.
pub fn parse_quote(quote: &[u8]) -> Option<Quote> {
    let sliced = LaxSlicedPacket::from_ip(quote).ok()?;
    let offset_of = |s: &[u8]| (s.as_ptr() as usize).saturating_sub(quote.as_ptr() as usize);
    let (v6, header, src, dst, protocol, ip_payload): (bool, &[u8], IpAddr, IpAddr, u8, &[u8]) =
        match &sliced.net {
            Some(LaxNetSlice::Ipv4(v4)) => (
                false,
                v4.header().slice(),
                v4.header().source_addr().into(),
                v4.header().destination_addr().into(),
                v4.payload().ip_number.0,
                v4.payload().payload,
            ),
            Some(LaxNetSlice::Ipv6(v6)) => (
                true,
                v6.header().slice(),
                v6.header().source_addr().into(),
                v6.header().destination_addr().into(),
                v6.payload().ip_number.0,
                v6.payload().payload,
            ),
            _ => return None,
        };
    let ip = offset_of(header)..offset_of(header) + header.len();
    let payload = offset_of(ip_payload).max(ip.end);
    let (transport_len, sliced_ports) = match &sliced.transport {
        Some(TransportSlice::Tcp(t)) => (
            Some(t.header_slice().len()),
            Some((t.source_port(), t.destination_port())),
        ),
        Some(TransportSlice::Udp(u)) => (
            Some(udp::HEADER_LEN),
            Some((u.source_port(), u.destination_port())),
        ),
        _ => (None, None),
    };
    // A quote often holds only the first 8 bytes of TCP: its two ports come first.
    let ports = sliced_ports.or_else(|| {
        let ports =
            wire::be16(ip_payload, tcp::SRC_PORT).zip(wire::be16(ip_payload, tcp::DST_PORT));
        ports.filter(|_| matches!(protocol, 6 | 17))
    });
    Some(Quote {
        v6,
        extensions: ip.end..payload,
        ip,
        payload,
        transport_len,
        flow: QuotedFlow {
            protocol,
            src,
            dst,
            ports,
        },
    })
}

/// Decodes the IP header and the first transport bytes an ICMP error quotes.
fn quote(payload: &[u8]) -> Option<QuotedFlow> {
    parse_quote(payload).map(|q| q.flow)
}
