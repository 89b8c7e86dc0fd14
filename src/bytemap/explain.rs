//! What field values mean, as typed facts: the explainers each protocol's table is built
//! with. They match on a field's identity, never on its name.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::build::{Explained, Raw};
use super::meaning::{AddrKind, MacKind, Meaning, PortKind, WindowMeaning};
use crate::decode::tcp::flags;
use crate::wire::{FieldId, FieldSpec};

fn num(r: &Raw<'_>) -> u64 {
    r.num.unwrap_or(0)
}

fn small<T: TryFrom<u64> + Default>(n: u64) -> T {
    T::try_from(n).unwrap_or_default()
}

/// A one-bit flag.
pub(super) fn flag(r: &Raw<'_>) -> Explained {
    Meaning::Flag(r.num.unwrap_or(0) != 0).into()
}

/// Link-layer fields: Ethernet, 802.1Q, Linux cooked headers; MACs anywhere.
pub(super) fn link(s: &FieldSpec, r: &Raw<'_>) -> Explained {
    let n = num(r);
    match s.id {
        FieldId::Destination
        | FieldId::Source
        | FieldId::LinkSource
        | FieldId::SenderMac
        | FieldId::TargetMac => Meaning::Mac(MacKind::of(r.bytes)).into(),
        // The bit fields span the address's first three bytes: the kind needs all six, so
        // the layer fills these in from the parent ([`super::layers`]).
        FieldId::LgBit | FieldId::IgBit => Explained::default(),
        FieldId::EtherType | FieldId::LinkProtocol => Meaning::EtherType(small(n)).into(),
        FieldId::Length => Meaning::Llc8023Length.into(),
        FieldId::PacketType => Meaning::PacketType(small(n)).into(),
        FieldId::LinkAddrType => Meaning::Arphrd(small(n)).into(),
        FieldId::LinkAddrLen => Meaning::LinkAddrLen(n).into(),
        FieldId::InterfaceIndex => Meaning::InterfaceIndex.into(),
        FieldId::Priority => Meaning::Priority(small(n)).into(),
        FieldId::DropEligible => flag(r),
        FieldId::VlanId => Meaning::VlanId(small(n)).into(),
        _ => Explained::default(),
    }
}

/// ARP fields.
pub(super) fn arp(s: &FieldSpec, r: &Raw<'_>) -> Explained {
    let n = num(r);
    match s.id {
        FieldId::HardwareType => Meaning::ArpHardware(small(n)).into(),
        FieldId::ProtocolType => Meaning::EtherType(small(n)).into(),
        FieldId::HardwareSize => Meaning::HardwareSize(small(n)).into(),
        FieldId::ProtocolSize => Meaning::ProtocolSize(small(n)).into(),
        FieldId::Operation => Meaning::ArpOperation(small(n)).into(),
        FieldId::TargetMac if r.bytes.iter().all(|b| *b == 0) => Meaning::ArpTargetUnknown.into(),
        _ => link(s, r),
    }
}

/// What an IP address is, when it is special.
pub(super) fn addr_kind(ip: IpAddr) -> Option<AddrKind> {
    match ip {
        IpAddr::V4(a) => {
            if a.is_loopback() {
                Some(AddrKind::Loopback)
            } else if a.is_private() {
                Some(AddrKind::Private)
            } else if a.is_broadcast() {
                Some(AddrKind::Broadcast)
            } else if a.is_multicast() {
                Some(AddrKind::Multicast)
            } else if a.is_link_local() {
                Some(AddrKind::LinkLocal)
            } else if a.is_unspecified() {
                Some(AddrKind::Unspecified)
            } else {
                None
            }
        }
        IpAddr::V6(a) => {
            let s = a.segments()[0];
            if a.is_loopback() {
                Some(AddrKind::Loopback)
            } else if a.is_multicast() {
                Some(AddrKind::Multicast)
            } else if s & 0xffc0 == 0xfe80 {
                Some(AddrKind::LinkLocal)
            } else if s & 0xfe00 == 0xfc00 {
                Some(AddrKind::UniqueLocal)
            } else if a.is_unspecified() {
                Some(AddrKind::Unspecified)
            } else {
                None
            }
        }
    }
}

fn addr(bytes: &[u8]) -> Option<IpAddr> {
    if let Ok(a) = <[u8; 4]>::try_from(bytes) {
        return Some(Ipv4Addr::from(a).into());
    }
    <[u8; 16]>::try_from(bytes)
        .ok()
        .map(|a| Ipv6Addr::from(a).into())
}

/// IPv4, IPv6 and extension header fields.
pub(super) fn ip(s: &FieldSpec, r: &Raw<'_>) -> Explained {
    let n = num(r);
    match s.id {
        FieldId::Version => Meaning::IpVersion(small(n)).into(),
        FieldId::HeaderLength => Meaning::Words4(n).into(),
        FieldId::Dscp => Meaning::Dscp(small(n)).into(),
        FieldId::Ecn => Meaning::Ecn(small(n)).into(),
        FieldId::DsField | FieldId::TrafficClass => Meaning::DsField {
            dscp: small(n >> 2),
            ecn: small(n & 3),
        }
        .into(),
        FieldId::TotalLength => Meaning::TotalLength.into(),
        FieldId::Identification => Meaning::Decimal(n).into(),
        FieldId::Flags => Meaning::IpFlags(small(n)).into(),
        FieldId::EvilBit
        | FieldId::DontFragment
        | FieldId::MoreFragments
        | FieldId::MoreFragmentsBit => flag(r),
        FieldId::FragmentOffset | FieldId::FragmentOffset8 => Meaning::FragmentOffset(n).into(),
        FieldId::Ttl | FieldId::HopLimit => Meaning::HopsLeft.into(),
        FieldId::Protocol | FieldId::NextHeader => Meaning::IpProtocol(small(n)).into(),
        FieldId::SourceAddress | FieldId::DestinationAddress => {
            addr(r.bytes).and_then(addr_kind).map(Meaning::Addr).into()
        }
        FieldId::FlowLabel => Meaning::FlowLabel(n != 0).into(),
        FieldId::PayloadLength => Meaning::Ipv6PayloadLength.into(),
        FieldId::ExtLength => Meaning::ExtLength(n).into(),
        _ => Explained::default(),
    }
}

/// The service a well-known port is for.
pub(super) fn port_service(p: u64) -> Option<&'static str> {
    Some(match p {
        20 | 21 => "FTP",
        22 => "SSH",
        23 => "telnet",
        25 => "SMTP",
        53 => "DNS",
        67 | 68 => "DHCP",
        80 => "HTTP",
        110 => "POP3",
        123 => "NTP",
        143 => "IMAP",
        161 | 162 => "SNMP",
        179 => "BGP",
        443 => "HTTPS",
        514 => "syslog",
        853 => "DNS over TLS",
        _ => return None,
    })
}

fn port(r: &Raw<'_>) -> Explained {
    let n = num(r);
    port_service(n)
        .map(PortKind::Service)
        .or_else(|| (n >= 32768).then_some(PortKind::Ephemeral))
        .map(Meaning::Port)
        .into()
}

/// TCP header fields; `tcp_flags` are the segment's flags, `scale` the sender's window scale.
pub(super) fn tcp(s: &FieldSpec, r: &Raw<'_>, tcp_flags: u16, scale: Option<u8>) -> Explained {
    let n = num(r);
    let syn = tcp_flags & flags::SYN != 0;
    match s.id {
        FieldId::SourcePort | FieldId::DestinationPort => port(r),
        FieldId::SeqRaw => Meaning::Seq { isn: syn }.into(),
        FieldId::AckRaw => Meaning::Ack {
            used: tcp_flags & flags::ACK != 0,
        }
        .into(),
        FieldId::DataOffset => Meaning::Words4(n).into(),
        FieldId::Flags => Meaning::TcpFlags(small(n)).into(),
        FieldId::Window => Meaning::Window(if syn {
            WindowMeaning::Syn
        } else {
            match scale {
                Some(shift) => WindowMeaning::Scaled {
                    raw: n,
                    shift: shift.min(14),
                },
                None => WindowMeaning::UnknownScale,
            }
        })
        .into(),
        FieldId::UrgentPointer if tcp_flags & flags::URG == 0 => Meaning::UrgentUnused.into(),
        _ if s.bits.is_some() => flag(r),
        _ => Explained::default(),
    }
}

/// The parts of TCP options.
pub(super) fn tcp_option(s: &FieldSpec, r: &Raw<'_>) -> Explained {
    let n = num(r);
    match s.id {
        FieldId::OptionKind => Meaning::OptionKind(small(n)).into(),
        FieldId::OptionLength => Meaning::OptionLength.into(),
        FieldId::MssValue => Meaning::Mss.into(),
        FieldId::ShiftCount => Meaning::WindowShift(small(n)).into(),
        FieldId::TsVal => Meaning::TsVal.into(),
        FieldId::TsEcr => Meaning::TsEcr.into(),
        FieldId::SackLeft | FieldId::SackRight => Meaning::SackEdge.into(),
        _ => Explained::default(),
    }
}

/// UDP header fields.
pub(super) fn udp(s: &FieldSpec, r: &Raw<'_>) -> Explained {
    match s.id {
        FieldId::SourcePort | FieldId::DestinationPort => port(r),
        FieldId::Length => Meaning::UdpLength(num(r)).into(),
        _ => Explained::default(),
    }
}

/// The kinds of the options in an IPv4 options area, in order.
pub(super) fn ipv4_options(area: &[u8]) -> Vec<u8> {
    let mut kinds = Vec::new();
    let mut i = 0;
    while let Some(&kind) = area.get(i) {
        kinds.push(kind);
        if kind == 0 {
            break;
        }
        if kind == 1 {
            i += 1;
            continue;
        }
        match area.get(i + 1) {
            Some(&len) if len >= 2 => i += usize::from(len),
            _ => break,
        }
    }
    kinds
}

/// IEEE 802.3 CRC-32 (reflected, polynomial 0xedb88320), as Ethernet's FCS carries it.
pub(super) fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_check_value() {
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
    }

    #[test]
    fn mac_kinds() {
        assert_eq!(MacKind::of(&[0; 6]), MacKind::Zero);
        assert_eq!(MacKind::of(&[0xff; 6]), MacKind::Broadcast);
        assert_eq!(MacKind::of(&[1, 0, 0x5e, 0, 0, 1]), MacKind::Ipv4Multicast);
        assert_eq!(
            MacKind::of(&[0x33, 0x33, 0, 0, 0, 1]),
            MacKind::Ipv6Multicast
        );
        assert_eq!(MacKind::of(&[2, 0, 0x0a, 0x63, 0, 1]), MacKind::Local);
        assert_eq!(
            MacKind::of(&[0x00, 0x1b, 0x21, 1, 2, 3]),
            MacKind::Global {
                oui: [0x00, 0x1b, 0x21]
            }
        );
        assert_eq!(
            ipv4_options(&[1, 7, 3, 0, 0]),
            vec![1, 7, 0],
            "NOP, record route of 3 bytes, end"
        );
    }
}
