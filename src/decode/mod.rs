//! Decoding a captured frame into layers and header fields, with etherparse doing the header
//! parsing. Pure: a [`Packet`] is a function of the frame's bytes and link type only.
//!
//! Decoding never fails: whatever could be decoded is kept, and `stop` says where and why
//! decoding ended early (a truncated capture, a malformed header, an unknown protocol).

mod icmp;
mod link;
mod stop;
pub mod tcp;
mod tunnel;
mod wifi;

use std::net::IpAddr;
use std::ops::Range;

use etherparse::{
    IpNumber, LaxIpPayloadSlice, LaxNetSlice, LaxSlicedPacket, LinkSlice, TransportSlice,
};

use crate::capture::{Frame, LinkType};
pub use icmp::{IcmpInfo, IcmpKind, Quote, QuotedFlow, Unreachable, parse_quote};
pub use link::{ARPHRD_NETLINK, Link, LinkAddr};
pub use stop::{DecodeStop, HeaderProblem, LinkHeader, PppControl};
pub use tcp::{TcpInfo, TcpOption, TcpOptionKind};
use tunnel::{mpls, tunnel};
pub use wifi::WifiFrame;

/// What a span of bytes in a frame is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LayerKind {
    /// Ethernet II header.
    Ethernet,
    /// Linux cooked capture v1 header.
    LinuxSll,
    /// Linux cooked capture v2 header.
    LinuxSll2,
    /// BSD (NULL) or OpenBSD (LOOP) loopback header.
    Loopback,
    /// An 802.1Q / 802.1ad VLAN tag.
    Vlan,
    /// MACsec header.
    Macsec,
    /// ARP packet.
    Arp,
    /// IPv4 header, options included.
    Ipv4,
    /// IPv6 fixed header.
    Ipv6,
    /// One IPv6 extension header (its IP protocol number).
    Ipv6Extension(u8),
    /// TCP header, options included.
    Tcp,
    /// UDP header.
    Udp,
    /// ICMPv4 message header.
    Icmpv4,
    /// ICMPv6 message header.
    Icmpv6,
    /// Application data (or any bytes above the last decoded header).
    Payload,
    /// Bytes after the IP packet (Ethernet padding or a trailer).
    Trailer,
    /// Another link-layer header (PPP, Cisco HDLC, ARCNET, NFLOG, IPoIB, 802.11, ...).
    LinkHeader(LinkHeader),
    /// A tunnel or label header between an outer and an inner packet (GRE, MPLS, ERSPAN).
    Tunnel(&'static str),
}

impl LayerKind {
    /// Display name of the layer.
    pub fn name(&self) -> String {
        match self {
            LayerKind::Ethernet => "Ethernet".into(),
            LayerKind::LinuxSll => "Linux cooked (SLL)".into(),
            LayerKind::LinuxSll2 => "Linux cooked v2 (SLL2)".into(),
            LayerKind::Loopback => "Loopback".into(),
            LayerKind::Vlan => "802.1Q VLAN".into(),
            LayerKind::Macsec => "MACsec".into(),
            LayerKind::Arp => "ARP".into(),
            LayerKind::Ipv4 => "IPv4".into(),
            LayerKind::Ipv6 => "IPv6".into(),
            LayerKind::Ipv6Extension(n) => {
                let name = IpNumber(*n).keyword_str().unwrap_or("extension");
                format!("IPv6 {name}")
            }
            LayerKind::Tcp => "TCP".into(),
            LayerKind::Udp => "UDP".into(),
            LayerKind::Icmpv4 => "ICMP".into(),
            LayerKind::Icmpv6 => "ICMPv6".into(),
            LayerKind::Payload => "payload".into(),
            LayerKind::Trailer => "trailer".into(),
            LayerKind::LinkHeader(header) => header.name().into(),
            LayerKind::Tunnel(name) => (*name).into(),
        }
    }
}

/// A layer's position in the frame: absolute byte offset and captured length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerSpan {
    /// What the bytes are.
    pub kind: LayerKind,
    /// Offset of the first byte from the start of the frame.
    pub offset: usize,
    /// Number of captured bytes (may be less than the header declares when truncated).
    pub len: usize,
}

/// IP-layer facts kept for analysis and display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IpInfo {
    /// 4 or 6.
    pub version: u8,
    /// Source address.
    pub src: IpAddr,
    /// Destination address.
    pub dst: IpAddr,
    /// TTL (IPv4) or hop limit (IPv6).
    pub ttl: u8,
    /// Protocol of the payload (after IPv6 extension headers).
    pub protocol: u8,
    /// IPv4 identification, IPv6 fragment identification when fragmented.
    pub id: Option<u32>,
    /// IPv4 don't-fragment bit.
    pub dont_fragment: bool,
    /// Payload length on the wire according to the IP header (after extension headers).
    pub payload_len: usize,
    /// The payload is a fragment: (offset in bytes, more fragments follow).
    pub fragment: Option<(u32, bool)>,
}

/// ARP facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArpInfo {
    /// 1 = request, 2 = reply, others by number.
    pub operation: u16,
    /// Sender hardware address.
    pub sender_mac: LinkAddr,
    /// Sender protocol address (IPv4 when the packet is Ethernet/IPv4).
    pub sender_ip: Option<IpAddr>,
    /// Target hardware address.
    pub target_mac: LinkAddr,
    /// Target protocol address.
    pub target_ip: Option<IpAddr>,
}

/// UDP header fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UdpInfo {
    /// Source port.
    pub sport: u16,
    /// Destination port.
    pub dport: u16,
    /// Length field (header + payload).
    pub length: u16,
    /// Checksum field (0 = none, IPv4 only).
    pub checksum: u16,
}

/// The network layer of a packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Net {
    /// IPv4 or IPv6.
    Ip(IpInfo),
    /// ARP.
    Arp(ArpInfo),
}

/// The transport layer of a packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transport {
    /// A TCP segment.
    Tcp(TcpInfo),
    /// A UDP datagram.
    Udp(UdpInfo),
    /// ICMP or ICMPv6.
    Icmp(IcmpInfo),
}

/// A decoded frame: which bytes are which layer, and the fields analysis needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packet {
    /// The link-layer header.
    pub link: Link,
    /// VLAN IDs, outermost first.
    pub vlans: Vec<u16>,
    /// The layers in wire order with their byte positions.
    pub layers: Vec<LayerSpan>,
    /// Network layer, when decoded.
    pub net: Option<Net>,
    /// Transport layer, when decoded.
    pub transport: Option<Transport>,
    /// Captured application payload, as a byte range of the frame.
    pub payload: Range<usize>,
    /// Application payload length on the wire (from the IP/UDP length fields), which the
    /// snaplen may have cut: TCP segment length or UDP payload length.
    pub payload_wire_len: usize,
    /// Why decoding stopped early, if it did.
    pub stop: Option<DecodeStop>,
}

impl Packet {
    /// The IP layer, if any.
    pub fn ip(&self) -> Option<&IpInfo> {
        match &self.net {
            Some(Net::Ip(ip)) => Some(ip),
            _ => None,
        }
    }

    /// The TCP header, if any.
    pub fn tcp(&self) -> Option<&TcpInfo> {
        match &self.transport {
            Some(Transport::Tcp(t)) => Some(t),
            _ => None,
        }
    }

    /// The UDP header, if any.
    pub fn udp(&self) -> Option<&UdpInfo> {
        match &self.transport {
            Some(Transport::Udp(u)) => Some(u),
            _ => None,
        }
    }
}

/// IANA keyword of an IP protocol number ("GRE", "ESP"), when it has one.
pub fn ip_protocol_keyword(protocol: u8) -> Option<&'static str> {
    IpNumber(protocol).keyword_str()
}

/// Decodes a frame. Never fails and never panics, whatever the bytes.
pub fn decode(frame: &Frame) -> Packet {
    decode_bytes(frame.linktype, &frame.data, frame.orig_len as usize)
}

/// Decodes raw frame bytes of a link type; `orig_len` is the frame's length on the wire.
pub fn decode_bytes(linktype: LinkType, data: &[u8], orig_len: usize) -> Packet {
    let mut packet = Packet {
        link: Link::Unknown(linktype),
        vlans: Vec::new(),
        layers: Vec::new(),
        net: None,
        transport: None,
        payload: data.len()..data.len(),
        payload_wire_len: 0,
        stop: None,
    };
    let (link, sliced) = link::slice(linktype, data, &mut packet.layers);
    packet.link = link;
    let sliced = match sliced {
        Ok(sliced) => sliced,
        Err(reason) => {
            packet.stop = Some(reason);
            mark_rest(&mut packet, data);
            return packet;
        }
    };
    Decoder {
        data,
        orig_len,
        limit: data.len(),
        depth: 0,
        packet: &mut packet,
    }
    .run(&sliced);
    packet
}

struct Decoder<'p, 'd> {
    data: &'d [u8],
    orig_len: usize,
    /// End of the packet being decoded (an inner packet ends where its tunnel's payload does).
    limit: usize,
    /// Tunnels entered so far.
    depth: u8,
    packet: &'p mut Packet,
}

/// Most tunnels decoded inside each other; hostile frames may nest more.
const MAX_TUNNEL_DEPTH: u8 = 4;

impl Decoder<'_, '_> {
    fn offset_of(&self, slice: &[u8]) -> usize {
        (slice.as_ptr() as usize).saturating_sub(self.data.as_ptr() as usize)
    }

    fn span(&mut self, kind: LayerKind, slice: &[u8]) {
        let offset = self.offset_of(slice);
        self.packet.layers.push(LayerSpan {
            kind,
            offset,
            len: slice.len(),
        });
    }

    fn run(&mut self, sliced: &LaxSlicedPacket<'_>) {
        if let Some(LinkSlice::Ethernet2(eth)) = &sliced.link {
            self.span(LayerKind::Ethernet, eth.header_slice());
        }
        for ext in &sliced.link_exts {
            match ext {
                etherparse::LaxLinkExtSlice::Vlan(v) => {
                    self.packet.vlans.push(v.vlan_identifier().value());
                    self.span(LayerKind::Vlan, &v.slice()[..4.min(v.slice().len())]);
                }
                etherparse::LaxLinkExtSlice::Macsec(m) => {
                    self.span(LayerKind::Macsec, m.header.slice());
                }
            }
        }
        match &sliced.net {
            Some(LaxNetSlice::Ipv4(v4)) => {
                let h = v4.header();
                self.span(LayerKind::Ipv4, h.slice());
                let payload = v4.payload();
                let frag_offset = u32::from(h.fragments_offset().value()) * 8;
                let fragment = (h.more_fragments() || frag_offset > 0)
                    .then_some((frag_offset, h.more_fragments()));
                let header_len = h.slice().len();
                let mut payload_len = usize::from(h.total_len()).saturating_sub(header_len);
                if h.total_len() == 0 {
                    // TCP segmentation offload captures carry a zero total length.
                    payload_len = self.wire_rest(payload.payload);
                }
                // A length larger than the frame on the wire: only the frame's bytes exist.
                payload_len = payload_len.min(self.wire_rest(payload.payload));
                self.packet.net = Some(Net::Ip(IpInfo {
                    version: 4,
                    src: h.source_addr().into(),
                    dst: h.destination_addr().into(),
                    ttl: h.ttl(),
                    protocol: payload.ip_number.0,
                    id: Some(u32::from(h.identification())),
                    dont_fragment: h.dont_fragment(),
                    payload_len,
                    fragment,
                }));
                self.ip_payload(payload, sliced);
            }
            Some(LaxNetSlice::Ipv6(v6)) => {
                let h = v6.header();
                self.span(LayerKind::Ipv6, h.slice());
                let mut fragment = None;
                let mut id = None;
                let mut ext_len = 0;
                // etherparse's extension iterator trusts the lax slicer and reads past the
                // end of a cut or malformed extension chain (its unchecked slicing aborts in
                // debug builds); walk the chain with the checked header parsers instead.
                let exts = v6.extensions();
                let mut rest = exts.slice();
                let mut next = exts.first_header();
                while let Some(number) = next {
                    use etherparse::{
                        IpAuthHeaderSlice, Ipv6FragmentHeaderSlice, Ipv6RawExtHeaderSlice,
                    };
                    let (bytes, following) = match number.0 {
                        0 | 43 | 60 => match Ipv6RawExtHeaderSlice::from_slice(rest) {
                            Ok(s) => (s.slice(), s.next_header()),
                            Err(_) => break,
                        },
                        44 => match Ipv6FragmentHeaderSlice::from_slice(rest) {
                            Ok(f) => {
                                let off = u32::from(f.fragment_offset().value()) * 8;
                                if off > 0 || f.more_fragments() {
                                    fragment = Some((off, f.more_fragments()));
                                }
                                id = Some(f.identification());
                                (f.slice(), f.next_header())
                            }
                            Err(_) => break,
                        },
                        51 => match IpAuthHeaderSlice::from_slice(rest) {
                            Ok(a) => (a.slice(), a.next_header()),
                            Err(_) => break,
                        },
                        _ => break,
                    };
                    if bytes.is_empty() || bytes.len() > rest.len() {
                        break;
                    }
                    ext_len += bytes.len();
                    self.span(LayerKind::Ipv6Extension(number.0), bytes);
                    rest = &rest[bytes.len()..];
                    next = Some(following);
                }
                let payload = v6.payload();
                let mut payload_len = usize::from(h.payload_length()).saturating_sub(ext_len);
                if h.payload_length() == 0 {
                    payload_len = self.wire_rest(payload.payload);
                }
                payload_len = payload_len.min(self.wire_rest(payload.payload));
                self.packet.net = Some(Net::Ip(IpInfo {
                    version: 6,
                    src: h.source_addr().into(),
                    dst: h.destination_addr().into(),
                    ttl: h.hop_limit(),
                    protocol: payload.ip_number.0,
                    id,
                    dont_fragment: false,
                    payload_len,
                    fragment,
                }));
                self.ip_payload(payload, sliced);
            }
            Some(LaxNetSlice::Arp(arp)) => {
                self.span(LayerKind::Arp, arp.slice());
                let p = arp.to_packet();
                let ip_of = |bytes: &[u8]| -> Option<IpAddr> {
                    <[u8; 4]>::try_from(bytes).ok().map(IpAddr::from)
                };
                self.packet.net = Some(Net::Arp(ArpInfo {
                    operation: p.operation.0,
                    sender_mac: LinkAddr::new(p.sender_hw_addr()),
                    sender_ip: ip_of(p.sender_protocol_addr()),
                    target_mac: LinkAddr::new(p.target_hw_addr()),
                    target_ip: ip_of(p.target_protocol_addr()),
                }));
                let end = self.offset_of(arp.slice()) + arp.slice().len();
                self.trailer_from(end);
            }
            None => {
                if let Some(ep) = sliced.ether_payload()
                    && matches!(ep.ether_type.0, 0x8847 | 0x8848)
                    && let Some((labels, inner)) = mpls(ep.payload)
                {
                    let end = self.offset_of(ep.payload) + ep.payload.len();
                    self.enter(
                        LayerKind::Tunnel("MPLS"),
                        &ep.payload[..labels],
                        &inner,
                        end,
                    );
                } else if let Some(ep) = sliced.ether_payload() {
                    let offset = self.offset_of(ep.payload);
                    self.packet.payload = offset..offset + ep.payload.len();
                    if !ep.payload.is_empty() {
                        self.span(LayerKind::Payload, ep.payload);
                    }
                }
            }
        }
        if let Some((err, _layer)) = &sliced.stop_err {
            self.packet
                .stop
                .get_or_insert_with(|| DecodeStop::from_slice_error(err));
        }
        if self.packet.stop.is_none() && self.data.len() < self.orig_len {
            self.packet.stop = Some(DecodeStop::Truncated {
                kept: self.data.len(),
                wire: self.orig_len,
            });
        }
    }

    /// Bytes of the IP payload on the wire, from the frame length, when IP says 0.
    fn wire_rest(&self, payload: &[u8]) -> usize {
        self.orig_len.saturating_sub(self.offset_of(payload))
    }

    fn ip_payload(&mut self, payload: &LaxIpPayloadSlice<'_>, sliced: &LaxSlicedPacket<'_>) {
        let ip_payload_len = match &self.packet.net {
            Some(Net::Ip(ip)) => ip.payload_len,
            _ => 0,
        };
        let ip_fragment = self.packet.ip().and_then(|ip| ip.fragment);
        let start = self.offset_of(payload.payload);
        let end = start + payload.payload.len();
        match &sliced.transport {
            Some(TransportSlice::Tcp(tcp)) => {
                let info = TcpInfo::decode(tcp.header_slice());
                self.span(LayerKind::Tcp, tcp.header_slice());
                if let Some(info) = info {
                    self.packet.payload_wire_len = ip_payload_len.saturating_sub(info.header_len);
                    self.packet.transport = Some(Transport::Tcp(info));
                }
                self.set_payload(tcp.payload());
            }
            Some(TransportSlice::Udp(udp)) => {
                self.span(LayerKind::Udp, udp.header_slice());
                let length = udp.length();
                let from_header = usize::from(length).checked_sub(8);
                self.packet.payload_wire_len =
                    from_header.unwrap_or(ip_payload_len.saturating_sub(8));
                self.packet.transport = Some(Transport::Udp(UdpInfo {
                    sport: udp.source_port(),
                    dport: udp.destination_port(),
                    length,
                    checksum: udp.checksum(),
                }));
                self.set_payload(udp.payload());
            }
            Some(TransportSlice::Icmpv4(icmp)) => {
                let header_len = icmp.header_len().min(icmp.slice().len());
                self.span(LayerKind::Icmpv4, &icmp.slice()[..header_len]);
                self.packet.transport = Some(Transport::Icmp(IcmpInfo::from_v4(icmp)));
                self.set_payload(icmp.payload());
            }
            Some(TransportSlice::Icmpv6(icmp)) => {
                let header_len = icmp.header_len().min(icmp.slice().len());
                self.span(LayerKind::Icmpv6, &icmp.slice()[..header_len]);
                self.packet.transport = Some(Transport::Icmp(IcmpInfo::from_v6(icmp)));
                self.set_payload(icmp.payload());
            }
            _ => {
                let bytes = payload.payload;
                let first = ip_fragment.is_none_or(|(off, _)| off == 0);
                if first
                    && ip_fragment.is_none()
                    && let Some((header_len, name, inner)) = tunnel(payload.ip_number.0, bytes)
                    && self.depth < MAX_TUNNEL_DEPTH
                {
                    self.enter(LayerKind::Tunnel(name), &bytes[..header_len], &inner, end);
                    return;
                }
                if first
                    && payload.ip_number == IpNumber::TCP
                    && let Some(info) = TcpInfo::decode(bytes)
                {
                    // A header cut by the snaplen, or the start of a fragmented segment.
                    let header_len = info.header_len.clamp(20, bytes.len().max(20));
                    let header_len = header_len.min(bytes.len());
                    self.span(LayerKind::Tcp, &bytes[..header_len]);
                    self.packet.payload_wire_len = ip_payload_len.saturating_sub(info.header_len);
                    self.packet.transport = Some(Transport::Tcp(info));
                    self.set_payload(&bytes[header_len..]);
                    if ip_fragment.is_some() {
                        self.packet.stop = Some(DecodeStop::FirstFragment);
                    }
                } else if first
                    && payload.ip_number == IpNumber::UDP
                    && bytes.len() >= 8
                    && let Ok(udp) = etherparse::UdpHeaderSlice::from_slice(&bytes[..8])
                {
                    // A datagram whose length field disagrees with IP, or a first fragment.
                    self.span(LayerKind::Udp, &bytes[..8]);
                    let length = udp.length();
                    self.packet.payload_wire_len = usize::from(length)
                        .checked_sub(8)
                        .unwrap_or(ip_payload_len.saturating_sub(8));
                    self.packet.transport = Some(Transport::Udp(UdpInfo {
                        sport: udp.source_port(),
                        dport: udp.destination_port(),
                        length,
                        checksum: udp.checksum(),
                    }));
                    self.set_payload(&bytes[8..]);
                    self.packet.stop = Some(if ip_fragment.is_some() {
                        DecodeStop::FirstFragment
                    } else {
                        DecodeStop::UdpLength {
                            udp: length,
                            ip: ip_payload_len,
                        }
                    });
                } else {
                    if let Some((offset, more)) = ip_fragment {
                        self.packet
                            .stop
                            .get_or_insert(DecodeStop::Fragment { offset, more });
                    }
                    self.packet.payload = start..end;
                    if end > start {
                        self.span(LayerKind::Payload, payload.payload);
                    }
                }
            }
        }
        self.trailer_from(end);
    }

    /// Decodes the packet inside a tunnel; it becomes the packet's network and transport.
    fn enter(&mut self, kind: LayerKind, header: &[u8], inner: &LaxSlicedPacket<'_>, end: usize) {
        self.span(kind, header);
        let outer_limit = self.limit;
        self.limit = end.min(outer_limit);
        self.depth += 1;
        self.run(inner);
        self.depth -= 1;
        self.limit = outer_limit;
        self.trailer_from(end);
    }

    fn set_payload(&mut self, payload: &[u8]) {
        let start = self.offset_of(payload);
        self.packet.payload = start..start + payload.len();
        if !payload.is_empty() {
            self.span(LayerKind::Payload, payload);
        }
    }

    /// Marks captured bytes after `end` (Ethernet padding, trailers) as a trailer.
    fn trailer_from(&mut self, end: usize) {
        if end < self.limit {
            self.packet.layers.push(LayerSpan {
                kind: LayerKind::Trailer,
                offset: end,
                len: self.limit - end,
            });
        }
    }
}

/// Marks everything after the last decoded layer as undecoded payload.
fn mark_rest(packet: &mut Packet, data: &[u8]) {
    let end = packet.layers.last().map(|l| l.offset + l.len).unwrap_or(0);
    if end < data.len() {
        packet.payload = end..data.len();
        packet.layers.push(LayerSpan {
            kind: LayerKind::Payload,
            offset: end,
            len: data.len() - end,
        });
    }
}
