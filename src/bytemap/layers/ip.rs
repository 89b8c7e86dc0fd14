//! IPv4, IPv6 and its extension headers, and IP headers the snaplen cut.

use super::super::explain::{self, ipv4_options};
use super::{Mapper, layer};
use crate::bytemap::{ExtHeader, LayerId, LayerNote, MapLayer, Meaning, ModelLayer};
use crate::decode::{LayerKind, LayerSpan};
use crate::wire::{FieldId, FieldSpec, ipv4, ipv6};

impl Mapper<'_> {
    pub(super) fn ipv4(&self, span: &LayerSpan, quoted: bool) -> MapLayer {
        let at = span.offset;
        let mut fields = self.build(ipv4::TABLE, at, &explain::ip);
        let ihl = usize::from(self.data.get(at).copied().unwrap_or(0) & 0x0f) * 4;
        if ihl > ipv4::HEADER_LEN {
            let options = at + ipv4::HEADER_LEN..at + ihl;
            let mut opts = self.opaque(FieldId::IpOptions, None, options.clone());
            if let Some(o) = opts.first_mut()
                && !o.is_cut()
            {
                o.meaning = Some(Meaning::IpOptions(ipv4_options(&self.data[options])));
            }
            fields.extend(opts);
        }
        let mut l = layer(LayerId::Ipv4, ModelLayer::Network, Some(3), span, fields);
        l.quoted = quoted;
        l
    }

    pub(super) fn ipv6(&self, span: &LayerSpan, quoted: bool) -> MapLayer {
        let fields = self.build(ipv6::TABLE, span.offset, &explain::ip);
        let mut l = layer(LayerId::Ipv6, ModelLayer::Network, Some(3), span, fields);
        l.quoted = quoted;
        l
    }

    pub(super) fn ipv6_ext(&self, span: &LayerSpan, number: u8) -> MapLayer {
        let at = span.offset;
        let (table, ext): (&[FieldSpec], ExtHeader) = match number {
            0 => (ipv6::TABLE_HOP_BY_HOP, ExtHeader::HopByHop),
            43 => (ipv6::TABLE_ROUTING, ExtHeader::Routing),
            44 => (ipv6::TABLE_FRAGMENT, ExtHeader::Fragment),
            60 => (ipv6::TABLE_DEST_OPTS, ExtHeader::DestOptions),
            51 => (ipv6::TABLE_AUTH, ExtHeader::Auth),
            other => (&[], ExtHeader::Other(other)),
        };
        let mut fields = self.build(table, at, &explain::ip);
        let fixed = table.iter().map(|f| f.at.end).max().unwrap_or(0);
        if span.len > fixed {
            let id = if matches!(number, 0 | 60) {
                FieldId::ExtOptions
            } else {
                FieldId::ExtData
            };
            fields.extend(self.opaque(id, None, at + fixed..at + span.len));
        }
        let id = LayerId::Ipv6Ext(ext);
        layer(id, ModelLayer::Network, Some(3), span, fields)
    }

    /// An IP header the snaplen cut before its end: decode keeps the bytes as undecoded
    /// data, the table still says which bytes were which field.
    pub(super) fn cut_ip_header(
        &self,
        span: &LayerSpan,
        prev: Option<&LayerSpan>,
    ) -> Option<MapLayer> {
        let after_link = prev.is_none_or(|p| {
            matches!(
                p.kind,
                LayerKind::Ethernet
                    | LayerKind::LinuxSll
                    | LayerKind::LinuxSll2
                    | LayerKind::Loopback
                    | LayerKind::Vlan
            )
        });
        if !after_link || self.packet.net.is_some() || !self.frame.is_truncated() {
            return None;
        }
        if span.offset + span.len < self.data.len() {
            return None;
        }
        let (table, id, full): (&[FieldSpec], _, usize) = match self.data.get(span.offset)? >> 4 {
            4 => (ipv4::TABLE, LayerId::Ipv4, ipv4::HEADER_LEN),
            6 => (ipv6::TABLE, LayerId::Ipv6, ipv6::HEADER_LEN),
            _ => return None,
        };
        if span.len >= full {
            return None;
        }
        let fields = self.build(table, span.offset, &explain::ip);
        let mut l = layer(id, ModelLayer::Network, Some(3), span, fields);
        l.note = Some(LayerNote::IpHeaderCut {
            full,
            kept: span.len,
        });
        Some(l)
    }
}
