//! Link-layer headers: Ethernet, 802.1Q tags, Linux cooked captures, loopback, ARP, and the
//! bytes after the packet (padding, trailer, frame check sequence).

use super::super::build::{Explained, Raw};
use super::super::explain::{self, crc32};
use super::super::meaning::MacKind;
use super::{Mapper, layer, shift};
use crate::bytemap::{LayerId, LayerNote, MapField, MapLayer, Meaning, ModelLayer, Value};
use crate::capture::LinkType;
use crate::decode::{LayerSpan, Link};
use crate::wire::{self, FieldId, FieldSpec, arp, ethernet, loopback, sll, sll2, vlan};

/// The IG and LG bits read the whole address: give them the kind of their parent MAC.
fn mac_bits(fields: &mut [MapField], data: &[u8]) {
    for parent in fields.iter_mut().filter(|f| f.value == Value::Mac) {
        let kind = MacKind::of(parent.bytes(data));
        for bit in &mut parent.fields {
            bit.meaning = match bit.id {
                FieldId::LgBit => Some(Meaning::LgBit(kind)),
                FieldId::IgBit => Some(Meaning::IgBit(kind)),
                _ => bit.meaning.take(),
            };
        }
    }
}

/// A cooked header's protocol field below 0x0600 is a Linux protocol, not an EtherType.
fn linux_protocol(fields: &mut [MapField], protocol: Option<u16>) {
    if protocol.is_some_and(|p| p < ethernet::MIN_ETHERTYPE) {
        for f in fields.iter_mut().filter(|f| f.id == FieldId::LinkProtocol) {
            f.wireshark = Some("sll.ltype");
            f.meaning = None;
        }
    }
}

impl Mapper<'_> {
    pub(super) fn ethernet(&self, span: &LayerSpan) -> MapLayer {
        let at = span.offset;
        let ethertype = wire::be16(self.data, shift(at, ethernet::ETHERTYPE)).unwrap_or(0);
        let table = if ethertype < ethernet::MIN_ETHERTYPE {
            ethernet::TABLE_8023
        } else {
            ethernet::TABLE
        };
        let mut fields = self.build(table, at, &explain::link);
        mac_bits(&mut fields, self.data);
        layer(LayerId::Ethernet, ModelLayer::Link, Some(2), span, fields)
    }

    pub(super) fn sll(&self, span: &LayerSpan) -> MapLayer {
        let at = span.offset;
        let six = wire::be16(self.data, shift(at, sll::HALEN)) == Some(6);
        let table = if six {
            sll::TABLE
        } else {
            sll::TABLE_OTHER_ADDR
        };
        let mut fields = self.build(table, at, &explain::link);
        let protocol = wire::be16(self.data, shift(at, sll::PROTOCOL));
        linux_protocol(&mut fields, protocol);
        let mut l = layer(LayerId::Sll, ModelLayer::Link, None, span, fields);
        l.note = Some(LayerNote::Cooked);
        l
    }

    pub(super) fn sll2(&self, span: &LayerSpan) -> MapLayer {
        let at = span.offset;
        let six = self.data.get(at + sll2::HALEN.start) == Some(&6);
        let table = if six {
            sll2::TABLE
        } else {
            sll2::TABLE_OTHER_ADDR
        };
        let mut fields = self.build(table, at, &explain::link);
        let protocol = wire::be16(self.data, shift(at, sll2::PROTOCOL));
        linux_protocol(&mut fields, protocol);
        let mut l = layer(LayerId::Sll2, ModelLayer::Link, None, span, fields);
        l.note = Some(LayerNote::Cooked);
        l
    }

    pub(super) fn loopback(&self, span: &LayerSpan) -> MapLayer {
        let family = match self.packet.link {
            Link::Loopback { family } => family,
            _ => 0,
        };
        let network_order = self.frame.linktype == LinkType::LOOP;
        let (table, id) = if network_order {
            (loopback::TABLE_LOOP, LayerId::OpenbsdLoopback)
        } else {
            (loopback::TABLE_NULL, LayerId::NullLoopback)
        };
        let explain = |_: &FieldSpec, _: &Raw<'_>| Explained {
            value: Some(Value::Dec(u64::from(family))),
            meaning: Some(Meaning::AddressFamily {
                family,
                network_order,
            }),
        };
        let fields = self.build(table, span.offset, &explain);
        let mut l = layer(id, ModelLayer::Link, None, span, fields);
        l.note = Some(LayerNote::LoopbackPseudo);
        l
    }

    pub(super) fn vlan(&self, span: &LayerSpan) -> MapLayer {
        let tpid = span
            .offset
            .checked_sub(2)
            .and_then(|p| wire::be16(self.data, p..p + 2));
        let (table, id) = if tpid == Some(vlan::TPID_8021AD) {
            (vlan::TABLE_8021AD, LayerId::Vlan8021ad)
        } else {
            (vlan::TABLE_8021Q, LayerId::Vlan8021q)
        };
        let fields = self.build(table, span.offset, &explain::link);
        layer(id, ModelLayer::Link, Some(2), span, fields)
    }

    pub(super) fn arp(&self, span: &LayerSpan) -> MapLayer {
        let at = span.offset;
        let byte = |f: wire::Field| usize::from(self.data.get(at + f.start).copied().unwrap_or(0));
        let (hlen, plen) = (byte(arp::HLEN), byte(arp::PLEN));
        let mut fields = if hlen == 6 && plen == 4 {
            self.build(arp::TABLE_ETH_IPV4, at, &explain::arp)
        } else {
            let mut fields = self.build(arp::TABLE_FIXED, at, &explain::arp);
            let mut pos = at + arp::ADDRESSES;
            for (id, len) in [
                (FieldId::SenderHwAddr, hlen),
                (FieldId::SenderProtoAddr, plen),
                (FieldId::TargetHwAddr, hlen),
                (FieldId::TargetProtoAddr, plen),
            ] {
                fields.extend(self.opaque(id, None, pos..pos + len));
                pos += len;
            }
            fields
        };
        mac_bits(&mut fields, self.data);
        layer(LayerId::Arp, ModelLayer::Link, None, span, fields)
    }

    /// Bytes after the IP packet: Ethernet padding to the minimum frame, a trailer, and the
    /// frame check sequence when the capture kept it.
    pub(super) fn trailer(&self, span: &LayerSpan) -> MapLayer {
        let at = span.offset;
        let end = at + span.len;
        let ethernet = matches!(self.packet.link, Link::Ethernet { .. });
        let mut fields = Vec::new();
        let mut id = LayerId::Trailer;
        if ethernet {
            let pad_end = end.min(ethernet::MIN_FRAME).max(at);
            if pad_end > at {
                let mut pad = self.opaque(FieldId::Padding, Some("eth.padding"), at..pad_end);
                for f in &mut pad {
                    f.meaning = Some(Meaning::EthPadding);
                }
                fields.extend(pad);
                id = LayerId::Padding;
            }
            // Wireshark takes the last 4 bytes of a trailer as the FCS when the frame is at
            // least 64 bytes long; the CRC says whether that guess holds.
            let whole = !self.frame.is_truncated() && self.data.len() == end;
            let fcs_len = ethernet::FCS_LEN;
            let fcs_at =
                (whole && end >= ethernet::MIN_FRAME + fcs_len && end >= pad_end + fcs_len)
                    .then(|| end - fcs_len);
            let trailer_end = fcs_at.unwrap_or(end);
            if trailer_end > pad_end {
                let ws = if self.packet.vlans.is_empty() {
                    "eth.trailer"
                } else {
                    "vlan.trailer"
                };
                fields.extend(self.opaque(FieldId::Trailer, Some(ws), pad_end..trailer_end));
                id = LayerId::Trailer;
            }
            if let Some(at) = fcs_at {
                let bytes = &self.data[at..end];
                let stored = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
                let ok = crc32(&self.data[..at]) == stored;
                for mut f in self.opaque(FieldId::Fcs, Some("eth.fcs"), at..end) {
                    f.value = Value::Hex {
                        value: u64::from(stored),
                        digits: 8,
                    };
                    f.meaning = Some(Meaning::Fcs { ok });
                    fields.push(f);
                }
                id = LayerId::Trailer;
            }
        } else {
            fields.extend(self.opaque(FieldId::Trailer, None, at..end));
        }
        let mut l = layer(id, ModelLayer::Link, Some(2), span, fields);
        l.note = Some(LayerNote::AfterIp);
        l
    }
}
