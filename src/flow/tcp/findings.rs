//! The findings of a segment, named as Wireshark's `tcp.analysis.*` fields.

use super::{Control, TcpConn};
use crate::analysis::Finding;
use crate::decode::TcpInfo;
use crate::flow::Observation;
use crate::flow::seq::SeqNum;

impl TcpConn {
    /// Findings (Wireshark's tcp.analysis.*) of an analyzable segment; returns how far the
    /// acknowledgment advanced (`u32::MAX` for the first ACK of this side).
    pub(super) fn analyze(
        &mut self,
        obs: &mut Observation,
        d: usize,
        t: &TcpInfo,
        seglen: u32,
        c: Control,
        first_synack_of_simultaneous_open: bool,
    ) -> Option<u32> {
        let r = 1 - d;
        let (seq, ack) = (SeqNum(t.seq), SeqNum(t.ack));
        let next = self.halves[d].next_seq;
        let peer = &self.halves[r];
        let control = c.syn || c.fin || c.rst;
        let keepalive = seglen <= 1 && !control && next == Some(seq + 1);
        if keepalive {
            obs.findings.push(Finding::KeepAlive);
        } else if seglen == 1 && next == Some(seq) && peer.last_win == Some(0) {
            obs.findings.push(Finding::ZeroWindowProbe);
        } else if (seglen > 0 || c.syn || c.fin)
            && next.is_some_and(|n| seq < n)
            && !first_synack_of_simultaneous_open
        {
            obs.findings.push(Finding::Retransmission);
        } else if !c.rst && next.is_some_and(|n| seq > n) {
            obs.findings.push(Finding::LostSegment);
        }
        if t.window == 0 && !control {
            obs.findings.push(Finding::ZeroWindow);
        }
        let half = &self.halves[d];
        if seglen == 0 && !control && c.ack {
            let same_ack = half.last_ack == Some(ack);
            let same_win = half.last_win == Some(t.window);
            if peer.last_was_keepalive && same_ack {
                obs.findings.push(Finding::KeepAliveAck);
            } else if same_ack && !same_win && half.last_win.is_some() && next == Some(seq) {
                obs.findings.push(Finding::WindowUpdate);
            } else if same_ack && same_win && t.window != 0 && next == Some(seq) {
                obs.findings.push(Finding::DuplicateAck);
            }
        }
        if c.ack && peer.next_seq.is_some_and(|n| ack > n) {
            obs.findings.push(Finding::AckLostSegment);
        }
        let advanced = c.ack.then(|| match half.last_ack {
            Some(prev) if ack > prev => ack.since(prev),
            Some(_) => 0,
            None => u32::MAX,
        });
        let seg_end = seq + seglen + u32::from(c.syn) + u32::from(c.fin);
        let half = &mut self.halves[d];
        half.next_seq = Some(match half.next_seq {
            Some(n) if n >= seg_end => n,
            _ => seg_end,
        });
        if c.ack {
            half.last_ack = Some(ack);
        }
        half.last_win = Some(t.window);
        half.last_was_keepalive = keepalive;
        advanced
    }
}
