//! The line of a socket call of the demo peers, between the packets it relates to.

use std::io::{self, Write};

use super::cells::{Align, Cell, flow, indented};
use super::{INDENT, NUM_W, TimelineWriter, WIDE_EVENT_MIN};
use crate::flow::Side;
use crate::render::theme::Role;
use crate::text::{display_width, wrap};
use crate::time::{Timestamp, format_secs};

impl TimelineWriter {
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
