//! The timeline: one line per packet with its numbers, the states it changes and what
//! happens, plus indented detail lines (options, payload preview, notes).
//!
//! Two layouts. Wide (no width limit, or at least [`WIDE_MIN`] columns): everything on one
//! line, the explanation wrapped in its own column. Narrow: the numbers on one line, then the
//! explanation and the state changes on the lines below, all within the width.

mod cells;
mod row;

use std::io::{self, Write};

use self::cells::{Align, Cell, flow, indented};
use super::Shown;
use super::theme::{Role, Theme};
use super::words::{Words, event_text, tcp_options};
use crate::analysis::{Phase, TcpState};
use crate::config::{TimeMode, ViewConfig};
use crate::decode::tcp::flags;
use crate::decode::{DecodeStop, TcpOptionKind};
use crate::flow::{ConversationIntro, Direction, Observation, PacketProto, Proto, Side};
use crate::text::{display_width, escape_bytes_fit, wrap};
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
    /// The wide row being written, and a scratch buffer, reused from packet to packet.
    line: row::Line,
    scratch: String,
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
            line: row::Line::new(),
            scratch: String::new(),
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

    /// The line that introduces a conversation.
    pub fn write_intro(&self, out: &mut dyn Write, intro: &ConversationIntro) -> io::Result<()> {
        writeln!(out)?;
        let w = self.words;
        let tail = match intro.proto {
            Proto::Tcp => w.role_basis(intro.basis),
            Proto::Udp => w.udp_intro(),
        };
        let plain = w.stream_intro(
            intro.proto,
            intro.stream,
            &intro.client.to_string(),
            &intro.server.to_string(),
            tail,
        );
        let fits = self.width.is_none_or(|w| display_width(&plain) <= w);
        if fits {
            let text = w.stream_intro(
                intro.proto,
                intro.stream,
                &self.theme.paint(Role::Client, &intro.client.to_string()),
                &self.theme.paint(Role::Server, &intro.server.to_string()),
                tail,
            );
            return writeln!(out, "{}", self.theme.paint(Role::Heading, &text));
        }
        let width = self.width.unwrap_or(usize::MAX);
        for (i, line) in wrap(&plain, width.saturating_sub(3)).iter().enumerate() {
            let pad = if i == 0 { "" } else { "   " };
            writeln!(out, "{pad}{}", self.theme.paint(Role::Heading, line))?;
        }
        Ok(())
    }

    /// One packet: its line and its detail lines.
    pub fn write_packet(&mut self, out: &mut dyn Write, shown: &Shown<'_>) -> io::Result<()> {
        let obs = shown.obs;
        if let Some(intro) = &obs.intro {
            self.write_intro(out, intro)?;
        }
        if !self.narrow() {
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
        let event_role = match obs.phase {
            Phase::Handshake => Role::Handshake,
            Phase::Close => Role::Close,
            Phase::Reset => Role::Alert,
            _ => Role::Data,
        };
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
        let cells = self.number_cells([
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
        for line in flow(&cells, self.width, INDENT, &t) {
            writeln!(out, "{line}")?;
        }
        let changes = self.words.state_changes(&changed_states(obs));
        let mut text = event.clone();
        if !changes.is_empty() {
            text.push_str("  ");
            text.push_str(&changes);
        }
        text.push_str(&tags);
        for line in indented(&text, INDENT, self.width, &t, event_role) {
            writeln!(out, "{line}")?;
        }
        self.write_details(out, shown, INDENT)
    }

    fn write_details(
        &self,
        out: &mut dyn Write,
        shown: &Shown<'_>,
        indent: usize,
    ) -> io::Result<()> {
        let (frame, packet, obs) = (shown.frame, shown.packet, shown.obs);
        let t = &self.theme;
        if let Some(tcp) = packet.tcp() {
            let interesting = tcp.flags & flags::SYN != 0
                || tcp.options.iter().any(|o| {
                    matches!(
                        o.kind,
                        TcpOptionKind::Sack(_) | TcpOptionKind::Unknown { .. }
                    )
                });
            if interesting && (!tcp.options.is_empty() || !tcp.header_complete) {
                let mut opts = tcp_options(self.words, obs, packet);
                if !tcp.header_complete {
                    opts.push(self.words.options_cut().into());
                }
                if !opts.is_empty() {
                    let text = self.words.options_line(&opts.join(", "));
                    for line in indented(&text, indent, self.width, t, Role::Dim) {
                        writeln!(out, "{line}")?;
                    }
                }
            }
        }
        let transport = matches!(obs.proto, PacketProto::Tcp | PacketProto::Udp);
        if self.payload > 0 && transport && !packet.payload.is_empty() {
            let bytes = &frame.data[packet.payload.clone()];
            let shown = &bytes[..bytes.len().min(self.payload)];
            let mut more =
                bytes.len() > shown.len() || obs.len.is_some_and(|l| l as usize > bytes.len());
            let mut line = String::with_capacity(indent + 4 * shown.len() + 8);
            line.extend(std::iter::repeat_n(' ', indent));
            line.push('"');
            match self.width {
                // The quotes and a possible ellipsis take 3 columns.
                Some(w) => {
                    let (text, cut) = escape_bytes_fit(shown, w.saturating_sub(indent + 3).max(8));
                    more |= cut;
                    line.push_str(&text);
                }
                None => crate::text::push_escaped_bytes(&mut line, shown),
            }
            line.push('"');
            if more {
                line.push('…');
            }
            line.push('\n');
            out.write_all(line.as_bytes())?;
        }
        let note = if frame.is_truncated() {
            Some(self.words.truncated(frame.data.len(), frame.orig_len))
        } else if let Some(stop) = &packet.stop
            && obs.proto != PacketProto::Other
        {
            Some(self.words.note(&stop_text(self.words, stop)))
        } else {
            None
        };
        match (note, self.width) {
            (Some(note), None) => {
                // One line: no wrapping to do.
                let mut line = String::with_capacity(indent + note.len() + 16);
                line.extend(std::iter::repeat_n(' ', indent));
                t.push_paint(&mut line, Role::Warn, &note);
                line.push('\n');
                out.write_all(line.as_bytes())?;
            }
            (Some(note), Some(_)) => {
                for line in indented(&note, indent, self.width, t, Role::Warn) {
                    writeln!(out, "{line}")?;
                }
            }
            (None, _) => {}
        }
        Ok(())
    }

    /// A line for an application call of the demo peers, between the packets it relates to.
    pub fn write_app_line(
        &mut self,
        out: &mut dyn Write,
        ts: Timestamp,
        side: Side,
        text: &str,
    ) -> io::Result<()> {
        let time = match self.first_ts {
            Some(first) => format_secs(ts.nanos_since(first), self.precision.digits()),
            None => String::new(),
        };
        let who = format!("{}:", self.words.side(side));
        let role = match side {
            Side::Client => Role::Client,
            Side::Server => Role::Server,
        };
        let cells = [
            Cell::new("app", NUM_W, Align::Right, 0),
            Cell::new(time, self.time_width(), Align::Left, 2),
            Cell::new(who, 7, Align::Left, 2).painted(role),
        ];
        let t = self.theme;
        let head = flow(&cells, None, INDENT, &t).concat();
        let column = NUM_W + 2 + self.time_width() + 2 + 7 + 1;
        let room = self.width.map(|w| w.saturating_sub(column));
        match room {
            Some(room) if room < WIDE_EVENT_MIN => {
                writeln!(out, "{}", head.trim_end())?;
                for line in indented(text, INDENT, self.width, &t, Role::App) {
                    writeln!(out, "{line}")?;
                }
            }
            Some(room) => {
                let mut pieces = wrap(text, room).into_iter();
                let first = pieces.next().unwrap_or_default();
                let mut line = head;
                line.push_str(&" ".repeat(column.saturating_sub(display_width(&line))));
                writeln!(out, "{line}{}", t.paint(Role::App, &first))?;
                for piece in pieces {
                    writeln!(out, "{}{}", " ".repeat(column), t.paint(Role::App, &piece))?;
                }
            }
            None => {
                let mut line = head;
                line.push_str(&" ".repeat(column.saturating_sub(display_width(&line))));
                writeln!(out, "{line}{}", t.paint(Role::App, text))?;
            }
        }
        Ok(())
    }
}

/// Decoding notes can quote bytes of the packet: escape them for the terminal.
fn stop_text(words: &dyn Words, stop: &DecodeStop) -> String {
    crate::text::escape_str(&words.decode_stop(stop)).into_owned()
}

/// "SYN,ACK" style flags, in Wireshark's Info-column order.
pub fn flags_short(bits: u16) -> String {
    let names = crate::decode::tcp::flag_names(bits);
    if names.is_empty() {
        "none".into()
    } else {
        names.join(",")
    }
}

fn flag_role(bits: u16, phase: Phase) -> Role {
    if bits & flags::RST != 0 {
        Role::Alert
    } else if bits & flags::SYN != 0 || phase == Phase::Handshake {
        Role::Handshake
    } else if bits & flags::FIN != 0 || phase == Phase::Close {
        Role::Close
    } else {
        Role::Data
    }
}

/// The sides whose state this packet changed (the first packet of a conversation shows
/// unknown states too), client first.
fn changed_states(obs: &Observation) -> Vec<(Side, TcpState)> {
    let mut changes: Vec<(Side, TcpState)> = obs.changes.iter().map(|c| (c.side, c.to)).collect();
    if obs.intro.is_some()
        && let Some((c, s)) = obs.states
    {
        for (side, state) in [(Side::Client, c), (Side::Server, s)] {
            if state == Some(TcpState::Unknown) && !changes.iter().any(|(s, _)| *s == side) {
                changes.push((side, TcpState::Unknown));
            }
        }
        changes.sort_by_key(|(side, _)| *side == Side::Server);
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_in_wireshark_order() {
        assert_eq!(flags_short(flags::SYN | flags::ACK), "SYN,ACK");
        assert_eq!(
            flags_short(flags::FIN | flags::PSH | flags::ACK),
            "FIN,PSH,ACK"
        );
        assert_eq!(flags_short(0), "none");
    }
}
