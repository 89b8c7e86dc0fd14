//! A segment script with ICMP errors quoting its packets and IP fragments of its segments
//! mixed in, and a run that feeds the frames to the tracker (and the timeline and JSON
//! writers) and checks what ties them:
//!
//! 1. every TCP or UDP packet gets a stream;
//! 2. an ICMP error quoting a flow seen before is related to the stream of that flow's latest
//!    packet; one quoting a flow never seen gets a stream number, which the flow's first
//!    packet then has.
//!
//! Shared by `tests/properties.rs` and the `tracker_mixed` fuzz target (which include this
//! file and `tracker_model.rs` by path), so a fuzz finding replays in `cargo test` unchanged.

#![allow(dead_code)] // each including crate uses a different subset

use std::collections::HashMap;
use std::net::IpAddr;

use arbitrary::Arbitrary;
use etherparse::{
    EtherType, Ethernet2Header, Icmpv4Type, Icmpv6Type, IpFragOffset, IpNumber, Ipv4Header,
    Ipv6FragmentHeader, Ipv6Header, PacketBuilder, icmpv4, icmpv6,
};

use handshake_viz::capture::{Frame, LinkType, Timestamp};
use handshake_viz::decode::{Transport, decode_bytes};
use handshake_viz::flow::{Proto, Tracker};

use crate::tracker_model::{Script, Writers};

/// Most extra frames in one script.
pub const MAX_EXTRAS: usize = 32;

/// A segment script and what is mixed into it.
#[derive(Debug, Clone, Arbitrary)]
pub struct Mixed {
    pub script: Script,
    pub extras: Vec<Extra>,
}

/// Something mixed in after segment `after` (modulo the segments).
#[derive(Debug, Clone, Arbitrary)]
pub struct Extra {
    pub after: u8,
    pub kind: ExtraKind,
}

#[derive(Debug, Clone, Arbitrary)]
pub enum ExtraKind {
    /// An ICMP error (unreachable, or time exceeded) quoting segment `segment`'s (modulo the
    /// segments: one sent before, or one still to come) IP header and 8 + `more % 32` bytes
    /// of what follows it.
    Quote {
        segment: u8,
        more: u8,
        time_exceeded: bool,
    },
    /// Segment `after` sent again as IP fragments of 8 × (1 + `size % 4`) bytes (IPv4, or
    /// IPv6 behind a fragment header), in order or last first.
    Fragments { size: u8, last_first: bool },
}

const ROUTER_V4: [u8; 4] = [10, 0, 0, 254];
const ROUTER_V6: [u8; 16] = [0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xfe];
const MACS: ([u8; 6], [u8; 6]) = ([2, 0, 0, 0, 0, 1], [2, 0, 0, 0, 0, 2]);

impl Mixed {
    /// The frames, numbered from 1; what is mixed in after a segment has its time.
    pub fn frames(&self) -> Vec<Frame> {
        let segments = self.script.segments();
        let extras = &self.extras[..self.extras.len().min(MAX_EXTRAS)];
        let mut ts = Timestamp::new(1_700_000_000, 0);
        let mut out = Vec::new();
        for (i, s) in segments.iter().enumerate() {
            ts = Timestamp::new(ts.secs, u64::from(ts.nanos) + u64::from(s.gap_us) * 1000);
            let frame = self.script.frame(i, ts);
            out.push((ts, frame.data.clone()));
            for extra in extras
                .iter()
                .filter(|e| usize::from(e.after) % segments.len() == i)
            {
                match extra.kind {
                    ExtraKind::Quote {
                        segment,
                        more,
                        time_exceeded,
                    } => {
                        // Any segment: one sent already, this one, or one still to come.
                        let quoted = self.script.frame(usize::from(segment) % segments.len(), ts);
                        let quoted = &quoted.data;
                        let error = icmp_error(quoted, usize::from(more % 32), time_exceeded);
                        out.push((ts, error));
                    }
                    ExtraKind::Fragments { size, last_first } => {
                        let mut pieces = fragments(&frame.data, 8 * (1 + usize::from(size % 4)));
                        if last_first {
                            pieces.reverse();
                        }
                        out.extend(pieces.into_iter().map(|piece| (ts, piece)));
                    }
                }
            }
        }
        out.into_iter()
            .enumerate()
            .map(|(i, (ts, data))| Frame {
                index: i as u64 + 1,
                ts,
                linktype: LinkType::ETHERNET,
                orig_len: data.len() as u32,
                data,
            })
            .collect()
    }
}

/// An ICMP error from the router to the sender of `frame` (an Ethernet frame of the script),
/// quoting its IP header and `8 + more` bytes after it.
fn icmp_error(frame: &[u8], more: usize, time_exceeded: bool) -> Vec<u8> {
    let ip = &frame[14..];
    let v6 = ip[0] >> 4 == 6;
    let header = if v6 { 40 } else { 20 };
    let quote = &ip[..ip.len().min(header + 8 + more)];
    let eth = PacketBuilder::ethernet2(MACS.1, MACS.0);
    let mut data = Vec::new();
    if v6 {
        let sender: [u8; 16] = ip[8..24].try_into().expect("IPv6 source");
        let kind = if time_exceeded {
            Icmpv6Type::TimeExceeded(icmpv6::TimeExceededCode::HopLimitExceeded)
        } else {
            Icmpv6Type::DestinationUnreachable(icmpv6::DestUnreachableCode::Port)
        };
        eth.ipv6(ROUTER_V6, sender, 64)
            .icmpv6(kind)
            .write(&mut data, quote)
            .expect("ICMPv6 frame");
    } else {
        let sender: [u8; 4] = ip[12..16].try_into().expect("IPv4 source");
        let kind = if time_exceeded {
            Icmpv4Type::TimeExceeded(icmpv4::TimeExceededCode::TtlExceededInTransit)
        } else {
            Icmpv4Type::DestinationUnreachable(icmpv4::DestUnreachableHeader::Port)
        };
        eth.ipv4(ROUTER_V4, sender, 64)
            .icmpv4(kind)
            .write(&mut data, quote)
            .expect("ICMPv4 frame");
    }
    data
}

/// `frame` (an Ethernet frame of the script) as IP fragments of `size` bytes of payload (the
/// last one the rest): IPv4 fragments, or IPv6 ones behind a fragment header.
fn fragments(frame: &[u8], size: usize) -> Vec<Vec<u8>> {
    let ip = &frame[14..];
    let v6 = ip[0] >> 4 == 6;
    let (header_len, protocol) = if v6 { (40, ip[6]) } else { (20, ip[9]) };
    let chunks: Vec<&[u8]> = ip[header_len..].chunks(size).collect();
    chunks
        .iter()
        .enumerate()
        .map(|(n, chunk)| {
            let offset = IpFragOffset::try_new((n * size / 8) as u16).expect("fragment offset");
            let more = n + 1 < chunks.len();
            let mut data = Vec::new();
            Ethernet2Header {
                source: MACS.0,
                destination: MACS.1,
                ether_type: if v6 { EtherType::IPV6 } else { EtherType::IPV4 },
            }
            .write(&mut data)
            .expect("Ethernet header");
            if v6 {
                let header = Ipv6Header {
                    traffic_class: 0,
                    flow_label: Default::default(),
                    payload_length: (Ipv6FragmentHeader::LEN + chunk.len()) as u16,
                    next_header: IpNumber::IPV6_FRAGMENTATION_HEADER,
                    hop_limit: 64,
                    source: ip[8..24].try_into().expect("IPv6 source"),
                    destination: ip[24..40].try_into().expect("IPv6 destination"),
                };
                header.write(&mut data).expect("IPv6 header");
                Ipv6FragmentHeader::new(IpNumber(protocol), offset, more, 0x4242)
                    .write(&mut data)
                    .expect("IPv6 fragment header");
            } else {
                let (src, dst) = (
                    ip[12..16].try_into().expect("IPv4 source"),
                    ip[16..20].try_into().expect("IPv4 destination"),
                );
                let mut header =
                    Ipv4Header::new(chunk.len() as u16, 64, IpNumber(protocol), src, dst)
                        .expect("fragment length");
                header.identification = 0x4242;
                header.more_fragments = more;
                header.fragment_offset = offset;
                header.header_checksum = header.calc_header_checksum();
                header.write(&mut data).expect("IPv4 header");
            }
            data.extend_from_slice(chunk);
            data
        })
        .collect()
}

/// A flow's protocol and endpoints, the lower endpoint first.
type FlowId = (Proto, (IpAddr, u16), (IpAddr, u16));

fn flow_id(proto: Proto, a: (IpAddr, u16), b: (IpAddr, u16)) -> FlowId {
    (proto, a.min(b), a.max(b))
}

/// Feeds the frames of `mixed` to a tracker, writes each as a timeline line and a JSON
/// record, and checks the ties stated at the top. Returns the first violation.
pub fn run(mixed: &Mixed) -> Result<(), String> {
    let mut tracker = Tracker::new();
    let mut writers = Writers::new();
    // The stream of each flow's latest packet, and whether only a quote named it so far.
    let mut latest: HashMap<FlowId, (u32, bool)> = HashMap::new();
    for frame in mixed.frames() {
        let n = frame.index;
        let packet = decode_bytes(frame.linktype, &frame.data, frame.orig_len as usize);
        let obs = tracker.ingest(&frame, &packet);
        writers.write(&frame, &packet, &obs)?;
        let ports = match &packet.transport {
            Some(Transport::Tcp(t)) => Some((Proto::Tcp, t.sport, t.dport)),
            Some(Transport::Udp(u)) => Some((Proto::Udp, u.sport, u.dport)),
            _ => None,
        };
        if let (Some((proto, sport, dport)), Some(ip)) = (ports, packet.ip()) {
            let stream = obs
                .stream
                .ok_or(format!("frame {n}: a {proto:?} packet without a stream"))?;
            let id = flow_id(proto, (ip.src, sport), (ip.dst, dport));
            if let Some(&(quoted, true)) = latest.get(&id)
                && quoted != stream
            {
                return Err(format!(
                    "frame {n}: first packet of a flow an ICMP error named stream {quoted} \
                     got stream {stream}"
                ));
            }
            latest.insert(id, (stream, false));
        }
        let quoted = match &packet.transport {
            Some(Transport::Icmp(icmp)) => icmp.quoted.as_ref(),
            _ => None,
        };
        let Some(q) = quoted else { continue };
        let proto = match q.protocol {
            6 => Proto::Tcp,
            17 => Proto::Udp,
            _ => continue,
        };
        let Some((sport, dport)) = q.ports else {
            continue;
        };
        let id = flow_id(proto, (q.src, sport), (q.dst, dport));
        let Some((related_proto, related)) = obs.related else {
            return Err(format!(
                "frame {n}: an ICMP error quoting {id:?} is not related"
            ));
        };
        if related_proto != proto {
            return Err(format!(
                "frame {n}: quoting {id:?}, related to {related_proto:?}"
            ));
        }
        match latest.get(&id) {
            Some(&(stream, _)) if stream != related => {
                return Err(format!(
                    "frame {n}: an ICMP error quoting {id:?} is related to stream {related}, \
                     its latest packet's is {stream}"
                ));
            }
            Some(_) => {}
            None => {
                latest.insert(id, (related, true));
            }
        }
    }
    tracker.finish();
    let _ = tracker.conversations();
    Ok(())
}
