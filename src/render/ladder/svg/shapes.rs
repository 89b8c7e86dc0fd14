//! The pieces of the SVG ladder: arrows, states, calls, notes.

use std::fmt::Write as _;

use super::super::geometry::{
    Columns, LABEL_LINE, LABEL_SIZE, PHRASE_LINE, PHRASE_SIZE, Placed, SLANT, SMALL_LINE,
    SMALL_SIZE, text_px,
};
use super::super::layout::{self, Event, side_index};
use super::super::markup::{category_role, color, escape};
use super::super::model::{Arrow, Call, Category, Dir, LineStyle, MarkKind, NoteKind, Side};
use crate::render::theme::Role;

pub(super) fn text(s: &mut String, x: f64, y: f64, attrs: &str, body: &str) {
    let _ = writeln!(s, r#"<text x="{x:.1}" y="{y:.1}" {attrs}>{body}</text>"#);
}

fn category_name(category: Category) -> &'static str {
    match category {
        Category::Handshake => "handshake",
        Category::Data => "data",
        Category::Ack => "ack",
        Category::Close => "close",
        Category::Reset => "reset",
        Category::Datagram => "datagram",
        Category::Other => "other",
    }
}

pub(super) fn dash(style: LineStyle) -> &'static str {
    match style {
        LineStyle::Solid => "",
        LineStyle::Dashed => r#" stroke-dasharray="9 5""#,
        LineStyle::Dotted => r#" stroke-dasharray="2 4""#,
    }
}

pub(super) fn arrow(s: &mut String, a: &Arrow, p: &Placed<'_>, c: &Columns, ladder_id: &str) {
    let (xs, xe) = match a.dir {
        Dir::ToServer => (c.left, c.right),
        Dir::ToClient => (c.right, c.left),
    };
    let (y, ye) = (p.y, p.y + SLANT);
    let role = category_role(a.category);
    let stroke = color(role);
    let dir = if a.dir == Dir::ToServer { "c2s" } else { "s2c" };
    let _ = writeln!(
        s,
        r#"<g class="arrow" data-frame="{}" data-ladder="{ladder_id}" data-dir="{dir}" data-cat="{}" tabindex="0">"#,
        a.frame,
        category_name(a.category)
    );
    let tip = format!(
        "#{} {} {} — {}",
        a.frame,
        layout::format_time(a.t_ns),
        a.label,
        a.phrase
    );
    let _ = writeln!(s, "<title>{}</title>", escape(&tip));
    // A wide transparent line makes the arrow easy to point at.
    let _ = writeln!(
        s,
        r#"<line class="hit" x1="{xs:.1}" y1="{y:.1}" x2="{xe:.1}" y2="{ye:.1}" stroke="transparent" stroke-width="14"/>"#
    );
    let width = if a.category == Category::Reset {
        2.4
    } else {
        1.6
    };
    let (ux, uy) = {
        let (dx, dy) = (xe - xs, ye - y);
        let len = (dx * dx + dy * dy).sqrt();
        (dx / len, dy / len)
    };
    let (bx, by) = (xe - ux * 11.0, ye - uy * 11.0);
    let _ = writeln!(
        s,
        r#"<line x1="{xs:.1}" y1="{y:.1}" x2="{bx:.1}" y2="{by:.1}" stroke="{stroke}" stroke-width="{width}"{}/>"#,
        dash(a.line_style())
    );
    let (nx, ny) = (-uy * 4.5, ux * 4.5);
    let _ = writeln!(
        s,
        r#"<polygon points="{xe:.1},{ye:.1} {:.1},{:.1} {:.1},{:.1}" fill="{stroke}"/>"#,
        bx + nx,
        by + ny,
        bx - nx,
        by - ny
    );
    // Label above the line and explanation below it, both along the arrow.
    let angle = (SLANT / (xe - xs)).atan().to_degrees();
    let (mx, my) = ((xs + xe) / 2.0, (y + ye) / 2.0);
    let _ = writeln!(
        s,
        r##"<g transform="translate({mx:.1},{my:.1}) rotate({angle:.2})" text-anchor="middle" paint-order="stroke" stroke="#ffffff" stroke-width="3" stroke-linejoin="round">"##
    );
    let mut kinds: Vec<MarkKind> = a.marks.iter().map(|m| m.kind).collect();
    kinds.sort();
    kinds.dedup();
    let n = p.lines.len();
    for (k, line) in p.lines.iter().enumerate() {
        let ly = -6.0 - LABEL_LINE * (n - 1 - k) as f64;
        let mut body = String::new();
        if k == 0 && !kinds.is_empty() {
            let alert = kinds.iter().any(|k| k.is_alert());
            let symbols: String = kinds.iter().map(|k| k.symbol()).collect();
            let mark_role = if alert { Role::Alert } else { Role::Warn };
            let _ = write!(
                body,
                r#"<tspan fill="{}" font-weight="bold">{}</tspan> "#,
                color(mark_role),
                escape(&symbols)
            );
        }
        body.push_str(&escape(line));
        let attrs = format!(r#"font-family="monospace" font-size="{LABEL_SIZE}" fill="{stroke}""#);
        text(s, 0.0, ly, &attrs, &body);
    }
    for (k, line) in p.phrase.iter().enumerate() {
        let attrs = format!(
            r#"font-size="{PHRASE_SIZE}" fill="{}""#,
            color(Role::Heading)
        );
        text(s, 0.0, 15.0 + PHRASE_LINE * k as f64, &attrs, &escape(line));
    }
    s.push_str("</g>\n");
    if a.marks.iter().any(|m| m.kind == MarkKind::LostSegment) {
        lost_stub(s, xs, xe, y);
    }
    time_col(s, Some(a.frame), a.t_ns, y, c);
    for change in &a.states {
        let at = if change.side == a.dir.sender() { y } else { ye };
        state_box(s, &change.state, change.side, at, c);
    }
    s.push_str("</g>\n");
}

/// The segment that was not captured: a short grey dashed arrow just above, ending in a cross.
fn lost_stub(s: &mut String, xs: f64, xe: f64, y: f64) {
    let (y0, run) = (y - 13.0, (xe - xs) * 0.2);
    let (x1, y1) = (xs + run, y0 + SLANT * 0.2);
    let _ = writeln!(
        s,
        r#"<line class="lost" x1="{xs:.1}" y1="{y0:.1}" x2="{x1:.1}" y2="{y1:.1}" stroke="{}" stroke-width="1.4" stroke-dasharray="4 3"/>"#,
        color(Role::Dim)
    );
    let attrs = format!(
        r#"text-anchor="middle" font-size="13" font-weight="bold" fill="{}""#,
        color(Role::Alert)
    );
    text(s, x1, y1 + 4.5, &attrs, "✗");
}

fn time_col(s: &mut String, frame: Option<u64>, t_ns: i64, y: f64, c: &Columns) {
    if let Some(frame) = frame {
        let attrs = format!(
            r#"text-anchor="end" font-family="monospace" font-size="11" font-weight="bold" fill="{}""#,
            color(Role::Heading)
        );
        text(s, c.frame_x, y + 4.0, &attrs, &frame.to_string());
    }
    let attrs = format!(
        r#"font-family="monospace" font-size="{SMALL_SIZE}" fill="{}""#,
        color(Role::Dim)
    );
    text(s, c.time_x, y + 4.0, &attrs, &layout::format_time(t_ns));
}

pub(super) fn state_box(s: &mut String, state: &str, side: Side, y: f64, c: &Columns) {
    let w = text_px(state, SMALL_SIZE, true) + 8.0;
    let x = match side {
        Side::Client => c.left - 5.0 - w,
        Side::Server => c.right + 5.0,
    };
    let _ = writeln!(
        s,
        r##"<rect class="state" x="{x:.1}" y="{:.1}" width="{w:.1}" height="16" rx="3" fill="#f4f4f4" stroke="{}" stroke-width="1"/>"##,
        y - 8.0,
        color(Role::State)
    );
    let attrs = format!(
        r#"text-anchor="middle" font-family="monospace" font-size="{SMALL_SIZE}" font-weight="bold" fill="{}""#,
        color(Role::State)
    );
    text(s, x + w / 2.0, y + 4.0, &attrs, &escape(state));
}

/// A call's name and words (or a return's words) on its side; `span_to` draws the bracket of
/// a blocking call down to its return.
pub(super) fn call_text(
    s: &mut String,
    call: &Call,
    p: &Placed<'_>,
    c: &Columns,
    span_to: Option<f64>,
) {
    let side = side_index(call.side);
    let bx = c.bracket_x(side);
    let (tx, anchor, tick) = if side == 0 {
        (bx - 7.0, "end", -5.0)
    } else {
        (bx + 7.0, "start", 5.0)
    };
    let app = color(Role::App);
    let is_return = matches!(p.event, Event::Return { .. });
    if !is_return {
        time_col(s, None, call.t_ns, p.y, c);
    } else if let Event::Return { t_ns, .. } = p.event {
        time_col(s, None, t_ns, p.y, c);
    }
    let _ = writeln!(s, r#"<g class="call" data-side="{side}">"#);
    for (k, line) in p.lines.iter().enumerate() {
        let (size, weight) = if k == 0 && !is_return {
            (12.0, r#" font-weight="bold" font-family="monospace""#)
        } else {
            (SMALL_SIZE, r#" font-style="italic""#)
        };
        let y = p.y + 4.0 + SMALL_LINE * k as f64 + if k > 0 && !is_return { 1.5 } else { 0.0 };
        let attrs = format!(r#"text-anchor="{anchor}" font-size="{size}"{weight} fill="{app}""#);
        text(s, tx, y, &attrs, &escape(line));
    }
    // The bracket: a tick at the call, a line while it blocks, a tick at the return.
    let _ = writeln!(
        s,
        r#"<line x1="{:.1}" y1="{y:.1}" x2="{bx:.1}" y2="{y:.1}" stroke="{app}" stroke-width="2.5"/>"#,
        bx + tick,
        y = p.y
    );
    if let Some(end) = span_to {
        let _ = writeln!(
            s,
            r#"<line x1="{bx:.1}" y1="{:.1}" x2="{bx:.1}" y2="{end:.1}" stroke="{app}" stroke-width="2.5" stroke-dasharray="1 0"/>"#,
            p.y
        );
    }
    s.push_str("</g>\n");
}

pub(super) fn note(s: &mut String, kind: NoteKind, p: &Placed<'_>, c: &Columns) {
    let (role, fill) = match kind {
        NoteKind::Alert => (Role::Alert, "#fdecea"),
        NoteKind::Info => (Role::Dim, "#f4f4f4"),
    };
    let widest = p.lines.iter().map(|l| text_px(l, PHRASE_SIZE, false));
    let w = widest.fold(0.0, f64::max) + 16.0;
    let mid = (c.left + c.right) / 2.0;
    let h = PHRASE_LINE * p.lines.len() as f64 + 8.0;
    let _ = writeln!(
        s,
        r#"<g class="note"><rect x="{:.1}" y="{:.1}" width="{w:.1}" height="{h:.1}" rx="4" fill="{fill}" stroke="{}"/>"#,
        mid - w / 2.0,
        p.y - PHRASE_SIZE - 2.0,
        color(role)
    );
    for (k, line) in p.lines.iter().enumerate() {
        let attrs = format!(
            r#"text-anchor="middle" font-size="{PHRASE_SIZE}" fill="{}""#,
            color(role)
        );
        text(s, mid, p.y + PHRASE_LINE * k as f64, &attrs, &escape(line));
    }
    s.push_str("</g>\n");
    time_col(s, None, p.event.t_ns(), p.y, c);
}
