//! The summary table: one row per conversation.

use std::io::{self, Write};

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, CellAlignment, Color, ContentArrangement, Table};

use super::words::{Words, findings_summary};
use crate::config::TimeMode;
use crate::flow::{CloseKind, Conversation, Proto};
use crate::text::display_width;
use crate::time::{Precision, Timestamp, format_absolute, format_duration, format_secs};

/// Settings of the summary table.
pub struct TableStyle {
    /// Colour the close column.
    pub color: bool,
    /// Wrap to this width (None: never wrap).
    pub width: Option<u16>,
    /// How to show the start time.
    pub time: TimeMode,
    /// First packet of the capture, for relative start times.
    pub first_ts: Option<Timestamp>,
    /// Timestamp precision.
    pub precision: Precision,
    /// The language.
    pub words: &'static dyn Words,
}

/// An empty table in the summary's style: rounded corners, coloured or not, never wrapped.
pub(super) fn new_table(style: &TableStyle) -> Table {
    let mut table = Table::new();
    table.load_style(UTF8_FULL_CONDENSED.with_rounded_corners());
    if style.color {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    table.set_content_arrangement(ContentArrangement::Disabled);
    table
}

/// Writes the summary table, or a line saying there were no conversations.
pub fn write_summary(
    out: &mut dyn Write,
    conversations: &[Conversation],
    style: &TableStyle,
) -> io::Result<()> {
    let w = style.words;
    if conversations.is_empty() {
        return writeln!(out, "{}", w.no_conversations());
    }
    let mut table = new_table(style);
    let h = w.summary_headings();
    let rows: Vec<Row> = conversations.iter().map(|c| Row::of(c, style)).collect();
    let with_analysis = conversations.iter().any(|c| c.analysis.is_some());
    let mut header = vec![
        h.stream, h.client, h.server, h.packets, h.bytes, h.start, h.duration, h.rtt, h.close,
        h.state, h.history,
    ];
    if with_analysis {
        header.extend([h.findings, h.ack_rtt]);
    }
    table.set_header(header);
    for (conv, row) in conversations.iter().zip(&rows) {
        let mut close = Cell::new(&row.close);
        if style.color {
            close = close.fg(close_color(conv.close));
        }
        let mut cells = vec![
            Cell::new(&row.stream),
            Cell::new(&row.client),
            Cell::new(&row.server),
            Cell::new(&row.packets).set_alignment(CellAlignment::Right),
            Cell::new(&row.bytes).set_alignment(CellAlignment::Right),
            Cell::new(&row.start),
            Cell::new(&row.duration),
            Cell::new(&row.rtt),
            close,
            Cell::new(&row.state),
            Cell::new(&row.history),
        ];
        if with_analysis {
            cells.push(Cell::new(&row.findings));
            cells.push(Cell::new(&row.ack_rtt));
        }
        table.add_row(cells);
    }
    let text = table.to_string();
    if let Some(width) = style.width
        && text.lines().any(|l| display_width(l) > usize::from(width))
    {
        return write_cards(out, &rows, style, usize::from(width));
    }
    writeln!(out, "{table}")
}

fn close_color(close: CloseKind) -> Color {
    match close {
        CloseKind::Fin3Way
        | CloseKind::Fin4Way
        | CloseKind::Simultaneous
        | CloseKind::HalfCloseThenClosed => Color::Green,
        CloseKind::Reset | CloseKind::Refused | CloseKind::Unanswered => Color::Red,
        _ => Color::Yellow,
    }
}

/// One conversation's cells, as text.
struct Row {
    stream: String,
    client: String,
    server: String,
    packets: String,
    bytes: String,
    start: String,
    duration: String,
    rtt: String,
    close: String,
    state: String,
    history: String,
    findings: String,
    ack_rtt: String,
}

impl Row {
    fn of(conv: &Conversation, style: &TableStyle) -> Row {
        let w = style.words;
        let start = match style.time {
            TimeMode::Absolute => format_absolute(conv.start, style.precision.digits()),
            _ => format_secs(
                conv.start.nanos_since(style.first_ts.unwrap_or(conv.start)),
                style.precision.digits(),
            ),
        };
        let rtt = match (conv.rtt_syn_synack, conv.rtt_handshake) {
            (Some(a), Some(b)) => format!("{} / {}", format_duration(a), format_duration(b)),
            (Some(a), None) => format!("{} / -", format_duration(a)),
            (None, Some(b)) if conv.proto == Proto::Udp => w.first_reply(&format_duration(b)),
            (None, Some(b)) => format!("- / {}", format_duration(b)),
            (None, None) => "-".into(),
        };
        Row {
            stream: format!("{} {}", conv.proto.as_str(), conv.stream),
            client: conv.client.to_string(),
            server: conv.server.to_string(),
            packets: format!("{} / {}", conv.packets[0], conv.packets[1]),
            bytes: format!("{} / {}", conv.bytes[0], conv.bytes[1]),
            start,
            duration: format_duration(conv.duration()),
            rtt,
            close: w.close_kind(conv.close).to_string(),
            state: conv.conn_state.code().to_string(),
            history: conv.history.clone(),
            findings: conv
                .analysis
                .as_ref()
                .map_or_else(|| "-".into(), |a| findings_summary(w, a)),
            ack_rtt: match conv.analysis.as_ref() {
                Some(a) => match (a.ack_rtt_min, a.ack_rtt_median, a.ack_rtt_max) {
                    (Some(min), Some(median), Some(max)) => format!(
                        "{} / {} / {}",
                        format_duration(min as f64 / 1e9),
                        format_duration(median as f64 / 1e9),
                        format_duration(max as f64 / 1e9)
                    ),
                    _ => "-".into(),
                },
                None => "-".into(),
            },
        }
    }
}

/// The summary as one small block per conversation, for widths the table does not fit.
fn write_cards(
    out: &mut dyn Write,
    rows: &[Row],
    style: &TableStyle,
    width: usize,
) -> io::Result<()> {
    for row in rows {
        write_card(out, row, &row.stream, style, width)?;
    }
    Ok(())
}

/// One conversation as a title line and wrapped `name: value` lines.
fn write_card(
    out: &mut dyn Write,
    row: &Row,
    stream: &str,
    style: &TableStyle,
    width: usize,
) -> io::Result<()> {
    let h = style.words.summary_headings();
    let label = |text: &str| text.replace('\n', " ");
    let title = format!("{stream} · {} → {}", row.client, row.server);
    for (i, line) in crate::text::wrap(&title, width.saturating_sub(2))
        .iter()
        .enumerate()
    {
        writeln!(out, "{}{line}", if i == 0 { "" } else { "  " })?;
    }
    let fields = [
        (label(h.packets), &row.packets),
        (label(h.bytes), &row.bytes),
        (label(h.start), &row.start),
        (label(h.duration), &row.duration),
        (label(h.rtt), &row.rtt),
        (label(h.close), &row.close),
        (label(h.state), &row.state),
        (label(h.history), &row.history),
        (label(h.findings), &row.findings),
        (label(h.ack_rtt), &row.ack_rtt),
    ];
    let parts: Vec<String> = fields
        .iter()
        .map(|(name, value)| format!("{name}: {value}"))
        .collect();
    for line in wrap_parts(&parts, width.saturating_sub(2)) {
        writeln!(out, "  {line}")?;
    }
    Ok(())
}

/// Joins `parts` with " · " into lines of at most `width` columns, a part never split unless
/// it alone is wider than a line.
fn wrap_parts(parts: &[String], width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for part in parts {
        let sep = if line.is_empty() { "" } else { " · " };
        if !line.is_empty()
            && display_width(&line) + display_width(sep) + display_width(part) > width
        {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push_str(" · ");
        }
        line.push_str(part);
        if display_width(&line) > width {
            let mut pieces = crate::text::wrap(&line, width);
            line = pieces.pop().unwrap_or_default();
            lines.extend(pieces);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Least widths of the columns of the full list (a column is at least as wide as its
/// heading, and grows past its width when a value does).
const LINE_WIDTHS: [usize; 11] = [10, 21, 21, 13, 17, 12, 10, 21, 22, 6, 12];

/// The headings of the full list, one line each.
fn row_headings(style: &TableStyle) -> [String; 13] {
    let h = style.words.summary_headings();
    let label = |text: &str| text.replace('\n', " ");
    [
        label(h.stream),
        label(h.client),
        label(h.server),
        label(h.packets),
        label(h.bytes),
        label(h.start),
        label(h.duration),
        label(h.rtt),
        label(h.close),
        label(h.state),
        label(h.history),
        label(h.findings),
        label(h.ack_rtt),
    ]
}

/// The full list's heading line, or None when the width is too small for one line per
/// conversation (then each is a card, see [`write_row_line`]).
fn heading_line(style: &TableStyle) -> Option<String> {
    let headings = row_headings(style);
    let line = join_cells(&headings.each_ref(), &column_widths(&headings));
    // Room for the findings and ACK RTT values beyond their headings.
    let fits = style
        .width
        .is_none_or(|w| display_width(&line) + 24 <= usize::from(w));
    fits.then_some(line)
}

fn column_widths(headings: &[String; 13]) -> [usize; 11] {
    let mut widths = LINE_WIDTHS;
    for (w, heading) in widths.iter_mut().zip(headings) {
        *w = (*w).max(display_width(heading));
    }
    widths
}

/// The heading of the full list of conversations (see [`write_row_line`]); nothing when
/// the conversations are written as cards.
pub fn write_row_header(out: &mut dyn Write, style: &TableStyle) -> io::Result<()> {
    match heading_line(style) {
        Some(line) => writeln!(out, "{line}"),
        None => Ok(()),
    }
}

/// One conversation of the full list, for any number of conversations: a line of columns
/// of fixed width instead of a table measured over all rows, or a card when the line would
/// be wider than the output.
pub fn write_row_line(
    out: &mut dyn Write,
    conv: &Conversation,
    style: &TableStyle,
) -> io::Result<()> {
    let row = Row::of(conv, style);
    let mut stream = row.stream.clone();
    if conv.continued {
        stream.push('+');
    }
    if heading_line(style).is_some() {
        let cells = [
            &stream,
            &row.client,
            &row.server,
            &row.packets,
            &row.bytes,
            &row.start,
            &row.duration,
            &row.rtt,
            &row.close,
            &row.state,
            &row.history,
            &row.findings,
            &row.ack_rtt,
        ];
        let line = join_cells(&cells, &column_widths(&row_headings(style)));
        if style
            .width
            .is_none_or(|w| display_width(&line) <= usize::from(w))
        {
            return writeln!(out, "{line}");
        }
    }
    let width = style.width.map_or(usize::MAX, usize::from);
    write_card(out, &row, &stream, style, width)
}

fn join_cells(cells: &[&String; 13], widths: &[usize; 11]) -> String {
    let mut line = String::with_capacity(200);
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            line.push_str("  ");
        }
        match widths.get(i) {
            Some(&w) => crate::text::push_padded(&mut line, cell, w),
            None => line.push_str(cell),
        }
    }
    line.truncate(line.trim_end().len());
    line
}
