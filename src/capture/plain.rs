//! A reader for classic pcap files that does what libpcap's savefile reader does, record for
//! record, with fewer copies: the file is read in large blocks and each record is copied once,
//! into a frame buffer the caller reuses.
//!
//! Only plain files in the standard format (magic `a1b2c3d4` or `a1b2 3c4d`, either byte
//! order, version 2.x) take this path; libpcap keeps everything else (pcapng, standard input,
//! the modified formats). The link type is libpcap's, taken from the handle that validated
//! the file, and the oddities of a damaged file are handled as libpcap handles them: a record
//! longer than the file's snapshot length is cut to it, one longer than the maximum is an
//! error, and a cut record is reported with libpcap's words.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use super::{Frame, LinkType, Timestamp};

/// Bytes asked of the operating system at a time.
const BLOCK: usize = 1 << 20;
/// libpcap's largest snapshot length for the link types handshake-viz decodes.
const MAX_SNAPLEN: u32 = 262_144;
/// Size of a record header.
const RECORD_HEADER: usize = 16;

/// Link types whose pseudo-header libpcap rewrites when the file's byte order is not the
/// host's (NFLOG, and SLL/SLL2 carrying CAN frames): such files stay with libpcap.
const SWAPPED_PSEUDO_HEADERS: [LinkType; 3] =
    [LinkType::NFLOG, LinkType::LINUX_SLL, LinkType::LINUX_SLL2];

/// What went wrong with a record, in libpcap's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct RecordError(pub(super) String);

/// A classic pcap file read in blocks.
pub(super) struct PlainPcap {
    file: File,
    buf: Vec<u8>,
    /// Unread bytes are `buf[pos..end]`.
    pos: usize,
    end: usize,
    eof: bool,
    /// The file's numbers are big-endian.
    big_endian: bool,
    nanos: bool,
    snapshot: u32,
    linktype: LinkType,
    /// Bytes of the file consumed so far (header included).
    offset: u64,
}

impl PlainPcap {
    /// Opens `path` when it is a standard classic pcap file that this reader handles the way
    /// libpcap does; `None` otherwise (libpcap then reads it).
    pub(super) fn open(path: &Path, linktype: LinkType) -> Option<PlainPcap> {
        let mut file = File::open(path).ok()?;
        if !file.metadata().ok()?.is_file() {
            return None;
        }
        let mut header = [0u8; 24];
        file.read_exact(&mut header).ok()?;
        let magic = u32::from_le_bytes(header[..4].try_into().ok()?);
        // Read little-endian, the magic of a big-endian file comes out reversed.
        let (big_endian, nanos) = match magic {
            0xa1b2_c3d4 => (false, false),
            0xd4c3_b2a1 => (true, false),
            0xa1b2_3c4d => (false, true),
            0x4d3c_b2a1 => (true, true),
            _ => return None,
        };
        let swapped = big_endian != cfg!(target_endian = "big");
        let word = |at: usize| {
            let bytes: [u8; 4] = header[at..at + 4].try_into().unwrap_or_default();
            if big_endian {
                u32::from_be_bytes(bytes)
            } else {
                u32::from_le_bytes(bytes)
            }
        };
        let version_major = if big_endian {
            u16::from_be_bytes([header[4], header[5]])
        } else {
            u16::from_le_bytes([header[4], header[5]])
        };
        if version_major != 2 || (swapped && SWAPPED_PSEUDO_HEADERS.contains(&linktype)) {
            return None;
        }
        let snaplen = word(16);
        let snapshot = if snaplen == 0 || snaplen > MAX_SNAPLEN {
            MAX_SNAPLEN
        } else {
            snaplen
        };
        Some(PlainPcap {
            file,
            buf: vec![0; BLOCK * 2],
            pos: 0,
            end: 0,
            eof: false,
            big_endian,
            nanos,
            snapshot,
            linktype,
            offset: 24,
        })
    }

    /// Bytes of the file read so far.
    pub(super) fn offset(&self) -> u64 {
        self.offset
    }

    /// Makes at least `want` unread bytes available when the file has them; returns how many
    /// are available.
    #[inline]
    fn fill(&mut self, want: usize) -> io::Result<usize> {
        match self.end - self.pos {
            have if have >= want => Ok(have),
            _ => self.refill(want),
        }
    }

    /// [`PlainPcap::fill`] when the block holds fewer than `want` unread bytes.
    #[cold]
    fn refill(&mut self, want: usize) -> io::Result<usize> {
        while self.end - self.pos < want && !self.eof {
            if self.pos > 0 {
                self.buf.copy_within(self.pos..self.end, 0);
                self.end -= self.pos;
                self.pos = 0;
            }
            if self.end == self.buf.len() {
                self.buf.resize(self.buf.len() + BLOCK, 0);
            }
            match self.file.read(&mut self.buf[self.end..]) {
                Ok(0) => self.eof = true,
                Ok(n) => self.end += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(self.end - self.pos)
    }

    fn u32_at(&self, at: usize) -> u32 {
        let bytes: [u8; 4] = self.buf[at..at + 4].try_into().unwrap_or_default();
        if self.big_endian {
            u32::from_be_bytes(bytes)
        } else {
            u32::from_le_bytes(bytes)
        }
    }

    /// Reads the next record into `frame` (its buffer is reused). `Ok(false)` at the end.
    pub(super) fn next_into(&mut self, frame: &mut Frame) -> Result<bool, RecordError> {
        let io_error = |e: io::Error| RecordError(format!("error reading dump file: {e}"));
        let have = self.fill(RECORD_HEADER).map_err(io_error)?;
        if have == 0 {
            return Ok(false);
        }
        if have < RECORD_HEADER {
            return Err(RecordError(format!(
                "truncated dump file; tried to read {RECORD_HEADER} header bytes, only got {have}"
            )));
        }
        let at = self.pos;
        let secs = self.u32_at(at) as i32;
        let frac = self.u32_at(at + 4) as i32;
        let caplen = self.u32_at(at + 8);
        let len = self.u32_at(at + 12);
        if caplen > MAX_SNAPLEN {
            return Err(RecordError(if caplen > self.snapshot {
                format!(
                    "invalid packet capture length {caplen}, bigger than snaplen of {}",
                    self.snapshot
                )
            } else {
                format!(
                    "invalid packet capture length {caplen}, bigger than maximum of {MAX_SNAPLEN}"
                )
            }));
        }
        let need = RECORD_HEADER + caplen as usize;
        let have = self.fill(need).map_err(io_error)?;
        if have < need {
            let got = have - RECORD_HEADER;
            let wanted = if caplen > self.snapshot {
                // libpcap reads the snapshot's worth first, then skips the rest.
                if got < self.snapshot as usize {
                    self.snapshot
                } else {
                    caplen
                }
            } else {
                caplen
            };
            return Err(RecordError(format!(
                "truncated dump file; tried to read {wanted} captured bytes, only got {}",
                got.min(wanted as usize)
            )));
        }
        let at = self.pos;
        let kept = caplen.min(self.snapshot) as usize;
        frame.data.clear();
        frame
            .data
            .extend_from_slice(&self.buf[at + RECORD_HEADER..at + RECORD_HEADER + kept]);
        frame.index += 1;
        frame.linktype = self.linktype;
        frame.orig_len = len;
        frame.ts = timestamp(secs, frac, self.nanos);
        self.pos += need;
        self.offset += need as u64;
        Ok(true)
    }
}

/// The timestamp libpcap hands over for a record (opened with nanosecond precision): the
/// fields are signed 32-bit, microseconds are scaled up in 64 bits, and a negative fraction
/// counts as zero.
fn timestamp(secs: i32, frac: i32, nanos: bool) -> Timestamp {
    let frac = if nanos {
        i64::from(frac)
    } else {
        i64::from(frac) * 1000
    };
    Timestamp::new(i64::from(secs), frac.max(0) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn microseconds_scale_like_libpcap() {
        assert_eq!(timestamp(5, 250_000, false), Timestamp::new(5, 250_000_000));
        assert_eq!(timestamp(5, 7, true), Timestamp::new(5, 7));
        assert_eq!(timestamp(-1, -1, true), Timestamp::new(-1, 0));
        // Out of range, as damaged files have them: carried into the seconds.
        assert_eq!(timestamp(0, 2_000_000, false), Timestamp::new(2, 0));
    }
}
