//! A pcapng writer that also stores the demo peers' socket calls, and the reader for them.
//!
//! Blocks: a Section Header, one Interface Description per link type (`if_tsresol` = 9, so
//! timestamps keep their nanoseconds), an Enhanced Packet Block per frame, and at the end an
//! Interface Statistics Block. Like the classic pcap writer, whole blocks collect in memory and
//! go to the file with one `write_all` every few milliseconds, so the file is valid up to the
//! last write even if the process is killed.
//!
//! Socket calls are stored as `opt_comment` options (one per call) of the packet that follows
//! them, with the call's own timestamp, as `handshake-viz/1 app <secs>.<9 digits> <client|server>
//! <called|returned> <call> [conn=<client address> ]<detail>`. Wireshark and tshark show them as packet comments
//! (and list them under Expert Info, severity "Comment") and count the packets as usual.
//! Calls after the last packet go into the statistics block's comments. pcapng Custom Blocks
//! were rejected: tshark 4.0 shows each one as a frame of its own ("PCAPNG Custom Block"),
//! which shifts Wireshark's frame numbers away from libpcap's.

mod read;
#[cfg(test)]
mod tests;

pub use read::{EventsRead, StoredEvent, parse_events, read_events};

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::{Frame, LinkType, Timestamp};
use crate::demo::{AppEvent, Call, Phase, Side};
use crate::{Error, Result};

/// The start of every stored socket call.
pub const EVENT_PREFIX: &str = "handshake-viz/1 app ";

/// Pending blocks are written at least this often while frames keep coming.
pub const FLUSH_INTERVAL: std::time::Duration = std::time::Duration::from_millis(5);

const SHB: u32 = 0x0A0D_0D0A;
const IDB: u32 = 1;
const PB: u32 = 2;
const SPB: u32 = 3;
const ISB: u32 = 5;
const EPB: u32 = 6;
const BYTE_ORDER_MAGIC: u32 = 0x1A2B_3C4D;
const OPT_END: u16 = 0;
const OPT_COMMENT: u16 = 1;
/// Longest option value pcapng can hold.
const MAX_OPTION: usize = 0xFFFF;

fn pad4(n: usize) -> usize {
    (4 - n % 4) % 4
}

fn push_option(body: &mut Vec<u8>, code: u16, value: &[u8]) {
    let value = &value[..value.len().min(MAX_OPTION & !3)];
    body.extend_from_slice(&code.to_le_bytes());
    body.extend_from_slice(&(value.len() as u16).to_le_bytes());
    body.extend_from_slice(value);
    body.extend(std::iter::repeat_n(0, pad4(value.len())));
}

fn push_block(out: &mut Vec<u8>, kind: u32, body: &[u8]) {
    let len = (12 + body.len()) as u32;
    out.extend_from_slice(&kind.to_le_bytes());
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(body);
    out.extend_from_slice(&len.to_le_bytes());
}

fn ticks(ts: Timestamp) -> u64 {
    (ts.secs.max(0) as u64)
        .saturating_mul(1_000_000_000)
        .saturating_add(u64::from(ts.nanos))
}

/// The comment text that stores `event`: the prefix, the time, side, phase and call, the
/// connection's client address (`conn=ADDR`, when known), then the detail as JSON (readable in
/// Wireshark's packet comments, exact when read back).
pub fn encode_event(event: &AppEvent) -> String {
    let phase = match event.phase {
        Phase::Before => "called",
        Phase::After => "returned",
    };
    let detail = serde_json::to_string(&event.detail).unwrap_or_else(|_| "null".into());
    let conn = event.conn.map(|c| format!("conn={c} ")).unwrap_or_default();
    format!(
        "{EVENT_PREFIX}{}.{:09} {} {phase} {} {conn}{detail}",
        event.ts.secs,
        event.ts.nanos,
        event.side.as_str(),
        event.call.name(),
    )
}

/// The event stored in a comment made by [`encode_event`]; `None` for any other text.
pub fn decode_event(comment: &str) -> Option<AppEvent> {
    let rest = comment.strip_prefix(EVENT_PREFIX)?;
    let mut fields = rest.splitn(5, ' ');
    let (secs, nanos) = fields.next()?.split_once('.')?;
    if nanos.len() != 9 || !nanos.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let ts = Timestamp {
        secs: secs.parse().ok()?,
        nanos: nanos.parse().ok()?,
    };
    let side = match fields.next()? {
        "client" => Side::Client,
        "server" => Side::Server,
        _ => return None,
    };
    let phase = match fields.next()? {
        "called" => Phase::Before,
        "returned" => Phase::After,
        _ => return None,
    };
    let call = Call::from_name(fields.next()?)?;
    let rest = fields.next()?;
    let (conn, detail) = match rest.strip_prefix("conn=") {
        Some(tail) => {
            let (addr, detail) = tail.split_once(' ')?;
            (Some(addr.parse().ok()?), detail)
        }
        None => (None, rest),
    };
    let detail = serde_json::from_str(detail).ok()?;
    Some(AppEvent {
        ts,
        side,
        call,
        phase,
        detail,
        conn,
    })
}

/// A pcapng file written in whole blocks, with socket calls as packet comments.
pub struct PcapngWriter {
    path: PathBuf,
    file: File,
    pending: Vec<u8>,
    last_flush: Instant,
    snaplen: u32,
    interfaces: Vec<LinkType>,
    events: Vec<AppEvent>,
    frames: u64,
    last_ts: Timestamp,
}

impl std::fmt::Debug for PcapngWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PcapngWriter")
            .field("path", &self.path)
            .field("frames", &self.frames)
            .field("pending_events", &self.events.len())
            .finish_non_exhaustive()
    }
}

impl PcapngWriter {
    /// Creates (or truncates) `path` and writes the section header at once.
    pub fn create(path: &Path, snaplen: u32) -> Result<PcapngWriter> {
        let file = File::create(path).map_err(|e| Error::Write {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        let mut body = Vec::new();
        body.extend_from_slice(&BYTE_ORDER_MAGIC.to_le_bytes());
        body.extend_from_slice(&1u16.to_le_bytes());
        body.extend_from_slice(&0u16.to_le_bytes());
        body.extend_from_slice(&(-1i64).to_le_bytes()); // section length unknown
        let appl = format!("handshake-viz {}", env!("CARGO_PKG_VERSION"));
        push_option(&mut body, 4, appl.as_bytes()); // shb_userappl
        push_option(&mut body, OPT_END, &[]);
        let mut writer = PcapngWriter {
            path: path.to_path_buf(),
            file,
            pending: Vec::with_capacity(64 << 10),
            last_flush: Instant::now(),
            snaplen,
            interfaces: Vec::new(),
            events: Vec::new(),
            frames: 0,
            last_ts: Timestamp::default(),
        };
        push_block(&mut writer.pending, SHB, &body);
        writer.flush()?;
        Ok(writer)
    }

    fn write_error(&self, e: std::io::Error) -> Error {
        Error::Write {
            path: self.path.clone(),
            reason: e.to_string(),
        }
    }

    /// The interface id for `linktype`, describing a new interface the first time.
    fn interface(&mut self, linktype: LinkType, name: Option<&str>) -> u32 {
        if let Some(i) = self.interfaces.iter().position(|l| *l == linktype) {
            return i as u32;
        }
        let mut body = Vec::new();
        body.extend_from_slice(&(linktype.0 as u16).to_le_bytes());
        body.extend_from_slice(&0u16.to_le_bytes());
        body.extend_from_slice(&self.snaplen.to_le_bytes());
        if let Some(name) = name {
            push_option(&mut body, 2, name.as_bytes()); // if_name
        }
        push_option(&mut body, 9, &[9]); // if_tsresol: nanoseconds
        push_option(&mut body, OPT_END, &[]);
        push_block(&mut self.pending, IDB, &body);
        self.interfaces.push(linktype);
        (self.interfaces.len() - 1) as u32
    }

    /// Describes the interface of `linktype` now, with its name (optional: frames of a new
    /// link type get an unnamed interface).
    pub fn describe_interface(&mut self, linktype: LinkType, name: &str) {
        self.interface(linktype, Some(name));
    }

    /// Stores a socket call; it goes into the file with the next frame (or at [`Self::close`]).
    pub fn write_event(&mut self, event: &AppEvent) {
        self.events.push(event.clone());
    }

    /// Appends a frame, carrying the socket calls stored since the previous one. Writes to
    /// disk when the last write is [`FLUSH_INTERVAL`] old.
    pub fn write_frame(&mut self, frame: &Frame) -> Result<()> {
        let id = self.interface(frame.linktype, None);
        let t = ticks(frame.ts);
        let data = &frame.data[..frame.data.len().min(u32::MAX as usize & !3)];
        let mut body = Vec::with_capacity(28 + data.len());
        body.extend_from_slice(&id.to_le_bytes());
        body.extend_from_slice(&((t >> 32) as u32).to_le_bytes());
        body.extend_from_slice(&(t as u32).to_le_bytes());
        body.extend_from_slice(&(data.len() as u32).to_le_bytes());
        body.extend_from_slice(&frame.orig_len.max(data.len() as u32).to_le_bytes());
        body.extend_from_slice(data);
        body.extend(std::iter::repeat_n(0, pad4(data.len())));
        if !self.events.is_empty() {
            for event in self.events.drain(..) {
                push_option(&mut body, OPT_COMMENT, encode_event(&event).as_bytes());
            }
            push_option(&mut body, OPT_END, &[]);
        }
        push_block(&mut self.pending, EPB, &body);
        self.frames += 1;
        self.last_ts = frame.ts;
        if self.pending.len() >= 256 << 10 || self.last_flush.elapsed() >= FLUSH_INTERVAL {
            self.flush()?;
        }
        Ok(())
    }

    /// Frames written so far.
    pub fn frames(&self) -> u64 {
        self.frames
    }

    /// Writes every complete block collected so far.
    pub fn flush(&mut self) -> Result<()> {
        self.last_flush = Instant::now();
        if self.pending.is_empty() {
            return Ok(());
        }
        let result = self.file.write_all(&self.pending);
        self.pending.clear();
        result.map_err(|e| self.write_error(e))
    }

    /// Ends the file: an Interface Statistics Block (with `received`/`dropped` counters when
    /// given, and the socket calls made after the last frame as comments), then flushes and
    /// syncs.
    pub fn close(mut self, counters: Option<(u64, u64)>) -> Result<()> {
        if self.interfaces.is_empty() && !self.events.is_empty() {
            self.interface(LinkType::ETHERNET, None);
        }
        if !self.interfaces.is_empty() {
            let end = self
                .events
                .iter()
                .map(|e| e.ts)
                .max()
                .unwrap_or(self.last_ts);
            let t = ticks(end.max(self.last_ts));
            let mut body = Vec::new();
            body.extend_from_slice(&0u32.to_le_bytes());
            body.extend_from_slice(&((t >> 32) as u32).to_le_bytes());
            body.extend_from_slice(&(t as u32).to_le_bytes());
            for event in self.events.drain(..) {
                push_option(&mut body, OPT_COMMENT, encode_event(&event).as_bytes());
            }
            if let Some((received, dropped)) = counters {
                push_option(&mut body, 4, &received.to_le_bytes()); // isb_ifrecv
                push_option(&mut body, 5, &dropped.to_le_bytes()); // isb_ifdrop
            }
            push_option(&mut body, OPT_END, &[]);
            push_block(&mut self.pending, ISB, &body);
        }
        self.flush()?;
        self.file.sync_all().map_err(|e| self.write_error(e))
    }
}

impl Drop for PcapngWriter {
    fn drop(&mut self) {
        // Best effort on early exits; `close` reports errors on the normal path.
        let _ = self.flush();
    }
}
