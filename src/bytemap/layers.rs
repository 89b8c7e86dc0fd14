//! From decode's layer spans to mapped layers: picks each protocol's table, places it at the
//! layer's offset, and explains the values (with the decode structs and etherparse).

use etherparse::{IpNumber, LaxNetSlice, LaxSlicedPacket, TransportSlice};

use super::build::{Explained, Limit, Raw, build, opaque};
use super::explain::{
    crc32, explain_arp, explain_ip, explain_link, explain_tcp, explain_tcp_option, explain_udp,
    family_name, ipv4_options, option_name,
};
use super::spec::{self, FieldSpec};
use super::{MapContext, MapField, MapLayer, ModelLayer};
use crate::capture::{Frame, LinkType};
use crate::decode::tcp::{TcpOptionKind, parse_options};
use crate::decode::{LayerKind, LayerSpan, Link, Packet, Transport};
use crate::render::words::EN;
use crate::text::escape_bytes;

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
                    l.note = self.packet.stop.map(|s| EN.decode_stop(&s));
                }
                l
            }
            LayerKind::Trailer => self.trailer(span),
            LayerKind::LinkHeader(name) => {
                let fields = self.opaque("header", None, at..at + span.len);
                layer(name.name(), "link", ModelLayer::Link, Some(2), span, fields)
            }
            LayerKind::Tunnel(name) => {
                let fields = self.opaque("header", None, at..at + span.len);
                let mut l = layer(*name, "tunnel", ModelLayer::Network, None, span, fields);
                l.note = Some("a tunnel: the packet after it travels inside this one".into());
                l
            }
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
        let description = info.map(|i| EN.icmp(i));
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
