//! Newline-delimited JSON. The wire types here are the output contract, kept apart from the
//! internal structs: keys may be added, never renamed.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::value::RawValue;

use crate::capture::{Frame, Precision, Timestamp};
use crate::decode::{Packet, TcpOptionKind};
use crate::flow::{Conversation, Observation};
use crate::time::format_secs;

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
struct PacketRecord<'a> {
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
    event: &'a str,
    states: Option<States>,
    changes: Vec<Change>,
    analysis: Vec<&'static str>,
    options: Vec<String>,
    related: Option<Related>,
    caplen: usize,
    wire_len: u32,
    truncated: bool,
    note: Option<&'a str>,
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
}

/// Epoch seconds as a JSON number with every digit the capture has.
fn ts_value(ts: Timestamp, precision: Precision) -> Box<RawValue> {
    let nanos = i128::from(ts.secs) * 1_000_000_000 + i128::from(ts.nanos);
    let text = format_secs(nanos, precision.digits());
    RawValue::from_string(text).unwrap_or_else(|_| RawValue::from_string("0".into()).unwrap())
}

/// Writes one `"type":"packet"` line.
pub fn write_packet(
    out: &mut dyn Write,
    frame: &Frame,
    packet: &Packet,
    obs: &Observation,
    precision: Precision,
) -> io::Result<()> {
    let tcp = obs.tcp.as_ref();
    let record = PacketRecord {
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
        event: &obs.event,
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
        analysis: obs.findings.iter().map(|f| f.wireshark_name()).collect(),
        options: packet
            .tcp()
            .map(|t| {
                t.options
                    .iter()
                    .filter(|o| !matches!(o.kind, TcpOptionKind::Nop | TcpOptionKind::EndOfList))
                    .map(|o| o.kind.describe())
                    .collect()
            })
            .unwrap_or_default(),
        related: obs.related.map(|(p, s)| Related {
            proto: p.as_str(),
            stream: s,
        }),
        caplen: frame.data.len(),
        wire_len: frame.orig_len,
        truncated: frame.is_truncated(),
        note: packet.stop.as_deref(),
    };
    serde_json::to_writer(&mut *out, &record)?;
    writeln!(out)
}

/// Writes one `"type":"connection"` line.
pub fn write_connection(
    out: &mut dyn Write,
    conv: &Conversation,
    precision: Precision,
) -> io::Result<()> {
    let record = ConnectionRecord {
        kind: "connection",
        stream: conv.stream,
        proto: conv.proto.as_str(),
        client: conv.client.to_string(),
        server: conv.server.to_string(),
        roles: conv.basis.explain(),
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
        conn_state: conv.conn_state,
        history: conv.history.clone(),
        final_states: conv.final_states.map(|(c, s)| States {
            client: c.map(|c| c.as_str()),
            server: s.map(|s| s.as_str()),
        }),
    };
    serde_json::to_writer(&mut *out, &record)?;
    writeln!(out)
}

#[derive(Serialize)]
struct AppCallRecord<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    ts: Box<RawValue>,
    side: &'static str,
    call: &'a str,
    phase: &'static str,
    detail: &'a str,
}

/// Writes one `"type":"app"` line: a socket call of the demo peers.
pub fn write_app_call(
    out: &mut dyn Write,
    ts: Timestamp,
    side: crate::flow::Side,
    call: &str,
    detail: &str,
    returned: bool,
    precision: Precision,
) -> io::Result<()> {
    let record = AppCallRecord {
        kind: "app",
        ts: ts_value(ts, precision),
        side: side.as_str(),
        call,
        phase: if returned { "returned" } else { "called" },
        detail,
    };
    serde_json::to_writer(&mut *out, &record)?;
    writeln!(out)
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

/// Writes the closing `"type":"capture"` line of a live capture: libpcap's counters (received,
/// dropped, dropped by the interface), why it stopped and the file written.
pub fn write_capture(
    out: &mut dyn Write,
    interface: &str,
    frames: u64,
    (received, dropped, if_dropped): (u32, u32, u32),
    stopped: &str,
    written: Option<&std::path::Path>,
) -> io::Result<()> {
    let record = CaptureRecord {
        kind: "capture",
        interface,
        frames,
        received,
        dropped,
        if_dropped,
        stopped,
        written: written.map(|p| p.display().to_string()),
    };
    serde_json::to_writer(&mut *out, &record)?;
    writeln!(out)
}
