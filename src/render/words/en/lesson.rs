//! What the demos teach, in English.

use super::English;
use crate::demo::lesson::Point;
use crate::demo::{DemoKind, FramePart};
use crate::render::words::LessonWords;
use crate::render::words::lesson::quoted;

fn n_bytes(n: usize) -> String {
    if n == 1 {
        "1 byte".into()
    } else {
        format!("{n} bytes")
    }
}

impl LessonWords for English {
    fn demo_summary(&self, kind: DemoKind) -> &'static str {
        match kind {
            DemoKind::Tcp => {
                "TCP echo: three-way handshake, data both ways, the close (3 or 4 segments, and why)"
            }
            DemoKind::Udp => "UDP time server: datagrams with no handshake and no close",
            DemoKind::Sticky => {
                "sticky packets: several send() calls come back in one recv(), one send() in several"
            }
            DemoKind::Framing => {
                "the fix: a 4-byte length prefix per message, and every message comes back whole"
            }
            DemoKind::UdpBoundaries => {
                "one sendto() = one datagram = one recvfrom(); a datagram cut by a small buffer"
            }
            DemoKind::Refused => {
                "nobody listens: RST/ACK and ECONNREFUSED; ICMP port unreachable for UDP"
            }
            DemoKind::HalfClose => {
                "shutdown(SHUT_WR): FIN one way, data still flowing the other (CLOSE-WAIT sends)"
            }
            DemoKind::Close4Way => "the 4-segment close next to Linux's usual 3, and TIME-WAIT",
            DemoKind::Concurrent => {
                "a threaded server with N clients at once: one port, N 4-tuples (--clients N)"
            }
            DemoKind::TwoHosts => {
                "two namespaces on a /24: ARP before the SYN, the subnet-mask AND, real MACs, MSS"
            }
            DemoKind::Lossy => {
                "two hosts over a lossy relay (--loss, --seed): resent segments, a lost datagram"
            }
        }
    }

    fn lesson_heading(&self, kind: DemoKind) -> String {
        format!("── Lesson: {kind} — {}", self.demo_summary(kind))
    }

    fn lesson_point(&self, point: &Point) -> Vec<String> {
        super::points::sentences(self, point)
    }

    fn framing_heading(&self, payload_start: usize) -> String {
        format!(
            "length-prefix framing in the TCP payload (payload byte 0 is frame byte \
             {payload_start}):"
        )
    }

    fn framing_part(&self, part: &FramePart) -> String {
        match part {
            FramePart::Prefix {
                at,
                bytes,
                value: Some(v),
            } => format!(
                "payload {at}–{}: length prefix {} = {v}",
                at + bytes.len().saturating_sub(1),
                hex(bytes)
            ),
            FramePart::Prefix {
                at,
                bytes,
                value: None,
                ..
            } => format!(
                "payload {at}–{}: start of a length prefix ({}), continued in the next segment",
                at + bytes.len().saturating_sub(1),
                hex(bytes)
            ),
            FramePart::Message {
                at,
                index,
                data,
                total,
                complete,
            } => {
                let end = if *complete {
                    ""
                } else {
                    " (continued in the next segment)"
                };
                format!(
                    "payload {at}–{}: message {index} ({}) {}{end}",
                    at + data.len.saturating_sub(1),
                    n_bytes(*total as usize),
                    quoted(data)
                )
            }
        }
    }
}

/// Bytes as `00 00 00 12`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}
