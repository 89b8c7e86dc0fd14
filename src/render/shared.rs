//! Writers with which another thread writes a printer's packet records in its place (see
//! [`Printer::shared_writer`](super::Printer::shared_writer)).

use std::io;

use super::Shown;
use super::timeline::TimelineWriter;
use crate::flow::Observation;
use crate::time::Precision;

/// A printer's packet writer, of the same configuration, for another thread.
pub enum SharedWriter {
    /// The plain timeline.
    Timeline(TimelineWriter),
    /// JSON packet records.
    Json(JsonRecords),
}

impl SharedWriter {
    /// Appends the packet's lines to `out`.
    pub fn write_packet(&mut self, out: &mut Vec<u8>, shown: &Shown<'_>) -> io::Result<()> {
        match self {
            SharedWriter::Timeline(writer) => writer.write_packet(out, shown),
            SharedWriter::Json(records) => {
                out.extend_from_slice(records.record(shown).as_bytes());
                Ok(())
            }
        }
    }

    /// Keeps the writer's state as if `obs`'s packet had been written by another writer.
    pub fn skip(&mut self, obs: &Observation) {
        match self {
            SharedWriter::Timeline(writer) => writer.skip(obs),
            SharedWriter::Json(_) => {}
        }
    }
}

/// Writes JSON packet records (one line each) with reused buffers.
#[derive(Debug, Clone)]
pub struct JsonRecords {
    precision: Precision,
    /// The record being written.
    buf: String,
    /// A packet's event sentence.
    scratch: String,
}

impl JsonRecords {
    /// Records with timestamps of `precision`.
    pub fn new(precision: Precision) -> JsonRecords {
        JsonRecords {
            precision,
            buf: String::with_capacity(1024),
            scratch: String::with_capacity(256),
        }
    }

    /// The precision of the timestamps.
    pub fn precision(&self) -> Precision {
        self.precision
    }

    /// The packet record of a shown frame, newline included.
    pub fn record(&mut self, shown: &Shown<'_>) -> &str {
        self.buf.clear();
        super::json_packet::write_packet(&mut self.buf, &mut self.scratch, shown, self.precision);
        &self.buf
    }
}
