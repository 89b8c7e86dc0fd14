//! The summary table: one row per conversation.

use std::io::{self, Write};

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, CellAlignment, Color, ContentArrangement, Table};

use super::words::Words;
use crate::config::TimeMode;
use crate::flow::{CloseKind, Conversation, Proto};
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
    let mut table = Table::new();
    table.load_style(UTF8_FULL_CONDENSED.with_rounded_corners());
    if style.color {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    match style.width {
        Some(width) => {
            table.set_content_arrangement(ContentArrangement::Dynamic);
            table.set_width(width);
        }
        None => {
            table.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    let h = w.summary_headings();
    table.set_header(vec![
        h.stream, h.client, h.server, h.packets, h.bytes, h.start, h.duration, h.rtt, h.close,
        h.state, h.history,
    ]);
    for conv in conversations {
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
        let close_color = match conv.close {
            CloseKind::Fin3Way
            | CloseKind::Fin4Way
            | CloseKind::Simultaneous
            | CloseKind::HalfCloseThenClosed => Color::Green,
            CloseKind::Reset | CloseKind::Refused | CloseKind::Unanswered => Color::Red,
            _ => Color::Yellow,
        };
        let mut close = Cell::new(w.close_kind(conv.close));
        if style.color {
            close = close.fg(close_color);
        }
        table.add_row(vec![
            Cell::new(format!("{} {}", conv.proto.as_str(), conv.stream)),
            Cell::new(conv.client.to_string()),
            Cell::new(conv.server.to_string()),
            Cell::new(format!("{} / {}", conv.packets[0], conv.packets[1]))
                .set_alignment(CellAlignment::Right),
            Cell::new(format!("{} / {}", conv.bytes[0], conv.bytes[1]))
                .set_alignment(CellAlignment::Right),
            Cell::new(start),
            Cell::new(format_duration(conv.duration())),
            Cell::new(rtt),
            close,
            Cell::new(conv.conn_state.code()),
            Cell::new(&conv.history),
        ]);
    }
    writeln!(out, "{table}")
}
