//! Turning a field table into mapped fields: absolute offsets, bit patterns, typed values,
//! and a cut value for fields the capture (or an ICMP quote) cut short.

use super::{CutBy, MapField, Meaning, Value};
use crate::wire::{FieldId, FieldSpec, Show};

/// A field's raw value as read from the table position.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Raw<'a> {
    /// The field's bytes (complete).
    pub bytes: &'a [u8],
    /// The value as an unsigned number (masked and shifted for bit fields), when it fits.
    pub num: Option<u64>,
}

/// What a protocol's explainer says about a field.
#[derive(Debug, Default)]
pub(crate) struct Explained {
    /// Replaces the value the table's [`Show`] gives.
    pub value: Option<Value>,
    /// The meaning.
    pub meaning: Option<Meaning>,
}

impl From<Meaning> for Explained {
    fn from(meaning: Meaning) -> Explained {
        Explained {
            value: None,
            meaning: Some(meaning),
        }
    }
}

impl From<Option<Meaning>> for Explained {
    fn from(meaning: Option<Meaning>) -> Explained {
        Explained {
            value: None,
            meaning,
        }
    }
}

/// Explains a field of one protocol: the spec, and its raw value.
pub(crate) type Explain<'e> = &'e dyn Fn(&FieldSpec, &Raw<'_>) -> Explained;

/// Where the available bytes end and what cut them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limit {
    /// First byte offset that is not available.
    pub end: usize,
    /// What cut the bytes.
    pub cut_by: CutBy,
}

/// Builds the fields of `table` placed at absolute offset `base`.
pub(crate) fn build(
    table: &[FieldSpec],
    data: &[u8],
    base: usize,
    limit: Limit,
    explain: Explain<'_>,
) -> Vec<MapField> {
    table
        .iter()
        .filter_map(|spec| build_one(spec, data, base, limit, explain))
        .collect()
}

fn build_one(
    spec: &FieldSpec,
    data: &[u8],
    base: usize,
    limit: Limit,
    explain: Explain<'_>,
) -> Option<MapField> {
    let start = base.checked_add(spec.at.start)?;
    let wire_len = spec.len();
    let end = start.checked_add(wire_len)?;
    let avail_end = limit.end.min(data.len());
    if start >= avail_end || wire_len == 0 {
        return None;
    }
    let wireshark = spec.wireshark();
    if end > avail_end {
        return Some(MapField {
            id: spec.id,
            wireshark,
            offset: start,
            len: avail_end - start,
            wire_len,
            bits: None,
            value: Value::Cut(limit.cut_by),
            meaning: None,
            fields: Vec::new(),
        });
    }
    let bytes = &data[start..end];
    let num = number(bytes, spec.bits);
    let raw = Raw { bytes, num };
    let said = explain(spec, &raw);
    let value = said
        .value
        .unwrap_or_else(|| show_value(spec.show, spec.bits, &raw));
    Some(MapField {
        id: spec.id,
        wireshark,
        offset: start,
        len: wire_len,
        wire_len,
        bits: spec.bits.map(|m| bit_pattern(bytes, m)),
        value,
        meaning: said.meaning,
        fields: build(spec.sub, data, base, limit, explain),
    })
}

/// Big-endian value of up to 8 bytes, masked and shifted down when a mask is given.
pub(crate) fn number(bytes: &[u8], mask: Option<u32>) -> Option<u64> {
    if bytes.is_empty() || bytes.len() > 8 {
        return None;
    }
    let v = bytes.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
    Some(match mask {
        Some(m) if m != 0 => (v & u64::from(m)) >> m.trailing_zeros(),
        _ => v,
    })
}

/// `0100 ....` style pattern: the masked bits as digits, the others as dots, in nibbles.
pub(crate) fn bit_pattern(bytes: &[u8], mask: u32) -> String {
    let nbits = bytes.len().min(4) * 8;
    let value = bytes
        .iter()
        .take(4)
        .fold(0u32, |acc, &b| (acc << 8) | u32::from(b));
    let mut out = String::with_capacity(nbits + nbits / 4);
    for i in (0..nbits).rev() {
        let bit = 1u32 << i;
        out.push(if mask & bit == 0 {
            '.'
        } else if value & bit != 0 {
            '1'
        } else {
            '0'
        });
        if i % 4 == 0 && i != 0 {
            out.push(' ');
        }
    }
    out
}

fn show_value(show: Show, bits: Option<u32>, raw: &Raw<'_>) -> Value {
    let len = raw.bytes.len();
    match (show, raw.num) {
        (Show::Dec, Some(n)) => Value::Dec(n),
        (Show::Hex, Some(n)) => {
            let digits = match bits {
                Some(m) => (32 - m.leading_zeros() - m.trailing_zeros()).div_ceil(4),
                None => len as u32 * 2,
            };
            Value::Hex {
                value: n,
                digits: digits.min(16) as u8,
            }
        }
        (Show::Mac, _) => Value::Mac,
        (Show::Ipv4, _) if len == 4 => Value::Ipv4,
        (Show::Ipv6, _) if len == 16 => Value::Ipv6,
        _ => Value::Bytes,
    }
}

/// One field not described by a table (option data, padding, payload), placed by its length.
pub(crate) fn opaque(
    id: FieldId,
    wireshark: Option<&'static str>,
    range: std::ops::Range<usize>,
    limit: Limit,
    data_len: usize,
) -> Option<MapField> {
    let avail_end = limit.end.min(data_len);
    if range.start >= avail_end || range.end <= range.start {
        return None;
    }
    let wire_len = range.end - range.start;
    let len = range.end.min(avail_end) - range.start;
    Some(MapField {
        id,
        wireshark,
        offset: range.start,
        len,
        wire_len,
        bits: None,
        value: if len < wire_len {
            Value::Cut(limit.cut_by)
        } else {
            Value::Bytes
        },
        meaning: None,
        fields: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_patterns_group_nibbles() {
        assert_eq!(bit_pattern(&[0x45], 0xf0), "0100 ....");
        assert_eq!(bit_pattern(&[0x45], 0x0f), ".... 0101");
        assert_eq!(bit_pattern(&[0x80, 0x18], 0x0fff), ".... 0000 0001 1000");
        assert_eq!(number(&[0x80, 0x18], Some(0x0fff)), Some(0x18));
        assert_eq!(number(&[0x45], Some(0x0f)), Some(5));
    }
}
