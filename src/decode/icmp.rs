//! ICMP and ICMPv6: type, code, a one-line description, and the flow an error message quotes.

use std::net::IpAddr;

use etherparse::{Icmpv4Slice, Icmpv6Slice, LaxNetSlice, LaxSlicedPacket, TransportSlice};

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
    /// Plain-words description ("echo request id 7 seq 1", "port unreachable", ...).
    pub description: String,
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
        let description = match t {
            0 => echo_text("echo reply", echo),
            8 => echo_text("echo request", echo),
            3 => match c {
                0 => "destination unreachable: network unreachable".into(),
                1 => "destination unreachable: host unreachable".into(),
                2 => "destination unreachable: protocol unreachable".into(),
                3 => "destination unreachable: port unreachable".into(),
                4 => format!(
                    "destination unreachable: fragmentation needed (next-hop MTU {})",
                    u16::from_be_bytes([b[2], b[3]])
                ),
                9 | 10 | 13 => "destination unreachable: administratively prohibited".into(),
                _ => format!("destination unreachable (code {c})"),
            },
            4 => "source quench".into(),
            5 => "redirect".into(),
            9 => "router advertisement".into(),
            10 => "router solicitation".into(),
            11 if c == 0 => "time exceeded: TTL expired in transit".into(),
            11 => "time exceeded: fragment reassembly time exceeded".into(),
            12 => "parameter problem".into(),
            13 => "timestamp request".into(),
            14 => "timestamp reply".into(),
            _ => format!("ICMP type {t} code {c}"),
        };
        let quoted = matches!(t, 3 | 4 | 5 | 11 | 12)
            .then(|| quote(icmp.payload()))
            .flatten();
        IcmpInfo {
            v6: false,
            icmp_type: t,
            code: c,
            checksum: icmp.checksum(),
            description,
            echo,
            quoted,
        }
    }

    pub(super) fn from_v6(icmp: &Icmpv6Slice<'_>) -> IcmpInfo {
        let (t, c) = (icmp.type_u8(), icmp.code_u8());
        let b = icmp.bytes5to8();
        let echo = matches!(t, 128 | 129).then(|| echo_id_seq(b));
        let description = match t {
            1 => match c {
                0 => "destination unreachable: no route".into(),
                1 => "destination unreachable: administratively prohibited".into(),
                3 => "destination unreachable: address unreachable".into(),
                4 => "destination unreachable: port unreachable".into(),
                _ => format!("destination unreachable (code {c})"),
            },
            2 => format!("packet too big (MTU {})", u32::from_be_bytes(b)),
            3 => "time exceeded: hop limit expired".into(),
            4 => "parameter problem".into(),
            128 => echo_text("echo request", echo),
            129 => echo_text("echo reply", echo),
            130..=132 | 143 => "multicast listener message".into(),
            133 => "router solicitation".into(),
            134 => "router advertisement".into(),
            135 => "neighbor solicitation (who has this address?)".into(),
            136 => "neighbor advertisement (this address is at ...)".into(),
            137 => "redirect".into(),
            _ => format!("ICMPv6 type {t} code {c}"),
        };
        let quoted = matches!(t, 1..=4).then(|| quote(icmp.payload())).flatten();
        IcmpInfo {
            v6: true,
            icmp_type: t,
            code: c,
            checksum: icmp.checksum(),
            description,
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

fn echo_text(what: &str, echo: Option<(u16, u16)>) -> String {
    match echo {
        Some((id, seq)) => format!("{what} id {id} seq {seq}"),
        None => what.into(),
    }
}

/// Decodes the IP header and the first transport bytes an ICMP error quotes.
fn quote(payload: &[u8]) -> Option<QuotedFlow> {
    let sliced = LaxSlicedPacket::from_ip(payload).ok()?;
    let (src, dst, protocol, ip_payload): (IpAddr, IpAddr, u8, &[u8]) = match &sliced.net {
        Some(LaxNetSlice::Ipv4(v4)) => (
            v4.header().source_addr().into(),
            v4.header().destination_addr().into(),
            v4.payload().ip_number.0,
            v4.payload().payload,
        ),
        Some(LaxNetSlice::Ipv6(v6)) => (
            v6.header().source_addr().into(),
            v6.header().destination_addr().into(),
            v6.payload().ip_number.0,
            v6.payload().payload,
        ),
        _ => return None,
    };
    let ports = match &sliced.transport {
        Some(TransportSlice::Udp(u)) => Some((u.source_port(), u.destination_port())),
        Some(TransportSlice::Tcp(t)) => Some((t.source_port(), t.destination_port())),
        // A quote often holds only the first 8 bytes of TCP: its two ports come first.
        _ if matches!(protocol, 6 | 17) && ip_payload.len() >= 4 => Some((
            u16::from_be_bytes([ip_payload[0], ip_payload[1]]),
            u16::from_be_bytes([ip_payload[2], ip_payload[3]]),
        )),
        _ => None,
    };
    Some(QuotedFlow {
        protocol,
        src,
        dst,
        ports,
    })
}
