//! What field values mean, in English.

use super::super::super::bytes::{dscp_code, tcp_flags};
use crate::bytemap::{
    AddrKind, IcmpCode, MacKind, Meaning, OptionProblem, PortKind, Verdict, WindowMeaning,
};
use crate::decode::{IcmpKind, Unreachable, ip_protocol_keyword};
use crate::text::Mac;
use crate::wire::{ethernet, tcp};

/// What a value means.
pub(super) fn text(meaning: &Meaning) -> String {
    match meaning {
        Meaning::Mac(kind) => mac(*kind),
        Meaning::LgBit(kind) => lg_bit(*kind).into(),
        Meaning::IgBit(kind) => match kind {
            MacKind::Broadcast
            | MacKind::Ipv4Multicast
            | MacKind::Ipv6Multicast
            | MacKind::Multicast { .. } => "group (multicast/broadcast)",
            MacKind::Zero | MacKind::Local | MacKind::Global { .. } => "individual (unicast)",
        }
        .into(),
        Meaning::EtherType(t) => ethertype(*t),
        Meaning::Llc8023Length => "bytes of 802.2 LLC data follow".into(),
        Meaning::PacketType(t) => match t {
            0 => "to this host",
            1 => "broadcast",
            2 => "multicast",
            3 => "to another host (seen in promiscuous mode)",
            4 => "outgoing: sent by this host",
            _ => "unknown",
        }
        .into(),
        Meaning::Arphrd(t) => match t {
            1 => "ARPHRD_ETHER: Ethernet",
            772 => "ARPHRD_LOOPBACK: the loopback interface",
            776 => "ARPHRD_SIT: IPv6-in-IPv4 tunnel",
            778 => "ARPHRD_IPGRE: GRE tunnel",
            65534 => "ARPHRD_NONE: no link header (tun)",
            824 => "ARPHRD_NETLINK: netlink",
            _ => "ARPHRD_ type",
        }
        .into(),
        Meaning::LinkAddrLen(n) => format!("{n}-byte link-layer address"),
        Meaning::InterfaceIndex => "interface index on the capturing host".into(),
        Meaning::Priority(p) => match p {
            0 => "best effort",
            1 => "background",
            5 => "video",
            6 => "voice",
            7 => "network control",
            _ => "priority class",
        }
        .into(),
        Meaning::VlanId(id) => match id {
            0 => "priority tag only, no VLAN".into(),
            4095 => "reserved".into(),
            _ => format!("VLAN {id}"),
        },
        Meaning::AddressFamily {
            family,
            network_order,
        } => {
            let what = match family {
                2 => "AF_INET: IPv4",
                10 => "AF_INET6 (Linux): IPv6",
                24 => "AF_INET6 (OpenBSD, NetBSD): IPv6",
                28 => "AF_INET6 (FreeBSD): IPv6",
                30 => "AF_INET6 (macOS): IPv6",
                _ => "unknown address family",
            };
            if *network_order {
                format!("{what} (network byte order)")
            } else {
                format!("{what} (in the capturing host's byte order)")
            }
        }
        Meaning::ArpHardware(t) => if *t == 1 { "Ethernet" } else { "hardware type" }.into(),
        Meaning::HardwareSize(n) => if *n == 6 {
            "bytes: a MAC address"
        } else {
            "bytes"
        }
        .into(),
        Meaning::ProtocolSize(n) => if *n == 4 {
            "bytes: an IPv4 address"
        } else {
            "bytes"
        }
        .into(),
        Meaning::ArpOperation(op) => match op {
            1 => "request: who has the target IP address?",
            2 => "reply: the sender IP address is at the sender MAC",
            3 => "RARP request",
            4 => "RARP reply",
            _ => "unknown operation",
        }
        .into(),
        Meaning::ArpTargetUnknown => "unknown yet: this is what the request asks".into(),
        Meaning::Flag(set) => if *set { "set" } else { "not set" }.into(),
        Meaning::IpVersion(v) => match v {
            4 => "IPv4",
            6 => "IPv6",
            _ => "not 4 or 6: malformed",
        }
        .into(),
        Meaning::Words4(n) => format!("{n} × 4 = {} bytes", n * 4),
        Meaning::Dscp(d) => match (d, dscp_code(*d)) {
            (0, _) => "default (best effort)".into(),
            (46, _) => "EF: expedited forwarding".into(),
            (_, Some(code)) => code,
            (_, None) => "unassigned".into(),
        },
        Meaning::Ecn(e) => match e {
            0 => "Not-ECT: no ECN",
            1 => "ECT(1)",
            2 => "ECT(0)",
            _ => "CE: congestion experienced",
        }
        .into(),
        Meaning::DsField { dscp, ecn } => format!("DSCP {dscp}, ECN {ecn}"),
        Meaning::TotalLength => "bytes: header + payload".into(),
        Meaning::Decimal(n) => n.to_string(),
        Meaning::IpFlags(bits) => {
            let names: Vec<&str> = [(0b100, "reserved"), (0b010, "DF"), (0b001, "MF")]
                .iter()
                .filter(|(bit, _)| bits & bit != 0)
                .map(|(_, name)| *name)
                .collect();
            if names.is_empty() {
                "none".into()
            } else {
                names.join("+")
            }
        }
        Meaning::FragmentOffset(0) => "0: the first (or only) fragment".into(),
        Meaning::FragmentOffset(n) => format!("{n} × 8 = {} bytes into the datagram", n * 8),
        Meaning::HopsLeft => "hops left before a router drops the packet".into(),
        Meaning::IpProtocol(p) => ip_protocol_keyword(*p).unwrap_or("unassigned").into(),
        Meaning::Addr(kind) => match kind {
            AddrKind::Loopback => "loopback (this host)",
            AddrKind::Private => "private (RFC 1918)",
            AddrKind::Broadcast => "broadcast",
            AddrKind::Multicast => "multicast",
            AddrKind::LinkLocal => "link-local",
            AddrKind::UniqueLocal => "unique local",
            AddrKind::Unspecified => "unspecified",
        }
        .into(),
        Meaning::FlowLabel(set) => if *set { "flow label" } else { "none" }.into(),
        Meaning::Ipv6PayloadLength => "bytes after this 40-byte header".into(),
        Meaning::ExtLength(n) => format!("({n} + 1) × 8 = {} bytes", (n + 1) * 8),
        Meaning::IpOptions(kinds) => {
            let names: Vec<String> = kinds
                .iter()
                .map(|k| format!("{} ({k})", ip_option(*k)))
                .collect();
            names.join(", ")
        }
        Meaning::Port(PortKind::Service(name)) => (*name).into(),
        Meaning::Port(PortKind::Ephemeral) => "ephemeral (client side)".into(),
        Meaning::Seq { isn: true } => "initial sequence number (ISN), chosen at random".into(),
        Meaning::Seq { isn: false } => "number of the first data byte (raw)".into(),
        Meaning::Ack { used: false } => "not used: the ACK flag is clear".into(),
        Meaning::Ack { used: true } => "next byte expected from the peer (raw)".into(),
        Meaning::TcpFlags(bits) => tcp_flags(*bits).unwrap_or_else(|| "no flags".into()),
        Meaning::Window(w) => match *w {
            WindowMeaning::Syn => "bytes; never scaled in a SYN".into(),
            WindowMeaning::Scaled { raw, shift } => format!(
                "{raw} × 2^{shift} = {} bytes the receiver can take",
                raw << shift
            ),
            WindowMeaning::UnknownScale => {
                "× the window scale (unknown: the handshake was not seen)".into()
            }
        },
        Meaning::UrgentUnused => "not used: the URG flag is clear".into(),
        Meaning::OptionKind(kind) => option(*kind).into(),
        Meaning::OptionLength => "bytes, kind and length included".into(),
        Meaning::OptionProblem(OptionProblem::BadLength(kind)) => {
            format!("{}, malformed: wrong length", option(*kind))
        }
        Meaning::Mss => "largest segment payload the sender accepts, in bytes".into(),
        Meaning::WindowShift(n) => format!(
            "windows from this side are × 2^{n} = {}",
            1u64 << (*n).min(14)
        ),
        Meaning::TsVal => "sender's clock".into(),
        Meaning::TsEcr => "echo of the peer's latest clock value".into(),
        Meaning::SackBlocks(1) => "1 block of data received past the acknowledged byte".into(),
        Meaning::SackBlocks(n) => format!("{n} blocks of data received past the acknowledged byte"),
        Meaning::SackEdge => "raw sequence number".into(),
        Meaning::OptionPadding => "zero bytes up to the data offset".into(),
        Meaning::UdpLength(n) => {
            format!("8-byte header + {} bytes of payload", n.saturating_sub(8))
        }
        Meaning::IcmpType(kind) => icmp_type(*kind).into(),
        Meaning::IcmpCode(code) => icmp_code(*code),
        Meaning::Mtu => "bytes: the largest packet the link takes".into(),
        Meaning::EchoMatch => "matches a reply to its request".into(),
        Meaning::Unused => "zero".into(),
        Meaning::AppData(n) => format!("{n} bytes of application data"),
        Meaning::EthPadding => "fills the frame up to Ethernet's 60-byte minimum".into(),
        Meaning::Fcs { ok: true } => "CRC-32 over the frame: correct".into(),
        Meaning::Fcs { ok: false } => {
            "does not match the frame's CRC-32: trailer bytes, or a damaged frame".into()
        }
        Meaning::Checksum(verdict) => checksum_short(*verdict),
    }
}

fn mac(kind: MacKind) -> String {
    match kind {
        MacKind::Zero => "all zeros: not a real address (the loopback interface has no MAC)".into(),
        MacKind::Broadcast => "broadcast".into(),
        MacKind::Ipv4Multicast => "multicast: an IPv4 group (01:00:5e)".into(),
        MacKind::Ipv6Multicast => "multicast: an IPv6 group (33:33)".into(),
        MacKind::Multicast { .. } => "multicast".into(),
        MacKind::Local => "unicast, locally administered: set by software".into(),
        MacKind::Global { oui } => {
            format!("unicast; {} is the OUI of its maker", Mac(&oui))
        }
    }
}

fn lg_bit(kind: MacKind) -> &'static str {
    match kind {
        MacKind::Zero => "no meaning here: all zeros is not a real address",
        MacKind::Broadcast => "no meaning for a group address: broadcast sets every bit",
        MacKind::Ipv6Multicast | MacKind::Multicast { local: true } => {
            "locally administered group address"
        }
        MacKind::Ipv4Multicast | MacKind::Multicast { local: false } => {
            "globally administered group address"
        }
        MacKind::Local => "locally administered: set by software, not by the maker",
        MacKind::Global { .. } => "globally unique: the first 3 bytes are the maker's OUI",
    }
}

fn ethertype(t: u16) -> String {
    if t < ethernet::MIN_ETHERTYPE {
        return "a length (IEEE 802.3)".into();
    }
    match (t, ethernet::ethertype_name(t)) {
        (0x8100 | 0x88a8 | 0x9100, Some(name)) => format!("{name} tag follows"),
        (_, Some(name)) => name.into(),
        (_, None) => "unknown EtherType".into(),
    }
}

fn ip_option(kind: u8) -> &'static str {
    match kind {
        0 => "end of list",
        1 => "NOP",
        7 => "record route",
        68 => "timestamp",
        130 => "security",
        131 => "loose source route",
        137 => "strict source route",
        148 => "router alert",
        _ => "option",
    }
}

fn option(kind: u8) -> &'static str {
    match (kind, tcp::option_name(kind)) {
        (_, Some(name)) => name,
        (253 | 254, None) => "experimental",
        (_, None) => "unknown",
    }
}

fn icmp_type(kind: IcmpKind) -> &'static str {
    match kind {
        IcmpKind::EchoRequest => "echo request",
        IcmpKind::EchoReply => "echo reply",
        IcmpKind::Unreachable(_) => "destination unreachable",
        IcmpKind::PacketTooBig(_) => "packet too big",
        IcmpKind::TtlExceeded | IcmpKind::ReassemblyExceeded => "time exceeded",
        IcmpKind::SourceQuench => "source quench",
        IcmpKind::Redirect => "redirect",
        IcmpKind::RouterAdvertisement => "router advertisement",
        IcmpKind::RouterSolicitation => "router solicitation",
        IcmpKind::ParameterProblem => "parameter problem",
        IcmpKind::TimestampRequest => "timestamp request",
        IcmpKind::TimestampReply => "timestamp reply",
        IcmpKind::MulticastListener => "multicast listener message",
        IcmpKind::NeighborSolicitation => "neighbor solicitation",
        IcmpKind::NeighborAdvertisement => "neighbor advertisement",
        IcmpKind::Other => "not decoded",
    }
}

fn icmp_code(code: IcmpCode) -> String {
    match code {
        IcmpCode::Unreachable(why) => match why {
            Unreachable::Network => "network unreachable".into(),
            Unreachable::Host => "host unreachable".into(),
            Unreachable::Protocol => "protocol unreachable".into(),
            Unreachable::Port => "port unreachable".into(),
            Unreachable::FragmentationNeeded(_) => "fragmentation needed, but DF is set".into(),
            Unreachable::Prohibited => "administratively prohibited".into(),
            Unreachable::NoRoute => "no route to destination".into(),
            Unreachable::Address => "address unreachable".into(),
            Unreachable::Other(c) => format!("code {c}"),
        },
        IcmpCode::TtlExceeded { v6: false } => "TTL expired in transit".into(),
        IcmpCode::TtlExceeded { v6: true } => "hop limit exceeded in transit".into(),
        IcmpCode::Reassembly => "fragment reassembly time exceeded".into(),
        IcmpCode::NoSubtype => "no sub-type".into(),
    }
}

/// A checksum verdict in a few words, for the field table.
pub(super) fn checksum_short(verdict: Verdict) -> String {
    match verdict {
        Verdict::Good => "correct".into(),
        Verdict::Offloaded { .. } => "not filled in yet (checksum offload)".into(),
        Verdict::Bad { computed } => format!("WRONG, should be 0x{computed:04x}"),
        Verdict::Absent => "none: the sender did not compute one".into(),
        Verdict::Unverifiable(_) => "not verifiable (see checksums)".into(),
    }
}
