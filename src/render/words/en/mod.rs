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
use crate::time::format_duration;

/// English words.
#[derive(Debug, Clone, Copy, Default)]
pub struct English;

fn bytes(n: u32) -> String {
    if n == 1 {
        "1 byte".into()
    } else {
        format!("{n} bytes")
    }
}

impl EventWords for English {
    fn side(&self, side: Side) -> &'static str {
        match side {
            Side::Client => "client",
            Side::Server => "server",
        }
    }

    fn tcp_event(&self, event: &TcpEvent, sender: Side) -> String {
        let s = self.side(sender);
        let p = self.side(sender.peer());
        match *event {
            TcpEvent::Reset { refused: true } => {
                "reset: connection refused (nothing listens on that port)".into()
            }
            TcpEvent::Reset { refused: false } => format!("reset: {s} aborts the connection (RST)"),
            TcpEvent::Syn(SynKind::Again) => {
                "handshake 1/3 again: SYN retransmitted (no answer yet)".into()
            }
            TcpEvent::Syn(SynKind::Simultaneous) => {
                format!("simultaneous open: {s} sends its own SYN too")
            }
            TcpEvent::Syn(SynKind::First) => format!("handshake 1/3: {s} asks to connect (SYN)"),
            TcpEvent::SynAck(SynKind::Again) => "handshake 2/3 again: SYN/ACK retransmitted".into(),
            TcpEvent::SynAck(SynKind::Simultaneous) => {
                format!("simultaneous open: {s} acknowledges the {p}'s SYN (SYN/ACK)")
            }
            TcpEvent::SynAck(SynKind::First) => {
                format!("handshake 2/3: {s} accepts and acknowledges the SYN")
            }
            TcpEvent::HandshakeAck { bytes: 0 } => "handshake 3/3: connection established".into(),
            TcpEvent::HandshakeAck { bytes: n } => format!(
                "handshake 3/3: connection established, with {} of data",
                bytes(n)
            ),
            TcpEvent::Fin(kind) => match kind {
                FinKind::AnswersPeer => {
                    format!("close: {s} acknowledges the {p}'s FIN and closes too (FIN)")
                }
                FinKind::DoneToo => format!("close: {s} is done too (FIN)"),
                FinKind::Simultaneous => {
                    format!("close: {s} sends FIN before seeing the {p}'s (simultaneous close)")
                }
                FinKind::WithData(n) => format!("close: {s} sends its last {} and FIN", bytes(n)),
                FinKind::First => format!("close: {s} has nothing more to send (FIN)"),
            },
            TcpEvent::FinAgain => format!("close: {s} sends its FIN again (retransmission)"),
            TcpEvent::KeepAlive {
                peer_window_zero: true,
            } => format!("window probe: {s} asks whether the {p}'s zero window has opened"),
            TcpEvent::KeepAlive {
                peer_window_zero: false,
            } => format!("keep-alive: {s} checks that the idle connection is still there"),
            TcpEvent::KeepAliveAck(ProbeAnswer::StillZero) => {
                format!("{s} answers the probe: its window is still 0")
            }
            TcpEvent::KeepAliveAck(ProbeAnswer::WindowOpened(w)) => {
                format!("window update: {s} answers the probe, its window is now {w} bytes")
            }
            TcpEvent::KeepAliveAck(ProbeAnswer::Alive) => {
                format!("keep-alive ACK: {s} answers that it is still there")
            }
            TcpEvent::ZeroWindowProbe => {
                format!("zero-window probe: {s} asks whether the {p}'s window has opened")
            }
            TcpEvent::Data {
                bytes: n,
                resend,
                fills_window,
                peer_finished,
                acks_peer_fin,
            } => {
                let b = bytes(n);
                let mut text = match resend {
                    None => format!("data: {s} sends {b}"),
                    Some(Resend::Retransmission) => format!("retransmission: {s} sends {b} again"),
                    Some(Resend::Fast { dup_acks: 0 }) => format!(
                        "fast retransmission: {s} sends {b} again after duplicate ACKs, \
                         without waiting for a timeout"
                    ),
                    Some(Resend::Fast { dup_acks }) => format!(
                        "fast retransmission: {s} sends {b} again after {dup_acks} duplicate \
                         ACKs, without waiting for a timeout"
                    ),
                    Some(Resend::Spurious) => format!(
                        "spurious retransmission: {s} sends {b} again, though the {p} had \
                         already acknowledged them"
                    ),
                    Some(Resend::OutOfOrder {
                        overtaken_by: Some(f),
                    }) => format!(
                        "out of order: {b} from the {s}, sent before frame {f} but arrived after \
                         it (delayed, not lost)"
                    ),
                    Some(Resend::OutOfOrder { overtaken_by: None }) => format!(
                        "out of order: {b} from the {s} arrived after later data (delayed, not \
                         lost)"
                    ),
                };
                if fills_window {
                    text.push_str(&format!(
                        "; window full: the {p}'s receive window is now full, the {s} must wait \
                         for an ACK"
                    ));
                }
                if peer_finished {
                    text.push_str(&format!(" (half-close: the {p} has finished sending)"));
                }
                if acks_peer_fin {
                    text.push_str(&format!(", acknowledging the {p}'s FIN"));
                }
                text
            }
            TcpEvent::AckPeerFin { own_fin_sent: true } => {
                format!("close: {s} acknowledges the {p}'s FIN")
            }
            TcpEvent::AckPeerFin {
                own_fin_sent: false,
            } => format!(
                "close: {s} acknowledges the {p}'s FIN; the {s} may still send (half-closed)"
            ),
            TcpEvent::ZeroWindow => {
                format!("zero window: {s}'s receive buffer is full; the {p} must wait")
            }
            TcpEvent::WindowUpdate { window } => {
                let w = window
                    .map(|w| format!("{w} bytes"))
                    .unwrap_or_else(|| "changed".into());
                format!("window update: {s}'s receive window is now {w}")
            }
            TcpEvent::DuplicateAck { number, of_frame } => format!(
                "duplicate ACK #{number} of frame {of_frame}: {s} still waits for the same byte"
            ),
            TcpEvent::NoAck => format!("{s} sends an empty segment without ACK"),
            TcpEvent::Ack { new_bytes: Some(n) } => {
                format!("ack: {s} confirms {} received", bytes(n))
            }
            TcpEvent::Ack { new_bytes: None } => format!("ack: {s} acknowledges (nothing new)"),
        }
    }

    fn acks(&self, frame: u64, after: Option<&str>) -> String {
        match after {
            Some(after) => format!(" · acks frame {frame} after {after}"),
            None => format!(" · acks frame {frame}"),
        }
    }

    fn udp_event(&self, event: &UdpEvent, sender: Side) -> String {
        let s = self.side(sender);
        match *event {
            UdpEvent::Request { bytes: n, first } => {
                let tail = if first {
                    " (no handshake: UDP just sends)"
                } else {
                    ""
                };
                format!("datagram: {s} sends {}{tail}", bytes(n))
            }
            UdpEvent::Response {
                bytes: n,
                request,
                delay_ns,
            } => format!(
                "datagram: {s} answers #{request} with {} after {}",
                bytes(n),
                format_duration(delay_ns as f64 / 1e9)
            ),
            UdpEvent::Unpaired { bytes: n } => format!("datagram: {s} sends {}", bytes(n)),
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

    fn stream_continued(&self, proto: Proto, stream: u32) -> String {
        format!("── {} (continued)", self.stream_title(proto, stream))
    }

    fn outside_streams(&self) -> &'static str {
        "── packets outside any TCP or UDP conversation"
    }

    fn stream_title(&self, proto: Proto, stream: u32) -> String {
        match proto {
            Proto::Tcp => format!("TCP stream {stream}"),
            Proto::Udp => format!("UDP stream {stream}"),
        }
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
