//! The frame of a report: titles, headings, totals, close kinds, states, capture statistics.

use super::English;
use crate::analysis::{ConnState, HistoryKind, TcpState};
use crate::capture::live::{CaptureStats, StopReason};
use crate::flow::{CloseKind, Side};
use crate::render::PacketCount;
use crate::render::words::{FindingCount, ReportWords, SummaryHeadings, TimelineHeadings};
impl ReportWords for English {
    fn close_kind(&self, close: CloseKind) -> &'static str {
        match close {
            CloseKind::Fin4Way => "4-segment close",
            CloseKind::Fin3Way => "3-segment close (ACK+FIN merged)",
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
            what_narrow: "what happens [state changes]",
        }
    }

    fn state_changes(&self, changes: &[(Side, TcpState)]) -> String {
        if changes.is_empty() {
            return String::new();
        }
        let parts: Vec<String> = changes
            .iter()
            .map(|(side, state)| format!("{}\u{a0}{state}", side.as_str()))
            .collect();
        format!("[{}]", parts.join(", "))
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
            findings: "findings",
            ack_rtt: "ACK RTT\nmin / median / max",
            history: "history",
        }
    }

    fn finding_count(&self, count: FindingCount, n: u64) -> String {
        let what = match count {
            FindingCount::Retransmitted => "retransmitted",
            FindingCount::Fast => "fast",
            FindingCount::Spurious => "spurious",
            FindingCount::OutOfOrder => "out of order",
            FindingCount::DuplicateAcks => "dup ACKs",
            FindingCount::NotCaptured => "not captured",
            FindingCount::ZeroWindows => "zero windows",
        };
        format!("{n} {what}")
    }

    fn retransmission_kinds(&self, kinds: &[String]) -> String {
        format!(" ({})", kinds.join(", "))
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

    fn options_label(&self) -> &'static str {
        "options: "
    }

    fn options_cut(&self) -> &'static str {
        "… (the rest cut by the snaplen)"
    }

    fn truncated(&self, out: &mut String, kept: usize, wire: u32) {
        put!(
            out,
            "truncated by the capture's snaplen: ",
            kept,
            " of ",
            wire,
            " bytes kept"
        )
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
            PacketCount::AtEnd(size) => {
                format!("{}, packet count at the end", crate::text::file_size(size))
            }
            PacketCount::Unknown => "packet count at the end".into(),
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

    fn legend_headings(&self) -> [&'static str; 5] {
        [
            "legend",
            "columns",
            "TCP states (RFC 9293)",
            "state: how the connection went (Zeek conn_state)",
            "history: what each side did, in order (Zeek; upper case: client, lower case: \
             server)",
        ]
    }

    fn legend_columns(&self) -> [(&'static str, &'static str); 5] {
        [
            ("C>S, S>C", "direction: client to server, server to client"),
            (
                "seq, ack",
                "relative sequence and acknowledgment numbers: bytes counted from 0 at each \
                 side's SYN, as Wireshark shows them",
            ),
            ("len", "payload bytes of the segment or datagram"),
            (
                "win",
                "receive window in bytes (the raw field × 2^scale); 64? when the handshake was \
                 not seen and the scale is unknown",
            ),
            (
                "[client …]",
                "the state a side enters with this packet (narrow layout)",
            ),
        ]
    }

    fn history_meaning(&self, kind: HistoryKind) -> &'static str {
        match kind {
            HistoryKind::Syn => "a SYN without ACK: asks to connect",
            HistoryKind::SynAck => "a SYN/ACK: accepts",
            HistoryKind::Ack => "a pure ACK",
            HistoryKind::Data => "a packet with data",
            HistoryKind::Fin => "a FIN: done sending",
            HistoryKind::Rst => "a RST: abort or refusal",
            HistoryKind::Retransmission => "a retransmission",
            HistoryKind::ZeroWindow => "a zero window",
            HistoryKind::SynFin => "SYN and FIN together (unusual)",
        }
    }

    fn ladder_left_out(&self, count: u64, kept: usize) -> String {
        format!(
            "… {count} more packets not drawn: a ladder keeps its first {kept} rows \
             (use --stream N and --filter to draw a part)"
        )
    }

    fn html_hint(&self) -> &'static str {
        "Point at an arrow to see every field of its packet; click it to keep it."
    }
}
