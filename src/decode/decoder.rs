//! The decoder: walks etherparse's slices of a frame, records each layer's span and keeps the
//! fields analysis needs; tunnels are entered and decoded the same way.

use std::net::IpAddr;

use etherparse::{LaxNetSlice, LaxSlicedPacket, LinkSlice};

use super::tunnel::mpls;
use super::{ArpInfo, DecodeStop, IpInfo, LayerKind, LayerSpan, LinkAddr, Net, Packet};

pub(super) struct Decoder<'p, 'd> {
    pub(super) data: &'d [u8],
    pub(super) orig_len: usize,
    /// End of the packet being decoded (an inner packet ends where its tunnel's payload does).
    pub(super) limit: usize,
    /// Tunnels entered so far.
    pub(super) depth: u8,
    pub(super) packet: &'p mut Packet,
    /// A buffer for the TCP options, from the packet decoded before.
    pub(super) spare_options: Vec<super::TcpOption>,
}

/// Most tunnels decoded inside each other; hostile frames may nest more.
pub(super) const MAX_TUNNEL_DEPTH: u8 = 4;

impl Decoder<'_, '_> {
    pub(super) fn offset_of(&self, slice: &[u8]) -> usize {
        (slice.as_ptr() as usize).saturating_sub(self.data.as_ptr() as usize)
    }

    pub(super) fn span(&mut self, kind: LayerKind, slice: &[u8]) {
        let offset = self.offset_of(slice);
        self.packet.layers.push(LayerSpan {
            kind,
            offset,
            len: slice.len(),
        });
    }

    pub(super) fn run(&mut self, sliced: &LaxSlicedPacket<'_>) {
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

    /// Decodes the packet inside a tunnel; it becomes the packet's network and transport.
    pub(super) fn enter(
        &mut self,
        kind: LayerKind,
        header: &[u8],
        inner: &LaxSlicedPacket<'_>,
        end: usize,
    ) {
        self.span(kind, header);
        let outer_limit = self.limit;
        self.limit = end.min(outer_limit);
        self.depth += 1;
        self.run(inner);
        self.depth -= 1;
        self.limit = outer_limit;
        self.trailer_from(end);
    }

    pub(super) fn set_payload(&mut self, payload: &[u8]) {
        let start = self.offset_of(payload);
        self.packet.payload = start..start + payload.len();
        if !payload.is_empty() {
            self.span(LayerKind::Payload, payload);
        }
    }

    /// Marks captured bytes after `end` (Ethernet padding, trailers) as a trailer.
    pub(super) fn trailer_from(&mut self, end: usize) {
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
pub(super) fn mark_rest(packet: &mut Packet, data: &[u8]) {
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
