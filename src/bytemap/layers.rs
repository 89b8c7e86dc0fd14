//! From decode's layer spans to mapped layers: picks each protocol's table, places it at the
//! layer's offset, and explains the values (with the decode structs and etherparse).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use etherparse::{IpNumber, LaxNetSlice, LaxSlicedPacket, TransportSlice};

use super::build::{Explained, Limit, Raw, build, opaque};
use super::spec::{self, FieldSpec};
use super::{MapContext, MapField, MapLayer, ModelLayer};
use crate::capture::{Frame, LinkType};
use crate::decode::tcp::{TcpOptionKind, flag_names, parse_options};
use crate::decode::{LayerKind, LayerSpan, Link, Packet, Transport};
use crate::render::theme::escape_bytes;

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
            cut_by: "snaplen",
        },
    };
    let mut out = Vec::new();
    for (i, span) in packet.layers.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|j| packet.layers.get(j));
        if span.offset >= data.len() && span.len > 0 {
            continue;
        }
        if span.kind == LayerKind::Payload
            && prev.is_some_and(|p| matches!(p.kind, LayerKind::Icmpv4 | LayerKind::Icmpv6))
            && packet
                .transport
                .as_ref()
                .is_some_and(|t| matches!(t, Transport::Icmp(icmp) if icmp.is_error()))
        {
            out.extend(m.quote(span));
            continue;
        }
        out.push(m.layer(span, prev));
    }
    out
}

struct Mapper<'a> {
    data: &'a [u8],
    frame: &'a Frame,
    packet: &'a Packet,
    ctx: &'a MapContext,
    limit: Limit,
}

fn be16(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*data.get(at)?, *data.get(at + 1)?]))
}

fn layer(
    name: impl Into<String>,
    tag: &str,
    model: ModelLayer,
    osi: Option<u8>,
    span: &LayerSpan,
    fields: Vec<MapField>,
) -> MapLayer {
    MapLayer {
        name: name.into(),
        tag: tag.into(),
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
    fn build(
        &self,
        table: &[FieldSpec],
        base: usize,
        explain: super::build::Explain<'_>,
    ) -> Vec<MapField> {
        build(table, self.data, base, self.limit, explain)
    }

    fn layer(&self, span: &LayerSpan, prev: Option<&LayerSpan>) -> MapLayer {
        let at = span.offset;
        match &span.kind {
            LayerKind::Ethernet => {
                let ethertype = be16(self.data, at + 12).unwrap_or(0);
                let table = if ethertype < 0x0600 {
                    spec::ETHERNET_8023
                } else {
                    spec::ETHERNET
                };
                let fields = self.build(table, at, &explain_link);
                layer(
                    "Ethernet II",
                    "eth",
                    ModelLayer::Link,
                    Some(2),
                    span,
                    fields,
                )
            }
            LayerKind::LinuxSll => {
                let six = be16(self.data, at + 4) == Some(6);
                let table = if six { spec::SLL } else { spec::SLL_OTHER_ADDR };
                let mut fields = self.build(table, at, &explain_link);
                if be16(self.data, at + 14).is_some_and(|p| p < 0x0600) {
                    rename(&mut fields, "sll.etype", "sll.ltype");
                }
                let mut l = layer(
                    "Linux cooked (SLL)",
                    "sll",
                    ModelLayer::Link,
                    None,
                    span,
                    fields,
                );
                l.note = Some(COOKED_NOTE.into());
                l
            }
            LayerKind::LinuxSll2 => {
                let six = self.data.get(at + 11) == Some(&6);
                let table = if six {
                    spec::SLL2
                } else {
                    spec::SLL2_OTHER_ADDR
                };
                let mut fields = self.build(table, at, &explain_link);
                if be16(self.data, at).is_some_and(|p| p < 0x0600) {
                    rename(&mut fields, "sll.etype", "sll.ltype");
                }
                let mut l = layer(
                    "Linux cooked v2 (SLL2)",
                    "sll2",
                    ModelLayer::Link,
                    None,
                    span,
                    fields,
                );
                l.note = Some(COOKED_NOTE.into());
                l
            }
            LayerKind::Loopback => {
                let family = match self.packet.link {
                    Link::Loopback { family } => family,
                    _ => 0,
                };
                let (table, name) = if self.frame.linktype == LinkType::LOOP {
                    (spec::LOOP_LOOPBACK, "OpenBSD loopback")
                } else {
                    (spec::NULL_LOOPBACK, "BSD loopback")
                };
                let explain = |_: &FieldSpec, _: &Raw<'_>| Explained {
                    value: Some(family.to_string()),
                    meaning: Some(family_name(family, self.frame.linktype)),
                };
                let fields = self.build(table, at, &explain);
                let mut l = layer(name, "null", ModelLayer::Link, None, span, fields);
                l.note = Some(
                    "pseudo-header written by the capture on a loopback interface; not sent on \
                     any wire"
                        .into(),
                );
                l
            }
            LayerKind::Vlan => {
                let tpid = at.checked_sub(2).and_then(|p| be16(self.data, p));
                let (table, name) = if tpid == Some(0x88a8) {
                    (spec::VLAN_8021AD, "802.1ad service tag")
                } else {
                    (spec::VLAN_8021Q, "802.1Q VLAN tag")
                };
                let fields = self.build(table, at, &explain_link);
                layer(name, "vlan", ModelLayer::Link, Some(2), span, fields)
            }
            LayerKind::Macsec => {
                let fields = self.opaque("SecTAG", None, at..at + span.len);
                layer("MACsec", "macsec", ModelLayer::Link, Some(2), span, fields)
            }
            LayerKind::Arp => self.arp(span),
            LayerKind::Ipv4 => self.ipv4(span, false),
            LayerKind::Ipv6 => {
                let fields = self.build(spec::IPV6, at, &explain_ip);
                layer("IPv6", "ip6", ModelLayer::Network, Some(3), span, fields)
            }
            LayerKind::Ipv6Extension(n) => self.ipv6_ext(span, *n),
            LayerKind::Tcp => self.tcp(span, false),
            LayerKind::Udp => {
                let fields = self.build(spec::UDP, at, &explain_udp);
                layer("UDP", "udp", ModelLayer::Transport, Some(4), span, fields)
            }
            LayerKind::Icmpv4 | LayerKind::Icmpv6 => self.icmp(span),
            LayerKind::Payload if self.cut_ip_header(span, prev).is_some() => self
                .cut_ip_header(span, prev)
                .unwrap_or_else(|| self.trailer(span)),
            LayerKind::Payload => {
                let ws = match prev.map(|p| &p.kind) {
                    Some(LayerKind::Tcp) => Some("tcp.payload"),
                    Some(LayerKind::Udp) => Some("udp.payload"),
                    _ => None,
                };
                let mut fields = self.opaque("data", ws, at..at + span.len);
                self.preview_value(&mut fields);
                let name = match prev.map(|p| &p.kind) {
                    Some(
                        LayerKind::Tcp | LayerKind::Udp | LayerKind::Icmpv4 | LayerKind::Icmpv6,
                    ) => "payload",
                    _ => "undecoded data",
                };
                let mut l = layer(name, "data", ModelLayer::Application, None, span, fields);
                if name == "undecoded data" {
                    l.note = self.packet.stop.clone();
                }
                l
            }
            LayerKind::Trailer => self.trailer(span),
        }
    }

    fn opaque(
        &self,
        name: &str,
        ws: Option<&'static str>,
        range: std::ops::Range<usize>,
    ) -> Vec<MapField> {
        opaque(name, ws, self.data, range, self.limit)
            .into_iter()
            .collect()
    }

    /// An IP header the snaplen cut before its end: decode keeps the bytes as undecoded
    /// data, the table still says which bytes were which field.
    fn cut_ip_header(&self, span: &LayerSpan, prev: Option<&LayerSpan>) -> Option<MapLayer> {
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
        let (table, name, tag, full): (&[FieldSpec], _, _, usize) =
            match self.data.get(span.offset)? >> 4 {
                4 => (spec::IPV4, "IPv4", "ip", 20),
                6 => (spec::IPV6, "IPv6", "ip6", 40),
                _ => return None,
            };
        if span.len >= full {
            return None;
        }
        let fields = self.build(table, span.offset, &explain_ip);
        let mut l = layer(name, tag, ModelLayer::Network, Some(3), span, fields);
        l.note = Some(format!(
            "the header is at least {full} bytes; the snaplen cut it after {}",
            span.len
        ));
        Some(l)
    }

    /// Payload values read better as escaped text than as hex (the hex column has the hex).
    fn preview_value(&self, fields: &mut [MapField]) {
        for f in fields.iter_mut().filter(|f| !f.is_cut()) {
            let end = (f.offset + f.len).min(self.data.len());
            let bytes = &self.data[f.offset.min(end)..end];
            let shown = &bytes[..bytes.len().min(32)];
            let more = if bytes.len() > shown.len() { "…" } else { "" };
            f.value = format!("\"{}\"{more}", escape_bytes(shown));
            f.meaning = Some(format!("{} bytes of application data", bytes.len()));
        }
    }

    fn arp(&self, span: &LayerSpan) -> MapLayer {
        let at = span.offset;
        let hlen = usize::from(self.data.get(at + 4).copied().unwrap_or(0));
        let plen = usize::from(self.data.get(at + 5).copied().unwrap_or(0));
        let fields = if hlen == 6 && plen == 4 {
            self.build(spec::ARP_ETH_IPV4, at, &explain_arp)
        } else {
            let mut fields = self.build(spec::ARP_FIXED, at, &explain_arp);
            let mut pos = at + 8;
            for (name, len) in [
                ("sender hardware address", hlen),
                ("sender protocol address", plen),
                ("target hardware address", hlen),
                ("target protocol address", plen),
            ] {
                fields.extend(opaque(name, None, self.data, pos..pos + len, self.limit));
                pos += len;
            }
            fields
        };
        layer("ARP", "arp", ModelLayer::Link, None, span, fields)
    }

    fn ipv4(&self, span: &LayerSpan, quoted: bool) -> MapLayer {
        let at = span.offset;
        let mut fields = self.build(spec::IPV4, at, &explain_ip);
        let ihl = usize::from(self.data.get(at).copied().unwrap_or(0) & 0x0f) * 4;
        if ihl > 20 {
            let mut opts = self.opaque("options", None, at + 20..at + ihl);
            if let Some(o) = opts.first_mut()
                && !o.is_cut()
            {
                o.meaning = Some(ipv4_options(&self.data[at + 20..at + ihl]));
            }
            fields.extend(opts);
        }
        let mut l = layer("IPv4", "ip", ModelLayer::Network, Some(3), span, fields);
        l.quoted = quoted;
        l
    }

    fn ipv6_ext(&self, span: &LayerSpan, number: u8) -> MapLayer {
        let at = span.offset;
        let (table, name, tag): (&[FieldSpec], &str, &str) = match number {
            0 => (spec::IPV6_HOP_BY_HOP, "IPv6 hop-by-hop options", "hop"),
            43 => (spec::IPV6_ROUTING, "IPv6 routing header", "rt"),
            44 => (spec::IPV6_FRAGMENT, "IPv6 fragment header", "frag"),
            60 => (spec::IPV6_DEST_OPTS, "IPv6 destination options", "dst"),
            51 => (spec::IPV6_AUTH, "IPsec authentication header", "ah"),
            _ => (&[], "IPv6 extension header", "ext"),
        };
        let mut fields = self.build(table, at, &explain_ip);
        let fixed = table.iter().map(|f| f.at.end).max().unwrap_or(0);
        if span.len > fixed {
            let what = if matches!(number, 0 | 60) {
                "options"
            } else {
                "data"
            };
            fields.extend(self.opaque(what, None, at + fixed..at + span.len));
        }
        layer(name, tag, ModelLayer::Network, Some(3), span, fields)
    }

    fn tcp(&self, span: &LayerSpan, quoted: bool) -> MapLayer {
        let at = span.offset;
        let flags = be16(self.data, at + 12).map(|v| v & 0x0fff);
        let window_scale = self.ctx.window_scale;
        let explain = |s: &FieldSpec, r: &Raw<'_>| explain_tcp(s, r, flags, window_scale);
        let mut fields = self.build(spec::TCP, at, &explain);
        let declared = usize::from(self.data.get(at + 12).copied().unwrap_or(0) >> 4) * 4;
        if declared > 20 {
            fields.extend(self.tcp_options(at + 20, at + declared));
        }
        let mut l = layer("TCP", "tcp", ModelLayer::Transport, Some(4), span, fields);
        l.quoted = quoted;
        if declared > span.len && span.offset + span.len >= self.limit.end.min(self.data.len()) {
            l.note = Some(format!(
                "the header is {declared} bytes; {} cut the rest after {} bytes",
                if quoted {
                    "the ICMP quote"
                } else {
                    "the snaplen"
                },
                span.len
            ));
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
            let len_byte = area.get(opt.offset + 1).copied().map(usize::from);
            let table: Option<&[FieldSpec]> = match (kind, len_byte) {
                (0, _) => Some(spec::TCP_OPT_EOL),
                (1, _) => Some(spec::TCP_OPT_NOP),
                (2, Some(4)) => Some(spec::TCP_OPT_MSS),
                (3, Some(3)) => Some(spec::TCP_OPT_WSCALE),
                (4, Some(2)) => Some(spec::TCP_OPT_SACK_PERM),
                (8, Some(10)) => Some(spec::TCP_OPT_TIMESTAMP),
                _ => None,
            };
            if kind == 0 {
                eol_at = Some(base + 1);
            }
            if let Some(table) = table {
                out.extend(self.build(table, base, &explain_tcp_option));
                continue;
            }
            // SACK and the kinds without a table: head from the table, the rest by length.
            let wire_len = len_byte.filter(|l| *l >= 2).unwrap_or(opt.len.max(1));
            let is_sack = kind == 5 && matches!(opt.kind, TcpOptionKind::Sack(_));
            let head = if is_sack {
                spec::TCP_OPT_SACK_HEAD
            } else {
                spec::TCP_OPT_OTHER_HEAD
            };
            let mut sub = self.build(head, base, &explain_tcp_option);
            if is_sack {
                let mut block = base + 2;
                while block + 8 <= base + wire_len {
                    sub.extend(self.build(spec::TCP_SACK_BLOCK, block, &explain_tcp_option));
                    block += 8;
                }
            } else if wire_len > 2 {
                sub.extend(self.opaque("value", None, base + 2..base + wire_len));
            }
            let (name, ws) = if is_sack {
                ("SACK blocks".to_string(), Some("tcp.options.sack"))
            } else {
                (format!("option kind {kind} ({})", option_name(kind)), None)
            };
            if let Some(mut parent) =
                opaque(&name, ws, self.data, base..base + wire_len, self.limit)
            {
                if !parent.is_cut() {
                    parent.value = opt.kind.describe();
                }
                parent.fields = sub;
                out.push(parent);
            }
        }
        if let Some(pad) = eol_at.filter(|p| *p < end) {
            let mut f = self.opaque("padding after end of list", None, pad..end);
            if let Some(f) = f.first_mut() {
                f.meaning = Some("zero bytes up to the data offset".into());
            }
            out.extend(f);
        }
        out
    }

    fn icmp(&self, span: &LayerSpan) -> MapLayer {
        let at = span.offset;
        let v6 = span.kind == LayerKind::Icmpv6;
        let t = self.data.get(at).copied().unwrap_or(0);
        let code = self.data.get(at + 1).copied().unwrap_or(0);
        let info = match &self.packet.transport {
            Some(Transport::Icmp(i)) => Some(i),
            _ => None,
        };
        let description = info.map(|i| i.description.clone());
        let explain = |s: &FieldSpec, r: &Raw<'_>| match s.name {
            "type" => Explained {
                value: None,
                meaning: description.clone(),
            },
            "code" if code == 0 => Explained::meaning("no sub-type"),
            "next-hop MTU" | "MTU" => {
                Explained::meaning("bytes: the largest packet the link takes")
            }
            "identifier" | "sequence number" => {
                Explained::meaning("matches a reply to its request")
            }
            "unused" | "reserved" => Explained::meaning("zero"),
            _ => explain_ip(s, r),
        };
        let (head, rest): (&[FieldSpec], &[FieldSpec]) = if v6 {
            let rest = match t {
                128 | 129 => spec::ICMPV6_ECHO,
                1 | 3 => spec::ICMPV6_RESERVED,
                2 => spec::ICMPV6_MTU,
                4 => spec::ICMPV6_POINTER,
                _ => spec::ICMPV6_REST,
            };
            (spec::ICMPV6, rest)
        } else {
            let rest = match (t, code) {
                (0 | 8, _) => spec::ICMPV4_ECHO,
                (3, 4) => spec::ICMPV4_FRAG_NEEDED,
                (3 | 11, _) => spec::ICMPV4_UNUSED,
                (5, _) => spec::ICMPV4_REDIRECT,
                _ => spec::ICMPV4_REST,
            };
            (spec::ICMPV4, rest)
        };
        let mut fields = self.build(head, at, &explain);
        fields.extend(self.build(rest, at, &explain));
        let (name, tag) = if v6 {
            ("ICMPv6", "icmp6")
        } else {
            ("ICMP", "icmp")
        };
        layer(name, tag, ModelLayer::Network, Some(3), span, fields)
    }

    /// The packet an ICMP error quotes, as nested layers: its IP header, the start of its
    /// transport header, and whatever data follows.
    fn quote(&self, span: &LayerSpan) -> Vec<MapLayer> {
        let end = (span.offset + span.len).min(self.data.len());
        let bytes = &self.data[span.offset.min(end)..end];
        let q = Mapper {
            limit: Limit {
                end,
                cut_by: if end == self.data.len() && self.frame.is_truncated() {
                    "snaplen"
                } else {
                    "the ICMP quote"
                },
            },
            ..*self
        };
        let mut out = Vec::new();
        let offset_of =
            |s: &[u8]| (s.as_ptr() as usize).saturating_sub(self.data.as_ptr() as usize);
        let mut next = span.offset;
        let mut proto = None;
        if let Ok(sliced) = LaxSlicedPacket::from_ip(bytes) {
            match &sliced.net {
                Some(LaxNetSlice::Ipv4(v4)) => {
                    let h = v4.header().slice();
                    let s = LayerSpan {
                        kind: LayerKind::Ipv4,
                        offset: offset_of(h),
                        len: h.len(),
                    };
                    let mut l = q.ipv4(&s, true);
                    l.name = "IPv4 (quoted)".into();
                    l.tag = "q-ip".into();
                    out.push(l);
                    next = s.offset + s.len;
                    proto = Some((v4.payload().ip_number, offset_of(v4.payload().payload)));
                }
                Some(LaxNetSlice::Ipv6(v6)) => {
                    let h = v6.header().slice();
                    let s = LayerSpan {
                        kind: LayerKind::Ipv6,
                        offset: offset_of(h),
                        len: h.len(),
                    };
                    let mut l = q.layer(&s, None);
                    l.name = "IPv6 (quoted)".into();
                    l.tag = "q-ip6".into();
                    l.quoted = true;
                    out.push(l);
                    next = s.offset + s.len;
                    let p = v6.payload();
                    let pstart = offset_of(p.payload);
                    if pstart > next {
                        let s = LayerSpan {
                            kind: LayerKind::Payload,
                            offset: next,
                            len: pstart - next,
                        };
                        let mut l = layer(
                            "IPv6 extensions (quoted)",
                            "q-ext",
                            ModelLayer::Network,
                            Some(3),
                            &s,
                            q.opaque("extension headers", None, next..pstart),
                        );
                        l.quoted = true;
                        out.push(l);
                        next = pstart;
                    }
                    proto = Some((p.ip_number, pstart));
                }
                _ => {}
            }
            if let Some((number, pstart)) = proto {
                let hdr = match &sliced.transport {
                    Some(TransportSlice::Tcp(t)) => Some(t.header_slice().len()),
                    Some(TransportSlice::Udp(_)) => Some(8),
                    _ => None,
                };
                let avail = end.saturating_sub(pstart);
                let (kind, len) = match (number, hdr) {
                    (IpNumber::TCP, Some(h)) => (Some(LayerKind::Tcp), h),
                    (IpNumber::TCP, None) => (Some(LayerKind::Tcp), avail.min(20)),
                    (IpNumber::UDP, _) => (Some(LayerKind::Udp), avail.min(8)),
                    _ => (None, 0),
                };
                if let Some(kind) = kind.filter(|_| len > 0) {
                    let s = LayerSpan {
                        kind: kind.clone(),
                        offset: pstart,
                        len,
                    };
                    let mut l = if kind == LayerKind::Tcp {
                        q.tcp(&s, true)
                    } else {
                        q.layer(&s, None)
                    };
                    l.name = format!("{} (quoted)", l.name);
                    l.tag = format!("q-{}", l.tag);
                    l.quoted = true;
                    out.push(l);
                    next = pstart + len;
                }
            }
        }
        if next < end {
            let s = LayerSpan {
                kind: LayerKind::Payload,
                offset: next,
                len: end - next,
            };
            let name = if out.is_empty() {
                "quoted data"
            } else {
                "payload (quoted)"
            };
            let mut fields = q.opaque("data", None, next..end);
            q.preview_value(&mut fields);
            let mut l = layer(name, "q-data", ModelLayer::Application, None, &s, fields);
            l.quoted = true;
            out.push(l);
        }
        out
    }

    fn trailer(&self, span: &LayerSpan) -> MapLayer {
        let at = span.offset;
        let end = at + span.len;
        let ethernet = matches!(self.packet.link, Link::Ethernet { .. });
        let mut fields = Vec::new();
        let mut name = "trailer";
        if ethernet {
            let pad_end = end.min(60).max(at);
            if pad_end > at {
                let mut f = self.opaque("padding", Some("eth.padding"), at..pad_end);
                for f in &mut f {
                    f.meaning = Some("fills the frame up to Ethernet's 60-byte minimum".into());
                }
                fields.extend(f);
                name = "padding";
            }
            // Wireshark takes the last 4 bytes of a trailer as the FCS when the frame is at
            // least 64 bytes long; the CRC says whether that guess holds.
            let whole = !self.frame.is_truncated() && self.data.len() == end;
            let fcs_at = (whole && end >= 64 && end >= pad_end + 4).then(|| end - 4);
            let trailer_end = fcs_at.unwrap_or(end);
            if trailer_end > pad_end {
                let ws = if self.packet.vlans.is_empty() {
                    "eth.trailer"
                } else {
                    "vlan.trailer"
                };
                fields.extend(self.opaque("trailer", Some(ws), pad_end..trailer_end));
                name = "trailer";
            }
            if let Some(at) = fcs_at {
                let stored = u32::from_le_bytes([
                    self.data[at],
                    self.data[at + 1],
                    self.data[at + 2],
                    self.data[at + 3],
                ]);
                let mut f = self.opaque("frame check sequence", Some("eth.fcs"), at..end);
                for f in &mut f {
                    f.value = format!("0x{stored:08x}");
                    f.meaning = Some(if crc32(&self.data[..at]) == stored {
                        "CRC-32 over the frame: correct".into()
                    } else {
                        "does not match the frame's CRC-32: trailer bytes, or a damaged frame"
                            .into()
                    });
                }
                fields.extend(f);
                name = "trailer";
            }
        } else {
            fields.extend(self.opaque("trailer", None, at..end));
        }
        let mut l = layer(name, "pad", ModelLayer::Link, Some(2), span, fields);
        l.note = Some("bytes after the end of the IP packet, not part of it".into());
        l
    }
}

const COOKED_NOTE: &str = "pseudo-header written by libpcap on Linux \"any\" captures; \
                           not sent on any wire";

fn rename(fields: &mut [MapField], from: &str, to: &'static str) {
    for f in fields {
        if f.wireshark == Some(from) {
            f.wireshark = Some(to);
        }
    }
}

fn family_name(family: u32, lt: LinkType) -> String {
    let what = match family {
        2 => "AF_INET: IPv4",
        10 => "AF_INET6 (Linux): IPv6",
        24 => "AF_INET6 (OpenBSD, NetBSD): IPv6",
        28 => "AF_INET6 (FreeBSD): IPv6",
        30 => "AF_INET6 (macOS): IPv6",
        _ => "unknown address family",
    };
    if lt == LinkType::LOOP {
        format!("{what} (network byte order)")
    } else {
        format!("{what} (in the capturing host's byte order)")
    }
}

/// Names of common EtherTypes.
pub(crate) fn ethertype_name(t: u16) -> &'static str {
    match t {
        0x0800 => "IPv4",
        0x0806 => "ARP",
        0x86dd => "IPv6",
        0x8100 => "802.1Q VLAN tag follows",
        0x88a8 => "802.1ad service tag follows",
        0x9100 => "QinQ VLAN tag follows",
        0x8035 => "RARP",
        0x8847 | 0x8848 => "MPLS",
        0x8863 => "PPPoE discovery",
        0x8864 => "PPPoE session",
        0x888e => "802.1X EAPOL",
        0x88cc => "LLDP",
        0x88e5 => "MACsec",
        0x88f7 => "PTP",
        0x9000 => "loopback test",
        0..0x0600 => "a length (IEEE 802.3)",
        _ => "unknown EtherType",
    }
}

fn mac_meaning(bytes: &[u8]) -> Option<String> {
    if bytes.iter().all(|b| *b == 0xff) {
        Some("broadcast".into())
    } else if bytes.iter().all(|b| *b == 0) {
        Some("all zeros (the loopback interface has no MAC)".into())
    } else if bytes.first().is_some_and(|b| b & 1 == 1) {
        Some("multicast".into())
    } else {
        None
    }
}

fn flag_bit(r: &Raw<'_>) -> Explained {
    Explained::meaning(if r.num == Some(0) { "not set" } else { "set" })
}

fn explain_link(s: &FieldSpec, r: &Raw<'_>) -> Explained {
    let n = r.num.unwrap_or(0);
    match s.wireshark {
        "eth.dst" | "eth.src" | "sll.src.eth" | "arp.src.hw_mac" | "arp.dst.hw_mac" => Explained {
            value: None,
            meaning: mac_meaning(r.bytes),
        },
        "eth.dst.lg" | "eth.src.lg" => Explained::meaning(if n == 1 {
            "locally administered address"
        } else {
            "globally unique (factory) address"
        }),
        "eth.dst.ig" | "eth.src.ig" => Explained::meaning(if n == 1 {
            "group (multicast/broadcast)"
        } else {
            "individual (unicast)"
        }),
        "eth.type" | "vlan.etype" | "ieee8021ah.etype" | "sll.etype" => {
            Explained::meaning(ethertype_name(n as u16))
        }
        "eth.len" => Explained::meaning("bytes of 802.2 LLC data follow"),
        "sll.pkttype" => Explained::meaning(match n {
            0 => "to this host",
            1 => "broadcast",
            2 => "multicast",
            3 => "to another host (seen in promiscuous mode)",
            4 => "outgoing: sent by this host",
            _ => "unknown",
        }),
        "sll.hatype" => Explained::meaning(match n {
            1 => "ARPHRD_ETHER: Ethernet",
            772 => "ARPHRD_LOOPBACK: the loopback interface",
            776 => "ARPHRD_SIT: IPv6-in-IPv4 tunnel",
            778 => "ARPHRD_IPGRE: GRE tunnel",
            65534 => "ARPHRD_NONE: no link header (tun)",
            824 => "ARPHRD_NETLINK: netlink",
            _ => "ARPHRD_ type",
        }),
        "sll.halen" => Explained::meaning(format!("{n}-byte link-layer address")),
        "sll.ifindex" => Explained::meaning("interface index on the capturing host"),
        "vlan.priority" | "ieee8021ad.priority" => Explained::meaning(match n {
            0 => "best effort",
            1 => "background",
            5 => "video",
            6 => "voice",
            7 => "network control",
            _ => "priority class",
        }),
        "vlan.dei" | "ieee8021ad.dei" => flag_bit(r),
        "vlan.id" | "ieee8021ad.id" => Explained::meaning(match n {
            0 => "priority tag only, no VLAN".to_string(),
            4095 => "reserved".to_string(),
            _ => format!("VLAN {n}"),
        }),
        _ => Explained::default(),
    }
}

fn explain_arp(s: &FieldSpec, r: &Raw<'_>) -> Explained {
    let n = r.num.unwrap_or(0);
    match s.wireshark {
        "arp.hw.type" => Explained::meaning(if n == 1 { "Ethernet" } else { "hardware type" }),
        "arp.proto.type" => Explained::meaning(ethertype_name(n as u16)),
        "arp.hw.size" => m(if n == 6 {
            "bytes: a MAC address"
        } else {
            "bytes"
        }),
        "arp.proto.size" => m(if n == 4 {
            "bytes: an IPv4 address"
        } else {
            "bytes"
        }),
        "arp.opcode" => Explained::meaning(match n {
            1 => "request: who has the target IP address?",
            2 => "reply: the sender IP address is at the sender MAC",
            3 => "RARP request",
            4 => "RARP reply",
            _ => "unknown operation",
        }),
        "arp.dst.hw_mac" if r.bytes.iter().all(|b| *b == 0) => {
            Explained::meaning("unknown yet: this is what the request asks")
        }
        _ => explain_link(s, r),
    }
}

fn dscp_name(d: u64) -> String {
    match d {
        0 => "default (best effort)".into(),
        46 => "EF: expedited forwarding".into(),
        44 => "VOICE-ADMIT".into(),
        10 | 12 | 14 | 18 | 20 | 22 | 26 | 28 | 30 | 34 | 36 | 38 => {
            format!("AF{}{}", d / 8, (d % 8) / 2)
        }
        d if d % 8 == 0 => format!("CS{}", d / 8),
        _ => "unassigned".into(),
    }
}

fn ecn_name(e: u64) -> &'static str {
    match e {
        0 => "Not-ECT: no ECN",
        1 => "ECT(1)",
        2 => "ECT(0)",
        _ => "CE: congestion experienced",
    }
}

fn addr_meaning(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(a) => {
            if a.is_loopback() {
                Some("loopback (this host)")
            } else if a.is_private() {
                Some("private (RFC 1918)")
            } else if a.is_broadcast() {
                Some("broadcast")
            } else if a.is_multicast() {
                Some("multicast")
            } else if a.is_link_local() {
                Some("link-local")
            } else if a.is_unspecified() {
                Some("unspecified")
            } else {
                None
            }
        }
        IpAddr::V6(a) => {
            let s = a.segments()[0];
            if a.is_loopback() {
                Some("loopback (this host)")
            } else if a.is_multicast() {
                Some("multicast")
            } else if s & 0xffc0 == 0xfe80 {
                Some("link-local")
            } else if s & 0xfe00 == 0xfc00 {
                Some("unique local")
            } else if a.is_unspecified() {
                Some("unspecified")
            } else {
                None
            }
        }
    }
}

fn ip_number_name(n: u64) -> String {
    let n = u8::try_from(n).unwrap_or(255);
    match IpNumber(n).keyword_str() {
        Some(k) => k.to_string(),
        None => "unassigned".into(),
    }
}

fn explain_ip(s: &FieldSpec, r: &Raw<'_>) -> Explained {
    let n = r.num.unwrap_or(0);
    match s.wireshark {
        "ip.version" | "ipv6.version" => m(match n {
            4 => "IPv4",
            6 => "IPv6",
            _ => "not 4 or 6: malformed",
        }),
        "ip.hdr_len" => m(format!("{n} × 4 = {} bytes", n * 4)),
        "ip.dsfield.dscp" | "ipv6.tclass.dscp" => m(dscp_name(n)),
        "ip.dsfield.ecn" | "ipv6.tclass.ecn" => m(ecn_name(n)),
        "ip.dsfield" | "ipv6.tclass" => m(format!("DSCP {}, ECN {}", n >> 2, n & 3)),
        "ip.len" => m("bytes: header + payload"),
        "ip.id" => m(format!("{n}")),
        "ip.flags" => {
            let mut names = Vec::new();
            if n & 0b100 != 0 {
                names.push("reserved");
            }
            if n & 0b010 != 0 {
                names.push("DF");
            }
            if n & 0b001 != 0 {
                names.push("MF");
            }
            m(if names.is_empty() {
                "none".to_string()
            } else {
                names.join("+")
            })
        }
        "ip.flags.rb" | "ip.flags.df" | "ip.flags.mf" | "ipv6.fragment.more" => flag_bit(r),
        "ip.frag_offset" | "ipv6.fragment.offset" => m(if n == 0 {
            "0: the first (or only) fragment".to_string()
        } else {
            format!("{n} × 8 = {} bytes into the datagram", n * 8)
        }),
        "ip.ttl" => m("hops left before a router drops the packet"),
        "ipv6.hlim" => m("hops left before a router drops the packet"),
        "ip.proto" | "ipv6.nxt" | "ipv6.hopopts.nxt" | "ipv6.routing.nxt" | "ipv6.fragment.nxt"
        | "ipv6.dstopts.nxt" | "ah.next_header" => m(ip_number_name(n)),
        "ip.src" | "ip.dst" => Explained {
            value: None,
            meaning: <[u8; 4]>::try_from(r.bytes)
                .ok()
                .and_then(|a| addr_meaning(Ipv4Addr::from(a).into()))
                .map(String::from),
        },
        "ipv6.src" | "ipv6.dst" => Explained {
            value: None,
            meaning: <[u8; 16]>::try_from(r.bytes)
                .ok()
                .and_then(|a| addr_meaning(Ipv6Addr::from(a).into()))
                .map(String::from),
        },
        "ipv6.flow" => m(if n == 0 { "none" } else { "flow label" }),
        "ipv6.plen" => m("bytes after this 40-byte header"),
        "ipv6.hopopts.len" | "ipv6.dstopts.len" | "ipv6.routing.len" => {
            m(format!("({n} + 1) × 8 = {} bytes", (n + 1) * 8))
        }
        _ => Explained::default(),
    }
}

fn port_name(p: u64) -> Option<&'static str> {
    Some(match p {
        20 | 21 => "FTP",
        22 => "SSH",
        23 => "telnet",
        25 => "SMTP",
        53 => "DNS",
        67 | 68 => "DHCP",
        80 => "HTTP",
        110 => "POP3",
        123 => "NTP",
        143 => "IMAP",
        161 | 162 => "SNMP",
        179 => "BGP",
        443 => "HTTPS",
        514 => "syslog",
        853 => "DNS over TLS",
        _ => return None,
    })
}

fn explain_port(r: &Raw<'_>) -> Explained {
    let n = r.num.unwrap_or(0);
    Explained {
        value: None,
        meaning: port_name(n)
            .map(String::from)
            .or_else(|| (n >= 32768).then(|| "ephemeral (client side)".to_string())),
    }
}

fn explain_tcp(s: &FieldSpec, r: &Raw<'_>, flags: Option<u16>, scale: Option<u8>) -> Explained {
    let n = r.num.unwrap_or(0);
    let flags = flags.unwrap_or(0);
    let syn = flags & 0x002 != 0;
    match s.wireshark {
        "tcp.srcport" | "tcp.dstport" => explain_port(r),
        "tcp.seq_raw" if syn => m("initial sequence number (ISN), chosen at random"),
        "tcp.seq_raw" => m("number of the first data byte (raw)"),
        "tcp.ack_raw" if flags & 0x010 == 0 => m("not used: the ACK flag is clear"),
        "tcp.ack_raw" => m("next byte expected from the peer (raw)"),
        "tcp.hdr_len" => m(format!("{n} × 4 = {} bytes", n * 4)),
        "tcp.flags" => Explained {
            value: Some(format!("0x{n:03x}")),
            meaning: Some({
                // Ascending bit order, as Wireshark's Info column writes them: "PSH, ACK".
                let mut names = flag_names(n as u16);
                names.reverse();
                if names.is_empty() {
                    "no flags".into()
                } else {
                    names.join("+")
                }
            }),
        },
        "tcp.window_size_value" => m(if syn {
            "bytes; never scaled in a SYN".to_string()
        } else {
            match scale {
                Some(sh) => {
                    let sh = sh.min(14);
                    format!("{n} × 2^{sh} = {} bytes the receiver can take", n << sh)
                }
                None => "× the window scale (unknown: the handshake was not seen)".to_string(),
            }
        }),
        "tcp.urgent_pointer" if flags & 0x020 == 0 => m("not used: the URG flag is clear"),
        _ if s.bits.is_some() => flag_bit(r),
        _ => Explained::default(),
    }
}

fn option_name(kind: u8) -> &'static str {
    match kind {
        0 => "end of option list",
        1 => "no-operation",
        2 => "maximum segment size",
        3 => "window scale",
        4 => "SACK permitted",
        5 => "SACK",
        8 => "timestamps",
        19 => "MD5 signature",
        28 => "user timeout",
        29 => "TCP-AO",
        30 => "multipath TCP",
        34 => "TCP Fast Open cookie",
        253 | 254 => "experimental",
        _ => "unknown",
    }
}

fn explain_tcp_option(s: &FieldSpec, r: &Raw<'_>) -> Explained {
    let n = r.num.unwrap_or(0);
    match s.wireshark {
        "tcp.option_kind" => m(option_name(u8::try_from(n).unwrap_or(255))),
        "tcp.option_len" => m("bytes, kind and length included"),
        "tcp.options.mss_val" => m("largest segment payload the sender accepts, in bytes"),
        "tcp.options.wscale.shift" => m(format!(
            "windows from this side are × 2^{n} = {}",
            1u64 << n.min(14)
        )),
        "tcp.options.timestamp.tsval" => m("sender's clock"),
        "tcp.options.timestamp.tsecr" => m("echo of the peer's latest clock value"),
        "tcp.options.sack_le" | "tcp.options.sack_re" => m("raw sequence number"),
        _ => Explained::default(),
    }
}

fn explain_udp(s: &FieldSpec, r: &Raw<'_>) -> Explained {
    let n = r.num.unwrap_or(0);
    match s.wireshark {
        "udp.srcport" | "udp.dstport" => explain_port(r),
        "udp.length" => Explained::meaning(format!(
            "8-byte header + {} bytes of payload",
            n.saturating_sub(8)
        )),
        _ => Explained::default(),
    }
}

/// "Record Route, NOP, ..." for an IPv4 options area.
fn ipv4_options(area: &[u8]) -> String {
    let mut names = Vec::new();
    let mut i = 0;
    while let Some(&kind) = area.get(i) {
        let name = match kind {
            0 => "end of list",
            1 => "NOP",
            7 => "record route",
            68 => "timestamp",
            130 => "security",
            131 => "loose source route",
            137 => "strict source route",
            148 => "router alert",
            _ => "option",
        };
        names.push(format!("{name} ({kind})"));
        if kind == 0 {
            break;
        }
        if kind == 1 {
            i += 1;
            continue;
        }
        match area.get(i + 1) {
            Some(&len) if len >= 2 => i += usize::from(len),
            _ => break,
        }
    }
    names.join(", ")
}

fn m(text: impl Into<String>) -> Explained {
    Explained::meaning(text)
}

/// IEEE 802.3 CRC-32 (reflected, polynomial 0xedb88320), as Ethernet's FCS carries it.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_check_value() {
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
    }
}
