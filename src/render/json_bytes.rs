//! The NDJSON record of a byte map. Wire types live here, apart from the byte map's structs,
//! so the output schema stays a stable contract. Values are in English.

use serde::Serialize;

use super::bytes::{envelope, hex, layer_name, value_string};
use super::words::Lang;
use super::words::bytes::ByteWords;
use crate::bytemap::{FrameMap, MapField, MapLayer};

/// `{"type":"bytes", ...}`: one frame's byte map.
#[derive(Debug, Serialize)]
pub struct BytesRecord {
    /// Always "bytes".
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// 1-based frame number.
    pub frame: u64,
    /// Captured length.
    pub captured: usize,
    /// Length on the wire.
    pub wire_len: usize,
    /// The nesting line.
    pub envelope: String,
    /// Layers in wire order.
    pub layers: Vec<LayerRecord>,
    /// Checksum verdicts.
    pub checksums: Vec<ChecksumRecord>,
    /// Why decoding stopped early, if it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stop: Option<String>,
}

/// One layer.
#[derive(Debug, Serialize)]
pub struct LayerRecord {
    /// Display name.
    pub name: String,
    /// OSI layer number, null for pseudo-headers, ARP and application data.
    pub osi: Option<u8>,
    /// "link", "network", "transport" or "application".
    pub tcpip: &'static str,
    /// Absolute offset.
    pub offset: usize,
    /// Captured length.
    pub len: usize,
    /// Part of a packet quoted by an ICMP error.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub quoted: bool,
    /// Remark on the layer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Fields in wire order.
    pub fields: Vec<FieldRecord>,
}

/// One field.
#[derive(Debug, Serialize)]
pub struct FieldRecord {
    /// Plain-words name.
    pub name: &'static str,
    /// Wireshark display-filter name, null when none.
    pub wireshark: Option<&'static str>,
    /// Absolute offset.
    pub offset: usize,
    /// Captured length in bytes.
    pub len: usize,
    /// Length on the wire, when the capture cut the field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wire_len: Option<usize>,
    /// Captured bytes as lower-case hex.
    pub hex: String,
    /// Bit pattern of a bit field (`0100 ....`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bits: Option<String>,
    /// Decoded value.
    pub value: String,
    /// Meaning of the value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meaning: Option<String>,
    /// Sub-fields.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldRecord>,
}

/// One checksum verdict.
#[derive(Debug, Serialize)]
pub struct ChecksumRecord {
    /// What it covers.
    pub layer: &'static str,
    /// Wireshark name of the field.
    pub wireshark: &'static str,
    /// Absolute offset of the field.
    pub offset: usize,
    /// Value in the packet, `0x1234`.
    pub stored: String,
    /// Value it should have, when computed.
    pub computed: Option<String>,
    /// "good", "offloaded", "bad", "absent" or "unverifiable".
    pub verdict: &'static str,
    /// One sentence.
    pub explanation: String,
}

fn field(data: &[u8], f: &MapField, words: &dyn ByteWords) -> FieldRecord {
    FieldRecord {
        name: words.field(f.id),
        wireshark: f.wireshark,
        offset: f.offset,
        len: f.len,
        wire_len: f.is_cut().then_some(f.wire_len),
        hex: hex(f.bytes(data)),
        bits: f.bits.clone(),
        value: value_string(f, data, words),
        meaning: f.meaning.as_ref().map(|m| words.meaning(m)),
        fields: f.fields.iter().map(|s| field(data, s, words)).collect(),
    }
}

fn layer(data: &[u8], l: &MapLayer, words: &dyn ByteWords) -> LayerRecord {
    LayerRecord {
        name: layer_name(l, words),
        osi: l.osi,
        tcpip: words.model(l.model),
        offset: l.offset,
        len: l.len,
        quoted: l.quoted,
        note: l.note.as_ref().map(|n| words.note(n)),
        fields: l.fields.iter().map(|f| field(data, f, words)).collect(),
    }
}

/// The wire record of a byte map, in English.
pub fn record(map: &FrameMap) -> BytesRecord {
    let words = Lang::En.byte_words();
    BytesRecord {
        kind: "bytes",
        frame: map.index,
        captured: map.captured(),
        wire_len: map.wire_len,
        envelope: envelope(map, words),
        layers: map
            .layers
            .iter()
            .map(|l| layer(&map.data, l, words))
            .collect(),
        checksums: map
            .checksums
            .iter()
            .map(|c| ChecksumRecord {
                layer: words.checksum_kind(c.kind),
                wireshark: c.kind.wireshark(),
                offset: c.offset,
                stored: format!("0x{:04x}", c.stored),
                computed: c.computed.map(|v| format!("0x{v:04x}")),
                verdict: c.verdict.code(),
                explanation: words.checksum_explanation(c),
            })
            .collect(),
        stop: map.stop.as_ref().map(|s| Lang::En.words().decode_stop(s)),
    }
}

/// The NDJSON value of a byte map: `{"type":"bytes","frame":N,"envelope":...}`.
pub fn bytes_record(map: &FrameMap) -> serde_json::Value {
    serde_json::to_value(record(map)).unwrap_or(serde_json::Value::Null)
}
