//! The plain-words event and the phase of a TCP segment, from facts the connection tracker
//! established before and after it.

use super::Side;
use crate::analysis::{Finding, Phase};

/// What the event text needs to know about a segment.
pub(super) struct EventFacts {
    pub(super) sender: Side,
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
}

fn bytes(n: u32) -> String {
    if n == 1 {
        "1 byte".into()
    } else {
        format!("{n} bytes")
    }
}

/// The phase and the plain-words event of a segment.
pub(super) fn describe(x: &EventFacts, findings: &[Finding]) -> (Phase, String) {
    let (syn, ack, fin, rst) = x.flags;
    let s = x.sender.as_str();
    let p = x.sender.peer().as_str();
    let has = |f: Finding| findings.contains(&f);
    if rst {
        return if x.refused {
            (
                Phase::Reset,
                "reset: connection refused (nothing listens on that port)".into(),
            )
        } else {
            (
                Phase::Reset,
                format!("reset: {s} aborts the connection (RST)"),
            )
        };
    }
    if syn && !ack {
        let text = if has(Finding::Retransmission) || !x.first_syn {
            "handshake 1/3 again: SYN retransmitted (no answer yet)".to_string()
        } else if x.peer_sent_syn {
            format!("simultaneous open: {s} sends its own SYN too")
        } else {
            format!("handshake 1/3: {s} asks to connect (SYN)")
        };
        return (Phase::Handshake, text);
    }
    if syn {
        let text = if has(Finding::Retransmission) || !x.first_synack {
            "handshake 2/3 again: SYN/ACK retransmitted".to_string()
        } else if x.simultaneous_open {
            format!("simultaneous open: {s} acknowledges the {p}'s SYN (SYN/ACK)")
        } else {
            format!("handshake 2/3: {s} accepts and acknowledges the SYN")
        };
        return (Phase::Handshake, text);
    }
    if x.handshake_ack {
        let text = if x.seglen > 0 {
            format!(
                "handshake 3/3: connection established, with {} of data",
                bytes(x.seglen)
            )
        } else {
            "handshake 3/3: connection established".to_string()
        };
        return (Phase::Handshake, text);
    }
    if x.first_fin {
        let text = if x.peer_fin_before && x.acks_peer_fin_first {
            format!("close: {s} acknowledges the {p}'s FIN and closes too (FIN)")
        } else if x.peer_fin_before && x.covers_peer_fin {
            format!("close: {s} is done too (FIN)")
        } else if x.peer_fin_before {
            format!("close: {s} sends FIN before seeing the {p}'s (simultaneous close)")
        } else if x.seglen > 0 {
            format!("close: {s} sends its last {} and FIN", bytes(x.seglen))
        } else {
            format!("close: {s} has nothing more to send (FIN)")
        };
        return (Phase::Close, text);
    }
    if fin && has(Finding::Retransmission) {
        return (
            Phase::Close,
            format!("close: {s} sends its FIN again (retransmission)"),
        );
    }
    if has(Finding::KeepAlive) && x.peer_window_zero {
        return (
            Phase::Data,
            format!("window probe: {s} asks whether the {p}'s zero window has opened"),
        );
    }
    if has(Finding::KeepAlive) {
        return (
            Phase::Data,
            format!("keep-alive: {s} checks that the idle connection is still there"),
        );
    }
    if has(Finding::KeepAliveAck) {
        let text = match x.window_bytes {
            Some(0) => format!("{s} answers the probe: its window is still 0"),
            Some(w) if x.window_changed => {
                format!("window update: {s} answers the probe, its window is now {w} bytes")
            }
            _ => format!("keep-alive ACK: {s} answers that it is still there"),
        };
        return (Phase::Data, text);
    }
    if has(Finding::ZeroWindowProbe) {
        return (
            Phase::Data,
            format!("zero-window probe: {s} asks whether the {p}'s window has opened"),
        );
    }
    if x.seglen > 0 {
        let mut text = if has(Finding::Retransmission) {
            format!("retransmission: {s} sends {} again", bytes(x.seglen))
        } else {
            format!("data: {s} sends {}", bytes(x.seglen))
        };
        if x.peer_fin_before && !x.own_fin_before {
            text.push_str(&format!(" (half-close: the {p} has finished sending)"));
        }
        let phase = if x.acks_peer_fin_first {
            text.push_str(&format!(", acknowledging the {p}'s FIN"));
            Phase::Close
        } else {
            Phase::Data
        };
        return (phase, text);
    }
    if x.acks_peer_fin_first {
        let text = if x.own_fin_before {
            format!("close: {s} acknowledges the {p}'s FIN")
        } else {
            format!("close: {s} acknowledges the {p}'s FIN; the {s} may still send (half-closed)")
        };
        return (Phase::Close, text);
    }
    if has(Finding::ZeroWindow) {
        return (
            Phase::Data,
            format!("zero window: {s}'s receive buffer is full; the {p} must wait"),
        );
    }
    if has(Finding::WindowUpdate) {
        let w = x
            .window_bytes
            .map(|w| format!("{w} bytes"))
            .unwrap_or_else(|| "changed".into());
        return (
            Phase::Data,
            format!("window update: {s}'s receive window is now {w}"),
        );
    }
    if has(Finding::DuplicateAck) {
        return (
            Phase::Data,
            format!("duplicate ACK: {s} still waits for the same byte"),
        );
    }
    if !ack {
        return (
            Phase::Data,
            format!("{s} sends an empty segment without ACK"),
        );
    }
    let phase = if x.own_fin_before || x.peer_fin_before {
        Phase::Close
    } else {
        Phase::Data
    };
    match x.advanced_ack {
        Some(n) if n > 0 && n != u32::MAX => {
            (phase, format!("ack: {s} confirms {} received", bytes(n)))
        }
        _ => (phase, format!("ack: {s} acknowledges (nothing new)")),
    }
}
