//! TCP (with its options), UDP, ICMP and ICMPv6.

use super::super::build::{Explained, Raw};
use super::super::explain;
use super::{Mapper, layer, shift};
use crate::bytemap::{
    CutBy, IcmpCode, LayerId, LayerNote, MapField, MapLayer, Meaning, ModelLayer, OptionProblem,
};
use crate::decode::tcp::{TcpOptionKind, parse_options};
use crate::decode::{IcmpKind, LayerKind, LayerSpan, Transport, Unreachable};
use crate::wire::{self, FieldId, FieldSpec, icmp, tcp, udp};

impl Mapper<'_> {
    pub(super) fn tcp(&self, span: &LayerSpan, quoted: bool) -> MapLayer {
        let at = span.offset;
        let flags = wire::be16(self.data, shift(at, tcp::FLAGS)).map_or(0, |v| v & tcp::FLAGS_MASK);
        let scale = self.ctx.window_scale;
        let explain = |s: &FieldSpec, r: &Raw<'_>| explain::tcp(s, r, flags, scale);
        let mut fields = self.build(tcp::TABLE, at, &explain);
        let offset_byte = self.data.get(at + tcp::DATA_OFFSET.start).copied();
        let declared = tcp::header_len(offset_byte.unwrap_or(0));
        if declared > tcp::HEADER_LEN {
            fields.extend(self.tcp_options(at + tcp::HEADER_LEN, at + declared));
        }
        let mut l = layer(LayerId::Tcp, ModelLayer::Transport, Some(4), span, fields);
        l.quoted = quoted;
        if declared > span.len && span.offset + span.len >= self.limit.end.min(self.data.len()) {
            l.note = Some(LayerNote::TcpHeaderCut {
                declared,
                kept: span.len,
                by: if quoted {
                    CutBy::IcmpQuote
                } else {
                    CutBy::Snaplen
                },
            });
        }
        l
    }

    fn tcp_options(&self, start: usize, end: usize) -> Vec<MapField> {
        let avail = end.min(self.limit.end).min(self.data.len());
        let area = self.data.get(start..avail).unwrap_or(&[]);
        let mut out = Vec::new();
        let mut eol_at = None;
        for opt in parse_options(area) {
            let base = start + opt.offset;
            let kind = area.get(opt.offset).copied().unwrap_or(0);
            let len_byte = area.get(opt.offset + 1).copied();
            if kind == tcp::kind::EOL {
                eol_at = Some(base + 1);
            }
            if let Some(table) = tcp::option_table(kind, len_byte) {
                out.extend(self.build(table, base, &explain::tcp_option));
                continue;
            }
            // SACK and the kinds without a table: head from the table, the rest by length.
            let wire_len = len_byte
                .map(usize::from)
                .filter(|l| *l >= 2)
                .unwrap_or(opt.len.max(1));
            let sack = matches!(&opt.kind, TcpOptionKind::Sack(_));
            let mut sub = self.build(tcp::OPT_HEAD, base, &explain::tcp_option);
            let mut blocks = 0;
            if sack {
                let mut block = base + 2;
                while block + tcp::SACK_BLOCK_LEN <= base + wire_len {
                    sub.extend(self.build(tcp::SACK_BLOCK, block, &explain::tcp_option));
                    block += tcp::SACK_BLOCK_LEN;
                    blocks += 1;
                }
            } else if wire_len > 2 {
                sub.extend(self.opaque(FieldId::OptValue, None, base + 2..base + wire_len));
            }
            let (id, ws, meaning) = if sack {
                let ws = Some("tcp.options.sack");
                (FieldId::OptSack, ws, Meaning::SackBlocks(blocks))
            } else if matches!(opt.kind, TcpOptionKind::Unknown { .. }) && has_table(kind) {
                let problem = OptionProblem::BadLength(kind);
                (FieldId::OptOther, None, Meaning::OptionProblem(problem))
            } else {
                (FieldId::OptOther, None, Meaning::OptionKind(kind))
            };
            for mut parent in self.opaque(id, ws, base..base + wire_len) {
                if !parent.is_cut() {
                    parent.meaning = Some(meaning.clone());
                }
                parent.fields = std::mem::take(&mut sub);
                out.push(parent);
            }
        }
        if let Some(pad) = eol_at.filter(|p| *p < end) {
            for mut f in self.opaque(FieldId::OptPadding, None, pad..end) {
                f.meaning = Some(Meaning::OptionPadding);
                out.push(f);
            }
        }
        out
    }

    pub(super) fn udp(&self, span: &LayerSpan, quoted: bool) -> MapLayer {
        let fields = self.build(udp::TABLE, span.offset, &explain::udp);
        let mut l = layer(LayerId::Udp, ModelLayer::Transport, Some(4), span, fields);
        l.quoted = quoted;
        l
    }

    pub(super) fn icmp(&self, span: &LayerSpan) -> MapLayer {
        let at = span.offset;
        let v6 = span.kind == LayerKind::Icmpv6;
        let byte = |f: wire::Field| self.data.get(at + f.start).copied().unwrap_or(0);
        let (t, code) = (byte(icmp::TYPE), byte(icmp::CODE));
        let kind = match &self.packet.transport {
            Some(Transport::Icmp(i)) => Some(i.kind),
            _ => None,
        };
        let explain = |s: &FieldSpec, r: &Raw<'_>| -> Explained {
            match s.id {
                FieldId::IcmpType => kind
                    .filter(|k| *k != IcmpKind::Other)
                    .map(Meaning::IcmpType)
                    .into(),
                FieldId::IcmpCode => kind.and_then(|k| icmp_code(k, code, v6)).into(),
                FieldId::NextHopMtu | FieldId::Mtu => Meaning::Mtu.into(),
                FieldId::Identifier | FieldId::SequenceNumber => Meaning::EchoMatch.into(),
                FieldId::Unused | FieldId::Reserved => Meaning::Unused.into(),
                _ => explain::ip(s, r),
            }
        };
        let (head, rest) = if v6 {
            (icmp::V6, icmp::v6_rest(t))
        } else {
            (icmp::V4, icmp::v4_rest(t, code))
        };
        let mut fields = self.build(head, at, &explain);
        fields.extend(self.build(rest, at, &explain));
        let id = if v6 { LayerId::Icmpv6 } else { LayerId::Icmp };
        layer(id, ModelLayer::Network, Some(3), span, fields)
    }
}

/// Option kinds with a fixed layout (a wrong length makes them malformed).
fn has_table(kind: u8) -> bool {
    use tcp::kind::{MSS, SACK, SACK_PERM, TIMESTAMP, WSCALE};
    [MSS, WSCALE, SACK_PERM, SACK, TIMESTAMP].contains(&kind)
}

/// What an ICMP code says, when there is something to say.
fn icmp_code(kind: IcmpKind, code: u8, v6: bool) -> Option<Meaning> {
    let code = match kind {
        IcmpKind::Unreachable(Unreachable::Other(_)) => return None,
        IcmpKind::Unreachable(why) => IcmpCode::Unreachable(why),
        IcmpKind::TtlExceeded if code == 0 => IcmpCode::TtlExceeded { v6 },
        // ICMPv6 time exceeded code 1 is reassembly (decode keeps one kind for type 3).
        IcmpKind::TtlExceeded if v6 && code == 1 => IcmpCode::Reassembly,
        IcmpKind::ReassemblyExceeded => IcmpCode::Reassembly,
        _ if code == 0 => IcmpCode::NoSubtype,
        _ => return None,
    };
    Some(Meaning::IcmpCode(code))
}
