//! Newline-delimited JSON. The wire types here are the output contract, kept apart from the
//! internal structs: keys may be added, never renamed.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::value::RawValue;

use super::shared::{JsonRecords, SharedWriter};
use super::words::EN;
use super::{CaptureEnd, Printer, Shown, Source, Totals};
use crate::bytemap::{MapContext, map_frame};
use crate::config::{SummaryMode, ViewConfig};
use crate::demo::lesson::Lesson;
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
    /// The client address of the TCP connection the call is about, when known.
    conn: Option<String>,
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
        conn: call.conn.map(|addr| addr.to_string()),
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
    /// The packet records (and the precision of every record's times).
    records: JsonRecords,
}

impl<'w> JsonPrinter<'w> {
    /// A JSON printer for `cfg`, writing to `out`.
    pub fn new(cfg: &ViewConfig, out: Box<dyn Write + 'w>) -> JsonPrinter<'w> {
        JsonPrinter {
            out,
            cfg: cfg.clone(),
            records: JsonRecords::new(Precision::Micro),
        }
    }

    fn line(&mut self, record: &impl Serialize) -> io::Result<()> {
        let mut bytes = serde_json::to_vec(record)?;
        bytes.push(b'\n');
        self.out.write_all(&bytes)
    }

    fn packets_on(&self) -> bool {
        self.cfg.summary != SummaryMode::Only
    }
}

impl Printer for JsonPrinter<'_> {
    fn begin(&mut self, _source: &Source<'_>, precision: Precision) -> io::Result<()> {
        self.records = JsonRecords::new(precision);
        Ok(())
    }

    fn packet(&mut self, shown: &Shown<'_>) -> io::Result<()> {
        if !self.packets_on() {
            return Ok(());
        }
        self.out.write_all(self.records.record(shown).as_bytes())?;
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
            self.line(&super::json_bytes::record(&map))?;
        }
        Ok(())
    }

    fn shared_writer(&self) -> Option<SharedWriter> {
        // Byte maps follow their packet's record: those are all written here.
        let records_only = self.packets_on() && self.cfg.bytes.is_none();
        records_only.then(|| SharedWriter::Json(JsonRecords::new(self.records.precision())))
    }

    fn lines_written_elsewhere(&mut self, text: &[u8]) -> io::Result<()> {
        self.out.write_all(text)
    }

    fn packet_written_elsewhere(&mut self, _shown: &Shown<'_>) -> io::Result<()> {
        Ok(())
    }

    fn app_call(&mut self, call: &AppEvent) -> io::Result<()> {
        if !self.packets_on() {
            return Ok(());
        }
        let record = app_record(call, self.records.precision());
        self.line(&record)
    }

    fn conversation(&mut self, conv: &Conversation) -> io::Result<()> {
        if self.cfg.summary == SummaryMode::None {
            return Ok(());
        }
        self.line(&connection_record(conv, self.records.precision()))
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

    fn lesson(&mut self, lesson: &Lesson) -> io::Result<()> {
        self.line(&lesson_record(lesson))
    }
}

/// The `"type":"lesson"` record after a demo: its sentences (English) and its points, typed,
/// with their frame numbers.
#[derive(Serialize)]
struct LessonRecord<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    demo: &'static str,
    text: Vec<String>,
    points: &'a [crate::demo::lesson::Point],
}

fn lesson_record(lesson: &Lesson) -> LessonRecord<'_> {
    LessonRecord {
        kind: "lesson",
        demo: lesson.demo.name(),
        text: lesson
            .points
            .iter()
            .flat_map(|p| EN.lesson_point(p))
            .collect(),
        points: &lesson.points,
    }
}
