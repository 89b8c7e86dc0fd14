//! The frames most captures are made of, decoded straight from etherparse's header slices:
//! an Ethernet II frame carrying an IPv4 or IPv6 packet (no extension header, not a
//! fragment) with a whole TCP header or a UDP header, its payload possibly cut by the
//! snaplen.
//! The general decoder gives the same packet for these frames; it builds etherparse's full
//! sliced packet, a large value, and this path does not. Anything else is left to it.

use etherparse::{
    EtherType, Ethernet2HeaderSlice, IpNumber, Ipv4HeaderSlice, Ipv6HeaderSlice, TcpHeaderSlice,
    UdpSlice,
};

use super::{
    DecodeStop, IpInfo, LayerKind, LayerSpan, Link, Net, Packet, TcpInfo, Transport, UdpInfo,
};

/// An IP packet as its header slices it.
struct Ip<'a> {
    header: IpHeader<'a>,
    /// The captured IP payload, up to what the length field declares.
    payload: &'a [u8],
    /// The payload's length on the wire, as [`IpInfo::payload_len`] keeps it.
    payload_len: usize,
}

/// The header of an IPv4 or IPv6 packet.
enum IpHeader<'a> {
    V4(Ipv4HeaderSlice<'a>),
    V6(Ipv6HeaderSlice<'a>),
}

impl Ip<'_> {
    fn header_len(&self) -> usize {
        match &self.header {
            IpHeader::V4(h) => h.slice().len(),
            IpHeader::V6(h) => h.slice().len(),
        }
    }

    fn protocol(&self) -> IpNumber {
        match &self.header {
            IpHeader::V4(h) => h.protocol(),
            IpHeader::V6(h) => h.next_header(),
        }
    }

    /// The IP layer's fields, made where they are stored.
    #[inline(always)]
    fn info(&self) -> IpInfo {
        match &self.header {
            IpHeader::V4(h) => IpInfo {
                version: 4,
                src: h.source_addr().into(),
                dst: h.destination_addr().into(),
                ttl: h.ttl(),
                protocol: h.protocol().0,
                id: Some(u32::from(h.identification())),
                dont_fragment: h.dont_fragment(),
                payload_len: self.payload_len,
                fragment: None,
            },
            IpHeader::V6(h) => IpInfo {
                version: 6,
                src: h.source_addr().into(),
                dst: h.destination_addr().into(),
                ttl: h.hop_limit(),
                protocol: h.next_header().0,
                id: None,
                dont_fragment: false,
                payload_len: self.payload_len,
                fragment: None,
            },
        }
    }
}

/// The transport header found in the IP payload.
enum Header<'a> {
    Tcp(TcpHeaderSlice<'a>),
    Udp(UdpSlice<'a>),
}

/// Decodes `data` into `packet` (reset by the caller but for its transport layer, which is
/// overwritten in place) when it has one of the common shapes; false, with `packet`
/// untouched, otherwise.
pub(super) fn decode(data: &[u8], orig_len: usize, packet: &mut Packet) -> bool {
    let Ok(eth) = Ethernet2HeaderSlice::from_slice(data) else {
        return false;
    };
    let link_len = eth.slice().len();
    let ether_type = eth.ether_type();
    let wire = orig_len.saturating_sub(link_len);
    let Some(ip) = ip(ether_type, &data[link_len..], wire) else {
        return false;
    };
    let header = match ip.protocol() {
        IpNumber::TCP => match TcpHeaderSlice::from_slice(ip.payload) {
            Ok(tcp) => Header::Tcp(tcp),
            Err(_) => return false,
        },
        IpNumber::UDP => match UdpSlice::from_slice_lax(ip.payload) {
            Ok(udp) => Header::Udp(udp),
            Err(_) => return false,
        },
        _ => return false,
    };

    packet.link = Link::Ethernet {
        src: eth.source(),
        dst: eth.destination(),
        ethertype: ether_type.0,
    };
    let layers = &mut packet.layers;
    layers.push(LayerSpan {
        kind: LayerKind::Ethernet,
        offset: 0,
        len: link_len,
    });
    let ip_start = link_len;
    let header_len = ip.header_len();
    let start = ip_start + header_len;
    let end = start + ip.payload.len();
    let kind = match ip.header {
        IpHeader::V4(_) => LayerKind::Ipv4,
        IpHeader::V6(_) => LayerKind::Ipv6,
    };
    layers.push(LayerSpan {
        kind,
        offset: ip_start,
        len: header_len,
    });
    let ip_payload_len = ip.payload_len;
    packet.net = Some(Net::Ip(ip.info()));
    let (kind, header_len, payload) = match header {
        Header::Tcp(tcp) => {
            let header_len = tcp.slice().len();
            match &mut packet.transport {
                Some(Transport::Tcp(info)) => info.set_complete(&tcp),
                other => *other = Some(Transport::Tcp(TcpInfo::from_complete(&tcp))),
            }
            packet.payload_wire_len = ip_payload_len.saturating_sub(header_len);
            (LayerKind::Tcp, header_len, ip.payload.len() - header_len)
        }
        Header::Udp(udp) => {
            let length = udp.length();
            packet.payload_wire_len = usize::from(length)
                .checked_sub(8)
                .unwrap_or(ip_payload_len.saturating_sub(8));
            packet.transport = Some(Transport::Udp(UdpInfo {
                sport: udp.source_port(),
                dport: udp.destination_port(),
                length,
                checksum: udp.checksum(),
            }));
            let header_len = udp.header_slice().len();
            (LayerKind::Udp, header_len, udp.payload().len())
        }
    };
    layers.push(LayerSpan {
        kind,
        offset: start,
        len: header_len,
    });
    let payload_start = start + header_len;
    packet.payload = payload_start..payload_start + payload;
    if payload > 0 {
        layers.push(LayerSpan {
            kind: LayerKind::Payload,
            offset: payload_start,
            len: payload,
        });
    }
    if end < data.len() {
        layers.push(LayerSpan {
            kind: LayerKind::Trailer,
            offset: end,
            len: data.len() - end,
        });
    }
    if data.len() < orig_len {
        packet.stop = Some(DecodeStop::Truncated {
            kept: data.len(),
            wire: orig_len,
        });
    }
    true
}

/// The IP packet at the start of `rest`, when it is not fragmented, has no extension header
/// and carries TCP or UDP. As etherparse's lax slicer does, a payload the capture cut (or
/// whose length field is zero or too small) is what the frame holds. `wire` is the packet's
/// length on the wire.
fn ip(ether_type: EtherType, rest: &[u8], wire: usize) -> Option<Ip<'_>> {
    let transport = |n: IpNumber| matches!(n, IpNumber::TCP | IpNumber::UDP);
    match ether_type {
        EtherType::IPV4 => {
            let h = Ipv4HeaderSlice::from_slice(rest).ok()?;
            let header_len = h.slice().len();
            let fragmented = h.more_fragments() || h.fragments_offset().value() != 0;
            if fragmented || !transport(h.protocol()) {
                return None;
            }
            let total_len = usize::from(h.total_len());
            let end = if total_len < header_len || total_len > rest.len() {
                rest.len()
            } else {
                total_len
            };
            let wire_rest = wire.saturating_sub(header_len);
            let payload_len = match total_len {
                // TCP segmentation offload captures carry a zero total length.
                0 => wire_rest,
                _ => total_len.saturating_sub(header_len),
            };
            Some(Ip {
                payload: &rest[header_len..end],
                payload_len: payload_len.min(wire_rest),
                header: IpHeader::V4(h),
            })
        }
        EtherType::IPV6 => {
            let h = Ipv6HeaderSlice::from_slice(rest).ok()?;
            if !transport(h.next_header()) {
                return None;
            }
            let header_len = h.slice().len();
            let declared = usize::from(h.payload_length());
            let captured = rest.len() - header_len;
            let end = if declared == 0 || declared > captured {
                rest.len()
            } else {
                header_len + declared
            };
            let wire_rest = wire.saturating_sub(header_len);
            let payload_len = match declared {
                0 => wire_rest,
                _ => declared,
            };
            Some(Ip {
                payload: &rest[header_len..end],
                payload_len: payload_len.min(wire_rest),
                header: IpHeader::V6(h),
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::super::{decode_bytes, decode_bytes_general, decode_bytes_into};
    use crate::capture::LinkType;

    /// Ethernet, IPv4 or IPv6, then TCP (with MSS, SACK and timestamps) or UDP, 40 bytes of
    /// payload and 6 of trailer.
    fn template(v6: bool, udp: bool) -> Vec<u8> {
        let mut f = vec![0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2];
        f.extend(if v6 { [0x86, 0xdd] } else { [0x08, 0x00] });
        let transport_len: u16 = if udp { 8 } else { 44 } + 40;
        let protocol = if udp { 17 } else { 6 };
        if v6 {
            f.extend([0x60, 0, 0, 0]);
            f.extend(transport_len.to_be_bytes());
            f.extend([protocol, 64]);
            f.extend([0x20; 16]);
            f.extend([0x21; 16]);
        } else {
            f.extend([0x45, 0]);
            f.extend((transport_len + 20).to_be_bytes());
            f.extend([
                0x12, 0x34, 0x40, 0, 64, protocol, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
            ]);
        }
        if udp {
            f.extend([0x30, 0x39, 0, 53]);
            f.extend(48u16.to_be_bytes());
            f.extend([0, 0]);
        } else {
            f.extend([
                0x30, 0x39, 0, 80, 0, 0, 0, 1, 0, 0, 0, 2, 0xb0, 0x18, 0xff, 0xff, 0, 0, 0, 0,
            ]);
            f.extend([2, 4, 0x05, 0xb4, 1, 1, 5, 10, 0, 0, 0, 9, 0, 0, 0, 12]);
            f.extend([1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2]);
        }
        f.extend([0xaa; 40]);
        f.extend([0; 6]);
        f
    }

    /// Offsets worth changing: the EtherType, IP version and lengths, fragment fields,
    /// protocol, TCP data offset and options, UDP length.
    const FIELDS: [usize; 16] = [
        12, 13, 14, 16, 17, 18, 19, 20, 21, 23, 46, 47, 52, 54, 58, 66,
    ];

    #[test]
    fn common_shapes_take_the_fast_path() {
        for (v6, udp) in [(false, false), (false, true), (true, false), (true, true)] {
            let frame = template(v6, udp);
            let mut packet = decode_bytes(LinkType::ETHERNET, &[], 0);
            for kept in [frame.len(), frame.len() - 30] {
                let data = &frame[..kept];
                assert!(super::decode(data, frame.len(), &mut packet));
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 4096,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// The fast path gives the general decoder's packet, also into a reused packet.
        #[test]
        fn same_packet_as_the_general_decoder(
            v6 in any::<bool>(),
            udp in any::<bool>(),
            changes in prop::collection::vec(
                (any::<prop::sample::Index>(), any::<bool>(), 0..110usize, any::<u8>()),
                0..4,
            ),
            kept in 0..150usize,
            extra in 0..3usize,
        ) {
            let mut frame = template(v6, udp);
            for (field, named, anywhere, value) in changes {
                let at = if named { FIELDS[field.index(FIELDS.len())] } else { anywhere };
                if let Some(byte) = frame.get_mut(at) {
                    *byte = value;
                }
            }
            frame.truncate(kept);
            // Frames cut by the snaplen, whole, and (in damaged files) longer than the wire.
            let orig_len = match extra {
                0 => frame.len() + 30,
                1 => frame.len(),
                _ => frame.len().saturating_sub(10),
            };
            let general = decode_bytes_general(LinkType::ETHERNET, &frame, orig_len);
            prop_assert_eq!(&decode_bytes(LinkType::ETHERNET, &frame, orig_len), &general);
            let mut reused = decode_bytes(LinkType::ETHERNET, &template(!v6, !udp), 200);
            decode_bytes_into(LinkType::ETHERNET, &frame, orig_len, &mut reused);
            prop_assert_eq!(&reused, &general);
        }
    }
}
