//! The vocabulary of the analysis: phases of a conversation, TCP states with RFC 9293 names,
//! and the catalog of findings, named as Wireshark names them so they can be cross-checked.

mod findings;

use std::fmt;

pub use findings::{Finding, Findings};

/// The stage of a conversation a packet belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// SYN, SYN/ACK and the ACK that completes the three-way handshake.
    Handshake,
    /// Data, acknowledgments, keep-alives and window updates of an open connection.
    Data,
    /// FINs and the ACKs that answer them.
    Close,
    /// A RST: refused or aborted.
    Reset,
    /// A UDP datagram (UDP has no handshake and no close).
    Datagram,
    /// Anything that is not TCP or UDP: ARP, ICMP, other protocols.
    Other,
}

impl Phase {
    /// Lower-case name used in JSON and the timeline.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Handshake => "handshake",
            Phase::Data => "data",
            Phase::Close => "close",
            Phase::Reset => "reset",
            Phase::Datagram => "datagram",
            Phase::Other => "other",
        }
    }
}

/// A TCP endpoint's state as a passive observer infers it (RFC 9293 names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TcpState {
    /// Not inferable: the capture started mid-connection.
    Unknown,
    /// Waiting for a connection request.
    Listen,
    /// Sent a SYN, waiting for the SYN/ACK.
    SynSent,
    /// Received a SYN and answered with SYN/ACK.
    SynReceived,
    /// The connection is open.
    Established,
    /// Sent a FIN, waiting for its ACK.
    FinWait1,
    /// Own FIN acknowledged, waiting for the peer's FIN.
    FinWait2,
    /// Received the peer's FIN; may still send.
    CloseWait,
    /// Both sides sent FIN before either was acknowledged.
    Closing,
    /// Sent FIN after the peer's, waiting for the last ACK.
    LastAck,
    /// Waiting for old segments to expire after the close.
    TimeWait,
    /// No connection.
    Closed,
}

impl TcpState {
    /// Every state, in the order declared.
    pub const ALL: [TcpState; 12] = [
        TcpState::Unknown,
        TcpState::Listen,
        TcpState::SynSent,
        TcpState::SynReceived,
        TcpState::Established,
        TcpState::FinWait1,
        TcpState::FinWait2,
        TcpState::CloseWait,
        TcpState::Closing,
        TcpState::LastAck,
        TcpState::TimeWait,
        TcpState::Closed,
    ];

    /// The RFC 9293 name ("SYN-SENT", "TIME-WAIT", ...).
    pub fn as_str(self) -> &'static str {
        match self {
            TcpState::Unknown => "unknown",
            TcpState::Listen => "LISTEN",
            TcpState::SynSent => "SYN-SENT",
            TcpState::SynReceived => "SYN-RECEIVED",
            TcpState::Established => "ESTABLISHED",
            TcpState::FinWait1 => "FIN-WAIT-1",
            TcpState::FinWait2 => "FIN-WAIT-2",
            TcpState::CloseWait => "CLOSE-WAIT",
            TcpState::Closing => "CLOSING",
            TcpState::LastAck => "LAST-ACK",
            TcpState::TimeWait => "TIME-WAIT",
            TcpState::Closed => "CLOSED",
        }
    }
}

impl fmt::Display for TcpState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Zeek's `conn_state`: how a connection went, from the originator's (client's) view. The
/// codes are Zeek's; their meaning is in the views' legend.
#[allow(clippy::upper_case_acronyms)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConnState {
    /// Connection attempt seen, no reply.
    S0,
    /// Established, not terminated.
    S1,
    /// Normal establishment and termination.
    SF,
    /// Connection attempt rejected.
    REJ,
    /// Established; the originator closed, the responder did not.
    S2,
    /// Established; the responder closed, the originator did not.
    S3,
    /// Established; the originator aborted (sent a RST).
    RSTO,
    /// Established; the responder sent a RST.
    RSTR,
    /// The originator sent a SYN and then a RST; no SYN/ACK seen.
    RSTOS0,
    /// The responder sent a SYN/ACK and then a RST; no SYN seen.
    RSTRH,
    /// The originator sent a SYN and then a FIN; no SYN/ACK seen ("half-open").
    SH,
    /// The responder sent a SYN/ACK and then a FIN; no SYN seen.
    SHR,
    /// No SYN seen: midstream traffic.
    OTH,
}

impl ConnState {
    /// Every code, in Zeek's documentation order.
    pub const ALL: [ConnState; 13] = [
        ConnState::S0,
        ConnState::S1,
        ConnState::SF,
        ConnState::REJ,
        ConnState::S2,
        ConnState::S3,
        ConnState::RSTO,
        ConnState::RSTR,
        ConnState::RSTOS0,
        ConnState::RSTRH,
        ConnState::SH,
        ConnState::SHR,
        ConnState::OTH,
    ];

    /// Zeek's code ("SF", "REJ", ...).
    pub fn code(self) -> &'static str {
        match self {
            ConnState::S0 => "S0",
            ConnState::S1 => "S1",
            ConnState::SF => "SF",
            ConnState::REJ => "REJ",
            ConnState::S2 => "S2",
            ConnState::S3 => "S3",
            ConnState::RSTO => "RSTO",
            ConnState::RSTR => "RSTR",
            ConnState::RSTOS0 => "RSTOS0",
            ConnState::RSTRH => "RSTRH",
            ConnState::SH => "SH",
            ConnState::SHR => "SHR",
            ConnState::OTH => "OTH",
        }
    }
}

/// What a letter of Zeek's connection history records (upper case: the client did it,
/// lower case: the server).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HistoryKind {
    /// A SYN without ACK.
    Syn,
    /// A SYN with ACK.
    SynAck,
    /// A pure ACK.
    Ack,
    /// A packet with payload.
    Data,
    /// A FIN.
    Fin,
    /// A RST.
    Rst,
    /// A retransmission.
    Retransmission,
    /// A zero window.
    ZeroWindow,
    /// SYN and FIN in one packet.
    SynFin,
}

impl HistoryKind {
    /// Every kind.
    pub const ALL: [HistoryKind; 9] = [
        HistoryKind::Syn,
        HistoryKind::SynAck,
        HistoryKind::Ack,
        HistoryKind::Data,
        HistoryKind::Fin,
        HistoryKind::Rst,
        HistoryKind::Retransmission,
        HistoryKind::ZeroWindow,
        HistoryKind::SynFin,
    ];

    /// Zeek's letter, lower case.
    pub fn letter(self) -> char {
        match self {
            HistoryKind::Syn => 's',
            HistoryKind::SynAck => 'h',
            HistoryKind::Ack => 'a',
            HistoryKind::Data => 'd',
            HistoryKind::Fin => 'f',
            HistoryKind::Rst => 'r',
            HistoryKind::Retransmission => 't',
            HistoryKind::ZeroWindow => 'w',
            HistoryKind::SynFin => 'q',
        }
    }

    /// The kind a history letter records, either case.
    pub fn of_letter(letter: char) -> Option<HistoryKind> {
        let lower = letter.to_ascii_lowercase();
        HistoryKind::ALL.into_iter().find(|k| k.letter() == lower)
    }
}
