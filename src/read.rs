//! `handshake-viz read FILE`: the offline analysis of a saved capture.

use std::io::Write;
use std::path::Path;

use crate::capture::{BpfFilter, FileSource, FrameSource, LinkType};
use crate::config::ViewConfig;
use crate::report::{Counts, Report};
use crate::{Error, Result};

/// Files up to this size are counted before the timeline so the header can give the total.
const PRECOUNT_LIMIT: u64 = 512 << 20;

/// Options of `read` besides the view.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// tcpdump filter expression selecting the frames shown.
    pub filter: Option<String>,
    /// Wrap the summary table to this width.
    pub table_width: Option<u16>,
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
    let title = title_line(path, &source);
    let mut report = Report::new(out, view, source.precision(), filter);
    report.set_table_width(options.table_width);
    report.write_header(&title)?;
    let outcome = loop {
        match source.next_frame() {
            Ok(Some(frame)) => report.frame(&frame)?,
            Ok(None) => break Ok(()),
            Err(e) => break Err(e),
        }
    };
    report.finish()?;
    outcome.map(|()| report.counts())
}

fn title_line(path: &Path, source: &FileSource) -> String {
    if path.as_os_str() == "-" {
        return format!(
            "standard input · {} · packet count at the end",
            source.linktype()
        );
    }
    let name = crate::error::escape_control(&path.display().to_string());
    let format = source.format().map(|f| f.name()).unwrap_or("capture");
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let mut linktypes = source.linktype().to_string();
    let count = if size <= PRECOUNT_LIMIT {
        match FileSource::scan(path) {
            Ok((n, types)) => {
                let names: Vec<String> = types.iter().map(|t| t.to_string()).collect();
                linktypes = names.join(" + ");
                format!("{n} packets")
            }
            Err(e) => match e {
                Error::Truncated { frames_read, .. } | Error::Corrupt { frames_read, .. } => {
                    format!("{frames_read} readable packets (the file is damaged after them)")
                }
                _ => "packet count unknown".into(),
            },
        }
    } else {
        format!(
            "{:.1} GiB, packet count at the end",
            size as f64 / f64::from(1 << 30)
        )
    };
    format!("{name} · {format} · {linktypes} · {count}")
}
