//! What a packet's arrow carries besides its label: the endpoints and side in the ladder's
//! terms, its marks, its detail fields and its byte map.

use super::model::{Detail, MarkKind, Side};
use crate::analysis::Finding;
use crate::flow::{Endpoint, Observation};
use crate::render::Shown;
use crate::render::timeline::flags_short;
use crate::render::words::Lang;

pub(super) fn endpoint(addr: std::net::SocketAddr) -> Endpoint {
    Endpoint {
        ip: addr.ip(),
        port: addr.port(),
    }
}

pub(super) fn side(side: crate::flow::Side) -> Side {
    match side {
        crate::flow::Side::Client => Side::Client,
        crate::flow::Side::Server => Side::Server,
    }
}

pub(super) fn mark_kind(finding: Finding) -> MarkKind {
    match finding {
        Finding::Retransmission => MarkKind::Retransmission,
        Finding::FastRetransmission => MarkKind::FastRetransmission,
        Finding::SpuriousRetransmission => MarkKind::SpuriousRetransmission,
        Finding::OutOfOrder => MarkKind::OutOfOrder,
        Finding::WindowFull => MarkKind::WindowFull,
        Finding::ZeroWindowProbeAck => MarkKind::ZeroWindowProbe,
        Finding::LostSegment => MarkKind::LostSegment,
        Finding::DuplicateAck => MarkKind::DuplicateAck,
        Finding::AckLostSegment => MarkKind::AckLostSegment,
        Finding::ZeroWindow => MarkKind::ZeroWindow,
        Finding::ZeroWindowProbe => MarkKind::ZeroWindowProbe,
        Finding::KeepAlive => MarkKind::KeepAlive,
        Finding::KeepAliveAck => MarkKind::KeepAliveAck,
        Finding::WindowUpdate => MarkKind::WindowUpdate,
        Finding::ReusedPorts => MarkKind::ReusedPorts,
    }
}

/// Every field of a packet for the HTML details panel, named as in JSON.
pub(super) fn details(obs: &Observation) -> Vec<Detail> {
    let mut d = Vec::new();
    let mut push = |key: &str, value: String| {
        d.push(Detail {
            key: key.into(),
            value,
        })
    };
    push("frame", obs.frame.to_string());
    push("ts", format!("{}.{:09}", obs.ts.secs, obs.ts.nanos));
    if let (Some(src), Some(dst)) = (obs.src, obs.dst) {
        push("src", src.to_string());
        push("dst", dst.to_string());
    }
    if let (Some(sport), Some(dport)) = (obs.sport, obs.dport) {
        push("ports", format!("{sport} → {dport}"));
    }
    if let Some(t) = &obs.tcp {
        push("flags", flags_short(t.flags));
        push("seq", format!("{} (raw {})", t.seq, t.seq_raw));
        if let Some(ack) = t.ack {
            push("ack", format!("{ack} (raw {})", t.ack_raw));
        }
        push("len", t.len.to_string());
        let win = match t.window_bytes {
            Some(b) => format!("{} ({b} bytes)", t.window),
            None => t.window.to_string(),
        };
        push("win", win);
    } else if let Some(len) = obs.len {
        push("len", len.to_string());
    }
    push("event_kind", obs.event.code().to_string());
    if !obs.findings.is_empty() {
        let names: Vec<&str> = obs.findings.iter().map(|f| f.wireshark_name()).collect();
        push("analysis", names.join(", "));
    }
    for c in &obs.changes {
        let from = c.from.map_or("-", |s| s.as_str());
        push(c.side.as_str(), format!("{from} → {}", c.to));
    }
    d
}

/// The byte map of a packet as plain text.
pub(super) fn byte_map(shown: &Shown<'_>, lang: Lang) -> String {
    let ctx = crate::bytemap::MapContext {
        window_scale: shown.obs.tcp.as_ref().and_then(|t| t.window_shift),
    };
    let map = crate::bytemap::map_frame(shown.frame, shown.packet, &ctx);
    let mut out = Vec::new();
    let theme = crate::render::Theme::plain();
    let _ = crate::render::bytes::write_frame_map(&mut out, &map, &theme, lang, None);
    String::from_utf8_lossy(&out).into_owned()
}
