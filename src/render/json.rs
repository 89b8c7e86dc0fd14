//! Newline-delimited JSON. The wire types here are the output contract, kept apart from the
//! internal structs: keys may be added, never renamed.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::value::RawValue;

use super::words::{EN, event_text, tcp_options};
use super::{CaptureEnd, Printer, Shown, Source, Totals};
use crate::bytemap::{self, MapContext, map_frame};
use crate::config::{SummaryMode, ViewConfig};
use crate::decode::TcpOptionKind;
use crate::demo::{AppEvent, Phase as CallPhase};
use crate::flow::Conversation;
use crate::time::{Precision, Timestamp, format_secs};

/// Client and server states after a packet.
#[derive(Serialize)]
struct States {
    client: Option<&'static str>,
    server: Option<&'static str>,
}

#[derive(Serialize)]
struct Change {
    side: &'static str,
    from: Option<&'static str>,
    to: &'static str,
}

#[derive(Serialize)]
struct Related {
    proto: &'static str,
    stream: u32,
}

#[derive(Serialize)]
struct PacketRecord {
    #[serde(rename = "type")]
    kind: &'static str,
    frame: u64,
    ts: Box<RawValue>,
    proto: &'static str,
    src: Option<String>,
    dst: Option<String>,
    sport: Option<u16>,
    dport: Option<u16>,
    stream: Option<u32>,
    dir: Option<&'static str>,
    flags: Vec<&'static str>,
    seq: Option<u32>,
    ack: Option<u32>,
    seq_raw: Option<u32>,
    ack_raw: Option<u32>,
    len: Option<u32>,
    win: Option<u16>,
    win_bytes: Option<u64>,
    phase: &'static str,
    event: String,
    event_kind: &'static str,
    states: Option<States>,
    changes: Vec<Change>,
    analysis: Vec<&'static str>,
    options: Vec<String>,
    related: Option<Related>,
    caplen: usize,
    wire_len: u32,
    truncated: bool,
    note: Option<String>,
    sack: Vec<(u32, u32)>,
    sack_raw: Vec<(u32, u32)>,
    dup_ack_num: Option<u32>,
    dup_ack_frame: Option<u64>,
    acks_frame: Option<u64>,
    ack_rtt: Option<Box<RawValue>>,
    initial_rtt: Option<Box<RawValue>>,
    bytes_in_flight: Option<u32>,
    push_bytes_sent: Option<u32>,
}

#[derive(Serialize)]
struct ConnectionRecord {
    #[serde(rename = "type")]
    kind: &'static str,
    stream: u32,
    proto: &'static str,
    client: String,
    server: String,
    roles: &'static str,
    packets: u64,
    packets_c2s: u64,
    packets_s2c: u64,
    bytes_c2s: u64,
    bytes_s2c: u64,
    wire_bytes_c2s: u64,
    wire_bytes_s2c: u64,
    start: Box<RawValue>,
    duration: f64,
    rtt_handshake: Option<f64>,
    rtt_syn_synack: Option<f64>,
    close: &'static str,
    conn_state: &'static str,
    history: String,
    final_states: Option<States>,
    retransmissions: Option<u64>,
    fast_retransmissions: Option<u64>,
    spurious_retransmissions: Option<u64>,
    out_of_order: Option<u64>,
    duplicate_acks: Option<u64>,
    lost_segments: Option<u64>,
    zero_windows: Option<u64>,
    ack_rtt_min: Option<Box<RawValue>>,
    ack_rtt_median: Option<Box<RawValue>>,
    ack_rtt_max: Option<Box<RawValue>>,
    retired: &'static str,
    continued: bool,
}

/// A duration in nanoseconds as seconds with nine decimals (tshark's ack_rtt form).
fn seconds(nanos: i64) -> Box<RawValue> {
    let text = format_secs(i128::from(nanos), 9);
    RawValue::from_string(text).unwrap_or_else(|_| RawValue::from_string("0".into()).unwrap())
}

/// Epoch seconds as a JSON number with every digit the capture has.
fn ts_value(ts: Timestamp, precision: Precision) -> Box<RawValue> {
    let nanos = i128::from(ts.secs) * 1_000_000_000 + i128::from(ts.nanos);
    let text = format_secs(nanos, precision.digits());
    RawValue::from_string(text).unwrap_or_else(|_| RawValue::from_string("0".into()).unwrap())
}

/// The `"type":"packet"` record of a shown frame.
fn packet_record(shown: &Shown<'_>, precision: Precision) -> PacketRecord {
    let (frame, packet, obs) = (shown.frame, shown.packet, shown.obs);
    let tcp = obs.tcp.as_ref();
    let expert = tcp.map(|t| &t.expert);
    PacketRecord {
        kind: "packet",
        frame: obs.frame,
        ts: ts_value(obs.ts, precision),
        proto: obs.proto.as_str(),
        src: obs.src.map(|a| a.to_string()),
        dst: obs.dst.map(|a| a.to_string()),
        sport: obs.sport,
        dport: obs.dport,
        stream: obs.stream,
        dir: obs.dir.map(|d| d.as_str()),
        flags: tcp
            .map(|t| crate::decode::tcp::flag_names(t.flags))
            .unwrap_or_default(),
        seq: tcp.map(|t| t.seq),
        ack: tcp.and_then(|t| t.ack),
        seq_raw: tcp.map(|t| t.seq_raw),
        ack_raw: tcp.map(|t| t.ack_raw),
        len: obs.len,
        win: tcp.map(|t| t.window),
        win_bytes: tcp.and_then(|t| t.window_bytes),
        phase: obs.phase.as_str(),
        event: event_text(EN, obs, packet),
        event_kind: obs.event.code(),
        states: obs.states.map(|(c, s)| States {
            client: c.map(|c| c.as_str()),
            server: s.map(|s| s.as_str()),
        }),
        changes: obs
            .changes
            .iter()
            .map(|c| Change {
                side: c.side.as_str(),
                from: c.from.map(|f| f.as_str()),
                to: c.to.as_str(),
            })
            .collect(),
        analysis: obs.findings.wireshark_fields().collect(),
        options: tcp_options(EN, obs, packet),
        related: obs.related.map(|(p, s)| Related {
            proto: p.as_str(),
            stream: s,
        }),
        caplen: frame.data.len(),
        wire_len: frame.orig_len,
        truncated: frame.is_truncated(),
        note: packet.stop.map(|s| EN.decode_stop(&s)),
        sack: tcp.map(|t| t.sack.clone()).unwrap_or_default(),
        sack_raw: packet
            .tcp()
            .map(|t| {
                t.options
                    .iter()
                    .filter_map(|o| match &o.kind {
                        TcpOptionKind::Sack(blocks) => Some(blocks.iter().copied()),
                        _ => None,
                    })
                    .flatten()
                    .collect()
            })
            .unwrap_or_default(),
        dup_ack_num: expert.and_then(|e| e.dup_ack.map(|d| d.0)),
        dup_ack_frame: expert.and_then(|e| e.dup_ack.map(|d| d.1)),
        acks_frame: expert.and_then(|e| e.acks_frame),
        ack_rtt: expert.and_then(|e| e.ack_rtt_nanos).map(seconds),
        initial_rtt: expert.and_then(|e| e.initial_rtt_nanos).map(seconds),
        bytes_in_flight: expert.and_then(|e| e.bytes_in_flight),
        push_bytes_sent: expert.and_then(|e| e.push_bytes_sent),
    }
}

/// The `"type":"connection"` record of a conversation.
fn connection_record(conv: &Conversation, precision: Precision) -> ConnectionRecord {
    let a = conv.analysis.as_ref();
    ConnectionRecord {
        kind: "connection",
        stream: conv.stream,
        proto: conv.proto.as_str(),
        client: conv.client.to_string(),
        server: conv.server.to_string(),
        roles: EN.role_basis(conv.basis),
        packets: conv.packets[0] + conv.packets[1],
        packets_c2s: conv.packets[0],
        packets_s2c: conv.packets[1],
        bytes_c2s: conv.bytes[0],
        bytes_s2c: conv.bytes[1],
        wire_bytes_c2s: conv.wire_bytes[0],
        wire_bytes_s2c: conv.wire_bytes[1],
        start: ts_value(conv.start, precision),
        duration: conv.duration(),
        rtt_handshake: conv.rtt_handshake,
        rtt_syn_synack: conv.rtt_syn_synack,
        close: conv.close.as_str(),
        conn_state: conv.conn_state.code(),
        history: conv.history.clone(),
        final_states: conv.final_states.map(|(c, s)| States {
            client: c.map(|c| c.as_str()),
            server: s.map(|s| s.as_str()),
        }),
        retransmissions: a.map(|a| a.retransmissions),
        fast_retransmissions: a.map(|a| a.fast_retransmissions),
        spurious_retransmissions: a.map(|a| a.spurious_retransmissions),
        out_of_order: a.map(|a| a.out_of_order),
        duplicate_acks: a.map(|a| a.duplicate_acks),
        lost_segments: a.map(|a| a.lost_segments),
        zero_windows: a.map(|a| a.zero_windows),
        ack_rtt_min: a.and_then(|a| a.ack_rtt_min).map(seconds),
        ack_rtt_median: a.and_then(|a| a.ack_rtt_median).map(seconds),
        ack_rtt_max: a.and_then(|a| a.ack_rtt_max).map(seconds),
        retired: conv.retired.as_str(),
        continued: conv.continued,
    }
}

#[derive(Serialize)]
struct AppCallRecord {
    #[serde(rename = "type")]
    kind: &'static str,
    ts: Box<RawValue>,
    side: &'static str,
    call: &'static str,
    phase: &'static str,
    detail: String,
}

/// The `"type":"app"` record of a socket call of the demo peers.
fn app_record(call: &AppEvent, precision: Precision) -> AppCallRecord {
    AppCallRecord {
        kind: "app",
        ts: ts_value(call.ts, precision),
        side: call.side.as_str(),
        call: call.call.name(),
        phase: if call.phase == CallPhase::After {
            "returned"
        } else {
            "called"
        },
        detail: EN.app_detail(&call.detail),
    }
}

#[derive(Serialize)]
struct CaptureRecord<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    interface: &'a str,
    frames: u64,
    received: u32,
    dropped: u32,
    if_dropped: u32,
    stopped: &'a str,
    written: Option<String>,
}

/// Writes newline-delimited JSON: one record per shown packet, socket call and conversation,
/// and for a live capture a closing capture record.
pub struct JsonPrinter<'w> {
    out: Box<dyn Write + 'w>,
    cfg: ViewConfig,
    precision: Precision,
}

impl<'w> JsonPrinter<'w> {
    /// A JSON printer for `cfg`, writing to `out`.
    pub fn new(cfg: &ViewConfig, out: Box<dyn Write + 'w>) -> JsonPrinter<'w> {
        JsonPrinter {
            out,
            cfg: cfg.clone(),
            precision: Precision::Micro,
        }
    }

    fn line(&mut self, record: &impl Serialize) -> io::Result<()> {
        serde_json::to_writer(&mut self.out, record)?;
        writeln!(self.out)
    }

    fn packets_on(&self) -> bool {
        self.cfg.summary != SummaryMode::Only
    }
}

impl Printer for JsonPrinter<'_> {
    fn begin(&mut self, _source: &Source<'_>, precision: Precision) -> io::Result<()> {
        self.precision = precision;
        Ok(())
    }

    fn packet(&mut self, shown: &Shown<'_>) -> io::Result<()> {
        if !self.packets_on() {
            return Ok(());
        }
        self.line(&packet_record(shown, self.precision))?;
        if self
            .cfg
            .bytes
            .as_ref()
            .is_some_and(|sel| sel.contains(shown.frame.index))
        {
            let ctx = MapContext {
                window_scale: shown.obs.tcp.as_ref().and_then(|t| t.window_shift),
            };
            let map = map_frame(shown.frame, shown.packet, &ctx);
            self.line(&bytemap::json::record(&map))?;
        }
        Ok(())
    }

    fn app_call(&mut self, call: &AppEvent) -> io::Result<()> {
        if !self.packets_on() {
            return Ok(());
        }
        let record = app_record(call, self.precision);
        self.line(&record)
    }

    fn conversation(&mut self, conv: &Conversation) -> io::Result<()> {
        if self.cfg.summary == SummaryMode::None {
            return Ok(());
        }
        self.line(&connection_record(conv, self.precision))
    }

    fn finish(&mut self, _totals: &Totals) -> io::Result<()> {
        self.out.flush()
    }

    fn capture_end(&mut self, end: &CaptureEnd<'_>) -> io::Result<()> {
        let record = CaptureRecord {
            kind: "capture",
            interface: end.iface,
            frames: end.frames,
            received: end.stats.received,
            dropped: end.stats.dropped,
            if_dropped: end.stats.if_dropped,
            stopped: EN.stop_reason(end.stop),
            written: end.written.map(|p| p.display().to_string()),
        };
        self.line(&record)?;
        self.out.flush()
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
