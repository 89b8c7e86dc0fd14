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
    /// [`Flow::push_unacked`] and [`Flow::acknowledge`], which keep `span` right.
    pub(super) unacked: Vec<Unacked>,
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
        self.unacked.push(u);
    }

    /// The peer acknowledged up to `ack` at `ts`: the segments it covers leave the list, one
    /// it covers in part starts there. Returns the oldest segment ending exactly at `ack`
    /// (its frame, and the time since it).
    pub(super) fn acknowledge(&mut self, ack: u32, ts: Timestamp) -> Option<(u64, i64)> {
        let base = self.base_seq.unwrap_or(0);
        let (mut first, mut last) = (u32::MAX, 0);
        let mut acked = None;
        self.unacked.retain_mut(|u| {
            let keep = if ack == u.nextseq {
                acked.get_or_insert((u.frame, delta_nanos(ts, u.ts)));
                false
            } else if seq_gt(ack, u.seq) && seq_le(ack, u.nextseq) {
                u.seq = ack;
                true
            } else {
                seq_gt(u.nextseq, ack)
            };
            if keep {
                first = first.min(u.seq.wrapping_sub(base));
                last = last.max(u.nextseq.wrapping_sub(base));
            }
            keep
        });
        self.span = (!self.unacked.is_empty()).then_some((base, first, last));
        acked
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
