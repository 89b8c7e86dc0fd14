//! What a connection's summary tells of its analysis: how many segments of each finding, and
//! the round trips of the ACKs (minimum, median, maximum) in bounded memory.

use crate::analysis::Finding;
use crate::flow::conversation::AnalysisSummary;
use crate::flow::expert::ExpertOut;

/// ACK round trips kept exactly; past this many the median is estimated from a sample.
pub(super) const RTT_SAMPLES: usize = 512;

/// Round trips kept in the connection itself: all of most connections', so that their
/// median, worked out when the connection ends, reads no memory of its own (which is cold
/// by then).
const INLINE_RTTS: usize = 8;

/// Counts and round-trip samples of one connection.
#[derive(Debug, Default)]
pub(super) struct ConnStats {
    summary: AnalysisSummary,
    /// The first round trips kept; the others are in `rtts`.
    first_rtts: [i64; INLINE_RTTS],
    rtts: Vec<i64>,
    rtt_count: u64,
    /// State of the sampling generator (deterministic: the same capture gives the same
    /// estimate).
    rng: u64,
}

impl ConnStats {
    /// Counts a segment's findings and its ACK round trip.
    pub(super) fn record(&mut self, out: &ExpertOut, _ack: bool) {
        let f = out.findings;
        if f.is_empty() {
            // Most segments: nothing to count but the round trip.
            if let Some(rtt) = out.ack_rtt_nanos {
                self.rtt(rtt);
            }
            return;
        }
        let s = &mut self.summary;
        if f.contains(Finding::Retransmission)
            || f.contains(Finding::FastRetransmission)
            || f.contains(Finding::SpuriousRetransmission)
        {
            s.retransmissions += 1;
        }
        s.fast_retransmissions += u64::from(f.contains(Finding::FastRetransmission));
        s.spurious_retransmissions += u64::from(f.contains(Finding::SpuriousRetransmission));
        s.out_of_order += u64::from(f.contains(Finding::OutOfOrder));
        s.duplicate_acks += u64::from(f.contains(Finding::DuplicateAck));
        s.lost_segments += u64::from(f.contains(Finding::LostSegment));
        s.zero_windows += u64::from(f.contains(Finding::ZeroWindow));
        if let Some(rtt) = out.ack_rtt_nanos {
            self.rtt(rtt);
        }
    }

    fn rtt(&mut self, rtt: i64) {
        let s = &mut self.summary;
        s.ack_rtt_min = Some(s.ack_rtt_min.map_or(rtt, |m| m.min(rtt)));
        s.ack_rtt_max = Some(s.ack_rtt_max.map_or(rtt, |m| m.max(rtt)));
        let kept = self.kept_rtts();
        self.rtt_count += 1;
        if kept < RTT_SAMPLES {
            match self.first_rtts.get_mut(kept) {
                Some(first) => *first = rtt,
                None => {
                    if self.rtts.capacity() == 0 {
                        // Room for a medium connection's round trips at once.
                        self.rtts.reserve_exact(16);
                    }
                    self.rtts.push(rtt);
                }
            }
            return;
        }
        // Reservoir sampling: the i-th value replaces a kept one with probability n / i.
        self.rng = self.rng.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        let slot = (z % self.rtt_count) as usize;
        let kept = match slot.checked_sub(INLINE_RTTS) {
            None => self.first_rtts.get_mut(slot),
            Some(later) => self.rtts.get_mut(later),
        };
        if let Some(kept) = kept {
            *kept = rtt;
        }
    }

    /// Round trips kept: all of them up to [`RTT_SAMPLES`].
    fn kept_rtts(&self) -> usize {
        usize::try_from(self.rtt_count).map_or(RTT_SAMPLES, |n| n.min(RTT_SAMPLES))
    }

    /// The storage of the round-trip sample, emptied, for another connection.
    pub(super) fn take_storage(&mut self) -> Vec<i64> {
        let mut rtts = std::mem::take(&mut self.rtts);
        rtts.clear();
        rtts
    }

    /// Uses `rtts` as the storage of the round-trip sample, when it has none yet.
    pub(super) fn reuse_storage(&mut self, mut rtts: Vec<i64>) {
        if self.rtts.capacity() == 0 {
            rtts.clear();
            self.rtts = rtts;
        }
    }

    /// The summary, with the median of the ACK round trips.
    pub(super) fn summary(&self) -> AnalysisSummary {
        let mut summary = self.summary;
        let n = self.kept_rtts();
        if n > 0 {
            // The sample keeps its order (later round trips replace kept ones by index): the
            // median is chosen in a copy, on the stack (a few round trips in most cases).
            let mut few = [0i64; 32];
            let mut all;
            let sample: &mut [i64] = if n <= few.len() {
                &mut few[..n]
            } else {
                all = [0i64; RTT_SAMPLES];
                &mut all[..n]
            };
            let (first, later) = sample.split_at_mut(n.min(INLINE_RTTS));
            first.copy_from_slice(&self.first_rtts[..first.len()]);
            later.copy_from_slice(&self.rtts[..later.len()]);
            let middle = sample.len() / 2;
            let (_, median, _) = sample.select_nth_unstable(middle);
            summary.ack_rtt_median = Some(*median);
            summary.ack_rtt_count = self.rtt_count;
        }
        summary
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_is_exact_for_few_samples_and_bounded_for_many() {
        let mut stats = ConnStats::default();
        let out = |rtt| ExpertOut {
            ack_rtt_nanos: Some(rtt),
            ..ExpertOut::default()
        };
        for rtt in [5, 1, 9] {
            stats.record(&out(rtt), true);
        }
        let s = stats.summary();
        assert_eq!(
            (s.ack_rtt_min, s.ack_rtt_median, s.ack_rtt_max),
            (Some(1), Some(5), Some(9))
        );
        for i in 0..100_000 {
            stats.record(&out(1000 + i % 1000), true);
        }
        assert_eq!(stats.rtts.len(), RTT_SAMPLES - INLINE_RTTS);
        let median = stats.summary().ack_rtt_median.unwrap();
        assert!((1400..1600).contains(&median), "{median}");
        assert_eq!(stats.summary().ack_rtt_count, 100_003);
    }
}
