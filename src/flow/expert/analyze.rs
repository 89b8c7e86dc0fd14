//! The per-segment analysis: port reuse, the sequence tests, ACK matching, bytes in flight,
//! the initial RTT and the handshake's window scaling.

use super::state::{Flow, Unacked, WinScale, delta_nanos, is_zero, seq_gt, seq_le, seq_lt};
use super::{ExpertOut, SegmentIn, StreamExpert};
use crate::analysis::{Finding as F, Findings};
use crate::decode::tcp::flags::{ACK, FIN, PSH, RST, SYN};

/// A fast retransmission comes less than this long after the last duplicate ACK.
const FAST_RETRANSMISSION_NANOS: u64 = 20_000_000;
/// Out-of-order threshold while the initial RTT is unknown.
const DEFAULT_OOO_NANOS: u64 = 3_000_000;
/// Bytes in flight at or above this are not shown (a sign of confusion).
const BIF_CEILING: u32 = 2_000_000_000;

/// What the analysis recorded for the current segment (Wireshark's per-frame record, which
/// exists only once something was worth recording).
#[derive(Debug, Default)]
struct Record {
    exists: bool,
    flags: Findings,
    acked: Option<(u64, i64)>,
    dup_ack: Option<(u32, u64)>,
    bytes_in_flight: u32,
    push_bytes_sent: u32,
}

impl Record {
    fn flag(&mut self, f: F) {
        self.exists = true;
        self.flags.insert(f);
    }

    fn has(&self, f: F) -> bool {
        self.flags.contains(f)
    }

    fn output(&self, first_rtt: i64) -> ExpertOut {
        if !self.exists {
            return ExpertOut::default();
        }
        let bif = (self.bytes_in_flight != 0).then_some(self.bytes_in_flight);
        ExpertOut {
            findings: self.flags,
            dup_ack: self.dup_ack,
            acks_frame: self.acked.map(|(frame, _)| frame),
            ack_rtt_nanos: self.acked.map(|(_, rtt)| rtt).filter(|rtt| *rtt != 0),
            initial_rtt_nanos: (first_rtt != 0).then_some(first_rtt),
            bytes_in_flight: bif,
            push_bytes_sent: bif.map(|_| self.push_bytes_sent),
        }
    }
}

/// The flow of direction `d` and the flow of the other direction, both mutable.
fn pair(flows: &mut [Flow; 2], d: usize) -> (&mut Flow, &mut Flow) {
    let [a, b] = flows;
    if d == 0 { (a, b) } else { (b, a) }
}

/// Nanoseconds since `earlier` as Wireshark's unsigned arithmetic sees them: a negative
/// difference becomes huge.
fn unsigned_since(seg: &SegmentIn<'_>, earlier: crate::capture::Timestamp) -> u64 {
    delta_nanos(seg.ts, earlier) as u64
}

impl StreamExpert {
    /// Analyzes one segment sent in direction `dir` (0: the endpoint that sent the
    /// conversation's first segment, 1: the other one). Segments must come in capture order.
    pub fn analyze(&mut self, dir: usize, seg: &SegmentIn<'_>) -> ExpertOut {
        let d = dir.min(1);
        let syn = seg.flags & SYN != 0;
        let ack = seg.flags & ACK != 0;
        let mut rec = Record::default();
        if self.starts_new_conversation(d, seg.flags, seg.seq) {
            *self = StreamExpert::with_unacked_limit(self.unacked_limit);
            self.pending_reuse = true;
        }
        if std::mem::take(&mut self.pending_reuse) {
            rec.flag(F::ReusedPorts);
        }
        {
            let fwd = &mut self.flows[d];
            if syn && !ack && fwd.base_seq == Some(seg.seq) {
                fwd.nextseq = fwd.max_seq_to_be_acked;
            }
            if syn && ack && fwd.base_seq.is_some_and(|b| b != seg.seq) {
                fwd.base_seq = Some(seg.seq);
                rec.flag(F::ReusedPorts);
            }
            fwd.sack_count = 0;
        }
        if let Some(len) = seg.len {
            self.sequence(d, seg, len, &mut rec);
        }
        if syn {
            if !ack {
                self.mru_syn = seg.ts;
            }
            self.flows[d].is_first_ack = true;
        }
        if seg.flags & (SYN | ACK) == ACK {
            if self.first_rtt == 0 && !is_zero(self.mru_syn) {
                self.first_rtt = delta_nanos(seg.ts, self.mru_syn);
            }
            self.flows[d].is_first_ack = false;
        }
        if seg.mptcp.is_some() && self.mptcp_ops.is_none() {
            self.mptcp_ops = Some(0);
        }
        if let Some(shift) = seg.window_scale {
            self.flows[d].win_scale = WinScale::Shift(shift.min(14));
        }
        if !seg.sack.is_empty() {
            self.flows[d].store_sack(seg.sack);
        }
        if !seg.options_complete {
            return ExpertOut::default();
        }
        if let (Some(ops), Some(kinds)) = (self.mptcp_ops.as_mut(), seg.mptcp) {
            *ops |= kinds;
        }
        let out = rec.output(self.first_rtt);
        if syn {
            self.check_window_scaling(d, ack);
        }
        out
    }

    /// After a SYN or SYN/ACK: a direction whose SYN had no window-scale option does not
    /// scale, and then neither does the other; a SYN/ACK with the option answering a SYN
    /// without it does not scale either.
    fn check_window_scaling(&mut self, d: usize, synack: bool) {
        let (fwd, rev) = pair(&mut self.flows, d);
        if fwd.win_scale == WinScale::Unknown {
            fwd.win_scale = WinScale::NotUsed;
            rev.win_scale = WinScale::NotUsed;
        } else if synack && rev.win_scale == WinScale::NotUsed {
            fwd.win_scale = WinScale::NotUsed;
        }
    }

    /// Wireshark's sequence-number analysis of a segment whose length is known.
    fn sequence(&mut self, d: usize, seg: &SegmentIn<'_>, len: u32, rec: &mut Record) {
        let first_rtt = self.first_rtt;
        let limit = self.unacked_limit;
        let mptcp_ops = self.mptcp_ops;
        let (fwd, rev) = pair(&mut self.flows, d);
        let (seq, ack) = (seg.seq, seg.ack);
        let flags = seg.flags;
        let (syn, fin, rst) = (flags & SYN != 0, flags & FIN != 0, flags & RST != 0);
        let ack_flag = flags & ACK != 0;
        let control = syn || fin || rst;
        let window = u32::from(seg.window);

        if fwd.base_seq.is_none() {
            fwd.base_seq = Some(if syn { seq } else { seq.wrapping_sub(1) });
        }
        if rev.base_seq.is_none() && ack_flag {
            rev.base_seq = Some(ack.wrapping_sub(1));
        }
        if ack_flag {
            rev.valid_bif = true;
        }

        let repeats_last = len == 0 && seq == fwd.nextseq && ack == fwd.lastack && !control;
        if len == 1 && seq == fwd.nextseq && rev.window == 0 {
            rec.flag(F::ZeroWindowProbe);
        } else {
            if window == 0 && !control {
                rec.flag(F::ZeroWindow);
            }
            if fwd.nextseq != 0 && seq_gt(seq, fwd.nextseq) && !rst {
                rec.flag(F::LostSegment);
                fwd.valid_bif = false;
            }
            if len <= 1 && seq == fwd.nextseq.wrapping_sub(1) && !control {
                rec.flag(F::KeepAlive);
            }
            if repeats_last && window != 0 && window != fwd.window {
                rec.flag(F::WindowUpdate);
            }
            if len > 0 && rev.win_scale != WinScale::Unknown && !control {
                let shift = if rev.is_first_ack {
                    0
                } else {
                    rev.win_scale.shift()
                };
                let edge = rev.lastack.wrapping_add(rev.window << shift);
                if seq.wrapping_add(len) == edge {
                    rec.flag(F::WindowFull);
                }
            }
            let same_window = window == fwd.window;
            if repeats_last && window != 0 && same_window && rev.last_flags.contains(F::KeepAlive) {
                rec.flag(F::KeepAliveAck);
            } else if repeats_last
                && window == 0
                && same_window
                && rev.last_flags.contains(F::ZeroWindowProbe)
            {
                rec.flag(F::ZeroWindowProbeAck);
            } else if repeats_last
                && window != 0
                && same_window
                && mptcp_ops.is_none_or(|ops| ops == fwd.mp_ops)
            {
                fwd.dupacks = fwd.dupacks.wrapping_add(1);
                rec.flag(F::DuplicateAck);
                rec.dup_ack = Some((fwd.dupacks, fwd.last_non_dupack));
            }
        }

        if ack != fwd.lastack {
            fwd.last_non_dupack = seg.frame;
            fwd.dupacks = 0;
        }

        if ack_flag && rev.max_seq_to_be_acked != 0 && seq_gt(ack, rev.max_seq_to_be_acked) {
            rec.flag(F::AckLostSegment);
            rev.max_seq_to_be_acked = rev.nextseq;
        }

        if (len > 0 || syn || fin) && !rec.has(F::KeepAlive) {
            classify_resend(seg, len, fwd, rev, first_rtt, rec);
        }

        let mut nextseq = seq.wrapping_add(len);
        if (len > 0 || syn || fin) && fwd.unacked.len() < limit {
            if syn || fin {
                nextseq = nextseq.wrapping_add(1);
            }
            fwd.push_unacked(Unacked {
                frame: seg.frame,
                seq,
                nextseq,
                ts: seg.ts,
            });
        }
        let probe = rec.has(F::ZeroWindowProbe);
        if (seq_gt(nextseq, fwd.nextseq) || fwd.nextseq == 0) && !probe {
            fwd.nextseq = nextseq;
            fwd.nextseq_time = seg.ts;
        }
        if (seq == fwd.max_seq_to_be_acked || fwd.max_seq_to_be_acked == 0) && !probe {
            fwd.max_seq_to_be_acked = fwd.nextseq;
        }
        fwd.window = window;
        fwd.lastack = ack;
        fwd.lastack_time = seg.ts;
        fwd.last_flags = rec.flags;
        if let Some(ops) = mptcp_ops {
            fwd.mp_ops = ops;
        }

        // The peer's segments this ACK covers leave its list; the oldest one ending exactly
        // at the ACK is the one acknowledged.
        let acked = if rev.unacked.is_empty() {
            None
        } else {
            rev.acknowledge(ack, seg.ts)
        };
        if acked.is_some() {
            rec.exists = true;
            rec.acked = acked;
        }

        if len != 0
            && fwd.valid_bif
            && let Some(span) = fwd.unacked_span()
        {
            bytes_in_flight(seg, len, fwd, rev, span, rec);
        }
    }
}

/// Retransmission, fast or spurious retransmission, or out-of-order, for a segment with data,
/// SYN or FIN that is not a keep-alive.
fn classify_resend(
    seg: &SegmentIn<'_>,
    len: u32,
    fwd: &Flow,
    rev: &Flow,
    first_rtt: i64,
    rec: &mut Record,
) {
    let seq = seg.seq;
    let syn_fin = seg.flags & (SYN | FIN) != 0;
    let advanced_by_probe = len > 1 && fwd.nextseq.wrapping_sub(1) == seq;
    let not_advanced = fwd.nextseq != 0 && seq_lt(seq, fwd.nextseq) && !advanced_by_probe;
    if len > 0 && rev.lastack != 0 && seq_le(seq.wrapping_add(len), rev.lastack) {
        rec.flag(F::SpuriousRetransmission);
        return;
    }
    // The times are worked out only for a segment that did not advance the sequence.
    if not_advanced
        && rev.dupacks >= 2
        && rev.lastack == seq
        && unsigned_since(seg, rev.lastack_time) < FAST_RETRANSMISSION_NANOS
    {
        rec.flag(F::FastRetransmission);
        return;
    }
    let threshold = if first_rtt == 0 {
        DEFAULT_OOO_NANOS
    } else {
        first_rtt as u64
    };
    let end = seq.wrapping_add(len).wrapping_add(u32::from(syn_fin));
    if not_advanced && fwd.nextseq != end && unsigned_since(seg, fwd.nextseq_time) < threshold {
        rec.flag(F::OutOfOrder);
        return;
    }
    if not_advanced {
        rec.flag(F::Retransmission);
    }
}

/// Bytes in flight and bytes since the last PSH, on a segment with data.
fn bytes_in_flight(
    seg: &SegmentIn<'_>,
    len: u32,
    fwd: &mut Flow,
    rev: &Flow,
    span: u32,
    rec: &mut Record,
) {
    rec.exists = true;
    let in_flight = span.wrapping_sub(rev.sacked_bytes());
    if in_flight > 0 && in_flight < BIF_CEILING {
        rec.bytes_in_flight = in_flight - u32::from(seg.flags & (SYN | FIN) != 0);
    }
    let psh = seg.flags & PSH != 0;
    fwd.push_bytes_sent = if psh == fwd.push_set_last {
        if psh {
            len
        } else {
            fwd.push_bytes_sent.wrapping_add(len)
        }
    } else if psh {
        fwd.push_bytes_sent.wrapping_add(len)
    } else {
        len
    };
    fwd.push_set_last = psh;
    rec.push_bytes_sent = fwd.push_bytes_sent;
}
