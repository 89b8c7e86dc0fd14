//! The savefile of a live capture: classic pcap, written in whole records.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::FLUSH_INTERVAL;
use crate::capture::{Frame, LinkType};
use crate::{Error, Result};

/// A classic pcap file written in whole records.
///
/// Records collect in memory and go to the file with one `write_all`, so the file never ends
/// inside a record (libpcap's own dumper is stdio-buffered and can leave half a record, or an
/// empty file, when the process is killed).
pub(super) struct PcapWriter {
    path: PathBuf,
    file: File,
    pending: Vec<u8>,
    last_flush: Instant,
    nanos: bool,
}

impl PcapWriter {
    /// Creates (or truncates) the file; nothing is captured yet.
    pub(super) fn create(path: &Path) -> Result<PcapWriter> {
        let file = File::create(path).map_err(|e| Error::Write {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        Ok(PcapWriter {
            path: path.to_path_buf(),
            file,
            pending: Vec::with_capacity(64 << 10),
            last_flush: Instant::now(),
            nanos: false,
        })
    }

    fn write_error(&self, e: std::io::Error) -> Error {
        Error::Write {
            path: self.path.clone(),
            reason: e.to_string(),
        }
    }

    /// Writes the file header (little-endian, as libpcap does on this host).
    pub(super) fn header(&mut self, linktype: LinkType, snaplen: u32, nanos: bool) -> Result<()> {
        self.nanos = nanos;
        let magic: u32 = if nanos { 0xa1b2_3c4d } else { 0xa1b2_c3d4 };
        let mut header = Vec::with_capacity(24);
        header.extend_from_slice(&magic.to_le_bytes());
        header.extend_from_slice(&2u16.to_le_bytes());
        header.extend_from_slice(&4u16.to_le_bytes());
        header.extend_from_slice(&0i32.to_le_bytes()); // thiszone
        header.extend_from_slice(&0u32.to_le_bytes()); // sigfigs
        header.extend_from_slice(&snaplen.to_le_bytes());
        header.extend_from_slice(&(linktype.0 as u32).to_le_bytes());
        self.file
            .write_all(&header)
            .map_err(|e| self.write_error(e))
    }

    pub(super) fn record(&mut self, frame: &Frame) {
        let frac = if self.nanos {
            frame.ts.nanos
        } else {
            frame.ts.nanos / 1000
        };
        let secs = frame.ts.secs.clamp(0, u32::MAX as i64) as u32;
        let caplen = u32::try_from(frame.data.len()).unwrap_or(u32::MAX);
        self.pending.extend_from_slice(&secs.to_le_bytes());
        self.pending.extend_from_slice(&frac.to_le_bytes());
        self.pending.extend_from_slice(&caplen.to_le_bytes());
        self.pending
            .extend_from_slice(&frame.orig_len.to_le_bytes());
        self.pending
            .extend_from_slice(&frame.data[..caplen as usize]);
    }

    pub(super) fn due(&self) -> bool {
        self.pending.len() >= 256 << 10 || self.last_flush.elapsed() >= FLUSH_INTERVAL
    }

    pub(super) fn flush(&mut self) -> Result<()> {
        self.last_flush = Instant::now();
        if self.pending.is_empty() {
            return Ok(());
        }
        let result = self.file.write_all(&self.pending);
        self.pending.clear();
        result.map_err(|e| self.write_error(e))
    }

    pub(super) fn close(mut self) -> Result<()> {
        self.flush()?;
        self.file.sync_all().map_err(|e| self.write_error(e))
    }
}

impl Drop for PcapWriter {
    fn drop(&mut self) {
        // Best effort on early exits; `close` reports errors on the normal path.
        let _ = self.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::Timestamp;

    #[test]
    fn writer_emits_whole_records() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.pcap");
        let mut w = PcapWriter::create(&path).unwrap();
        w.header(LinkType::ETHERNET, 2048, true).unwrap();
        let frame = Frame {
            index: 1,
            ts: Timestamp::new(5, 7),
            linktype: LinkType::ETHERNET,
            orig_len: 3,
            data: vec![1, 2, 3],
        };
        w.record(&frame);
        w.close().unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(bytes.len(), 24 + 16 + 3);
        assert_eq!(&bytes[..4], &[0x4d, 0x3c, 0xb2, 0xa1]);
        assert_eq!(&bytes[24..28], &5u32.to_le_bytes());
        assert_eq!(&bytes[28..32], &7u32.to_le_bytes());
    }
}
