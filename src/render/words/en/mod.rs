//! English.

mod bytes;
mod decode;

use super::{SummaryHeadings, TimelineHeadings, Words, arp_ip};
use crate::analysis::{ConnState, Finding, TcpState};
use crate::capture::live::{CaptureStats, StopReason};
use crate::decode::{ArpInfo, DecodeStop, IcmpInfo, IpInfo, Link};
use crate::flow::event::{ArpOp, FinKind, ProbeAnswer, SynKind, TcpEvent, UdpEvent};
use crate::flow::{CloseKind, Endpoint, Proto, RoleBasis, Side};
use crate::render::PacketCount;
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

impl Words for English {
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
                resent,
                peer_finished,
                acks_peer_fin,
            } => {
                let mut text = if resent {
                    format!("retransmission: {s} sends {} again", bytes(n))
                } else {
                    format!("data: {s} sends {}", bytes(n))
                };
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
            TcpEvent::DuplicateAck => format!("duplicate ACK: {s} still waits for the same byte"),
            TcpEvent::NoAck => format!("{s} sends an empty segment without ACK"),
            TcpEvent::Ack { new_bytes: Some(n) } => {
                format!("ack: {s} confirms {} received", bytes(n))
            }
            TcpEvent::Ack { new_bytes: None } => format!("ack: {s} acknowledges (nothing new)"),
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

    fn icmp(&self, info: &IcmpInfo) -> String {
        decode::icmp(info)
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

    fn link_payload(&self, link: &Link) -> String {
        decode::link_payload(link)
    }

    fn decode_stop(&self, stop: &DecodeStop) -> String {
        decode::decode_stop(stop)
    }

    fn finding(&self, finding: Finding) -> &'static str {
        match finding {
            Finding::Retransmission => "retransmission",
            Finding::LostSegment => "previous segment not captured",
            Finding::DuplicateAck => "duplicate ACK",
            Finding::AckLostSegment => "ACKed unseen segment",
            Finding::ZeroWindow => "zero window",
            Finding::ZeroWindowProbe => "zero-window probe",
            Finding::KeepAlive => "keep-alive",
            Finding::KeepAliveAck => "keep-alive ACK",
            Finding::WindowUpdate => "window update",
            Finding::ReusedPorts => "ports reused",
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

    fn close_kind(&self, close: CloseKind) -> &'static str {
        match close {
            CloseKind::Fin4Way => "FIN 4-way",
            CloseKind::Fin3Way => "FIN 3-way",
            CloseKind::Simultaneous => "simultaneous close",
            CloseKind::HalfCloseThenClosed => "half-closed, then closed",
            CloseKind::HalfClosed => "half-closed at end",
            CloseKind::Reset => "reset",
            CloseKind::Refused => "refused",
            CloseKind::Unanswered => "SYN unanswered",
            CloseKind::Open => "still open at end",
            CloseKind::NotApplicable => "- (UDP has no close)",
        }
    }

    fn state_meaning(&self, state: TcpState) -> &'static str {
        match state {
            TcpState::Unknown => "not known: the capture started mid-connection",
            TcpState::Listen => "listen() called: waiting for a connection request",
            TcpState::SynSent => "connect() called: SYN sent, waiting for the answer",
            TcpState::SynReceived => "SYN received and answered with SYN/ACK, waiting for the ACK",
            TcpState::Established => "the connection is open: data can flow both ways",
            TcpState::FinWait1 => "close() called: FIN sent, waiting for its ACK",
            TcpState::FinWait2 => "own FIN acknowledged: waiting for the peer's FIN",
            TcpState::CloseWait => "the peer closed (FIN received); this side may still send",
            TcpState::Closing => "both sides sent FIN at once, waiting for the ACK of its own",
            TcpState::LastAck => "closed after the peer: FIN sent, waiting for the last ACK",
            TcpState::TimeWait => "closed; waits 2 MSL so late segments of this connection die",
            TcpState::Closed => "no connection",
        }
    }

    fn conn_state_meaning(&self, state: ConnState) -> &'static str {
        match state {
            ConnState::S0 => "connection attempt seen, no reply",
            ConnState::S1 => "established, not closed",
            ConnState::SF => "normal establishment and close",
            ConnState::REJ => "connection attempt rejected",
            ConnState::S2 => "established; the client closed, the server did not",
            ConnState::S3 => "established; the server closed, the client did not",
            ConnState::RSTO => "established; the client aborted (RST)",
            ConnState::RSTR => "established; the server aborted (RST)",
            ConnState::RSTOS0 => "the client sent SYN, then RST; no SYN/ACK seen",
            ConnState::RSTRH => "the server sent SYN/ACK, then RST; no SYN seen",
            ConnState::SH => "the client sent SYN, then FIN; no SYN/ACK seen",
            ConnState::SHR => "the server sent SYN/ACK, then FIN; no SYN seen",
            ConnState::OTH => "no SYN seen: traffic from the middle of a connection",
        }
    }

    fn timeline_headings(&self) -> TimelineHeadings {
        TimelineHeadings {
            frame: "#",
            time_relative: "time",
            time_absolute: "time (local)",
            time_delta: "delta",
            stream: "stream",
            dir: "dir",
            flags: "flags",
            seq: "seq",
            ack: "ack",
            len: "len",
            win: "win",
            client: "client",
            server: "server",
            what: "what happens",
        }
    }

    fn summary_headings(&self) -> SummaryHeadings {
        SummaryHeadings {
            stream: "stream",
            client: "client",
            server: "server",
            packets: "packets\nc>s / s>c",
            bytes: "data bytes\nc>s / s>c",
            start: "start",
            duration: "duration",
            rtt: "handshake RTT\nSYN>SYN/ACK / >ACK",
            close: "close",
            state: "state",
            history: "history",
        }
    }

    fn first_reply(&self, delay: &str) -> String {
        format!("1st reply {delay}")
    }

    fn totals(&self, read: u64, shown: Option<u64>, tcp: usize, udp: usize) -> String {
        let plural = |n: usize, what: &str| {
            if n == 1 {
                format!("{n} {what} conversation")
            } else {
                format!("{n} {what} conversations")
            }
        };
        let shown = shown.map(|s| format!(", {s} shown")).unwrap_or_default();
        format!(
            "{read} packets{shown} · {} · {}",
            plural(tcp, "TCP"),
            plural(udp, "UDP")
        )
    }

    fn no_conversations(&self) -> &'static str {
        "no TCP or UDP conversations"
    }

    fn options_line(&self, options: &str) -> String {
        format!("options: {options}")
    }

    fn options_cut(&self) -> &'static str {
        "… (the rest cut by the snaplen)"
    }

    fn truncated(&self, kept: usize, wire: u32) -> String {
        format!("truncated by the capture's snaplen: {kept} of {wire} bytes kept")
    }

    fn note(&self, stop: &str) -> String {
        format!("note: {stop}")
    }

    fn file_title(
        &self,
        name: &str,
        format: Option<&str>,
        linktypes: &str,
        count: PacketCount,
    ) -> String {
        let count = match count {
            PacketCount::Exact(n) => format!("{n} packets"),
            PacketCount::Damaged(n) => {
                format!("{n} readable packets (the file is damaged after them)")
            }
            PacketCount::AtEnd(size) => format!(
                "{:.1} GiB, packet count at the end",
                size as f64 / f64::from(1 << 30)
            ),
            PacketCount::Unknown => "packet count unknown".into(),
        };
        let format = format.unwrap_or("capture");
        format!("{name} · {format} · {linktypes} · {count}")
    }

    fn stdin_title(&self, linktype: &str) -> String {
        format!("standard input · {linktype} · packet count at the end")
    }

    fn live_title(&self, iface: &str, demo: Option<(&str, &str)>, write: Option<&str>) -> String {
        let mut title = format!("live capture on {iface}");
        if let Some((kind, addr)) = demo {
            title.push_str(&format!(" · demo {kind} over {addr}"));
        }
        if let Some(path) = write {
            title.push_str(&format!(" · writing {path}"));
        }
        title
    }

    fn live_filter(&self, filter: &str) -> String {
        format!(" · filter '{filter}'")
    }

    fn stop_reason(&self, reason: StopReason) -> &'static str {
        match reason {
            StopReason::Count => "frame count reached",
            StopReason::Duration => "duration elapsed",
            StopReason::Stopped => "stopped by request",
            StopReason::DemoFinished => "demo conversation finished",
        }
    }

    fn capture_stats(&self, stats: &CaptureStats) -> String {
        let mut text = format!(
            "{} frames captured; libpcap counted {} received, {} dropped by the capture buffer, {} \
             dropped by the interface",
            stats.delivered, stats.received, stats.dropped, stats.if_dropped
        );
        if stats.counts_twice {
            text.push_str(
                " (on lo and \"any\" libpcap counts each loopback packet twice, outgoing and \
                 incoming, so received is about twice the frames)",
            );
        }
        if stats.dropped > 0 {
            text.push_str(
                "; packets were lost: use a smaller --snaplen or a larger buffer, or capture less",
            );
        }
        text
    }

    fn capture_stopped(&self, reason: &str, stats: &str) -> String {
        format!("capture stopped: {reason} · {stats}")
    }

    fn wrote(&self, frames: u64, path: &str) -> String {
        format!("wrote {frames} packets to {path}")
    }
}
