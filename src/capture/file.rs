//! Reading capture files: libpcap for pcap and pcapng, and a pure-Rust pcapng reader for files
//! whose interfaces mix link types (libpcap stops at the first packet of the second type).

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use pcap::{Capture, Offline};

use super::growing::WriteWatch;
use super::pcapng_read::{NgReader, pcapng_leading_interfaces};
use super::plain::PlainPcap;
use super::{Frame, FrameSource, LinkType, Precision, header_timestamp, pcap_message};
use crate::{Error, Result};

/// The container format of a capture file, from its magic number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    /// Classic pcap with microsecond timestamps.
    Pcap,
    /// Classic pcap with nanosecond timestamps.
    PcapNano,
    /// pcapng.
    PcapNg,
}

impl FileFormat {
    /// Short name for headers ("pcap", "pcap (ns)", "pcapng").
    pub fn name(self) -> &'static str {
        match self {
            FileFormat::Pcap => "pcap",
            FileFormat::PcapNano => "pcap (ns)",
            FileFormat::PcapNg => "pcapng",
        }
    }

    fn sniff(path: &Path) -> Option<FileFormat> {
        let mut magic = [0u8; 4];
        File::open(path).ok()?.read_exact(&mut magic).ok()?;
        match magic {
            [0xa1, 0xb2, 0xc3, 0xd4] | [0xd4, 0xc3, 0xb2, 0xa1] => Some(FileFormat::Pcap),
            [0xa1, 0xb2, 0x3c, 0x4d] | [0x4d, 0x3c, 0xb2, 0xa1] => Some(FileFormat::PcapNano),
            [0x0a, 0x0d, 0x0d, 0x0a] => Some(FileFormat::PcapNg),
            _ => None,
        }
    }
}

enum Reader {
    Plain(Box<PlainPcap>),
    Libpcap(Capture<Offline>),
    PcapNg(Box<NgReader>),
    Finished,
}

/// Frames from a capture file, in file order, numbered from 1.
pub struct FileSource {
    path: PathBuf,
    format: Option<FileFormat>,
    precision: Precision,
    reader: Reader,
    frames_read: u64,
    /// Bytes of the file consumed so far (estimated when libpcap reads it).
    bytes_read: u64,
    linktypes: Vec<LinkType>,
    /// Tells at the end whether another process is still writing the file.
    watch: Option<WriteWatch>,
}

impl FileSource {
    /// Opens a pcap or pcapng file ("-" reads standard input). Fails with a one-line error
    /// naming the file.
    pub fn open(path: impl AsRef<Path>) -> Result<FileSource> {
        let path = path.as_ref().to_path_buf();
        let open_error = |reason: String| Error::OpenFile {
            path: path.clone(),
            reason,
        };
        if path.is_dir() {
            return Err(open_error("is a directory, not a capture file".into()));
        }
        // "-" is standard input, which can be read only once: libpcap reads it, unsniffed.
        let stdin = path.as_os_str() == "-";
        let format = if stdin {
            None
        } else {
            FileFormat::sniff(&path)
        };
        let watch = if stdin { None } else { WriteWatch::new(&path) };
        let cap = Capture::from_file_with_precision(&path, pcap::Precision::Nano)
            .map_err(|e| open_error(pcap_reason(&e, &path)))?;
        let linktype = LinkType(cap.get_datalink().0);
        let precision = match format {
            Some(FileFormat::PcapNano) => Precision::Nano,
            Some(FileFormat::PcapNg)
                if !stdin && pcapng_leading_interfaces(&path).first().map(|i| i.1) == Some(9) =>
            {
                Precision::Nano
            }
            _ => Precision::Micro,
        };
        // Classic pcap files are read without libpcap's per-record copies; it has checked
        // the header and given the link type.
        let reader = match format {
            Some(FileFormat::Pcap | FileFormat::PcapNano) => PlainPcap::open(&path, linktype)
                .map_or(Reader::Libpcap(cap), |plain| Reader::Plain(Box::new(plain))),
            _ => Reader::Libpcap(cap),
        };
        Ok(FileSource {
            path,
            format,
            precision,
            reader,
            frames_read: 0,
            bytes_read: 24,
            linktypes: vec![linktype],
            watch,
        })
    }

    /// The file's path as given.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The container format, when recognised by its magic number.
    pub fn format(&self) -> Option<FileFormat> {
        self.format
    }

    /// The link type declared by the file (its first interface for pcapng).
    pub fn linktype(&self) -> LinkType {
        self.linktypes[0]
    }

    /// The link types the file declares before its first packet (for pcapng, every interface
    /// described up front; libpcap's link type first).
    pub fn declared_linktypes(&self) -> Vec<LinkType> {
        let mut types = vec![self.linktypes[0]];
        if self.format == Some(FileFormat::PcapNg) {
            // The first interface is the one libpcap reports (as its DLT value).
            for (linktype, _) in pcapng_leading_interfaces(&self.path).into_iter().skip(1) {
                if !types.iter().any(|t| t.to_string() == linktype.to_string()) {
                    types.push(linktype);
                }
            }
        }
        types
    }

    /// Bytes of the file read so far (exact for classic pcap, estimated for pcapng).
    pub fn bytes_read(&self) -> u64 {
        match &self.reader {
            Reader::Plain(plain) => plain.offset(),
            _ => self.bytes_read,
        }
    }

    /// Reads the next frame into `frame`, reusing its buffer; `Ok(false)` at the end. After
    /// an error the source yields nothing more.
    pub fn next_into(&mut self, frame: &mut Frame) -> Result<bool> {
        frame.index = self.frames_read;
        let more = match &mut self.reader {
            Reader::Plain(plain) => match plain.next_into(frame) {
                Ok(more) => more,
                Err(e) => return Err(self.fail(e.0)),
            },
            Reader::Libpcap(_) => self.next_from_libpcap(frame)?,
            Reader::PcapNg(_) => self.next_from_pcapng(frame)?,
            Reader::Finished => return Ok(false),
        };
        if more {
            self.frames_read = frame.index;
            self.bytes_read += 16 + frame.data.len() as u64;
            if frame.linktype != self.linktypes[0] {
                self.note_linktype(frame.linktype);
            }
            Ok(true)
        } else {
            self.end()
        }
    }

    fn note_linktype(&mut self, linktype: LinkType) {
        if !self.linktypes.contains(&linktype) {
            self.linktypes.push(linktype);
        }
    }

    /// The clean end of the file, unless another process is still writing it.
    fn end(&mut self) -> Result<bool> {
        self.reader = Reader::Finished;
        match self.watch.as_ref().and_then(WriteWatch::unfinished) {
            Some(why) => Err(Error::StillWriting {
                path: self.path.clone(),
                frames_read: self.frames_read,
                why,
            }),
            None => Ok(false),
        }
    }

    fn fail(&mut self, reason: String) -> Error {
        self.reader = Reader::Finished;
        let (path, frames_read) = (self.path.clone(), self.frames_read);
        if let Some(why) = self.watch.as_ref().and_then(WriteWatch::unfinished) {
            return Error::StillWriting {
                path,
                frames_read,
                why,
            };
        }
        if reason.contains("truncated") || reason.contains("Need more bytes") {
            Error::Truncated {
                path,
                frames_read,
                reason,
            }
        } else {
            Error::Corrupt {
                path,
                frames_read,
                reason,
            }
        }
    }

    fn next_from_libpcap(&mut self, frame: &mut Frame) -> Result<bool> {
        let linktype = self.linktypes[0];
        let Reader::Libpcap(cap) = &mut self.reader else {
            return Ok(false);
        };
        match cap.next_packet() {
            Ok(packet) => {
                frame.index = self.frames_read + 1;
                // Opened with nanosecond precision.
                frame.ts = header_timestamp(packet.header, true);
                frame.linktype = linktype;
                frame.orig_len = packet.header.len;
                frame.data.clear();
                frame.data.extend_from_slice(packet.data);
                Ok(true)
            }
            Err(pcap::Error::NoMorePackets) => Ok(false),
            Err(e) => {
                let reason = pcap_reason(&e, &self.path);
                if reason.contains("different from the type of the first interface") {
                    // libpcap cannot mix link types; continue with the pure-Rust reader.
                    match NgReader::open(&self.path, self.frames_read) {
                        Ok(ng) => {
                            self.reader = Reader::PcapNg(Box::new(ng));
                            self.next_from_pcapng(frame)
                        }
                        Err(reason) => Err(self.fail(reason)),
                    }
                } else {
                    Err(self.fail(reason))
                }
            }
        }
    }

    fn next_from_pcapng(&mut self, frame: &mut Frame) -> Result<bool> {
        let Reader::PcapNg(ng) = &mut self.reader else {
            return Ok(false);
        };
        match ng.next_packet() {
            Ok(Some((linktype, ts, orig_len, data))) => {
                frame.index = self.frames_read + 1;
                frame.ts = ts;
                frame.linktype = linktype;
                frame.orig_len = orig_len;
                frame.data = data;
                Ok(true)
            }
            Ok(None) => Ok(false),
            Err(reason) => Err(self.fail(reason)),
        }
    }
}

impl FrameSource for FileSource {
    fn next_frame(&mut self) -> Result<Option<Frame>> {
        let mut frame = Frame::empty();
        Ok(self.next_into(&mut frame)?.then_some(frame))
    }

    fn precision(&self) -> Precision {
        self.precision
    }

    fn linktypes(&self) -> Vec<LinkType> {
        self.linktypes.clone()
    }
}

/// libpcap's message for an error, without a repeated leading "PATH: ".
fn pcap_reason(error: &pcap::Error, path: &Path) -> String {
    let message = match error {
        pcap::Error::InvalidString => "the path is not valid UTF-8, which libpcap needs".into(),
        other => pcap_message(other),
    };
    let prefix = format!("{}: ", path.display());
    message
        .strip_prefix(&prefix)
        .map(str::to_string)
        .unwrap_or(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libpcap_messages_lose_the_repeated_path() {
        let path = Path::new("/x/y.pcap");
        let e = pcap::Error::PcapError("/x/y.pcap: No such file or directory".into());
        assert_eq!(pcap_reason(&e, path), "No such file or directory");
    }
}
