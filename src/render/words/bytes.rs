//! The words of the byte map, per language: field and layer names, what values mean, notes,
//! checksum verdicts and headings. Each language implements [`ByteWords`] with exhaustive
//! matches over the byte map's enums.

use crate::bytemap::{
    ChecksumCheck, ChecksumKind, CutBy, LayerId, LayerNote, Meaning, ModelLayer, Verdict,
};
use crate::decode::DecodeStop;
use crate::wire::FieldId;

use super::{Chinese, English, Lang};

/// Where a layer sits in the OSI model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Osi {
    /// One OSI layer (2, 3, 4).
    Layer(u8),
    /// OSI 5-7: application data.
    Upper,
    /// Between OSI 2 and 3 (ARP).
    Between2And3,
    /// A tunnel or label header inside the network layer.
    Tunnel,
    /// A capture pseudo-header (SLL, loopback): no wire carries it.
    PseudoHeader,
}

/// Headings and fixed labels of the byte map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    /// Offset column.
    Offset,
    /// Length column.
    Len,
    /// Hex column.
    Hex,
    /// Field name column.
    Field,
    /// Wireshark name column.
    Wireshark,
    /// Value column.
    Value,
    /// Title of the checksum verdicts.
    Checksums,
    /// Title of the hex dump.
    HexDump,
    /// Start of the legend line.
    Legend,
    /// Before a checksum's offset ("at 24").
    At,
}

/// The words of the byte map in one language.
pub trait ByteWords: Sync {
    /// A field's name.
    fn field(&self, id: FieldId) -> &'static str;
    /// A layer's name ("Ethernet II", "payload").
    fn layer(&self, id: LayerId) -> &'static str;
    /// The name of a layer quoted inside an ICMP error: "IPv4 (quoted)".
    fn quoted(&self, name: &str) -> String;
    /// A layer of the TCP/IP model ("link", "链路层").
    fn model(&self, model: ModelLayer) -> &'static str;
    /// Where a layer sits in the OSI model ("OSI 3").
    fn osi(&self, osi: Osi) -> String;
    /// What a value means.
    fn meaning(&self, meaning: &Meaning) -> String;
    /// The value of a field the capture or a quote cut: `got` of its `of` bytes.
    fn cut(&self, by: CutBy, got: usize, of: usize) -> String;
    /// A remark about a layer.
    fn note(&self, note: &LayerNote) -> String;
    /// What a checksum covers ("IPv4 header", "TCP").
    fn checksum_kind(&self, kind: ChecksumKind) -> &'static str;
    /// A verdict in a word or two ("good", "offloaded").
    fn verdict(&self, verdict: Verdict) -> &'static str;
    /// A verdict explained in a sentence.
    fn checksum_explanation(&self, check: &ChecksumCheck) -> String;
    /// A heading or fixed label.
    fn label(&self, label: Label) -> &'static str;
    /// The first line: frame number, captured and wire length, link type.
    fn title(&self, frame: u64, captured: usize, wire: usize, linktype: &str) -> String;
    /// A size in the envelope and headings ("14 B").
    fn size(&self, bytes: usize) -> String;
    /// The end of the envelope: "71 bytes", or "60 bytes captured of 1514 on the wire".
    fn total(&self, captured: usize, wire: usize) -> String;
    /// One layer on the model line: "TCP: transport (OSI 4)".
    fn model_part(&self, name: &str, model: &str, osi: &str) -> String;
    /// The heading of a layer's table: "TCP · transport layer (OSI 4) · bytes 34-65 (32 B)".
    fn layer_heading(
        &self,
        name: &str,
        model: ModelLayer,
        osi: &str,
        at: usize,
        len: usize,
    ) -> String;
    /// The line saying why decoding stopped.
    fn stopped(&self, stop: &DecodeStop) -> String;
    /// One legend entry: "eth = Ethernet II (link)".
    fn legend_entry(&self, tag: &str, name: &str, model: ModelLayer) -> String;
}

impl Lang {
    /// The byte-map words of this language.
    pub fn byte_words(self) -> &'static dyn ByteWords {
        match self {
            Lang::En => &English,
            Lang::Zh => &Chinese,
        }
    }
}

/// A DSCP's standard name ("AF41", "CS6", "EF"), when it has one besides default.
pub(super) fn dscp_code(d: u8) -> Option<String> {
    match d {
        46 => Some("EF".into()),
        44 => Some("VOICE-ADMIT".into()),
        10 | 12 | 14 | 18 | 20 | 22 | 26 | 28 | 30 | 34 | 36 | 38 => {
            Some(format!("AF{}{}", d / 8, (d % 8) / 2))
        }
        d if d % 8 == 0 && d > 0 => Some(format!("CS{}", d / 8)),
        _ => None,
    }
}

/// Names of the set TCP flags, joined with `+` ("PSH+ACK"); `None` when none is set.
pub(super) fn tcp_flags(bits: u16) -> Option<String> {
    let names = crate::decode::tcp::flag_names(bits);
    (!names.is_empty()).then(|| names.join("+"))
}

#[cfg(test)]
mod tests;
