//! Checksum verdicts: the IPv4 header checksum, and the TCP, UDP and ICMP checksums over the
//! pseudo-header, computed with etherparse. A wrong value on a packet this host sent is
//! explained as checksum offload rather than called corruption.

use std::net::IpAddr;

use etherparse::checksum::Sum16BitWords;
use etherparse::{Ipv4HeaderSlice, TcpHeaderSlice, UdpHeaderSlice};

use crate::capture::Frame;
use crate::decode::{IpInfo, LayerKind, LayerSpan, Link, Packet, Transport};
use crate::wire::{self, Field, icmp, ipv4, tcp, udp};

/// Which checksum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChecksumKind {
    /// The IPv4 header checksum.
    Ipv4Header,
    /// TCP, over the pseudo-header, header and payload.
    Tcp,
    /// UDP, over the pseudo-header, header and payload.
    Udp,
    /// ICMP, over the ICMP message.
    Icmp,
    /// ICMPv6, over the pseudo-header and the message.
    Icmpv6,
}

impl ChecksumKind {
    /// Wireshark name of the checksum field.
    pub fn wireshark(self) -> &'static str {
        match self {
            ChecksumKind::Ipv4Header => "ip.checksum",
            ChecksumKind::Tcp => "tcp.checksum",
            ChecksumKind::Udp => "udp.checksum",
            ChecksumKind::Icmp => "icmp.checksum",
            ChecksumKind::Icmpv6 => "icmpv6.checksum",
        }
    }

    /// Where the field sits in its header.
    pub fn field(self) -> Field {
        match self {
            ChecksumKind::Ipv4Header => ipv4::CHECKSUM,
            ChecksumKind::Tcp => tcp::CHECKSUM,
            ChecksumKind::Udp => udp::CHECKSUM,
            ChecksumKind::Icmp | ChecksumKind::Icmpv6 => icmp::CHECKSUM,
        }
    }

    /// The IP protocol number a pseudo-header names, for TCP and UDP.
    fn pseudo_protocol(self) -> Option<u8> {
        match self {
            ChecksumKind::Tcp => Some(6),
            ChecksumKind::Udp => Some(17),
            ChecksumKind::Ipv4Header | ChecksumKind::Icmp | ChecksumKind::Icmpv6 => None,
        }
    }
}

/// Why a checksum could not be verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unverified {
    /// The header is malformed or cut.
    Malformed,
    /// A fragment: the checksum covers the reassembled datagram.
    Fragment,
    /// The capture kept `kept` of the `covers` bytes the checksum covers.
    Cut {
        /// Bytes captured.
        kept: usize,
        /// Bytes covered.
        covers: usize,
    },
    /// The length fields do not agree.
    Lengths,
}

/// The outcome of checking one checksum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The stored value is right.
    Good,
    /// Wrong, on a packet this host sent: the NIC/kernel fills it in after capture.
    Offloaded {
        /// The value it will have.
        computed: u16,
        /// The field holds the pseudo-header sum the kernel prepared.
        pseudo_sum: bool,
    },
    /// Wrong, and not explained by offload.
    Bad {
        /// The value it should have.
        computed: u16,
    },
    /// UDP over IPv4 with checksum 0: the sender did not use one.
    Absent,
    /// Cannot be checked.
    Unverifiable(Unverified),
}

impl Verdict {
    /// "good", "offloaded", "bad", "absent", "unverifiable": a stable code for JSON.
    pub fn code(self) -> &'static str {
        match self {
            Verdict::Good => "good",
            Verdict::Offloaded { .. } => "offloaded",
            Verdict::Bad { .. } => "bad",
            Verdict::Absent => "absent",
            Verdict::Unverifiable(_) => "unverifiable",
        }
    }
}

/// One checked checksum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChecksumCheck {
    /// Which checksum.
    pub kind: ChecksumKind,
    /// Absolute offset of the checksum field.
    pub offset: usize,
    /// The value in the packet.
    pub stored: u16,
    /// The value it should have, when it could be computed.
    pub computed: Option<u16>,
    /// The outcome.
    pub verdict: Verdict,
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
    let kind = ChecksumKind::Ipv4Header;
    let stored = wire::be16(header, kind.field())?;
    let base = ChecksumCheck {
        kind,
        offset: span.offset + kind.field().start,
        stored,
        computed: None,
        verdict: Verdict::Unverifiable(Unverified::Malformed),
    };
    let Ok(slice) = Ipv4HeaderSlice::from_slice(header) else {
        return Some(base);
    };
    let computed = slice.to_header().calc_header_checksum();
    let verdict = if computed == stored {
        Verdict::Good
    } else {
        Verdict::Bad { computed }
    };
    Some(ChecksumCheck {
        computed: Some(computed),
        verdict,
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
    let (kind, stored, seg_len) = match t {
        Transport::Tcp(tcp) => (ChecksumKind::Tcp, tcp.checksum, ip.payload_len),
        Transport::Udp(udp) => {
            let len = usize::from(udp.length);
            let len = if len >= udp::HEADER_LEN {
                len
            } else {
                ip.payload_len
            };
            (ChecksumKind::Udp, udp.checksum, len)
        }
        Transport::Icmp(i) if i.v6 => (ChecksumKind::Icmpv6, i.checksum, ip.payload_len),
        Transport::Icmp(i) => (ChecksumKind::Icmp, i.checksum, ip.payload_len),
    };
    let mut check = ChecksumCheck {
        kind,
        offset: span.offset + kind.field().start,
        stored,
        computed: None,
        verdict: Verdict::Unverifiable(Unverified::Lengths),
    };
    if kind == ChecksumKind::Udp && stored == 0 && ip.version == 4 {
        check.verdict = Verdict::Absent;
        return Some(check);
    }
    if ip.fragment.is_some() {
        check.verdict = Verdict::Unverifiable(Unverified::Fragment);
        return Some(check);
    }
    let end = span.offset.checked_add(seg_len)?;
    let Some(segment) = data.get(span.offset..end).filter(|_| seg_len >= span.len) else {
        if truncated || end > data.len() {
            let kept = data.len().saturating_sub(span.offset).min(seg_len);
            check.verdict = Verdict::Unverifiable(Unverified::Cut {
                kept,
                covers: seg_len,
            });
        }
        return Some(check);
    };
    let computed = compute(kind, segment, ip)?;
    check.computed = Some(computed);
    check.verdict = if computed == stored {
        Verdict::Good
    } else if local {
        Verdict::Offloaded {
            computed,
            pseudo_sum: pseudo_sum(kind, segment.len(), ip) == Some(stored),
        }
    } else {
        Verdict::Bad { computed }
    };
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
fn compute(kind: ChecksumKind, segment: &[u8], ip: &IpInfo) -> Option<u16> {
    match kind {
        ChecksumKind::Tcp => {
            let hl = tcp::header_len(*segment.get(tcp::DATA_OFFSET.start)?);
            let header = TcpHeaderSlice::from_slice(segment.get(..hl)?).ok()?;
            let payload = segment.get(hl..)?;
            if let Some((s, d)) = addrs4(ip) {
                header.calc_checksum_ipv4_raw(s, d, payload).ok()
            } else {
                let (s, d) = addrs6(ip)?;
                header.calc_checksum_ipv6_raw(s, d, payload).ok()
            }
        }
        ChecksumKind::Udp => {
            let header = UdpHeaderSlice::from_slice(segment.get(..udp::HEADER_LEN)?)
                .ok()?
                .to_header();
            let payload = segment.get(udp::HEADER_LEN..)?;
            if let Some((s, d)) = addrs4(ip) {
                header.calc_checksum_ipv4_raw(s, d, payload).ok()
            } else {
                let (s, d) = addrs6(ip)?;
                header.calc_checksum_ipv6_raw(s, d, payload).ok()
            }
        }
        ChecksumKind::Icmp => Some(
            Sum16BitWords::new()
                .add_slice(segment.get(..icmp::CHECKSUM.start)?)
                .add_slice(segment.get(icmp::CHECKSUM.end..)?)
                .ones_complement()
                .to_be(),
        ),
        ChecksumKind::Icmpv6 => {
            let (s, d) = addrs6(ip)?;
            let len = u32::try_from(segment.len()).ok()?;
            Some(
                Sum16BitWords::new()
                    .add_16bytes(s)
                    .add_16bytes(d)
                    .add_4bytes(len.to_be_bytes())
                    .add_2bytes([0, 58])
                    .add_slice(segment.get(..icmp::CHECKSUM.start)?)
                    .add_slice(segment.get(icmp::CHECKSUM.end..)?)
                    .ones_complement()
                    .to_be(),
            )
        }
        ChecksumKind::Ipv4Header => None,
    }
}

/// The folded pseudo-header sum, which offloading kernels leave in the field.
fn pseudo_sum(kind: ChecksumKind, len: usize, ip: &IpInfo) -> Option<u16> {
    let proto = kind.pseudo_protocol()?;
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
