//! The wide row without colours, the most common output, built as bytes in one reused
//! buffer: each cell is appended with its blanks, the blanks and numbers go through small
//! fixed-size copies, and nothing is measured twice. It says the same as laying out cells
//! (see `cells::flow`).

use std::io::{self, Write};

use super::row::{flags_text, state_pair};
use super::{FLAGS_W, LEN_W, NUM_W, SEQ_W, STATE_W, STREAM_W, TimelineWriter};
use crate::config::TimeMode;
use crate::flow::Direction;
use crate::render::Shown;
use crate::render::words::push_event_text;
use crate::text::{display_width, write_digits};
use crate::time::format_absolute;

/// Blanks appended in one fixed-size copy.
const BLANKS: [u8; 32] = [b' '; 32];

/// `10^w` for each width `w`: the numbers that fit in `w` columns are below it.
const POWERS: [u64; 20] = {
    let mut powers = [1u64; 20];
    let mut w = 1;
    while w < 20 {
        powers[w] = powers[w - 1] * 10;
        w += 1;
    }
    powers
};

/// A row being built: its bytes and the columns they take.
pub(super) struct PlainRow<'a> {
    bytes: &'a mut Vec<u8>,
    /// Columns taken so far.
    used: usize,
    /// Bytes up to the end of the last cell's text (what follows are blanks).
    kept: usize,
    /// Columns those bytes take.
    kept_cols: usize,
}

impl<'a> PlainRow<'a> {
    /// A row appended to `bytes`, which must be empty.
    pub(super) fn new(bytes: &'a mut Vec<u8>) -> PlainRow<'a> {
        bytes.clear();
        PlainRow {
            bytes,
            used: 0,
            kept: 0,
            kept_cols: 0,
        }
    }

    fn blanks(&mut self, n: usize) {
        if n <= BLANKS.len() {
            let at = self.bytes.len();
            self.bytes.extend_from_slice(&BLANKS);
            self.bytes.truncate(at + n);
        } else {
            self.bytes.resize(self.bytes.len() + n, b' ');
        }
    }

    /// The blanks before a cell: `gap`, except at the start of the line.
    fn gap(&self, gap: usize) -> usize {
        if self.used > 0 { gap } else { 0 }
    }

    /// Appends a cell of `field` columns (blanks then `text` at `offset`), whose text takes
    /// `text_cols` columns.
    fn put(&mut self, field: usize, offset: usize, text: &str, text_cols: usize) {
        let at = self.bytes.len();
        let fits = field <= BLANKS.len() && text.len() == text_cols;
        if fits {
            self.bytes.extend_from_slice(&BLANKS);
            self.bytes.truncate(at + field);
            if let Some(to) = self.bytes.get_mut(at + offset..at + offset + text.len()) {
                to.copy_from_slice(text.as_bytes());
            }
        } else {
            self.blanks(offset);
            self.bytes.extend_from_slice(text.as_bytes());
        }
        let text_end = at + offset + text.len();
        let cols_before = self.used + offset;
        match text.as_bytes().last() {
            None => {}
            Some(&last) if last != b' ' => {
                self.kept = text_end;
                self.kept_cols = cols_before + text_cols;
            }
            Some(_) => {
                // Blanks at the end of a text count as trailing blanks of the row.
                if let Some(last) = text.bytes().rposition(|b| b != b' ') {
                    let dropped = text.len() - last - 1;
                    self.kept = text_end - dropped;
                    self.kept_cols = cols_before + text_cols - dropped;
                }
            }
        }
        if !fits {
            self.blanks(field - offset - text_cols);
        }
        self.used += field;
    }

    fn columns(text: &str) -> usize {
        if text.is_ascii() {
            text.len()
        } else {
            display_width(text)
        }
    }

    /// A cell of `width` columns at least, `text` on the left.
    pub(super) fn left(&mut self, text: &str, width: usize, gap: usize) {
        let gap = self.gap(gap);
        let cols = Self::columns(text);
        self.put(gap + cols.max(width), gap, text, cols);
    }

    /// A cell of `width` columns at least, `text` on the right.
    pub(super) fn right(&mut self, text: &str, width: usize, gap: usize) {
        let gap = self.gap(gap);
        let cols = Self::columns(text);
        let pad = width.saturating_sub(cols);
        self.put(gap + cols.max(width), gap + pad, text, cols);
    }

    /// A number in a cell of `width` columns at least, on the right.
    pub(super) fn number(&mut self, n: u64, width: usize, gap: usize) {
        let gap = self.gap(gap);
        // Every number has a digit.
        let digits = width.max(1);
        let field = gap + digits;
        let fits = POWERS.get(digits).is_some_and(|&limit| n < limit) && field <= BLANKS.len();
        if !fits {
            let mut buf = itoa::Buffer::new();
            return self.right(buf.format(n), width, gap);
        }
        let at = self.bytes.len();
        self.bytes.extend_from_slice(&BLANKS);
        self.bytes.truncate(at + field);
        if let Some(cell) = self.bytes.get_mut(at..at + field) {
            write_digits(cell, n);
        }
        self.kept = at + field;
        self.used += field;
        self.kept_cols = self.used;
    }

    /// `name`, a blank and the number `n` in a cell of `width` columns at least, on the left.
    pub(super) fn left_numbered(&mut self, name: &str, n: u64, width: usize, gap: usize) {
        let gap = self.gap(gap);
        let digits = n.checked_ilog10().map_or(1, |d| d as usize + 1);
        let len = name.len() + 1 + digits;
        let field = gap + len.max(width);
        if !name.is_ascii() || field > BLANKS.len() {
            let mut buf = itoa::Buffer::new();
            let text = format!("{name} {}", buf.format(n));
            return self.left(&text, width, gap);
        }
        let at = self.bytes.len();
        self.bytes.extend_from_slice(&BLANKS);
        self.bytes.truncate(at + field);
        if let Some(cell) = self.bytes.get_mut(at + gap..at + gap + len) {
            let (head, number) = cell.split_at_mut(name.len() + 1);
            if let Some((blank, text)) = head.split_last_mut() {
                text.copy_from_slice(name.as_bytes());
                *blank = b' ';
            }
            write_digits(number, n);
        }
        self.kept = at + gap + len;
        self.kept_cols = self.used + gap + len;
        self.used += field;
    }

    /// A time of `nanos` nanoseconds as seconds with `digits` decimals (as `write_secs`
    /// says it) in a cell of `width` columns at least, on the left.
    pub(super) fn seconds(&mut self, nanos: i128, digits: usize, width: usize, gap: usize) {
        let gap = self.gap(gap);
        let digits = digits.min(9);
        let (secs, frac) = match u64::try_from(nanos) {
            Ok(n) => (n / 1_000_000_000, (n % 1_000_000_000) / POWERS[9 - digits]),
            Err(_) => (u64::MAX, 0),
        };
        let whole = secs.checked_ilog10().map_or(1, |d| d as usize + 1);
        let len = whole + 1 + digits;
        let field = gap + len.max(width);
        if secs == u64::MAX || digits == 0 || field > BLANKS.len() {
            let mut text = String::with_capacity(24);
            crate::time::write_secs(&mut text, nanos, digits);
            return self.left(&text, width, gap);
        }
        let at = self.bytes.len();
        self.bytes.extend_from_slice(&BLANKS);
        self.bytes.truncate(at + field);
        if let Some(cell) = self.bytes.get_mut(at + gap..at + gap + len) {
            let (int, rest) = cell.split_at_mut(whole);
            write_digits(int, secs);
            if let Some((point, decimals)) = rest.split_first_mut() {
                *point = b'.';
                decimals.fill(b'0');
                write_digits(decimals, frac);
            }
        }
        self.kept = at + gap + len;
        self.kept_cols = self.used + gap + len;
        self.used += field;
    }

    /// Columns taken so far.
    #[cfg(test)]
    pub(super) fn used(&self) -> usize {
        self.used
    }

    /// Ends the cells: drops the blanks after the last text, then fills with blanks up to
    /// `column`.
    pub(super) fn end_cells(&mut self, column: usize) {
        self.bytes.truncate(self.kept);
        self.used = self.kept_cols;
        let fill = column.saturating_sub(self.used);
        self.blanks(fill);
        self.used += fill;
    }
}

impl TimelineWriter {
    /// The time cell.
    fn plain_time(&mut self, row: &mut PlainRow<'_>, ts: crate::time::Timestamp) {
        let first = *self.first_ts.get_or_insert(ts);
        let digits = self.precision.digits();
        let width = self.time_width();
        let nanos = match self.time {
            TimeMode::Relative => ts.nanos_since(first),
            TimeMode::Delta => ts.nanos_since(self.prev_ts.unwrap_or(ts)),
            TimeMode::Absolute => {
                self.prev_ts = Some(ts);
                return row.left(&format_absolute(ts, digits), width, 2);
            }
        };
        self.prev_ts = Some(ts);
        row.seconds(nanos, digits, width, 2);
    }

    /// One packet in the wide layout without colours: its line and its detail lines.
    pub(super) fn write_plain(&mut self, out: &mut dyn Write, shown: &Shown<'_>) -> io::Result<()> {
        let obs = shown.obs;
        let mut bytes = std::mem::take(&mut self.plain);
        let mut row = PlainRow::new(&mut bytes);
        row.number(obs.frame, NUM_W, 0);
        self.plain_time(&mut row, obs.ts);
        match obs.stream {
            Some(s) => row.left_numbered(obs.proto.as_str(), s.into(), STREAM_W, 2),
            None => row.left(obs.proto.as_str(), STREAM_W, 2),
        }
        let dir = match obs.dir {
            Some(Direction::ClientToServer) => "C>S",
            Some(Direction::ServerToClient) => "S>C",
            None => "",
        };
        row.left(dir, self.dir_w, 1);
        match &obs.tcp {
            Some(seg) => {
                let mut flags = std::mem::take(&mut self.scratch);
                row.left(flags_text(seg.flags, &mut flags), FLAGS_W, 2);
                self.scratch = flags;
                row.number(seg.seq.into(), SEQ_W, 1);
                match seg.ack {
                    Some(a) => row.number(a.into(), SEQ_W, 1),
                    None => row.right("-", SEQ_W, 1),
                }
            }
            None => {
                row.left("", FLAGS_W, 2);
                row.right("", SEQ_W, 1);
                row.right("", SEQ_W, 1);
            }
        }
        match obs.len {
            Some(l) => row.number(l.into(), LEN_W, 1),
            None => row.right("", LEN_W, 1),
        }
        match &obs.tcp {
            Some(seg) => match seg.window_bytes {
                Some(w) => row.number(w, SEQ_W, 1),
                None if seg.window == 0 => row.number(0, SEQ_W, 1),
                None => {
                    let mut buf = itoa::Buffer::new();
                    let mut text = std::mem::take(&mut self.scratch);
                    text.clear();
                    text.push_str(buf.format(seg.window));
                    text.push('?');
                    row.right(&text, SEQ_W, 1);
                    self.scratch = text;
                }
            },
            None => row.right("", SEQ_W, 1),
        }
        let (client, server) = state_pair(obs);
        row.left(client.map_or("", |s| s.as_str()), STATE_W, 2);
        row.left(server.map_or("", |s| s.as_str()), STATE_W, 1);
        row.end_cells(self.event_column());

        let mut event = std::mem::take(&mut self.event);
        event.clear();
        push_event_text(&mut event, self.words, obs, shown.packet);
        bytes.extend_from_slice(event.as_bytes());
        let mut tags = false;
        for f in obs.findings.iter() {
            let label = self.words.finding(f);
            if !event.contains(label) {
                bytes.extend_from_slice(if tags { b", " } else { b"  [" });
                bytes.extend_from_slice(label.as_bytes());
                tags = true;
            }
        }
        if tags {
            bytes.push(b']');
        }
        bytes.push(b'\n');
        let written = out.write_all(&bytes);
        self.plain = bytes;
        self.event = event;
        written?;
        self.write_details(out, shown, NUM_W + 2 + self.time_width() + 2)
    }
}
