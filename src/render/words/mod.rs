//! Every sentence and label a person reads, in each language. The model hands over typed
//! facts (events, states, findings, close kinds); [`Words`] turns them into text.
//!
//! Each language implements the whole trait with exhaustive `match`es (no `_` arm over the
//! model's enums), so a new event, state or finding without words in every language does not
//! compile.

mod en;
mod overview;
mod zh;

use std::net::IpAddr;

use super::PacketCount;
use crate::analysis::{ConnState, Finding, HistoryKind, TcpState};
use crate::capture::live::{CaptureStats, StopReason};
use crate::decode::{
    ArpInfo, DecodeStop, IcmpInfo, IpInfo, Link, Packet, TcpOptionKind, Transport,
};
use crate::demo::{AppEvent, Detail, Payload, Phase as CallPhase};
use crate::flow::event::{ArpOp, Event, TcpEvent, UdpEvent};
use crate::flow::{AnalysisSummary, CloseKind, Endpoint, Observation, Proto, RoleBasis, Side};

pub use en::English;
pub use overview::{Noteworthy, OverviewWords};
pub use zh::Chinese;

/// English, the language of JSON's sentences.
pub const EN: &dyn Words = &English;

/// A language of the views.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Simplified Chinese (中文).
    Zh,
}

impl Lang {
    /// Every language.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// The words of this language.
    pub fn words(self) -> &'static dyn Words {
        match self {
            Lang::En => &English,
            Lang::Zh => &Chinese,
        }
    }

    /// The language a locale string names: `zh_CN.UTF-8`, `zh_TW`, `zh` → Chinese; anything
    /// else, or nothing, → English.
    pub fn from_locale(locale: Option<&str>) -> Lang {
        match locale {
            Some(l) if l.starts_with("zh") => Lang::Zh,
            _ => Lang::En,
        }
    }
}

/// Column headings of the timeline.
#[derive(Debug, Clone, Copy)]
pub struct TimelineHeadings {
    /// Frame number.
    pub frame: &'static str,
    /// Time since the first packet.
    pub time_relative: &'static str,
    /// Wall-clock time.
    pub time_absolute: &'static str,
    /// Time since the previous packet.
    pub time_delta: &'static str,
    /// Stream.
    pub stream: &'static str,
    /// Direction.
    pub dir: &'static str,
    /// TCP flags.
    pub flags: &'static str,
    /// Relative sequence number.
    pub seq: &'static str,
    /// Relative acknowledgment number.
    pub ack: &'static str,
    /// Payload length.
    pub len: &'static str,
    /// Receive window.
    pub win: &'static str,
    /// The client's state.
    pub client: &'static str,
    /// The server's state.
    pub server: &'static str,
    /// What happens.
    pub what: &'static str,
    /// What happens, in the narrow layout (the state changes follow in brackets).
    pub what_narrow: &'static str,
}

/// Column headings of the summary table (two lines each).
#[derive(Debug, Clone, Copy)]
pub struct SummaryHeadings {
    /// Stream.
    pub stream: &'static str,
    /// Client endpoint.
    pub client: &'static str,
    /// Server endpoint.
    pub server: &'static str,
    /// Packets each way.
    pub packets: &'static str,
    /// Payload bytes each way.
    pub bytes: &'static str,
    /// Start time.
    pub start: &'static str,
    /// Duration.
    pub duration: &'static str,
    /// Handshake round trips.
    pub rtt: &'static str,
    /// How it closed.
    pub close: &'static str,
    /// Zeek conn_state.
    pub state: &'static str,
    /// What the sequence analysis found.
    pub findings: &'static str,
    /// ACK round trips.
    pub ack_rtt: &'static str,
    /// Zeek history.
    pub history: &'static str,
}

/// The words of one language: every part below, in one object.
pub trait Words: EventWords + DecodeWords + ReportWords + AppWords + OverviewWords {}

impl<T: EventWords + DecodeWords + ReportWords + AppWords + OverviewWords> Words for T {}

/// What packets do: events, findings, conversation titles.
pub trait EventWords: Sync {
    /// "client" / "server".
    fn side(&self, side: Side) -> &'static str;
    /// A TCP event, the sender being `sender`.
    fn tcp_event(&self, event: &TcpEvent, sender: Side) -> String;
    /// What an ACK acknowledges, after the event: the frame and, when known, how long ago.
    fn acks(&self, frame: u64, after: Option<&str>) -> String;
    /// A UDP event, the sender being `sender`.
    fn udp_event(&self, event: &UdpEvent, sender: Side) -> String;
    /// An ICMP error tied to the conversation whose packet it quotes.
    fn icmp_answers(
        &self,
        icmp: &str,
        proto: Proto,
        stream: u32,
        quoted: (Endpoint, Endpoint),
    ) -> String;
    /// An ARP packet.
    fn arp(&self, op: ArpOp, arp: &ArpInfo) -> String;
    /// An IP fragment without its transport header.
    fn fragment(&self, ip: &IpInfo, protocol: &str) -> String;
    /// The highest protocol of a packet nothing else describes ("IPv4 GRE", "EtherType
    /// 0x88cc (LLDP)").
    fn other(&self, label: &str, stop: Option<&str>) -> String;
    /// A short label of a finding, for the timeline's tags.
    fn finding(&self, finding: Finding) -> &'static str;
    /// How the roles of a TCP conversation were decided.
    fn role_basis(&self, basis: RoleBasis) -> &'static str;
    /// The note on a UDP conversation's header line.
    fn udp_intro(&self) -> &'static str;
    /// "TCP stream 3" style title.
    fn stream_title(&self, proto: Proto, stream: u32) -> String;
    /// The line that opens a conversation in the timeline: "── TCP stream 0: client A →
    /// server B · tail"; `client` and `server` are the endpoints, already painted.
    fn stream_intro(
        &self,
        proto: Proto,
        stream: u32,
        client: &str,
        server: &str,
        tail: &str,
    ) -> String;
}

/// What decoding found: ICMP messages, link payloads, why decoding stopped.
pub trait DecodeWords: Sync {
    /// An ICMP message: "echo request id 7 seq 1", "destination unreachable: port
    /// unreachable".
    fn icmp(&self, info: &IcmpInfo) -> String;
    /// What a link header carries when no network layer was decoded.
    fn link_payload(&self, link: &Link) -> String;
    /// Why decoding stopped.
    fn decode_stop(&self, stop: &DecodeStop) -> String;
    /// A TCP option in a few words: "MSS 1460", "SACK 1449-2897"; `sack` gives the blocks to
    /// show for a SACK option (relative to the peer's base).
    fn tcp_option(&self, option: &TcpOptionKind, sack: &[(u32, u32)]) -> String;
}

/// The frame of a report: titles, headings, totals, close kinds, states, capture statistics.
pub trait ReportWords: Sync {
    /// How a connection closed, for the summary.
    fn close_kind(&self, close: CloseKind) -> &'static str;
    /// What a TCP state means, for the legend.
    fn state_meaning(&self, state: TcpState) -> &'static str;
    /// What a Zeek conn_state code means, for the legend.
    fn conn_state_meaning(&self, state: ConnState) -> &'static str;
    /// The timeline's column headings.
    fn timeline_headings(&self) -> TimelineHeadings;
    /// The state changes of a packet in the narrow layout: `[client SYN-SENT]`.
    fn state_changes(&self, changes: &[(Side, TcpState)]) -> String;
    /// The summary table's column headings.
    fn summary_headings(&self) -> SummaryHeadings;
    /// The findings of a connection in a few words ("4 retransmitted (2 fast) · 14 out of
    /// order"), or "-" when there are none.
    fn findings_summary(&self, summary: &AnalysisSummary) -> String;
    /// A handshake RTT cell for UDP: the first reply's delay.
    fn first_reply(&self, delay: &str) -> String;
    /// The line after the timeline: packets and conversations.
    fn totals(&self, read: u64, shown: Option<u64>, tcp: usize, udp: usize) -> String;
    /// When there is nothing to summarize.
    fn no_conversations(&self) -> &'static str;
    /// The indented options line: "options: MSS 1460, ...".
    fn options_line(&self, options: &str) -> String;
    /// The options line's note that the snaplen cut the options.
    fn options_cut(&self) -> &'static str;
    /// The note under a frame the snaplen cut.
    fn truncated(&self, kept: usize, wire: u32) -> String;
    /// The note under a frame whose decoding stopped early.
    fn note(&self, stop: &str) -> String;
    /// The title line of a capture file: name, format, link types, packet count.
    fn file_title(
        &self,
        name: &str,
        format: Option<&str>,
        linktypes: &str,
        count: PacketCount,
    ) -> String;
    /// The title line when reading standard input.
    fn stdin_title(&self, linktype: &str) -> String;
    /// The title line of a live capture; `demo` is the demo's name and address.
    fn live_title(&self, iface: &str, demo: Option<(&str, &str)>, write: Option<&str>) -> String;
    /// The part of the live title after the link type: the filter.
    fn live_filter(&self, filter: &str) -> String;
    /// Why a live capture stopped.
    fn stop_reason(&self, reason: StopReason) -> &'static str;
    /// libpcap's counters explained.
    fn capture_stats(&self, stats: &CaptureStats) -> String;
    /// The line after a live capture: why it stopped and the counters.
    fn capture_stopped(&self, reason: &str, stats: &str) -> String;
    /// The line naming the file a live capture wrote.
    fn wrote(&self, frames: u64, path: &str) -> String;
    /// Headings of the legend: its title, and its parts for the columns, the states, Zeek's
    /// conn_state and Zeek's history letters.
    fn legend_headings(&self) -> [&'static str; 5];
    /// The timeline's columns and marks explained: (what is shown, what it means).
    fn legend_columns(&self) -> [(&'static str, &'static str); 5];
    /// What a history letter records.
    fn history_meaning(&self, kind: HistoryKind) -> &'static str;
    /// The note at the end of a ladder that left rows out.
    fn ladder_left_out(&self, count: u64, kept: usize) -> String;
    /// The hint above the HTML page's details panel.
    fn html_hint(&self) -> &'static str;
}

/// What the demo peers' socket calls do.
pub trait AppWords: Sync {
    /// What a demo peer's socket call is about to do or did.
    fn app_detail(&self, detail: &Detail) -> String;
}

/// A socket call as a timeline line: `connect() to …` when called, `connect() → …` when it
/// returned.
pub fn app_line(words: &dyn Words, call: &AppEvent) -> String {
    let detail = words.app_detail(&call.detail);
    match call.phase {
        CallPhase::Before => format!("{}() {detail}", call.call.name()),
        CallPhase::After => format!("{}() → {detail}", call.call.name()),
    }
}

/// The errno name of an OS error number, for the errors demos meet.
pub fn errno_name(errno: i32) -> Option<&'static str> {
    Some(match errno {
        1 => "EPERM",
        13 => "EACCES",
        32 => "EPIPE",
        90 => "EMSGSIZE",
        98 => "EADDRINUSE",
        101 => "ENETUNREACH",
        103 => "ECONNABORTED",
        104 => "ECONNRESET",
        110 => "ETIMEDOUT",
        111 => "ECONNREFUSED",
        113 => "EHOSTUNREACH",
        _ => return None,
    })
}

/// A payload preview: `5 bytes "hello"` style, escaped, `…` when longer than the preview.
pub(crate) fn payload_text(data: &Payload, unit: &str) -> String {
    let more = if data.len > data.preview.len() {
        "…"
    } else {
        ""
    };
    format!(
        "{} {unit} \"{}\"{more}",
        data.len,
        crate::text::escape_bytes(&data.preview)
    )
}

/// The sentence for what a packet does.
pub fn event_text(words: &dyn Words, obs: &Observation, packet: &Packet) -> String {
    let sender = obs.dir.map_or(Side::Client, |d| d.sender());
    match &obs.event {
        Event::Tcp(e) => {
            let mut text = words.tcp_event(e, sender);
            if let Some(expert) = obs.tcp.as_ref().map(|t| t.expert)
                && let Some(frame) = expert.acks_frame
            {
                let after = expert
                    .ack_rtt_nanos
                    .map(|ns| crate::time::format_duration(ns as f64 / 1e9));
                text.push_str(&words.acks(frame, after.as_deref()));
            }
            text
        }
        Event::Udp(e) => words.udp_event(e, sender),
        Event::Icmp(_) => {
            let Some(Transport::Icmp(icmp)) = &packet.transport else {
                return String::new();
            };
            let text = words.icmp(icmp);
            match (obs.related, &icmp.quoted) {
                (Some((proto, stream)), Some(q)) => match q.ports {
                    Some((sport, dport)) => {
                        let src = Endpoint {
                            ip: q.src,
                            port: sport,
                        };
                        let dst = Endpoint {
                            ip: q.dst,
                            port: dport,
                        };
                        words.icmp_answers(&text, proto, stream, (src, dst))
                    }
                    None => text,
                },
                _ => text,
            }
        }
        Event::Arp(op) => match &packet.net {
            Some(crate::decode::Net::Arp(arp)) => words.arp(*op, arp),
            _ => String::new(),
        },
        Event::IpFragment { .. } => match packet.ip() {
            Some(ip) => words.fragment(ip, &ip_protocol_name(ip.protocol)),
            None => String::new(),
        },
        Event::Other => {
            let label = protocol_label(words, packet);
            let stop = match (&packet.net, &packet.stop) {
                (None, Some(stop)) => Some(words.decode_stop(stop)),
                _ => None,
            };
            words.other(&label, stop.as_deref())
        }
    }
}

/// The options of a TCP segment in words, NOPs and the end of the list left out; SACK blocks
/// relative to the peer's base as the observation gives them.
pub fn tcp_options(words: &dyn Words, obs: &Observation, packet: &Packet) -> Vec<String> {
    let Some(tcp) = packet.tcp() else {
        return Vec::new();
    };
    let relative = obs.tcp.as_ref().map_or(&[][..], |t| &t.sack[..]);
    let mut sack_at = 0;
    tcp.options
        .iter()
        .filter(|o| !matches!(o.kind, TcpOptionKind::Nop | TcpOptionKind::EndOfList))
        .map(|o| {
            let blocks = match &o.kind {
                TcpOptionKind::Sack(raw) => {
                    let end = (sack_at + raw.len()).min(relative.len());
                    let mine = relative.get(sack_at..end).unwrap_or(&[]);
                    sack_at = end;
                    if mine.len() == raw.len() {
                        mine
                    } else {
                        &raw[..]
                    }
                }
                _ => &[],
            };
            words.tcp_option(&o.kind, blocks)
        })
        .collect()
}

/// Name of an IP protocol number ("GRE", "ESP", "protocol 253").
pub fn ip_protocol_name(protocol: u8) -> String {
    crate::decode::ip_protocol_keyword(protocol)
        .map(str::to_string)
        .unwrap_or_else(|| format!("protocol {protocol}"))
}

/// A short label of the highest decoded protocol ("TCP", "ARP", "IPv6 GRE", "EtherType 0x88cc
/// (LLDP)").
pub fn protocol_label(words: &dyn Words, packet: &Packet) -> String {
    use crate::decode::Net;
    match (&packet.transport, &packet.net) {
        (Some(Transport::Tcp(_)), _) => "TCP".into(),
        (Some(Transport::Udp(_)), _) => "UDP".into(),
        (Some(Transport::Icmp(i)), _) => if i.v6 { "ICMPv6" } else { "ICMP" }.into(),
        (None, Some(Net::Arp(_))) => "ARP".into(),
        (None, Some(Net::Ip(ip))) => {
            format!("IPv{} {}", ip.version, ip_protocol_name(ip.protocol))
        }
        (None, None) => words.link_payload(&packet.link),
    }
}

/// "EtherType 0x88cc (LLDP)": an EtherType and its protocol's name, when known.
pub fn ethertype_label(ethertype: u16) -> String {
    let name = match ethertype {
        0x0800 => "IPv4",
        0x0806 => "ARP",
        0x86dd => "IPv6",
        0x8100 => "802.1Q VLAN",
        0x88a8 => "802.1ad QinQ",
        0x8035 => "RARP",
        0x8847 | 0x8848 => "MPLS",
        0x8863 | 0x8864 => "PPPoE",
        0x888e => "802.1X EAPOL",
        0x88cc => "LLDP",
        0x88f7 => "PTP",
        0x88e5 => "MACsec",
        0x9000 => "loopback test",
        _ => "",
    };
    if name.is_empty() {
        format!("EtherType 0x{ethertype:04x}")
    } else {
        format!("EtherType 0x{ethertype:04x} ({name})")
    }
}

/// An ARP address or `?`.
fn arp_ip(addr: &Option<IpAddr>) -> String {
    addr.map(|a| a.to_string()).unwrap_or_else(|| "?".into())
}

#[cfg(test)]
mod tests;
