//! The ladder as a standalone SVG picture: lanes, slanted arrows with their labels along them,
//! states in boxes beside the lanes, socket calls with brackets on the outer sides, breaks for
//! long pauses and a legend of the marks. No external reference, generic fonts only; findings
//! are told apart by dashes and symbols as well as colour, so a grey print stays readable.
//! Every arrow is one `<g class="arrow" data-frame="N">`.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{self, Write};

pub use super::geometry::Spacing;
mod shapes;

use super::geometry::{self as geo, Plan, SMALL_SIZE, text_px};
use super::layout::{self, Event};
use super::markup::{color, escape, ident};
use super::model::{Call, Ladder, Side};
use crate::render::theme::Role;
use shapes::{arrow, call_text, dash, note, state_box, text};

/// How to draw.
#[derive(Debug, Clone, Copy, Default)]
pub struct SvgOptions {
    /// Time to scale or evenly spaced.
    pub spacing: Spacing,
}

/// Writes a standalone SVG document with the ladders one below the other.
pub fn write(out: &mut dyn Write, ladders: &[Ladder], opts: &SvgOptions) -> io::Result<()> {
    let mut body = String::new();
    let mut y = 0.0f64;
    let mut width = 0.0f64;
    for ladder in ladders {
        let (svg, w, h) = element(ladder, opts, Some(y));
        body.push_str(&svg);
        y += h;
        width = width.max(w);
    }
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0}" height="{h:.0}" viewBox="0 0 {w:.0} {h:.0}" font-family="sans-serif">"#,
        w = width.max(1.0),
        h = y.max(1.0)
    )?;
    out.write_all(body.as_bytes())?;
    writeln!(out, "</svg>")
}

/// One ladder as an `<svg>` element, with its width and height. `at` places it inside an
/// enclosing SVG; `None` makes a root element for an HTML page (no namespace attribute: HTML
/// puts `<svg>` in the SVG namespace by itself).
pub fn element(ladder: &Ladder, opts: &SvgOptions, at: Option<f64>) -> (String, f64, f64) {
    let plan = geo::plan(ladder, opts.spacing);
    let mut s = String::new();
    let legend_top = plan.height + 8.0;
    let legend_h = legend(&mut String::new(), ladder, plan.cols.width, legend_top);
    let (w, h) = (plan.cols.width, legend_top + legend_h + geo::MARGIN);
    let id = ident(&ladder.id);
    let place = match at {
        Some(y) => format!(r#" x="0" y="{y:.1}""#),
        None => String::new(),
    };
    let _ = writeln!(
        s,
        r#"<svg class="ladder" data-ladder="{id}"{place} width="{w:.0}" height="{h:.0}" viewBox="0 0 {w:.0} {h:.0}" font-family="sans-serif">"#
    );
    let _ = writeln!(s, r##"<rect width="100%" height="100%" fill="#ffffff"/>"##);
    header(&mut s, ladder, &plan);
    lanes(&mut s, &plan);
    let returns = return_ys(&plan);
    for p in &plan.placed {
        match p.event {
            Event::Arrow(a) => arrow(&mut s, a, p, &plan.cols, &id),
            Event::Call { call, spans } => {
                let end = returns.get(&(call as *const Call)).copied();
                let end = end.or(spans.then_some(plan.lanes_bottom));
                call_text(&mut s, call, p, &plan.cols, end);
            }
            Event::Return { call, .. } => call_text(&mut s, call, p, &plan.cols, None),
            Event::Note(n) => note(&mut s, n.kind, p, &plan.cols),
            Event::Gap { .. } => {}
        }
    }
    legend(&mut s, ladder, w, legend_top);
    s.push_str("</svg>\n");
    (s, w, h)
}

/// The y of each spanning call's return.
fn return_ys(plan: &Plan<'_>) -> HashMap<*const Call, f64> {
    plan.placed
        .iter()
        .filter_map(|p| match p.event {
            Event::Return { call, .. } => Some((call as *const Call, p.y)),
            _ => None,
        })
        .collect()
}

fn header(s: &mut String, ladder: &Ladder, plan: &Plan<'_>) {
    let (lines, y0) = &plan.title;
    for (k, line) in lines.iter().enumerate() {
        let attrs = format!(
            r#"font-size="15" font-weight="bold" fill="{}""#,
            color(Role::Heading)
        );
        text(s, geo::MARGIN, y0 + 19.0 * k as f64, &attrs, &escape(line));
    }
    let c = &plan.cols;
    for (lane, x, role) in [
        (&ladder.client, c.left, Role::Client),
        (&ladder.server, c.right, Role::Server),
    ] {
        let attrs = format!(
            r#"text-anchor="middle" font-size="16" font-weight="bold" fill="{}""#,
            color(role)
        );
        text(s, x, plan.roles_y, &attrs, &escape(&lane.role));
        let attrs = format!(
            r#"text-anchor="middle" font-family="monospace" font-size="12" fill="{}""#,
            color(Role::Dim)
        );
        text(s, x, plan.roles_y + 16.0, &attrs, &escape(&lane.endpoint));
        if let Some(state) = &lane.initial_state {
            let side = if role == Role::Client {
                Side::Client
            } else {
                Side::Server
            };
            state_box(s, state, side, plan.lanes_top + 12.0, c);
        }
    }
}

fn lanes(s: &mut String, plan: &Plan<'_>) {
    let c = &plan.cols;
    for (x, role) in [(c.left, Role::Client), (c.right, Role::Server)] {
        let mut top = plan.lanes_top;
        let stroke = color(role);
        for b in &plan.breaks {
            let _ = writeln!(
                s,
                r#"<line x1="{x:.1}" y1="{top:.1}" x2="{x:.1}" y2="{:.1}" stroke="{stroke}" stroke-width="3"/>"#,
                b.y - 9.0
            );
            // Two short slashes: the lane is cut here.
            for dy in [-9.0, 5.0] {
                let y = b.y + dy;
                let _ = writeln!(
                    s,
                    r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{stroke}" stroke-width="2"/>"#,
                    x - 8.0,
                    y + 4.0,
                    x + 8.0,
                    y - 0.0
                );
            }
            top = b.y + 5.0;
        }
        let _ = writeln!(
            s,
            r#"<line x1="{x:.1}" y1="{top:.1}" x2="{x:.1}" y2="{:.1}" stroke="{stroke}" stroke-width="3"/>"#,
            plan.lanes_bottom
        );
    }
    for b in &plan.breaks {
        let attrs = format!(
            r#"text-anchor="middle" font-size="{SMALL_SIZE}" font-style="italic" fill="{}""#,
            color(Role::Dim)
        );
        let label = format!("⋯ {} ⋯", layout::format_gap(b.ns));
        text(
            s,
            (c.left + c.right) / 2.0,
            b.y + 3.0,
            &attrs,
            &escape(&label),
        );
    }
}

/// Draws the legend of the marks used (when `s` is a scratch string: only measures it) and
/// returns its height.
fn legend(s: &mut String, ladder: &Ladder, width: f64, top: f64) -> f64 {
    let entries = ladder.legend();
    if entries.is_empty() {
        return 0.0;
    }
    let (mut x, mut y) = (geo::MARGIN, top + 14.0);
    s.push_str("<g class=\"legend\">\n");
    for (kind, words) in entries {
        let label = format!("{} {}", kind.symbol(), super::wrap::clean(words));
        let w = 34.0 + text_px(&label, 12.0, false) + 24.0;
        if x > geo::MARGIN && x + w > width - geo::MARGIN {
            x = geo::MARGIN;
            y += 20.0;
        }
        let role = if kind.is_alert() {
            Role::Alert
        } else {
            Role::Warn
        };
        let _ = writeln!(
            s,
            r#"<line x1="{x:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{}" stroke-width="1.6"{}/>"#,
            y - 4.0,
            x + 28.0,
            y - 4.0,
            color(Role::Heading),
            dash(kind.line_style())
        );
        let attrs = format!(r#"font-size="12" fill="{}""#, color(Role::Heading));
        let body = format!(
            r#"<tspan fill="{}" font-weight="bold">{}</tspan> {}"#,
            color(role),
            kind.symbol(),
            escape(words)
        );
        text(s, x + 34.0, y, &attrs, &body);
        x += w;
    }
    s.push_str("</g>\n");
    y - top + 10.0
}
