//! One field table per layer. Without a width (or when everything fits) one line per field:
//! offset, length, hex, name, Wireshark name, value. When that is too wide, two lines per
//! field: where it is and what it is, then its value and meaning, wrapped under the hex column.

use std::io::{self, Write};

use super::{View, layer_name, layer_role, osi_of, value_text};
use crate::bytemap::{FrameMap, MapField, MapLayer};
use crate::render::theme::Role;
use crate::render::words::bytes::Label;
use crate::text::{display_width, push_padded, push_right};

/// Bytes the hex column shows in the one-line layout.
const HEX_BYTES: usize = 8;
/// The narrowest hex column, for narrow terminals.
const HEX_BYTES_NARROW: usize = 4;
/// The widest the field-name column grows.
const NAME_MAX: usize = 40;
/// The narrowest aligned field-name column before names go unaligned.
const NAME_MIN: usize = 12;

/// How the tables of one frame are laid out, the same for every layer.
pub(super) struct Plan {
    offset: usize,
    hex_bytes: usize,
    hex: usize,
    name: usize,
    wireshark: usize,
    stacked: bool,
}

impl Plan {
    /// The layout of `map`'s tables for `view`'s words and width.
    pub(super) fn of(map: &FrameMap, view: &View<'_>) -> Plan {
        let words = view.words;
        let label = |l: Label| display_width(words.label(l));
        let mut plan = Plan {
            offset: label(Label::Offset).max(3),
            hex_bytes: HEX_BYTES,
            hex: label(Label::Hex).max(HEX_BYTES * 3 - 1),
            name: label(Label::Field).max(5),
            wireshark: label(Label::Wireshark).max(9),
            stacked: false,
        };
        let mut widest_value = 0;
        walk(map, &mut |f, depth| {
            plan.name = plan.name.max(display_width(words.field(f.id)) + depth * 2);
            plan.wireshark = plan.wireshark.max(f.wireshark.map_or(0, str::len));
            plan.offset = plan.offset.max(f.offset.to_string().len());
            widest_value = widest_value.max(display_width(&value_text(f, &map.data, words)));
        });
        plan.name = plan.name.min(NAME_MAX);
        let Some(width) = view.width else {
            return plan;
        };
        if plan.value_column() + widest_value.max(label(Label::Value)) <= width {
            return plan;
        }
        // Two lines a field; the hex column keeps room for its ellipsis.
        plan.stacked = true;
        plan.hex = label(Label::Hex).max(HEX_BYTES * 3 + 1);
        if plan.prefix() + plan.name + 2 + plan.wireshark > width {
            plan.hex_bytes = HEX_BYTES_NARROW;
            plan.hex = label(Label::Hex).max(HEX_BYTES_NARROW * 3 + 1);
        }
        let room = width.saturating_sub(plan.prefix() + 2 + plan.wireshark);
        plan.name = plan.name.min(room);
        plan
    }

    /// Columns before the field name.
    fn prefix(&self) -> usize {
        2 + self.offset + 1 + 4 + 2 + self.hex + 2
    }

    /// Where the value starts in the one-line layout.
    fn value_column(&self) -> usize {
        self.prefix() + self.name + 2 + self.wireshark + 2
    }

    /// Where the value lines start in the two-line layout: under the hex column.
    fn value_indent(&self) -> usize {
        2 + self.offset + 1 + 4 + 2
    }

    /// Writes a layer's heading, note and field table.
    pub(super) fn write_layer(
        &self,
        out: &mut dyn Write,
        map: &FrameMap,
        layer: &MapLayer,
        view: &View<'_>,
    ) -> io::Result<()> {
        let (words, theme) = (view.words, view.theme);
        let osi = words.osi(osi_of(layer));
        let name = layer_name(layer, words);
        let heading = words.layer_heading(&name, layer.model, &osi, layer.offset, layer.len);
        view.lines(out, Some(layer_role(layer)), "", &heading, 2)?;
        if let Some(note) = &layer.note {
            view.lines(out, Some(Role::Dim), "  ", &words.note(note), 2)?;
        }
        let mut header = self.position(
            words.label(Label::Offset),
            words.label(Label::Len),
            words.label(Label::Hex),
        );
        let field = words.label(Label::Field);
        let wireshark = words.label(Label::Wireshark);
        if self.stacked {
            if self.identity(&mut header, field, wireshark, view.width) {
                header.push_str("  ");
                header.push_str(wireshark);
            }
            writeln!(out, "{}", theme.paint(Role::Dim, &header))?;
            let value = format!(
                "{}{}",
                " ".repeat(self.value_indent()),
                words.label(Label::Value)
            );
            writeln!(out, "{}", theme.paint(Role::Dim, &value))?;
        } else {
            push_padded(&mut header, field, self.name);
            header.push_str("  ");
            push_padded(&mut header, wireshark, self.wireshark);
            header.push_str("  ");
            header.push_str(words.label(Label::Value));
            writeln!(out, "{}", theme.paint(Role::Dim, &header))?;
        }
        for f in &layer.fields {
            self.write_field(out, map, f, 0, view)?;
        }
        Ok(())
    }

    /// Offset, length and hex columns, ending where the field name starts.
    fn position(&self, offset: &str, len: &str, hex: &str) -> String {
        let mut line = String::from("  ");
        push_right(&mut line, offset, self.offset);
        line.push(' ');
        push_right(&mut line, len, 4);
        line.push_str("  ");
        push_padded(&mut line, hex, self.hex);
        line.push_str("  ");
        line
    }

    /// Appends the field name, padded to the name column when the Wireshark name can follow
    /// aligned; returns whether the Wireshark name fits after it on the line.
    fn identity(&self, line: &mut String, name: &str, ws: &str, width: Option<usize>) -> bool {
        let width = width.unwrap_or(usize::MAX);
        let at = display_width(line);
        let aligned = self.name >= NAME_MIN
            && display_width(name) <= self.name
            && at + self.name + 2 + ws.len() <= width;
        if aligned && !ws.is_empty() {
            push_padded(line, name, self.name);
        } else {
            line.push_str(name);
        }
        ws.is_empty() || display_width(line) + 2 + ws.len() <= width
    }

    fn hex_column(&self, data: &[u8], f: &MapField) -> String {
        let bytes = f.bytes(data);
        let shown: Vec<String> = bytes
            .iter()
            .take(self.hex_bytes)
            .map(|b| format!("{b:02x}"))
            .collect();
        let mut s = shown.join(" ");
        if bytes.len() > self.hex_bytes {
            s.push_str(" …");
        }
        s
    }

    fn write_field(
        &self,
        out: &mut dyn Write,
        map: &FrameMap,
        f: &MapField,
        depth: usize,
        view: &View<'_>,
    ) -> io::Result<()> {
        let (words, theme) = (view.words, view.theme);
        let name = format!("{}{}", "  ".repeat(depth), words.field(f.id));
        let ws = f.wireshark.unwrap_or("");
        let value = value_text(f, &map.data, words);
        let role = if f.is_cut() { Some(Role::Warn) } else { None };
        let paint_value = |text: &str| match role {
            Some(role) => theme.paint(role, text),
            None => text.to_string(),
        };
        let mut line = self.position(
            &f.offset.to_string(),
            &f.len.to_string(),
            &self.hex_column(&map.data, f),
        );
        if self.stacked {
            let value = if self.identity(&mut line, &name, ws, view.width) {
                if !ws.is_empty() {
                    line.push_str("  ");
                    line.push_str(&theme.paint(Role::Dim, ws));
                }
                value
            } else {
                format!("{ws}  {value}")
            };
            writeln!(out, "{line}")?;
            let indent = " ".repeat(self.value_indent());
            for text in view.fill("", &value, 0, self.value_indent()) {
                writeln!(out, "{indent}{}", paint_value(&text))?;
            }
        } else {
            push_padded(&mut line, &name, self.name);
            line.push_str("  ");
            let mut ws_col = String::new();
            push_padded(&mut ws_col, ws, self.wireshark);
            line.push_str(&theme.paint(Role::Dim, &ws_col));
            line.push_str("  ");
            line.push_str(&paint_value(&value));
            writeln!(out, "{line}")?;
        }
        for sub in &f.fields {
            self.write_field(out, map, sub, depth + 1, view)?;
        }
        Ok(())
    }
}

/// Calls `visit` on every field of every layer with its nesting depth.
fn walk(map: &FrameMap, visit: &mut dyn FnMut(&MapField, usize)) {
    fn fields(list: &[MapField], depth: usize, visit: &mut dyn FnMut(&MapField, usize)) {
        for f in list {
            visit(f, depth);
            fields(&f.fields, depth + 1, visit);
        }
    }
    for layer in &map.layers {
        fields(&layer.fields, 0, visit);
    }
}
