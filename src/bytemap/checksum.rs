//! Checksum verdicts: the IPv4 header checksum, and the TCP, UDP and ICMP checksums over the
//! pseudo-header, computed with etherparse. A wrong value on a packet this host sent is
//! explained as checksum offload rather than called corruption.

use std::net::IpAddr;

use etherparse::checksum::Sum16BitWords;
use etherparse::{Ipv4HeaderSlice, TcpHeaderSlice, UdpHeaderSlice};

use crate::capture::Frame;
use crate::decode::{IpInfo, LayerKind, LayerSpan, Link, Packet, Transport};

/// The outcome of checking one checksum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The stored value is right.
    Good,
    /// Wrong, on a packet this host sent: the NIC/kernel fills it in after capture.
    Offloaded,
    /// Wrong, and not explained by offload.
    Bad,
    /// UDP over IPv4 with checksum 0: the sender did not use one.
    Absent,
    /// Cannot be checked: the capture cut the packet, or it is a fragment.
    Unverifiable,
}

impl Verdict {
    /// "good", "offloaded", "bad", "absent", "unverifiable" (for JSON).
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Good => "good",
            Verdict::Offloaded => "offloaded",
            Verdict::Bad => "bad",
            Verdict::Absent => "absent",
            Verdict::Unverifiable => "unverifiable",
        }
    }
}

/// One checked checksum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecksumCheck {
    /// What it covers ("IPv4 header", "TCP", ...).
    pub what: &'static str,
    /// Wireshark name of the checksum field.
    pub wireshark: &'static str,
    /// Absolute offset of the checksum field.
    pub offset: usize,
    /// The value in the packet.
    pub stored: u16,
    /// The value it should have, when it could be computed.
    pub computed: Option<u16>,
    /// The outcome.
    pub verdict: Verdict,
    /// One sentence for a reader.
    pub explanation: String,
}

impl ChecksumCheck {
    /// A few words for the field table: "correct", "offloaded: filled in after capture", ...
    pub fn short(&self) -> String {
        match (self.verdict, self.computed) {
            (Verdict::Good, _) => "correct".into(),
            (Verdict::Offloaded, _) => "not filled in yet (checksum offload)".into(),
            (Verdict::Bad, Some(c)) => format!("WRONG, should be 0x{c:04x}"),
            (Verdict::Bad, None) => "WRONG".into(),
            (Verdict::Absent, _) => "none: the sender did not compute one".into(),
            (Verdict::Unverifiable, _) => "not verifiable (see checksums)".into(),
        }
    }
}

/// Checks every checksum of the frame's outer packet that can be located.
pub fn verify(frame: &Frame, packet: &Packet) -> Vec<ChecksumCheck> {
    let data = frame.data.as_slice();
    let mut out = Vec::new();
    let find = |pred: fn(&LayerKind) -> bool| packet.layers.iter().find(|l| pred(&l.kind));
    let Some(ip) = packet.ip() else {
        return out;
    };
    let local = sent_here(packet, ip);
    if let Some(span) = find(|k| *k == LayerKind::Ipv4) {
        out.extend(ipv4(data, span));
    }
    let transport = find(|k| {
        matches!(
            k,
            LayerKind::Tcp | LayerKind::Udp | LayerKind::Icmpv4 | LayerKind::Icmpv6
        )
    });
    if let (Some(span), Some(t)) = (transport, &packet.transport) {
        out.extend(upper(data, span, t, ip, local, frame.is_truncated()));
    }
    out
}

/// True when this host sent the packet, so offload may leave the checksum unfinished.
fn sent_here(packet: &Packet, ip: &IpInfo) -> bool {
    let outgoing = match packet.link {
        Link::Sll { packet_type, .. } => packet_type == 4,
        Link::Sll2 { packet_type, .. } => packet_type == 4,
        _ => false,
    };
    outgoing || ip.src.is_loopback() || ip.dst.is_loopback()
}

fn ipv4(data: &[u8], span: &LayerSpan) -> Option<ChecksumCheck> {
    let end = span.offset.checked_add(span.len)?;
    let header = data.get(span.offset..end)?;
    let stored = u16::from_be_bytes([*header.get(10)?, *header.get(11)?]);
    let base = ChecksumCheck {
        what: "IPv4 header",
        wireshark: "ip.checksum",
        offset: span.offset + 10,
        stored,
        computed: None,
        verdict: Verdict::Unverifiable,
        explanation: String::new(),
    };
    let Ok(slice) = Ipv4HeaderSlice::from_slice(header) else {
        return Some(ChecksumCheck {
            explanation: "not verified: the header is malformed or cut".into(),
            ..base
        });
    };
    let computed = slice.to_header().calc_header_checksum();
    let (verdict, explanation) = if computed == stored {
        (Verdict::Good, "correct".to_string())
    } else {
        (
            Verdict::Bad,
            format!("wrong: should be 0x{computed:04x}; the header was damaged"),
        )
    };
    Some(ChecksumCheck {
        computed: Some(computed),
        verdict,
        explanation,
        ..base
    })
}

fn upper(
    data: &[u8],
    span: &LayerSpan,
    t: &Transport,
    ip: &IpInfo,
    local: bool,
    truncated: bool,
) -> Option<ChecksumCheck> {
    let (what, wireshark, stored, seg_len) = match t {
        Transport::Tcp(tcp) => ("TCP", "tcp.checksum", tcp.checksum, ip.payload_len),
        Transport::Udp(udp) => {
            let len = usize::from(udp.length);
            let len = if len >= 8 { len } else { ip.payload_len };
            ("UDP", "udp.checksum", udp.checksum, len)
        }
        Transport::Icmp(i) if i.v6 => ("ICMPv6", "icmpv6.checksum", i.checksum, ip.payload_len),
        Transport::Icmp(i) => ("ICMP", "icmp.checksum", i.checksum, ip.payload_len),
    };
    let mut check = ChecksumCheck {
        what,
        wireshark,
        offset: span.offset
            + if what == "UDP" {
                6
            } else if what == "TCP" {
                16
            } else {
                2
            },
        stored,
        computed: None,
        verdict: Verdict::Unverifiable,
        explanation: String::new(),
    };
    if what == "UDP" && stored == 0 && ip.version == 4 {
        check.verdict = Verdict::Absent;
        check.explanation = "0: the sender did not compute one (allowed for UDP over IPv4)".into();
        return Some(check);
    }
    if ip.fragment.is_some() {
        check.explanation =
            "not verified: a fragment; the checksum covers the reassembled datagram".into();
        return Some(check);
    }
    let end = span.offset.checked_add(seg_len)?;
    let Some(segment) = data.get(span.offset..end).filter(|_| seg_len >= span.len) else {
        check.explanation = if truncated || end > data.len() {
            format!(
                "not verified: the capture kept {} of the {seg_len} bytes it covers",
                data.len().saturating_sub(span.offset).min(seg_len)
            )
        } else {
            "not verified: the length fields do not agree".into()
        };
        return Some(check);
    };
    let computed = compute(what, segment, ip)?;
    check.computed = Some(computed);
    if computed == stored {
        check.verdict = Verdict::Good;
        check.explanation = if what == "ICMP" {
            "correct (over the ICMP message)".into()
        } else {
            "correct (over the pseudo-header, header and payload)".into()
        };
    } else if local {
        check.verdict = Verdict::Offloaded;
        let partial = if pseudo_sum(what, segment.len(), ip) == Some(stored) {
            " (it holds the pseudo-header sum the kernel prepared)"
        } else {
            ""
        };
        check.explanation = format!(
            "not filled in yet{partial}: the NIC/kernel computes it after capture \
             (checksum offload); should be 0x{computed:04x}"
        );
    } else {
        check.verdict = Verdict::Bad;
        check.explanation = format!("wrong: should be 0x{computed:04x}; the packet was damaged");
    }
    Some(check)
}

fn addrs4(ip: &IpInfo) -> Option<([u8; 4], [u8; 4])> {
    match (ip.src, ip.dst) {
        (IpAddr::V4(s), IpAddr::V4(d)) => Some((s.octets(), d.octets())),
        _ => None,
    }
}

fn addrs6(ip: &IpInfo) -> Option<([u8; 16], [u8; 16])> {
    match (ip.src, ip.dst) {
        (IpAddr::V6(s), IpAddr::V6(d)) => Some((s.octets(), d.octets())),
        _ => None,
    }
}

/// The checksum the segment should carry (computed with its own checksum field ignored).
fn compute(what: &str, segment: &[u8], ip: &IpInfo) -> Option<u16> {
    match what {
        "TCP" => {
            let hl = usize::from(*segment.get(12)? >> 4) * 4;
            let header = TcpHeaderSlice::from_slice(segment.get(..hl)?).ok()?;
            let payload = segment.get(hl..)?;
            if let Some((s, d)) = addrs4(ip) {
                header.calc_checksum_ipv4_raw(s, d, payload).ok()
            } else {
                let (s, d) = addrs6(ip)?;
                header.calc_checksum_ipv6_raw(s, d, payload).ok()
            }
        }
        "UDP" => {
            let header = UdpHeaderSlice::from_slice(segment.get(..8)?)
                .ok()?
                .to_header();
            let payload = segment.get(8..)?;
            if let Some((s, d)) = addrs4(ip) {
                header.calc_checksum_ipv4_raw(s, d, payload).ok()
            } else {
                let (s, d) = addrs6(ip)?;
                header.calc_checksum_ipv6_raw(s, d, payload).ok()
            }
        }
        "ICMP" => Some(
            Sum16BitWords::new()
                .add_slice(segment.get(..2)?)
                .add_slice(segment.get(4..)?)
                .ones_complement()
                .to_be(),
        ),
        "ICMPv6" => {
            let (s, d) = addrs6(ip)?;
            let len = u32::try_from(segment.len()).ok()?;
            Some(
                Sum16BitWords::new()
                    .add_16bytes(s)
                    .add_16bytes(d)
                    .add_4bytes(len.to_be_bytes())
                    .add_2bytes([0, 58])
                    .add_slice(segment.get(..2)?)
                    .add_slice(segment.get(4..)?)
                    .ones_complement()
                    .to_be(),
            )
        }
        _ => None,
    }
}

/// The folded pseudo-header sum, which offloading kernels leave in the field.
fn pseudo_sum(what: &str, len: usize, ip: &IpInfo) -> Option<u16> {
    let proto = match what {
        "TCP" => 6u8,
        "UDP" => 17,
        _ => return None,
    };
    let mut sum = Sum16BitWords::new();
    if let Some((s, d)) = addrs4(ip) {
        sum = sum
            .add_4bytes(s)
            .add_4bytes(d)
            .add_2bytes([0, proto])
            .add_2bytes(u16::try_from(len).ok()?.to_be_bytes());
    } else {
        let (s, d) = addrs6(ip)?;
        sum = sum
            .add_16bytes(s)
            .add_16bytes(d)
            .add_4bytes(u32::try_from(len).ok()?.to_be_bytes())
            .add_2bytes([0, proto]);
    }
    Some(!sum.ones_complement().to_be())
}
