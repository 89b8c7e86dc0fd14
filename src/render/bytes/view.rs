//! How the byte map fits a width: lines wrapped at spaces (CJK text between characters),
//! continuation lines indented, pieces kept whole where possible.

use std::io::{self, Write};

use crate::render::theme::{Role, Theme};
use crate::render::words::bytes::ByteWords;
use crate::text::{display_width, wrap};

/// How the map is written: words, colours, width.
pub(super) struct View<'a> {
    pub(super) words: &'static dyn ByteWords,
    pub(super) theme: &'a Theme,
    pub(super) width: Option<usize>,
}

impl View<'_> {
    /// `text` after `first`, in lines that fit the width less `margin` columns; later lines
    /// are indented by `indent` columns.
    pub(super) fn fill(
        &self,
        first: &str,
        text: &str,
        indent: usize,
        margin: usize,
    ) -> Vec<String> {
        self.pieces(first, text, indent, margin)
            .into_iter()
            .map(|(lead, piece)| format!("{lead}{piece}"))
            .collect()
    }

    /// [`View::fill`]'s lines as (indentation, text) pairs.
    pub(super) fn pieces(
        &self,
        first: &str,
        text: &str,
        indent: usize,
        margin: usize,
    ) -> Vec<(String, String)> {
        let whole = || vec![(first.to_string(), text.to_string())];
        let Some(width) = self.width.map(|w| w.saturating_sub(margin)) else {
            return whole();
        };
        if display_width(first) + display_width(text) <= width {
            return whole();
        }
        let room = width
            .saturating_sub(display_width(first).max(indent))
            .max(8);
        keep_brackets(wrap(text, room), room)
            .into_iter()
            .enumerate()
            .map(|(i, line)| {
                let lead = if i == 0 {
                    first.to_string()
                } else {
                    " ".repeat(indent)
                };
                (lead, line)
            })
            .collect()
    }

    /// Writes [`View::fill`]'s lines, their text in `role`.
    pub(super) fn lines(
        &self,
        out: &mut dyn Write,
        role: Option<Role>,
        first: &str,
        text: &str,
        indent: usize,
    ) -> io::Result<()> {
        for (lead, piece) in self.pieces(first, text, indent, 0) {
            match role {
                Some(role) => writeln!(out, "{lead}{}", self.theme.paint(role, &piece))?,
                None => writeln!(out, "{lead}{piece}")?,
            }
        }
        Ok(())
    }

    /// `parts` joined with `sep`, in lines that fit the width: a part moves to the next line
    /// (indented by `indent`) rather than being split, unless it is wider than a line.
    pub(super) fn joined(&self, parts: &[String], sep: &str, indent: usize) -> Vec<String> {
        let Some(width) = self.width else {
            return vec![parts.join(sep)];
        };
        let mut lines: Vec<String> = Vec::new();
        let mut line = String::new();
        for part in parts {
            let sep = if line.trim().is_empty() { "" } else { sep };
            if display_width(&line) + display_width(sep) + display_width(part) <= width {
                line.push_str(sep);
                line.push_str(part);
                continue;
            }
            if !line.trim().is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let first = if lines.is_empty() {
                String::new()
            } else {
                " ".repeat(indent)
            };
            let mut pieces = self.fill(&first, part, indent, 0);
            line = pieces.pop().unwrap_or_default();
            lines.extend(pieces);
        }
        if !line.is_empty() || lines.is_empty() {
            lines.push(line);
        }
        lines
    }
}

/// Moves an opening bracket that ends a wrapped line to the start of the next one, when the
/// next line has room for it within `room` columns.
fn keep_brackets(mut lines: Vec<String>, room: usize) -> Vec<String> {
    for i in 1..lines.len() {
        let (before, after) = lines.split_at_mut(i);
        let (prev, next) = (&mut before[i - 1], &mut after[0]);
        let Some(c) = prev.chars().last().filter(|c| "（“《([".contains(*c)) else {
            continue;
        };
        let c_width = display_width(c.encode_utf8(&mut [0; 4]));
        if prev.chars().count() > 1 && display_width(next) + c_width <= room {
            prev.pop();
            next.insert(0, c);
        }
    }
    lines
}
