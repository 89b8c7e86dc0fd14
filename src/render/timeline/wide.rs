//! The wide timeline row of unbounded width in colour, written straight into one reused
//! buffer: the same text as laying out cells (see `cells::flow`), without a string per cell.
//! The row without colours has its own faster writer (`plain`).

use std::io::{self, Write};

use super::row::{event_role, flag_role, flags_text, state_pair};
use super::{FLAGS_W, LEN_W, NUM_W, SEQ_W, STATE_W, STREAM_W, TimelineWriter};
use crate::config::TimeMode;
use crate::flow::Direction;
use crate::render::Shown;
use crate::render::theme::Role;
use crate::render::words::push_event_text;
use crate::text::display_width;
use crate::time::{format_absolute, write_secs};

/// A line being built and the columns it takes.
#[derive(Default)]
pub(super) struct Line {
    pub(super) text: String,
    used: usize,
}

impl Line {
    /// Starts a line.
    fn start(&mut self) {
        self.text.clear();
        self.used = 0;
    }

    /// A cell: `gap` blanks (none at the start of the line), then `text` padded to `width`
    /// (left or right), painted in `role` unless it is empty.
    #[inline]
    fn cell(
        &mut self,
        w: &TimelineWriter,
        text: &str,
        width: usize,
        right: bool,
        gap: usize,
        role: Option<Role>,
    ) {
        let gap = if self.used > 0 { gap } else { 0 };
        let cols = display_width(text);
        let pad = width.saturating_sub(cols);
        self.used += gap + cols.max(width);
        match role {
            Some(role) if !text.is_empty() && w.theme.is_colored() => {
                push_blanks(&mut self.text, gap);
                let mut padded = String::with_capacity(width + 4);
                if right {
                    push_blanks(&mut padded, pad);
                    padded.push_str(text);
                } else {
                    padded.push_str(text);
                    push_blanks(&mut padded, pad);
                }
                w.theme.push_paint(&mut self.text, role, &padded);
            }
            _ if right => {
                push_blanks(&mut self.text, gap + pad);
                self.text.push_str(text);
            }
            _ => {
                push_blanks(&mut self.text, gap);
                self.text.push_str(text);
                push_blanks(&mut self.text, pad);
            }
        }
    }

    /// Drops trailing blanks, then fills with blanks up to `column`; the cells are then in
    /// `text`.
    fn end_cells(&mut self, column: usize) {
        // Cells end in blanks or, painted, in an escape sequence: only blanks to drop.
        let kept = self
            .text
            .bytes()
            .rposition(|b| b != b' ')
            .map_or(0, |last| last + 1);
        self.used -= self.text.len() - kept;
        self.text.truncate(kept);
        push_blanks(&mut self.text, column.saturating_sub(self.used));
        self.used = self.used.max(column);
    }
}

/// Appends `n` blanks.
#[inline]
pub(super) fn push_blanks(out: &mut String, n: usize) {
    const BLANKS: &str = "                                                                ";
    if n <= BLANKS.len() {
        out.push_str(&BLANKS[..n]);
        return;
    }
    let mut n = n;
    while n > 0 {
        let k = n.min(BLANKS.len());
        out.push_str(&BLANKS[..k]);
        n -= k;
    }
}

impl TimelineWriter {
    /// The time cell's text.
    fn push_time(&mut self, out: &mut String, ts: crate::time::Timestamp) {
        let first = *self.first_ts.get_or_insert(ts);
        let digits = self.precision.digits();
        match self.time {
            TimeMode::Relative => write_secs(out, ts.nanos_since(first), digits),
            TimeMode::Delta => write_secs(out, ts.nanos_since(self.prev_ts.unwrap_or(ts)), digits),
            TimeMode::Absolute => out.push_str(&format_absolute(ts, digits)),
        }
        self.prev_ts = Some(ts);
    }

    /// One packet in the wide layout: its line and its detail lines.
    pub(super) fn write_wide(&mut self, out: &mut dyn Write, shown: &Shown<'_>) -> io::Result<()> {
        let obs = shown.obs;
        let mut line = std::mem::take(&mut self.line);
        line.start();
        let mut scratch = std::mem::take(&mut self.scratch);
        let mut num = itoa::Buffer::new();

        line.cell(self, num.format(obs.frame), NUM_W, true, 0, None);
        scratch.clear();
        self.push_time(&mut scratch, obs.ts);
        line.cell(self, &scratch, self.time_width(), false, 2, None);
        scratch.clear();
        scratch.push_str(obs.proto.as_str());
        if let Some(s) = obs.stream {
            scratch.push(' ');
            scratch.push_str(num.format(s));
        }
        line.cell(self, &scratch, STREAM_W, false, 2, None);
        let (dir, dir_role) = match obs.dir {
            Some(Direction::ClientToServer) => ("C>S", Role::Client),
            Some(Direction::ServerToClient) => ("S>C", Role::Server),
            None => ("", Role::Dim),
        };
        line.cell(self, dir, self.dir_w, false, 1, Some(dir_role));
        scratch.clear();
        match &obs.tcp {
            Some(seg) => {
                let role = flag_role(seg.flags, obs.phase);
                let text = flags_text(seg.flags, &mut scratch);
                line.cell(self, text, FLAGS_W, false, 2, Some(role));
                line.cell(self, num.format(seg.seq), SEQ_W, true, 1, None);
                match seg.ack {
                    Some(a) => line.cell(self, num.format(a), SEQ_W, true, 1, None),
                    None => line.cell(self, "-", SEQ_W, true, 1, None),
                }
            }
            None => {
                line.cell(self, "", FLAGS_W, false, 2, Some(Role::Dim));
                line.cell(self, "", SEQ_W, true, 1, None);
                line.cell(self, "", SEQ_W, true, 1, None);
            }
        }
        match obs.len {
            Some(l) => line.cell(self, num.format(l), LEN_W, true, 1, None),
            None => line.cell(self, "", LEN_W, true, 1, None),
        }
        match &obs.tcp {
            Some(seg) => match seg.window_bytes {
                Some(w) => line.cell(self, num.format(w), SEQ_W, true, 1, None),
                None if seg.window == 0 => line.cell(self, "0", SEQ_W, true, 1, None),
                None => {
                    scratch.clear();
                    scratch.push_str(num.format(seg.window));
                    scratch.push('?');
                    line.cell(self, &scratch, SEQ_W, true, 1, None);
                }
            },
            None => line.cell(self, "", SEQ_W, true, 1, None),
        }
        let (client, server) = state_pair(obs);
        let name = |state: Option<crate::analysis::TcpState>| state.map_or("", |s| s.as_str());
        line.cell(self, name(client), STATE_W, false, 2, Some(Role::State));
        line.cell(self, name(server), STATE_W, false, 1, Some(Role::State));
        line.end_cells(self.event_column());

        let event_role = event_role(obs.phase);
        let mut event = std::mem::take(&mut self.event);
        event.clear();
        push_event_text(&mut event, self.words, obs, shown.packet);
        scratch.clear();
        for f in obs.findings.iter() {
            let label = self.words.finding(f);
            if !event.contains(label) {
                scratch.push_str(if scratch.is_empty() { "  [" } else { ", " });
                scratch.push_str(label);
            }
        }
        if scratch.is_empty() {
            self.theme.push_paint(&mut line.text, event_role, &event);
        } else {
            scratch.push(']');
            let head = event.trim_end_matches(' ');
            self.theme.push_paint(&mut line.text, event_role, head);
            let mut rest = String::with_capacity(scratch.len() + 4);
            rest.push_str(&event[head.len()..]);
            rest.push_str(&scratch);
            self.theme.push_paint(&mut line.text, Role::Warn, &rest);
        }
        line.text.push('\n');
        let written = out.write_all(line.text.as_bytes());
        self.line = line;
        self.scratch = scratch;
        self.event = event;
        written?;
        self.write_details(out, shown, NUM_W + 2 + self.time_width() + 2)
    }
}
