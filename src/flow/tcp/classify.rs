//! The event and the phase of a TCP segment, from facts the connection tracker established
//! before and after it.

use super::findings::Analyzed;
use crate::analysis::{Finding, Findings, Phase};
use crate::flow::event::{FinKind, ProbeAnswer, Resend, SynKind, TcpEvent};

/// What the event needs to know about a segment.
pub(super) struct EventFacts {
    pub(super) seglen: u32,
    pub(super) flags: (bool, bool, bool, bool),
    pub(super) first_syn: bool,
    pub(super) first_synack: bool,
    pub(super) peer_sent_syn: bool,
    pub(super) simultaneous_open: bool,
    pub(super) handshake_ack: bool,
    pub(super) first_fin: bool,
    pub(super) acks_peer_fin_first: bool,
    pub(super) covers_peer_fin: bool,
    pub(super) peer_fin_before: bool,
    pub(super) own_fin_before: bool,
    pub(super) refused: bool,
    pub(super) advanced_ack: Option<u32>,
    pub(super) window_bytes: Option<u64>,
    pub(super) window_changed: bool,
    pub(super) peer_window_zero: bool,
    pub(super) analyzed: Analyzed,
}

/// The phase and the event of a segment.
pub(super) fn describe(x: &EventFacts, findings: Findings) -> (Phase, TcpEvent) {
    let (syn, ack, fin, rst) = x.flags;
    let has = |f: Finding| findings.contains(f);
    let resend = if has(Finding::SpuriousRetransmission) {
        Some(Resend::Spurious)
    } else if has(Finding::FastRetransmission) {
        Some(Resend::Fast {
            dup_acks: x.analyzed.peer_dup_acks,
        })
    } else if has(Finding::OutOfOrder) {
        Some(Resend::OutOfOrder {
            overtaken_by: x.analyzed.overtaken_by,
        })
    } else if has(Finding::Retransmission) {
        Some(Resend::Retransmission)
    } else {
        None
    };
    if rst {
        return (Phase::Reset, TcpEvent::Reset { refused: x.refused });
    }
    if syn && !ack {
        let kind = if resend.is_some() || !x.first_syn {
            SynKind::Again
        } else if x.peer_sent_syn {
            SynKind::Simultaneous
        } else {
            SynKind::First
        };
        return (Phase::Handshake, TcpEvent::Syn(kind));
    }
    if syn {
        // Wireshark flags a simultaneous open's SYN/ACK as a retransmission (it repeats the
        // SYN's sequence number); it is the second step of the open all the same.
        let kind = if !x.first_synack {
            SynKind::Again
        } else if x.simultaneous_open {
            SynKind::Simultaneous
        } else if resend.is_some() {
            SynKind::Again
        } else {
            SynKind::First
        };
        return (Phase::Handshake, TcpEvent::SynAck(kind));
    }
    if x.handshake_ack {
        let event = TcpEvent::HandshakeAck { bytes: x.seglen };
        return (Phase::Handshake, event);
    }
    if x.first_fin {
        let kind = if x.peer_fin_before && x.acks_peer_fin_first {
            FinKind::AnswersPeer
        } else if x.peer_fin_before && x.covers_peer_fin {
            FinKind::DoneToo
        } else if x.peer_fin_before {
            FinKind::Simultaneous
        } else if x.seglen > 0 {
            FinKind::WithData(x.seglen)
        } else {
            FinKind::First
        };
        return (Phase::Close, TcpEvent::Fin(kind));
    }
    if fin && resend.is_some() {
        return (Phase::Close, TcpEvent::FinAgain);
    }
    if has(Finding::KeepAlive) {
        let event = TcpEvent::KeepAlive {
            peer_window_zero: x.peer_window_zero,
        };
        return (Phase::Data, event);
    }
    if has(Finding::KeepAliveAck) || has(Finding::ZeroWindowProbeAck) {
        let answer = match x.window_bytes {
            Some(0) => ProbeAnswer::StillZero,
            Some(w) if x.window_changed => ProbeAnswer::WindowOpened(w),
            _ => ProbeAnswer::Alive,
        };
        return (Phase::Data, TcpEvent::KeepAliveAck(answer));
    }
    if has(Finding::ZeroWindowProbe) {
        return (Phase::Data, TcpEvent::ZeroWindowProbe);
    }
    if x.seglen > 0 {
        let event = TcpEvent::Data {
            bytes: x.seglen,
            resend,
            fills_window: has(Finding::WindowFull),
            peer_finished: x.peer_fin_before && !x.own_fin_before,
            acks_peer_fin: x.acks_peer_fin_first,
        };
        let phase = if x.acks_peer_fin_first {
            Phase::Close
        } else {
            Phase::Data
        };
        return (phase, event);
    }
    if x.acks_peer_fin_first {
        let event = TcpEvent::AckPeerFin {
            own_fin_sent: x.own_fin_before,
        };
        return (Phase::Close, event);
    }
    if has(Finding::ZeroWindow) {
        return (Phase::Data, TcpEvent::ZeroWindow);
    }
    if has(Finding::WindowUpdate) {
        let event = TcpEvent::WindowUpdate {
            window: x.window_bytes,
        };
        return (Phase::Data, event);
    }
    if has(Finding::DuplicateAck) {
        let (number, of_frame) = x.analyzed.expert.dup_ack.unwrap_or((0, 0));
        return (Phase::Data, TcpEvent::DuplicateAck { number, of_frame });
    }
    if !ack {
        return (Phase::Data, TcpEvent::NoAck);
    }
    let phase = if x.own_fin_before || x.peer_fin_before {
        Phase::Close
    } else {
        Phase::Data
    };
    let new_bytes = match x.advanced_ack {
        Some(n) if n > 0 && n != u32::MAX => Some(n),
        _ => None,
    };
    (phase, TcpEvent::Ack { new_bytes })
}
