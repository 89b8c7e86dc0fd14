//! One TCP connection: Wireshark's stream split and relative numbers, the endpoints' states
//! as a passive observer infers them, findings, the event text and the summary.

use super::events::{EventFacts, describe};
use super::{
    CloseKind, Conversation, ConversationIntro, Direction, Endpoint, Observation, Proto, RoleBasis,
    Side, StateChange, TcpSegment,
};
use crate::analysis::{Finding, TcpState};
use crate::capture::{Frame, Timestamp};
use crate::decode::TcpInfo;
use crate::decode::tcp::flags::{ACK, FIN, RST, SYN};

fn seq_lt(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) < 0
}

fn seq_ge(a: u32, b: u32) -> bool {
    !seq_lt(a, b)
}

fn seq_gt(a: u32, b: u32) -> bool {
    seq_lt(b, a)
}

/// Window scaling of one direction.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Scale {
    #[default]
    Unknown,
    NoScaling,
    Shift(u8),
}

/// What one direction (one endpoint's sending half) has done.
#[derive(Debug, Default)]
struct Half {
    /// Wireshark's base sequence number for relative numbers.
    base: Option<u32>,
    /// Initial sequence number, from this side's SYN.
    isn: Option<u32>,
    /// Highest sequence number sent so far, plus one (SYN and FIN count).
    next_seq: Option<u32>,
    last_ack: Option<u32>,
    last_win: Option<u16>,
    syn_ws: Option<Option<u8>>,
    scale: Scale,
    /// Sequence number of this side's FIN.
    fin_seq: Option<u32>,
    fin_acked: bool,
    last_was_keepalive: bool,
    sent_syn: bool,
    sent_synack: bool,
    sent_rst: bool,
    packets: u64,
    bytes: u64,
    wire_bytes: u64,
    /// History letters already recorded for this side.
    history_seen: u32,
}

impl Half {
    fn fin_covered_by(&self, ack: u32) -> bool {
        self.fin_seq.is_some_and(|f| seq_ge(ack, f.wrapping_add(1)))
    }

    fn syn_covered_by(&self, ack: u32) -> bool {
        self.isn.is_some_and(|i| seq_ge(ack, i.wrapping_add(1)))
    }
}

/// How the close unfolded, for the summary.
#[derive(Debug, Default)]
struct CloseTrace {
    /// Index of the side that sent the first FIN.
    first_fin: Option<usize>,
    /// The passive side's first ACK of the first FIN rode on its own FIN.
    merged: Option<bool>,
    /// The passive side sent its FIN before acknowledging the first one.
    simultaneous: bool,
    /// The passive side sent data after the first FIN.
    data_after_fin: bool,
    /// Index of the side that sent the first RST, and whether it answered a SYN.
    first_rst: Option<(usize, bool)>,
}

/// A TCP connection. Index 0 is the endpoint that sent the first packet seen.
#[derive(Debug)]
pub(super) struct TcpConn {
    stream: u32,
    ends: [Endpoint; 2],
    client: usize,
    basis: RoleBasis,
    halves: [Half; 2],
    states: [Option<TcpState>; 2],
    start: Timestamp,
    end: Timestamp,
    syn_ts: Option<Timestamp>,
    synack_ts: Option<Timestamp>,
    handshake_ack_ts: Option<Timestamp>,
    history: String,
    close: CloseTrace,
    packets: u64,
}

impl TcpConn {
    pub(super) fn new(
        stream: u32,
        src: Endpoint,
        dst: Endpoint,
        first: &TcpInfo,
        ts: Timestamp,
    ) -> TcpConn {
        let mut conn = TcpConn::from_quote(stream, src, dst, ts);
        conn.assign_roles(first);
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
            states: [None, None],
            start: ts,
            end: ts,
            syn_ts: None,
            synack_ts: None,
            handshake_ack_ts: None,
            history: String::new(),
            close: CloseTrace::default(),
            packets: 0,
        }
    }

    fn assign_roles(&mut self, first: &TcpInfo) {
        let (syn, ack) = (first.flags & SYN != 0, first.flags & ACK != 0);
        let (client, basis) = if syn && !ack {
            (0, RoleBasis::Syn)
        } else if syn {
            (1, RoleBasis::SynAck)
        } else if self.ends[0].port < self.ends[1].port {
            (1, RoleBasis::PortGuess)
        } else {
            (0, RoleBasis::PortGuess)
        };
        self.client = client;
        self.basis = basis;
        if basis == RoleBasis::PortGuess {
            self.states = [Some(TcpState::Unknown), Some(TcpState::Unknown)];
        }
    }

    pub(super) fn packets_seen(&self) -> u64 {
        self.packets
    }

    /// Whether a bare SYN from `src` with `seq` starts a new conversation on this 4-tuple
    /// (Wireshark: the direction's base sequence is set and differs).
    pub(super) fn is_new_syn(&self, src: Endpoint, seq: u32) -> bool {
        let half = &self.halves[self.index_of(src)];
        half.base.is_some_and(|b| b != seq)
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
        (self.states[self.client], self.states[1 - self.client])
    }

    fn record_history(&mut self, d: usize, letter: char) {
        let bit = 1u32 << (letter as u8).wrapping_sub(b'a').min(31);
        if self.halves[d].history_seen & bit == 0 {
            self.halves[d].history_seen |= bit;
            let letter = if d == self.client {
                letter.to_ascii_uppercase()
            } else {
                letter
            };
            self.history.push(letter);
        }
    }

    pub(super) fn ingest(
        &mut self,
        obs: &mut Observation,
        frame: &Frame,
        t: &TcpInfo,
        seglen: u32,
        analyzable: bool,
        src: Endpoint,
    ) {
        if self.packets == 0 {
            self.ends = [
                src,
                if src == self.ends[0] {
                    self.ends[1]
                } else {
                    self.ends[0]
                },
            ];
            self.start = frame.ts;
            self.assign_roles(t);
        }
        let d = self.index_of(src);
        let r = 1 - d;
        self.packets += 1;
        self.end = frame.ts;
        {
            let h = &mut self.halves[d];
            h.packets += 1;
            h.bytes += u64::from(seglen);
            h.wire_bytes += u64::from(frame.orig_len);
        }
        if obs.findings.contains(&Finding::ReusedPorts) || self.packets == 1 {
            obs.intro = Some(ConversationIntro {
                proto: Proto::Tcp,
                stream: self.stream,
                client: self.ends[self.client],
                server: self.ends[1 - self.client],
                basis: self.basis,
            });
        }
        let f = t.flags;
        let (syn, ack, fin, rst) = (f & SYN != 0, f & ACK != 0, f & FIN != 0, f & RST != 0);

        // Relative numbers exactly as Wireshark computes them.
        let (seq_rel, ack_rel) = if analyzable {
            if self.halves[d].base.is_none() {
                self.halves[d].base = Some(if syn { t.seq } else { t.seq.wrapping_sub(1) });
            }
            if ack && self.halves[r].base.is_none() {
                self.halves[r].base = Some(t.ack.wrapping_sub(1));
            }
            let base = self.halves[d].base.unwrap_or(0);
            let peer_base = self.halves[r].base.unwrap_or(0);
            (
                t.seq.wrapping_sub(base),
                ack.then(|| t.ack.wrapping_sub(peer_base)),
            )
        } else {
            (t.seq, ack.then_some(t.ack))
        };

        // Window scaling, negotiated on the SYN and SYN/ACK.
        // A SYN whose options the snaplen cut says nothing certain about scaling.
        if syn && !t.header_complete && t.window_scale().is_none() {
            self.halves[d].scale = Scale::Unknown;
        } else if syn {
            let ws = t.window_scale();
            self.halves[d].syn_ws = Some(ws);
            if ack {
                match (self.halves[r].syn_ws, ws) {
                    (Some(Some(peer)), Some(own)) => {
                        self.halves[r].scale = Scale::Shift(peer);
                        self.halves[d].scale = Scale::Shift(own);
                    }
                    (Some(_), _) | (None, None) => {
                        self.halves[r].scale = Scale::NoScaling;
                        self.halves[d].scale = Scale::NoScaling;
                    }
                    (None, Some(own)) => self.halves[d].scale = Scale::Shift(own),
                }
            } else {
                self.halves[d].scale = ws.map_or(Scale::NoScaling, Scale::Shift);
            }
        }
        let shift = match self.halves[d].scale {
            Scale::Shift(s) => Some(s.min(14)),
            _ => None,
        };
        let window_bytes = match (syn, self.halves[d].scale) {
            (true, _) | (_, Scale::NoScaling) => Some(u64::from(t.window)),
            (false, Scale::Shift(s)) => Some(u64::from(t.window) << s.min(14)),
            (false, Scale::Unknown) => None,
        };

        let prev_win = self.halves[d].last_win;
        // Findings (Wireshark's tcp.analysis.*), computed on analyzable segments only.
        let mut advanced_ack = None;
        // In a simultaneous open a side's SYN/ACK repeats its SYN's sequence number.
        let first_synack_of_simultaneous_open = syn
            && ack
            && !self.halves[d].sent_synack
            && self.halves[d].sent_syn
            && self.halves[d].isn == Some(t.seq);
        if analyzable {
            let next = self.halves[d].next_seq;
            let peer = &self.halves[r];
            let control = syn || fin || rst;
            let keepalive = seglen <= 1 && !control && next == Some(t.seq.wrapping_add(1));
            if keepalive {
                obs.findings.push(Finding::KeepAlive);
            } else if seglen == 1 && next == Some(t.seq) && peer.last_win == Some(0) {
                obs.findings.push(Finding::ZeroWindowProbe);
            } else if (seglen > 0 || syn || fin)
                && next.is_some_and(|n| seq_lt(t.seq, n))
                && !first_synack_of_simultaneous_open
            {
                obs.findings.push(Finding::Retransmission);
            } else if !rst && next.is_some_and(|n| seq_gt(t.seq, n)) {
                obs.findings.push(Finding::LostSegment);
            }
            if t.window == 0 && !control {
                obs.findings.push(Finding::ZeroWindow);
            }
            let half = &self.halves[d];
            if seglen == 0 && !control && ack {
                let same_ack = half.last_ack == Some(t.ack);
                let same_win = half.last_win == Some(t.window);
                if peer.last_was_keepalive && same_ack {
                    obs.findings.push(Finding::KeepAliveAck);
                } else if same_ack && !same_win && half.last_win.is_some() && next == Some(t.seq) {
                    obs.findings.push(Finding::WindowUpdate);
                } else if same_ack && same_win && t.window != 0 && next == Some(t.seq) {
                    obs.findings.push(Finding::DuplicateAck);
                }
            }
            if ack && peer.next_seq.is_some_and(|n| seq_gt(t.ack, n)) {
                obs.findings.push(Finding::AckLostSegment);
            }
            if ack {
                advanced_ack = Some(match half.last_ack {
                    Some(prev) if seq_gt(t.ack, prev) => t.ack.wrapping_sub(prev),
                    Some(_) => 0,
                    None => u32::MAX,
                });
            }
            let seg_end = t
                .seq
                .wrapping_add(seglen)
                .wrapping_add(u32::from(syn))
                .wrapping_add(u32::from(fin));
            let half = &mut self.halves[d];
            half.next_seq = Some(match half.next_seq {
                Some(n) if seq_ge(n, seg_end) => n,
                _ => seg_end,
            });
            if ack {
                half.last_ack = Some(t.ack);
            }
            half.last_win = Some(t.window);
            half.last_was_keepalive = keepalive;
        }
        let retransmission = obs.findings.contains(&Finding::Retransmission);

        // Facts before the state update.
        let first_syn = syn && !ack && !self.halves[d].sent_syn;
        if first_syn && self.halves[r].sent_syn && self.basis == RoleBasis::Syn {
            self.basis = RoleBasis::SimultaneousOpen;
        }
        let simultaneous_open =
            self.basis == RoleBasis::SimultaneousOpen || (first_syn && self.halves[r].sent_syn);
        let first_synack = syn && ack && !self.halves[d].sent_synack;
        let peer_sent_syn = self.halves[r].sent_syn;
        let first_fin = fin && self.halves[d].fin_seq.is_none();
        let acks_peer_fin_first =
            ack && !rst && self.halves[r].fin_covered_by(t.ack) && !self.halves[r].fin_acked;
        let peer_fin_before = self.halves[r].fin_seq.is_some();
        let handshake_ack = !syn
            && ack
            && self.handshake_ack_ts.is_none()
            && self.synack_ts.is_some()
            && d == self.client
            && self.halves[r].syn_covered_by(t.ack);

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
            if first_fin && !self.halves[r].fin_covered_by(t.ack) {
                self.close.simultaneous = true;
            }
            if acks_peer_fin_first && self.close.merged.is_none() {
                self.close.merged = Some(fin);
            }
            if seglen > 0 && !retransmission {
                self.close.data_after_fin = true;
            }
        }
        if rst && self.close.first_rst.is_none() {
            let answers_syn = !self.halves[d].sent_synack && !self.halves[d].sent_syn;
            self.close.first_rst = Some((d, answers_syn && self.halves[r].sent_syn));
        }

        let before = self.states;
        self.update_states(d, t, (syn, ack, rst), first_fin);
        for i in [self.client, 1 - self.client] {
            if self.states[i] != before[i]
                && let Some(to) = self.states[i]
            {
                obs.changes.push(StateChange {
                    side: self.side(i),
                    from: before[i],
                    to,
                });
            }
        }

        // History letters (Zeek).
        if syn && fin {
            self.record_history(d, 'q');
        }
        if syn && !ack {
            self.record_history(d, 's');
        } else if syn {
            self.record_history(d, 'h');
        }
        if rst {
            self.record_history(d, 'r');
        }
        if fin {
            self.record_history(d, 'f');
        }
        if seglen > 0 {
            self.record_history(d, 'd');
        } else if ack && !syn && !fin && !rst {
            self.record_history(d, 'a');
        }
        if retransmission {
            self.record_history(d, 't');
        }
        if obs.findings.contains(&Finding::ZeroWindow) {
            self.record_history(d, 'w');
        }
        {
            let h = &mut self.halves[d];
            h.sent_syn |= syn && !ack;
            h.sent_synack |= syn && ack;
            h.sent_rst |= rst;
            if syn {
                h.isn.get_or_insert(t.seq);
            }
            if first_fin {
                h.fin_seq = Some(t.seq.wrapping_add(seglen));
            }
        }
        if acks_peer_fin_first {
            self.halves[r].fin_acked = true;
        }

        let sender = self.side(d);
        let facts = EventFacts {
            sender,
            seglen,
            flags: (syn, ack, fin, rst),
            first_syn,
            first_synack,
            peer_sent_syn,
            simultaneous_open,
            handshake_ack,
            first_fin,
            acks_peer_fin_first,
            covers_peer_fin: ack && self.halves[r].fin_covered_by(t.ack),
            peer_fin_before,
            own_fin_before: self.halves[d].fin_seq.is_some() && !first_fin,
            refused: rst && self.close.first_rst == Some((d, true)),
            advanced_ack,
            window_bytes,
            window_changed: prev_win.is_some_and(|w| w != t.window),
            peer_window_zero: self.halves[r].last_win == Some(0),
        };
        let (phase, event) = describe(&facts, &obs.findings);

        obs.stream = Some(self.stream);
        obs.dir = Some(if d == self.client {
            Direction::ClientToServer
        } else {
            Direction::ServerToClient
        });
        obs.len = Some(seglen);
        obs.tcp = Some(TcpSegment {
            flags: f,
            seq: seq_rel,
            ack: ack_rel,
            seq_raw: t.seq,
            ack_raw: t.ack,
            len: seglen,
            window: t.window,
            window_bytes,
            window_shift: shift,
        });
        obs.phase = phase;
        obs.event = event;
        obs.states = Some(self.role_states());
    }

    /// Applies the packet to both endpoints' states: the receiver's reaction to the ACK field,
    /// the sender's own transition, then the receiver's reaction to a FIN.
    fn update_states(
        &mut self,
        d: usize,
        t: &TcpInfo,
        (syn, ack, rst): (bool, bool, bool),
        first_fin: bool,
    ) {
        use TcpState::*;
        let r = 1 - d;
        if rst {
            self.states[d] = Some(Closed);
            self.states[r] = Some(Closed);
            return;
        }
        if ack {
            let fin_acked = self.halves[r].fin_covered_by(t.ack);
            self.states[r] = match self.states[r] {
                Some(SynReceived) if self.halves[r].syn_covered_by(t.ack) && !syn => {
                    Some(Established)
                }
                Some(SynReceived) if self.halves[r].syn_covered_by(t.ack) && syn => {
                    // Simultaneous open: a SYN/ACK answers our SYN/ACK.
                    Some(Established)
                }
                Some(FinWait1) if fin_acked => Some(FinWait2),
                Some(Closing) if fin_acked => Some(TimeWait),
                Some(LastAck) if fin_acked => Some(Closed),
                other => other,
            };
        }
        // A SYN repeated once the endpoint is open or closing (same ISN, so no new stream)
        // does not take it back to the handshake.
        let opening = matches!(
            self.states[d],
            None | Some(Unknown | Listen | Closed | SynSent | SynReceived)
        );
        if syn && !ack && opening {
            self.states[d] = match self.states[d] {
                Some(SynSent) | Some(SynReceived) => self.states[d],
                _ => Some(SynSent),
            };
        } else if syn && opening {
            // In a simultaneous open the peer's SYN/ACK may already have acknowledged ours.
            let peer_acked_our_syn = self.halves[r].sent_synack
                && self.halves[r]
                    .last_ack
                    .is_some_and(|a| self.halves[d].syn_covered_by(a));
            if peer_acked_our_syn {
                self.states[d] = Some(Established);
            } else if self.states[d] != Some(Established) {
                self.states[d] = Some(SynReceived);
            }
            if self.states[r].is_none() || self.states[r] == Some(Unknown) {
                self.states[r] = Some(SynSent);
            }
        } else if ack && self.states[d] == Some(SynSent) && self.halves[r].syn_covered_by(t.ack) {
            self.states[d] = Some(Established);
        }
        if first_fin {
            let peer_fin = self.halves[r].fin_seq.is_some();
            let acks_peer_fin = ack && self.halves[r].fin_covered_by(t.ack);
            self.states[d] = match self.states[d] {
                Some(CloseWait) if peer_fin && !acks_peer_fin => Some(Closing),
                Some(CloseWait) => Some(LastAck),
                Some(Unknown) if peer_fin => Some(LastAck),
                Some(Established) | Some(SynReceived) | Some(SynSent) | Some(Unknown) | None => {
                    Some(FinWait1)
                }
                other => other,
            };
        }
        if ack && !first_fin && self.halves[r].fin_covered_by(t.ack) {
            self.states[d] = match self.states[d] {
                Some(FinWait2) => Some(TimeWait),
                Some(FinWait1) if self.halves[d].fin_acked => Some(TimeWait),
                Some(FinWait1) => Some(Closing),
                Some(Established) | Some(Unknown) => Some(CloseWait),
                other => other,
            };
        }
        if first_fin {
            self.states[r] = match self.states[r] {
                Some(Established) | Some(Unknown) | Some(SynReceived) | None => Some(CloseWait),
                other => other,
            };
        }
    }

    pub(super) fn summary(&self) -> Conversation {
        let c = self.client;
        let s = 1 - c;
        let (hc, hs) = (&self.halves[c], &self.halves[s]);
        let secs = |a: Option<Timestamp>, b: Option<Timestamp>| match (a, b) {
            (Some(a), Some(b)) => Some(b.secs_since(a)),
            _ => None,
        };
        let close = match (self.close.first_rst, self.close.first_fin) {
            (Some((_, true)), _) => CloseKind::Refused,
            (Some(_), _) => CloseKind::Reset,
            (None, Some(_)) if hc.fin_seq.is_some() && hs.fin_seq.is_some() => {
                if self.close.simultaneous {
                    CloseKind::Simultaneous
                } else if self.close.data_after_fin {
                    CloseKind::HalfCloseThenClosed
                } else if self.close.merged == Some(true) {
                    CloseKind::Fin3Way
                } else {
                    CloseKind::Fin4Way
                }
            }
            (None, Some(_)) => CloseKind::HalfClosed,
            (None, None) if hc.sent_syn && !hs.sent_synack => CloseKind::Unanswered,
            (None, None) => CloseKind::Open,
        };
        Conversation {
            proto: Proto::Tcp,
            stream: self.stream,
            client: self.ends[c],
            server: self.ends[s],
            basis: self.basis,
            packets: [hc.packets, hs.packets],
            bytes: [hc.bytes, hs.bytes],
            wire_bytes: [hc.wire_bytes, hs.wire_bytes],
            start: self.start,
            end: self.end,
            rtt_syn_synack: secs(self.syn_ts, self.synack_ts),
            rtt_handshake: secs(self.syn_ts, self.handshake_ack_ts),
            close,
            conn_state: self.conn_state(),
            history: self.history.clone(),
            final_states: Some(self.role_states()),
        }
    }

    /// Zeek's conn_state code, with the client as originator.
    fn conn_state(&self) -> &'static str {
        let (o, r) = (&self.halves[self.client], &self.halves[1 - self.client]);
        let first_rst_by_orig = self.close.first_rst.map(|(i, _)| i == self.client);
        match (o.sent_syn, r.sent_synack) {
            (true, false) => {
                if r.sent_rst {
                    "REJ"
                } else if o.sent_rst {
                    "RSTOS0"
                } else if o.fin_seq.is_some() {
                    "SH"
                } else if r.packets == 0 {
                    "S0"
                } else {
                    "OTH"
                }
            }
            (false, true) => {
                if r.sent_rst {
                    "RSTRH"
                } else if r.fin_seq.is_some() {
                    "SHR"
                } else {
                    "OTH"
                }
            }
            (true, true) => match first_rst_by_orig {
                Some(true) => "RSTO",
                Some(false) => "RSTR",
                None => match (o.fin_seq.is_some(), r.fin_seq.is_some()) {
                    (true, true) => "SF",
                    (true, false) => "S2",
                    (false, true) => "S3",
                    (false, false) => "S1",
                },
            },
            (false, false) => "OTH",
        }
    }
}
