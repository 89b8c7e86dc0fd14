//! The hex dump under a byte map: each byte coloured by its layer, `|` before a layer's first
//! byte, printable ASCII, the layers on each line, and a legend. Sixteen bytes a line, or
//! eight when sixteen do not fit the width.

use std::io::{self, Write};

use super::{View, layer_name, layer_role, tag};
use crate::bytemap::FrameMap;
use crate::render::theme::{Role, Theme};
use crate::render::words::bytes::Label;
use crate::text::{display_width, fit};

/// Writes `text` in `role`, emitting escapes only when the role changes.
struct Painter<'t> {
    theme: &'t Theme,
    current: Option<Role>,
}

impl Painter<'_> {
    fn put(&mut self, out: &mut dyn Write, role: Option<Role>, text: &str) -> io::Result<()> {
        if self.theme.is_colored() && role != self.current {
            if let Some(old) = self.current {
                write!(out, "{}", self.theme.style(old).render_reset())?;
            }
            if let Some(new) = role {
                write!(out, "{}", self.theme.style(new).render())?;
            }
            self.current = role;
        }
        write!(out, "{text}")
    }

    fn reset(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.put(out, None, "")
    }
}

/// The layers each byte belongs to, and where layers start.
struct Owners {
    owner: Vec<Option<usize>>,
    starts: Vec<bool>,
    tags: Vec<String>,
}

impl Owners {
    fn of(map: &FrameMap) -> Owners {
        let len = map.data.len();
        let mut owner = vec![None; len];
        let mut starts = vec![false; len];
        for (i, l) in map.layers.iter().enumerate() {
            let end = (l.offset + l.len).min(len);
            for slot in owner.iter_mut().take(end).skip(l.offset) {
                *slot = Some(i);
            }
            if let Some(s) = starts.get_mut(l.offset) {
                *s = true;
            }
        }
        let tags = map.layers.iter().map(tag).collect();
        Owners {
            owner,
            starts,
            tags,
        }
    }

    /// The layers of bytes `range`, in order: `eth|ip`.
    fn line_tags(&self, range: std::ops::Range<usize>) -> String {
        let mut tags: Vec<&str> = Vec::new();
        for i in range {
            let tag = self.owner[i].map_or("?", |l| self.tags[l].as_str());
            if tags.last() != Some(&tag) {
                tags.push(tag);
            }
        }
        tags.join("|")
    }
}

pub(super) fn write_hex_dump(
    out: &mut dyn Write,
    map: &FrameMap,
    view: &View<'_>,
) -> io::Result<()> {
    let (words, theme) = (view.words, view.theme);
    view.lines(out, Some(Role::Heading), "", words.label(Label::HexDump), 2)?;
    let data = &map.data;
    let owners = Owners::of(map);
    let role_of = |i: usize| owners.owner[i].map(|l| layer_role(&map.layers[l]));
    let offset_width = format!("{:x}", data.len().saturating_sub(1)).len().max(4);
    // Offset, bytes, the gap in the middle, ASCII, the tag column.
    let line_width =
        |per: usize, tags: usize| 2 + offset_width + 1 + per * 3 + per / 16 + 2 + per + 2 + tags;
    let per_line = match view.width {
        Some(width)
            if data.chunks(16).enumerate().any(|(n, c)| {
                line_width(16, owners.line_tags(n * 16..n * 16 + c.len()).len()) > width
            }) =>
        {
            8
        }
        _ => 16,
    };
    let mut painter = Painter {
        theme,
        current: None,
    };
    for (line, chunk) in data.chunks(per_line).enumerate() {
        let base = line * per_line;
        write!(out, "  {:0ow$x} ", base, ow = offset_width)?;
        for col in 0..per_line {
            if col == 8 && per_line == 16 {
                write!(out, " ")?;
            }
            let i = base + col;
            if col >= chunk.len() {
                painter.reset(out)?;
                write!(out, "   ")?;
                continue;
            }
            let sep = if owners.starts[i] { "|" } else { " " };
            painter.reset(out)?;
            write!(out, "{sep}")?;
            painter.put(out, role_of(i), &format!("{:02x}", data[i]))?;
        }
        painter.reset(out)?;
        write!(out, "  ")?;
        for (col, &b) in chunk.iter().enumerate() {
            let c = if (0x20..0x7f).contains(&b) {
                b as char
            } else {
                '.'
            };
            painter.put(out, role_of(base + col), &c.to_string())?;
        }
        painter.reset(out)?;
        let mut tags = owners.line_tags(base..base + chunk.len());
        if let Some(width) = view.width {
            let room = width.saturating_sub(line_width(per_line, 0));
            if tags.len() > room {
                tags = format!("{}…", fit(&tags, room.saturating_sub(1)));
            }
        }
        let pad = per_line - chunk.len();
        writeln!(out, "{}  {}", " ".repeat(pad), tags)?;
    }
    write_legend(out, map, view)
}

fn write_legend(out: &mut dyn Write, map: &FrameMap, view: &View<'_>) -> io::Result<()> {
    let (words, theme) = (view.words, view.theme);
    let mut parts = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for l in &map.layers {
        let tag = tag(l);
        if seen.contains(&tag) {
            continue;
        }
        let text = words.legend_entry(&tag, &layer_name(l, words), l.model);
        seen.push(tag);
        parts.push((text, layer_role(l)));
    }
    let first = format!("  {}", words.label(Label::Legend));
    let indent = 4;
    let width = view.width.unwrap_or(usize::MAX);
    let mut line = first.clone();
    let mut used = display_width(&first);
    let mut empty = true;
    for (text, role) in parts {
        let sep = if empty { "" } else { " · " };
        let w = display_width(text.as_str());
        if !empty && used + sep.len() + w > width {
            writeln!(out, "{}", line.trim_end())?;
            line = " ".repeat(indent);
            used = indent;
            empty = true;
        }
        let sep = if empty { "" } else { " · " };
        if used + w > width {
            // A single entry wider than the line: wrap it on its own.
            for piece in view.fill("", &text, 0, used) {
                writeln!(out, "{line}{}", theme.paint(role, &piece))?;
                line = " ".repeat(indent);
            }
            used = indent;
            empty = true;
            continue;
        }
        line.push_str(sep);
        line.push_str(&theme.paint(role, &text));
        used += display_width(sep) + w;
        empty = false;
    }
    if !empty || line.trim() == first.trim() {
        writeln!(out, "{line}")?;
    }
    Ok(())
}
