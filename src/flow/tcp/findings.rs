//! The findings of a segment, computed by the Wireshark-equivalent engine
//! ([`crate::flow::expert`]), and the few facts the event needs besides them.

use super::{Control, TcpConn};
use crate::capture::Frame;
use crate::decode::TcpInfo;
use crate::flow::Observation;
use crate::flow::expert::{ExpertOut, SegmentIn};
use crate::flow::seq::SeqNum;

/// What the event needs from the analysis of one segment (without details, the engine's
/// output and the peer's duplicate ACKs only).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Analyzed {
    /// The engine's output.
    pub(super) expert: ExpertOut,
    /// How far the acknowledgment advanced (`u32::MAX` for this side's first ACK).
    pub(super) advanced_ack: Option<u32>,
    /// For an out-of-order segment: the frame that overtook it.
    pub(super) overtaken_by: Option<u64>,
    /// Duplicate ACKs the peer had sent for the data this segment carries.
    pub(super) peer_dup_acks: u32,
}

impl TcpConn {
    /// Runs the sequence analysis on a segment from endpoint `d`; `seglen` is None when the
    /// segment's length cannot be known (a fragment, a header longer than the IP payload);
    /// `details`: work out what only the event needs too (see [`Analyzed`]).
    #[expect(
        clippy::too_many_arguments,
        reason = "the segment's parts, as the caller has them"
    )]
    pub(super) fn analyze(
        &mut self,
        obs: &mut Observation,
        frame: &Frame,
        d: usize,
        t: &TcpInfo,
        seglen: Option<u32>,
        c: Control,
        details: bool,
    ) -> Analyzed {
        let r = 1 - d;
        let (seq, ack) = (SeqNum(t.seq), SeqNum(t.ack));
        let input = SegmentIn {
            frame: frame.index,
            ts: frame.ts,
            seq: t.seq,
            ack: t.ack,
            flags: t.flags,
            window: t.window,
            len: seglen,
            window_scale: t.window_scale(),
            sack: t.sack_blocks(),
            mptcp: t.mptcp,
            options_complete: t.header_complete,
        };
        let expert = self.expert.analyze(d, &input);
        obs.findings = expert.findings;
        let mut analyzed = Analyzed {
            expert,
            peer_dup_acks: self.halves[r].dup_acks,
            ..Analyzed::default()
        };
        let Some(seglen) = seglen else {
            return analyzed;
        };
        let half = &mut self.halves[d];
        if !details {
            // The states read the last acknowledgment; the rest is for the event only.
            if c.ack {
                half.last_ack = Some(ack);
            }
            return analyzed;
        }
        if c.ack {
            analyzed.advanced_ack = Some(match half.last_ack {
                Some(prev) if ack > prev => ack.since(prev),
                Some(_) => 0,
                None => u32::MAX,
            });
            half.last_ack = Some(ack);
        }
        half.last_win = Some(t.window);
        half.dup_acks = expert.dup_ack.map_or(0, |(n, _)| n);
        let end = seq + seglen + u32::from(c.syn) + u32::from(c.fin);
        match half.top {
            Some((top, frame_no)) if end <= top => analyzed.overtaken_by = Some(frame_no),
            _ => half.top = Some((end, frame.index)),
        }
        analyzed
    }
}
