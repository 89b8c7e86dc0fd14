//! What field values mean: names of EtherTypes, protocols, ports, flags and options, and the
//! explainers each protocol's table is built with.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use etherparse::IpNumber;

use super::build::{Explained, Raw};
use super::spec::FieldSpec;
use crate::capture::LinkType;
use crate::decode::tcp::flag_names;

pub(super) fn family_name(family: u32, lt: LinkType) -> String {
    let what = match family {
        2 => "AF_INET: IPv4",
        10 => "AF_INET6 (Linux): IPv6",
        24 => "AF_INET6 (OpenBSD, NetBSD): IPv6",
        28 => "AF_INET6 (FreeBSD): IPv6",
        30 => "AF_INET6 (macOS): IPv6",
        _ => "unknown address family",
    };
    if lt == LinkType::LOOP {
        format!("{what} (network byte order)")
    } else {
        format!("{what} (in the capturing host's byte order)")
    }
}

/// Names of common EtherTypes.
pub(super) fn ethertype_name(t: u16) -> &'static str {
    match t {
        0x0800 => "IPv4",
        0x0806 => "ARP",
        0x86dd => "IPv6",
        0x8100 => "802.1Q VLAN tag follows",
        0x88a8 => "802.1ad service tag follows",
        0x9100 => "QinQ VLAN tag follows",
        0x8035 => "RARP",
        0x8847 | 0x8848 => "MPLS",
        0x8863 => "PPPoE discovery",
        0x8864 => "PPPoE session",
        0x888e => "802.1X EAPOL",
        0x88cc => "LLDP",
        0x88e5 => "MACsec",
        0x88f7 => "PTP",
        0x9000 => "loopback test",
        0..0x0600 => "a length (IEEE 802.3)",
        _ => "unknown EtherType",
    }
}

pub(super) fn mac_meaning(bytes: &[u8]) -> Option<String> {
    if bytes.iter().all(|b| *b == 0xff) {
        Some("broadcast".into())
    } else if bytes.iter().all(|b| *b == 0) {
        Some("all zeros (the loopback interface has no MAC)".into())
    } else if bytes.first().is_some_and(|b| b & 1 == 1) {
        Some("multicast".into())
    } else {
        None
    }
}

pub(super) fn flag_bit(r: &Raw<'_>) -> Explained {
    Explained::meaning(if r.num == Some(0) { "not set" } else { "set" })
}

pub(super) fn explain_link(s: &FieldSpec, r: &Raw<'_>) -> Explained {
    let n = r.num.unwrap_or(0);
    match s.wireshark {
        "eth.dst" | "eth.src" | "sll.src.eth" | "arp.src.hw_mac" | "arp.dst.hw_mac" => Explained {
            value: None,
            meaning: mac_meaning(r.bytes),
        },
        "eth.dst.lg" | "eth.src.lg" => Explained::meaning(if n == 1 {
            "locally administered address"
        } else {
            "globally unique (factory) address"
        }),
        "eth.dst.ig" | "eth.src.ig" => Explained::meaning(if n == 1 {
            "group (multicast/broadcast)"
        } else {
            "individual (unicast)"
        }),
        "eth.type" | "vlan.etype" | "ieee8021ah.etype" | "sll.etype" => {
            Explained::meaning(ethertype_name(n as u16))
        }
        "eth.len" => Explained::meaning("bytes of 802.2 LLC data follow"),
        "sll.pkttype" => Explained::meaning(match n {
            0 => "to this host",
            1 => "broadcast",
            2 => "multicast",
            3 => "to another host (seen in promiscuous mode)",
            4 => "outgoing: sent by this host",
            _ => "unknown",
        }),
        "sll.hatype" => Explained::meaning(match n {
            1 => "ARPHRD_ETHER: Ethernet",
            772 => "ARPHRD_LOOPBACK: the loopback interface",
            776 => "ARPHRD_SIT: IPv6-in-IPv4 tunnel",
            778 => "ARPHRD_IPGRE: GRE tunnel",
            65534 => "ARPHRD_NONE: no link header (tun)",
            824 => "ARPHRD_NETLINK: netlink",
            _ => "ARPHRD_ type",
        }),
        "sll.halen" => Explained::meaning(format!("{n}-byte link-layer address")),
        "sll.ifindex" => Explained::meaning("interface index on the capturing host"),
        "vlan.priority" | "ieee8021ad.priority" => Explained::meaning(match n {
            0 => "best effort",
            1 => "background",
            5 => "video",
            6 => "voice",
            7 => "network control",
            _ => "priority class",
        }),
        "vlan.dei" | "ieee8021ad.dei" => flag_bit(r),
        "vlan.id" | "ieee8021ad.id" => Explained::meaning(match n {
            0 => "priority tag only, no VLAN".to_string(),
            4095 => "reserved".to_string(),
            _ => format!("VLAN {n}"),
        }),
        _ => Explained::default(),
    }
}

pub(super) fn explain_arp(s: &FieldSpec, r: &Raw<'_>) -> Explained {
    let n = r.num.unwrap_or(0);
    match s.wireshark {
        "arp.hw.type" => Explained::meaning(if n == 1 { "Ethernet" } else { "hardware type" }),
        "arp.proto.type" => Explained::meaning(ethertype_name(n as u16)),
        "arp.hw.size" => m(if n == 6 {
            "bytes: a MAC address"
        } else {
            "bytes"
        }),
        "arp.proto.size" => m(if n == 4 {
            "bytes: an IPv4 address"
        } else {
            "bytes"
        }),
        "arp.opcode" => Explained::meaning(match n {
            1 => "request: who has the target IP address?",
            2 => "reply: the sender IP address is at the sender MAC",
            3 => "RARP request",
            4 => "RARP reply",
            _ => "unknown operation",
        }),
        "arp.dst.hw_mac" if r.bytes.iter().all(|b| *b == 0) => {
            Explained::meaning("unknown yet: this is what the request asks")
        }
        _ => explain_link(s, r),
    }
}

pub(super) fn dscp_name(d: u64) -> String {
    match d {
        0 => "default (best effort)".into(),
        46 => "EF: expedited forwarding".into(),
        44 => "VOICE-ADMIT".into(),
        10 | 12 | 14 | 18 | 20 | 22 | 26 | 28 | 30 | 34 | 36 | 38 => {
            format!("AF{}{}", d / 8, (d % 8) / 2)
        }
        d if d % 8 == 0 => format!("CS{}", d / 8),
        _ => "unassigned".into(),
    }
}

pub(super) fn ecn_name(e: u64) -> &'static str {
    match e {
        0 => "Not-ECT: no ECN",
        1 => "ECT(1)",
        2 => "ECT(0)",
        _ => "CE: congestion experienced",
    }
}

pub(super) fn addr_meaning(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(a) => {
            if a.is_loopback() {
                Some("loopback (this host)")
            } else if a.is_private() {
                Some("private (RFC 1918)")
            } else if a.is_broadcast() {
                Some("broadcast")
            } else if a.is_multicast() {
                Some("multicast")
            } else if a.is_link_local() {
                Some("link-local")
            } else if a.is_unspecified() {
                Some("unspecified")
            } else {
                None
            }
        }
        IpAddr::V6(a) => {
            let s = a.segments()[0];
            if a.is_loopback() {
                Some("loopback (this host)")
            } else if a.is_multicast() {
                Some("multicast")
            } else if s & 0xffc0 == 0xfe80 {
                Some("link-local")
            } else if s & 0xfe00 == 0xfc00 {
                Some("unique local")
            } else if a.is_unspecified() {
                Some("unspecified")
            } else {
                None
            }
        }
    }
}

pub(super) fn ip_number_name(n: u64) -> String {
    let n = u8::try_from(n).unwrap_or(255);
    match IpNumber(n).keyword_str() {
        Some(k) => k.to_string(),
        None => "unassigned".into(),
    }
}

pub(super) fn explain_ip(s: &FieldSpec, r: &Raw<'_>) -> Explained {
    let n = r.num.unwrap_or(0);
    match s.wireshark {
        "ip.version" | "ipv6.version" => m(match n {
            4 => "IPv4",
            6 => "IPv6",
            _ => "not 4 or 6: malformed",
        }),
        "ip.hdr_len" => m(format!("{n} × 4 = {} bytes", n * 4)),
        "ip.dsfield.dscp" | "ipv6.tclass.dscp" => m(dscp_name(n)),
        "ip.dsfield.ecn" | "ipv6.tclass.ecn" => m(ecn_name(n)),
        "ip.dsfield" | "ipv6.tclass" => m(format!("DSCP {}, ECN {}", n >> 2, n & 3)),
        "ip.len" => m("bytes: header + payload"),
        "ip.id" => m(format!("{n}")),
        "ip.flags" => {
            let mut names = Vec::new();
            if n & 0b100 != 0 {
                names.push("reserved");
            }
            if n & 0b010 != 0 {
                names.push("DF");
            }
            if n & 0b001 != 0 {
                names.push("MF");
            }
            m(if names.is_empty() {
                "none".to_string()
            } else {
                names.join("+")
            })
        }
        "ip.flags.rb" | "ip.flags.df" | "ip.flags.mf" | "ipv6.fragment.more" => flag_bit(r),
        "ip.frag_offset" | "ipv6.fragment.offset" => m(if n == 0 {
            "0: the first (or only) fragment".to_string()
        } else {
            format!("{n} × 8 = {} bytes into the datagram", n * 8)
        }),
        "ip.ttl" => m("hops left before a router drops the packet"),
        "ipv6.hlim" => m("hops left before a router drops the packet"),
        "ip.proto" | "ipv6.nxt" | "ipv6.hopopts.nxt" | "ipv6.routing.nxt" | "ipv6.fragment.nxt"
        | "ipv6.dstopts.nxt" | "ah.next_header" => m(ip_number_name(n)),
        "ip.src" | "ip.dst" => Explained {
            value: None,
            meaning: <[u8; 4]>::try_from(r.bytes)
                .ok()
                .and_then(|a| addr_meaning(Ipv4Addr::from(a).into()))
                .map(String::from),
        },
        "ipv6.src" | "ipv6.dst" => Explained {
            value: None,
            meaning: <[u8; 16]>::try_from(r.bytes)
                .ok()
                .and_then(|a| addr_meaning(Ipv6Addr::from(a).into()))
                .map(String::from),
        },
        "ipv6.flow" => m(if n == 0 { "none" } else { "flow label" }),
        "ipv6.plen" => m("bytes after this 40-byte header"),
        "ipv6.hopopts.len" | "ipv6.dstopts.len" | "ipv6.routing.len" => {
            m(format!("({n} + 1) × 8 = {} bytes", (n + 1) * 8))
        }
        _ => Explained::default(),
    }
}

pub(super) fn port_name(p: u64) -> Option<&'static str> {
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

pub(super) fn explain_port(r: &Raw<'_>) -> Explained {
    let n = r.num.unwrap_or(0);
    Explained {
        value: None,
        meaning: port_name(n)
            .map(String::from)
            .or_else(|| (n >= 32768).then(|| "ephemeral (client side)".to_string())),
    }
}

pub(super) fn explain_tcp(
    s: &FieldSpec,
    r: &Raw<'_>,
    flags: Option<u16>,
    scale: Option<u8>,
) -> Explained {
    let n = r.num.unwrap_or(0);
    let flags = flags.unwrap_or(0);
    let syn = flags & 0x002 != 0;
    match s.wireshark {
        "tcp.srcport" | "tcp.dstport" => explain_port(r),
        "tcp.seq_raw" if syn => m("initial sequence number (ISN), chosen at random"),
        "tcp.seq_raw" => m("number of the first data byte (raw)"),
        "tcp.ack_raw" if flags & 0x010 == 0 => m("not used: the ACK flag is clear"),
        "tcp.ack_raw" => m("next byte expected from the peer (raw)"),
        "tcp.hdr_len" => m(format!("{n} × 4 = {} bytes", n * 4)),
        "tcp.flags" => Explained {
            value: Some(format!("0x{n:03x}")),
            meaning: Some({
                // Ascending bit order, as Wireshark's Info column writes them: "PSH, ACK".
                let names = flag_names(n as u16);
                if names.is_empty() {
                    "no flags".into()
                } else {
                    names.join("+")
                }
            }),
        },
        "tcp.window_size_value" => m(if syn {
            "bytes; never scaled in a SYN".to_string()
        } else {
            match scale {
                Some(sh) => {
                    let sh = sh.min(14);
                    format!("{n} × 2^{sh} = {} bytes the receiver can take", n << sh)
                }
                None => "× the window scale (unknown: the handshake was not seen)".to_string(),
            }
        }),
        "tcp.urgent_pointer" if flags & 0x020 == 0 => m("not used: the URG flag is clear"),
        _ if s.bits.is_some() => flag_bit(r),
        _ => Explained::default(),
    }
}

pub(super) fn option_name(kind: u8) -> &'static str {
    match kind {
        0 => "end of option list",
        1 => "no-operation",
        2 => "maximum segment size",
        3 => "window scale",
        4 => "SACK permitted",
        5 => "SACK",
        8 => "timestamps",
        19 => "MD5 signature",
        28 => "user timeout",
        29 => "TCP-AO",
        30 => "multipath TCP",
        34 => "TCP Fast Open cookie",
        253 | 254 => "experimental",
        _ => "unknown",
    }
}

pub(super) fn explain_tcp_option(s: &FieldSpec, r: &Raw<'_>) -> Explained {
    let n = r.num.unwrap_or(0);
    match s.wireshark {
        "tcp.option_kind" => m(option_name(u8::try_from(n).unwrap_or(255))),
        "tcp.option_len" => m("bytes, kind and length included"),
        "tcp.options.mss_val" => m("largest segment payload the sender accepts, in bytes"),
        "tcp.options.wscale.shift" => m(format!(
            "windows from this side are × 2^{n} = {}",
            1u64 << n.min(14)
        )),
        "tcp.options.timestamp.tsval" => m("sender's clock"),
        "tcp.options.timestamp.tsecr" => m("echo of the peer's latest clock value"),
        "tcp.options.sack_le" | "tcp.options.sack_re" => m("raw sequence number"),
        _ => Explained::default(),
    }
}

pub(super) fn explain_udp(s: &FieldSpec, r: &Raw<'_>) -> Explained {
    let n = r.num.unwrap_or(0);
    match s.wireshark {
        "udp.srcport" | "udp.dstport" => explain_port(r),
        "udp.length" => Explained::meaning(format!(
            "8-byte header + {} bytes of payload",
            n.saturating_sub(8)
        )),
        _ => Explained::default(),
    }
}

/// "Record Route, NOP, ..." for an IPv4 options area.
pub(super) fn ipv4_options(area: &[u8]) -> String {
    let mut names = Vec::new();
    let mut i = 0;
    while let Some(&kind) = area.get(i) {
        let name = match kind {
            0 => "end of list",
            1 => "NOP",
            7 => "record route",
            68 => "timestamp",
            130 => "security",
            131 => "loose source route",
            137 => "strict source route",
            148 => "router alert",
            _ => "option",
        };
        names.push(format!("{name} ({kind})"));
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
    names.join(", ")
}

pub(super) fn m(text: impl Into<String>) -> Explained {
    Explained::meaning(text)
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
}
