//! The indented lines under a packet: TCP options, a payload preview, notes.

use std::io::{self, Write};

use super::TimelineWriter;
use super::cells::indented;
use super::row::stop_text;
use super::wide::push_blanks;
use crate::decode::tcp::flags;
use crate::decode::{DecodeStop, TcpOptionKind};
use crate::flow::PacketProto;
use crate::render::Shown;
use crate::render::theme::Role;
use crate::render::words::push_tcp_options;
use crate::text::{escape_bytes_fit, push_escaped_bytes};

impl TimelineWriter {
    pub(super) fn write_details(
        &mut self,
        out: &mut dyn Write,
        shown: &Shown<'_>,
        indent: usize,
    ) -> io::Result<()> {
        let (packet, obs) = (shown.packet, shown.obs);
        if let Some(tcp) = packet.tcp() {
            let interesting = tcp.flags & flags::SYN != 0
                || tcp.options.iter().any(|o| {
                    matches!(
                        o.kind,
                        TcpOptionKind::Sack(_) | TcpOptionKind::Unknown { .. }
                    )
                });
            if interesting && (!tcp.options.is_empty() || !tcp.header_complete) {
                let mut options = std::mem::take(&mut self.scratch);
                options.clear();
                push_tcp_options(&mut options, self.words, obs, packet);
                if !tcp.header_complete {
                    if !options.is_empty() {
                        options.push_str(", ");
                    }
                    options.push_str(self.words.options_cut());
                }
                let written = if options.is_empty() {
                    Ok(())
                } else {
                    self.write_options(out, &options, indent)
                };
                self.scratch = options;
                written?;
            }
        }
        let transport =
            matches!(obs.proto, PacketProto::Tcp | PacketProto::Udp) && packet.cut_ports.is_none();
        let preview = self.payload > 0 && transport && !packet.payload.is_empty();
        let note = if shown.frame.is_truncated() {
            Some(Note::Truncated)
        } else {
            match &packet.stop {
                Some(stop) if obs.proto != PacketProto::Other => Some(Note::Stop(stop)),
                _ => None,
            }
        };
        if !preview && note.is_none() {
            return Ok(());
        }
        let mut line = std::mem::take(&mut self.scratch);
        let written = self.write_notes(out, &mut line, shown, indent, preview, note);
        self.scratch = line;
        written
    }

    /// The options line: "options: " and `options`, indented.
    fn write_options(
        &mut self,
        out: &mut dyn Write,
        options: &str,
        indent: usize,
    ) -> io::Result<()> {
        let label = self.words.options_label();
        let Some(_) = self.width else {
            let mut line = std::mem::take(&mut self.event);
            line.clear();
            push_blanks(&mut line, indent);
            if self.theme.is_colored() {
                self.theme
                    .push_paint(&mut line, Role::Dim, &[label, options].concat());
            } else {
                line.push_str(label);
                line.push_str(options);
            }
            line.push('\n');
            let written = out.write_all(line.as_bytes());
            self.event = line;
            return written;
        };
        let text = [label, options].concat();
        for line in indented(&text, indent, self.width, &self.theme, Role::Dim) {
            writeln!(out, "{line}")?;
        }
        Ok(())
    }

    /// The payload preview (when `preview`) and the note under a packet, built in `line` (a
    /// reused buffer); with an unbounded width both go out in one write.
    fn write_notes(
        &self,
        out: &mut dyn Write,
        line: &mut String,
        shown: &Shown<'_>,
        indent: usize,
        preview: bool,
        note: Option<Note<'_>>,
    ) -> io::Result<()> {
        let (frame, packet, obs) = (shown.frame, shown.packet, shown.obs);
        let t = &self.theme;
        line.clear();
        if preview {
            let bytes = &frame.data[packet.payload.clone()];
            let shown = &bytes[..bytes.len().min(self.payload)];
            let mut more =
                bytes.len() > shown.len() || obs.len.is_some_and(|l| l as usize > bytes.len());
            push_blanks(line, indent);
            line.push('"');
            match self.width {
                // The quotes and a possible ellipsis take 3 columns.
                Some(w) => {
                    let (text, cut) = escape_bytes_fit(shown, w.saturating_sub(indent + 3).max(8));
                    more |= cut;
                    line.push_str(&text);
                }
                None => push_escaped_bytes(line, shown),
            }
            line.push_str(if more { "\"…\n" } else { "\"\n" });
            if self.width.is_some() {
                out.write_all(line.as_bytes())?;
                line.clear();
            }
        }
        // Unbounded width: the note goes on one line after the indent, built in place.
        let before = line.len();
        if self.width.is_none() {
            push_blanks(line, indent);
        }
        let start = line.len();
        match note {
            Some(Note::Truncated) => self.words.truncated(line, frame.data.len(), frame.orig_len),
            Some(Note::Stop(stop)) => line.push_str(&self.words.note(&stop_text(self.words, stop))),
            None => {}
        }
        if line.len() == start {
            line.truncate(before);
            return if line.is_empty() {
                Ok(())
            } else {
                out.write_all(line.as_bytes())
            };
        }
        match self.width {
            None => {
                if t.is_colored() {
                    let note = line.split_off(start);
                    t.push_paint(line, Role::Warn, &note);
                }
                line.push('\n');
                out.write_all(line.as_bytes())
            }
            Some(_) => {
                for piece in indented(line, indent, self.width, t, Role::Warn) {
                    writeln!(out, "{piece}")?;
                }
                Ok(())
            }
        }
    }
}

/// The note under a packet: the snaplen cut the frame, or decoding stopped early.
#[derive(Clone, Copy)]
enum Note<'a> {
    /// The frame is shorter than on the wire.
    Truncated,
    /// Why decoding stopped.
    Stop(&'a DecodeStop),
}
