//! From decode's layer spans to mapped layers: picks each protocol's table, places it at the
//! layer's offset, and explains the values. One file per protocol group.

mod ip;
mod link;
mod quote;
mod transport;

use super::build::{Explain, Limit, build, opaque};
use super::{
    CutBy, LayerId, LayerNote, MapContext, MapField, MapLayer, Meaning, ModelLayer, Value,
};
use crate::capture::Frame;
use crate::decode::{LayerKind, LayerSpan, Packet, Transport};
use crate::wire::{Field, FieldId, FieldSpec};

/// Maps all layers of a decoded frame.
pub(super) fn map_layers(frame: &Frame, packet: &Packet, ctx: &MapContext) -> Vec<MapLayer> {
    let data = frame.data.as_slice();
    let m = Mapper {
        data,
        frame,
        packet,
        ctx,
        limit: Limit {
            end: data.len(),
            cut_by: CutBy::Snaplen,
        },
    };
    let icmp_error = matches!(&packet.transport, Some(Transport::Icmp(icmp)) if icmp.is_error());
    let mut out = Vec::new();
    for (i, span) in packet.layers.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|j| packet.layers.get(j));
        if span.offset >= data.len() && span.len > 0 {
            continue;
        }
        if span.kind == LayerKind::Payload
            && icmp_error
            && prev.is_some_and(|p| matches!(p.kind, LayerKind::Icmpv4 | LayerKind::Icmpv6))
        {
            out.extend(m.quote(span));
            continue;
        }
        out.push(m.layer(span, prev));
    }
    out
}

/// Everything mapping a layer needs: the frame, its decoding, and where the bytes end.
#[derive(Clone, Copy)]
struct Mapper<'a> {
    data: &'a [u8],
    frame: &'a Frame,
    packet: &'a Packet,
    ctx: &'a MapContext,
    limit: Limit,
}

/// `field` of a header that starts at `base`.
fn shift(base: usize, field: Field) -> Field {
    base + field.start..base + field.end
}

/// A layer with its fields and no note.
fn layer(
    id: LayerId,
    model: ModelLayer,
    osi: Option<u8>,
    span: &LayerSpan,
    fields: Vec<MapField>,
) -> MapLayer {
    MapLayer {
        id,
        model,
        osi,
        offset: span.offset,
        len: span.len,
        quoted: false,
        note: None,
        fields,
    }
}

impl Mapper<'_> {
    fn build(&self, table: &[FieldSpec], base: usize, explain: Explain<'_>) -> Vec<MapField> {
        build(table, self.data, base, self.limit, explain)
    }

    fn opaque(
        &self,
        id: FieldId,
        ws: Option<&'static str>,
        range: std::ops::Range<usize>,
    ) -> Vec<MapField> {
        opaque(id, ws, range, self.limit, self.data.len())
            .into_iter()
            .collect()
    }

    fn layer(&self, span: &LayerSpan, prev: Option<&LayerSpan>) -> MapLayer {
        let at = span.offset;
        match &span.kind {
            LayerKind::Ethernet => self.ethernet(span),
            LayerKind::LinuxSll => self.sll(span),
            LayerKind::LinuxSll2 => self.sll2(span),
            LayerKind::Loopback => self.loopback(span),
            LayerKind::Vlan => self.vlan(span),
            LayerKind::Macsec => {
                let fields = self.opaque(FieldId::SecTag, None, at..at + span.len);
                layer(LayerId::Macsec, ModelLayer::Link, Some(2), span, fields)
            }
            LayerKind::Arp => self.arp(span),
            LayerKind::Ipv4 => self.ipv4(span, false),
            LayerKind::Ipv6 => self.ipv6(span, false),
            LayerKind::Ipv6Extension(n) => self.ipv6_ext(span, *n),
            LayerKind::Tcp => self.tcp(span, false),
            LayerKind::Udp => self.udp(span, false),
            LayerKind::Icmpv4 | LayerKind::Icmpv6 => self.icmp(span),
            LayerKind::Payload => match self.cut_ip_header(span, prev) {
                Some(l) => l,
                None => self.payload(span, prev),
            },
            LayerKind::Trailer => self.trailer(span),
            LayerKind::LinkHeader(header) => {
                let fields = self.opaque(FieldId::Header, None, at..at + span.len);
                let id = LayerId::LinkHeader(*header);
                layer(id, ModelLayer::Link, Some(2), span, fields)
            }
            LayerKind::Tunnel(name) => {
                let fields = self.opaque(FieldId::Header, None, at..at + span.len);
                let mut l = layer(
                    LayerId::Tunnel(name),
                    ModelLayer::Network,
                    None,
                    span,
                    fields,
                );
                l.note = Some(LayerNote::Tunnel);
                l
            }
        }
    }

    /// Application data above a transport header, or bytes nothing decoded.
    fn payload(&self, span: &LayerSpan, prev: Option<&LayerSpan>) -> MapLayer {
        let at = span.offset;
        let prev = prev.map(|p| &p.kind);
        let ws = match prev {
            Some(LayerKind::Tcp) => Some("tcp.payload"),
            Some(LayerKind::Udp) => Some("udp.payload"),
            _ => None,
        };
        let mut fields = self.opaque(FieldId::Data, ws, at..at + span.len);
        self.preview_value(&mut fields);
        let above_transport = matches!(
            prev,
            Some(LayerKind::Tcp | LayerKind::Udp | LayerKind::Icmpv4 | LayerKind::Icmpv6)
        );
        let id = if above_transport {
            LayerId::Payload
        } else {
            LayerId::Undecoded
        };
        let mut l = layer(id, ModelLayer::Application, None, span, fields);
        if !above_transport {
            l.note = self.packet.stop.map(LayerNote::Undecoded);
        }
        l
    }

    /// Payload values read better as escaped text than as hex (the hex column has the hex).
    fn preview_value(&self, fields: &mut [MapField]) {
        for f in fields.iter_mut().filter(|f| !f.is_cut()) {
            f.value = Value::Text;
            f.meaning = Some(Meaning::AppData(f.bytes(self.data).len()));
        }
    }
}
