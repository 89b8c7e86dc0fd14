//! The indented lines under a packet: TCP options, a payload preview, notes.

use std::io::{self, Write};

use super::TimelineWriter;
use super::cells::indented;
use super::row::stop_text;
use crate::decode::TcpOptionKind;
use crate::decode::tcp::flags;
use crate::flow::PacketProto;
use crate::render::Shown;
use crate::render::theme::Role;
use crate::render::words::tcp_options;
use crate::text::{escape_bytes_fit, push_escaped_bytes};

impl TimelineWriter {
    pub(super) fn write_details(
        &self,
        out: &mut dyn Write,
        shown: &Shown<'_>,
        indent: usize,
    ) -> io::Result<()> {
        let (frame, packet, obs) = (shown.frame, shown.packet, shown.obs);
        let t = &self.theme;
        if let Some(tcp) = packet.tcp() {
            let interesting = tcp.flags & flags::SYN != 0
                || tcp.options.iter().any(|o| {
                    matches!(
                        o.kind,
                        TcpOptionKind::Sack(_) | TcpOptionKind::Unknown { .. }
                    )
                });
            if interesting && (!tcp.options.is_empty() || !tcp.header_complete) {
                let mut opts = tcp_options(self.words, obs, packet);
                if !tcp.header_complete {
                    opts.push(self.words.options_cut().into());
                }
                if !opts.is_empty() {
                    let text = self.words.options_line(&opts.join(", "));
                    for line in indented(&text, indent, self.width, t, Role::Dim) {
                        writeln!(out, "{line}")?;
                    }
                }
            }
        }
        let transport =
            matches!(obs.proto, PacketProto::Tcp | PacketProto::Udp) && packet.cut_ports.is_none();
        if self.payload > 0 && transport && !packet.payload.is_empty() {
            let bytes = &frame.data[packet.payload.clone()];
            let shown = &bytes[..bytes.len().min(self.payload)];
            let mut more =
                bytes.len() > shown.len() || obs.len.is_some_and(|l| l as usize > bytes.len());
            let mut line = String::with_capacity(indent + 4 * shown.len() + 8);
            line.extend(std::iter::repeat_n(' ', indent));
            line.push('"');
            match self.width {
                // The quotes and a possible ellipsis take 3 columns.
                Some(w) => {
                    let (text, cut) = escape_bytes_fit(shown, w.saturating_sub(indent + 3).max(8));
                    more |= cut;
                    line.push_str(&text);
                }
                None => push_escaped_bytes(&mut line, shown),
            }
            line.push('"');
            if more {
                line.push('…');
            }
            line.push('\n');
            out.write_all(line.as_bytes())?;
        }
        let note = if frame.is_truncated() {
            Some(self.words.truncated(frame.data.len(), frame.orig_len))
        } else if let Some(stop) = &packet.stop
            && obs.proto != PacketProto::Other
        {
            Some(self.words.note(&stop_text(self.words, stop)))
        } else {
            None
        };
        match (note, self.width) {
            (Some(note), None) => {
                // One line: no wrapping to do.
                let mut line = String::with_capacity(indent + note.len() + 16);
                line.extend(std::iter::repeat_n(' ', indent));
                t.push_paint(&mut line, Role::Warn, &note);
                line.push('\n');
                out.write_all(line.as_bytes())?;
            }
            (Some(note), Some(_)) => {
                for line in indented(&note, indent, self.width, t, Role::Warn) {
                    writeln!(out, "{line}")?;
                }
            }
            (None, _) => {}
        }
        Ok(())
    }
}
