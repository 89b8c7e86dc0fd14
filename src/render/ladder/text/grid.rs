//! The grid of the terminal ladder: column widths, the pieces of a line, and how a line
//! is painted and cut to the width.

use super::super::layout::{self, Event};
use super::super::model::{Ladder, Side};
use super::super::wrap::{clean, pad, shorten, width};
use crate::render::theme::{Role, Theme};

/// Column widths of one ladder.
pub(super) struct Geometry {
    /// Digits of the largest frame number.
    pub(super) frame: usize,
    /// Columns of the widest time.
    pub(super) time: usize,
    /// Columns for states and call names on each side.
    pub(super) side: usize,
    /// Whether a blocking call is drawn (one column between the side text and the lane).
    pub(super) bracket: bool,
    /// Columns between the lanes.
    pub(super) area: usize,
}

impl Geometry {
    pub(super) fn new(ladder: &Ladder, events: &[Event<'_>], total: usize) -> Geometry {
        let mut frame_max = 0u64;
        let mut time = 0;
        let mut side = 0;
        let mut bracket = false;
        for lane in [&ladder.client, &ladder.server] {
            if let Some(s) = &lane.initial_state {
                side = side.max(width(&clean(s)));
            }
        }
        for event in events {
            match event {
                Event::Arrow(a) => {
                    frame_max = frame_max.max(a.frame);
                    for s in &a.states {
                        side = side.max(width(&clean(&s.state)));
                    }
                }
                Event::Call { call, spans } => {
                    side = side.max(width(&clean(&call.name)));
                    bracket |= *spans;
                }
                _ => {}
            }
            if !matches!(event, Event::Gap { .. }) {
                time = time.max(layout::format_time(event.t_ns()).len());
            }
        }
        let has_calls = events.iter().any(|e| matches!(e, Event::Call { .. }));
        bracket |= has_calls;
        let mut geo = Geometry {
            frame: frame_max.to_string().len(),
            time,
            side: side.min(16),
            bracket,
            area: 0,
        };
        let fixed = geo.time_col() + 2;
        let room = |g: &Geometry| total.saturating_sub(fixed + 2 * g.side_block());
        while room(&geo) < 30 && geo.side > 8 {
            geo.side -= 1;
        }
        geo.area = room(&geo).clamp(12, 72);
        geo
    }

    /// Frame, space, time, space.
    pub(super) fn time_col(&self) -> usize {
        self.frame + 1 + self.time + 1
    }

    /// Side text plus the space and bracket column beside the lane.
    pub(super) fn side_block(&self) -> usize {
        match (self.side, self.bracket) {
            (0, false) => 0,
            (s, false) => s + 1,
            (s, true) => s + 2,
        }
    }
}

/// What each line of one event needs to know.
pub(super) struct Ctx<'a> {
    pub(super) geo: &'a Geometry,
    /// Whether a call is open on each side after this event.
    pub(super) open: [bool; 2],
}

impl Ctx<'_> {
    /// A line with its time column filled (frame and time on an event's first line).
    pub(super) fn start(&self, time: Option<i64>) -> Line {
        self.start_frame(None, time)
    }

    pub(super) fn start_frame(&self, frame: Option<u64>, time: Option<i64>) -> Line {
        let mut line = Line::default();
        let f = frame.map(|f| f.to_string()).unwrap_or_default();
        line.push(&pad(&f, self.geo.frame, false), None);
        line.push(" ", None);
        let t = time.map(layout::format_time).unwrap_or_default();
        line.push(&pad(&t, self.geo.time, false), Some(Role::Dim));
        line.push(" ", None);
        line
    }

    /// The side block (text and bracket) and the lane of `side`; the client's block comes
    /// before its lane, the server's after.
    pub(super) fn side(
        &self,
        line: &mut Line,
        side: Side,
        text: &str,
        role: Role,
        bracket: Option<&str>,
    ) {
        self.side_with(line, side, text, role, bracket, "│");
    }

    pub(super) fn side_with(
        &self,
        line: &mut Line,
        side: Side,
        text: &str,
        role: Role,
        bracket: Option<&str>,
        lane: &str,
    ) {
        let geo = self.geo;
        let open = self.open[layout::side_index(side)];
        let mark = bracket.unwrap_or(if open { "┆" } else { " " });
        let text = shorten(text, geo.side);
        match side {
            Side::Client => {
                if geo.side > 0 {
                    line.push(&pad(&text, geo.side, false), Some(role));
                    line.push(" ", None);
                }
                if geo.bracket {
                    line.push(mark, Some(Role::App));
                }
                line.push(lane, Some(Role::Client));
            }
            Side::Server => {
                line.push(lane, Some(Role::Server));
                if geo.bracket {
                    line.push(mark, Some(Role::App));
                }
                if geo.side > 0 {
                    line.push(" ", None);
                    line.push(&pad(&text, geo.side, true), Some(role));
                }
            }
        }
    }

    /// An empty side block and the lane (dotted during a gap).
    pub(super) fn lane(&self, line: &mut Line, side: Side, dotted: bool) {
        let glyph = if dotted { "┆" } else { "│" };
        self.side_with(line, side, "", Role::Dim, None, glyph);
    }
}

/// A line as pieces of text, each with an optional colour role.
#[derive(Default)]
pub(super) struct Line {
    pub(super) parts: Vec<(String, Option<Role>)>,
    pub(super) width: usize,
}

impl Line {
    pub(super) fn push(&mut self, text: &str, role: Option<Role>) {
        self.width += width(text);
        self.parts.push((text.to_string(), role));
    }

    /// The line painted, cut to `max` columns, without trailing spaces.
    pub(super) fn render(&self, theme: &Theme, max: usize) -> String {
        let mut parts: Vec<(String, Option<Role>)> = Vec::new();
        let mut used = 0;
        for (text, role) in &self.parts {
            let w = width(text);
            if used + w > max {
                parts.push((shorten(text, max - used), *role));
                break;
            }
            used += w;
            parts.push((text.clone(), *role));
        }
        while parts
            .last()
            .is_some_and(|(text, _)| text.trim_end().is_empty())
        {
            parts.pop();
        }
        if let Some((text, _)) = parts.last_mut() {
            let trimmed = text.trim_end().len();
            text.truncate(trimmed);
        }
        let mut out = String::new();
        for (text, role) in parts {
            match role {
                Some(role) if !text.trim().is_empty() => {
                    // Only the text is painted, not the padding around it.
                    let body = text.trim();
                    let lead = text.len() - text.trim_start().len();
                    out.push_str(&text[..lead]);
                    out.push_str(&theme.paint(role, body));
                    out.push_str(&text[lead + body.len()..]);
                }
                _ => out.push_str(&text),
            }
        }
        out
    }
}
