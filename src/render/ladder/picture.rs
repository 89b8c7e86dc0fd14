//! The `--svg FILE` and `--html FILE` outputs: the ladders of the conversations shown, drawn
//! when the report ends.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use super::build::LadderBuilder;
use super::html::{self, HtmlOptions};
use super::svg::{self, Spacing, SvgOptions};
use crate::demo::AppEvent;
use crate::flow::Conversation;
use crate::render::words::Lang;
use crate::render::{CaptureEnd, Printer, Shown, Source, Totals};
use crate::time::Precision;
use crate::{Error, Result};

/// Which picture to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PictureKind {
    /// A standalone SVG.
    Svg,
    /// A self-contained HTML page.
    Html,
}

/// Writes the ladders as a picture file at the end of the report.
pub struct PicturePrinter {
    kind: PictureKind,
    path: PathBuf,
    file: Option<BufWriter<File>>,
    builder: Option<LadderBuilder>,
    spacing: Spacing,
    lang: Lang,
    title: String,
}

impl PicturePrinter {
    /// Creates the file now, so an unwritable path fails before anything is read.
    pub fn create(kind: PictureKind, path: PathBuf, lang: Lang, spacing: Spacing) -> Result<Self> {
        let file = File::create(&path).map_err(|e| Error::Write {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        let mut builder = LadderBuilder::new(lang);
        builder.with_bytes = kind == PictureKind::Html;
        Ok(PicturePrinter {
            kind,
            path,
            file: Some(BufWriter::new(file)),
            builder: Some(builder),
            spacing,
            lang,
            title: "handshake-viz".into(),
        })
    }

    fn write_error(&self, e: io::Error) -> io::Error {
        io::Error::new(e.kind(), format!("{}: {e}", self.path.display()))
    }
}

impl Printer for PicturePrinter {
    fn begin(&mut self, source: &Source<'_>, _precision: Precision) -> io::Result<()> {
        self.title = match source {
            Source::File { path, .. } => format!("handshake-viz · {}", path.display()),
            Source::Stdin { .. } => "handshake-viz".into(),
            Source::Live { iface, .. } => format!("handshake-viz · {iface}"),
        };
        Ok(())
    }

    fn packet(&mut self, shown: &Shown<'_>) -> io::Result<()> {
        if let Some(b) = self.builder.as_mut() {
            b.packet(shown);
        }
        Ok(())
    }

    fn app_call(&mut self, call: &AppEvent) -> io::Result<()> {
        if let Some(b) = self.builder.as_mut() {
            b.app_call(call);
        }
        Ok(())
    }

    fn conversation(&mut self, conv: &Conversation) -> io::Result<()> {
        if let Some(b) = self.builder.as_mut() {
            b.conversation(conv);
        }
        Ok(())
    }

    fn finish(&mut self, _totals: &Totals) -> io::Result<()> {
        let (Some(builder), Some(mut file)) = (self.builder.take(), self.file.take()) else {
            return Ok(());
        };
        let ladders = builder.finish();
        let svg = SvgOptions {
            spacing: self.spacing,
        };
        let written = match self.kind {
            PictureKind::Svg => svg::write(&mut file, &ladders, &svg),
            PictureKind::Html => {
                let opts = HtmlOptions {
                    svg,
                    title: self.title.clone(),
                    hint: self.lang.words().html_hint().into(),
                    lang: match self.lang {
                        Lang::En => "en".into(),
                        Lang::Zh => "zh".into(),
                    },
                };
                html::write(&mut file, &ladders, &opts)
            }
        };
        written
            .and_then(|()| file.flush())
            .map_err(|e| self.write_error(e))
    }

    fn capture_end(&mut self, _end: &CaptureEnd<'_>) -> io::Result<()> {
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
