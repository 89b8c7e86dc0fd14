//! The link layer: Ethernet through etherparse; Linux cooked (SLL, SLL2) and BSD loopback
//! headers, which etherparse does not accept for loopback traffic, from their fixed layouts.

use etherparse::{EtherType, LaxSlicedPacket, LinkSlice};

use super::{LayerKind, LayerSpan};
use crate::capture::LinkType;

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
        addr: Vec<u8>,
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
        addr: Vec<u8>,
    },
    /// BSD / OpenBSD loopback: the address family of the payload.
    Loopback {
        /// AF_ value (2 = IPv4; 10, 24, 28, 30 = IPv6 depending on the OS).
        family: u32,
    },
    /// Raw IP, no link header.
    Raw,
    /// An IEEE 802.11 (Wi-Fi) frame.
    Wifi {
        /// What kind of 802.11 frame it is ("management frame: beacon", "data frame", ...).
        frame: String,
    },
    /// Another link header carrying a protocol number (PPP, Cisco HDLC, ARCNET, NFLOG, IPoIB).
    Encapsulated {
        /// The link layer's name.
        name: &'static str,
        /// The protocol field as the link layer numbers it.
        protocol: u32,
    },
    /// A link type handshake-viz does not decode.
    Unknown(LinkType),
}

impl Link {
    /// Describes the payload when no network layer was decoded.
    pub fn describe_payload(&self) -> String {
        match self {
            Link::Ethernet { ethertype, .. } if *ethertype < 0x0600 => {
                format!("802.3 frame (length {ethertype})")
            }
            Link::Ethernet { ethertype, .. } => ethertype_label(*ethertype),
            Link::Sll {
                protocol, hatype, ..
            }
            | Link::Sll2 {
                protocol, hatype, ..
            } => {
                if *hatype == ARPHRD_NETLINK {
                    format!("netlink message (protocol {protocol})")
                } else if *protocol < 0x0600 {
                    format!("non-IP frame (Linux protocol 0x{protocol:04x})")
                } else {
                    ethertype_label(*protocol)
                }
            }
            Link::Loopback { family } => format!("address family {family}"),
            Link::Raw => "not an IP packet".into(),
            Link::Wifi { frame } => format!("802.11 {frame}"),
            Link::Encapsulated { name, protocol } => {
                format!("{name} protocol 0x{protocol:04x} not decoded")
            }
            Link::Unknown(lt) => format!("link type {} not decoded", lt.name()),
        }
    }
}

/// ARPHRD_NETLINK: SLL frames carrying netlink messages, not packets.
const ARPHRD_NETLINK: u16 = 824;

/// "EtherType 0x88cc (LLDP)" style label.
pub fn ethertype_label(ethertype: u16) -> String {
    let name = match ethertype {
        0x0800 => "IPv4",
        0x0806 => "ARP",
        0x86dd => "IPv6",
        0x8100 => "802.1Q VLAN",
        0x88a8 => "802.1ad QinQ",
        0x8035 => "RARP",
        0x8847 | 0x8848 => "MPLS",
        0x8863 | 0x8864 => "PPPoE",
        0x888e => "802.1X EAPOL",
        0x88cc => "LLDP",
        0x88f7 => "PTP",
        0x88e5 => "MACsec",
        0x9000 => "loopback test",
        _ => "",
    };
    if name.is_empty() {
        format!("EtherType 0x{ethertype:04x}")
    } else {
        format!("EtherType 0x{ethertype:04x} ({name})")
    }
}

fn be16(b: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([b[at], b[at + 1]])
}

fn cooked_addr(data: &[u8], len_at: usize, addr_at: usize) -> Vec<u8> {
    let len = usize::from(data[len_at]).min(8);
    data[addr_at..addr_at + len].to_vec()
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
) -> (Link, Result<LaxSlicedPacket<'a>, String>) {
    let too_short = |what: &str, need: usize| {
        Err(format!(
            "frame too short for a {what} header: {} of {need} bytes",
            data.len()
        ))
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
            Err(_) => (Link::Unknown(linktype), too_short("Ethernet", 14)),
        },
        LinkType::LINUX_SLL => {
            if data.len() < 16 {
                return (Link::Unknown(linktype), too_short("Linux cooked (SLL)", 16));
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
                return (
                    Link::Unknown(linktype),
                    too_short("Linux cooked (SLL2)", 20),
                );
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
                return (Link::Unknown(linktype), too_short("loopback", 4));
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
                other => Err(format!("loopback address family {other} is not IP")),
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
                return (Link::Unknown(linktype), too_short("Cisco HDLC", 4));
            }
            let protocol = be16(data, 2);
            header(layers, "Cisco HDLC", 4);
            let link = Link::Encapsulated {
                name: "Cisco HDLC",
                protocol: u32::from(protocol),
            };
            (link, ether_payload(protocol, &data[4..]))
        }
        LinkType::IPOIB => {
            if data.len() < 44 {
                return (Link::Unknown(linktype), too_short("IP over InfiniBand", 44));
            }
            let protocol = be16(data, 40);
            header(layers, "IP over InfiniBand", 44);
            let link = Link::Encapsulated {
                name: "IPoIB",
                protocol: u32::from(protocol),
            };
            (link, ether_payload(protocol, &data[44..]))
        }
        LinkType::ARCNET_LINUX => arcnet(data, layers),
        LinkType::NFLOG => nflog(data, layers),
        LinkType::IEEE802_11 => super::wifi::ieee80211(data, 0, layers),
        LinkType::IEEE802_11_RADIOTAP => super::wifi::radiotap(data, layers),
        other => (
            Link::Unknown(other),
            Err(format!(
                "link type {} is not decoded (supported: {})",
                other.name(),
                LinkType::supported_list()
            )),
        ),
    }
}

fn header(layers: &mut Vec<LayerSpan>, name: &'static str, len: usize) {
    span(layers, LayerKind::LinkHeader(name), len);
}

fn ether_payload(protocol: u16, rest: &[u8]) -> Result<LaxSlicedPacket<'_>, String> {
    if protocol < 0x0600 {
        return Err(format!("protocol 0x{protocol:04x} is not an EtherType"));
    }
    Ok(LaxSlicedPacket::from_ether_type(EtherType(protocol), rest))
}

/// PPP: optional HDLC address and control bytes (ff 03), then a 1- or 2-byte protocol.
fn ppp<'a>(
    data: &'a [u8],
    layers: &mut Vec<LayerSpan>,
) -> (Link, Result<LaxSlicedPacket<'a>, String>) {
    let mut at = if data.starts_with(&[0xff, 0x03]) {
        2
    } else {
        0
    };
    let (protocol, len) = match data.get(at) {
        Some(&b) if b & 1 == 1 => (u16::from(b), 1),
        Some(_) if data.len() >= at + 2 => (be16(data, at), 2),
        _ => {
            return (
                Link::Unknown(LinkType::PPP),
                Err(format!(
                    "frame too short for a PPP header: {} bytes",
                    data.len()
                )),
            );
        }
    };
    at += len;
    header(layers, "PPP", at);
    let link = Link::Encapsulated {
        name: "PPP",
        protocol: u32::from(protocol),
    };
    let rest = &data[at..];
    let sliced = match protocol {
        0x0021 => Ok(LaxSlicedPacket::from_ether_type(EtherType::IPV4, rest)),
        0x0057 => Ok(LaxSlicedPacket::from_ether_type(EtherType::IPV6, rest)),
        0x0281 | 0x0283 => Ok(LaxSlicedPacket::from_ether_type(EtherType(0x8847), rest)),
        0xc021 => Err("PPP link control (LCP)".into()),
        0x8021 => Err("PPP IP control (IPCP)".into()),
        0x8057 => Err("PPP IPv6 control (IPV6CP)".into()),
        0xc023 => Err("PPP password authentication (PAP)".into()),
        0xc223 => Err("PPP challenge authentication (CHAP)".into()),
        other => Err(format!("PPP protocol 0x{other:04x} not decoded")),
    };
    (link, sliced)
}

/// ARCNET as Linux captures it: source, destination, offset, protocol, and for RFC 1201
/// protocols a split flag and sequence number.
fn arcnet<'a>(
    data: &'a [u8],
    layers: &mut Vec<LayerSpan>,
) -> (Link, Result<LaxSlicedPacket<'a>, String>) {
    let Some(&protocol) = data.get(4) else {
        return (
            Link::Unknown(LinkType::ARCNET_LINUX),
            Err(format!(
                "frame too short for an ARCNET header: {} bytes",
                data.len()
            )),
        );
    };
    // RFC 1051 types (240, 241) have a 5-byte header; RFC 1201 types add split flag and
    // sequence number, and an exception packet (split flag 0xff) four more bytes.
    let len = match protocol {
        240 | 241 => 5,
        _ if data.get(5) == Some(&0xff) => 12,
        _ => 8,
    };
    let link = Link::Encapsulated {
        name: "ARCNET",
        protocol: u32::from(protocol),
    };
    if data.len() < len {
        return (
            link,
            Err(format!(
                "frame too short for an ARCNET header: {} bytes",
                data.len()
            )),
        );
    }
    header(layers, "ARCNET", len);
    let rest = &data[len..];
    let sliced = match protocol {
        212 | 240 => Ok(LaxSlicedPacket::from_ether_type(EtherType::IPV4, rest)),
        213 | 241 => Ok(LaxSlicedPacket::from_ether_type(EtherType::ARP, rest)),
        196 => Ok(LaxSlicedPacket::from_ether_type(EtherType::IPV6, rest)),
        other => Err(format!("ARCNET protocol {other} not decoded")),
    };
    (link, sliced)
}

/// NFLOG: a 4-byte header (address family, version, group) and TLVs in the capturing
/// host's byte order; TLV type 9 holds the packet.
fn nflog<'a>(
    data: &'a [u8],
    layers: &mut Vec<LayerSpan>,
) -> (Link, Result<LaxSlicedPacket<'a>, String>) {
    let family = data.first().copied().unwrap_or(0);
    let link = Link::Encapsulated {
        name: "NFLOG",
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
            header(layers, "NFLOG", at + 4);
            let packet = &data[at + 4..at + len];
            let sliced = match family {
                2 => Ok(LaxSlicedPacket::from_ether_type(EtherType::IPV4, packet)),
                10 => Ok(LaxSlicedPacket::from_ether_type(EtherType::IPV6, packet)),
                other => Err(format!("NFLOG address family {other} not decoded")),
            };
            return (link, sliced);
        }
        at += (len + 3) & !3;
    }
    (link, Err("NFLOG message without a packet".into()))
}

fn cooked_payload(protocol: u16, hatype: u16, rest: &[u8]) -> Result<LaxSlicedPacket<'_>, String> {
    if hatype == ARPHRD_NETLINK {
        return Err(format!(
            "netlink message (protocol {protocol}), not a network packet"
        ));
    }
    if protocol < 0x0600 {
        return Err(format!("non-IP frame (Linux protocol 0x{protocol:04x})"));
    }
    Ok(LaxSlicedPacket::from_ether_type(EtherType(protocol), rest))
}

fn raw_ip(data: &[u8]) -> Result<LaxSlicedPacket<'_>, String> {
    match data.first().map(|b| b >> 4) {
        Some(4) => Ok(LaxSlicedPacket::from_ether_type(EtherType::IPV4, data)),
        Some(6) => Ok(LaxSlicedPacket::from_ether_type(EtherType::IPV6, data)),
        Some(v) => Err(format!("raw packet with IP version {v}, not 4 or 6")),
        None => Err("empty frame".into()),
    }
}
