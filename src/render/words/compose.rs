//! Sentences composed from typed facts and one language's words: the event of a packet (with
//! what it acknowledges), its options, its protocol, a socket call.

use std::net::IpAddr;

use super::FindingCount;
use super::Words;
use crate::decode::{Packet, TcpOptionKind, Transport};
use crate::demo::{AppEvent, Payload, Phase as CallPhase};
use crate::flow::event::Event;
use crate::flow::{AnalysisSummary, Endpoint, Observation, Side};
use crate::time::Nanos;

/// A socket call as a timeline line: `connect() to …` when called, `connect() → …` when it
/// returned.
pub fn app_line(words: &dyn Words, call: &AppEvent) -> String {
    let detail = words.app_detail(&call.detail);
    match call.phase {
        CallPhase::Before => format!("{}() {detail}", call.call.name()),
        CallPhase::After => format!("{}() → {detail}", call.call.name()),
    }
}

/// The errno name of an OS error number, for the errors demos meet.
pub fn errno_name(errno: i32) -> Option<&'static str> {
    Some(match errno {
        1 => "EPERM",
        13 => "EACCES",
        32 => "EPIPE",
        90 => "EMSGSIZE",
        98 => "EADDRINUSE",
        101 => "ENETUNREACH",
        103 => "ECONNABORTED",
        104 => "ECONNRESET",
        110 => "ETIMEDOUT",
        111 => "ECONNREFUSED",
        113 => "EHOSTUNREACH",
        _ => return None,
    })
}

/// A payload preview: `5 bytes "hello"` style, escaped, `…` when longer than the preview.
pub(crate) fn payload_text(data: &Payload, unit: &str) -> String {
    let more = if data.len > data.preview.len() {
        "…"
    } else {
        ""
    };
    format!(
        "{} {unit} \"{}\"{more}",
        data.len,
        crate::text::escape_bytes(&data.preview)
    )
}

/// The sentence for what a packet does.
pub fn event_text(words: &dyn Words, obs: &Observation, packet: &Packet) -> String {
    let mut text = String::new();
    push_event_text(&mut text, words, obs, packet);
    text
}

/// Appends [`event_text`]'s sentence to `out`.
pub fn push_event_text(out: &mut String, words: &dyn Words, obs: &Observation, packet: &Packet) {
    let sender = obs.dir.map_or(Side::Client, |d| d.sender());
    match &obs.event {
        Event::Tcp(e) => {
            words.tcp_event(out, e, sender);
            if let Some(expert) = obs.tcp.as_ref().map(|t| &t.expert)
                && let Some(frame) = expert.acks_frame
            {
                words.acks(out, frame, expert.ack_rtt_nanos.map(Nanos));
            }
        }
        Event::Udp(e) => words.udp_event(out, e, sender),
        Event::Icmp(_) => {
            let Some(Transport::Icmp(icmp)) = &packet.transport else {
                return;
            };
            let text = words.icmp(icmp);
            match (obs.related, &icmp.quoted) {
                (Some((proto, stream)), Some(q)) => match Endpoint::quoted(q) {
                    Some(ends) => out.push_str(&words.icmp_answers(&text, proto, stream, ends)),
                    None => out.push_str(&text),
                },
                _ => out.push_str(&text),
            }
        }
        Event::Arp(op) => {
            if let Some(crate::decode::Net::Arp(arp)) = &packet.net {
                out.push_str(&words.arp(*op, arp));
            }
        }
        Event::IpFragment { .. } => {
            if let Some(ip) = packet.ip() {
                out.push_str(&words.fragment(ip, &ip_protocol_name(ip.protocol)));
            }
        }
        Event::Other => {
            let label = protocol_label(words, packet);
            let stop = match (&packet.net, &packet.stop) {
                (None, Some(stop)) => Some(words.decode_stop(stop)),
                _ => None,
            };
            out.push_str(&words.other(&label, stop.as_deref()));
        }
    }
}

/// The options of a TCP segment in words, appended to `out` and separated by commas, NOPs and
/// the end of the list left out; SACK blocks relative to the peer's base as the observation
/// gives them.
pub fn push_tcp_options(out: &mut String, words: &dyn Words, obs: &Observation, packet: &Packet) {
    let Some(tcp) = packet.tcp() else {
        return;
    };
    let relative = obs.tcp.as_ref().map_or(&[][..], |t| &t.sack[..]);
    let mut sack_at = 0;
    let shown = tcp
        .options
        .iter()
        .filter(|o| !matches!(o.kind, TcpOptionKind::Nop | TcpOptionKind::EndOfList));
    for (i, o) in shown.enumerate() {
        let blocks = match &o.kind {
            TcpOptionKind::Sack(raw) => {
                let end = (sack_at + raw.len()).min(relative.len());
                let mine = relative.get(sack_at..end).unwrap_or(&[]);
                sack_at = end;
                if mine.len() == raw.len() {
                    mine
                } else {
                    &raw[..]
                }
            }
            _ => &[],
        };
        if i > 0 {
            out.push_str(", ");
        }
        words.tcp_option(out, &o.kind, blocks);
    }
}

/// Name of an IP protocol number ("GRE", "ESP", "protocol 253").
pub fn ip_protocol_name(protocol: u8) -> String {
    crate::decode::ip_protocol_keyword(protocol)
        .map(str::to_string)
        .unwrap_or_else(|| format!("protocol {protocol}"))
}

/// A short label of the highest decoded protocol ("TCP", "ARP", "IPv6 GRE", "EtherType 0x88cc
/// (LLDP)").
pub fn protocol_label(words: &dyn Words, packet: &Packet) -> String {
    use crate::decode::Net;
    match (&packet.transport, &packet.net) {
        (Some(Transport::Tcp(_)), _) => "TCP".into(),
        (Some(Transport::Udp(_)), _) => "UDP".into(),
        (Some(Transport::Icmp(i)), _) => if i.v6 { "ICMPv6" } else { "ICMP" }.into(),
        (None, Some(Net::Arp(_))) => "ARP".into(),
        (None, Some(Net::Ip(ip))) => {
            format!("IPv{} {}", ip.version, ip_protocol_name(ip.protocol))
        }
        (None, None) => words.link_payload(&packet.link),
    }
}

/// "EtherType 0x88cc (LLDP)": an EtherType and its protocol's name, when known.
pub fn ethertype_label(ethertype: u16) -> String {
    match crate::wire::ethernet::ethertype_name(ethertype) {
        Some(name) => format!("EtherType 0x{ethertype:04x} ({name})"),
        None => format!("EtherType 0x{ethertype:04x}"),
    }
}

/// An ARP address or `?`.
pub(crate) fn arp_ip(addr: &Option<IpAddr>) -> String {
    addr.map(|a| a.to_string()).unwrap_or_else(|| "?".into())
}

/// A conversation's findings in one cell: `3 retransmitted (1 fast) · 2 dup ACKs`, or `-`.
pub fn findings_summary(words: &dyn Words, a: &AnalysisSummary) -> String {
    let mut parts = Vec::new();
    if a.retransmissions > 0 {
        let mut part = words.finding_count(FindingCount::Retransmitted, a.retransmissions);
        let kinds: Vec<String> = [
            (FindingCount::Fast, a.fast_retransmissions),
            (FindingCount::Spurious, a.spurious_retransmissions),
        ]
        .into_iter()
        .filter(|&(_, n)| n > 0)
        .map(|(kind, n)| words.finding_count(kind, n))
        .collect();
        if !kinds.is_empty() {
            part.push_str(&words.retransmission_kinds(&kinds));
        }
        parts.push(part);
    }
    for (kind, n) in [
        (FindingCount::OutOfOrder, a.out_of_order),
        (FindingCount::DuplicateAcks, a.duplicate_acks),
        (FindingCount::NotCaptured, a.lost_segments),
        (FindingCount::ZeroWindows, a.zero_windows),
    ] {
        if n > 0 {
            parts.push(words.finding_count(kind, n));
        }
    }
    if parts.is_empty() {
        "-".into()
    } else {
        parts.join(" · ")
    }
}
