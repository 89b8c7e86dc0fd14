//! The numbers of a segment as Wireshark shows them: relative sequence and acknowledgment
//! numbers (and SACK blocks), and window scaling negotiated in the handshake.

use super::half::Scale;
use super::{Control, TcpConn};
use crate::decode::TcpInfo;
use crate::flow::seq::SeqNum;

impl TcpConn {
    /// Relative sequence and acknowledgment numbers, exactly as Wireshark computes them.
    pub(super) fn relative(
        &mut self,
        d: usize,
        seq: SeqNum,
        ack: SeqNum,
        c: Control,
        analyzable: bool,
    ) -> (u32, Option<u32>) {
        if !analyzable {
            return (seq.0, c.ack.then_some(ack.0));
        }
        let r = 1 - d;
        if self.halves[d].base.is_none() {
            self.halves[d].base = Some(if c.syn { seq } else { seq - 1 });
        } else if c.syn && c.ack && self.halves[d].base != Some(seq) {
            // A SYN/ACK with another initial number (the port was reused): Wireshark counts
            // this direction from it, in the same stream.
            self.halves[d].base = Some(seq);
        }
        if c.ack && self.halves[r].base.is_none() {
            self.halves[r].base = Some(ack - 1);
        }
        let base = self.halves[d].base.unwrap_or_default();
        let peer_base = self.halves[r].base.unwrap_or_default();
        (seq.since(base), c.ack.then(|| ack.since(peer_base)))
    }

    /// SACK blocks relative to the peer's base (the numbers they acknowledge), like `ack`.
    pub(super) fn relative_sack(
        &self,
        r: usize,
        t: &TcpInfo,
        analyzable: bool,
        mut into: Vec<(u32, u32)>,
    ) -> Vec<(u32, u32)> {
        let base = self.halves[r]
            .base
            .filter(|_| analyzable)
            .unwrap_or_default();
        into.clear();
        if t.sack_blocks().is_empty() {
            return into;
        }
        into.extend(
            t.options
                .iter()
                .filter_map(|o| match &o.kind {
                    crate::decode::TcpOptionKind::Sack(blocks) => Some(blocks),
                    _ => None,
                })
                .flatten()
                .map(|&(l, r)| (SeqNum(l).since(base), SeqNum(r).since(base))),
        );
        into
    }

    /// Window scaling, negotiated on the SYN and SYN/ACK. A SYN whose options the snaplen cut
    /// says nothing certain about scaling.
    pub(super) fn negotiate_scale(&mut self, d: usize, t: &TcpInfo, c: Control) {
        if !c.syn {
            return;
        }
        let r = 1 - d;
        let ws = t.window_scale();
        if !t.header_complete && ws.is_none() {
            self.halves[d].scale = Scale::Unknown;
            return;
        }
        self.halves[d].syn_ws = Some(ws);
        if !c.ack {
            self.halves[d].scale = ws.map_or(Scale::NoScaling, Scale::Shift);
            return;
        }
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
    }
}
