//! Decoding a captured frame into layers and header fields, with etherparse doing the header
//! parsing. Pure: a [`Packet`] is a function of the frame's bytes and link type only.
//!
//! Decoding never fails: whatever could be decoded is kept, and `stop` says where and why
//! decoding ended early (a truncated capture, a malformed header, an unknown protocol).

mod decoder;
mod fast;
mod icmp;
mod link;
mod packet;
mod sack;
mod stop;
pub mod tcp;
mod transport;
mod tunnel;
mod wifi;

use etherparse::IpNumber;

use crate::capture::{Frame, LinkType};
use decoder::{Decoder, mark_rest};
pub use icmp::{IcmpInfo, IcmpKind, Quote, QuotedFlow, Unreachable, parse_quote};
pub use link::{ARPHRD_NETLINK, Link, LinkAddr};
pub use packet::{ArpInfo, CutPorts, IpInfo, Net, Packet, Transport, UdpInfo};
pub use sack::SackBlocks;
pub use stop::{DecodeStop, HeaderProblem, LinkHeader, PppControl};
pub use tcp::{TcpInfo, TcpOption, TcpOptionKind};
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

/// IANA keyword of an IP protocol number ("GRE", "ESP"), when it has one.
pub fn ip_protocol_keyword(protocol: u8) -> Option<&'static str> {
    IpNumber(protocol).keyword_str()
}

/// Decodes a frame. Never fails and never panics, whatever the bytes.
pub fn decode(frame: &Frame) -> Packet {
    decode_bytes(frame.linktype, &frame.data, frame.orig_len as usize)
}

/// Decodes a frame into `packet`, reusing its buffers (a pipeline keeps one).
pub fn decode_into(frame: &Frame, packet: &mut Packet) {
    decode_bytes_into(frame.linktype, &frame.data, frame.orig_len as usize, packet);
}

/// Decodes raw frame bytes of a link type; `orig_len` is the frame's length on the wire.
pub fn decode_bytes(linktype: LinkType, data: &[u8], orig_len: usize) -> Packet {
    let mut packet = Packet {
        link: Link::Unknown(linktype),
        vlans: Vec::new(),
        layers: Vec::new(),
        net: None,
        transport: None,
        payload: 0..0,
        payload_wire_len: 0,
        stop: None,
        cut_ports: None,
    };
    decode_bytes_into(linktype, data, orig_len, &mut packet);
    packet
}

/// As [`decode_bytes`], into `packet`.
pub fn decode_bytes_into(linktype: LinkType, data: &[u8], orig_len: usize, packet: &mut Packet) {
    reset(packet, data);
    // The transport layer is left for the fast path to overwrite in place.
    if linktype == LinkType::ETHERNET && fast::decode(data, orig_len, packet) {
        return;
    }
    let spare_options = match packet.transport.take() {
        Some(Transport::Tcp(t)) => t.options,
        _ => Vec::new(),
    };
    decode_general(linktype, data, orig_len, packet, spare_options);
}

/// Empties `packet` in place for a frame of `data`, keeping its buffers, all but its
/// transport layer.
fn reset(packet: &mut Packet, data: &[u8]) {
    packet.layers.clear();
    packet.vlans.clear();
    packet.net = None;
    packet.payload = data.len()..data.len();
    packet.payload_wire_len = 0;
    packet.stop = None;
    packet.cut_ports = None;
}

/// Decodes any frame into `packet`, just reset.
fn decode_general(
    linktype: LinkType,
    data: &[u8],
    orig_len: usize,
    packet: &mut Packet,
    spare_options: Vec<TcpOption>,
) {
    let (link, sliced) = link::slice(linktype, data, &mut packet.layers);
    packet.link = link;
    let inner = match sliced {
        Ok(inner) => inner,
        Err(reason) => {
            packet.stop = Some(reason);
            mark_rest(packet, data);
            return;
        }
    };
    let mut decoder = Decoder {
        data,
        orig_len,
        limit: data.len(),
        depth: 0,
        packet,
        spare_options,
    };
    if inner.with_sliced(|sliced| decoder.run(sliced)).is_none() {
        // The Ethernet header was checked when the link was read.
        let stop = DecodeStop::LinkTooShort {
            link: LinkHeader::Ethernet,
            have: data.len(),
            need: Some(crate::wire::ethernet::HEADER_LEN),
        };
        decoder.packet.stop = Some(stop);
        mark_rest(decoder.packet, data);
    }
}

/// [`decode_bytes`] without the fast path, for tests that compare the two.
#[cfg(test)]
fn decode_bytes_general(linktype: LinkType, data: &[u8], orig_len: usize) -> Packet {
    let mut packet = decode_bytes(LinkType(-1), &[], 0);
    reset(&mut packet, data);
    packet.transport = None;
    decode_general(linktype, data, orig_len, &mut packet, Vec::new());
    packet
}
