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

/// State cells: the new state for each side whose state changed, blank otherwise.
pub(super) fn state_cells(obs: &Observation) -> (String, String) {
    let mut client = String::new();
    let mut server = String::new();
    for (side, state) in changed_states(obs) {
        match side {
            Side::Client => client = state.as_str().to_string(),
            Side::Server => server = state.as_str().to_string(),
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

    #[test]
    fn tags_are_told_apart_from_the_event() {
        assert_eq!(
            split_tags("data: x  [zero window]", "  [zero window]", true),
            ("data: x", "  [zero window]")
        );
        assert_eq!(split_tags("data: x", "", true), ("data: x", ""));
    }
}
