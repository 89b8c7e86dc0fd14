//! English: what a TCP segment does.

use super::English;
use super::bytes;
use crate::flow::Side;
use crate::flow::event::{FinKind, ProbeAnswer, Resend, SynKind, TcpEvent};
use crate::render::words::{EventWords, Put};

/// "client" or "server" as a piece of a sentence: both words have the same length, so
/// appending one is a fixed-size copy.
#[derive(Debug, Clone, Copy)]
pub(super) struct Who(pub(super) Side);

impl Put for Who {
    #[inline]
    fn put(&self, out: &mut String) {
        out.push_str(English.side(self.0));
    }
}

/// The event of a segment sent by `s` to its peer `p` ("client" / "server"), appended.
pub(super) fn event(out: &mut String, event: &TcpEvent, s: Who, p: Who) {
    match *event {
        TcpEvent::Reset { refused: true } => {
            put!(
                out,
                "reset: connection refused (nothing listens on that port)"
            )
        }
        TcpEvent::Reset { refused: false } => {
            put!(out, "reset: ", s, " aborts the connection (RST)")
        }
        TcpEvent::Syn(SynKind::Again) => {
            put!(
                out,
                "handshake 1/3 again: SYN retransmitted (no answer yet)"
            )
        }
        TcpEvent::Syn(SynKind::Simultaneous) => {
            put!(out, "simultaneous open: ", s, " sends its own SYN too")
        }
        TcpEvent::Syn(SynKind::First) => {
            put!(out, "handshake 1/3: ", s, " asks to connect (SYN)")
        }
        TcpEvent::SynAck(SynKind::Again) => {
            put!(out, "handshake 2/3 again: SYN/ACK retransmitted")
        }
        TcpEvent::SynAck(SynKind::Simultaneous) => {
            put!(
                out,
                "simultaneous open: ",
                s,
                " acknowledges the ",
                p,
                "'s SYN (SYN/ACK)"
            )
        }
        TcpEvent::SynAck(SynKind::First) => {
            put!(
                out,
                "handshake 2/3: ",
                s,
                " accepts and acknowledges the SYN"
            )
        }
        TcpEvent::HandshakeAck { bytes: 0 } => {
            put!(out, "handshake 3/3: connection established")
        }
        TcpEvent::HandshakeAck { bytes: n } => {
            put!(
                out,
                "handshake 3/3: connection established, with ",
                bytes(n),
                " of data"
            )
        }
        TcpEvent::Fin(kind) => match kind {
            FinKind::AnswersPeer => {
                put!(
                    out,
                    "close: ",
                    s,
                    " acknowledges the ",
                    p,
                    "'s FIN and closes too (FIN)"
                )
            }
            FinKind::DoneToo => put!(out, "close: ", s, " is done too (FIN)"),
            FinKind::Simultaneous => {
                put!(
                    out,
                    "close: ",
                    s,
                    " sends FIN before seeing the ",
                    p,
                    "'s (simultaneous close)"
                )
            }
            FinKind::WithData(n) => {
                put!(out, "close: ", s, " sends its last ", bytes(n), " and FIN")
            }
            FinKind::First => put!(out, "close: ", s, " has nothing more to send (FIN)"),
        },
        TcpEvent::FinAgain => put!(out, "close: ", s, " sends its FIN again (retransmission)"),
        TcpEvent::KeepAlive {
            peer_window_zero: true,
        } => put!(
            out,
            "window probe: ",
            s,
            " asks whether the ",
            p,
            "'s zero window has opened"
        ),
        TcpEvent::KeepAlive {
            peer_window_zero: false,
        } => put!(
            out,
            "keep-alive: ",
            s,
            " checks that the idle connection is still there"
        ),
        TcpEvent::KeepAliveAck(ProbeAnswer::StillZero) => {
            put!(out, s, " answers the probe: its window is still 0")
        }
        TcpEvent::KeepAliveAck(ProbeAnswer::WindowOpened(w)) => {
            put!(
                out,
                "window update: ",
                s,
                " answers the probe, its window is now ",
                w,
                " bytes"
            )
        }
        TcpEvent::KeepAliveAck(ProbeAnswer::Alive) => {
            put!(
                out,
                "keep-alive ACK: ",
                s,
                " answers that it is still there"
            )
        }
        TcpEvent::ZeroWindowProbe => {
            put!(
                out,
                "zero-window probe: ",
                s,
                " asks whether the ",
                p,
                "'s window has opened"
            )
        }
        TcpEvent::Data {
            bytes: n,
            resend,
            fills_window,
            peer_finished,
            acks_peer_fin,
        } => {
            let b = bytes(n);
            match resend {
                None => put!(out, "data: ", s, " sends ", b),
                Some(Resend::Retransmission) => {
                    put!(out, "retransmission: ", s, " sends ", b, " again")
                }
                Some(Resend::Fast { dup_acks: 0 }) => put!(
                    out,
                    "fast retransmission: ",
                    s,
                    " sends ",
                    b,
                    " again after duplicate ACKs, without waiting for a timeout"
                ),
                Some(Resend::Fast { dup_acks }) => put!(
                    out,
                    "fast retransmission: ",
                    s,
                    " sends ",
                    b,
                    " again after ",
                    dup_acks,
                    " duplicate ACKs, without waiting for a timeout"
                ),
                Some(Resend::Spurious) => put!(
                    out,
                    "spurious retransmission: ",
                    s,
                    " sends ",
                    b,
                    " again, though the ",
                    p,
                    " had already acknowledged them"
                ),
                Some(Resend::OutOfOrder {
                    overtaken_by: Some(f),
                }) => put!(
                    out,
                    "out of order: ",
                    b,
                    " from the ",
                    s,
                    ", sent before frame ",
                    f,
                    " but arrived after it (delayed, not lost)"
                ),
                Some(Resend::OutOfOrder { overtaken_by: None }) => put!(
                    out,
                    "out of order: ",
                    b,
                    " from the ",
                    s,
                    " arrived after later data (delayed, not lost)"
                ),
            };
            if fills_window {
                put!(
                    out,
                    "; window full: the ",
                    p,
                    "'s receive window is now full, the ",
                    s,
                    " must wait for an ACK"
                );
            }
            if peer_finished {
                put!(out, " (half-close: the ", p, " has finished sending)");
            }
            if acks_peer_fin {
                put!(out, ", acknowledging the ", p, "'s FIN");
            }
        }
        TcpEvent::AckPeerFin { own_fin_sent: true } => {
            put!(out, "close: ", s, " acknowledges the ", p, "'s FIN")
        }
        TcpEvent::AckPeerFin {
            own_fin_sent: false,
        } => put!(
            out,
            "close: ",
            s,
            " acknowledges the ",
            p,
            "'s FIN; the ",
            s,
            " may still send (half-closed)"
        ),
        TcpEvent::ZeroWindow => {
            put!(
                out,
                "zero window: ",
                s,
                "'s receive buffer is full; the ",
                p,
                " must wait"
            )
        }
        TcpEvent::WindowUpdate { window: Some(w) } => {
            put!(
                out,
                "window update: ",
                s,
                "'s receive window is now ",
                w,
                " bytes"
            )
        }
        TcpEvent::WindowUpdate { window: None } => {
            put!(
                out,
                "window update: ",
                s,
                "'s receive window is now changed"
            )
        }
        TcpEvent::DuplicateAck { number, of_frame } => put!(
            out,
            "duplicate ACK #",
            number,
            " of frame ",
            of_frame,
            ": ",
            s,
            " still waits for the same byte"
        ),
        TcpEvent::NoAck => put!(out, s, " sends an empty segment without ACK"),
        TcpEvent::Ack { new_bytes: Some(n) } => {
            put!(out, "ack: ", s, " confirms ", bytes(n), " received")
        }
        TcpEvent::Ack { new_bytes: None } => {
            put!(out, "ack: ", s, " acknowledges (nothing new)")
        }
    }
}
