//! The summary of a conversation: counts, times, round trips, how it closed.

use super::{Endpoint, Proto, RoleBasis};
use crate::analysis::{ConnState, TcpState};
use crate::time::Timestamp;

/// How a TCP connection ended, as seen in the capture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseKind {
    /// FIN, ACK, FIN, ACK.
    Fin4Way,
    /// FIN, FIN+ACK, ACK: the passive side's ACK rode on its FIN.
    Fin3Way,
    /// Both sides sent FIN before either was acknowledged.
    Simultaneous,
    /// One side closed its sending half while data kept flowing the other way, then both closed.
    HalfCloseThenClosed,
    /// One side sent FIN; the other had not closed when the capture ended.
    HalfClosed,
    /// Aborted by a RST after the connection was set up.
    Reset,
    /// A RST answered the SYN: nothing listened on the port.
    Refused,
    /// The SYN was never answered.
    Unanswered,
    /// No FIN or RST seen: still open when the capture ended.
    Open,
    /// UDP has no close.
    NotApplicable,
}

impl CloseKind {
    /// JSON name.
    pub fn as_str(self) -> &'static str {
        match self {
            CloseKind::Fin4Way => "fin-4way",
            CloseKind::Fin3Way => "fin-3way",
            CloseKind::Simultaneous => "fin-simultaneous",
            CloseKind::HalfCloseThenClosed => "half-close",
            CloseKind::HalfClosed => "half-closed",
            CloseKind::Reset => "reset",
            CloseKind::Refused => "refused",
            CloseKind::Unanswered => "unanswered",
            CloseKind::Open => "open",
            CloseKind::NotApplicable => "none",
        }
    }
}

/// Why a conversation's summary was handed over: it left the tracker, or the capture ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Retired {
    /// Still followed (a summary asked for while the capture goes on).
    #[default]
    No,
    /// Closed or reset, then quiet for the close delay.
    Closed,
    /// Quiet past its timeout (an unanswered SYN's is short).
    Idle,
    /// A new connection reused its endpoints (a SYN with a new sequence number).
    Reused,
    /// Pushed out by the cap on conversations followed at once, the one idle longest.
    Evicted,
    /// Still followed when the capture ended.
    CaptureEnd,
}

impl Retired {
    /// JSON name.
    pub fn as_str(self) -> &'static str {
        match self {
            Retired::No => "no",
            Retired::Closed => "closed",
            Retired::Idle => "idle",
            Retired::Reused => "reused",
            Retired::Evicted => "evicted",
            Retired::CaptureEnd => "end",
        }
    }
}

/// What the sequence analysis found in a TCP connection, for its summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AnalysisSummary {
    /// Segments sent again (fast and spurious ones included; out-of-order ones not).
    pub retransmissions: u64,
    /// Of which fast retransmissions.
    pub fast_retransmissions: u64,
    /// Of which spurious retransmissions.
    pub spurious_retransmissions: u64,
    /// Segments that arrived after later ones.
    pub out_of_order: u64,
    /// Duplicate ACKs.
    pub duplicate_acks: u64,
    /// Segments after a gap (the previous one was not captured).
    pub lost_segments: u64,
    /// Segments announcing a zero window.
    pub zero_windows: u64,
    /// Shortest ACK round trip, in nanoseconds.
    pub ack_rtt_min: Option<i64>,
    /// Median ACK round trip (exact up to 512 ACKs, estimated from a sample past that).
    pub ack_rtt_median: Option<i64>,
    /// Longest ACK round trip.
    pub ack_rtt_max: Option<i64>,
    /// ACKs with a round trip.
    pub ack_rtt_count: u64,
}

/// Per-conversation summary, available at any time (it reflects the packets seen so far).
#[derive(Debug, Clone, PartialEq)]
pub struct Conversation {
    /// TCP or UDP.
    pub proto: Proto,
    /// Stream index.
    pub stream: u32,
    /// Client endpoint.
    pub client: Endpoint,
    /// Server endpoint.
    pub server: Endpoint,
    /// How the roles were decided.
    pub basis: RoleBasis,
    /// Packets client→server and server→client.
    pub packets: [u64; 2],
    /// Payload bytes client→server and server→client.
    pub bytes: [u64; 2],
    /// Frame bytes on the wire client→server and server→client.
    pub wire_bytes: [u64; 2],
    /// First packet's timestamp.
    pub start: Timestamp,
    /// Last packet's timestamp.
    pub end: Timestamp,
    /// SYN → SYN/ACK, seconds.
    pub rtt_syn_synack: Option<f64>,
    /// SYN → the ACK completing the handshake, seconds (Wireshark's initial RTT).
    pub rtt_handshake: Option<f64>,
    /// How it closed.
    pub close: CloseKind,
    /// Zeek conn_state code.
    pub conn_state: ConnState,
    /// Zeek history letters (upper case: client, lower case: server).
    pub history: String,
    /// What the sequence analysis found (TCP only).
    pub analysis: Option<AnalysisSummary>,
    /// Final client and server TCP states.
    pub final_states: Option<(Option<TcpState>, Option<TcpState>)>,
    /// Why the summary was handed over.
    pub retired: Retired,
    /// The stream came back after an earlier summary of it was handed over (a packet came
    /// after it was retired): this one counts only the packets since.
    pub continued: bool,
}

impl Conversation {
    /// Duration in seconds.
    pub fn duration(&self) -> f64 {
        self.end.secs_since(self.start)
    }
}
