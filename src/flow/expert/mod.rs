//! TCP sequence analysis that agrees with Wireshark 4.0's TCP dissector: its expert findings
//! (retransmissions, out-of-order, lost segments, duplicate ACKs, window and keep-alive
//! findings), which segment an ACK acknowledges and after how long, the initial RTT and bytes
//! in flight.
//!
//! Pure: it only sees [`SegmentIn`] values, in capture order, one [`StreamExpert`] per TCP
//! conversation. The common case allocates nothing: the only growing structure is the list
//! of unacknowledged segments of each direction, a vector that keeps its capacity and is
//! bounded (see [`StreamExpert::with_unacked_limit`]).
//!
//! # Wireshark's defaults this follows
//! tshark 4.0 with its default preferences: `tcp.analyze_sequence_numbers: TRUE`,
//! `tcp.relative_sequence_numbers: TRUE`, `tcp.track_bytes_in_flight: TRUE`,
//! `tcp.bif_seq_based: FALSE` (bytes in flight from the captured segments, not from sequence
//! numbers), `tcp.fastrt_supersedes_ooo: TRUE` (a segment that qualifies as both is a fast
//! retransmission), `tcp.default_window_scaling: Not known` and
//! `tcp.calculate_timestamps: TRUE` (which only adds per-stream time fields, none of which
//! this module needs).
//!
//! # What Wireshark computes, per segment, in this order
//! 1. **Port reuse.** A SYN without ACK whose sequence number differs from the base sequence
//!    number already known for its direction starts a new conversation, flagged
//!    `reused_ports` ([`StreamExpert::starts_new_conversation`] tells the tracker). A SYN
//!    with the *same* number is a retransmitted SYN: the direction's highest sequence number
//!    is reset to the highest one seen without a hole, so a RST sent in between does not
//!    make the SYN look like anything but a retransmission. A SYN/ACK whose sequence number
//!    differs from its direction's base moves the base there and is flagged `reused_ports`.
//! 2. **Sequence analysis**, only for segments whose length is known (not IP fragments, not
//!    a header longer than the IP payload). The first segment of a direction sets its base
//!    (the SYN's number, else one less than the segment's); the first ACK in the other
//!    direction sets the base of this one. Then, each test on this segment's raw numbers:
//!    - `zero_window_probe`: exactly 1 byte, at the next expected sequence number, while the
//!      peer's last window was 0. It skips the tests up to the duplicate ACK.
//!    - `zero_window`: window 0 on a segment without SYN, FIN or RST.
//!    - `lost_segment`: the segment starts beyond the highest next sequence number seen in
//!      its direction (not for RST). It suspends bytes in flight until the peer ACKs.
//!    - `keep_alive`: 0 or 1 byte, starting one byte before the next expected sequence
//!      number, no SYN/FIN/RST.
//!    - `window_update`: no data, a nonzero window different from the last one, same seq
//!      (the next expected one) and same ACK as this direction's previous segment.
//!    - `window_full`: data that ends exactly at the peer's last ACK plus its last window,
//!      scaled by its shift (unscaled while the peer has not yet sent an ACK after its SYN),
//!      only when the peer's scaling is known.
//!    - `keep_alive_ack`: no data, same nonzero window, seq and ACK as before, and the peer's
//!      last segment was a keep-alive. `zero_window_probe_ack`: the same with window 0 after a
//!      zero-window probe. Either one skips the duplicate-ACK test.
//!    - `duplicate_ack`: no data, same nonzero window, seq and ACK as before, no
//!      SYN/FIN/RST. The counter increments (#n) and the frame it duplicates is the last one
//!      that changed the ACK number. Any segment whose ACK field differs from the previous
//!      one resets the counter and becomes that frame; nothing else resets it. (MPTCP: see
//!      below.)
//!    - `ack_lost_segment`: the ACK (flag set) goes beyond all the data the peer sent without
//!      a hole. That limit then moves to the highest sequence number the peer sent, so a gap
//!      is reported once, but an ACK beyond anything the peer sent is reported every time.
//!    - For a segment with data, SYN or FIN (and not a keep-alive), in this precedence:
//!      `spurious_retransmission` when it ends at or before the peer's last ACK; then
//!      `fast_retransmission` when it does not advance the sequence, the peer sent at least
//!      two duplicate ACKs for exactly this sequence number, the last one less than 20 ms
//!      ago; then `out_of_order` when it does not advance the sequence, came less than the
//!      initial RTT (3 ms when unknown) after the segment with the highest sequence number
//!      and does not end exactly there; otherwise `retransmission` when it does not advance
//!      the sequence. A segment of 2 bytes or more starting one byte before the next
//!      expected number counts as advancing.
//!    - The segment joins its direction's unacknowledged list (data, SYN or FIN; SYN and FIN
//!      count one byte). Its ACK removes the peer's segments it covers; the oldest segment
//!      whose end equals the ACK exactly is `acks_frame`, and `ack_rtt` is the time since it.
//!    - `bytes_in_flight`, on segments with data: from the lowest start to the highest end of
//!      this direction's unacknowledged segments, minus the bytes in the first three SACK
//!      blocks of the peer's last segment, minus one for SYN/FIN; shown when between 1 and
//!      2e9.
//! 3. **Initial RTT**: the time from the most recent SYN (without ACK) to the first segment
//!    with ACK and without SYN, in either direction.
//! 4. **Options**: a window-scale option sets its direction's shift (capped at 14); SACK
//!    blocks are kept for bytes in flight. After a SYN (or SYN/ACK) the handshake decides
//!    whether scaling is used at all.
//!
//! In a Multipath TCP subflow, Wireshark does not count a duplicate ACK when the set of MPTCP
//! option subtypes seen in the connection grew since the sender's previous segment. It shares
//! that set between the subflows of one MPTCP connection; this module keeps it per subflow.
//! Also not reproduced: Wireshark computes time differences on the file's raw timestamps even
//! when their sub-second part is out of range (this module gets normalised timestamps).
//!
//! Wireshark shows these fields only when the segment has any of them (a finding, an
//! acknowledged frame, bytes in flight considered, an ACK of unseen data); the initial RTT
//! is shown on every such segment once known. When the capture cut the TCP options,
//! Wireshark stops dissecting the segment before it shows any analysis: so does this module
//! (the state is still updated).

mod analyze;
mod state;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_acks;
#[cfg(test)]
mod tests_stream;
#[cfg(test)]
mod tests_window;

pub use crate::analysis::{Finding, Findings};

use crate::capture::Timestamp;
use state::Flow;

/// Wireshark's bound on the unacknowledged segments it keeps per direction.
pub const WIRESHARK_UNACKED_LIMIT: usize = 10_000;

/// Unacknowledged segments per direction whose storage is kept for another conversation.
const KEPT_STORAGE: usize = 256;

/// Emptied storage of a conversation's lists, for another one (see
/// [`StreamExpert::take_storage`]).
#[derive(Debug, Default)]
pub(crate) struct ExpertStorage {
    unacked: [Vec<state::Unacked>; 2],
}

/// One TCP segment as the analysis needs it: raw header values and the options that matter.
#[derive(Debug, Clone, Copy, Default)]
pub struct SegmentIn<'a> {
    /// Frame number (1-based).
    pub frame: u64,
    /// Capture timestamp.
    pub ts: Timestamp,
    /// Raw sequence number.
    pub seq: u32,
    /// Raw acknowledgment number (used as is, even when the ACK flag is clear, like Wireshark).
    pub ack: u32,
    /// The 12-bit flags field.
    pub flags: u16,
    /// Raw (unscaled) window field.
    pub window: u16,
    /// Segment length (payload bytes on the wire, from the IP length); `None` when it cannot
    /// be known: an IP fragment, or a TCP header longer than the IP payload. Such segments
    /// are not analyzed, as in Wireshark.
    pub len: Option<u32>,
    /// Shift of a window-scale option carried by this segment (any segment, not only SYNs).
    pub window_scale: Option<u8>,
    /// SACK blocks carried by this segment (raw left and right edges).
    pub sack: &'a [(u32, u32)],
    /// Multipath TCP options carried by this segment: `None` without any, else a set with bit
    /// `n` for each option of subtype `n` (0 MP_CAPABLE .. 7 MP_FASTCLOSE; other subtypes add
    /// no bit). A conversation with an MPTCP option is an MPTCP subflow for Wireshark.
    pub mptcp: Option<u8>,
    /// False when the capture cut the TCP options short: Wireshark then stops before showing
    /// any analysis for the segment and before checking the handshake's window scaling.
    pub options_complete: bool,
}

/// What the analysis shows for one segment (Wireshark's `tcp.analysis` tree).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ExpertOut {
    /// The findings (`tcp.analysis.flags`).
    pub findings: Findings,
    /// For a duplicate ACK: its number (#n) and the frame it duplicates.
    pub dup_ack: Option<(u32, u64)>,
    /// The frame of the segment this ACK acknowledges (`tcp.analysis.acks_frame`).
    pub acks_frame: Option<u64>,
    /// Time since that segment (`tcp.analysis.ack_rtt`); negative when the capture's
    /// timestamps go backwards. Not shown by Wireshark when exactly zero.
    pub ack_rtt_nanos: Option<i64>,
    /// Handshake RTT: most recent SYN to the first ACK (`tcp.analysis.initial_rtt`).
    pub initial_rtt_nanos: Option<i64>,
    /// Bytes sent and not yet acknowledged in this direction (`tcp.analysis.bytes_in_flight`).
    pub bytes_in_flight: Option<u32>,
    /// Bytes sent since the last PSH flag (`tcp.analysis.push_bytes_sent`), shown with
    /// bytes in flight.
    pub push_bytes_sent: Option<u32>,
}

impl ExpertOut {
    /// True when Wireshark would show no analysis for the segment.
    pub fn is_empty(&self) -> bool {
        *self == ExpertOut::default()
    }
}

/// The analysis state of one TCP conversation: both directions.
#[derive(Debug, Clone)]
pub struct StreamExpert {
    flows: [Flow; 2],
    /// Time of the most recent SYN without ACK (zero: none).
    mru_syn: Timestamp,
    /// Initial RTT in nanoseconds (zero: not known).
    first_rtt: i64,
    /// The next segment starts a conversation on a reused 4-tuple.
    pending_reuse: bool,
    /// For an MPTCP subflow: the MPTCP option subtypes seen so far.
    mptcp_ops: Option<u8>,
    unacked_limit: usize,
}

impl Default for StreamExpert {
    fn default() -> Self {
        StreamExpert::new()
    }
}

impl StreamExpert {
    /// A conversation with nothing seen yet, keeping as many unacknowledged segments per
    /// direction as Wireshark does ([`WIRESHARK_UNACKED_LIMIT`]).
    pub fn new() -> StreamExpert {
        StreamExpert::with_unacked_limit(WIRESHARK_UNACKED_LIMIT)
    }

    /// A conversation that keeps at most `limit` unacknowledged segments per direction
    /// (about 32 bytes each). Wireshark keeps 10 000; a lower limit saves memory when one
    /// direction is not captured, and changes results only while more than `limit` segments
    /// are unacknowledged at once: later segments are then not tracked for `acks_frame`,
    /// `ack_rtt` and bytes in flight, and a FIN or SYN not stored does not count its byte.
    pub fn with_unacked_limit(limit: usize) -> StreamExpert {
        StreamExpert {
            flows: [Flow::new(), Flow::new()],
            mru_syn: Timestamp::default(),
            first_rtt: 0,
            pending_reuse: false,
            mptcp_ops: None,
            unacked_limit: limit,
        }
    }

    /// The conversation started by a SYN that reuses the 4-tuple of an earlier one (see
    /// [`StreamExpert::starts_new_conversation`]): its first segment is flagged
    /// `reused_ports`.
    pub fn after_port_reuse() -> StreamExpert {
        let mut s = StreamExpert::new();
        s.pending_reuse = true;
        s
    }

    /// Whether Wireshark starts a new conversation (a new `tcp.stream`) with this segment
    /// from direction `dir`: a SYN without ACK whose sequence number differs from the base
    /// sequence number already known for that direction. A SYN/ACK never does, nor does a SYN
    /// repeating the base (a retransmission). The tracker should then number a new stream and
    /// analyze the segment with [`StreamExpert::after_port_reuse`]. (Given to this state
    /// instead, [`StreamExpert::analyze`] resets it and flags `reused_ports` the same way.)
    pub fn starts_new_conversation(&self, dir: usize, flags: u16, seq: u32) -> bool {
        use crate::decode::tcp::flags::{ACK, SYN};
        flags & (SYN | ACK) == SYN && self.flows[dir.min(1)].base_seq.is_some_and(|b| b != seq)
    }

    /// Each direction's base sequence number, which [`StreamExpert::starts_new_conversation`]
    /// compares a SYN with.
    pub fn base_seqs(&self) -> [Option<u32>; 2] {
        [self.flows[0].base_seq, self.flows[1].base_seq]
    }

    /// A conversation that comes back after its state was dropped: only the base sequence
    /// numbers are known again; the rest of the analysis starts afresh.
    pub fn with_bases(bases: [Option<u32>; 2]) -> StreamExpert {
        let mut s = StreamExpert::new();
        s.flows[0].base_seq = bases[0];
        s.flows[1].base_seq = bases[1];
        s
    }

    /// The storage of its lists of unacknowledged segments, emptied, for another
    /// conversation to reuse (see [`StreamExpert::reuse_storage`]). Lists grown past
    /// [`KEPT_STORAGE`] segments are let go, so that kept storage stays small.
    pub(crate) fn take_storage(&mut self) -> ExpertStorage {
        ExpertStorage {
            unacked: self.flows.each_mut().map(|f| {
                let mut list = std::mem::take(&mut f.unacked);
                if list.capacity() > KEPT_STORAGE {
                    return Vec::new();
                }
                list.clear();
                list
            }),
        }
    }

    /// Uses `storage` for the lists of unacknowledged segments that have none yet (a new
    /// conversation, whose lists are empty): what they hold is unchanged.
    pub(crate) fn reuse_storage(&mut self, storage: ExpertStorage) {
        for (flow, list) in self.flows.iter_mut().zip(storage.unacked) {
            if flow.unacked.capacity() == 0 {
                flow.reuse_unacked(list);
            }
        }
    }

    /// The initial RTT of the conversation once known, in nanoseconds.
    pub fn initial_rtt_nanos(&self) -> Option<i64> {
        (self.first_rtt != 0).then_some(self.first_rtt)
    }
}
