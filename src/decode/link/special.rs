//! Link headers of their own shape: PPP, ARCNET and NFLOG.

use etherparse::EtherType;

use super::{Inner, Link, Sliced, be16, header};
use crate::capture::LinkType;
use crate::decode::LayerSpan;
use crate::decode::stop::{DecodeStop, LinkHeader, PppControl};

/// PPP: optional HDLC address and control bytes (ff 03), then a 1- or 2-byte protocol.
pub(super) fn ppp<'a>(data: &'a [u8], layers: &mut Vec<LayerSpan>) -> (Link, Sliced<'a>) {
    let mut at = if data.starts_with(&[0xff, 0x03]) {
        2
    } else {
        0
    };
    let (protocol, len) = match data.get(at) {
        Some(&b) if b & 1 == 1 => (u16::from(b), 1),
        Some(_) if data.len() >= at + 2 => (be16(data, at..at + 2), 2),
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
        0x0021 => Ok(Inner::EtherType(EtherType::IPV4, rest)),
        0x0057 => Ok(Inner::EtherType(EtherType::IPV6, rest)),
        0x0281 | 0x0283 => Ok(Inner::EtherType(EtherType(0x8847), rest)),
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
pub(super) fn arcnet<'a>(data: &'a [u8], layers: &mut Vec<LayerSpan>) -> (Link, Sliced<'a>) {
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
        212 | 240 => Ok(Inner::EtherType(EtherType::IPV4, rest)),
        213 | 241 => Ok(Inner::EtherType(EtherType::ARP, rest)),
        196 => Ok(Inner::EtherType(EtherType::IPV6, rest)),
        other => Err(DecodeStop::LinkProtocol {
            link: LinkHeader::Arcnet,
            protocol: u32::from(other),
        }),
    };
    (link, sliced)
}

/// NFLOG: a 4-byte header (address family, version, group) and TLVs in the capturing
/// host's byte order; TLV type 9 holds the packet.
pub(super) fn nflog<'a>(data: &'a [u8], layers: &mut Vec<LayerSpan>) -> (Link, Sliced<'a>) {
    let family = data.first().copied().unwrap_or(0);
    let link = Link::Encapsulated {
        header: LinkHeader::Nflog,
        protocol: u32::from(family),
    };
    let mut at = 4;
    while at + 4 <= data.len() {
        let le = u16::from_le_bytes([data[at], data[at + 1]]) as usize;
        let be = be16(data, at..at + 2) as usize;
        let (len, kind) = if (4..=data.len() - at).contains(&le) {
            (
                le,
                u16::from_le_bytes([data[at + 2], data[at + 3]]) & 0x7fff,
            )
        } else if (4..=data.len() - at).contains(&be) {
            (be, be16(data, at + 2..at + 4) & 0x7fff)
        } else {
            break;
        };
        if kind == 9 {
            header(layers, LinkHeader::Nflog, at + 4);
            let packet = &data[at + 4..at + len];
            let sliced = match family {
                2 => Ok(Inner::EtherType(EtherType::IPV4, packet)),
                10 => Ok(Inner::EtherType(EtherType::IPV6, packet)),
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
