//! The timeline: one line per packet with its numbers, the states it changes and what
//! happens, plus indented detail lines (options, payload preview, notes).

use std::io::{self, Write};

use super::Shown;
use super::theme::{Role, Theme};
use super::words::{Words, event_text};
use crate::analysis::{Phase, TcpState};
use crate::config::{TimeMode, ViewConfig};
use crate::decode::tcp::flags;
use crate::decode::{DecodeStop, TcpOptionKind};
use crate::flow::{ConversationIntro, Direction, Observation, PacketProto, Proto, Side};
use crate::text::{escape_bytes, push_padded, push_right};
use crate::time::{Precision, Timestamp, format_absolute, format_secs};

/// Column widths, shared by the header and the rows.
const NUM_W: usize = 5;
const STREAM_W: usize = 7;
const DIR_W: usize = 3;
const FLAGS_W: usize = 11;
const SEQ_W: usize = 7;
const LEN_W: usize = 5;
const STATE_W: usize = 12;

/// Writes timeline lines; keeps the previous timestamp for `--time delta`.
pub struct TimelineWriter {
    theme: Theme,
    words: &'static dyn Words,
    time: TimeMode,
    payload: usize,
    precision: Precision,
    first_ts: Option<Timestamp>,
    prev_ts: Option<Timestamp>,
}

impl TimelineWriter {
    /// A writer for the given view settings and timestamp precision.
    pub fn new(cfg: &ViewConfig, precision: Precision) -> TimelineWriter {
        TimelineWriter {
            theme: Theme::new(cfg.color),
            words: cfg.lang.words(),
            time: cfg.time,
            payload: cfg.payload,
            precision,
            first_ts: None,
            prev_ts: None,
        }
    }

    fn time_width(&self) -> usize {
        match self.time {
            TimeMode::Absolute => 20 + self.precision.digits() + 7,
            _ => 4 + self.precision.digits(),
        }
    }

    /// Column headings.
    pub fn write_columns(&self, out: &mut dyn Write) -> io::Result<()> {
        let h = self.words.timeline_headings();
        let time = match self.time {
            TimeMode::Relative => h.time_relative,
            TimeMode::Absolute => h.time_absolute,
            TimeMode::Delta => h.time_delta,
        };
        let mut line = String::with_capacity(160);
        push_right(&mut line, h.frame, NUM_W);
        line.push_str("  ");
        push_padded(&mut line, time, self.time_width());
        line.push_str("  ");
        push_padded(&mut line, h.stream, STREAM_W);
        line.push(' ');
        push_padded(&mut line, h.dir, DIR_W);
        line.push_str("  ");
        push_padded(&mut line, h.flags, FLAGS_W);
        for (text, width) in [
            (h.seq, SEQ_W),
            (h.ack, SEQ_W),
            (h.len, LEN_W),
            (h.win, SEQ_W),
        ] {
            line.push(' ');
            push_right(&mut line, text, width);
        }
        line.push_str("  ");
        push_padded(&mut line, h.client, STATE_W);
        line.push(' ');
        push_padded(&mut line, h.server, STATE_W);
        line.push(' ');
        line.push_str(h.what);
        writeln!(out, "{}", self.theme.paint(Role::Dim, &line))
    }

    fn format_time(&mut self, ts: Timestamp) -> String {
        let first = *self.first_ts.get_or_insert(ts);
        let digits = self.precision.digits();
        let text = match self.time {
            TimeMode::Relative => format_secs(ts.nanos_since(first), digits),
            TimeMode::Delta => format_secs(ts.nanos_since(self.prev_ts.unwrap_or(ts)), digits),
            TimeMode::Absolute => format_absolute(ts, digits),
        };
        self.prev_ts = Some(ts);
        text
    }

    /// The line that introduces a conversation.
    pub fn write_intro(&self, out: &mut dyn Write, intro: &ConversationIntro) -> io::Result<()> {
        writeln!(out)?;
        let w = self.words;
        let tail = match intro.proto {
            Proto::Tcp => w.role_basis(intro.basis),
            Proto::Udp => w.udp_intro(),
        };
        let text = w.stream_intro(
            intro.proto,
            intro.stream,
            &self.theme.paint(Role::Client, &intro.client.to_string()),
            &self.theme.paint(Role::Server, &intro.server.to_string()),
            tail,
        );
        writeln!(out, "{}", self.theme.paint(Role::Heading, &text))
    }

    /// One packet: its line and its detail lines.
    pub fn write_packet(&mut self, out: &mut dyn Write, shown: &Shown<'_>) -> io::Result<()> {
        let obs = shown.obs;
        if let Some(intro) = &obs.intro {
            self.write_intro(out, intro)?;
        }
        let time = self.format_time(obs.ts);
        let t = self.theme;
        let stream = match (obs.stream, obs.proto.as_str()) {
            (Some(s), p) => format!("{p} {s}"),
            (None, p) => p.to_string(),
        };
        let (dir, dir_role) = match obs.dir {
            Some(Direction::ClientToServer) => ("C>S", Role::Client),
            Some(Direction::ServerToClient) => ("S>C", Role::Server),
            None => ("", Role::Dim),
        };
        let (flag_text, flag_role) = match &obs.tcp {
            Some(seg) => (flags_short(seg.flags), flag_role(seg.flags, obs.phase)),
            None => (String::new(), Role::Dim),
        };
        let (seq, ack, win) = match &obs.tcp {
            Some(seg) => (
                seg.seq.to_string(),
                seg.ack.map_or_else(|| "-".into(), |a| a.to_string()),
                match seg.window_bytes {
                    Some(w) => w.to_string(),
                    None if seg.window == 0 => "0".into(),
                    None => format!("{}?", seg.window),
                },
            ),
            None => (String::new(), String::new(), String::new()),
        };
        let len = obs.len.map(|l| l.to_string()).unwrap_or_default();
        let (client_state, server_state) = state_cells(obs);
        let event_role = match obs.phase {
            Phase::Handshake => Role::Handshake,
            Phase::Close => Role::Close,
            Phase::Reset => Role::Alert,
            _ => Role::Data,
        };
        let event = event_text(self.words, obs, shown.packet);
        let mut line = String::with_capacity(200);
        push_right(&mut line, &obs.frame.to_string(), NUM_W);
        line.push_str("  ");
        push_padded(&mut line, &time, self.time_width());
        line.push_str("  ");
        push_padded(&mut line, &stream, STREAM_W);
        line.push(' ');
        line.push_str(&t.paint(dir_role, &padded(dir, DIR_W)));
        line.push_str("  ");
        line.push_str(&t.paint(flag_role, &padded(&flag_text, FLAGS_W)));
        for (text, width) in [(&seq, SEQ_W), (&ack, SEQ_W), (&len, LEN_W), (&win, SEQ_W)] {
            line.push(' ');
            push_right(&mut line, text, width);
        }
        line.push_str("  ");
        line.push_str(&t.paint(Role::State, &padded(&client_state, STATE_W)));
        line.push(' ');
        line.push_str(&t.paint(Role::State, &padded(&server_state, STATE_W)));
        line.push(' ');
        line.push_str(&t.paint(event_role, &event));
        let tags: Vec<&str> = obs
            .findings
            .iter()
            .map(|f| self.words.finding(*f))
            .filter(|label| !event.contains(label))
            .collect();
        if !tags.is_empty() {
            line.push_str(&t.paint(Role::Warn, &format!("  [{}]", tags.join(", "))));
        }
        writeln!(out, "{line}")?;
        self.write_details(out, shown)
    }

    fn write_details(&self, out: &mut dyn Write, shown: &Shown<'_>) -> io::Result<()> {
        let (frame, packet, obs) = (shown.frame, shown.packet, shown.obs);
        let indent = " ".repeat(NUM_W + 2 + self.time_width() + 2);
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
                let mut opts: Vec<String> = tcp
                    .options
                    .iter()
                    .filter(|o| !matches!(o.kind, TcpOptionKind::Nop | TcpOptionKind::EndOfList))
                    .map(|o| o.kind.describe())
                    .collect();
                if !tcp.header_complete {
                    opts.push(self.words.options_cut().into());
                }
                if !opts.is_empty() {
                    let text = self.words.options_line(&opts.join(", "));
                    writeln!(out, "{indent}{}", t.paint(Role::Dim, &text))?;
                }
            }
        }
        let transport = matches!(obs.proto, PacketProto::Tcp | PacketProto::Udp);
        if self.payload > 0 && transport && !packet.payload.is_empty() {
            let bytes = &frame.data[packet.payload.clone()];
            let shown = &bytes[..bytes.len().min(self.payload)];
            let more =
                if bytes.len() > shown.len() || obs.len.is_some_and(|l| l as usize > bytes.len()) {
                    "…"
                } else {
                    ""
                };
            writeln!(out, "{indent}\"{}\"{more}", escape_bytes(shown))?;
        }
        if frame.is_truncated() {
            let text = self.words.truncated(frame.data.len(), frame.orig_len);
            writeln!(out, "{indent}{}", t.paint(Role::Warn, &text))?;
        } else if let Some(stop) = &packet.stop
            && obs.proto != PacketProto::Other
        {
            let text = self.words.note(&stop_text(self.words, stop));
            writeln!(out, "{indent}{}", t.paint(Role::Warn, &text))?;
        }
        Ok(())
    }

    /// A line for an application call of the demo peers, between the packets it relates to.
    pub fn write_app_line(
        &mut self,
        out: &mut dyn Write,
        ts: Timestamp,
        side: Side,
        text: &str,
    ) -> io::Result<()> {
        let time = match self.first_ts {
            Some(first) => format_secs(ts.nanos_since(first), self.precision.digits()),
            None => String::new(),
        };
        let who = format!("{}:", self.words.side(side));
        let role = match side {
            Side::Client => Role::Client,
            Side::Server => Role::Server,
        };
        let mut line = String::with_capacity(120);
        push_right(&mut line, "app", NUM_W);
        line.push_str("  ");
        push_padded(&mut line, &time, self.time_width());
        line.push_str("  ");
        line.push_str(&self.theme.paint(role, &padded(&who, 7)));
        line.push(' ');
        line.push_str(&self.theme.paint(Role::App, text));
        writeln!(out, "{line}")
    }
}

/// Decoding notes can quote bytes of the packet: escape them for the terminal.
fn stop_text(words: &dyn Words, stop: &DecodeStop) -> String {
    crate::text::escape_str(&words.decode_stop(stop)).into_owned()
}

fn padded(text: &str, width: usize) -> String {
    let mut s = String::with_capacity(width + 4);
    push_padded(&mut s, text, width);
    s
}

/// "SYN,ACK" style flags, in Wireshark's Info-column order.
pub fn flags_short(bits: u16) -> String {
    let names = crate::decode::tcp::flag_names(bits);
    if names.is_empty() {
        "none".into()
    } else {
        names.join(",")
    }
}

fn flag_role(bits: u16, phase: Phase) -> Role {
    if bits & flags::RST != 0 {
        Role::Alert
    } else if bits & flags::SYN != 0 || phase == Phase::Handshake {
        Role::Handshake
    } else if bits & flags::FIN != 0 || phase == Phase::Close {
        Role::Close
    } else {
        Role::Data
    }
}

/// State cells: the new state for each side whose state changed, blank otherwise. The first
/// packet of a conversation shows both known states.
fn state_cells(obs: &Observation) -> (String, String) {
    let mut client = String::new();
    let mut server = String::new();
    for change in &obs.changes {
        let cell = change.to.as_str().to_string();
        match change.side {
            Side::Client => client = cell,
            Side::Server => server = cell,
        }
    }
    if obs.intro.is_some()
        && let Some((c, s)) = obs.states
    {
        if client.is_empty() && c == Some(TcpState::Unknown) {
            client = "unknown".into();
        }
        if server.is_empty() && s == Some(TcpState::Unknown) {
            server = "unknown".into();
        }
    }
    (client, server)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_in_wireshark_order() {
        assert_eq!(flags_short(flags::SYN | flags::ACK), "SYN,ACK");
        assert_eq!(
            flags_short(flags::FIN | flags::PSH | flags::ACK),
            "FIN,PSH,ACK"
        );
        assert_eq!(flags_short(0), "none");
    }
}
