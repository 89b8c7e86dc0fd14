//! The packet an ICMP error quotes, as nested layers: its IP header, the start of its
//! transport header, and whatever data follows. Decode finds the parts
//! ([`crate::decode::parse_quote`]); this places them.

use super::super::build::Limit;
use super::{Mapper, layer};
use crate::bytemap::{CutBy, LayerId, MapLayer, ModelLayer};
use crate::decode::{LayerKind, LayerSpan, parse_quote};
use crate::wire::{FieldId, tcp, udp};

impl Mapper<'_> {
    pub(super) fn quote(&self, span: &LayerSpan) -> Vec<MapLayer> {
        let end = (span.offset + span.len).min(self.data.len());
        let start = span.offset.min(end);
        let cut_by = if end == self.data.len() && self.frame.is_truncated() {
            CutBy::Snaplen
        } else {
            CutBy::IcmpQuote
        };
        let q = Mapper {
            limit: Limit { end, cut_by },
            ..*self
        };
        let span_at = |kind: LayerKind, offset: usize, len: usize| LayerSpan { kind, offset, len };
        let mut out = Vec::new();
        let mut next = start;
        if let Some(quote) = parse_quote(&self.data[start..end]) {
            let ip = span_at(
                if quote.v6 {
                    LayerKind::Ipv6
                } else {
                    LayerKind::Ipv4
                },
                start + quote.ip.start,
                quote.ip.len(),
            );
            out.push(if quote.v6 {
                q.ipv6(&ip, true)
            } else {
                q.ipv4(&ip, true)
            });
            next = ip.offset + ip.len;
            let payload = start + quote.payload;
            if quote.v6 && payload > next {
                let s = span_at(LayerKind::Payload, next, payload - next);
                let fields = q.opaque(FieldId::QuotedExtensions, None, next..payload);
                let mut l = layer(
                    LayerId::Ipv6Extensions,
                    ModelLayer::Network,
                    Some(3),
                    &s,
                    fields,
                );
                l.quoted = true;
                out.push(l);
                next = payload;
            }
            let avail = end.saturating_sub(payload);
            let transport = match (quote.flow.protocol, quote.transport_len) {
                (6, Some(h)) => Some((LayerKind::Tcp, h)),
                (6, None) => Some((LayerKind::Tcp, avail.min(tcp::HEADER_LEN))),
                (17, _) => Some((LayerKind::Udp, avail.min(udp::HEADER_LEN))),
                _ => None,
            };
            if let Some((kind, len)) = transport.filter(|(_, len)| *len > 0) {
                let tcp = kind == LayerKind::Tcp;
                let s = span_at(kind, payload, len);
                out.push(if tcp {
                    q.tcp(&s, true)
                } else {
                    q.udp(&s, true)
                });
                next = payload + len;
            }
        }
        if next < end {
            let s = span_at(LayerKind::Payload, next, end - next);
            let id = if out.is_empty() {
                LayerId::QuotedData
            } else {
                LayerId::Payload
            };
            let mut fields = q.opaque(FieldId::Data, None, next..end);
            q.preview_value(&mut fields);
            let mut l = layer(id, ModelLayer::Application, None, &s, fields);
            l.quoted = true;
            out.push(l);
        }
        out
    }
}
