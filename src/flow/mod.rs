//! Following conversations: TCP and UDP streams numbered as Wireshark numbers them, client and
//! server roles, relative sequence numbers, each endpoint's TCP state, and a typed event for
//! every packet. One pass, streaming: memory grows with the number of conversations only.

mod conversation;
pub mod event;
pub mod expert;
mod icmp;
mod limits;
mod observation;
mod retire;
pub mod seq;
mod table;
mod tcp;
mod types;
mod udp;

pub use conversation::{AnalysisSummary, CloseKind, Conversation, Retired};
pub use limits::Limits;
pub use observation::{ConversationIntro, Observation, PacketProto, StateChange, TcpSegment};
pub use types::{Direction, Endpoint, Proto, RoleBasis, Side};

use crate::analysis::Phase;
use crate::capture::Frame;
use crate::decode::tcp::flags::{ACK, SYN};
use crate::decode::{Net, Packet, Transport};
use crate::time::Timestamp;
use event::{ArpOp, Event};
use expert::StreamExpert;
use table::{Cold, Graveyard, Table, key_in};
use tcp::TcpConn;
use udp::UdpConn;

/// Key of a conversation: the two endpoints, in a canonical order.
type FlowKey = (Endpoint, Endpoint);

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

/// Capture time that only moves forward: the sum of the forward steps between consecutive
/// packets, in nanoseconds. A capture whose clock jumps back (files joined end to end) does
/// not freeze the timeouts.
#[derive(Debug, Default)]
struct Clock {
    now: u64,
    last: Option<Timestamp>,
}

impl Clock {
    fn advance(&mut self, ts: Timestamp) -> u64 {
        if let Some(last) = self.last {
            // Within a second of each other (the common case) in 64 bits.
            let step = if ts.secs == last.secs {
                i128::from(i64::from(ts.nanos) - i64::from(last.nanos))
            } else {
                ts.nanos_since(last)
            };
            if step > 0 {
                self.now = self
                    .now
                    .saturating_add(u64::try_from(step).unwrap_or(u64::MAX));
            }
        }
        self.last = Some(ts);
        self.now
    }
}

/// A conversation that left the tracker: its summary, and whether any of its packets was
/// shown (see [`Tracker::mark_shown`]).
#[derive(Debug, Clone)]
pub struct Ended {
    /// The summary.
    pub conversation: Conversation,
    /// One of its packets was shown.
    pub shown: bool,
}

/// How much the limits cut: conversations evicted, streams that came back after they were
/// retired, stream numbers forgotten.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TrackerStats {
    /// Conversations pushed out by the cap on conversations followed at once.
    pub evicted: u64,
    /// Streams that had a packet after they were retired (their summary comes in parts).
    pub continued: u64,
    /// Ended conversations forgotten past the cap on those remembered: a later packet of
    /// one of them would get a new stream number where Wireshark reuses the old one.
    pub forgotten: u64,
    /// Most conversations followed at once.
    pub peak: usize,
    /// The cap on conversations followed at once (0: none).
    pub cap: usize,
}

/// Follows every conversation in a capture, one packet at a time, in memory bounded by the
/// [`Limits`]: conversations that ended leave it (see [`Tracker::take_ended`]).
pub struct Tracker {
    limits: Limits,
    clock: Clock,
    tcp: Table<TcpConn>,
    udp: Table<UdpConn>,
    tcp_cold: Cold<TcpConn>,
    udp_cold: Cold<UdpConn>,
    tcp_graves: Graveyard,
    udp_graves: Graveyard,
    /// Boxes of TCP connections that left, for new ones (see [`Tracker::boxed_tcp`]).
    #[expect(clippy::vec_box, reason = "the boxes are what is kept, to be reused")]
    spare_tcp: Vec<Box<TcpConn>>,
    /// The slot of the last TCP segment's conversation, tried first for the next one.
    tcp_hint: u32,
    next_tcp: u32,
    next_udp: u32,
    ended: Vec<Ended>,
    last: Option<(Proto, u32)>,
    stats: TrackerStats,
    /// Observations are filled in full (see [`Tracker::set_packet_details`]).
    details: bool,
    /// No conversation times out before this capture time (see [`Tracker::expire`]).
    expire_at: u64,
    /// The shortest timeout of the limits.
    shortest_timeout: u64,
}

impl Default for Tracker {
    fn default() -> Self {
        Tracker::new()
    }
}

impl Tracker {
    /// A tracker with no conversations and the default [`Limits`].
    pub fn new() -> Tracker {
        Tracker::with_limits(Limits::default())
    }

    /// A tracker with these limits.
    pub fn with_limits(limits: Limits) -> Tracker {
        Tracker {
            limits,
            clock: Clock::default(),
            tcp: Table::new(limits.max_connections),
            udp: Table::new(limits.max_connections.min(4096)),
            tcp_cold: Cold::new(limits.kept_whole()),
            udp_cold: Cold::new(limits.kept_whole()),
            tcp_graves: Graveyard::new(limits.remembered),
            udp_graves: Graveyard::new(limits.remembered),
            spare_tcp: Vec::new(),
            tcp_hint: u32::MAX,
            next_tcp: 0,
            next_udp: 0,
            ended: Vec::new(),
            last: None,
            stats: TrackerStats::default(),
            details: true,
            expire_at: u64::MAX,
            shortest_timeout: limits.shortest_timeout(),
        }
    }

    /// Whether each TCP segment's observation is filled in full (the default): its numbers,
    /// event, phase, states and their changes, and the introduction of a new conversation.
    /// Without, only what chooses the frames shown is filled (protocol, addresses, ports,
    /// stream, direction, length, findings), for views that print no packet; the
    /// conversations and their summaries are the same either way. To be chosen before the
    /// first packet: what only the observation needs is not kept without details.
    pub fn set_packet_details(&mut self, on: bool) {
        self.details = on;
    }

    /// Analyzes one packet. Packets must be given in capture order.
    pub fn ingest(&mut self, frame: &Frame, packet: &Packet) -> Observation {
        let mut obs = Observation::new(frame, packet);
        self.ingest_into(frame, packet, &mut obs);
        obs
    }

    /// Analyzes one packet into `obs`, reusing its buffers (a pipeline keeps one).
    pub fn ingest_into(&mut self, frame: &Frame, packet: &Packet, obs: &mut Observation) {
        let now = self.clock.advance(frame.ts);
        self.expire(now);
        self.last = None;
        obs.reset(frame, packet);
        let obs = &mut *obs;
        match (&packet.transport, packet.ip()) {
            (Some(Transport::Tcp(t)), Some(ip)) => {
                let (src, dst) = endpoints(obs, ip, t.sport, t.dport);
                let key = key_in(ip, t.sport, t.dport);
                let slot = self.tcp_slot(key, src, dst, t, frame.ts, now);
                self.tcp_hint = slot;
                let analyzable = ip.fragment.is_none() && ip.payload_len >= t.header_len;
                let mut recheck = true;
                if let Some(conn) = self.tcp.get_mut(slot) {
                    let segment = tcp::Segment {
                        tcp: t,
                        len: packet.payload_wire_len as u32,
                        analyzable,
                    };
                    recheck = conn.ingest(obs, frame, segment, src, self.details);
                }
                self.tcp.touch(slot, now, recheck);
                self.note_activity(now);
                self.last = Some((Proto::Tcp, slot));
            }
            (Some(Transport::Udp(u)), Some(ip)) => {
                let (src, dst) = endpoints(obs, ip, u.sport, u.dport);
                let (key, _) = key_in(ip, u.sport, u.dport);
                let slot = self.udp_slot(key, src, dst, frame.ts, now);
                if let Some(conn) = self.udp.get_mut(slot) {
                    conn.ingest(obs, frame, packet.payload_wire_len as u32, src);
                }
                // A UDP conversation's class never changes.
                self.udp.touch(slot, now, false);
                self.note_activity(now);
                self.last = Some((Proto::Udp, slot));
            }
            (Some(Transport::Icmp(icmp)), _) => {
                obs.phase = Phase::Other;
                obs.event = Event::Icmp(icmp.kind);
                if let Some(q) = &icmp.quoted {
                    self.relate_icmp_error(obs, q, frame.ts, now);
                }
            }
            _ => {
                obs.phase = Phase::Other;
                obs.event = other_event(packet);
            }
        }
    }

    /// The live TCP conversation a segment from `src` to `dst` belongs to (`key`, and
    /// whether `src` is its first endpoint, as [`key_in`] gives them), created (or brought
    /// back) as Wireshark numbers it.
    fn tcp_slot(
        &mut self,
        (key, src_is_a): (FlowKey, bool),
        src: Endpoint,
        dst: Endpoint,
        t: &crate::decode::TcpInfo,
        ts: Timestamp,
        now: u64,
    ) -> u32 {
        if let Some(slot) = self.tcp.find_from(&key, self.tcp_hint) {
            if self
                .tcp
                .get(slot)
                .is_some_and(|c| c.starts_new_conversation(src, t))
            {
                let stream = self.new_tcp_stream();
                let conn = TcpConn::new(stream, src, dst, t, ts, StreamExpert::after_port_reuse());
                let conn = self.boxed_tcp(conn);
                if let Some(old) = self.tcp.replace(slot, conn) {
                    self.hand_over_tcp(&old, Retired::Reused);
                    self.recycle_tcp(old);
                }
            }
            return slot;
        }
        if let Some(mut conn) = self.tcp_cold.take(&key) {
            // Ended and kept whole: it goes on, unless a SYN starts a new conversation.
            let conn = if conn.starts_new_conversation(src, t) {
                let stream = self.new_tcp_stream();
                conn.renew(TcpConn::new(
                    stream,
                    src,
                    dst,
                    t,
                    ts,
                    StreamExpert::after_port_reuse(),
                ));
                conn
            } else {
                self.stats.continued += 1;
                conn.continue_after_retirement();
                conn
            };
            self.make_room();
            return self.tcp.insert(key, conn, now);
        }
        let conn = match self.tcp_graves.take(&key) {
            Some(tomb) => {
                let dir = usize::from(src_is_a != tomb.first_is_a);
                let new_syn = t.flags & (SYN | ACK) == SYN
                    && tomb.reuse_bases()[dir].is_some_and(|b| b != t.seq);
                if tomb.had_packets && new_syn {
                    let stream = self.new_tcp_stream();
                    TcpConn::new(stream, src, dst, t, ts, StreamExpert::after_port_reuse())
                } else {
                    if tomb.had_packets {
                        self.stats.continued += 1;
                        TcpConn::resumed(&tomb, key, ts)
                    } else {
                        TcpConn::new(tomb.stream, src, dst, t, ts, StreamExpert::new())
                    }
                }
            }
            None => {
                let stream = self.new_tcp_stream();
                TcpConn::new(stream, src, dst, t, ts, StreamExpert::new())
            }
        };
        self.make_room();
        let conn = self.boxed_tcp(conn);
        self.tcp.insert(key, conn, now)
    }

    /// The live UDP conversation of a datagram from `src` to `dst` (`key`), created or
    /// brought back.
    fn udp_slot(
        &mut self,
        key: FlowKey,
        src: Endpoint,
        dst: Endpoint,
        ts: Timestamp,
        now: u64,
    ) -> u32 {
        if let Some(slot) = self.udp.find(&key) {
            return slot;
        }
        if let Some(mut conn) = self.udp_cold.take(&key) {
            self.stats.continued += 1;
            conn.continue_after_retirement();
            self.make_room();
            return self.udp.insert(key, conn, now);
        }
        let conn = match self.udp_graves.take(&key) {
            Some(tomb) => {
                if tomb.had_packets {
                    self.stats.continued += 1;
                    UdpConn::resumed(&tomb, key, ts)
                } else {
                    UdpConn::new(tomb.stream, src, dst, ts)
                }
            }
            None => {
                let stream = self.next_udp;
                self.next_udp += 1;
                UdpConn::new(stream, src, dst, ts)
            }
        };
        self.make_room();
        self.udp.insert(key, Box::new(conn), now)
    }

    fn new_tcp_stream(&mut self) -> u32 {
        let stream = self.next_tcp;
        self.next_tcp += 1;
        stream
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
