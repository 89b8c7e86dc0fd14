//! The ladder for a terminal: two vertical lanes, one horizontal arrow per packet with its
//! label on it and its explanation under it, states beside the lanes, socket calls on the
//! outer sides, frame number and time in a narrow column on the left.
//!
//! Several conversations are printed one after another, each with its own lanes: a reader
//! follows one conversation from its handshake to its close, and the frame numbers still tell
//! how the conversations interleave in the capture.

use std::io::{self, Write};

mod grid;

use grid::{Ctx, Geometry, Line};

use super::layout::{self, Event};
use super::markup::category_role;
use super::model::{Arrow, Call, CallEnd, Dir, Ladder, LineStyle, MarkKind, NoteKind, Side};
use super::wrap::{clean, pad, width, wrap};
use crate::render::theme::{Role, Theme};

/// How to print the ladder.
#[derive(Debug, Clone, Copy)]
pub struct TextOptions {
    /// Display columns available; no line is wider.
    pub width: usize,
    /// Colours (plain: no escapes at all).
    pub theme: Theme,
}

/// Writes every ladder, one after another, separated by a blank line.
pub fn write(out: &mut dyn Write, ladders: &[Ladder], opts: &TextOptions) -> io::Result<()> {
    for (i, ladder) in ladders.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        out.write_all(render(ladder, opts).as_bytes())?;
    }
    Ok(())
}

/// One ladder as text, every line ending in a newline.
pub fn render(ladder: &Ladder, opts: &TextOptions) -> String {
    let events = layout::events(ladder);
    let events = layout::with_gaps(events.clone(), layout::gap_threshold(&events));
    let geo = Geometry::new(ladder, &events, opts.width);
    let mut lines: Vec<Line> = Vec::new();
    header(ladder, &geo, opts.width, &mut lines);
    let open = layout::open_calls(&events);
    for (i, event) in events.iter().enumerate() {
        let ctx = Ctx {
            geo: &geo,
            open: open[i],
        };
        match event {
            Event::Arrow(a) => arrow(a, &ctx, &mut lines),
            Event::Call { call, spans } => call_lines(call, *spans, &ctx, &mut lines),
            Event::Return { call, t_ns, detail } => {
                let head = if call.side == Side::Client {
                    "┘"
                } else {
                    "└"
                };
                let text = clean(detail);
                side_text(call, *t_ns, head, &text, &ctx, &mut lines);
            }
            Event::Note(n) => {
                let (symbol, role) = match n.kind {
                    NoteKind::Info => ("»", Role::Dim),
                    NoteKind::Alert => ("!", Role::Alert),
                };
                let text = format!("{symbol} {}", clean(&n.text));
                for (k, part) in wrap(&text, geo.area.saturating_sub(2)).iter().enumerate() {
                    let mut line = ctx.start(if k == 0 { Some(n.t_ns) } else { None });
                    ctx.lane(&mut line, Side::Client, false);
                    line.push(&format!(" {}", pad(part, geo.area - 1, true)), Some(role));
                    ctx.lane(&mut line, Side::Server, false);
                    lines.push(line);
                }
            }
            Event::Gap { ns } => {
                let mut line = ctx.start(None);
                ctx.lane(&mut line, Side::Client, true);
                let text = format!("⋯ {} ⋯", layout::format_gap(*ns));
                let left = geo.area.saturating_sub(width(&text)) / 2;
                let body = pad(&format!("{}{text}", " ".repeat(left)), geo.area, true);
                line.push(&body, Some(Role::Dim));
                ctx.lane(&mut line, Side::Server, true);
                lines.push(line);
            }
        }
    }
    legend(ladder, opts.width, &mut lines);
    let mut text = String::new();
    for line in &lines {
        text.push_str(&line.render(&opts.theme, opts.width));
        text.push('\n');
    }
    text
}

fn arrow(a: &Arrow, ctx: &Ctx<'_>, lines: &mut Vec<Line>) {
    let geo = ctx.geo;
    let role = category_role(a.category);
    let glyph = match a.line_style() {
        LineStyle::Solid => "─",
        LineStyle::Dashed => "╌",
        LineStyle::Dotted => "┄",
    };
    let mut kinds: Vec<_> = a.marks.iter().map(|m| m.kind).collect();
    kinds.sort();
    kinds.dedup();
    let symbols: String = kinds.iter().map(|k| k.symbol()).collect();
    let alert = kinds.iter().any(|k| k.is_alert());
    let label = clean(&a.label);
    let marks_width = width(&symbols) + usize::from(!symbols.is_empty());
    let on_line = marks_width + width(&label) + 7 <= geo.area;
    let state = |side: Side| {
        a.states
            .iter()
            .rev()
            .find(|s| s.side == side)
            .map(|s| clean(&s.state))
            .unwrap_or_default()
    };
    let mut first = true;
    let mut frame_time = |ctx: &Ctx<'_>| {
        let line = if first {
            ctx.start_frame(Some(a.frame), Some(a.t_ns))
        } else {
            ctx.start(None)
        };
        first = false;
        line
    };
    if kinds.contains(&MarkKind::LostSegment) {
        // The segment that was not captured: a short dashed stub ending in a cross.
        let stub = format!("{}✗", "╌".repeat((geo.area / 5).max(3)));
        let mut line = ctx.start(None);
        ctx.lane(&mut line, Side::Client, false);
        let body = match a.dir {
            Dir::ToServer => pad(&stub, geo.area, true),
            Dir::ToClient => pad(&stub.chars().rev().collect::<String>(), geo.area, false),
        };
        line.push(&body, Some(Role::Alert));
        ctx.lane(&mut line, Side::Server, false);
        lines.push(line);
    }
    if !on_line {
        for part in wrap(&label, geo.area - 2) {
            let mut line = frame_time(ctx);
            ctx.lane(&mut line, Side::Client, false);
            line.push(&format!(" {}", pad(&part, geo.area - 1, true)), Some(role));
            ctx.lane(&mut line, Side::Server, false);
            lines.push(line);
        }
    }
    let mut line = frame_time(ctx);
    ctx.side(
        &mut line,
        Side::Client,
        &state(Side::Client),
        Role::State,
        None,
    );
    let label_width = if on_line { width(&label) + 1 } else { 0 };
    let text_width = width(&symbols) + usize::from(!symbols.is_empty()) + label_width;
    let sep = usize::from(text_width > 0);
    // Arrowhead, the runs of line on both sides, a space before the text.
    let run = geo.area.saturating_sub(text_width + sep + 1);
    let (left, right) = (run / 2, run - run / 2);
    let (head_left, head_right) = match a.dir {
        Dir::ToClient => ("◀", ""),
        Dir::ToServer => ("", "▶"),
    };
    let gap = if sep == 1 { " " } else { "" };
    line.push(
        &format!("{head_left}{}{gap}", glyph.repeat(left)),
        Some(role),
    );
    if !symbols.is_empty() {
        let mark_role = if alert { Role::Alert } else { Role::Warn };
        line.push(&symbols, Some(mark_role));
        line.push(" ", None);
    }
    if on_line {
        line.push(&label, Some(role));
        line.push(" ", None);
    }
    line.push(&format!("{}{head_right}", glyph.repeat(right)), Some(role));
    ctx.side(
        &mut line,
        Side::Server,
        &state(Side::Server),
        Role::State,
        None,
    );
    lines.push(line);
    for part in wrap(&clean(&a.phrase), geo.area - 2) {
        if part.is_empty() {
            continue;
        }
        let mut line = ctx.start(None);
        ctx.lane(&mut line, Side::Client, false);
        line.push(&format!(" {}", pad(&part, geo.area - 1, true)), None);
        ctx.lane(&mut line, Side::Server, false);
        lines.push(line);
    }
}

fn call_lines(call: &Call, spans: bool, ctx: &Ctx<'_>, lines: &mut Vec<Line>) {
    let head = match (spans, call.side) {
        (true, Side::Client) => "┐",
        (true, Side::Server) => "┌",
        (false, _) => "─",
    };
    let detail = clean(&call.detail);
    let text = match (&call.end, spans) {
        (CallEnd::Returned { detail: r, .. }, false) if detail.is_empty() => clean(r),
        (CallEnd::Returned { detail: r, .. }, false) => format!("{detail} → {}", clean(r)),
        _ => detail,
    };
    side_text(call, call.t_ns, head, &text, ctx, lines);
}

/// A call or return: its name beside its lane, its words between the lanes on its side.
fn side_text(call: &Call, t_ns: i64, head: &str, text: &str, ctx: &Ctx<'_>, lines: &mut Vec<Line>) {
    let geo = ctx.geo;
    let name = clean(&call.name);
    for (k, part) in wrap(text, geo.area - 2).iter().enumerate() {
        let mut line = ctx.start(if k == 0 { Some(t_ns) } else { None });
        let (cname, sname) = match call.side {
            Side::Client if k == 0 => (name.as_str(), ""),
            Side::Server if k == 0 => ("", name.as_str()),
            _ => ("", ""),
        };
        let bracket = |side: Side| (k == 0 && call.side == side).then_some(head);
        ctx.side(
            &mut line,
            Side::Client,
            cname,
            Role::App,
            bracket(Side::Client),
        );
        let body = match call.side {
            Side::Client => format!(" {}", pad(part, geo.area - 1, true)),
            Side::Server => format!("{} ", pad(part, geo.area - 1, false)),
        };
        line.push(&body, Some(Role::App));
        ctx.side(
            &mut line,
            Side::Server,
            sname,
            Role::App,
            bracket(Side::Server),
        );
        lines.push(line);
    }
}

fn header(ladder: &Ladder, geo: &Geometry, total: usize, lines: &mut Vec<Line>) {
    for part in wrap(&clean(&ladder.title), total) {
        let mut line = Line::default();
        line.push(&part, Some(Role::Heading));
        lines.push(line);
    }
    let ctx = Ctx {
        geo,
        open: [false; 2],
    };
    let left_lane = geo.time_col() + geo.side_block();
    let right_lane = left_lane + 1 + geo.area;
    let half = (total / 2).saturating_sub(1).max(4);
    let pairs = [
        (
            &ladder.client.role,
            &ladder.server.role,
            [Role::Client, Role::Server],
        ),
        (
            &ladder.client.endpoint,
            &ladder.server.endpoint,
            [Role::Dim, Role::Dim],
        ),
    ];
    for (c, s, roles) in pairs {
        let cl = wrap(&clean(c), half);
        let sl = wrap(&clean(s), half);
        for k in 0..cl.len().max(sl.len()) {
            let cpart = cl.get(k).map(String::as_str).unwrap_or("");
            let spart = sl.get(k).map(String::as_str).unwrap_or("");
            // Each label centred on its lane, pushed inwards at the edges.
            let cstart = left_lane.saturating_sub(width(cpart) / 2);
            let cend = cstart + width(cpart);
            let sstart = right_lane
                .saturating_sub(width(spart) / 2)
                .min(total.saturating_sub(width(spart)))
                .max(cend + 1);
            let mut line = Line::default();
            line.push(&" ".repeat(cstart), None);
            line.push(cpart, Some(roles[0]));
            line.push(&" ".repeat(sstart - cend), None);
            line.push(spart, Some(roles[1]));
            lines.push(line);
        }
    }
    let initial = |lane: &super::model::Lane| lane.initial_state.as_deref().map(clean);
    let (c, s) = (initial(&ladder.client), initial(&ladder.server));
    let mut line = ctx.start(None);
    let c = c.unwrap_or_default();
    let s = s.unwrap_or_default();
    ctx.side(&mut line, Side::Client, &c, Role::State, None);
    line.push(&" ".repeat(geo.area), None);
    ctx.side(&mut line, Side::Server, &s, Role::State, None);
    lines.push(line);
}

fn legend(ladder: &Ladder, total: usize, lines: &mut Vec<Line>) {
    let entries = ladder.legend();
    if entries.is_empty() {
        return;
    }
    lines.push(Line::default());
    let mut line = Line::default();
    for (kind, text) in entries {
        let text = clean(text);
        let item_width = width(kind.symbol()) + 1 + width(&text);
        if line.width > 0 && line.width + 3 + item_width > total {
            lines.push(std::mem::take(&mut line));
        }
        if line.width > 0 {
            line.push("   ", None);
        }
        let role = if kind.is_alert() {
            Role::Alert
        } else {
            Role::Warn
        };
        line.push(kind.symbol(), Some(role));
        line.push(" ", None);
        line.push(&text, None);
    }
    lines.push(line);
}
