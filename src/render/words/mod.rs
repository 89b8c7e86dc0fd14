//! Every sentence and label a person reads, in each language. The model hands over typed
//! facts (events, states, findings, close kinds); [`Words`] turns them into text.
//!
//! Each language implements the whole trait with exhaustive `match`es (no `_` arm over the
//! model's enums), so a new event, state or finding without words in every language does not
//! compile.
//!
//! The sentences printed for most packets (events, what an ACK acknowledges, a resumed
//! conversation's header, the snaplen note) are appended to a caller's buffer instead of
//! returned as new strings: a timeline writes one per packet.

/// Appends pieces ([`Put`]) to a `String` one after another, without the formatting
/// machinery: for the few sentences written for nearly every packet.
macro_rules! put {
    ($out:expr, $($piece:expr),+ $(,)?) => {{
        let out: &mut String = $out;
        $( $crate::render::words::Put::put(&$piece, out); )+
    }};
}

pub mod bytes;
mod compose;
mod en;
pub mod lesson;
mod nanos;
mod overview;
mod zh;

use super::PacketCount;
use crate::analysis::{ConnState, Finding, HistoryKind, TcpState};
use crate::capture::live::{CaptureStats, StopReason};
use crate::decode::{ArpInfo, DecodeStop, IcmpInfo, IpInfo, Link, TcpOptionKind};
use crate::demo::Detail;
use crate::flow::event::{ArpOp, TcpEvent, UdpEvent};
use crate::flow::{CloseKind, Endpoint, Proto, RoleBasis, Side};
use crate::time::Nanos;

pub use compose::{
    app_line, errno_name, ethertype_label, event_text, findings_summary, ip_protocol_name,
    protocol_label, push_event_text, push_tcp_options,
};
pub(crate) use compose::{arp_ip, payload_text};
pub use en::English;
pub use lesson::LessonWords;
pub use overview::{Noteworthy, OverviewWords};
pub use zh::Chinese;

/// SACK blocks as `1449-2897,4345-5793`, in every language.
fn push_sack_blocks(out: &mut String, sack: &[(u32, u32)]) {
    for (i, (left, right)) in sack.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        put!(out, *left, "-", *right);
    }
}

/// A piece of a sentence that appends itself to a string (see `put!`).
pub(crate) trait Put {
    /// Appends the piece to `out`.
    fn put(&self, out: &mut String);
}

impl Put for String {
    #[inline]
    fn put(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Put for &str {
    #[inline]
    fn put(&self, out: &mut String) {
        out.push_str(self);
    }
}

macro_rules! put_integer {
    ($($t:ty),+) => {$(
        impl Put for $t {
            #[inline]
            fn put(&self, out: &mut String) {
                crate::text::push_decimal(out, *self as u64);
            }
        }
    )+};
}
put_integer!(u8, u16, u32, u64, usize);

impl Put for Nanos {
    fn put(&self, out: &mut String) {
        nanos::push_nanos(out, self.0);
    }
}

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

/// What a count in a conversation's findings counts (see [`findings_summary`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindingCount {
    /// Retransmissions of every kind.
    Retransmitted,
    /// Fast retransmissions, among them.
    Fast,
    /// Spurious retransmissions, among them.
    Spurious,
    /// Out-of-order segments.
    OutOfOrder,
    /// Duplicate ACKs.
    DuplicateAcks,
    /// Segments not captured.
    NotCaptured,
    /// Zero windows.
    ZeroWindows,
}

/// The words of one language: every part below, in one object.
pub trait Words:
    EventWords + DecodeWords + ReportWords + AppWords + LessonWords + OverviewWords
{
}

impl<T: EventWords + DecodeWords + ReportWords + AppWords + LessonWords + OverviewWords> Words
    for T
{
}

/// What packets do: events, findings, conversation titles.
pub trait EventWords: Sync {
    /// "client" / "server".
    fn side(&self, side: Side) -> &'static str;
    /// A TCP event, the sender being `sender`, appended to `out`.
    fn tcp_event(&self, out: &mut String, event: &TcpEvent, sender: Side);
    /// What an ACK acknowledges, appended after the event: the frame and, when known, how
    /// long ago.
    fn acks(&self, out: &mut String, frame: u64, after: Option<Nanos>);
    /// A UDP event, the sender being `sender`, appended to `out`.
    fn udp_event(&self, out: &mut String, event: &UdpEvent, sender: Side);
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
    /// The header when a conversation's packets resume after another's, appended to `out`:
    /// "── TCP stream 0 (continued)".
    fn stream_continued(&self, out: &mut String, proto: Proto, stream: u32);
    /// The header over packets that belong to no TCP or UDP conversation.
    fn outside_streams(&self) -> &'static str;
    /// "TCP stream 3" style title.
    fn stream_title(&self, proto: Proto, stream: u32) -> String;
    /// The line that opens a conversation in the timeline, appended: "── TCP stream 0: client
    /// A → server B · tail"; `endpoints` are the client's and the server's, already painted.
    fn stream_intro(
        &self,
        out: &mut String,
        proto: Proto,
        stream: u32,
        endpoints: (&str, &str),
        tail: &str,
    );
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
    /// show for a SACK option (relative to the peer's base). Appended to `out`.
    fn tcp_option(&self, out: &mut String, option: &TcpOptionKind, sack: &[(u32, u32)]);
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
    /// One count of a conversation's findings: `3 out of order`.
    fn finding_count(&self, count: FindingCount, n: u64) -> String;
    /// The kinds among the retransmissions, after their count: ` (1 fast, 2 spurious)`.
    fn retransmission_kinds(&self, kinds: &[String]) -> String;
    /// A handshake RTT cell for UDP: the first reply's delay.
    fn first_reply(&self, delay: &str) -> String;
    /// The line after the timeline: packets and conversations.
    fn totals(&self, read: u64, shown: Option<u64>, tcp: usize, udp: usize) -> String;
    /// When there is nothing to summarize.
    fn no_conversations(&self) -> &'static str;
    /// What opens the indented options line: "options: " (before "MSS 1460, ...").
    fn options_label(&self) -> &'static str;
    /// The options line's note that the snaplen cut the options.
    fn options_cut(&self) -> &'static str;
    /// The note under a frame the snaplen cut.
    fn truncated(&self, out: &mut String, kept: usize, wire: u32);
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

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_decode;
