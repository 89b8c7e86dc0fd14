//! The one-pass pipeline shared by `read` and `live`: decode each frame, follow it, and write
//! the chosen views as packets arrive; the summary comes at the end.

use std::collections::HashSet;
use std::io::Write;

use crate::Result;
use crate::bytemap::{self, MapContext, map_frame};
use crate::capture::{BpfFilter, Frame, Precision, Timestamp};
use crate::config::{SummaryMode, ViewConfig};
use crate::decode;
use crate::flow::{Observation, Proto, Side, Tracker};
use crate::render::bytes::write_frame_map;
use crate::render::table::{TableStyle, write_summary};
use crate::render::timeline::TimelineWriter;
use crate::render::{Role, Theme, json};

/// Counts kept while reporting.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Frames read from the source.
    pub read: u64,
    /// Frames shown after filters.
    pub shown: u64,
}

/// Writes the report of one capture to `out`, one frame at a time.
pub struct Report<'w> {
    out: &'w mut dyn Write,
    cfg: ViewConfig,
    precision: Precision,
    filter: Option<BpfFilter>,
    tracker: Tracker,
    timeline: TimelineWriter,
    theme: Theme,
    first_ts: Option<Timestamp>,
    shown_conversations: HashSet<(Proto, u32)>,
    counts: Counts,
    table_width: Option<u16>,
}

impl<'w> Report<'w> {
    /// A report writing to `out`. `filter` selects the frames shown; every frame is still
    /// analyzed, so frame and stream numbers stay those of the whole capture.
    pub fn new(
        out: &'w mut dyn Write,
        cfg: ViewConfig,
        precision: Precision,
        filter: Option<BpfFilter>,
    ) -> Report<'w> {
        let theme = if cfg.color {
            Theme::colored()
        } else {
            Theme::plain()
        };
        Report {
            out,
            timeline: TimelineWriter::new(&cfg, precision),
            cfg,
            precision,
            filter,
            tracker: Tracker::new(),
            theme,
            first_ts: None,
            shown_conversations: HashSet::new(),
            counts: Counts::default(),
            table_width: None,
        }
    }

    /// Wrap the summary table to this width (a terminal's); default: never wrap.
    pub fn set_table_width(&mut self, width: Option<u16>) {
        self.table_width = width;
    }

    fn timeline_on(&self) -> bool {
        self.cfg.summary != SummaryMode::Only
    }

    /// Writes the title line and the column headings (text output only).
    pub fn write_header(&mut self, title: &str) -> Result<()> {
        if self.cfg.json {
            return Ok(());
        }
        writeln!(self.out, "{}", self.theme.paint(Role::Heading, title))?;
        if self.timeline_on() {
            self.timeline.write_columns(self.out)?;
        }
        Ok(())
    }

    /// Analyzes one frame and writes what is shown of it.
    pub fn frame(&mut self, frame: &Frame) -> Result<()> {
        self.counts.read += 1;
        self.first_ts.get_or_insert(frame.ts);
        let packet = decode::decode(frame);
        let obs = self.tracker.ingest(frame, &packet);
        if !self.selected(frame, &obs) {
            return Ok(());
        }
        self.counts.shown += 1;
        if let (Some(stream), Some(proto)) = (obs.stream, proto_of(&obs)) {
            self.shown_conversations.insert((proto, stream));
        }
        if !self.timeline_on() {
            return Ok(());
        }
        if self.cfg.json {
            json::write_packet(self.out, frame, &packet, &obs, self.precision)?;
        } else {
            self.timeline.write_packet(self.out, frame, &packet, &obs)?;
        }
        if self
            .cfg
            .bytes
            .as_ref()
            .is_some_and(|sel| sel.contains(frame.index))
        {
            let ctx = MapContext {
                window_scale: obs.tcp.as_ref().and_then(|t| t.window_shift),
            };
            let map = map_frame(frame, &packet, &ctx);
            if self.cfg.json {
                serde_json::to_writer(&mut *self.out, &bytemap::json::record(&map))
                    .map_err(std::io::Error::from)?;
                writeln!(self.out)?;
            } else {
                writeln!(self.out)?;
                write_frame_map(self.out, &map, &self.theme)?;
                writeln!(self.out)?;
            }
        }
        Ok(())
    }

    fn selected(&mut self, frame: &Frame, obs: &Observation) -> bool {
        if let Some(sel) = self.cfg.stream {
            let direct =
                matches!((obs.stream, proto_of(obs)), (Some(s), Some(p)) if sel.matches(p, s));
            let related = matches!(obs.related, Some((p, s)) if sel.matches(p, s));
            if !direct && !related {
                return false;
            }
        }
        match &mut self.filter {
            Some(filter) => filter.matches(frame),
            None => true,
        }
    }

    /// An application call of the demo peers, shown in the timeline between packets.
    /// `call` is the socket call ("connect"), `detail` what it did, `returned` whether the
    /// call returned (or was entered).
    pub fn app_event(
        &mut self,
        ts: Timestamp,
        side: Side,
        call: &str,
        detail: &str,
        returned: bool,
    ) -> Result<()> {
        if !self.timeline_on() {
            return Ok(());
        }
        if self.cfg.json {
            json::write_app_call(self.out, ts, side, call, detail, returned, self.precision)?;
        } else {
            let text = if returned {
                format!("{call}() → {detail}")
            } else {
                format!("{call}() {detail}")
            };
            self.timeline.write_app_line(self.out, ts, side, &text)?;
        }
        Ok(())
    }

    /// Flushes the output (live capture flushes after every packet).
    pub fn flush(&mut self) -> Result<()> {
        self.out.flush()?;
        Ok(())
    }

    /// Gives the writer back, for lines after the report.
    pub fn into_inner(self) -> &'w mut dyn Write {
        self.out
    }

    /// Frames read and shown so far.
    pub fn counts(&self) -> Counts {
        self.counts
    }

    /// Writes the closing line and the summary, as configured.
    pub fn finish(&mut self) -> Result<()> {
        let conversations: Vec<_> = self
            .tracker
            .conversations()
            .into_iter()
            .filter(|c| self.shown_conversations.contains(&(c.proto, c.stream)))
            .collect();
        if self.cfg.json {
            if self.cfg.summary != SummaryMode::None {
                for conv in &conversations {
                    json::write_connection(self.out, conv, self.precision)?;
                }
            }
            self.out.flush()?;
            return Ok(());
        }
        let tcp = conversations
            .iter()
            .filter(|c| c.proto == Proto::Tcp)
            .count();
        let udp = conversations.len() - tcp;
        let plural = |n: usize, what: &str| {
            if n == 1 {
                format!("{n} {what} conversation")
            } else {
                format!("{n} {what} conversations")
            }
        };
        let shown = if self.counts.shown == self.counts.read {
            String::new()
        } else {
            format!(", {} shown", self.counts.shown)
        };
        let line = format!(
            "{} packets{shown} · {} · {}",
            self.counts.read,
            plural(tcp, "TCP"),
            plural(udp, "UDP")
        );
        writeln!(self.out)?;
        writeln!(self.out, "{}", self.theme.paint(Role::Heading, &line))?;
        if self.cfg.summary != SummaryMode::None {
            let style = TableStyle {
                color: self.cfg.color,
                width: self.table_width,
                time: self.cfg.time,
                first_ts: self.first_ts,
                precision: self.precision,
            };
            write_summary(self.out, &conversations, &style)?;
        }
        self.out.flush()?;
        Ok(())
    }
}

fn proto_of(obs: &Observation) -> Option<Proto> {
    match obs.proto {
        crate::flow::PacketProto::Tcp => Some(Proto::Tcp),
        crate::flow::PacketProto::Udp => Some(Proto::Udp),
        _ => None,
    }
}
