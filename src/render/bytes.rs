//! The byte map as text: title, envelope, one field table per layer, checksum verdicts, and a
//! hex dump where every byte carries its layer's colour (and, without colour, a layer column
//! and `|` marks where a layer starts).

use std::io::{self, Write};

use super::theme::{Role, Theme};
use crate::bytemap::{FrameMap, MapField, MapLayer, ModelLayer, Verdict};
use crate::text::escape_bytes;

/// Bytes shown in the hex column of the field table before eliding.
const HEX_COLUMN_BYTES: usize = 8;

/// Writes the text view of a frame's byte map.
pub fn write_frame_map(out: &mut dyn Write, map: &FrameMap, theme: &Theme) -> io::Result<()> {
    let title = format!(
        "frame {} · {} bytes captured of {} on the wire · {}",
        map.index,
        map.captured(),
        map.wire_len,
        map.linktype
    );
    writeln!(out, "{}", theme.paint(Role::Heading, &title))?;
    writeln!(out, "{}", map.envelope())?;
    writeln!(out, "{}", theme.paint(Role::Dim, &map.model_line()))?;
    if let Some(stop) = &map.stop {
        writeln!(
            out,
            "{}",
            theme.paint(
                Role::Warn,
                &format!("decoding stopped: {}", escape_text(stop))
            )
        )?;
    }
    let widths = Widths::of(map);
    for layer in &map.layers {
        writeln!(out)?;
        write_layer(out, map, layer, &widths, theme)?;
    }
    if !map.checksums.is_empty() {
        writeln!(out)?;
        write_checksums(out, map, theme)?;
    }
    writeln!(out)?;
    write_hex_dump(out, map, theme)
}

/// Text from a decoder error can quote packet bytes: never let it reach the terminal raw.
fn escape_text(text: &str) -> String {
    escape_bytes(text.as_bytes())
        .replace("\\\"", "\"")
        .replace("\\\\", "\\")
}

/// The colour role of a layer's bytes.
pub fn layer_role(layer: &MapLayer) -> Role {
    if layer.tag == "pad" {
        return Role::LayerTrailer;
    }
    match layer.model {
        ModelLayer::Link => Role::LayerLink,
        ModelLayer::Network => Role::LayerNet,
        ModelLayer::Transport => Role::LayerTransport,
        ModelLayer::Application => Role::LayerApp,
    }
}

struct Widths {
    offset: usize,
    name: usize,
    wireshark: usize,
}

impl Widths {
    fn of(map: &FrameMap) -> Widths {
        fn walk(fields: &[MapField], depth: usize, w: &mut Widths) {
            for f in fields {
                w.name = w.name.max(f.name.chars().count() + depth * 2);
                w.wireshark = w.wireshark.max(f.wireshark.map_or(0, str::len));
                w.offset = w.offset.max(f.offset.to_string().len());
                walk(&f.fields, depth + 1, w);
            }
        }
        let mut w = Widths {
            offset: 3,
            name: 5,
            wireshark: 9,
        };
        for l in &map.layers {
            walk(&l.fields, 0, &mut w);
        }
        w.name = w.name.min(40);
        w
    }
}

fn hex_column(data: &[u8], f: &MapField) -> String {
    let end = (f.offset + f.len).min(data.len());
    let bytes = data.get(f.offset.min(end)..end).unwrap_or(&[]);
    let shown: Vec<String> = bytes
        .iter()
        .take(HEX_COLUMN_BYTES)
        .map(|b| format!("{b:02x}"))
        .collect();
    let mut s = shown.join(" ");
    if bytes.len() > HEX_COLUMN_BYTES {
        s.push_str(" …");
    }
    s
}

fn value_text(f: &MapField) -> String {
    let mut v = match &f.bits {
        Some(bits) => format!("{bits} = {}", f.value),
        None => f.value.clone(),
    };
    if let Some(meaning) = &f.meaning {
        if meaning.starts_with(&format!("{} ", f.value)) {
            v = match &f.bits {
                Some(bits) => format!("{bits} = {meaning}"),
                None => meaning.clone(),
            };
        } else {
            v.push_str(" = ");
            v.push_str(meaning);
        }
    }
    v
}

fn write_layer(
    out: &mut dyn Write,
    map: &FrameMap,
    layer: &MapLayer,
    w: &Widths,
    theme: &Theme,
) -> io::Result<()> {
    let osi = layer.osi_label();
    let last = (layer.offset + layer.len).saturating_sub(1);
    let heading = format!(
        "{} · {} layer ({osi}) · bytes {}-{} ({} B)",
        layer.name,
        layer.model.name(),
        layer.offset,
        last,
        layer.len
    );
    writeln!(out, "{}", theme.paint(layer_role(layer), &heading))?;
    if let Some(note) = &layer.note {
        writeln!(out, "  {}", theme.paint(Role::Dim, &escape_text(note)))?;
    }
    let header = format!(
        "  {:>ow$} {:>4}  {:<23}  {:<nw$}  {:<ww$}  value",
        "off",
        "len",
        "hex",
        "field",
        "wireshark",
        ow = w.offset,
        nw = w.name,
        ww = w.wireshark
    );
    writeln!(out, "{}", theme.paint(Role::Dim, &header))?;
    for f in &layer.fields {
        write_field(out, map, f, 0, w, theme)?;
    }
    Ok(())
}

fn write_field(
    out: &mut dyn Write,
    map: &FrameMap,
    f: &MapField,
    depth: usize,
    w: &Widths,
    theme: &Theme,
) -> io::Result<()> {
    let name = format!("{}{}", "  ".repeat(depth), f.name);
    let ws = f.wireshark.unwrap_or("");
    let value = value_text(f);
    let value = if f.is_cut() {
        theme.paint(Role::Warn, &value)
    } else {
        value
    };
    writeln!(
        out,
        "  {:>ow$} {:>4}  {:<23}  {:<nw$}  {}  {}",
        f.offset,
        f.len,
        hex_column(&map.data, f),
        name,
        theme.paint(Role::Dim, &format!("{ws:<ww$}", ww = w.wireshark)),
        value,
        ow = w.offset,
        nw = w.name,
    )?;
    for sub in &f.fields {
        write_field(out, map, sub, depth + 1, w, theme)?;
    }
    Ok(())
}

fn write_checksums(out: &mut dyn Write, map: &FrameMap, theme: &Theme) -> io::Result<()> {
    writeln!(out, "{}", theme.paint(Role::Heading, "checksums"))?;
    for c in &map.checksums {
        let role = match c.verdict {
            Verdict::Good => Role::Handshake,
            Verdict::Bad => Role::Alert,
            Verdict::Offloaded | Verdict::Absent | Verdict::Unverifiable => Role::Warn,
        };
        writeln!(
            out,
            "  {:<12} {:<16} at {:<4} 0x{:04x}  {}  {}",
            c.what,
            c.wireshark,
            c.offset,
            c.stored,
            theme.paint(role, &format!("{:<12}", c.verdict.name())),
            c.explanation
        )?;
    }
    Ok(())
}

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

fn write_hex_dump(out: &mut dyn Write, map: &FrameMap, theme: &Theme) -> io::Result<()> {
    writeln!(
        out,
        "{}",
        theme.paint(
            Role::Heading,
            "hex dump (| marks the first byte of a layer)"
        )
    )?;
    let data = &map.data;
    let mut owner: Vec<Option<usize>> = vec![None; data.len()];
    let mut starts = vec![false; data.len()];
    for (i, l) in map.layers.iter().enumerate() {
        let end = (l.offset + l.len).min(data.len());
        for slot in owner.iter_mut().take(end).skip(l.offset) {
            *slot = Some(i);
        }
        if let Some(s) = starts.get_mut(l.offset) {
            *s = true;
        }
    }
    let role_of = |i: usize| owner[i].map(|l| layer_role(&map.layers[l]));
    let mut painter = Painter {
        theme,
        current: None,
    };
    let offset_width = format!("{:x}", data.len().saturating_sub(1)).len().max(4);
    for (line, chunk) in data.chunks(16).enumerate() {
        let base = line * 16;
        write!(out, "  {:0ow$x} ", base, ow = offset_width)?;
        for col in 0..16 {
            if col == 8 {
                write!(out, " ")?;
            }
            let i = base + col;
            if col >= chunk.len() {
                painter.reset(out)?;
                write!(out, "   ")?;
                continue;
            }
            let sep = if starts[i] { "|" } else { " " };
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
        let mut tags: Vec<&str> = Vec::new();
        for col in 0..chunk.len() {
            let tag = owner[base + col].map_or("?", |l| map.layers[l].tag.as_str());
            if tags.last() != Some(&tag) {
                tags.push(tag);
            }
        }
        let pad = 16 - chunk.len();
        writeln!(out, "{}  {}", " ".repeat(pad), tags.join("|"))?;
    }
    write_legend(out, map, theme)
}

fn write_legend(out: &mut dyn Write, map: &FrameMap, theme: &Theme) -> io::Result<()> {
    let mut parts = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for l in &map.layers {
        if seen.contains(&l.tag.as_str()) {
            continue;
        }
        seen.push(&l.tag);
        let text = format!("{} = {} ({})", l.tag, l.name, l.model.name());
        parts.push(theme.paint(layer_role(l), &text));
    }
    writeln!(out, "  legend: {}", parts.join(" · "))
}
