//! The timeline: one line per packet with its numbers, the states it changes and what
//! happens, plus indented detail lines (options, payload preview, notes).
//!
//! Two layouts. Wide (no width limit, or room for `WIDE_EVENT_MIN` columns of explanation after the numbers): everything on one
//! line, the explanation wrapped in its own column. Narrow: the numbers on one line, then the
//! explanation and the state changes on the lines below, all within the width.

mod app;
mod cells;
mod details;
mod intro;
mod plain;
mod row;
#[cfg(test)]
mod tests_plain;
mod wide;

use std::io::{self, Write};

use self::cells::{Align, Cell, flow, indented_parts};
pub use self::row::flags_short;
use self::row::{changed_states, event_role, flag_role, split_tags, state_cells};
use super::Shown;
use super::theme::{Role, Theme};
use super::words::{Words, event_text};
use crate::config::{TimeMode, ViewConfig};
use crate::flow::{Direction, Observation, PacketProto, Proto};
use crate::text::{display_width, wrap, wrap_parts};
use crate::time::{Precision, Timestamp, format_absolute, format_secs};

/// Column widths, shared by the header and the rows.
const NUM_W: usize = 5;
const STREAM_W: usize = 7;
const FLAGS_W: usize = 11;
const SEQ_W: usize = 7;
const LEN_W: usize = 5;
const STATE_W: usize = 12;
/// Continuation lines of the narrow layout start here.
const INDENT: usize = NUM_W + 2;
/// Narrowest explanation column of the wide layout.
const WIDE_EVENT_MIN: usize = 40;

/// Writes timeline lines; keeps the previous timestamp for `--time delta`.
pub struct TimelineWriter {
    theme: Theme,
    words: &'static dyn Words,
    time: TimeMode,
    payload: usize,
    precision: Precision,
    width: Option<usize>,
    /// Width of the direction column: `C>S`, or its heading when that is wider.
    dir_w: usize,
    first_ts: Option<Timestamp>,
    prev_ts: Option<Timestamp>,
    /// The conversation whose header the last packet was printed under (None: none, or the
    /// packets outside conversations).
    section: Option<(Proto, u32)>,
    /// The wide row being written, and a scratch buffer, reused from packet to packet.
    line: wide::Line,
    scratch: String,
    /// The bytes of a row without colours, reused.
    plain: Vec<u8>,
    /// The event sentence of the packet being written, reused.
    event: String,
}

impl TimelineWriter {
    /// A writer for the given view settings and timestamp precision.
    pub fn new(cfg: &ViewConfig, precision: Precision) -> TimelineWriter {
        TimelineWriter {
            theme: Theme::new(cfg.color),
            words: cfg.lang.words(),
            time: cfg.time,
            payload: cfg.payload,
            precision,
            width: cfg.width.map(usize::from),
            dir_w: display_width(cfg.lang.words().timeline_headings().dir).max(3),
            first_ts: None,
            prev_ts: None,
            section: None,
            line: wide::Line::default(),
            scratch: String::new(),
            plain: Vec::new(),
            event: String::new(),
        }
    }

    fn time_width(&self) -> usize {
        match self.time {
            TimeMode::Absolute => 20 + self.precision.digits() + 7,
            _ => 4 + self.precision.digits(),
        }
    }

    /// Columns before the explanation in the wide layout.
    fn event_column(&self) -> usize {
        let numbers = NUM_W + 2 + self.time_width() + 2 + STREAM_W + 1 + self.dir_w + 2;
        let fields = FLAGS_W + (1 + SEQ_W) * 3 + 1 + LEN_W;
        let states = 2 + STATE_W + 1 + STATE_W + 1;
        numbers + fields + states
    }

    /// Whether the explanation gets lines of its own (the width is too small for one line).
    fn narrow(&self) -> bool {
        self.width
            .is_some_and(|w| w < self.event_column() + WIDE_EVENT_MIN)
    }

    /// The numbers of a row as cells: frame, time, stream, direction, flags, seq, ack, len,
    /// win.
    fn number_cells(&self, texts: [(&str, Option<Role>); 9]) -> Vec<Cell> {
        let layout = [
            (NUM_W, Align::Right, 0),
            (self.time_width(), Align::Left, 2),
            (STREAM_W, Align::Left, 2),
            (self.dir_w, Align::Left, 1),
            (FLAGS_W, Align::Left, 2),
            (SEQ_W, Align::Right, 1),
            (SEQ_W, Align::Right, 1),
            (LEN_W, Align::Right, 1),
            (SEQ_W, Align::Right, 1),
        ];
        texts
            .into_iter()
            .zip(layout)
            .map(|((text, role), (width, align, gap))| {
                let cell = Cell::new(text, width, align, gap);
                match role {
                    Some(role) => cell.painted(role),
                    None => cell,
                }
            })
            .collect()
    }

    /// Column headings.
    pub fn write_columns(&self, out: &mut dyn Write) -> io::Result<()> {
        let h = self.words.timeline_headings();
        let time = match self.time {
            TimeMode::Relative => h.time_relative,
            TimeMode::Absolute => h.time_absolute,
            TimeMode::Delta => h.time_delta,
        };
        let mut cells = self.number_cells([
            (h.frame, None),
            (time, None),
            (h.stream, None),
            (h.dir, None),
            (h.flags, None),
            (h.seq, None),
            (h.ack, None),
            (h.len, None),
            (h.win, None),
        ]);
        let plain = Theme::plain();
        if self.narrow() {
            let mut lines = flow(&cells, self.width, INDENT, &plain);
            lines.push(format!("{}{}", " ".repeat(INDENT), h.what_narrow));
            for line in lines {
                writeln!(out, "{}", self.theme.paint(Role::Dim, &line))?;
            }
            return Ok(());
        }
        cells.push(Cell::new(h.client, STATE_W, Align::Left, 2));
        cells.push(Cell::new(h.server, STATE_W, Align::Left, 1));
        cells.push(Cell::new(h.what, 0, Align::Left, 1));
        for line in flow(&cells, None, INDENT, &plain) {
            writeln!(out, "{}", self.theme.paint(Role::Dim, &line))?;
        }
        Ok(())
    }

    fn format_time(&mut self, ts: Timestamp) -> String {
        let first = *self.first_ts.get_or_insert(ts);
        let digits = self.precision.digits();
        let text = match self.time {
            TimeMode::Relative => format_secs(ts.nanos_since(first), digits),
            TimeMode::Delta => format_secs(ts.nanos_since(self.prev_ts.unwrap_or(ts)), digits),
            TimeMode::Absolute => format_absolute(ts, digits),
        };
        self.prev_ts = Some(ts);
        text
    }

    /// The header a packet is printed under: its conversation's intro when it opens one, or a
    /// header saying whose packets follow when they change, so a packet is never shown under
    /// another conversation's header.
    fn write_section(&mut self, out: &mut dyn Write, obs: &Observation) -> io::Result<()> {
        let key = section_key(obs);
        if let Some(intro) = &obs.intro {
            self.write_intro(out, intro)?;
        } else if key != self.section {
            // Built in the scratch buffer after a newline: piped output writes it as it is.
            let mut line = std::mem::take(&mut self.scratch);
            line.clear();
            line.push('\n');
            match key {
                Some((proto, stream)) => self.words.stream_continued(&mut line, proto, stream),
                None => line.push_str(self.words.outside_streams()),
            }
            let written = self.write_continued(out, &mut line);
            self.scratch = line;
            self.section = key;
            return written;
        }
        self.section = key;
        Ok(())
    }

    /// The header of a conversation whose packets resume: `line` is a newline then the
    /// header's text (our words only).
    fn write_continued(&self, out: &mut dyn Write, line: &mut String) -> io::Result<()> {
        let Some(width) = self.width else {
            if self.theme.is_colored() {
                let text = line.split_off(1);
                self.theme.push_paint(line, Role::Heading, &text);
            }
            line.push('\n');
            return out.write_all(line.as_bytes());
        };
        let line = &line[1..];
        writeln!(out)?;
        for (i, piece) in wrap(line, width.saturating_sub(3)).iter().enumerate() {
            let pad = if i == 0 { "" } else { "   " };
            writeln!(out, "{pad}{}", self.theme.paint(Role::Heading, piece))?;
        }
        Ok(())
    }

    /// Keeps the writer's state as if `obs`'s packet had been written (by another writer
    /// with the same configuration): the header it is under and its time.
    pub fn skip(&mut self, obs: &Observation) {
        self.section = section_key(obs);
        self.first_ts.get_or_insert(obs.ts);
        self.prev_ts = Some(obs.ts);
    }

    /// One packet: its line and its detail lines.
    pub fn write_packet(&mut self, out: &mut dyn Write, shown: &Shown<'_>) -> io::Result<()> {
        let obs = shown.obs;
        self.write_section(out, obs)?;
        if self.width.is_none() {
            // Piped output: the row in one reused buffer, the common case made fast.
            if !self.theme.is_colored() {
                return self.write_plain(out, shown);
            }
            return self.write_wide(out, shown);
        }
        let time = self.format_time(obs.ts);
        let stream = match (obs.stream, obs.proto.as_str()) {
            (Some(s), p) => format!("{p} {s}"),
            (None, p) => p.to_string(),
        };
        let (dir, dir_role) = match obs.dir {
            Some(Direction::ClientToServer) => ("C>S", Role::Client),
            Some(Direction::ServerToClient) => ("S>C", Role::Server),
            None => ("", Role::Dim),
        };
        let (flag_text, flag_role) = match &obs.tcp {
            Some(seg) => (flags_short(seg.flags), flag_role(seg.flags, obs.phase)),
            None => (String::new(), Role::Dim),
        };
        let (seq, ack, win) = match &obs.tcp {
            Some(seg) => (
                seg.seq.to_string(),
                seg.ack.map_or_else(|| "-".into(), |a| a.to_string()),
                match seg.window_bytes {
                    Some(w) => w.to_string(),
                    None if seg.window == 0 => "0".into(),
                    None => format!("{}?", seg.window),
                },
            ),
            None => (String::new(), String::new(), String::new()),
        };
        let len = obs.len.map(|l| l.to_string()).unwrap_or_default();
        let event_role = event_role(obs.phase);
        let event = event_text(self.words, obs, shown.packet);
        let tags: Vec<&str> = obs
            .findings
            .iter()
            .map(|f| self.words.finding(f))
            .filter(|label| !event.contains(label))
            .collect();
        let tags = if tags.is_empty() {
            String::new()
        } else {
            format!("  [{}]", tags.join(", "))
        };
        let frame = obs.frame.to_string();
        let mut cells = self.number_cells([
            (&frame, None),
            (&time, None),
            (&stream, None),
            (dir, Some(dir_role)),
            (&flag_text, Some(flag_role)),
            (&seq, None),
            (&ack, None),
            (&len, None),
            (&win, None),
        ]);
        let t = self.theme;
        if self.narrow() {
            for line in flow(&cells, self.width, INDENT, &t) {
                writeln!(out, "{line}")?;
            }
            let changes = self.words.state_changes(&changed_states(obs));
            let changes = if changes.is_empty() {
                changes
            } else {
                format!("  {changes}")
            };
            let parts = [event.as_str(), &changes, &tags];
            for line in indented_parts(&parts, INDENT, self.width, &t, event_role) {
                writeln!(out, "{line}")?;
            }
            return self.write_details(out, shown, INDENT);
        }
        let (client_state, server_state) = state_cells(obs);
        cells.push(Cell::new(client_state, STATE_W, Align::Left, 2).painted(Role::State));
        cells.push(Cell::new(server_state, STATE_W, Align::Left, 1).painted(Role::State));
        let column = self.event_column();
        let text_width = self.width.map(|w| w - column);
        let mut pieces = match text_width {
            Some(w) => wrap_parts(&[&event, &tags], w).into_iter(),
            None => vec![format!("{event}{tags}")].into_iter(),
        };
        let first = pieces.next().unwrap_or_default();
        let (first, tags_here) = split_tags(&first, &tags, self.width.is_none());
        let mut painted = t.paint(event_role, first);
        painted.push_str(&t.paint(Role::Warn, tags_here));
        let mut line = flow(&cells, None, INDENT, &t).concat();
        line.push_str(&" ".repeat(column.saturating_sub(display_width(&line))));
        line.push_str(&painted);
        writeln!(out, "{line}")?;
        for piece in pieces {
            writeln!(out, "{}{}", " ".repeat(column), t.paint(event_role, &piece))?;
        }
        self.write_details(out, shown, NUM_W + 2 + self.time_width() + 2)
    }
}

/// The conversation a packet is shown under: its own, or the one an ICMP error quotes.
fn section_key(obs: &Observation) -> Option<(Proto, u32)> {
    match (obs.stream, obs.proto) {
        (Some(s), PacketProto::Tcp) => Some((Proto::Tcp, s)),
        (Some(s), PacketProto::Udp) => Some((Proto::Udp, s)),
        _ => obs.related,
    }
}
