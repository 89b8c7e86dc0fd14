//! `handshake-viz read FILE`: the offline analysis of a saved capture, in one pass over the
//! file.

use std::io::Write;
use std::path::Path;

use crate::capture::pcapng_write::{StoredEvent, read_events};
use crate::capture::{BpfFilter, FileFormat, FileSource, Frame, FrameSource, LinkType};
use crate::config::ViewConfig;
use crate::flow::Limits;
use crate::progress::Progress;
use crate::render::{PacketCount, Source, printer};
use crate::report::{Counts, Report, Selection};
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
    /// Show a progress bar on standard error (the binary decides: a terminal, not JSON).
    pub progress: bool,
}

/// Reads a capture file and writes its report. On a truncated or damaged file everything
/// readable is reported first, then the error is returned (see [`Error::is_partial`]).
pub fn read_file(
    path: &Path,
    view: ViewConfig,
    options: &ReadOptions,
    out: &mut dyn Write,
) -> Result<Counts> {
    let mut source = FileSource::open(path)?;
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
    let mut report = Report::with_limits(printer(&view, Box::new(out))?, selection, options.limits);
    let size = (path.as_os_str() != "-")
        .then(|| std::fs::metadata(path).ok().map(|m| m.len()))
        .flatten();
    if path.as_os_str() == "-" {
        report.begin(&Source::Stdin { linktype }, source.precision())?;
    } else {
        let linktypes = source.declared_linktypes();
        let source_info = Source::File {
            path,
            format: source.format(),
            linktypes: &linktypes,
            count: size.map_or(PacketCount::Unknown, PacketCount::AtEnd),
        };
        report.begin(&source_info, source.precision())?;
    }
    // Socket calls stored by `live --write x.pcapng` go back in place: before their frame.
    let mut calls = stored_calls(path, source.format()).into_iter().peekable();
    let mut progress = options.progress.then(|| Progress::new(size));
    let mut frame = Frame::empty();
    let outcome = loop {
        match source.next_into(&mut frame) {
            Ok(true) => {
                while let Some(call) =
                    calls.next_if(|c| c.before_frame.is_some_and(|n| n <= frame.index))
                {
                    report.app_call(&call.event)?;
                }
                report.frame(&frame)?
            }
            Ok(false) => break Ok(()),
            Err(e) => break Err(e),
        }
        if let Some(bar) = progress.as_mut()
            && frame.index.is_multiple_of(Progress::EVERY)
        {
            bar.update(source.bytes_read(), frame.index);
        }
    };
    if let Some(bar) = progress.take() {
        bar.finish();
    }
    if outcome.is_ok() {
        for call in calls {
            report.app_call(&call.event)?;
        }
    }
    report.finish()?;
    outcome.map(|()| report.counts())
}

/// The socket calls a pcapng file of ours stores, in file order; none for other files.
fn stored_calls(path: &Path, format: Option<FileFormat>) -> Vec<StoredEvent> {
    let small = std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() <= EVENTS_LIMIT);
    if format != Some(FileFormat::PcapNg) || path.as_os_str() == "-" || !small {
        return Vec::new();
    }
    read_events(path).map(|r| r.events).unwrap_or_default()
}
