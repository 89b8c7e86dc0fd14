//! What the analysis remembers about one direction of a conversation.

use crate::analysis::Findings;
use crate::capture::Timestamp;

/// At most this many SACK blocks of a segment are remembered for bytes in flight (Wireshark
/// stores blocks 1 to 3 of its 4-entry array).
pub(super) const SACK_KEPT: usize = 3;

/// Window scaling of one direction, as far as the handshake told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum WinScale {
    /// No window-scale option seen yet.
    Unknown,
    /// The handshake showed that windows are not scaled.
    NotUsed,
    /// Windows are shifted left by this many bits (at most 14).
    Shift(u8),
}

impl WinScale {
    /// The shift to apply to a raw window (0 when unscaled or unknown).
    pub(super) fn shift(self) -> u32 {
        match self {
            WinScale::Shift(s) => u32::from(s),
            _ => 0,
        }
    }
}

/// A segment sent in this direction and not yet acknowledged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Unacked {
    pub(super) frame: u64,
    pub(super) seq: u32,
    pub(super) nextseq: u32,
    pub(super) ts: Timestamp,
}

/// One direction (one endpoint's sending half).
#[derive(Debug, Clone)]
pub(super) struct Flow {
    /// Base for relative sequence numbers, once known.
    pub(super) base_seq: Option<u32>,
    /// Last raw window field sent in this direction (`u32::MAX` before the first segment).
    pub(super) window: u32,
    pub(super) win_scale: WinScale,
    /// False after a gap in this direction, until the other side acknowledges something.
    pub(super) valid_bif: bool,
    /// Set by this direction's SYN, cleared by its first segment with ACK and without SYN.
    pub(super) is_first_ack: bool,
    /// Findings of the last segment sent in this direction.
    pub(super) last_flags: Findings,
    pub(super) push_bytes_sent: u32,
    pub(super) push_set_last: bool,
    /// MPTCP option subtypes of the connection as of this direction's last segment.
    pub(super) mp_ops: u8,
    /// Unacknowledged segments, oldest first. Changed only through
    /// [`Flow::push_unacked`] and [`Flow::acknowledge`], which keep `span` and `in_order`
    /// right.
    pub(super) unacked: Vec<Unacked>,
    /// True when the unacknowledged segments lie in order (see [`in_order_after`]), which
    /// lets an ACK stop at the first segment it does not cover.
    in_order: bool,
    /// The lowest start and highest end of the unacknowledged segments relative to a base
    /// (base, first, last), kept as the list changes so that bytes in flight do not walk it
    /// for every segment; None: to be computed again.
    span: Option<(u32, u32, u32)>,
    /// Last acknowledgment number sent in this direction (0: none yet).
    pub(super) lastack: u32,
    pub(super) lastack_time: Timestamp,
    pub(super) last_non_dupack: u64,
    /// Duplicate ACKs sent in a row with this ACK number.
    pub(super) dupacks: u32,
    /// Highest next sequence number seen (0: none yet).
    pub(super) nextseq: u32,
    pub(super) nextseq_time: Timestamp,
    /// End of the data seen without a hole: the most the peer can acknowledge normally.
    pub(super) max_seq_to_be_acked: u32,
    /// SACK blocks of the last segment sent in this direction.
    pub(super) sack: [(u32, u32); SACK_KEPT],
    pub(super) sack_count: usize,
}

impl Flow {
    pub(super) fn new() -> Flow {
        Flow {
            base_seq: None,
            window: u32::MAX,
            win_scale: WinScale::Unknown,
            valid_bif: true,
            is_first_ack: false,
            last_flags: Findings::EMPTY,
            push_bytes_sent: 0,
            push_set_last: false,
            mp_ops: 0,
            unacked: Vec::new(),
            in_order: true,
            span: None,
            lastack: 0,
            lastack_time: Timestamp::default(),
            last_non_dupack: 0,
            dupacks: 0,
            nextseq: 0,
            nextseq_time: Timestamp::default(),
            max_seq_to_be_acked: 0,
            sack: [(0, 0); SACK_KEPT],
            sack_count: 0,
        }
    }

    /// Remembers the SACK blocks of this direction's current segment (the first three).
    pub(super) fn store_sack(&mut self, blocks: &[(u32, u32)]) {
        self.sack_count = 0;
        for &block in blocks.iter().take(SACK_KEPT) {
            self.sack[self.sack_count] = block;
            self.sack_count += 1;
        }
    }

    /// Bytes the last SACK of this direction reports as received out of order.
    pub(super) fn sacked_bytes(&self) -> u32 {
        self.sack[..self.sack_count]
            .iter()
            .fold(0u32, |sum, (l, r)| sum.wrapping_add(r.wrapping_sub(*l)))
    }

    /// Takes `list`, empty, as the storage of the unacknowledged segments (none yet).
    pub(super) fn reuse_unacked(&mut self, mut list: Vec<Unacked>) {
        if self.unacked.is_empty() {
            list.clear();
            self.unacked = list;
        }
    }

    /// Adds a segment sent in this direction to the unacknowledged ones.
    pub(super) fn push_unacked(&mut self, u: Unacked) {
        let base = self.base_seq.unwrap_or(0);
        let (first, last) = (u.seq.wrapping_sub(base), u.nextseq.wrapping_sub(base));
        self.span = if self.unacked.is_empty() {
            Some((base, first, last))
        } else {
            self.span
                .filter(|(b, _, _)| *b == base)
                .map(|(b, f, l)| (b, f.min(first), l.max(last)))
        };
        self.in_order = match (self.unacked.first(), self.unacked.last()) {
            (Some(head), Some(tail)) => {
                self.in_order && in_order_after(head.seq, tail.nextseq.wrapping_sub(head.seq), &u)
            }
            _ => in_order_after(u.seq, 0, &u),
        };
        self.unacked.push(u);
    }

    /// The peer acknowledged up to `ack` at `ts`: the segments it covers leave the list, one
    /// it covers in part starts there. Returns the oldest segment ending exactly at `ack`
    /// (its frame, and the time since it).
    pub(super) fn acknowledge(&mut self, ack: u32, ts: Timestamp) -> Option<(u64, i64)> {
        if self.in_order
            && let Some(acked) = self.acknowledge_in_order(ack, ts)
        {
            return acked;
        }
        let base = self.base_seq.unwrap_or(0);
        let (mut first, mut last) = (u32::MAX, 0);
        let mut acked = None;
        self.unacked.retain_mut(|u| {
            let keep = settle(u, ack, ts, &mut acked);
            if keep {
                first = first.min(u.seq.wrapping_sub(base));
                last = last.max(u.nextseq.wrapping_sub(base));
            }
            keep
        });
        self.span = (!self.unacked.is_empty()).then_some((base, first, last));
        self.in_order = self.lies_in_order();
        acked
    }

    /// [`Flow::acknowledge`] for segments in order, with the same result: None when the ACK
    /// lies too far behind them for that (the general walk then decides).
    ///
    /// Measured from the first segment's start (`origin`), the segments' starts and ends
    /// rise and stay below 2^31, so the wrapping comparisons of the general walk become plain
    /// ones on these offsets as long as the ACK's offset `a` is within them too: a segment
    /// is covered (removed) when its end is at most `a`, and the first one not covered is
    /// cut to start at the ACK when it starts before `a`; the ones after it start at or after
    /// its end, beyond `a`, and are left as they are. An ACK beyond the last end covers all
    /// of them when it is less than 2^31 past the first end (then also past every other).
    fn acknowledge_in_order(&mut self, ack: u32, ts: Timestamp) -> Option<Option<(u64, i64)>> {
        let (head, tail) = (self.unacked.first()?, self.unacked.last()?);
        let origin = head.seq;
        let a = ack.wrapping_sub(origin);
        if a > tail.nextseq.wrapping_sub(origin) {
            if ack.wrapping_sub(head.nextseq) >= HALF {
                return None;
            }
            self.unacked.clear();
            self.span = None;
            return Some(None);
        }
        let mut acked = None;
        let mut covered = 0;
        for u in &self.unacked {
            let end = u.nextseq.wrapping_sub(origin);
            if end > a {
                break;
            }
            if end == a && acked.is_none() {
                acked = Some((u.frame, delta_nanos(ts, u.ts)));
            }
            covered += 1;
        }
        if covered > 0 {
            self.unacked.drain(..covered);
        }
        let base = self.base_seq.unwrap_or(0);
        self.span = match self.unacked.first_mut() {
            None => None,
            Some(first) => {
                if first.seq.wrapping_sub(origin) < a {
                    first.seq = ack;
                }
                let first = first.seq.wrapping_sub(base);
                let last = self
                    .unacked
                    .last()
                    .map_or(0, |u| u.nextseq.wrapping_sub(base));
                // Relative to the base the offsets rise too unless they wrap past 2^32
                // (then the span is worked out again when needed).
                (first <= last).then_some((base, first, last))
            }
        };
        Some(acked)
    }

    /// Whether an ACK may take the in-order path.
    #[cfg(test)]
    pub(super) fn in_order(&self) -> bool {
        self.in_order
    }

    /// Whether the unacknowledged segments lie in order (see [`in_order_after`]).
    fn lies_in_order(&self) -> bool {
        let Some(head) = self.unacked.first() else {
            return true;
        };
        let mut end = 0;
        for u in &self.unacked {
            if !in_order_after(head.seq, end, u) {
                return false;
            }
            end = u.nextseq.wrapping_sub(head.seq);
        }
        true
    }

    /// Bytes in flight over the unacknowledged segments, relative to the base sequence
    /// number: from the lowest start to the highest end, compared as relative numbers.
    pub(super) fn unacked_span(&mut self) -> Option<u32> {
        let base = self.base_seq.unwrap_or(0);
        if self.unacked.is_empty() {
            return None;
        }
        if let Some((b, first, last)) = self.span
            && b == base
        {
            return Some(last.wrapping_sub(first));
        }
        let (mut first, mut last) = (u32::MAX, 0);
        for u in &self.unacked {
            last = last.max(u.nextseq.wrapping_sub(base));
            first = first.min(u.seq.wrapping_sub(base));
        }
        self.span = Some((base, first, last));
        Some(last.wrapping_sub(first))
    }
}

/// Half the sequence-number space: how far apart two numbers compare as they come.
const HALF: u32 = 1 << 31;

/// Whether segment `u` keeps a list in order that starts at `origin` and whose segments end
/// at most `end` bytes from it: measured from `origin`, `u` starts at or after `end`, ends
/// at or after its start, and ends less than 2^31 bytes on.
fn in_order_after(origin: u32, end: u32, u: &Unacked) -> bool {
    let (start, stop) = (u.seq.wrapping_sub(origin), u.nextseq.wrapping_sub(origin));
    start >= end && stop >= start && stop < HALF
}

/// Nanoseconds from `earlier` to `later`, saturated to `i64`.
pub(super) fn delta_nanos(later: Timestamp, earlier: Timestamp) -> i64 {
    let d = later.nanos_since(earlier);
    d.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

/// True for Wireshark's zero time (the "not set" marker of its timestamps).
pub(super) fn is_zero(ts: Timestamp) -> bool {
    ts.secs == 0 && ts.nanos == 0
}

/// `a > b` in sequence space.
pub(super) fn seq_gt(a: u32, b: u32) -> bool {
    (b.wrapping_sub(a) as i32) < 0
}

/// `a < b` in sequence space.
pub(super) fn seq_lt(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) < 0
}

/// `a <= b` in sequence space.
pub(super) fn seq_le(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) <= 0
}

/// What an ACK up to `ack` at `ts` does to one unacknowledged segment in the general walk:
/// whether it stays (cut to start at `ack` when it covers it in part); the first segment
/// ending exactly at `ack` is noted in `acked` (its frame, and the time since it).
pub(super) fn settle(
    u: &mut Unacked,
    ack: u32,
    ts: Timestamp,
    acked: &mut Option<(u64, i64)>,
) -> bool {
    if ack == u.nextseq {
        acked.get_or_insert((u.frame, delta_nanos(ts, u.ts)));
        false
    } else if seq_gt(ack, u.seq) && seq_le(ack, u.nextseq) {
        u.seq = ack;
        true
    } else {
        seq_gt(u.nextseq, ack)
    }
}
