//! The set of sequence-analysis findings of one segment: a 16-bit set, copied by value.

use std::fmt;

/// One TCP analysis finding, named after Wireshark's `tcp.analysis.*` expert fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u16)]
pub enum Finding {
    /// A segment that starts a new conversation on a 4-tuple already used in the capture.
    ReusedPorts = 1 << 0,
    /// Data (or SYN/FIN) sent again, not explained by a fast retransmission or reordering.
    Retransmission = 1 << 1,
    /// A retransmission of the segment the receiver asked for with two or more duplicate ACKs,
    /// less than 20 ms after the last of them.
    FastRetransmission = 1 << 2,
    /// A retransmission of data the receiver had already acknowledged.
    SpuriousRetransmission = 1 << 3,
    /// An older segment seen shortly after a newer one: reordered, not resent.
    OutOfOrder = 1 << 4,
    /// The segment starts beyond the end of everything seen before in its direction.
    LostSegment = 1 << 5,
    /// The ACK covers data never seen in the other direction.
    AckLostSegment = 1 << 6,
    /// The segment fills the receiver's advertised window to its edge.
    WindowFull = 1 << 7,
    /// A pure ACK whose only change is a new (nonzero) window.
    WindowUpdate = 1 << 8,
    /// A probe one byte behind the next sequence number, with at most one byte of data.
    KeepAlive = 1 << 9,
    /// The unchanged ACK that answers a keep-alive.
    KeepAliveAck = 1 << 10,
    /// A pure ACK repeating the previous one (same seq, ack and nonzero window).
    DuplicateAck = 1 << 11,
    /// The advertised window is zero.
    ZeroWindow = 1 << 12,
    /// One byte at the next sequence number while the peer's window is zero.
    ZeroWindowProbe = 1 << 13,
    /// The unchanged zero-window ACK that answers a zero-window probe.
    ZeroWindowProbeAck = 1 << 14,
}

impl Finding {
    /// Every finding, in the order Wireshark prints them.
    pub const ALL: [Finding; 15] = [
        Finding::ReusedPorts,
        Finding::Retransmission,
        Finding::FastRetransmission,
        Finding::SpuriousRetransmission,
        Finding::OutOfOrder,
        Finding::LostSegment,
        Finding::AckLostSegment,
        Finding::WindowUpdate,
        Finding::WindowFull,
        Finding::KeepAlive,
        Finding::KeepAliveAck,
        Finding::DuplicateAck,
        Finding::ZeroWindowProbe,
        Finding::ZeroWindow,
        Finding::ZeroWindowProbeAck,
    ];

    /// Wireshark's field name (`tcp.analysis.retransmission`, ...).
    pub fn wireshark_name(self) -> &'static str {
        match self {
            Finding::ReusedPorts => "tcp.analysis.reused_ports",
            Finding::Retransmission => "tcp.analysis.retransmission",
            Finding::FastRetransmission => "tcp.analysis.fast_retransmission",
            Finding::SpuriousRetransmission => "tcp.analysis.spurious_retransmission",
            Finding::OutOfOrder => "tcp.analysis.out_of_order",
            Finding::LostSegment => "tcp.analysis.lost_segment",
            Finding::AckLostSegment => "tcp.analysis.ack_lost_segment",
            Finding::WindowFull => "tcp.analysis.window_full",
            Finding::WindowUpdate => "tcp.analysis.window_update",
            Finding::KeepAlive => "tcp.analysis.keep_alive",
            Finding::KeepAliveAck => "tcp.analysis.keep_alive_ack",
            Finding::DuplicateAck => "tcp.analysis.duplicate_ack",
            Finding::ZeroWindow => "tcp.analysis.zero_window",
            Finding::ZeroWindowProbe => "tcp.analysis.zero_window_probe",
            Finding::ZeroWindowProbeAck => "tcp.analysis.zero_window_probe_ack",
        }
    }

    /// The label Wireshark puts in the Info column ("TCP Dup ACK" is shown with its number),
    /// for cross-checking in Wireshark.
    pub fn wireshark_label(self) -> &'static str {
        match self {
            Finding::ReusedPorts => "TCP Port numbers reused",
            Finding::Retransmission => "TCP Retransmission",
            Finding::FastRetransmission => "TCP Fast Retransmission",
            Finding::SpuriousRetransmission => "TCP Spurious Retransmission",
            Finding::OutOfOrder => "TCP Out-Of-Order",
            Finding::LostSegment => "TCP Previous segment not captured",
            Finding::AckLostSegment => "TCP ACKed unseen segment",
            Finding::WindowFull => "TCP Window Full",
            Finding::WindowUpdate => "TCP Window Update",
            Finding::KeepAlive => "TCP Keep-Alive",
            Finding::KeepAliveAck => "TCP Keep-Alive ACK",
            Finding::DuplicateAck => "TCP Dup ACK",
            Finding::ZeroWindow => "TCP ZeroWindow",
            Finding::ZeroWindowProbe => "TCP ZeroWindowProbe",
            Finding::ZeroWindowProbeAck => "TCP ZeroWindowProbeAck",
        }
    }
}

/// A set of [`Finding`]s.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Findings(u16);

impl Findings {
    /// The empty set.
    pub const EMPTY: Findings = Findings(0);

    /// True when nothing was found.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// True when `f` is in the set.
    pub fn contains(self, f: Finding) -> bool {
        self.0 & f as u16 != 0
    }

    /// Adds `f`.
    pub fn insert(&mut self, f: Finding) {
        self.0 |= f as u16;
    }

    /// The findings in the set, in Wireshark's order.
    pub fn iter(self) -> impl Iterator<Item = Finding> {
        Finding::ALL.into_iter().filter(move |f| self.contains(*f))
    }

    /// The `tcp.analysis.*` flag fields tshark shows for this set. They differ from
    /// [`Findings::iter`] in one way: Wireshark also raises the plain retransmission expert
    /// info on fast and spurious retransmissions, so `tcp.analysis.retransmission` is present
    /// on those too.
    pub fn wireshark_fields(self) -> impl Iterator<Item = &'static str> {
        let mut shown = self;
        if self.contains(Finding::FastRetransmission)
            || self.contains(Finding::SpuriousRetransmission)
        {
            shown.insert(Finding::Retransmission);
        }
        shown.iter().map(Finding::wireshark_name)
    }
}

impl fmt::Debug for Findings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl FromIterator<Finding> for Findings {
    fn from_iter<I: IntoIterator<Item = Finding>>(iter: I) -> Findings {
        let mut set = Findings::EMPTY;
        for f in iter {
            set.insert(f);
        }
        set
    }
}
