//! The encapsulation byte map: for a captured frame, which bytes are which header field of
//! which layer, with typed values, meanings and checksum verdicts. No words here: the views
//! (`render::bytes`, `render::json_bytes`) say what they mean, per language.
//!
//! Layer boundaries come from [`decode`](crate::decode)'s
//! [`LayerSpan`](crate::decode::LayerSpan)s; field positions come from the tables in
//! [`crate::wire`]; `build` places a table at a layer's offset.

mod build;
pub mod checksum;
mod explain;
mod layers;
mod meaning;

use crate::capture::{Frame, LinkType};
use crate::decode::{DecodeStop, LinkHeader, Packet};
use crate::wire::FieldId;

pub use checksum::{ChecksumCheck, ChecksumKind, Unverified, Verdict};
pub use meaning::{
    AddrKind, IcmpCode, MacKind, Meaning, OptionProblem, PortKind, Value, WindowMeaning,
};

/// Facts from outside the frame that change how a field reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MapContext {
    /// The sender's window-scale shift when the conversation's handshake announced it;
    /// `None` when unknown.
    pub window_scale: Option<u8>,
}

/// A layer of the TCP/IP (RFC 1122) model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelLayer {
    /// Link layer (OSI 2; capture pseudo-headers too).
    Link,
    /// Network / internet layer (OSI 3).
    Network,
    /// Transport layer (OSI 4).
    Transport,
    /// Application layer (OSI 5-7).
    Application,
}

/// What cut a field or header short.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CutBy {
    /// The capture's snaplen.
    Snaplen,
    /// The end of the packet an ICMP error quotes.
    IcmpQuote,
}

/// An IPv6 extension header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExtHeader {
    /// Hop-by-hop options (0).
    HopByHop,
    /// Routing header (43).
    Routing,
    /// Fragment header (44).
    Fragment,
    /// Destination options (60).
    DestOptions,
    /// IPsec authentication header (51).
    Auth,
    /// Another extension header, by protocol number.
    Other(u8),
}

/// What a layer of the map is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LayerId {
    /// Ethernet II (or IEEE 802.3).
    Ethernet,
    /// 802.1Q VLAN tag.
    Vlan8021q,
    /// 802.1ad service tag.
    Vlan8021ad,
    /// MACsec SecTAG.
    Macsec,
    /// Linux cooked capture v1.
    Sll,
    /// Linux cooked capture v2.
    Sll2,
    /// BSD loopback (DLT_NULL).
    NullLoopback,
    /// OpenBSD loopback (DLT_LOOP).
    OpenbsdLoopback,
    /// ARP.
    Arp,
    /// IPv4.
    Ipv4,
    /// IPv6.
    Ipv6,
    /// An IPv6 extension header.
    Ipv6Ext(ExtHeader),
    /// The extension headers of a quoted IPv6 packet, as a whole.
    Ipv6Extensions,
    /// TCP.
    Tcp,
    /// UDP.
    Udp,
    /// ICMP.
    Icmp,
    /// ICMPv6.
    Icmpv6,
    /// Application data above a transport header.
    Payload,
    /// Bytes nothing decoded (the decode stop says why).
    Undecoded,
    /// Bytes an ICMP error quotes that are no IP packet.
    QuotedData,
    /// Ethernet padding up to the minimum frame.
    Padding,
    /// Bytes after the IP packet.
    Trailer,
    /// Another link header (PPP, Cisco HDLC, 802.11, ...).
    LinkHeader(LinkHeader),
    /// A tunnel or label header (GRE, MPLS, ...), by protocol name.
    Tunnel(&'static str),
}

/// A remark about a layer as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LayerNote {
    /// A Linux cooked capture header: libpcap writes it, no wire carries it.
    Cooked,
    /// A loopback pseudo-header: the capture writes it, no wire carries it.
    LoopbackPseudo,
    /// A tunnel: the packet after it travels inside this one.
    Tunnel,
    /// The snaplen cut an IP header: at least `full` bytes, `kept` captured.
    IpHeaderCut {
        /// The header's fixed length.
        full: usize,
        /// Bytes captured.
        kept: usize,
    },
    /// A TCP header declared `declared` bytes; `kept` remain.
    TcpHeaderCut {
        /// Header length from the data offset.
        declared: usize,
        /// Bytes available.
        kept: usize,
        /// What cut it.
        by: CutBy,
    },
    /// Bytes after the end of the IP packet, not part of it.
    AfterIp,
    /// Why the bytes were not decoded.
    Undecoded(DecodeStop),
}

/// One field of a header: where it is, its bytes, and what they say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapField {
    /// Which field it is.
    pub id: FieldId,
    /// Wireshark display-filter name, when Wireshark has one for these bytes.
    pub wireshark: Option<&'static str>,
    /// Absolute offset of the first byte in the frame.
    pub offset: usize,
    /// Captured bytes of the field (less than `wire_len` when cut).
    pub len: usize,
    /// Length of the field on the wire.
    pub wire_len: usize,
    /// For bit fields: the bit pattern over the field's bytes (`0100 ....`).
    pub bits: Option<String>,
    /// The decoded value.
    pub value: Value,
    /// What the value means, when there is more to say.
    pub meaning: Option<Meaning>,
    /// Sub-fields: bit fields, or the parts of an option.
    pub fields: Vec<MapField>,
}

impl MapField {
    /// True when the capture kept only part of the field.
    pub fn is_cut(&self) -> bool {
        self.len < self.wire_len
    }

    /// The captured bytes of the field in the frame `data`.
    pub fn bytes<'d>(&self, data: &'d [u8]) -> &'d [u8] {
        let end = (self.offset + self.len).min(data.len());
        data.get(self.offset.min(end)..end).unwrap_or(&[])
    }
}

/// One layer of the frame and its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapLayer {
    /// What the layer is.
    pub id: LayerId,
    /// TCP/IP model layer.
    pub model: ModelLayer,
    /// OSI layer number, `None` for capture pseudo-headers, ARP and application data.
    pub osi: Option<u8>,
    /// Absolute offset of the first byte.
    pub offset: usize,
    /// Captured length in bytes.
    pub len: usize,
    /// Part of a packet quoted inside an ICMP error message.
    pub quoted: bool,
    /// A remark about the layer as a whole.
    pub note: Option<LayerNote>,
    /// The fields in wire order.
    pub fields: Vec<MapField>,
}

impl MapLayer {
    /// Bytes after the packet: Ethernet padding, a trailer, a frame check sequence.
    pub fn is_trailer(&self) -> bool {
        matches!(self.id, LayerId::Padding | LayerId::Trailer)
    }

    /// The captured bytes of the layer in the frame `data`.
    pub fn bytes<'d>(&self, data: &'d [u8]) -> &'d [u8] {
        let end = (self.offset + self.len).min(data.len());
        data.get(self.offset.min(end)..end).unwrap_or(&[])
    }
}

/// The whole byte map of one frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameMap {
    /// 1-based frame number.
    pub index: u64,
    /// Link type of the frame.
    pub linktype: LinkType,
    /// Length on the wire.
    pub wire_len: usize,
    /// The captured bytes.
    pub data: Vec<u8>,
    /// The layers in wire order (quoted layers follow the ICMP header that quotes them).
    pub layers: Vec<MapLayer>,
    /// Checksum verdicts, outermost first.
    pub checksums: Vec<ChecksumCheck>,
    /// Why decoding stopped early, if it did.
    pub stop: Option<DecodeStop>,
}

impl FrameMap {
    /// Number of captured bytes.
    pub fn captured(&self) -> usize {
        self.data.len()
    }
}

/// Maps every byte of a frame to its layer and field.
pub fn map_frame(frame: &Frame, packet: &Packet, ctx: &MapContext) -> FrameMap {
    let data = &frame.data;
    let mut layers = layers::map_layers(frame, packet, ctx);
    let checksums = checksum::verify(frame, packet);
    for check in &checksums {
        let wireshark = check.kind.wireshark();
        let field = layers
            .iter_mut()
            .filter(|l| !l.quoted)
            .flat_map(|l| l.fields.iter_mut())
            .find(|f| f.offset == check.offset && f.wireshark == Some(wireshark));
        if let Some(field) = field {
            field.meaning = Some(Meaning::Checksum(check.verdict));
        }
    }
    FrameMap {
        index: frame.index,
        linktype: frame.linktype,
        wire_len: (frame.orig_len as usize).max(data.len()),
        data: data.clone(),
        layers,
        checksums,
        stop: packet.stop,
    }
}
