//! Tunnels and label stacks whose inner packet handshake-viz follows: IP in IP, GRE (with
//! ERSPAN II, WCCP redirect and transparent Ethernet bridging), PIM Register and MPLS.

use etherparse::{EtherType, LaxSlicedPacket};

/// The packet inside an IP payload of a tunnelling protocol: IPv4 or IPv6 in IP, and GRE
/// (with ERSPAN type II and transparent Ethernet bridging). Returns the tunnel header length.
pub(super) fn tunnel(
    protocol: u8,
    bytes: &[u8],
) -> Option<(usize, &'static str, LaxSlicedPacket<'_>)> {
    match protocol {
        4 => Some((
            0,
            "IP in IP",
            LaxSlicedPacket::from_ether_type(EtherType::IPV4, bytes),
        )),
        41 => Some((
            0,
            "IPv6 in IP",
            LaxSlicedPacket::from_ether_type(EtherType::IPV6, bytes),
        )),
        47 => {
            let flags = u16::from_be_bytes([*bytes.first()?, *bytes.get(1)?]);
            let proto = u16::from_be_bytes([*bytes.get(2)?, *bytes.get(3)?]);
            // Version 0 only, and no source routing.
            if flags & 0x0007 != 0 || flags & 0x4000 != 0 {
                return None;
            }
            let mut len = 4;
            for bit in [0x8000, 0x2000, 0x1000] {
                if flags & bit != 0 {
                    len += 4;
                }
            }
            let inner = |len: usize| bytes.get(len..);
            match proto {
                0x88be if flags & 0x1000 != 0 => {
                    let rest = inner(len + 8)?;
                    let sliced = LaxSlicedPacket::from_ethernet(rest).ok()?;
                    Some((len + 8, "GRE + ERSPAN", sliced))
                }
                0x883e => {
                    // WCCP redirect: a 4-byte WCCP header, then the redirected IP packet.
                    let rest = inner(len + 4)?;
                    Some((len + 4, "GRE + WCCP", ip_by_version(rest)?))
                }
                0x6558 => {
                    let sliced = LaxSlicedPacket::from_ethernet(inner(len)?).ok()?;
                    Some((len, "GRE", sliced))
                }
                p if p >= 0x0600 => Some((
                    len,
                    "GRE",
                    LaxSlicedPacket::from_ether_type(EtherType(p), inner(len)?),
                )),
                _ => None,
            }
        }
        // PIM Register (version 2, type 1): an 8-byte header, then the multicast packet.
        103 if bytes.len() > 8 && bytes[0] == 0x21 => {
            Some((8, "PIM Register", ip_by_version(&bytes[8..])?))
        }
        _ => None,
    }
}

/// An IPv4 or IPv6 packet, told apart by its version nibble.
fn ip_by_version(bytes: &[u8]) -> Option<LaxSlicedPacket<'_>> {
    match bytes.first()? >> 4 {
        4 => Some(LaxSlicedPacket::from_ether_type(EtherType::IPV4, bytes)),
        6 => Some(LaxSlicedPacket::from_ether_type(EtherType::IPV6, bytes)),
        _ => None,
    }
}

/// Skips an MPLS label stack; the packet under the bottom label is IPv4 or IPv6.
pub(super) fn mpls(bytes: &[u8]) -> Option<(usize, LaxSlicedPacket<'_>)> {
    let mut at = 0;
    loop {
        let entry = bytes.get(at..at + 4)?;
        at += 4;
        if entry[2] & 1 == 1 {
            break;
        }
    }
    Some((at, ip_by_version(&bytes[at..])?))
}
