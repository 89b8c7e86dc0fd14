//! What the namespace demos showed: ARP, the subnet mask, MAC addresses and full segments
//! between two hosts; lost segments resent and lost datagrams gone on the lossy path.

use std::net::IpAddr;

use super::{Expected, LostWay, Point, Seen, SeenFrame};
use crate::demo::relay::{Direction as RelayDir, DropKind};
use crate::demo::{DemoOutcome, Hosts};
use crate::flow::{Direction, PacketProto};

fn arp(seen: &Seen, hosts: &Hosts) -> Point {
    let syn = seen
        .frames
        .iter()
        .find(|f| f.tcp.as_ref().is_some_and(|t| t.syn() && !t.is_ack()))
        .map(|f| f.frame);
    let target = IpAddr::V4(hosts.b);
    let request = seen
        .frames
        .iter()
        .find(|f| matches!(f.arp, Some((1, _, Some(t))) if t == target));
    let reply = request.and_then(|r| {
        seen.frames
            .iter()
            .find(|f| f.frame > r.frame && matches!(f.arp, Some((2, Some(s), _)) if s == target))
    });
    match (request, reply) {
        (Some(request), Some(reply)) => Point::Arp {
            request: request.frame,
            reply: reply.frame,
            target: hosts.b,
            mac: reply.macs.map_or([0; 6], |(src, _)| src),
            syn,
        },
        _ => Point::Missing {
            what: Expected::Arp,
        },
    }
}

fn client_data(seen: &Seen) -> impl Iterator<Item = &SeenFrame> {
    seen.frames
        .iter()
        .filter(|f| f.stream == Some(0) && f.dir == Some(Direction::ClientToServer))
        .filter(|f| f.data().is_some())
}

fn full_segments(seen: &Seen) -> Option<Point> {
    let syn = seen
        .frames
        .iter()
        .find(|f| f.stream == Some(0) && f.tcp.as_ref().is_some_and(|t| t.syn() && !t.is_ack()))?;
    let mss = syn.tcp.as_ref()?.mss?;
    let full = client_data(seen)
        .filter_map(|f| f.data())
        .map(|t| t.len)
        .max()?;
    let frames = client_data(seen)
        .filter(|f| f.data().is_some_and(|t| t.len == full))
        .map(|f| f.frame)
        .collect();
    Some(Point::Mss {
        syn: syn.frame,
        mss,
        full,
        frames,
    })
}

/// Two hosts: ARP, the AND, the MACs, full segments.
pub(super) fn two_hosts(seen: &Seen, outcome: &DemoOutcome) -> Vec<Point> {
    let Some(hosts) = &outcome.facts.hosts else {
        return vec![Point::Missing {
            what: Expected::Arp,
        }];
    };
    let mut points = vec![
        arp(seen, hosts),
        Point::OnLink {
            own: hosts.a,
            dst: hosts.b,
            prefix: hosts.prefix,
        },
        Point::Macs {
            a: hosts.mac_a,
            b: hosts.mac_b,
        },
    ];
    points.push(full_segments(seen).unwrap_or(Point::Missing {
        what: Expected::Data,
    }));
    points
}

/// The frames of `src` carrying TCP sequence number `seq` (raw).
fn sent_with(seen: &Seen, src: std::net::SocketAddr, seq: u32) -> Vec<u64> {
    seen.frames
        .iter()
        .filter(|f| f.src == Some(src))
        .filter(|f| f.data().is_some_and(|t| t.seq_raw == seq))
        .map(|f| f.frame)
        .collect()
}

/// Pure ACKs from the server repeating the ACK number of the one before.
fn duplicate_acks(seen: &Seen, hole: u32) -> Vec<u64> {
    let mut previous = None;
    let mut dups = Vec::new();
    for f in seen
        .frames
        .iter()
        .filter(|f| f.stream == Some(0) && f.dir == Some(Direction::ServerToClient))
    {
        let Some(t) = &f.tcp else { continue };
        if t.len > 0 || t.syn() || t.fin() {
            previous = None;
            continue;
        }
        if t.ack == Some(hole) && previous == Some(hole) {
            dups.push(f.frame);
        }
        previous = t.ack;
    }
    dups
}

/// The lossy path: what the relay dropped and how each side lived with it.
pub(super) fn lossy(seen: &Seen, outcome: &DemoOutcome) -> Vec<Point> {
    let mut points = Vec::new();
    let Some(report) = &outcome.facts.relay else {
        return vec![Point::Missing {
            what: Expected::TcpLoss,
        }];
    };
    let (mut tcp, mut udp) = (0, 0);
    for d in &report.dropped {
        match d.kind {
            DropKind::TcpData { .. } => tcp += 1,
            DropKind::Udp { .. } => udp += 1,
        }
    }
    let (loss, seed) = outcome.facts.impairment.unwrap_or_default();
    points.push(Point::Loss {
        loss,
        seed,
        tcp,
        udp,
    });
    let requests: Vec<&SeenFrame> = seen
        .frames
        .iter()
        .filter(|f| f.proto == PacketProto::Udp && f.dir == Some(Direction::ClientToServer))
        .collect();
    let lost_requests: Vec<u64> = report
        .dropped
        .iter()
        .filter(|d| d.direction == RelayDir::AToB)
        .filter_map(|d| match d.kind {
            DropKind::Udp { nth, .. } => Some(nth),
            _ => None,
        })
        .collect();
    // The server answers the requests that reached it, in order.
    let reached: Vec<u64> = (1..=requests.len() as u64)
        .filter(|n| !lost_requests.contains(n))
        .collect();
    for d in &report.dropped {
        match (&d.kind, d.direction) {
            (
                DropKind::TcpData {
                    src,
                    seq,
                    rel_seq,
                    len,
                    ..
                },
                dir,
            ) => {
                let sent = sent_with(seen, *src, *seq);
                let (first, again) = match dir {
                    RelayDir::AToB => (sent.first().copied(), sent.get(1).copied()),
                    RelayDir::BToA => (None, sent.first().copied()),
                };
                points.push(Point::Resent {
                    seq: rel_seq.wrapping_add(1),
                    len: *len,
                    first,
                    again,
                });
                if dir == RelayDir::AToB {
                    let dups = duplicate_acks(seen, rel_seq.wrapping_add(1));
                    if !dups.is_empty() {
                        points.push(Point::DupAcks {
                            ack: rel_seq.wrapping_add(1),
                            frames: dups,
                        });
                    }
                }
            }
            (DropKind::Udp { nth, .. }, dir) => {
                let (request, way) = match dir {
                    RelayDir::AToB => (Some(*nth), LostWay::Request),
                    RelayDir::BToA => (
                        (*nth as usize)
                            .checked_sub(1)
                            .and_then(|i| reached.get(i).copied()),
                        LostWay::Answer,
                    ),
                };
                if let Some(n) = request
                    && let Some(f) = (n as usize).checked_sub(1).and_then(|i| requests.get(i))
                {
                    points.push(Point::UdpLost {
                        frame: f.frame,
                        nth: n as usize,
                        way,
                    });
                }
            }
        }
    }
    if tcp == 0 {
        points.push(Point::Missing {
            what: Expected::TcpLoss,
        });
    }
    if udp == 0 {
        points.push(Point::Missing {
            what: Expected::UdpLoss,
        });
    }
    points
}
