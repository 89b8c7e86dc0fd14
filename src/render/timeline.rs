//! The timeline: one line per packet with its numbers, the states it changes and what
//! happens, plus indented detail lines (options, payload preview, notes).

use std::io::{self, Write};

use super::theme::{Role, Theme};
use crate::analysis::{Phase, TcpState};
use crate::capture::{Frame, Precision, Timestamp};
use crate::config::{TimeMode, ViewConfig};
use crate::decode::tcp::flags;
use crate::decode::{Packet, TcpOptionKind};
use crate::flow::{ConversationIntro, Direction, Observation, PacketProto, Proto, Side};
use crate::text::escape_bytes;
use crate::time::{format_absolute, format_secs};

/// Column widths, shared by the header and the rows.
const NUM_W: usize = 5;
const STREAM_W: usize = 7;
const FLAGS_W: usize = 11;
const STATE_W: usize = 12;

/// Writes timeline lines; keeps the previous timestamp for `--time delta`.
pub struct TimelineWriter {
    theme: Theme,
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
            theme: if cfg.color {
                Theme::colored()
            } else {
                Theme::plain()
            },
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
        let time = match self.time {
            TimeMode::Relative => "time",
            TimeMode::Absolute => "time (local)",
            TimeMode::Delta => "delta",
        };
        let line = format!(
            "{:>NUM_W$}  {:<tw$}  {:<STREAM_W$} {:<3}  {:<FLAGS_W$} {:>7} {:>7} {:>5} {:>7}  {:<STATE_W$} {:<STATE_W$} what happens",
            "#",
            time,
            "stream",
            "dir",
            "flags",
            "seq",
            "ack",
            "len",
            "win",
            "client",
            "server",
            tw = self.time_width(),
        );
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
        let proto = intro.proto.as_str().to_uppercase();
        let tail = match intro.proto {
            Proto::Tcp => intro.basis.explain().to_string(),
            Proto::Udp => "UDP has no handshake and no close: each datagram stands alone".into(),
        };
        let text = format!(
            "── {proto} stream {}: client {} → server {} · {tail}",
            intro.stream,
            self.theme.paint(Role::Client, &intro.client.to_string()),
            self.theme.paint(Role::Server, &intro.server.to_string()),
        );
        writeln!(out, "{}", self.theme.paint(Role::Heading, &text))
    }

    /// One packet: its line and its detail lines.
    pub fn write_packet(
        &mut self,
        out: &mut dyn Write,
        frame: &Frame,
        packet: &Packet,
        obs: &Observation,
    ) -> io::Result<()> {
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
        let num = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_else(|| "-".into());
        let (seq, ack, win) = match &obs.tcp {
            Some(seg) => (
                seg.seq.to_string(),
                num(seg.ack.map(u64::from)),
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
        let mut event = t.paint(event_role, &obs.event);
        let tags: Vec<&str> = obs
            .findings
            .iter()
            .map(|f| f.label())
            .filter(|label| !obs.event.contains(label))
            .collect();
        if !tags.is_empty() {
            event.push_str(&t.paint(Role::Warn, &format!("  [{}]", tags.join(", "))));
        }
        writeln!(
            out,
            "{:>NUM_W$}  {:<tw$}  {:<STREAM_W$} {}  {} {:>7} {:>7} {:>5} {:>7}  {} {} {}",
            obs.frame,
            time,
            stream,
            t.paint(dir_role, &format!("{dir:<3}")),
            t.paint(flag_role, &format!("{flag_text:<FLAGS_W$}")),
            seq,
            ack,
            len,
            win,
            t.paint(Role::State, &format!("{client_state:<STATE_W$}")),
            t.paint(Role::State, &format!("{server_state:<STATE_W$}")),
            event,
            tw = self.time_width(),
        )?;
        self.write_details(out, frame, packet, obs)
    }

    fn write_details(
        &self,
        out: &mut dyn Write,
        frame: &Frame,
        packet: &Packet,
        obs: &Observation,
    ) -> io::Result<()> {
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
                    opts.push("… (the rest cut by the snaplen)".into());
                }
                if !opts.is_empty() {
                    writeln!(
                        out,
                        "{indent}{}",
                        t.paint(Role::Dim, &format!("options: {}", opts.join(", ")))
                    )?;
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
            writeln!(
                out,
                "{indent}{}",
                t.paint(
                    Role::Warn,
                    &format!(
                        "truncated by the capture's snaplen: {} of {} bytes kept",
                        frame.data.len(),
                        frame.orig_len
                    )
                )
            )?;
        } else if let Some(stop) = &packet.stop
            && obs.proto != PacketProto::Other
        {
            writeln!(
                out,
                "{indent}{}",
                t.paint(Role::Warn, &format!("note: {stop}"))
            )?;
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
        let time = if self.first_ts.is_some() {
            let first = self.first_ts.unwrap_or(ts);
            format_secs(ts.nanos_since(first), self.precision.digits())
        } else {
            String::new()
        };
        let who = format!("{}:", side.as_str());
        let role = match side {
            Side::Client => Role::Client,
            Side::Server => Role::Server,
        };
        writeln!(
            out,
            "{:>NUM_W$}  {:<tw$}  {} {}",
            "app",
            time,
            self.theme.paint(role, &format!("{who:<7}")),
            self.theme.paint(Role::App, text),
            tw = self.time_width(),
        )
    }
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
