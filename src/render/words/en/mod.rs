//! English.

mod app;
mod bytes;
mod decode;
mod lesson;
mod points;
mod report;

pub(crate) use lesson::hex;

use super::{EventWords, arp_ip};
use crate::analysis::Finding;
use crate::decode::{ArpInfo, IpInfo};
use crate::flow::event::{ArpOp, FinKind, ProbeAnswer, Resend, SynKind, TcpEvent, UdpEvent};
use crate::flow::{Endpoint, Proto, RoleBasis, Side};
use crate::text::Mac;
use crate::time::Nanos;

/// English words.
#[derive(Debug, Clone, Copy, Default)]
pub struct English;

/// "1 byte", "5 bytes".
struct Bytes(u32);

impl super::Put for Bytes {
    fn put(&self, out: &mut String) {
        match self.0 {
            1 => out.push_str("1 byte"),
            n => put!(out, n, " bytes"),
        }
    }
}

fn bytes(n: u32) -> Bytes {
    Bytes(n)
}

/// "TCP stream" / "UDP stream", before a stream's number.
fn stream_kind(proto: Proto) -> &'static str {
    match proto {
        Proto::Tcp => "TCP stream",
        Proto::Udp => "UDP stream",
    }
}

impl EventWords for English {
    fn side(&self, side: Side) -> &'static str {
        match side {
            Side::Client => "client",
            Side::Server => "server",
        }
    }

    fn tcp_event(&self, out: &mut String, event: &TcpEvent, sender: Side) {
        let s = self.side(sender);
        let p = self.side(sender.peer());
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

    fn acks(&self, out: &mut String, frame: u64, after: Option<Nanos>) {
        match after {
            Some(after) => put!(out, " · acks frame ", frame, " after ", after),
            None => put!(out, " · acks frame ", frame),
        }
    }

    fn udp_event(&self, out: &mut String, event: &UdpEvent, sender: Side) {
        let s = self.side(sender);
        match *event {
            UdpEvent::Request { bytes: n, first } => {
                let tail = if first {
                    " (no handshake: UDP just sends)"
                } else {
                    ""
                };
                put!(out, "datagram: ", s, " sends ", bytes(n), tail)
            }
            UdpEvent::Response {
                bytes: n,
                request,
                delay_ns,
            } => put!(
                out,
                "datagram: ",
                s,
                " answers #",
                request,
                " with ",
                bytes(n),
                " after ",
                Nanos(delay_ns)
            ),
            UdpEvent::Unpaired { bytes: n } => put!(out, "datagram: ", s, " sends ", bytes(n)),
        }
    }

    fn icmp_answers(
        &self,
        icmp: &str,
        proto: Proto,
        stream: u32,
        (src, dst): (Endpoint, Endpoint),
    ) -> String {
        let proto = match proto {
            Proto::Tcp => "TCP",
            Proto::Udp => "UDP",
        };
        format!("{icmp}: answers {proto} stream {stream} ({src} > {dst})")
    }

    fn arp(&self, op: ArpOp, arp: &ArpInfo) -> String {
        let mac = Mac(arp.sender_mac.as_bytes());
        match op {
            ArpOp::Announcement => format!(
                "ARP announcement: {} is at {mac} (gratuitous)",
                arp_ip(&arp.sender_ip)
            ),
            ArpOp::Request => format!(
                "ARP request: who has {}? tell {} ({mac})",
                arp_ip(&arp.target_ip),
                arp_ip(&arp.sender_ip)
            ),
            ArpOp::Reply => format!("ARP reply: {} is at {mac}", arp_ip(&arp.sender_ip)),
            ArpOp::Other(code) => format!("ARP operation {code}"),
        }
    }

    fn fragment(&self, ip: &IpInfo, protocol: &str) -> String {
        match ip.fragment {
            Some((offset, more)) if offset > 0 => format!(
                "IPv{} fragment of {protocol} at offset {offset}{}",
                ip.version,
                if more { " (more follow)" } else { " (last)" }
            ),
            _ => format!(
                "IPv{} first fragment of {protocol} (more follow)",
                ip.version
            ),
        }
    }

    fn other(&self, label: &str, stop: Option<&str>) -> String {
        match stop {
            Some(stop) => format!("{label} ({stop})"),
            None => label.to_string(),
        }
    }

    fn finding(&self, finding: Finding) -> &'static str {
        match finding {
            Finding::ReusedPorts => "ports reused",
            Finding::Retransmission => "retransmission",
            Finding::FastRetransmission => "fast retransmission",
            Finding::SpuriousRetransmission => "spurious retransmission",
            Finding::OutOfOrder => "out of order",
            Finding::LostSegment => "previous segment not captured",
            Finding::AckLostSegment => "ACKed unseen segment",
            Finding::WindowFull => "window full",
            Finding::WindowUpdate => "window update",
            Finding::KeepAlive => "keep-alive",
            Finding::KeepAliveAck => "keep-alive ACK",
            Finding::DuplicateAck => "duplicate ACK",
            Finding::ZeroWindow => "zero window",
            Finding::ZeroWindowProbe => "zero-window probe",
            Finding::ZeroWindowProbeAck => "zero-window probe ACK",
        }
    }

    fn role_basis(&self, basis: RoleBasis) -> &'static str {
        match basis {
            RoleBasis::Syn => "client sent the first SYN",
            RoleBasis::SynAck => "SYN not captured; roles from the SYN/ACK",
            RoleBasis::SimultaneousOpen => "simultaneous open: both sides sent SYN",
            RoleBasis::PortGuess => {
                "no SYN captured (capture started mid-connection); roles guessed from the ports"
            }
            RoleBasis::FirstDatagram => "client sent the first datagram",
        }
    }

    fn udp_intro(&self) -> &'static str {
        "UDP has no handshake and no close: each datagram stands alone"
    }

    fn stream_continued(&self, out: &mut String, proto: Proto, stream: u32) {
        put!(out, "── ", stream_kind(proto), " ", stream, " (continued)")
    }

    fn outside_streams(&self) -> &'static str {
        "── packets outside any TCP or UDP conversation"
    }

    fn stream_title(&self, proto: Proto, stream: u32) -> String {
        format!("{} {stream}", stream_kind(proto))
    }

    fn stream_intro(
        &self,
        proto: Proto,
        stream: u32,
        client: &str,
        server: &str,
        tail: &str,
    ) -> String {
        format!(
            "── {}: client {client} → server {server} · {tail}",
            self.stream_title(proto, stream)
        )
    }
}
