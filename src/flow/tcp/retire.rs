//! A connection that leaves the tracker: when it counts as closed or as an attempt (its
//! timeout class), what is remembered of it, and how it comes back.

use super::TcpConn;
use crate::flow::expert::StreamExpert;
use crate::flow::seq::SeqNum;
use crate::flow::table::{Conn, Tomb};
use crate::flow::{Conversation, FlowKey, Proto, Retired, RoleBasis};
use crate::time::Timestamp;

impl TcpConn {
    /// The stream `tomb` remembers, back after it was retired: same number, endpoints,
    /// roles and base sequence numbers (the rest of the analysis starts afresh).
    pub(in crate::flow) fn resumed(tomb: &Tomb, key: FlowKey, ts: Timestamp) -> TcpConn {
        let ends = if tomb.first_is_a {
            [key.0, key.1]
        } else {
            [key.1, key.0]
        };
        let mut conn = TcpConn::from_quote(tomb.stream, ends[0], ends[1], ts);
        conn.continued = tomb.had_packets;
        if tomb.had_packets {
            conn.client = usize::from((ends[0] == key.0) != tomb.client_is_a);
            conn.basis = tomb.basis;
            if conn.basis == RoleBasis::PortGuess {
                conn.states.set_unknown();
            }
            for (half, base) in conn.halves.iter_mut().zip(tomb.bases()) {
                half.base = base.map(SeqNum);
            }
            conn.expert = StreamExpert::with_bases(tomb.reuse_bases());
        }
        conn
    }

    /// A packet came after its summary was handed over: it goes on, and its next summary
    /// says it continues an earlier one.
    pub(in crate::flow) fn continue_after_retirement(&mut self) {
        self.continued = true;
    }

    /// What is remembered once it is retired.
    pub(in crate::flow) fn tomb(&self, key: FlowKey) -> Tomb {
        let mut tomb = Tomb::new(self.stream);
        tomb.had_packets = self.packets > 0;
        tomb.first_is_a = self.ends[0] == key.0;
        tomb.client_is_a = self.ends[self.client] == key.0;
        tomb.basis = self.basis;
        tomb.set_bases(
            [
                self.halves[0].base.map(|b| b.0),
                self.halves[1].base.map(|b| b.0),
            ],
            self.expert.base_seqs(),
        );
        tomb
    }

    /// Both sides closed (a FIN each way) or one reset it.
    fn is_closed(&self) -> bool {
        self.halves.iter().any(|h| h.sent_rst) || self.halves.iter().all(|h| h.fin_seq.is_some())
    }

    /// A SYN was sent and nothing came back.
    fn is_attempt(&self) -> bool {
        let c = &self.halves[self.client];
        let s = &self.halves[1 - self.client];
        c.sent_syn && s.packets == 0
    }

    /// The conversation's record: counts, times, how it closed, the analysis.
    pub(in crate::flow) fn summary(&self) -> Conversation {
        let c = self.client;
        let s = 1 - c;
        let (hc, hs) = (&self.halves[c], &self.halves[s]);
        let secs = |a: Option<Timestamp>, b: Option<Timestamp>| match (a, b) {
            (Some(a), Some(b)) => Some(b.secs_since(a)),
            _ => None,
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
            rtt_handshake: match self.expert.initial_rtt_nanos() {
                Some(ns) => Some(ns as f64 / 1e9),
                None => secs(self.syn_ts, self.handshake_ack_ts),
            },
            close: self.close.kind(hc, hs),
            conn_state: self.close.conn_state(c, hc, hs),
            history: self.history.to_text(),
            analysis: Some(self.stats.summary()),
            final_states: Some(self.role_states()),
            retired: Retired::No,
            continued: self.continued,
        }
    }
}

impl Conn for TcpConn {
    fn class(&self) -> usize {
        if self.is_closed() {
            1
        } else if self.is_attempt() {
            0
        } else {
            2
        }
    }
}
