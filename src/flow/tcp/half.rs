//! What one direction of a TCP connection — one endpoint's sending half — has done.

use crate::flow::seq::SeqNum;

/// Window scaling of one direction.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) enum Scale {
    /// The handshake was not seen (or its options were cut).
    #[default]
    Unknown,
    /// The handshake did not agree on scaling.
    NoScaling,
    /// Windows from this side are shifted left by this much.
    Shift(u8),
}

/// One endpoint's sending half.
#[derive(Debug, Default)]
pub(super) struct Half {
    /// Wireshark's base sequence number for relative numbers.
    pub(super) base: Option<SeqNum>,
    /// Initial sequence number, from this side's SYN.
    pub(super) isn: Option<SeqNum>,
    /// The end of the highest segment sent so far (SYN and FIN count) and its frame.
    pub(super) top: Option<(SeqNum, u64)>,
    /// The duplicate-ACK count of this side's last segment.
    pub(super) dup_acks: u32,
    /// The last acknowledgment number this side sent.
    pub(super) last_ack: Option<SeqNum>,
    /// The last raw window this side advertised.
    pub(super) last_win: Option<u16>,
    /// The window-scale option of this side's SYN (outer None: no SYN seen).
    pub(super) syn_ws: Option<Option<u8>>,
    /// Window scaling of this side's windows.
    pub(super) scale: Scale,
    /// Sequence number of this side's FIN.
    pub(super) fin_seq: Option<SeqNum>,
    /// The peer acknowledged this side's FIN.
    pub(super) fin_acked: bool,
    /// This side sent a bare SYN.
    pub(super) sent_syn: bool,
    /// This side sent a SYN/ACK.
    pub(super) sent_synack: bool,
    /// This side sent a RST.
    pub(super) sent_rst: bool,
    /// Packets from this side.
    pub(super) packets: u64,
    /// Payload bytes from this side.
    pub(super) bytes: u64,
    /// Frame bytes on the wire from this side.
    pub(super) wire_bytes: u64,
    /// History letters already recorded for this side.
    pub(super) history_seen: u32,
}

impl Half {
    /// Whether `ack` acknowledges this side's FIN.
    pub(super) fn fin_covered_by(&self, ack: SeqNum) -> bool {
        self.fin_seq.is_some_and(|f| ack > f)
    }

    /// Whether `ack` acknowledges this side's SYN.
    pub(super) fn syn_covered_by(&self, ack: SeqNum) -> bool {
        self.isn.is_some_and(|i| ack > i)
    }
}
