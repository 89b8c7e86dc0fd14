//! The link layer: Ethernet through etherparse; Linux cooked (SLL, SLL2) and BSD loopback
//! headers, which etherparse does not accept for loopback traffic, from their fixed layouts.

use etherparse::{EtherType, Ethernet2HeaderSlice, LaxSlicedPacket};

use super::stop::{DecodeStop, LinkHeader};
use super::wifi::{self, WifiFrame};
use super::{LayerKind, LayerSpan};
use crate::capture::LinkType;
use crate::wire::{self, Field, c_hdlc, ethernet, ipoib, loopback, sll, sll2};

mod special;

use special::{arcnet, nflog, ppp};

/// A link-layer address of up to 8 bytes (SLL headers, ARP), kept without allocating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LinkAddr {
    bytes: [u8; 8],
    len: u8,
}

impl LinkAddr {
    /// The first 8 bytes of `bytes` at most.
    pub fn new(bytes: &[u8]) -> LinkAddr {
        let len = bytes.len().min(8);
        let mut addr = LinkAddr {
            bytes: [0; 8],
            len: len as u8,
        };
        addr.bytes[..len].copy_from_slice(&bytes[..len]);
        addr
    }

    /// The address bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }
}

/// What slicing the link layer gave: the packet inside, or why there is none.
pub(super) type Sliced<'a> = Result<Inner<'a>, DecodeStop>;

/// The bytes etherparse slices next and how. etherparse's sliced packet is large: it is made
/// where it is read ([`Inner::with_sliced`]) rather than moved out of the link layer's code.
#[derive(Debug, Clone, Copy)]
pub(super) enum Inner<'a> {
    /// A whole Ethernet II frame.
    Ethernet(&'a [u8]),
    /// The payload of a link header that names its protocol with an EtherType.
    EtherType(EtherType, &'a [u8]),
}

impl<'a> Inner<'a> {
    /// Slices the bytes with etherparse and hands the result to `then`; `None` when
    /// etherparse finds no Ethernet header.
    pub(super) fn with_sliced<R>(self, then: impl FnOnce(&LaxSlicedPacket<'a>) -> R) -> Option<R> {
        match self {
            Inner::Ethernet(data) => match LaxSlicedPacket::from_ethernet(data) {
                Ok(ref sliced) => Some(then(sliced)),
                Err(_) => None,
            },
            Inner::EtherType(ether_type, data) => {
                Some(then(&LaxSlicedPacket::from_ether_type(ether_type, data)))
            }
        }
    }
}

/// The link-layer header of a frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// Ethernet II.
    Ethernet {
        /// Source MAC.
        src: [u8; 6],
        /// Destination MAC.
        dst: [u8; 6],
        /// EtherType (or 802.3 length when < 0x0600).
        ethertype: u16,
    },
    /// Linux cooked capture v1.
    Sll {
        /// 0 to us, 1 broadcast, 2 multicast, 3 to another host, 4 sent by us.
        packet_type: u16,
        /// ARPHRD_ type of the interface (1 Ethernet, 772 loopback, ...).
        hatype: u16,
        /// Link-layer source address (up to 8 bytes).
        addr: LinkAddr,
        /// Protocol (an EtherType for IP traffic).
        protocol: u16,
    },
    /// Linux cooked capture v2.
    Sll2 {
        /// Protocol (an EtherType for IP traffic).
        protocol: u16,
        /// Interface index.
        ifindex: u32,
        /// ARPHRD_ type of the interface.
        hatype: u16,
        /// Packet type, as in SLL.
        packet_type: u8,
        /// Link-layer source address (up to 8 bytes).
        addr: LinkAddr,
    },
    /// BSD / OpenBSD loopback: the address family of the payload.
    Loopback {
        /// AF_ value (2 = IPv4; 10, 24, 28, 30 = IPv6 depending on the OS).
        family: u32,
    },
    /// Raw IP, no link header.
    Raw,
    /// An IEEE 802.11 (Wi-Fi) frame.
    Wifi(WifiFrame),
    /// Another link header carrying a protocol number (PPP, Cisco HDLC, ARCNET, NFLOG, IPoIB).
    Encapsulated {
        /// The link header.
        header: LinkHeader,
        /// The protocol field as the link layer numbers it.
        protocol: u32,
    },
    /// A link type handshake-viz does not decode.
    Unknown(LinkType),
}

/// ARPHRD_NETLINK: SLL frames carrying netlink messages, not packets.
pub const ARPHRD_NETLINK: u16 = 824;

/// The big-endian `u16` at `field`; the callers checked the header length first.
fn be16(data: &[u8], field: Field) -> u16 {
    wire::be16(data, field).unwrap_or(0)
}

fn cooked_addr(data: &[u8], len: Field, addr: Field) -> LinkAddr {
    let len = data
        .get(len.start)
        .map_or(0, |&n| usize::from(n).min(addr.len()));
    LinkAddr::new(data.get(addr.start..addr.start + len).unwrap_or(&[]))
}

fn span(layers: &mut Vec<LayerSpan>, kind: LayerKind, len: usize) {
    layers.push(LayerSpan {
        kind,
        offset: 0,
        len,
    });
}

/// Slices the link layer, records its span, and hands the rest to etherparse.
pub(super) fn slice<'a>(
    linktype: LinkType,
    data: &'a [u8],
    layers: &mut Vec<LayerSpan>,
) -> (Link, Sliced<'a>) {
    let too_short = |link: LinkHeader, need: usize| {
        let stop = DecodeStop::LinkTooShort {
            link,
            have: data.len(),
            need: Some(need),
        };
        (Link::Unknown(linktype), Err(stop))
    };
    match linktype {
        LinkType::ETHERNET => match Ethernet2HeaderSlice::from_slice(data) {
            Ok(eth) => {
                let link = Link::Ethernet {
                    src: eth.source(),
                    dst: eth.destination(),
                    ethertype: eth.ether_type().0,
                };
                (link, Ok(Inner::Ethernet(data)))
            }
            Err(_) => too_short(LinkHeader::Ethernet, ethernet::HEADER_LEN),
        },
        LinkType::LINUX_SLL => {
            if data.len() < sll::HEADER_LEN {
                return too_short(LinkHeader::Sll, sll::HEADER_LEN);
            }
            let (protocol, hatype) = (be16(data, sll::PROTOCOL), be16(data, sll::HATYPE));
            let link = Link::Sll {
                packet_type: be16(data, sll::PKTTYPE),
                hatype,
                // The length is the low byte of the 2-byte field.
                addr: cooked_addr(data, sll::HALEN.end - 1..sll::HALEN.end, sll::ADDR),
                protocol,
            };
            span(layers, LayerKind::LinuxSll, sll::HEADER_LEN);
            let rest = &data[sll::HEADER_LEN..];
            (link, cooked_payload(protocol, hatype, rest))
        }
        LinkType::LINUX_SLL2 => {
            if data.len() < sll2::HEADER_LEN {
                return too_short(LinkHeader::Sll2, sll2::HEADER_LEN);
            }
            let (protocol, hatype) = (be16(data, sll2::PROTOCOL), be16(data, sll2::HATYPE));
            let link = Link::Sll2 {
                protocol,
                ifindex: wire::be32(data, sll2::IFINDEX).unwrap_or(0),
                hatype,
                packet_type: data[sll2::PKTTYPE.start],
                addr: cooked_addr(data, sll2::HALEN, sll2::ADDR),
            };
            span(layers, LayerKind::LinuxSll2, sll2::HEADER_LEN);
            let rest = &data[sll2::HEADER_LEN..];
            (link, cooked_payload(protocol, hatype, rest))
        }
        LinkType::NULL | LinkType::LOOP => {
            if data.len() < loopback::HEADER_LEN {
                return too_short(LinkHeader::Loopback, loopback::HEADER_LEN);
            }
            let be = wire::be32(data, loopback::FAMILY).unwrap_or(0);
            // NULL is written in the capturing host's byte order: families are small numbers.
            let big_endian = linktype == LinkType::LOOP || be.swap_bytes() & 0xffff_0000 != 0;
            let family = if big_endian { be } else { be.swap_bytes() };
            span(layers, LayerKind::Loopback, loopback::HEADER_LEN);
            let rest = &data[loopback::HEADER_LEN..];
            let sliced = match family {
                2 => Ok(Inner::EtherType(EtherType::IPV4, rest)),
                10 | 24 | 28 | 30 => Ok(Inner::EtherType(EtherType::IPV6, rest)),
                other => Err(DecodeStop::NotIpFamily {
                    link: LinkHeader::Loopback,
                    family: other,
                }),
            };
            (Link::Loopback { family }, sliced)
        }
        LinkType::RAW
        | LinkType::RAW_DLT
        | LinkType::RAW_OPENBSD
        | LinkType::IPV4
        | LinkType::IPV6 => (Link::Raw, raw_ip(data)),
        LinkType::PPP | LinkType::PPP_HDLC => ppp(data, layers),
        LinkType::C_HDLC => {
            let header = (LinkHeader::CiscoHdlc, c_hdlc::HEADER_LEN, c_hdlc::PROTOCOL);
            ether_header(linktype, data, layers, header)
        }
        LinkType::IPOIB => {
            let header = (LinkHeader::Ipoib, ipoib::HEADER_LEN, ipoib::PROTOCOL);
            ether_header(linktype, data, layers, header)
        }
        LinkType::ARCNET_LINUX => arcnet(data, layers),
        LinkType::NFLOG => nflog(data, layers),
        LinkType::IEEE802_11 => {
            let (frame, sliced) = wifi::ieee80211(data, 0, layers);
            (Link::Wifi(frame), sliced)
        }
        LinkType::IEEE802_11_RADIOTAP => {
            let (frame, sliced) = wifi::radiotap(data, layers);
            (Link::Wifi(frame), sliced)
        }
        other => (
            Link::Unknown(other),
            Err(DecodeStop::UnsupportedLink(other)),
        ),
    }
}

/// A fixed-length link header (Cisco HDLC, IPoIB) whose `protocol` field is an EtherType.
fn ether_header<'a>(
    linktype: LinkType,
    data: &'a [u8],
    layers: &mut Vec<LayerSpan>,
    (link, len, protocol): (LinkHeader, usize, Field),
) -> (Link, Sliced<'a>) {
    if data.len() < len {
        let stop = DecodeStop::LinkTooShort {
            link,
            have: data.len(),
            need: Some(len),
        };
        return (Link::Unknown(linktype), Err(stop));
    }
    let protocol = be16(data, protocol);
    header(layers, link, len);
    let encapsulated = Link::Encapsulated {
        header: link,
        protocol: u32::from(protocol),
    };
    (encapsulated, ether_payload(protocol, &data[len..]))
}

fn header(layers: &mut Vec<LayerSpan>, link: LinkHeader, len: usize) {
    span(layers, LayerKind::LinkHeader(link), len);
}

fn ether_payload(protocol: u16, rest: &[u8]) -> Sliced<'_> {
    if protocol < 0x0600 {
        return Err(DecodeStop::NotEtherType { protocol });
    }
    Ok(Inner::EtherType(EtherType(protocol), rest))
}

fn cooked_payload(protocol: u16, hatype: u16, rest: &[u8]) -> Sliced<'_> {
    if hatype == ARPHRD_NETLINK {
        return Err(DecodeStop::Netlink { protocol });
    }
    if protocol < 0x0600 {
        return Err(DecodeStop::CookedNotIp { protocol });
    }
    Ok(Inner::EtherType(EtherType(protocol), rest))
}

fn raw_ip(data: &[u8]) -> Sliced<'_> {
    match data.first().map(|b| b >> 4) {
        Some(4) => Ok(Inner::EtherType(EtherType::IPV4, data)),
        Some(6) => Ok(Inner::EtherType(EtherType::IPV6, data)),
        Some(version) => Err(DecodeStop::NotIp { version }),
        None => Err(DecodeStop::EmptyFrame),
    }
}
