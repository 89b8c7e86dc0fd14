//! The encapsulation byte map: for a captured frame, which bytes are which header field of
//! which layer, with values, meanings, Wireshark field names, and checksum verdicts.
//!
//! Layer boundaries come from [`decode`](crate::decode)'s [`LayerSpan`](crate::decode::LayerSpan)s; field positions come
//! from the tables in [`spec`]; `build` places a table at a layer's offset. The text view
//! ([`crate::render::bytes`]) and the JSON record ([`json`]) both read a [`FrameMap`].

mod build;
pub mod checksum;
mod explain;
pub mod json;
mod layers;
pub mod spec;

use crate::capture::{Frame, LinkType};
use crate::decode::Packet;
use crate::render::words::EN;
use crate::text::escape_bytes;

pub use checksum::{ChecksumCheck, Verdict};

/// Facts from outside the frame that change how a field reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MapContext {
    /// The sender's window-scale shift when the conversation's handshake announced it;
    /// `None` when unknown.
    pub window_scale: Option<u8>,
}

/// A layer of the TCP/IP (RFC 1122) model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelLayer {
    /// Link layer (OSI 2; capture pseudo-headers too).
    Link,
    /// Network / internet layer (OSI 3).
    Network,
    /// Transport layer (OSI 4).
    Transport,
    /// Application layer (OSI 5-7).
    Application,
}

impl ModelLayer {
    /// "link", "network", "transport" or "application".
    pub fn name(self) -> &'static str {
        match self {
            ModelLayer::Link => "link",
            ModelLayer::Network => "network",
            ModelLayer::Transport => "transport",
            ModelLayer::Application => "application",
        }
    }

    /// The OSI layers it corresponds to ("OSI 2", "OSI 5-7").
    pub fn osi_label(self) -> &'static str {
        match self {
            ModelLayer::Link => "OSI 2",
            ModelLayer::Network => "OSI 3",
            ModelLayer::Transport => "OSI 4",
            ModelLayer::Application => "OSI 5-7",
        }
    }
}

/// One field of a header: where it is, its bytes, and what they say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapField {
    /// Plain-words name ("time to live").
    pub name: String,
    /// Wireshark display-filter name, when Wireshark has one for these bytes.
    pub wireshark: Option<&'static str>,
    /// Absolute offset of the first byte in the frame.
    pub offset: usize,
    /// Captured bytes of the field (less than `wire_len` when cut).
    pub len: usize,
    /// Length of the field on the wire.
    pub wire_len: usize,
    /// For bit fields: the bit pattern over the field's bytes (`0100 ....`).
    pub bits: Option<String>,
    /// The decoded value (or a note that the capture cut the field).
    pub value: String,
    /// What the value means, when there is more to say.
    pub meaning: Option<String>,
    /// Sub-fields: bit fields, or the parts of an option.
    pub fields: Vec<MapField>,
}

impl MapField {
    /// True when the capture kept only part of the field.
    pub fn is_cut(&self) -> bool {
        self.len < self.wire_len
    }
}

/// One layer of the frame and its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapLayer {
    /// Display name ("Ethernet II", "IPv4", "UDP (quoted)").
    pub name: String,
    /// Short name for the hex dump's layer column ("eth", "ip", "tcp").
    pub tag: String,
    /// TCP/IP model layer.
    pub model: ModelLayer,
    /// OSI layer number, `None` for capture pseudo-headers, ARP and application data.
    pub osi: Option<u8>,
    /// Absolute offset of the first byte.
    pub offset: usize,
    /// Captured length in bytes.
    pub len: usize,
    /// Part of a packet quoted inside an ICMP error message.
    pub quoted: bool,
    /// A remark about the layer as a whole.
    pub note: Option<String>,
    /// The fields in wire order.
    pub fields: Vec<MapField>,
}

impl MapLayer {
    /// Where the layer sits in the OSI model: "OSI 3", "OSI 5-7", "between OSI 2 and 3" (ARP),
    /// or "capture pseudo-header" (SLL, SLL2, loopback).
    pub fn osi_label(&self) -> String {
        match (self.osi, self.model) {
            (Some(n), _) => format!("OSI {n}"),
            (None, ModelLayer::Application) => "OSI 5-7".into(),
            (None, _) if self.tag == "arp" => "between OSI 2 and 3".into(),
            (None, _) => "capture pseudo-header".into(),
        }
    }
}

/// The whole byte map of one frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameMap {
    /// 1-based frame number.
    pub index: u64,
    /// Link type of the frame.
    pub linktype: LinkType,
    /// Length on the wire.
    pub wire_len: usize,
    /// The captured bytes.
    pub data: Vec<u8>,
    /// The layers in wire order (quoted layers follow the ICMP header that quotes them).
    pub layers: Vec<MapLayer>,
    /// Checksum verdicts, outermost first.
    pub checksums: Vec<ChecksumCheck>,
    /// Why decoding stopped early, if it did.
    pub stop: Option<String>,
}

impl FrameMap {
    /// Number of captured bytes.
    pub fn captured(&self) -> usize {
        self.data.len()
    }

    /// The nesting of the layers with their sizes:
    /// `[Ethernet 14 B [IPv4 20 B [TCP 32 B [payload 5 B "hello"]]]] = 71 bytes`.
    pub fn envelope(&self) -> String {
        let mut out = String::new();
        let mut open = 0usize;
        let mut trailers = Vec::new();
        for layer in &self.layers {
            if layer.tag == "pad" {
                trailers.push(format!("{} {} B", layer.name, layer.len));
                continue;
            }
            if open > 0 {
                out.push(' ');
            }
            out.push('[');
            out.push_str(&layer.name);
            out.push_str(&format!(" {} B", layer.len));
            if layer.model == ModelLayer::Application {
                out.push_str(&format!(" \"{}\"", preview(&self.data, layer)));
            }
            open += 1;
        }
        let link_first = self
            .layers
            .first()
            .is_some_and(|l| l.model == ModelLayer::Link);
        if link_first && open > 0 {
            out.push_str(&"]".repeat(open - 1));
            for t in &trailers {
                out.push_str(&format!(" + {t}"));
            }
            out.push(']');
        } else {
            out.push_str(&"]".repeat(open));
            for t in &trailers {
                out.push_str(&format!(" + {t}"));
            }
        }
        let captured = self.captured();
        if captured < self.wire_len {
            out.push_str(&format!(
                " = {captured} bytes captured of {} on the wire",
                self.wire_len
            ));
        } else {
            out.push_str(&format!(" = {captured} bytes"));
        }
        out
    }

    /// Which model layer each layer is: `Ethernet: link (OSI 2) · IPv4: network (OSI 3) · ...`.
    pub fn model_line(&self) -> String {
        let parts: Vec<String> = self
            .layers
            .iter()
            .map(|l| format!("{}: {} ({})", l.name, l.model.name(), l.osi_label()))
            .collect();
        parts.join(" · ")
    }
}

/// An escaped preview of a layer's bytes, at most 24 bytes.
fn preview(data: &[u8], layer: &MapLayer) -> String {
    let end = (layer.offset + layer.len).min(data.len());
    let start = layer.offset.min(end);
    let bytes = &data[start..end];
    let shown = &bytes[..bytes.len().min(24)];
    let mut text = escape_bytes(shown);
    if bytes.len() > shown.len() {
        text.push('…');
    }
    text
}

/// Maps every byte of a frame to its layer and field.
pub fn map_frame(frame: &Frame, packet: &Packet, ctx: &MapContext) -> FrameMap {
    let data = &frame.data;
    let mut layers = layers::map_layers(frame, packet, ctx);
    let checksums = checksum::verify(frame, packet);
    for check in &checksums {
        let field = layers
            .iter_mut()
            .filter(|l| !l.quoted)
            .flat_map(|l| l.fields.iter_mut())
            .find(|f| f.offset == check.offset && f.wireshark == Some(check.wireshark));
        if let Some(field) = field {
            field.meaning = Some(check.short());
        }
    }
    FrameMap {
        index: frame.index,
        linktype: frame.linktype,
        wire_len: (frame.orig_len as usize).max(data.len()),
        data: data.clone(),
        layers,
        checksums,
        stop: packet.stop.map(|s| EN.decode_stop(&s)),
    }
}
