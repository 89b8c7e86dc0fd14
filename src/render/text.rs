//! The text view: a title, the timeline (with the demo peers' socket calls between the
//! packets), byte maps of the chosen frames, the totals and the summary table, and for a live
//! capture the line saying why it stopped.

use std::io::{self, Write};

use super::bytes::write_frame_map;
use super::ladder::build::{LadderBuilder, MAX_LADDERS};
use super::ladder::text::{self as ladder_text, TextOptions};
use super::legend::{Seen, SeenConversations, write_legend};
use super::shared::SharedWriter;
use super::summary::SummaryBook;
use super::table::TableStyle;
use super::timeline::TimelineWriter;
use super::words::Words;
use super::{CaptureEnd, Printer, Role, Shown, Source, Theme, Totals};
use crate::bytemap::{MapContext, map_frame};
use crate::config::{FrameSelection, SummaryMode, View, ViewConfig};
use crate::demo::lesson::Lesson;
use crate::demo::{AppEvent, DemoKind, FramingDecoder};
use crate::flow::Conversation;
use crate::flow::Direction;
use crate::text::escape_str;
use crate::time::Precision;

/// Width of the ladder when neither `--width`, the terminal nor COLUMNS gives one.
pub const DEFAULT_LADDER_WIDTH: usize = 100;

/// Writes the text view.
pub struct TextPrinter<'w> {
    out: Box<dyn Write + 'w>,
    cfg: ViewConfig,
    words: &'static dyn Words,
    theme: Theme,
    timeline: TimelineWriter,
    precision: Precision,
    /// The summary, built as conversations end.
    book: SummaryBook,
    /// Codes and letters of the conversations, for the legend.
    seen_conversations: SeenConversations,
    /// Time of the first packet shown, for start times written before the end.
    first_ts: Option<crate::time::Timestamp>,
    /// With `--view ladder`: the ladders being built, printed at the end.
    ladders: Option<LadderBuilder>,
    /// What the legend will explain.
    seen: Seen,
    /// With the framing demo: the length prefixes found in each direction of each stream.
    framing: Option<Vec<((u32, Direction), FramingDecoder)>>,
    /// A ladder was written before the end.
    ladder_written: bool,
}

impl<'w> TextPrinter<'w> {
    /// A text printer for `cfg`, writing to `out`.
    pub fn new(cfg: &ViewConfig, out: Box<dyn Write + 'w>) -> TextPrinter<'w> {
        TextPrinter {
            out,
            cfg: cfg.clone(),
            words: cfg.lang.words(),
            theme: Theme::new(cfg.color),
            timeline: TimelineWriter::new(cfg, Precision::Micro),
            precision: Precision::Micro,
            book: SummaryBook::new(cfg.all_conversations),
            seen_conversations: SeenConversations::default(),
            first_ts: None,
            ladders: (cfg.view == View::Ladder).then(|| LadderBuilder::new(cfg.lang)),
            seen: Seen::default(),
            framing: None,
            ladder_written: false,
        }
    }

    fn table_style(&self, first_ts: Option<crate::time::Timestamp>) -> TableStyle {
        TableStyle {
            color: self.cfg.color,
            width: self.cfg.width,
            time: self.cfg.time,
            first_ts,
            precision: self.precision,
            words: self.words,
        }
    }

    /// The length prefixes and messages of the framing demo in a packet's TCP payload.
    fn framing_lines(&mut self, shown: &Shown<'_>) -> Vec<String> {
        let (Some(decoders), Some(tcp), Some(stream), Some(dir)) = (
            self.framing.as_mut(),
            shown.obs.tcp.as_ref(),
            shown.obs.stream,
            shown.obs.dir,
        ) else {
            return Vec::new();
        };
        let Some(payload) = shown.frame.data.get(shown.packet.payload.clone()) else {
            return Vec::new();
        };
        let at = match decoders.iter().position(|(k, _)| *k == (stream, dir)) {
            Some(at) => at,
            None => {
                decoders.push(((stream, dir), FramingDecoder::new()));
                decoders.len() - 1
            }
        };
        let offset = u64::from(tcp.seq.wrapping_sub(1));
        let parts = decoders[at].1.feed(offset, payload);
        parts.iter().map(|p| self.words.framing_part(p)).collect()
    }

    fn timeline_on(&self) -> bool {
        self.cfg.summary != SummaryMode::Only
    }

    fn bytes_of(&self, frame: u64) -> bool {
        self.cfg
            .bytes
            .as_ref()
            .is_some_and(|sel: &FrameSelection| sel.contains(frame))
    }

    /// Writes `text` in `role`, wrapped to the width; continuation lines are indented.
    fn line(&mut self, role: Role, text: &str) -> io::Result<()> {
        let lines = match self.cfg.width {
            Some(w) => crate::text::wrap(text, usize::from(w).saturating_sub(2)),
            None => vec![text.to_string()],
        };
        for (i, line) in lines.iter().enumerate() {
            let indent = if i == 0 { "" } else { "  " };
            writeln!(self.out, "{indent}{}", self.theme.paint(role, line))?;
        }
        Ok(())
    }

    /// Writes `first` then `text` (painted in `role`), wrapped to the width; continuation
    /// lines are indented by `indent`.
    fn plain_in(
        &mut self,
        role: Option<Role>,
        first: &str,
        indent: &str,
        text: &str,
    ) -> io::Result<()> {
        let room = crate::text::display_width(first).max(indent.len()) + 1;
        let lines = match self.cfg.width {
            Some(w) => crate::text::wrap(text, usize::from(w).saturating_sub(room).max(20)),
            None => vec![text.to_string()],
        };
        for (i, line) in lines.iter().enumerate() {
            let lead = if i == 0 { first } else { indent };
            match role {
                Some(role) => writeln!(self.out, "{lead}{}", self.theme.paint(role, line))?,
                None => writeln!(self.out, "{lead}{line}")?,
            }
        }
        Ok(())
    }

    fn title(&self, source: &Source<'_>) -> String {
        let w = self.words;
        match *source {
            Source::File {
                path,
                format,
                linktypes,
                count,
            } => {
                let names: Vec<String> = linktypes.iter().map(|t| t.to_string()).collect();
                w.file_title(
                    &escape_str(&path.display().to_string()),
                    format.map(|f| f.name()),
                    &names.join(" + "),
                    count,
                )
            }
            Source::Stdin { linktype } => w.stdin_title(&linktype.to_string()),
            Source::Live {
                iface,
                demo,
                write,
                linktype,
                filter,
            } => {
                let demo = demo.map(|d| (d.kind.name(), d.place()));
                let write = write.map(|p| escape_str(&p.display().to_string()).into_owned());
                let mut title = w.live_title(&escape_str(iface), demo, write.as_deref());
                title.push_str(&format!(" · {linktype}"));
                if let Some(filter) = filter {
                    title.push_str(&w.live_filter(&escape_str(filter)));
                }
                title
            }
        }
    }
}

impl Printer for TextPrinter<'_> {
    fn begin(&mut self, source: &Source<'_>, precision: Precision) -> io::Result<()> {
        self.precision = precision;
        if let Source::Live {
            demo: Some(demo), ..
        } = source
            && demo.kind == DemoKind::Framing
        {
            self.framing = Some(Vec::new());
        }
        self.timeline = TimelineWriter::new(&self.cfg, precision);
        let title = self.title(source);
        self.line(Role::Heading, &title)?;
        if self.timeline_on() && self.ladders.is_none() {
            self.timeline.write_columns(&mut self.out)?;
        }
        Ok(())
    }

    fn reads_packets(&self) -> bool {
        // Without the timeline only the time of the first frame is read.
        self.timeline_on()
    }

    fn packet(&mut self, shown: &Shown<'_>) -> io::Result<()> {
        self.first_ts.get_or_insert(shown.frame.ts);
        if !self.timeline_on() {
            return Ok(());
        }
        self.seen.packet(shown.obs);
        if let Some(ladders) = self.ladders.as_mut() {
            ladders.packet(shown);
            return Ok(());
        }
        self.timeline.write_packet(&mut self.out, shown)?;
        let framing = self.framing_lines(shown);
        for line in &framing {
            self.plain_in(Some(Role::LayerApp), "       ↳ ", "         ", line)?;
        }
        if self.bytes_of(shown.frame.index) {
            let ctx = MapContext {
                window_scale: shown.obs.tcp.as_ref().and_then(|t| t.window_shift),
            };
            let map = map_frame(shown.frame, shown.packet, &ctx);
            writeln!(self.out)?;
            write_frame_map(
                &mut self.out,
                &map,
                &self.theme,
                self.cfg.lang,
                self.cfg.width,
            )?;
            if !framing.is_empty() {
                let head = self.words.framing_heading(shown.packet.payload.start);
                self.line(Role::Heading, &head)?;
                for line in &framing {
                    self.plain_in(Some(Role::LayerApp), "  ", "    ", line)?;
                }
            }
            writeln!(self.out)?;
        }
        Ok(())
    }

    fn shared_writer(&self) -> Option<SharedWriter> {
        let plain_timeline = self.timeline_on()
            && self.ladders.is_none()
            && self.framing.is_none()
            && self.cfg.bytes.is_none();
        plain_timeline
            .then(|| SharedWriter::Timeline(TimelineWriter::new(&self.cfg, self.precision)))
    }

    fn lines_written_elsewhere(&mut self, text: &[u8]) -> io::Result<()> {
        self.out.write_all(text)
    }

    fn packet_written_elsewhere(&mut self, shown: &Shown<'_>) -> io::Result<()> {
        self.first_ts.get_or_insert(shown.frame.ts);
        self.seen.packet(shown.obs);
        self.timeline.skip(shown.obs);
        Ok(())
    }

    fn app_call(&mut self, call: &AppEvent) -> io::Result<()> {
        if !self.timeline_on() {
            return Ok(());
        }
        if let Some(ladders) = self.ladders.as_mut() {
            ladders.app_call(call);
            return Ok(());
        }
        let text = super::words::app_line(self.words, call);
        self.timeline
            .write_app_line(&mut self.out, call.ts, call.side, &text)
    }

    fn conversation(&mut self, conv: &Conversation) -> io::Result<()> {
        if let Some(ladders) = self.ladders.as_mut() {
            ladders.conversation(conv);
            // A ladder is written when its conversation ends; those still open at the end
            // of the capture are written then, in the order they began.
            if conv.retired != crate::flow::Retired::CaptureEnd
                && let Some(ladder) = ladders.take(conv.proto, conv.stream)
            {
                let opts = TextOptions {
                    width: self.cfg.width.map_or(DEFAULT_LADDER_WIDTH, usize::from),
                    theme: self.theme,
                };
                writeln!(self.out)?;
                ladder_text::write(&mut self.out, &[ladder], &opts)?;
                self.ladder_written = true;
            }
        }
        self.seen_conversations.add(conv);
        if self.cfg.summary != SummaryMode::None {
            let style = self.table_style(self.first_ts);
            self.book.add(conv, &style)?;
        }
        Ok(())
    }

    fn finish(&mut self, totals: &Totals) -> io::Result<()> {
        if let Some(ladders) = self.ladders.take() {
            let opts = TextOptions {
                width: self.cfg.width.map_or(DEFAULT_LADDER_WIDTH, usize::from),
                theme: self.theme,
            };
            let not_drawn = ladders.not_drawn;
            let rest = ladders.finish();
            if !rest.is_empty() || !self.ladder_written {
                writeln!(self.out)?;
                ladder_text::write(&mut self.out, &rest, &opts)?;
            }
            if not_drawn > 0 {
                writeln!(self.out)?;
                let note = self.words.ladders_not_drawn(not_drawn, MAX_LADDERS);
                self.line(Role::Warn, &note)?;
            }
        }
        let shown = (totals.shown != totals.read).then_some(totals.shown);
        let line = self
            .words
            .totals(totals.read, shown, totals.tcp, totals.udp);
        writeln!(self.out)?;
        self.line(Role::Heading, &line)?;
        for note in self.words.limits_notes(&totals.tracker, totals.tracker.cap) {
            self.line(Role::Warn, &note)?;
        }
        if self.cfg.summary != SummaryMode::None {
            let style = self.table_style(totals.first_ts);
            self.book.write(&mut self.out, &style)?;
        }
        if self.cfg.legend {
            let columns = self.timeline_on() && self.cfg.view == View::Timeline;
            let width = self.cfg.width.map(usize::from);
            write_legend(
                &mut self.out,
                self.words,
                &self.theme,
                width,
                &self.seen,
                &self.seen_conversations,
                columns,
            )?;
        }
        self.out.flush()
    }

    fn capture_end(&mut self, end: &CaptureEnd<'_>) -> io::Result<()> {
        let w = self.words;
        let role = if end.stats.lost_packets() {
            Role::Warn
        } else {
            Role::Dim
        };
        let line = w.capture_stopped(w.stop_reason(end.stop), &w.capture_stats(&end.stats));
        self.line(role, &line)?;
        if let Some(path) = end.written {
            let line = w.wrote(end.frames, &escape_str(&path.display().to_string()));
            self.line(Role::Dim, &line)?;
        }
        self.out.flush()
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn lesson(&mut self, lesson: &Lesson) -> io::Result<()> {
        let w = self.words;
        writeln!(self.out)?;
        self.line(Role::Heading, &w.lesson_heading(lesson.demo))?;
        for point in &lesson.points {
            for (i, line) in w.lesson_point(point).iter().enumerate() {
                match i {
                    0 => self.plain_in(None, "• ", "  ", line)?,
                    _ => self.plain_in(None, "    ", "      ", line)?,
                }
            }
        }
        writeln!(self.out)?;
        self.out.flush()
    }
}
