//! What the cells of a packet's row say: flags, the colour of flags, the state changes, the
//! findings' tags.

use crate::analysis::{Phase, TcpState};
use crate::decode::DecodeStop;
use crate::decode::tcp::flags;
use crate::flow::{Observation, Side};
use crate::render::theme::Role;
use crate::render::words::Words;

/// The part of the first explanation line that is the event, and the part that is the
/// findings' tags (painted apart).
pub(super) fn split_tags<'a>(first: &'a str, tags: &str, whole: bool) -> (&'a str, &'a str) {
    let tags = tags.trim_start();
    if !tags.is_empty()
        && let Some(at) = first.rfind(tags)
        && (whole || at + tags.len() == first.len())
    {
        let head = first[..at].trim_end_matches(' ');
        return (head, &first[head.len()..]);
    }
    (first, "")
}

/// Decoding notes can quote bytes of the packet: escape them for the terminal.
pub(super) fn stop_text(words: &dyn Words, stop: &DecodeStop) -> String {
    crate::text::escape_str(&words.decode_stop(stop)).into_owned()
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

/// The colour of a packet's explanation.
pub(super) fn event_role(phase: Phase) -> Role {
    match phase {
        Phase::Handshake => Role::Handshake,
        Phase::Close => Role::Close,
        Phase::Reset => Role::Alert,
        _ => Role::Data,
    }
}

pub(super) fn flag_role(bits: u16, phase: Phase) -> Role {
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

/// The sides whose state this packet changed (the first packet of a conversation shows
/// unknown states too), client first.
pub(super) fn changed_states(obs: &Observation) -> Vec<(Side, TcpState)> {
    let mut changes: Vec<(Side, TcpState)> = obs.changes.iter().map(|c| (c.side, c.to)).collect();
    if obs.intro.is_some()
        && let Some((c, s)) = obs.states
    {
        for (side, state) in [(Side::Client, c), (Side::Server, s)] {
            if state == Some(TcpState::Unknown) && !changes.iter().any(|(s, _)| *s == side) {
                changes.push((side, TcpState::Unknown));
            }
        }
        changes.sort_by_key(|(side, _)| *side == Side::Server);
    }
    changes
}

/// The new state of the client and of the server, for each whose state this packet changed
/// (the last change of a side counts), as [`changed_states`] lists them.
pub(super) fn state_pair(obs: &Observation) -> (Option<TcpState>, Option<TcpState>) {
    let (mut client, mut server) = (None, None);
    for change in &obs.changes {
        match change.side {
            Side::Client => client = Some(change.to),
            Side::Server => server = Some(change.to),
        }
    }
    if obs.intro.is_some()
        && let Some((c, s)) = obs.states
    {
        if client.is_none() && c == Some(TcpState::Unknown) {
            client = c;
        }
        if server.is_none() && s == Some(TcpState::Unknown) {
            server = s;
        }
    }
    (client, server)
}

/// State cells: the new state for each side whose state changed, blank otherwise.
pub(super) fn state_cells(obs: &Observation) -> (String, String) {
    let (client, server) = state_pair(obs);
    let name = |state: Option<TcpState>| state.map_or_else(String::new, |s| s.as_str().into());
    (name(client), name(server))
}

/// The flags cell's text, as [`flags_short`] says it: the common sets are constants, the
/// others are written in `scratch`.
pub(super) fn flags_text(bits: u16, scratch: &mut String) -> &str {
    use flags::{ACK, FIN, PSH, RST, SYN};
    match bits {
        ACK => "ACK",
        b if b == PSH | ACK => "PSH,ACK",
        SYN => "SYN",
        b if b == SYN | ACK => "SYN,ACK",
        b if b == FIN | ACK => "FIN,ACK",
        b if b == FIN | PSH | ACK => "FIN,PSH,ACK",
        RST => "RST",
        b if b == RST | ACK => "RST,ACK",
        0 => "none",
        _ => {
            scratch.clear();
            for (bit, name) in flags::NAMES {
                if bits & bit != 0 {
                    if !scratch.is_empty() {
                        scratch.push(',');
                    }
                    scratch.push_str(name);
                }
            }
            scratch
        }
    }
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

    #[test]
    fn flags_text_says_what_flags_short_says() {
        let mut scratch = String::new();
        for bits in 0..1u16 << 9 {
            assert_eq!(
                flags_text(bits, &mut scratch),
                flags_short(bits),
                "{bits:#x}"
            );
        }
    }

    #[test]
    fn tags_are_told_apart_from_the_event() {
        assert_eq!(
            split_tags("data: x  [zero window]", "  [zero window]", true),
            ("data: x", "  [zero window]")
        );
        assert_eq!(split_tags("data: x", "", true), ("data: x", ""));
    }
}
