//! `handshake-viz read FILE`: the offline analysis of a saved capture, in one pass over the
//! file.

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use crate::capture::pcapng_write::{StoredEvent, read_events};
use crate::capture::{BpfFilter, FileFormat, FileSource, FrameSource, LinkType};
use crate::config::{SummaryMode, ViewConfig};
use crate::flow::Limits;
use crate::pipeline::Pass;
use crate::progress::Progress;
use crate::render::{PacketCount, Source, printer};
use crate::report::{Counts, Selection};
use crate::{Error, Result};

/// pcapng files up to this size are searched for stored socket calls (they are read whole).
const EVENTS_LIMIT: u64 = 64 << 20;

/// Options of `read` besides the view.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// tcpdump filter expression selecting the frames shown.
    pub filter: Option<String>,
    /// How many connections are followed at once, and for how long (see [`Limits`]).
    pub limits: Limits,
    /// Show a progress bar on standard error once the read has taken this long (the
    /// binary decides whether: a terminal, not JSON); `None`: never.
    pub progress: Option<Duration>,
}

/// Reads a capture file and writes its report. On a truncated or damaged file everything
/// readable is reported first, then the error is returned (see [`Error::is_partial`]).
pub fn read_file(
    path: &Path,
    view: ViewConfig,
    options: &ReadOptions,
    out: &mut dyn Write,
) -> Result<Counts> {
    let source = FileSource::open(path)?;
    let linktype = source.linktype();
    if !linktype.is_supported() {
        return Err(Error::UnsupportedLinkType {
            source_name: path.display().to_string(),
            linktype: linktype.0,
            name: linktype.name(),
            supported: LinkType::supported_list(),
        });
    }
    let filter = options
        .filter
        .as_deref()
        .map(|expr| BpfFilter::new(expr, linktype))
        .transpose()?;
    let selection = Selection {
        stream: view.stream,
        filter,
    };
    let mut main = printer(&view, Box::new(out))?;
    let size = (path.as_os_str() != "-")
        .then(|| std::fs::metadata(path).ok().map(|m| m.len()))
        .flatten();
    if path.as_os_str() == "-" {
        main.begin(&Source::Stdin { linktype }, source.precision())?;
    } else {
        let linktypes = source.declared_linktypes();
        let source_info = Source::File {
            path,
            format: source.format(),
            linktypes: &linktypes,
            count: size.map_or(PacketCount::Unknown, PacketCount::AtEnd),
        };
        main.begin(&source_info, source.precision())?;
    }
    // Socket calls stored by `live --write x.pcapng` go back in place: before their frame.
    let calls = stored_calls(path, source.format());
    let progress = options.progress.map(|delay| Progress::new(size, delay));
    let pass = Pass {
        source,
        selection,
        limits: options.limits,
        calls,
        progress,
    };
    // Views that write nothing per packet print on the following thread.
    pass.run(main, view.summary != SummaryMode::Only)
}

/// The socket calls a pcapng file of ours stores, in file order; none for other files.
fn stored_calls(path: &Path, format: Option<FileFormat>) -> Vec<StoredEvent> {
    let small = std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() <= EVENTS_LIMIT);
    if format != Some(FileFormat::PcapNg) || path.as_os_str() == "-" || !small {
        return Vec::new();
    }
    read_events(path).map(|r| r.events).unwrap_or_default()
}
