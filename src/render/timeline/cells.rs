//! Laying out a timeline row: cells of fixed width placed one after another, broken onto
//! indented continuation lines when they would not fit the width.

use crate::render::theme::{Role, Theme};
use crate::text::{display_width, push_padded, push_right, wrap_parts};

/// How a cell's text sits in its width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Align {
    Left,
    Right,
}

/// One cell of a row: text, the columns it takes, alignment, colour, and the gap before it.
#[derive(Debug, Clone)]
pub(super) struct Cell {
    pub(super) text: String,
    pub(super) width: usize,
    pub(super) align: Align,
    pub(super) role: Option<Role>,
    pub(super) gap: usize,
}

impl Cell {
    pub(super) fn new(text: impl Into<String>, width: usize, align: Align, gap: usize) -> Cell {
        Cell {
            text: text.into(),
            width,
            align,
            role: None,
            gap,
        }
    }

    pub(super) fn painted(mut self, role: Role) -> Cell {
        self.role = Some(role);
        self
    }

    fn columns(&self) -> usize {
        self.width.max(display_width(&self.text))
    }
}

/// Places `cells` on lines of at most `width` columns (no limit when None); a cell that does
/// not fit starts a new line indented by `indent`. Trailing blanks are trimmed.
pub(super) fn flow(
    cells: &[Cell],
    width: Option<usize>,
    indent: usize,
    theme: &Theme,
) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::with_capacity(160);
    let mut used = 0;
    for cell in cells {
        let gap = if used == 0 { 0 } else { cell.gap };
        let need = gap + cell.columns();
        if used > 0 && width.is_some_and(|w| used + need > w) {
            lines.push(std::mem::take(&mut line).trim_end().to_string());
            line.push_str(&" ".repeat(indent));
            used = indent;
        } else {
            line.push_str(&" ".repeat(gap));
            used += gap;
        }
        let mut text = String::with_capacity(cell.width + 8);
        match cell.align {
            Align::Left => push_padded(&mut text, &cell.text, cell.width),
            Align::Right => push_right(&mut text, &cell.text, cell.width),
        }
        match cell.role {
            Some(role) if !cell.text.is_empty() => line.push_str(&theme.paint(role, &text)),
            _ => line.push_str(&text),
        }
        used += cell.columns();
    }
    let last = line.trim_end();
    if !last.is_empty() {
        lines.push(last.to_string());
    }
    lines
}

/// `text` wrapped to `width` columns after an indent (no limit when None), painted.
pub(super) fn indented(
    text: &str,
    indent: usize,
    width: Option<usize>,
    theme: &Theme,
    role: Role,
) -> Vec<String> {
    indented_parts(&[text], indent, width, theme, role)
}

/// Text made of parts, indented and wrapped as [`indented`] does, each part after the first
/// kept whole on a line when it fits in one (see [`crate::text::wrap_parts`]).
pub(super) fn indented_parts(
    parts: &[&str],
    indent: usize,
    width: Option<usize>,
    theme: &Theme,
    role: Role,
) -> Vec<String> {
    let pad = " ".repeat(indent);
    let pieces = match width {
        Some(w) => wrap_parts(parts, w.saturating_sub(indent).max(20)),
        None => vec![parts.concat()],
    };
    pieces
        .into_iter()
        .map(|p| format!("{pad}{}", theme.paint(role, &p)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_break_onto_indented_lines() {
        let cells = vec![
            Cell::new("1", 5, Align::Right, 0),
            Cell::new("0.000000", 10, Align::Left, 2),
            Cell::new("a long cell", 12, Align::Left, 2),
        ];
        let plain = Theme::plain();
        assert_eq!(
            flow(&cells, None, 7, &plain),
            ["    1  0.000000    a long cell"]
        );
        assert_eq!(
            flow(&cells, Some(20), 7, &plain),
            ["    1  0.000000", "       a long cell"]
        );
    }
}
