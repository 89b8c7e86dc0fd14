//! The byte map as text: title, envelope, one field table per layer, checksum verdicts, and a
//! hex dump where every byte carries its layer's colour (and, without colour, a layer column
//! and `|` marks where a layer starts). Words come from [`ByteWords`] in the chosen language;
//! with a width, every line fits in it (CJK characters count two columns).

mod hex;
mod table;
mod view;

use std::io::{self, Write};
use std::net::{Ipv4Addr, Ipv6Addr};

use super::theme::{Role, Theme};
use super::words::Lang;
use super::words::bytes::{ByteWords, Label, Osi};
use crate::bytemap::{
    ExtHeader, FrameMap, LayerId, MapField, MapLayer, ModelLayer, Value, Verdict,
};
use crate::text::{Mac, display_width, escape_bytes, push_padded};
use view::View;

/// Writes the text view of a frame's byte map in `lang`, fitted to `width` columns when given.
pub fn write_frame_map(
    out: &mut dyn Write,
    map: &FrameMap,
    theme: &Theme,
    lang: Lang,
    width: Option<u16>,
) -> io::Result<()> {
    let view = View {
        words: lang.byte_words(),
        theme,
        width: width.map(usize::from),
    };
    let words = view.words;
    let title = words.title(
        map.index,
        map.captured(),
        map.wire_len,
        &map.linktype.to_string(),
    );
    view.lines(out, Some(Role::Heading), "", &title, 2)?;
    for line in view.joined(&envelope_parts(map, words), " ", 2) {
        writeln!(out, "{line}")?;
    }
    for line in view.joined(&model_parts(map, words), " · ", 2) {
        writeln!(out, "{}", theme.paint(Role::Dim, &line))?;
    }
    if let Some(stop) = &map.stop {
        view.lines(out, Some(Role::Warn), "", &words.stopped(stop), 2)?;
    }
    let plan = table::Plan::of(map, &view);
    for layer in &map.layers {
        writeln!(out)?;
        plan.write_layer(out, map, layer, &view)?;
    }
    if !map.checksums.is_empty() {
        writeln!(out)?;
        write_checksums(out, map, &view)?;
    }
    writeln!(out)?;
    hex::write_hex_dump(out, map, &view)
}

/// A layer's display name ("IPv4", "TCP (quoted)").
pub fn layer_name(layer: &MapLayer, words: &dyn ByteWords) -> String {
    let name = words.layer(layer.id);
    if layer.quoted && layer.id != LayerId::QuotedData {
        words.quoted(name)
    } else {
        name.to_string()
    }
}

/// Where a layer sits in the OSI model.
pub fn osi_of(layer: &MapLayer) -> Osi {
    match (layer.osi, layer.model, layer.id) {
        (Some(n), ..) => Osi::Layer(n),
        (None, ModelLayer::Application, _) => Osi::Upper,
        (None, _, LayerId::Arp) => Osi::Between2And3,
        (None, _, LayerId::Tunnel(_)) => Osi::Tunnel,
        (None, ..) => Osi::PseudoHeader,
    }
}

/// The short name of a layer in the hex dump's layer column ("eth", "ip", "q-tcp").
pub fn tag(layer: &MapLayer) -> String {
    let tag = match layer.id {
        LayerId::Ethernet => "eth",
        LayerId::Vlan8021q | LayerId::Vlan8021ad => "vlan",
        LayerId::Macsec => "macsec",
        LayerId::Sll => "sll",
        LayerId::Sll2 => "sll2",
        LayerId::NullLoopback | LayerId::OpenbsdLoopback => "null",
        LayerId::Arp => "arp",
        LayerId::Ipv4 => "ip",
        LayerId::Ipv6 => "ip6",
        LayerId::Ipv6Ext(ext) => match ext {
            ExtHeader::HopByHop => "hop",
            ExtHeader::Routing => "rt",
            ExtHeader::Fragment => "frag",
            ExtHeader::DestOptions => "dst",
            ExtHeader::Auth => "ah",
            ExtHeader::Other(_) => "ext",
        },
        LayerId::Ipv6Extensions => "ext",
        LayerId::Tcp => "tcp",
        LayerId::Udp => "udp",
        LayerId::Icmp => "icmp",
        LayerId::Icmpv6 => "icmp6",
        LayerId::Payload | LayerId::Undecoded | LayerId::QuotedData => "data",
        LayerId::Padding | LayerId::Trailer => "pad",
        LayerId::LinkHeader(_) => "link",
        LayerId::Tunnel(_) => "tunnel",
    };
    if layer.quoted {
        format!("q-{tag}")
    } else {
        tag.to_string()
    }
}

/// The colour role of a layer's bytes.
pub fn layer_role(layer: &MapLayer) -> Role {
    if layer.is_trailer() {
        return Role::LayerTrailer;
    }
    match layer.model {
        ModelLayer::Link => Role::LayerLink,
        ModelLayer::Network => Role::LayerNet,
        ModelLayer::Transport => Role::LayerTransport,
        ModelLayer::Application => Role::LayerApp,
    }
}

/// The nesting of the layers with their sizes:
/// `[Ethernet II 14 B [IPv4 20 B [TCP 32 B [payload 5 B "hello"]]]] = 71 bytes`.
pub fn envelope(map: &FrameMap, words: &dyn ByteWords) -> String {
    envelope_parts(map, words).join(" ")
}

/// The envelope in the pieces a line may break between: one per layer, then the total.
fn envelope_parts(map: &FrameMap, words: &dyn ByteWords) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    let mut trailers = Vec::new();
    for layer in &map.layers {
        let name = layer_name(layer, words);
        if layer.is_trailer() {
            trailers.push(format!("+ {name} {}", words.size(layer.len)));
            continue;
        }
        let mut part = format!("[{name} {}", words.size(layer.len));
        if layer.model == ModelLayer::Application {
            part.push_str(&format!(" \"{}\"", preview(layer.bytes(&map.data), 24)));
        }
        parts.push(part);
    }
    let open = parts.len();
    let link_first = map
        .layers
        .first()
        .is_some_and(|l| l.model == ModelLayer::Link);
    // The link layer's bracket closes after the trailers that belong to its frame.
    let inner = if link_first {
        open.saturating_sub(1)
    } else {
        open
    };
    if let Some(last) = parts.last_mut() {
        last.push_str(&"]".repeat(inner));
    }
    parts.extend(trailers);
    if let Some(last) = parts.last_mut() {
        last.push_str(&"]".repeat(open - inner));
    }
    parts.push(format!("= {}", words.total(map.captured(), map.wire_len)));
    parts
}

/// Which model layer each layer is: `Ethernet II: link (OSI 2)`, ...
fn model_parts(map: &FrameMap, words: &dyn ByteWords) -> Vec<String> {
    map.layers
        .iter()
        .map(|l| {
            let name = layer_name(l, words);
            words.model_part(&name, words.model(l.model), &words.osi(osi_of(l)))
        })
        .collect()
}

/// The model line as one string: `Ethernet II: link (OSI 2) · IPv4: network (OSI 3) · ...`.
pub fn model_line(map: &FrameMap, words: &dyn ByteWords) -> String {
    model_parts(map, words).join(" · ")
}

/// Escaped text of at most `max` bytes, with an ellipsis when there are more.
fn preview(bytes: &[u8], max: usize) -> String {
    let shown = &bytes[..bytes.len().min(max)];
    let mut text = escape_bytes(shown);
    if bytes.len() > shown.len() {
        text.push('…');
    }
    text
}

/// Lower-case hex of bytes, no separators.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A field's value alone ("64", "0x0800", "127.0.0.1", "\"hello\"").
pub fn value_string(f: &MapField, data: &[u8], words: &dyn ByteWords) -> String {
    let bytes = f.bytes(data);
    match f.value {
        Value::Dec(n) => n.to_string(),
        Value::Hex { value, digits } => format!("0x{value:0w$x}", w = usize::from(digits)),
        Value::Mac => Mac(bytes).to_string(),
        Value::Ipv4 => <[u8; 4]>::try_from(bytes)
            .map(|a| Ipv4Addr::from(a).to_string())
            .unwrap_or_else(|_| hex(bytes)),
        Value::Ipv6 => <[u8; 16]>::try_from(bytes)
            .map(|a| Ipv6Addr::from(a).to_string())
            .unwrap_or_else(|_| hex(bytes)),
        Value::Bytes if bytes.len() > 16 => format!("{}…", hex(&bytes[..16])),
        Value::Bytes => hex(bytes),
        Value::Text => {
            let shown = &bytes[..bytes.len().min(32)];
            let more = if bytes.len() > shown.len() { "…" } else { "" };
            format!("\"{}\"{more}", escape_bytes(shown))
        }
        Value::Cut(by) => words.cut(by, f.len, f.wire_len),
    }
}

/// A field's value with its bit pattern and meaning: `0100 .... = 4 = IPv4`.
pub fn value_text(f: &MapField, data: &[u8], words: &dyn ByteWords) -> String {
    let value = value_string(f, data, words);
    let with_bits = |text: &str| match &f.bits {
        Some(bits) => format!("{bits} = {text}"),
        None => text.to_string(),
    };
    match &f.meaning {
        None => with_bits(&value),
        Some(m) => {
            let meaning = words.meaning(m);
            if meaning.starts_with(&format!("{value} ")) {
                with_bits(&meaning)
            } else {
                format!("{} = {meaning}", with_bits(&value))
            }
        }
    }
}

fn write_checksums(out: &mut dyn Write, map: &FrameMap, view: &View<'_>) -> io::Result<()> {
    let (words, theme) = (view.words, view.theme);
    writeln!(
        out,
        "{}",
        theme.paint(Role::Heading, words.label(Label::Checksums))
    )?;
    for c in &map.checksums {
        let role = match c.verdict {
            Verdict::Good => Role::Handshake,
            Verdict::Bad { .. } => Role::Alert,
            Verdict::Offloaded { .. } | Verdict::Absent | Verdict::Unverifiable(_) => Role::Warn,
        };
        let mut head = String::from("  ");
        push_padded(&mut head, words.checksum_kind(c.kind), 12);
        head.push(' ');
        push_padded(&mut head, c.kind.wireshark(), 16);
        head.push(' ');
        head.push_str(words.label(Label::At));
        head.push(' ');
        push_padded(&mut head, &c.offset.to_string(), 4);
        head.push_str(&format!(" 0x{:04x}  ", c.stored));
        let mut verdict = String::new();
        push_padded(&mut verdict, words.verdict(c.verdict), 12);
        let explanation = words.checksum_explanation(c);
        let one_line = display_width(&head) + 12 + 2 + display_width(&explanation);
        if view.width.is_none_or(|w| one_line <= w) {
            writeln!(out, "{head}{}  {explanation}", theme.paint(role, &verdict))?;
            continue;
        }
        writeln!(out, "{head}{}", theme.paint(role, verdict.trim_end()))?;
        for line in view.fill("    ", &explanation, 4, 0) {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}
