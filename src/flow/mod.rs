//! Following conversations: TCP and UDP streams numbered as Wireshark numbers them, client and
//! server roles, relative sequence numbers, each endpoint's TCP state, and a typed event for
//! every packet. One pass, streaming: memory grows with the number of conversations only.

mod conversation;
pub mod event;
pub mod expert;
mod observation;
pub mod seq;
mod tcp;
mod types;
mod udp;

use std::collections::HashMap;

pub use conversation::{AnalysisSummary, CloseKind, Conversation};
pub use observation::{ConversationIntro, Observation, PacketProto, StateChange, TcpSegment};
pub use types::{Direction, Endpoint, Proto, RoleBasis, Side};

use crate::analysis::Phase;
use crate::capture::Frame;
use crate::decode::{Net, Packet, Transport};
use event::{ArpOp, Event};
use expert::StreamExpert;
use tcp::TcpConn;
use udp::UdpConn;

/// Key of a conversation: the two endpoints, in a canonical order.
type FlowKey = (Endpoint, Endpoint);

fn flow_key(a: Endpoint, b: Endpoint) -> FlowKey {
    if a <= b { (a, b) } else { (b, a) }
}

/// The two endpoints of a TCP or UDP packet; records the ports on the observation.
fn endpoints(
    obs: &mut Observation,
    ip: &crate::decode::IpInfo,
    sport: u16,
    dport: u16,
) -> (Endpoint, Endpoint) {
    obs.sport = Some(sport);
    obs.dport = Some(dport);
    (
        Endpoint {
            ip: ip.src,
            port: sport,
        },
        Endpoint {
            ip: ip.dst,
            port: dport,
        },
    )
}

/// The stream of the conversation between `src` and `dst`, created with `make` (given the
/// new stream number) when the pair has not been seen.
fn stream_of<C>(
    index: &mut HashMap<FlowKey, u32>,
    conns: &mut Vec<C>,
    src: Endpoint,
    dst: Endpoint,
    make: impl FnOnce(u32) -> C,
) -> u32 {
    *index.entry(flow_key(src, dst)).or_insert_with(|| {
        let s = conns.len() as u32;
        conns.push(make(s));
        s
    })
}

/// Follows every conversation in a capture, one packet at a time.
#[derive(Default)]
pub struct Tracker {
    tcp_index: HashMap<FlowKey, u32>,
    tcp: Vec<TcpConn>,
    udp_index: HashMap<FlowKey, u32>,
    udp: Vec<UdpConn>,
}

impl Tracker {
    /// A tracker with no conversations.
    pub fn new() -> Tracker {
        Tracker::default()
    }

    /// Analyzes one packet. Packets must be given in capture order.
    pub fn ingest(&mut self, frame: &Frame, packet: &Packet) -> Observation {
        let mut obs = Observation::new(frame, packet);
        let ip = packet.ip().cloned();
        match (&packet.transport, ip) {
            (Some(Transport::Tcp(t)), Some(ip)) => {
                let (src, dst) = endpoints(&mut obs, &ip, t.sport, t.dport);
                let key = flow_key(src, dst);
                let existing = self.tcp_index.get(&key).copied();
                let reuse =
                    existing.is_some_and(|s| self.tcp[s as usize].starts_new_conversation(src, t));
                let stream = match existing {
                    Some(s) if !reuse => s,
                    _ => {
                        let s = self.tcp.len() as u32;
                        let expert = if reuse {
                            StreamExpert::after_port_reuse()
                        } else {
                            StreamExpert::new()
                        };
                        self.tcp
                            .push(TcpConn::new(s, src, dst, t, frame.ts, expert));
                        self.tcp_index.insert(key, s);
                        s
                    }
                };
                let analyzable = ip.fragment.is_none() && ip.payload_len >= t.header_len;
                self.tcp[stream as usize].ingest(
                    &mut obs,
                    frame,
                    t,
                    packet.payload_wire_len as u32,
                    analyzable,
                    src,
                );
            }
            (Some(Transport::Udp(u)), Some(ip)) => {
                let (src, dst) = endpoints(&mut obs, &ip, u.sport, u.dport);
                let stream = stream_of(&mut self.udp_index, &mut self.udp, src, dst, |s| {
                    UdpConn::new(s, src, dst, frame.ts)
                });
                self.udp[stream as usize].ingest(
                    &mut obs,
                    frame,
                    packet.payload_wire_len as u32,
                    src,
                );
            }
            (Some(Transport::Icmp(icmp)), _) => {
                obs.phase = Phase::Other;
                obs.event = Event::Icmp(icmp.kind);
                if let Some(q) = &icmp.quoted {
                    self.relate_icmp_error(&mut obs, q);
                }
            }
            _ => {
                obs.phase = Phase::Other;
                obs.event = other_event(packet);
            }
        }
        obs
    }

    /// Ties an ICMP error to the conversation of the packet it quotes. Like Wireshark, a quoted
    /// flow not seen before still gets a stream number.
    fn relate_icmp_error(&mut self, obs: &mut Observation, q: &crate::decode::QuotedFlow) {
        let Some((sport, dport)) = q.ports else {
            return;
        };
        let src = Endpoint {
            ip: q.src,
            port: sport,
        };
        let dst = Endpoint {
            ip: q.dst,
            port: dport,
        };
        let ts = obs.ts;
        let (proto, stream) = match q.protocol {
            6 => (
                Proto::Tcp,
                stream_of(&mut self.tcp_index, &mut self.tcp, src, dst, |s| {
                    TcpConn::from_quote(s, src, dst, ts)
                }),
            ),
            17 => (
                Proto::Udp,
                stream_of(&mut self.udp_index, &mut self.udp, src, dst, |s| {
                    UdpConn::from_quote(s, src, dst, ts)
                }),
            ),
            _ => return,
        };
        obs.related = Some((proto, stream));
        if proto == Proto::Udp && q.protocol == 17 {
            self.udp[stream as usize].note_icmp_error();
        }
    }

    /// Summaries of all conversations: TCP streams in order, then UDP streams.
    pub fn conversations(&self) -> Vec<Conversation> {
        self.tcp
            .iter()
            .filter(|c| c.packets_seen() > 0)
            .map(TcpConn::summary)
            .chain(
                self.udp
                    .iter()
                    .filter(|c| c.packets_seen() > 0)
                    .map(UdpConn::summary),
            )
            .collect()
    }

    /// Summary of one conversation.
    pub fn conversation(&self, proto: Proto, stream: u32) -> Option<Conversation> {
        match proto {
            Proto::Tcp => self.tcp.get(stream as usize).map(TcpConn::summary),
            Proto::Udp => self.udp.get(stream as usize).map(UdpConn::summary),
        }
    }

    /// Number of TCP and UDP conversations seen so far.
    pub fn counts(&self) -> (usize, usize) {
        (self.tcp.len(), self.udp.len())
    }
}

/// The event of a packet that is neither TCP nor UDP nor ICMP.
fn other_event(packet: &Packet) -> Event {
    match &packet.net {
        Some(Net::Arp(arp)) => Event::Arp(match arp.operation {
            1 if arp.sender_ip == arp.target_ip => ArpOp::Announcement,
            1 => ArpOp::Request,
            2 => ArpOp::Reply,
            op => ArpOp::Other(op),
        }),
        Some(Net::Ip(ip)) => match ip.fragment {
            Some((offset, _)) => Event::IpFragment { first: offset == 0 },
            None => Event::Other,
        },
        None => Event::Other,
    }
}
