//! English.

mod app;
mod bytes;
mod decode;
mod lesson;
mod points;
mod report;
mod tcp;

pub(crate) use lesson::hex;

use super::{EventWords, arp_ip};
use crate::analysis::Finding;
use crate::decode::{ArpInfo, IpInfo};
use crate::flow::event::{ArpOp, TcpEvent, UdpEvent};
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
        tcp::event(out, event, tcp::Who(sender), tcp::Who(sender.peer()));
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
        out: &mut String,
        proto: Proto,
        stream: u32,
        (client, server): (&str, &str),
        tail: &str,
    ) {
        put!(
            out,
            "── ",
            stream_kind(proto),
            " ",
            stream,
            ": client ",
            client,
            " → server ",
            server,
            " · ",
            tail
        )
    }
}
