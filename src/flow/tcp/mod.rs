//! One TCP connection: Wireshark's stream split and relative numbers, the endpoints' states
//! as a passive observer infers them, findings, the event and the summary.

mod classify;
mod close;
mod findings;
mod half;
mod history;
mod numbers;
mod retire;
mod reuse;
mod states;
mod stats;

use self::classify::{EventFacts, describe};
use self::close::CloseTrace;
use self::half::{Half, Scale};
use self::states::Endpoints;
use super::event::Event;
use super::expert::StreamExpert;
use super::seq::SeqNum;
use super::{
    ConversationIntro, Direction, Endpoint, Observation, Proto, RoleBasis, Side, TcpSegment,
};
use crate::analysis::{Finding, TcpState};
use crate::capture::Frame;
use crate::decode::TcpInfo;
use crate::decode::tcp::flags::{ACK, FIN, RST, SYN};
use crate::time::Timestamp;

/// The control flags of a segment.
#[derive(Debug, Clone, Copy)]
struct Control {
    syn: bool,
    ack: bool,
    fin: bool,
    rst: bool,
}

impl Control {
    fn of(flags: u16) -> Control {
        Control {
            syn: flags & SYN != 0,
            ack: flags & ACK != 0,
            fin: flags & FIN != 0,
            rst: flags & RST != 0,
        }
    }
}

/// A segment to follow.
#[derive(Debug, Clone, Copy)]
pub(super) struct Segment<'a> {
    /// Its header.
    pub(super) tcp: &'a TcpInfo,
    /// Payload bytes on the wire.
    pub(super) len: u32,
    /// Its length is known (not a fragment, a header that fits the IP payload): the
    /// sequence analysis and relative numbers apply.
    pub(super) analyzable: bool,
}

/// A TCP connection. Index 0 is the endpoint that sent the first packet seen.
#[derive(Debug)]
pub(super) struct TcpConn {
    stream: u32,
    ends: [Endpoint; 2],
    client: usize,
    basis: RoleBasis,
    halves: [Half; 2],
    states: Endpoints,
    start: Timestamp,
    end: Timestamp,
    syn_ts: Option<Timestamp>,
    synack_ts: Option<Timestamp>,
    handshake_ack_ts: Option<Timestamp>,
    history: history::History,
    close: CloseTrace,
    packets: u64,
    /// Wireshark's sequence analysis of this conversation.
    expert: StreamExpert,
    /// Counts of findings and ACK round trips, for the summary.
    stats: stats::ConnStats,
    /// An earlier summary of this stream was handed over.
    continued: bool,
    /// A packet of it was shown.
    pub(super) shown: bool,
}

impl TcpConn {
    pub(super) fn new(
        stream: u32,
        src: Endpoint,
        dst: Endpoint,
        first: &TcpInfo,
        ts: Timestamp,
        expert: StreamExpert,
    ) -> TcpConn {
        let mut conn = TcpConn::from_quote(stream, src, dst, ts);
        conn.assign_roles(first);
        conn.expert = expert;
        conn
    }

    /// A connection known only from an ICMP error quoting it.
    pub(super) fn from_quote(stream: u32, src: Endpoint, dst: Endpoint, ts: Timestamp) -> TcpConn {
        TcpConn {
            stream,
            ends: [src, dst],
            client: 0,
            basis: RoleBasis::PortGuess,
            halves: [Half::default(), Half::default()],
            states: Endpoints::default(),
            start: ts,
            end: ts,
            syn_ts: None,
            synack_ts: None,
            handshake_ack_ts: None,
            history: history::History::default(),
            close: CloseTrace::default(),
            packets: 0,
            expert: StreamExpert::new(),
            stats: stats::ConnStats::default(),
            continued: false,
            shown: false,
        }
    }

    fn assign_roles(&mut self, first: &TcpInfo) {
        let c = Control::of(first.flags);
        let (client, basis) = if c.syn && !c.ack {
            (0, RoleBasis::Syn)
        } else if c.syn {
            (1, RoleBasis::SynAck)
        } else if self.ends[0].port < self.ends[1].port {
            (1, RoleBasis::PortGuess)
        } else {
            (0, RoleBasis::PortGuess)
        };
        self.client = client;
        self.basis = basis;
        if basis == RoleBasis::PortGuess {
            self.states.set_unknown();
        }
    }

    pub(super) fn stream(&self) -> u32 {
        self.stream
    }

    pub(super) fn packets_seen(&self) -> u64 {
        self.packets
    }

    /// Whether a segment from `src` starts a new conversation on this 4-tuple, as Wireshark
    /// decides it (a SYN whose sequence number differs from the known base).
    pub(super) fn starts_new_conversation(&self, src: Endpoint, t: &TcpInfo) -> bool {
        // Only a SYN without ACK can: tested first, before the endpoints are compared.
        t.flags & (SYN | ACK) == SYN
            && self.packets > 0
            && self
                .expert
                .starts_new_conversation(self.index_of(src), t.flags, t.seq)
    }

    fn index_of(&self, src: Endpoint) -> usize {
        usize::from(src != self.ends[0])
    }

    fn side(&self, index: usize) -> Side {
        if index == self.client {
            Side::Client
        } else {
            Side::Server
        }
    }

    fn role_states(&self) -> (Option<TcpState>, Option<TcpState>) {
        (
            self.states.get(self.client),
            self.states.get(1 - self.client),
        )
    }

    /// Takes the first packet's endpoints and time, and decides the roles (a stream that
    /// comes back keeps them).
    fn begin(&mut self, frame: &Frame, t: &TcpInfo, src: Endpoint) {
        self.start = frame.ts;
        if self.continued {
            return;
        }
        let dst = if src == self.ends[0] {
            self.ends[1]
        } else {
            self.ends[0]
        };
        self.ends = [src, dst];
        self.assign_roles(t);
    }

    /// Follows a segment from `src`; `details`: fill the observation in full (see
    /// [`crate::flow::Tracker::set_packet_details`]). Returns whether the connection's
    /// timeout class may have changed (see [`Conn::class`](super::table::Conn::class)): only
    /// a SYN, FIN or RST or an endpoint's first segment changes what it depends on.
    pub(super) fn ingest(
        &mut self,
        obs: &mut Observation,
        frame: &Frame,
        segment: Segment<'_>,
        src: Endpoint,
        details: bool,
    ) -> bool {
        let Segment {
            tcp: t,
            len: seglen,
            analyzable,
        } = segment;
        if self.packets == 0 {
            self.begin(frame, t, src);
        }
        let d = self.index_of(src);
        let r = 1 - d;
        self.packets += 1;
        self.end = frame.ts;
        let h = &mut self.halves[d];
        h.packets += 1;
        h.bytes += u64::from(seglen);
        h.wire_bytes += u64::from(frame.orig_len);
        if self.packets == 1 && details {
            obs.intro = Some(ConversationIntro {
                proto: Proto::Tcp,
                stream: self.stream,
                client: self.ends[self.client],
                server: self.ends[1 - self.client],
                basis: self.basis,
            });
        }
        let c = Control::of(t.flags);
        let (seq, ack) = (SeqNum(t.seq), SeqNum(t.ack));
        // Relative numbers, window scaling and the facts about windows are the observation's
        // only: without details they are not worked out.
        let (seq_rel, ack_rel) = if details {
            self.relative(d, seq, ack, c, analyzable)
        } else {
            (seq.0, None)
        };
        if details {
            self.negotiate_scale(d, t, c);
        }
        let prev_win = self.halves[d].last_win;
        let peer_window_zero = self.halves[r].last_win == Some(0);
        let analyzed = self.analyze(obs, frame, d, t, analyzable.then_some(seglen), c, details);
        self.stats.record(&analyzed.expert, c.ack);
        let f = obs.findings;
        let retransmission = f.contains(Finding::Retransmission)
            || f.contains(Finding::FastRetransmission)
            || f.contains(Finding::SpuriousRetransmission)
            || f.contains(Finding::OutOfOrder);

        // Facts before the state update.
        let first_syn = c.syn && !c.ack && !self.halves[d].sent_syn;
        if first_syn && self.halves[r].sent_syn && self.basis == RoleBasis::Syn {
            self.basis = RoleBasis::SimultaneousOpen;
        }
        let simultaneous_open =
            self.basis == RoleBasis::SimultaneousOpen || (first_syn && self.halves[r].sent_syn);
        let first_synack = c.syn && c.ack && !self.halves[d].sent_synack;
        let peer_sent_syn = self.halves[r].sent_syn;
        let first_fin = c.fin && self.halves[d].fin_seq.is_none();
        let acks_peer_fin_first =
            c.ack && !c.rst && self.halves[r].fin_covered_by(ack) && !self.halves[r].fin_acked;
        let peer_fin_before = self.halves[r].fin_seq.is_some();
        let handshake_ack = !c.syn
            && c.ack
            && self.handshake_ack_ts.is_none()
            && self.synack_ts.is_some()
            && d == self.client
            && self.halves[r].syn_covered_by(ack);

        // Timestamps for the handshake RTT.
        if first_syn && d == self.client && self.syn_ts.is_none() {
            self.syn_ts = Some(frame.ts);
        }
        if first_synack && self.synack_ts.is_none() {
            self.synack_ts = Some(frame.ts);
        }
        if handshake_ack {
            self.handshake_ack_ts = Some(frame.ts);
        }

        // The close, for the summary.
        if first_fin && self.close.first_fin.is_none() {
            self.close.first_fin = Some(d);
        }
        if self.close.first_fin == Some(r) {
            if first_fin && !self.halves[r].fin_covered_by(ack) {
                self.close.simultaneous = true;
            }
            if acks_peer_fin_first && self.close.merged.is_none() {
                self.close.merged = Some(c.fin);
            }
            if seglen > 0 && !retransmission {
                self.close.data_after_fin = true;
            }
        }
        if c.rst && self.close.first_rst.is_none() {
            let answers_syn = !self.halves[d].sent_synack && !self.halves[d].sent_syn;
            self.close.first_rst = Some((d, answers_syn && self.halves[r].sent_syn));
        }

        states::apply(&mut self.states, &self.halves, d, ack, c, first_fin);
        if details {
            let sides = [self.side(0), self.side(1)];
            self.states
                .take_changes(self.client, |i| sides[i], &mut obs.changes);
        } else {
            self.states.forget_changes();
        }
        self.record_letters(d, c, seglen, retransmission, obs.findings);
        let h = &mut self.halves[d];
        h.sent_syn |= c.syn && !c.ack;
        h.sent_synack |= c.syn && c.ack;
        h.sent_rst |= c.rst;
        if c.syn {
            h.isn.get_or_insert(seq);
        }
        if first_fin {
            h.fin_seq = Some(seq + seglen);
        }
        if acks_peer_fin_first {
            self.halves[r].fin_acked = true;
        }

        obs.stream = Some(self.stream);
        obs.dir = Some(if d == self.client {
            Direction::ClientToServer
        } else {
            Direction::ServerToClient
        });
        obs.len = Some(seglen);
        let recheck = c.syn || c.fin || c.rst || self.halves[d].packets == 1;
        if !details {
            return recheck;
        }
        let shift = match self.halves[d].scale {
            Scale::Shift(s) => Some(s.min(14)),
            _ => None,
        };
        let window_bytes = match (c.syn, self.halves[d].scale) {
            (true, _) | (_, Scale::NoScaling) => Some(u64::from(t.window)),
            (false, Scale::Shift(s)) => Some(u64::from(t.window) << s.min(14)),
            (false, Scale::Unknown) => None,
        };
        let facts = EventFacts {
            seglen,
            flags: (c.syn, c.ack, c.fin, c.rst),
            first_syn,
            first_synack,
            peer_sent_syn,
            simultaneous_open,
            handshake_ack,
            first_fin,
            acks_peer_fin_first,
            covers_peer_fin: c.ack && self.halves[r].fin_covered_by(ack),
            peer_fin_before,
            own_fin_before: self.halves[d].fin_seq.is_some() && !first_fin,
            refused: c.rst && self.close.first_rst == Some((d, true)),
            advanced_ack: analyzed.advanced_ack,
            window_bytes,
            window_changed: prev_win.is_some_and(|w| w != t.window),
            peer_window_zero,
            analyzed,
        };
        let (phase, event) = describe(&facts, obs.findings);
        obs.tcp = Some(TcpSegment {
            flags: t.flags,
            seq: seq_rel,
            ack: ack_rel,
            seq_raw: t.seq,
            ack_raw: t.ack,
            len: seglen,
            window: t.window,
            window_bytes,
            window_shift: shift,
            sack: self.relative_sack(r, t, analyzable, std::mem::take(&mut obs.spare_sack)),
            expert: analyzed.expert,
        });
        obs.phase = phase;
        obs.event = Event::Tcp(event);
        obs.states = Some(self.role_states());
        recheck
    }
}
