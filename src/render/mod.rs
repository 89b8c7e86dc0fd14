//! Views. The pipeline hands every view the same things through [`Printer`] — the source, each
//! shown packet, the demo peers' socket calls, each conversation's summary, the totals — and
//! each printer decides what to write and how. Printers own their writer; nothing here writes
//! to stdout directly.

pub mod bytes;
pub mod json;
pub mod json_bytes;
mod json_packet;
pub mod ladder;
pub mod legend;
pub mod shared;
pub mod summary;
pub mod table;
pub mod text;
pub mod theme;
pub mod timeline;
pub mod words;

use std::io::{self, Write};
use std::path::Path;

pub use theme::{Role, Theme};

use crate::capture::live::{CaptureStats, StopReason};
use crate::capture::{FileFormat, Frame, LinkType};
use crate::config::ViewConfig;
use crate::decode::Packet;
use crate::demo::lesson::Lesson;
use crate::demo::{AppEvent, DemoConfig};
use crate::flow::{Conversation, Observation};
use crate::time::Precision;
use shared::SharedWriter;

/// A frame that is shown, with what decoding and tracking found.
#[derive(Debug, Clone, Copy)]
pub struct Shown<'a> {
    /// The captured frame.
    pub frame: &'a Frame,
    /// Its decoded layers.
    pub packet: &'a Packet,
    /// What the tracker concluded.
    pub obs: &'a Observation,
}

/// What the title says of a file's size before it is read (the count of packets comes with
/// the totals: the file is read once).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PacketCount {
    /// The file's size in bytes; the count comes at the end.
    AtEnd(u64),
    /// The size is not known; the count comes at the end.
    Unknown,
}

/// Where the packets come from.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    /// A capture file.
    File {
        /// Its path as given.
        path: &'a Path,
        /// Its container format, when recognised.
        format: Option<FileFormat>,
        /// The link types it uses.
        linktypes: &'a [LinkType],
        /// Its packet count.
        count: PacketCount,
    },
    /// Standard input.
    Stdin {
        /// The link type it declares.
        linktype: LinkType,
    },
    /// A live interface.
    Live {
        /// The interface.
        iface: &'a str,
        /// The demo running on it.
        demo: Option<&'a DemoConfig>,
        /// The file being written.
        write: Option<&'a Path>,
        /// Its link type.
        linktype: LinkType,
        /// The filter the capture runs with.
        filter: Option<&'a str>,
    },
}

/// Counts at the end of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Totals {
    /// Frames read.
    pub read: u64,
    /// Frames shown after filters.
    pub shown: u64,
    /// TCP conversations shown.
    pub tcp: usize,
    /// UDP conversations shown.
    pub udp: usize,
    /// Time of the first frame read (shown or not): start times are relative to it.
    pub first_ts: Option<crate::time::Timestamp>,
    /// What the tracker's limits cut (evicted, continued, forgotten conversations).
    pub tracker: crate::flow::TrackerStats,
}

/// How a live capture ended.
#[derive(Debug, Clone, Copy)]
pub struct CaptureEnd<'a> {
    /// The interface.
    pub iface: &'a str,
    /// Frames captured and delivered.
    pub frames: u64,
    /// libpcap's counters.
    pub stats: CaptureStats,
    /// Why it stopped.
    pub stop: StopReason,
    /// The file written, if any.
    pub written: Option<&'a Path>,
}

/// A view of a report: text timeline, JSON, ladder, picture.
pub trait Printer {
    /// The source is open; `precision` is the resolution of its timestamps.
    fn begin(&mut self, source: &Source<'_>, precision: Precision) -> io::Result<()>;
    /// A frame that is shown.
    fn packet(&mut self, shown: &Shown<'_>) -> io::Result<()>;
    /// A socket call of the demo peers, in time order with the packets.
    fn app_call(&mut self, call: &AppEvent) -> io::Result<()>;
    /// The summary of a conversation that had shown packets.
    fn conversation(&mut self, conv: &Conversation) -> io::Result<()>;
    /// [`Printer::conversation`], the summary handed over whole: a printer that keeps it
    /// takes it without a copy.
    fn conversation_owned(&mut self, conv: Conversation) -> io::Result<()> {
        self.conversation(&conv)
    }
    /// The end of the report.
    fn finish(&mut self, totals: &Totals) -> io::Result<()>;
    /// A live capture's end: why it stopped, libpcap's counters, the file written.
    fn capture_end(&mut self, end: &CaptureEnd<'_>) -> io::Result<()>;
    /// Writes out what is buffered (a live capture flushes after every item).
    fn flush(&mut self) -> io::Result<()>;
    /// A writer with which another thread can write this printer's packet lines in its
    /// place, when that is all the printer writes for a packet (the plain timeline, JSON
    /// records). The lines are then given with [`Printer::lines_written_elsewhere`] and each
    /// of their packets with [`Printer::packet_written_elsewhere`].
    fn shared_writer(&self) -> Option<SharedWriter> {
        None
    }
    /// Lines of packets that the [`Printer::shared_writer`] wrote on another thread, in order.
    fn lines_written_elsewhere(&mut self, text: &[u8]) -> io::Result<()> {
        let _ = text;
        Ok(())
    }
    /// A shown packet whose lines were already given with
    /// [`Printer::lines_written_elsewhere`]: what the printer keeps of it besides its lines.
    fn packet_written_elsewhere(&mut self, shown: &Shown<'_>) -> io::Result<()> {
        self.packet(shown)
    }
    /// Whether it reads the analysis of the packets it is given (their events, numbers and
    /// states); a view that prints no packet says no, and the tracker skips that work.
    fn reads_packets(&self) -> bool {
        true
    }
    /// The lesson after a demo: what it showed and which frames show it. Views that have no
    /// place for it ignore it.
    fn lesson(&mut self, lesson: &Lesson) -> io::Result<()> {
        let _ = lesson;
        Ok(())
    }
}

/// The printers for a view configuration: text or JSON to `out`, and the picture files asked
/// for (created now, so an unwritable path fails before anything is read).
pub fn printer<'w>(
    cfg: &ViewConfig,
    out: Box<dyn Write + 'w>,
) -> crate::Result<Box<dyn Printer + 'w>> {
    use ladder::picture::{PictureKind, PicturePrinter};
    let main: Box<dyn Printer + 'w> = if cfg.json {
        Box::new(json::JsonPrinter::new(cfg, out))
    } else {
        Box::new(text::TextPrinter::new(cfg, out))
    };
    let mut printers = vec![main];
    for (kind, path) in [(PictureKind::Svg, &cfg.svg), (PictureKind::Html, &cfg.html)] {
        if let Some(path) = path {
            let picture = PicturePrinter::create(kind, path.clone(), cfg.lang, cfg.spacing)?;
            printers.push(Box::new(picture));
        }
    }
    if printers.len() == 1 {
        return Ok(printers.remove(0));
    }
    Ok(Box::new(Tee(printers)))
}

/// Several printers fed the same report.
struct Tee<'w>(Vec<Box<dyn Printer + 'w>>);

impl Printer for Tee<'_> {
    fn begin(&mut self, source: &Source<'_>, precision: Precision) -> io::Result<()> {
        self.0
            .iter_mut()
            .try_for_each(|p| p.begin(source, precision))
    }

    fn packet(&mut self, shown: &Shown<'_>) -> io::Result<()> {
        self.0.iter_mut().try_for_each(|p| p.packet(shown))
    }

    fn reads_packets(&self) -> bool {
        self.0.iter().any(|p| p.reads_packets())
    }

    fn app_call(&mut self, call: &AppEvent) -> io::Result<()> {
        self.0.iter_mut().try_for_each(|p| p.app_call(call))
    }

    fn conversation(&mut self, conv: &Conversation) -> io::Result<()> {
        self.0.iter_mut().try_for_each(|p| p.conversation(conv))
    }

    fn finish(&mut self, totals: &Totals) -> io::Result<()> {
        self.0.iter_mut().try_for_each(|p| p.finish(totals))
    }

    fn capture_end(&mut self, end: &CaptureEnd<'_>) -> io::Result<()> {
        self.0.iter_mut().try_for_each(|p| p.capture_end(end))
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.iter_mut().try_for_each(|p| p.flush())
    }

    fn lesson(&mut self, lesson: &Lesson) -> io::Result<()> {
        self.0.iter_mut().try_for_each(|p| p.lesson(lesson))
    }
}
