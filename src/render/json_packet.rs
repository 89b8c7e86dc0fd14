//! The `"type":"packet"` record, written by hand into one reused buffer: the same bytes
//! serde_json writes for the record's fields in this order (tests compare the two), without
//! a string per address or a boxed raw number per time. It is most of the JSON output.

use super::Shown;
use super::words::{EN, push_event_text};
use crate::decode::TcpOptionKind;
use crate::text::push_ip;
use crate::time::{Precision, write_secs};

/// A key as written: `"name":`, one piece to copy.
macro_rules! k {
    ($name:literal) => {
        concat!("\"", $name, "\":")
    };
}

/// A JSON object being written: keys in order, commas between them.
struct Obj<'b> {
    out: &'b mut String,
    first: bool,
}

impl<'b> Obj<'b> {
    fn open(out: &'b mut String) -> Obj<'b> {
        out.push('{');
        Obj { out, first: true }
    }

    /// Starts the value of `key`, given as `"name":` (see [`k!`]).
    fn key(&mut self, key: &str) -> &mut String {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        self.out.push_str(key);
        self.out
    }

    fn str(&mut self, key: &str, value: &str) {
        let out = self.key(key);
        push_str(out, value);
    }

    fn opt_str(&mut self, key: &str, value: Option<&str>) {
        match value {
            Some(v) => self.str(key, v),
            None => self.key(key).push_str("null"),
        }
    }

    fn num(&mut self, key: &str, value: impl itoa::Integer) {
        let mut buf = itoa::Buffer::new();
        self.key(key).push_str(buf.format(value));
    }

    fn opt_num(&mut self, key: &str, value: Option<impl itoa::Integer>) {
        match value {
            Some(v) => self.num(key, v),
            None => self.key(key).push_str("null"),
        }
    }

    fn bool(&mut self, key: &str, value: bool) {
        self.key(key).push_str(if value { "true" } else { "false" });
    }

    fn close(self) {
        self.out.push('}');
    }
}

/// A JSON string, escaped as serde_json escapes it.
pub(super) fn push_str(out: &mut String, value: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    let bytes = value.as_bytes();
    let mut start = 0;
    while let Some(i) = next_escape(bytes, start) {
        let b = bytes[i];
        let escape: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            _ => "",
        };
        out.push_str(&value[start..i]);
        if escape.is_empty() {
            out.push_str("\\u00");
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(&value[start..]);
    out.push('"');
}

/// The first byte at or after `from` that a JSON string escapes (a control character, a
/// quote or a backslash). Eight bytes are looked at a time: most text has none.
fn next_escape(bytes: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    // A byte of `x` is zero: its high bit is set in the result (and no false positives
    // below the first zero byte, which is the one looked for).
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let rest = bytes.get(from..)?;
    let mut chunks = rest.chunks_exact(8);
    let mut at = from;
    for chunk in &mut chunks {
        let word = u64::from_ne_bytes(chunk.try_into().unwrap_or([0; 8]));
        // Bytes below 0x20 (high bit clear), quotes and backslashes.
        let control = word.wrapping_sub(ONES * 0x20) & !word & HIGHS;
        let special =
            zero(word ^ (ONES * u64::from(b'"'))) | zero(word ^ (ONES * u64::from(b'\\')));
        if control | special != 0 {
            break;
        }
        at += 8;
    }
    bytes[at..]
        .iter()
        .position(|&b| b < 0x20 || b == b'"' || b == b'\\')
        .map(|i| at + i)
}

fn push_pairs(out: &mut String, pairs: impl Iterator<Item = (u32, u32)>) {
    let mut buf = itoa::Buffer::new();
    out.push('[');
    for (i, (l, r)) in pairs.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        out.push_str(buf.format(l));
        out.push(',');
        out.push_str(buf.format(r));
        out.push(']');
    }
    out.push(']');
}

/// The options array: what `tcp_options` gives in English, the options on nearly every
/// segment (timestamps, MSS) written without a string of their own.
fn push_options(out: &mut String, obs: &crate::flow::Observation, packet: &crate::decode::Packet) {
    out.push('[');
    let Some(tcp) = packet.tcp() else {
        out.push(']');
        return;
    };
    let relative = obs.tcp.as_ref().map_or(&[][..], |t| &t.sack[..]);
    let mut sack_at = 0;
    let mut buf = itoa::Buffer::new();
    let mut first = true;
    for option in &tcp.options {
        if matches!(option.kind, TcpOptionKind::Nop | TcpOptionKind::EndOfList) {
            continue;
        }
        if !first {
            out.push(',');
        }
        first = false;
        match &option.kind {
            TcpOptionKind::Timestamp(v, e) => {
                out.push_str("\"timestamps ");
                out.push_str(buf.format(*v));
                out.push('/');
                out.push_str(buf.format(*e));
                out.push('"');
            }
            TcpOptionKind::Mss(v) => {
                out.push_str("\"MSS ");
                out.push_str(buf.format(*v));
                out.push('"');
            }
            TcpOptionKind::Sack(raw) => {
                let end = (sack_at + raw.len()).min(relative.len());
                let mine = relative.get(sack_at..end).unwrap_or(&[]);
                sack_at = end;
                let blocks = if mine.len() == raw.len() {
                    mine
                } else {
                    &raw[..]
                };
                let mut text = String::new();
                EN.tcp_option(&mut text, &option.kind, blocks);
                push_str(out, &text);
            }
            other => {
                let mut text = String::new();
                EN.tcp_option(&mut text, other, &[]);
                push_str(out, &text);
            }
        }
    }
    out.push(']');
}

fn push_secs_raw(out: &mut String, nanos: i64, digits: usize) {
    write_secs(out, i128::from(nanos), digits);
}

/// Appends the packet record of a shown frame and a newline to `out`; `scratch` is a buffer
/// reused from packet to packet.
pub(super) fn write_packet(
    out: &mut String,
    scratch: &mut String,
    shown: &Shown<'_>,
    precision: Precision,
) {
    let (frame, packet, obs) = (shown.frame, shown.packet, shown.obs);
    let tcp = obs.tcp.as_ref();
    let expert = tcp.map(|t| &t.expert);
    let mut o = Obj::open(out);
    o.str(k!("type"), "packet");
    o.num(k!("frame"), obs.frame);
    let ts = o.key(k!("ts"));
    let nanos = i128::from(obs.ts.secs) * 1_000_000_000 + i128::from(obs.ts.nanos);
    write_secs(ts, nanos, precision.digits());
    o.str(k!("proto"), obs.proto.as_str());
    for (key, addr) in [(k!("src"), obs.src), (k!("dst"), obs.dst)] {
        match addr {
            Some(a) => {
                let out = o.key(key);
                out.push('"');
                push_ip(out, a);
                out.push('"');
            }
            None => o.key(key).push_str("null"),
        }
    }
    o.opt_num(k!("sport"), obs.sport);
    o.opt_num(k!("dport"), obs.dport);
    o.opt_num(k!("stream"), obs.stream);
    o.opt_str(k!("dir"), obs.dir.map(|d| d.as_str()));
    let flags = o.key(k!("flags"));
    flags.push('[');
    if let Some(t) = tcp {
        let mut first = true;
        for (bit, name) in crate::decode::tcp::flags::NAMES {
            if t.flags & bit != 0 {
                if !first {
                    flags.push(',');
                }
                first = false;
                push_str(flags, name);
            }
        }
    }
    flags.push(']');
    o.opt_num(k!("seq"), tcp.map(|t| t.seq));
    o.opt_num(k!("ack"), tcp.and_then(|t| t.ack));
    o.opt_num(k!("seq_raw"), tcp.map(|t| t.seq_raw));
    o.opt_num(k!("ack_raw"), tcp.map(|t| t.ack_raw));
    o.opt_num(k!("len"), obs.len);
    o.opt_num(k!("win"), tcp.map(|t| t.window));
    o.opt_num(k!("win_bytes"), tcp.and_then(|t| t.window_bytes));
    o.str(k!("phase"), obs.phase.as_str());
    scratch.clear();
    push_event_text(scratch, EN, obs, packet);
    o.str(k!("event"), scratch);
    o.str(k!("event_kind"), obs.event.code());
    match obs.states {
        Some((c, s)) => {
            let out = o.key(k!("states"));
            let mut states = Obj::open(out);
            states.opt_str(k!("client"), c.map(|c| c.as_str()));
            states.opt_str(k!("server"), s.map(|s| s.as_str()));
            states.close();
        }
        None => o.key(k!("states")).push_str("null"),
    }
    let changes = o.key(k!("changes"));
    changes.push('[');
    for (i, c) in obs.changes.iter().enumerate() {
        if i > 0 {
            changes.push(',');
        }
        let mut change = Obj::open(changes);
        change.str(k!("side"), c.side.as_str());
        change.opt_str(k!("from"), c.from.map(|f| f.as_str()));
        change.str(k!("to"), c.to.as_str());
        change.close();
    }
    changes.push(']');
    let analysis = o.key(k!("analysis"));
    analysis.push('[');
    for (i, name) in obs.findings.wireshark_fields().enumerate() {
        if i > 0 {
            analysis.push(',');
        }
        push_str(analysis, name);
    }
    analysis.push(']');
    push_options(o.key(k!("options")), obs, packet);
    match obs.related {
        Some((p, s)) => {
            let out = o.key(k!("related"));
            let mut related = Obj::open(out);
            related.str(k!("proto"), p.as_str());
            related.num(k!("stream"), s);
            related.close();
        }
        None => o.key(k!("related")).push_str("null"),
    }
    o.num(k!("caplen"), frame.data.len());
    o.num(k!("wire_len"), frame.orig_len);
    o.bool(k!("truncated"), frame.is_truncated());
    match packet.stop {
        Some(stop) => o.str(k!("note"), &EN.decode_stop(&stop)),
        None => o.key(k!("note")).push_str("null"),
    }
    let sack = o.key(k!("sack"));
    push_pairs(sack, tcp.into_iter().flat_map(|t| t.sack.iter().copied()));
    let sack_raw = o.key(k!("sack_raw"));
    let raw = packet.tcp().into_iter().flat_map(|t| {
        t.options.iter().flat_map(|o| match &o.kind {
            TcpOptionKind::Sack(blocks) => blocks.as_slice(),
            _ => &[],
        })
    });
    push_pairs(sack_raw, raw.copied());
    o.opt_num(
        k!("dup_ack_num"),
        expert.and_then(|e| e.dup_ack.map(|d| d.0)),
    );
    o.opt_num(
        k!("dup_ack_frame"),
        expert.and_then(|e| e.dup_ack.map(|d| d.1)),
    );
    o.opt_num(k!("acks_frame"), expert.and_then(|e| e.acks_frame));
    for (key, nanos) in [
        (k!("ack_rtt"), expert.and_then(|e| e.ack_rtt_nanos)),
        (k!("initial_rtt"), expert.and_then(|e| e.initial_rtt_nanos)),
    ] {
        let out = o.key(key);
        match nanos {
            Some(n) => push_secs_raw(out, n, 9),
            None => out.push_str("null"),
        }
    }
    o.opt_num(
        k!("bytes_in_flight"),
        expert.and_then(|e| e.bytes_in_flight),
    );
    o.opt_num(
        k!("push_bytes_sent"),
        expert.and_then(|e| e.push_bytes_sent),
    );
    o.close();
    out.push('\n');
}

#[cfg(test)]
#[path = "json_packet_tests.rs"]
mod tests;
