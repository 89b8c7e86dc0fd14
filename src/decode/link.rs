//! The link layer: Ethernet through etherparse; Linux cooked (SLL, SLL2) and BSD loopback
//! headers, which etherparse does not accept for loopback traffic, from their fixed layouts.

use etherparse::{EtherType, LaxSlicedPacket, LinkSlice};

use super::stop::{DecodeStop, LinkHeader, PppControl};
use super::wifi::{self, WifiFrame};
use super::{LayerKind, LayerSpan};
use crate::capture::LinkType;

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
pub(super) type Sliced<'a> = Result<LaxSlicedPacket<'a>, DecodeStop>;

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

fn be16(b: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([b[at], b[at + 1]])
}

fn cooked_addr(data: &[u8], len_at: usize, addr_at: usize) -> LinkAddr {
    let len = usize::from(data[len_at]).min(8);
    LinkAddr::new(&data[addr_at..addr_at + len])
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
        Err(DecodeStop::LinkTooShort {
            link,
            have: data.len(),
            need: Some(need),
        })
    };
    match linktype {
        LinkType::ETHERNET => match LaxSlicedPacket::from_ethernet(data) {
            Ok(sliced) => {
                let link = match &sliced.link {
                    Some(LinkSlice::Ethernet2(eth)) => Link::Ethernet {
                        src: eth.source(),
                        dst: eth.destination(),
                        ethertype: eth.ether_type().0,
                    },
                    _ => Link::Unknown(linktype),
                };
                (link, Ok(sliced))
            }
            Err(_) => (Link::Unknown(linktype), too_short(LinkHeader::Ethernet, 14)),
        },
        LinkType::LINUX_SLL => {
            if data.len() < 16 {
                return (Link::Unknown(linktype), too_short(LinkHeader::Sll, 16));
            }
            let link = Link::Sll {
                packet_type: be16(data, 0),
                hatype: be16(data, 2),
                addr: cooked_addr(data, 5, 6),
                protocol: be16(data, 14),
            };
            span(layers, LayerKind::LinuxSll, 16);
            let (protocol, hatype) = (be16(data, 14), be16(data, 2));
            (link, cooked_payload(protocol, hatype, &data[16..]))
        }
        LinkType::LINUX_SLL2 => {
            if data.len() < 20 {
                return (Link::Unknown(linktype), too_short(LinkHeader::Sll2, 20));
            }
            let link = Link::Sll2 {
                protocol: be16(data, 0),
                ifindex: u32::from_be_bytes([data[4], data[5], data[6], data[7]]),
                hatype: be16(data, 8),
                packet_type: data[10],
                addr: cooked_addr(data, 11, 12),
            };
            span(layers, LayerKind::LinuxSll2, 20);
            let (protocol, hatype) = (be16(data, 0), be16(data, 8));
            (link, cooked_payload(protocol, hatype, &data[20..]))
        }
        LinkType::NULL | LinkType::LOOP => {
            if data.len() < 4 {
                return (Link::Unknown(linktype), too_short(LinkHeader::Loopback, 4));
            }
            let bytes = [data[0], data[1], data[2], data[3]];
            let family = if linktype == LinkType::LOOP {
                u32::from_be_bytes(bytes)
            } else {
                // Written in the capturing host's byte order: families are small numbers.
                let le = u32::from_le_bytes(bytes);
                if le & 0xffff_0000 != 0 {
                    le.swap_bytes()
                } else {
                    le
                }
            };
            span(layers, LayerKind::Loopback, 4);
            let rest = &data[4..];
            let sliced = match family {
                2 => Ok(LaxSlicedPacket::from_ether_type(EtherType::IPV4, rest)),
                10 | 24 | 28 | 30 => Ok(LaxSlicedPacket::from_ether_type(EtherType::IPV6, rest)),
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
            if data.len() < 4 {
                return (Link::Unknown(linktype), too_short(LinkHeader::CiscoHdlc, 4));
            }
            let protocol = be16(data, 2);
            header(layers, LinkHeader::CiscoHdlc, 4);
            let link = Link::Encapsulated {
                header: LinkHeader::CiscoHdlc,
                protocol: u32::from(protocol),
            };
            (link, ether_payload(protocol, &data[4..]))
        }
        LinkType::IPOIB => {
            if data.len() < 44 {
                return (Link::Unknown(linktype), too_short(LinkHeader::Ipoib, 44));
            }
            let protocol = be16(data, 40);
            header(layers, LinkHeader::Ipoib, 44);
            let link = Link::Encapsulated {
                header: LinkHeader::Ipoib,
                protocol: u32::from(protocol),
            };
            (link, ether_payload(protocol, &data[44..]))
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

fn header(layers: &mut Vec<LayerSpan>, link: LinkHeader, len: usize) {
    span(layers, LayerKind::LinkHeader(link), len);
}

fn ether_payload(protocol: u16, rest: &[u8]) -> Sliced<'_> {
    if protocol < 0x0600 {
        return Err(DecodeStop::NotEtherType { protocol });
    }
    Ok(LaxSlicedPacket::from_ether_type(EtherType(protocol), rest))
}

/// PPP: optional HDLC address and control bytes (ff 03), then a 1- or 2-byte protocol.
fn ppp<'a>(data: &'a [u8], layers: &mut Vec<LayerSpan>) -> (Link, Sliced<'a>) {
    let mut at = if data.starts_with(&[0xff, 0x03]) {
        2
    } else {
        0
    };
    let (protocol, len) = match data.get(at) {
        Some(&b) if b & 1 == 1 => (u16::from(b), 1),
        Some(_) if data.len() >= at + 2 => (be16(data, at), 2),
        _ => {
            let stop = DecodeStop::LinkTooShort {
                link: LinkHeader::Ppp,
                have: data.len(),
                need: None,
            };
            return (Link::Unknown(LinkType::PPP), Err(stop));
        }
    };
    at += len;
    header(layers, LinkHeader::Ppp, at);
    let link = Link::Encapsulated {
        header: LinkHeader::Ppp,
        protocol: u32::from(protocol),
    };
    let rest = &data[at..];
    let sliced = match protocol {
        0x0021 => Ok(LaxSlicedPacket::from_ether_type(EtherType::IPV4, rest)),
        0x0057 => Ok(LaxSlicedPacket::from_ether_type(EtherType::IPV6, rest)),
        0x0281 | 0x0283 => Ok(LaxSlicedPacket::from_ether_type(EtherType(0x8847), rest)),
        0xc021 => Err(DecodeStop::PppControl(PppControl::Lcp)),
        0x8021 => Err(DecodeStop::PppControl(PppControl::Ipcp)),
        0x8057 => Err(DecodeStop::PppControl(PppControl::Ipv6cp)),
        0xc023 => Err(DecodeStop::PppControl(PppControl::Pap)),
        0xc223 => Err(DecodeStop::PppControl(PppControl::Chap)),
        other => Err(DecodeStop::LinkProtocol {
            link: LinkHeader::Ppp,
            protocol: u32::from(other),
        }),
    };
    (link, sliced)
}

/// ARCNET as Linux captures it: source, destination, offset, protocol, and for RFC 1201
/// protocols a split flag and sequence number.
fn arcnet<'a>(data: &'a [u8], layers: &mut Vec<LayerSpan>) -> (Link, Sliced<'a>) {
    let too_short = || DecodeStop::LinkTooShort {
        link: LinkHeader::Arcnet,
        have: data.len(),
        need: None,
    };
    let Some(&protocol) = data.get(4) else {
        return (Link::Unknown(LinkType::ARCNET_LINUX), Err(too_short()));
    };
    // RFC 1051 types (240, 241) have a 5-byte header; RFC 1201 types add split flag and
    // sequence number, and an exception packet (split flag 0xff) four more bytes.
    let len = match protocol {
        240 | 241 => 5,
        _ if data.get(5) == Some(&0xff) => 12,
        _ => 8,
    };
    let link = Link::Encapsulated {
        header: LinkHeader::Arcnet,
        protocol: u32::from(protocol),
    };
    if data.len() < len {
        return (link, Err(too_short()));
    }
    header(layers, LinkHeader::Arcnet, len);
    let rest = &data[len..];
    let sliced = match protocol {
        212 | 240 => Ok(LaxSlicedPacket::from_ether_type(EtherType::IPV4, rest)),
        213 | 241 => Ok(LaxSlicedPacket::from_ether_type(EtherType::ARP, rest)),
        196 => Ok(LaxSlicedPacket::from_ether_type(EtherType::IPV6, rest)),
        other => Err(DecodeStop::LinkProtocol {
            link: LinkHeader::Arcnet,
            protocol: u32::from(other),
        }),
    };
    (link, sliced)
}

/// NFLOG: a 4-byte header (address family, version, group) and TLVs in the capturing
/// host's byte order; TLV type 9 holds the packet.
fn nflog<'a>(data: &'a [u8], layers: &mut Vec<LayerSpan>) -> (Link, Sliced<'a>) {
    let family = data.first().copied().unwrap_or(0);
    let link = Link::Encapsulated {
        header: LinkHeader::Nflog,
        protocol: u32::from(family),
    };
    let mut at = 4;
    while at + 4 <= data.len() {
        let le = u16::from_le_bytes([data[at], data[at + 1]]) as usize;
        let be = be16(data, at) as usize;
        let (len, kind) = if (4..=data.len() - at).contains(&le) {
            (
                le,
                u16::from_le_bytes([data[at + 2], data[at + 3]]) & 0x7fff,
            )
        } else if (4..=data.len() - at).contains(&be) {
            (be, be16(data, at + 2) & 0x7fff)
        } else {
            break;
        };
        if kind == 9 {
            header(layers, LinkHeader::Nflog, at + 4);
            let packet = &data[at + 4..at + len];
            let sliced = match family {
                2 => Ok(LaxSlicedPacket::from_ether_type(EtherType::IPV4, packet)),
                10 => Ok(LaxSlicedPacket::from_ether_type(EtherType::IPV6, packet)),
                other => Err(DecodeStop::NotIpFamily {
                    link: LinkHeader::Nflog,
                    family: u32::from(other),
                }),
            };
            return (link, sliced);
        }
        at += (len + 3) & !3;
    }
    (link, Err(DecodeStop::NflogNoPacket))
}

fn cooked_payload(protocol: u16, hatype: u16, rest: &[u8]) -> Sliced<'_> {
    if hatype == ARPHRD_NETLINK {
        return Err(DecodeStop::Netlink { protocol });
    }
    if protocol < 0x0600 {
        return Err(DecodeStop::CookedNotIp { protocol });
    }
    Ok(LaxSlicedPacket::from_ether_type(EtherType(protocol), rest))
}

fn raw_ip(data: &[u8]) -> Sliced<'_> {
    match data.first().map(|b| b >> 4) {
        Some(4) => Ok(LaxSlicedPacket::from_ether_type(EtherType::IPV4, data)),
        Some(6) => Ok(LaxSlicedPacket::from_ether_type(EtherType::IPV6, data)),
        Some(version) => Err(DecodeStop::NotIp { version }),
        None => Err(DecodeStop::EmptyFrame),
    }
}
