//! Where each header field sits: one table per protocol, positions relative to the start of
//! the header (or of a TCP option), bit masks for fields narrower than a byte, and the
//! Wireshark display-filter name. Both the text view and JSON are built from these tables;
//! no other code knows a field's offset.

use std::ops::Range;

/// How a field's raw bytes are written as a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Show {
    /// Unsigned decimal (`64`).
    Dec,
    /// Hexadecimal, as wide as the field (`0x0800`).
    Hex,
    /// A MAC address (`02:00:0a:63:00:01`).
    Mac,
    /// An IPv4 address.
    Ipv4,
    /// An IPv6 address.
    Ipv6,
    /// Opaque bytes: shown as hex with the length.
    Bytes,
}

/// The position and identity of one header field.
#[derive(Debug)]
pub struct FieldSpec {
    /// Plain-words field name ("time to live").
    pub name: &'static str,
    /// Wireshark display-filter name, `""` when Wireshark has none for these bytes.
    pub wireshark: &'static str,
    /// Byte range relative to the start of the header (or option) the table describes.
    pub at: Range<usize>,
    /// For bit fields: the mask over the big-endian value of the `at` bytes.
    pub bits: Option<u32>,
    /// How the value is written.
    pub show: Show,
    /// Sub-fields (bit fields of this field, or the parts of a TCP option).
    pub sub: &'static [FieldSpec],
}

impl FieldSpec {
    /// Length of the field in bytes.
    pub fn len(&self) -> usize {
        self.at.end.saturating_sub(self.at.start)
    }

    /// True for a zero-length field (never in the tables).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

const fn f(name: &'static str, ws: &'static str, at: Range<usize>, show: Show) -> FieldSpec {
    FieldSpec {
        name,
        wireshark: ws,
        at,
        bits: None,
        show,
        sub: &[],
    }
}

const fn b(name: &'static str, ws: &'static str, at: Range<usize>, mask: u32) -> FieldSpec {
    FieldSpec {
        name,
        wireshark: ws,
        at,
        bits: Some(mask),
        show: Show::Dec,
        sub: &[],
    }
}

const fn parent(
    name: &'static str,
    ws: &'static str,
    at: Range<usize>,
    bits: Option<u32>,
    show: Show,
    sub: &'static [FieldSpec],
) -> FieldSpec {
    FieldSpec {
        name,
        wireshark: ws,
        at,
        bits,
        show,
        sub,
    }
}

use Show::{Bytes, Dec, Hex, Ipv4, Ipv6, Mac};

/// Ethernet II header (14 bytes).
pub const ETHERNET: &[FieldSpec] = &[
    parent(
        "destination",
        "eth.dst",
        0..6,
        None,
        Mac,
        &[
            b(
                "locally administered (LG bit)",
                "eth.dst.lg",
                0..3,
                0x02_0000,
            ),
            b("group address (IG bit)", "eth.dst.ig", 0..3, 0x01_0000),
        ],
    ),
    parent(
        "source",
        "eth.src",
        6..12,
        None,
        Mac,
        &[
            b(
                "locally administered (LG bit)",
                "eth.src.lg",
                6..9,
                0x02_0000,
            ),
            b("group address (IG bit)", "eth.src.ig", 6..9, 0x01_0000),
        ],
    ),
    f("type", "eth.type", 12..14, Hex),
];

/// IEEE 802.3 header: the type field holds a length instead.
pub const ETHERNET_8023: &[FieldSpec] = &[
    f("destination", "eth.dst", 0..6, Mac),
    f("source", "eth.src", 6..12, Mac),
    f("length", "eth.len", 12..14, Dec),
];

/// 802.1Q tag (after a 0x8100 TPID): TCI and the inner EtherType.
pub const VLAN_8021Q: &[FieldSpec] = &[
    parent(
        "tag control",
        "",
        0..2,
        None,
        Hex,
        &[
            b("priority (PCP)", "vlan.priority", 0..2, 0xe000),
            b("drop eligible (DEI)", "vlan.dei", 0..2, 0x1000),
            b("VLAN id", "vlan.id", 0..2, 0x0fff),
        ],
    ),
    f("type", "vlan.etype", 2..4, Hex),
];

/// 802.1ad service tag (after a 0x88a8 TPID).
pub const VLAN_8021AD: &[FieldSpec] = &[
    parent(
        "tag control",
        "",
        0..2,
        None,
        Hex,
        &[
            b("priority (PCP)", "ieee8021ad.priority", 0..1, 0xe0),
            b("drop eligible (DEI)", "ieee8021ad.dei", 0..1, 0x10),
            b("VLAN id", "ieee8021ad.id", 0..2, 0x0fff),
        ],
    ),
    f("type", "ieee8021ah.etype", 2..4, Hex),
];

/// Linux cooked capture v1 header (16 bytes), for a 6-byte link-layer address.
pub const SLL: &[FieldSpec] = &[
    f("packet type", "sll.pkttype", 0..2, Dec),
    f("link-layer address type", "sll.hatype", 2..4, Dec),
    f("link-layer address length", "sll.halen", 4..6, Dec),
    f("source address", "sll.src.eth", 6..12, Mac),
    f("unused address bytes", "sll.unused", 12..14, Bytes),
    f("protocol", "sll.etype", 14..16, Hex),
];

/// Linux cooked capture v1 header when the address is not 6 bytes long.
pub const SLL_OTHER_ADDR: &[FieldSpec] = &[
    f("packet type", "sll.pkttype", 0..2, Dec),
    f("link-layer address type", "sll.hatype", 2..4, Dec),
    f("link-layer address length", "sll.halen", 4..6, Dec),
    f("source address (8 bytes, zero padded)", "", 6..14, Bytes),
    f("protocol", "sll.etype", 14..16, Hex),
];

/// Linux cooked capture v2 header (20 bytes).
pub const SLL2: &[FieldSpec] = &[
    f("protocol", "sll.etype", 0..2, Hex),
    f("reserved", "", 2..4, Bytes),
    f("interface index", "sll.ifindex", 4..8, Dec),
    f("link-layer address type", "sll.hatype", 8..10, Dec),
    f("packet type", "sll.pkttype", 10..11, Dec),
    f("link-layer address length", "sll.halen", 11..12, Dec),
    f("source address", "sll.src.eth", 12..18, Mac),
    f("unused address bytes", "sll.unused", 18..20, Bytes),
];

/// Linux cooked capture v2 header when the address is not 6 bytes long.
pub const SLL2_OTHER_ADDR: &[FieldSpec] = &[
    f("protocol", "sll.etype", 0..2, Hex),
    f("reserved", "", 2..4, Bytes),
    f("interface index", "sll.ifindex", 4..8, Dec),
    f("link-layer address type", "sll.hatype", 8..10, Dec),
    f("packet type", "sll.pkttype", 10..11, Dec),
    f("link-layer address length", "sll.halen", 11..12, Dec),
    f("source address (8 bytes, zero padded)", "", 12..20, Bytes),
];

/// BSD loopback (DLT_NULL) header: the address family in the capturing host's byte order.
pub const NULL_LOOPBACK: &[FieldSpec] = &[f("address family", "null.family", 0..4, Dec)];

/// OpenBSD loopback (DLT_LOOP) header: the address family in network byte order.
pub const LOOP_LOOPBACK: &[FieldSpec] = &[f("address family", "", 0..4, Dec)];

/// ARP for Ethernet and IPv4 (28 bytes).
pub const ARP_ETH_IPV4: &[FieldSpec] = &[
    f("hardware type", "arp.hw.type", 0..2, Dec),
    f("protocol type", "arp.proto.type", 2..4, Hex),
    f("hardware address length", "arp.hw.size", 4..5, Dec),
    f("protocol address length", "arp.proto.size", 5..6, Dec),
    f("operation", "arp.opcode", 6..8, Dec),
    f("sender MAC address", "arp.src.hw_mac", 8..14, Mac),
    f("sender IP address", "arp.src.proto_ipv4", 14..18, Ipv4),
    f("target MAC address", "arp.dst.hw_mac", 18..24, Mac),
    f("target IP address", "arp.dst.proto_ipv4", 24..28, Ipv4),
];

/// The fixed part of ARP for other address sizes; the addresses follow, sized by bytes 4-5.
pub const ARP_FIXED: &[FieldSpec] = &[
    f("hardware type", "arp.hw.type", 0..2, Dec),
    f("protocol type", "arp.proto.type", 2..4, Hex),
    f("hardware address length", "arp.hw.size", 4..5, Dec),
    f("protocol address length", "arp.proto.size", 5..6, Dec),
    f("operation", "arp.opcode", 6..8, Dec),
];

/// IPv4 header, fixed part (20 bytes); options follow up to the header length.
pub const IPV4: &[FieldSpec] = &[
    b("version", "ip.version", 0..1, 0xf0),
    b("header length (IHL)", "ip.hdr_len", 0..1, 0x0f),
    parent(
        "differentiated services",
        "ip.dsfield",
        1..2,
        None,
        Hex,
        &[
            b("DSCP", "ip.dsfield.dscp", 1..2, 0xfc),
            b("ECN", "ip.dsfield.ecn", 1..2, 0x03),
        ],
    ),
    f("total length", "ip.len", 2..4, Dec),
    f("identification", "ip.id", 4..6, Hex),
    parent(
        "flags",
        "ip.flags",
        6..7,
        Some(0xe0),
        Hex,
        &[
            b("reserved (evil bit)", "ip.flags.rb", 6..7, 0x80),
            b("don't fragment (DF)", "ip.flags.df", 6..7, 0x40),
            b("more fragments (MF)", "ip.flags.mf", 6..7, 0x20),
        ],
    ),
    b("fragment offset", "ip.frag_offset", 6..8, 0x1fff),
    f("time to live", "ip.ttl", 8..9, Dec),
    f("protocol", "ip.proto", 9..10, Dec),
    f("header checksum", "ip.checksum", 10..12, Hex),
    f("source address", "ip.src", 12..16, Ipv4),
    f("destination address", "ip.dst", 16..20, Ipv4),
];

/// IPv6 fixed header (40 bytes).
pub const IPV6: &[FieldSpec] = &[
    b("version", "ipv6.version", 0..1, 0xf0),
    parent(
        "traffic class",
        "ipv6.tclass",
        0..4,
        Some(0x0ff0_0000),
        Hex,
        &[
            b("DSCP", "ipv6.tclass.dscp", 0..4, 0x0fc0_0000),
            b("ECN", "ipv6.tclass.ecn", 0..4, 0x0030_0000),
        ],
    ),
    parent("flow label", "ipv6.flow", 1..4, Some(0x0f_ffff), Hex, &[]),
    f("payload length", "ipv6.plen", 4..6, Dec),
    f("next header", "ipv6.nxt", 6..7, Dec),
    f("hop limit", "ipv6.hlim", 7..8, Dec),
    f("source address", "ipv6.src", 8..24, Ipv6),
    f("destination address", "ipv6.dst", 24..40, Ipv6),
];

/// IPv6 hop-by-hop options header: the fixed part.
pub const IPV6_HOP_BY_HOP: &[FieldSpec] = &[
    f("next header", "ipv6.hopopts.nxt", 0..1, Dec),
    f(
        "length (8-byte units after the first 8)",
        "ipv6.hopopts.len",
        1..2,
        Dec,
    ),
];

/// IPv6 destination options header: the fixed part.
pub const IPV6_DEST_OPTS: &[FieldSpec] = &[
    f("next header", "ipv6.dstopts.nxt", 0..1, Dec),
    f(
        "length (8-byte units after the first 8)",
        "ipv6.dstopts.len",
        1..2,
        Dec,
    ),
];

/// IPv6 routing header: the fixed part.
pub const IPV6_ROUTING: &[FieldSpec] = &[
    f("next header", "ipv6.routing.nxt", 0..1, Dec),
    f(
        "length (8-byte units after the first 8)",
        "ipv6.routing.len",
        1..2,
        Dec,
    ),
    f("routing type", "ipv6.routing.type", 2..3, Dec),
    f("segments left", "ipv6.routing.segleft", 3..4, Dec),
];

/// IPv6 fragment header (8 bytes).
pub const IPV6_FRAGMENT: &[FieldSpec] = &[
    f("next header", "ipv6.fragment.nxt", 0..1, Dec),
    f("reserved", "ipv6.fragment.reserved_octet", 1..2, Hex),
    b(
        "fragment offset (8-byte units)",
        "ipv6.fragment.offset",
        2..4,
        0xfff8,
    ),
    b("reserved bits", "ipv6.fragment.reserved_bits", 2..4, 0x0006),
    b("more fragments", "ipv6.fragment.more", 2..4, 0x0001),
    f("identification", "ipv6.fragment.id", 4..8, Hex),
];

/// IPsec authentication header: the fixed part.
pub const IPV6_AUTH: &[FieldSpec] = &[
    f("next header", "ah.next_header", 0..1, Dec),
    f("length (4-byte units minus 2)", "ah.length", 1..2, Dec),
    f("reserved", "", 2..4, Bytes),
    f("security parameters index", "ah.spi", 4..8, Hex),
    f("sequence number", "ah.sequence", 8..12, Dec),
];

/// TCP header, fixed part (20 bytes); options follow up to the data offset.
pub const TCP: &[FieldSpec] = &[
    f("source port", "tcp.srcport", 0..2, Dec),
    f("destination port", "tcp.dstport", 2..4, Dec),
    f("sequence number (raw)", "tcp.seq_raw", 4..8, Dec),
    f("acknowledgment number (raw)", "tcp.ack_raw", 8..12, Dec),
    b("data offset", "tcp.hdr_len", 12..13, 0xf0),
    parent(
        "flags",
        "tcp.flags",
        12..14,
        Some(0x0fff),
        Hex,
        &[
            b("reserved", "tcp.flags.res", 12..13, 0x0e),
            b("accurate ECN / nonce (AE/NS)", "tcp.flags.ae", 12..13, 0x01),
            b(
                "congestion window reduced (CWR)",
                "tcp.flags.cwr",
                13..14,
                0x80,
            ),
            b("ECN echo (ECE)", "tcp.flags.ece", 13..14, 0x40),
            b("urgent (URG)", "tcp.flags.urg", 13..14, 0x20),
            b("acknowledgment (ACK)", "tcp.flags.ack", 13..14, 0x10),
            b("push (PSH)", "tcp.flags.push", 13..14, 0x08),
            b("reset (RST)", "tcp.flags.reset", 13..14, 0x04),
            b("synchronize (SYN)", "tcp.flags.syn", 13..14, 0x02),
            b("finish (FIN)", "tcp.flags.fin", 13..14, 0x01),
        ],
    ),
    f("window", "tcp.window_size_value", 14..16, Dec),
    f("checksum", "tcp.checksum", 16..18, Hex),
    f("urgent pointer", "tcp.urgent_pointer", 18..20, Dec),
];

const OPT_KIND: FieldSpec = f("kind", "tcp.option_kind", 0..1, Dec);
const OPT_LEN: FieldSpec = f("length", "tcp.option_len", 1..2, Dec);

/// TCP option kind 0: end of option list.
pub const TCP_OPT_EOL: &[FieldSpec] = &[parent(
    "end of option list",
    "tcp.options.eol",
    0..1,
    None,
    Dec,
    &[OPT_KIND],
)];

/// TCP option kind 1: no-operation (padding).
pub const TCP_OPT_NOP: &[FieldSpec] = &[parent(
    "no-operation (NOP)",
    "tcp.options.nop",
    0..1,
    None,
    Dec,
    &[OPT_KIND],
)];

/// TCP option kind 2: maximum segment size.
pub const TCP_OPT_MSS: &[FieldSpec] = &[parent(
    "maximum segment size",
    "tcp.options.mss",
    0..4,
    None,
    Bytes,
    &[
        OPT_KIND,
        OPT_LEN,
        f("MSS", "tcp.options.mss_val", 2..4, Dec),
    ],
)];

/// TCP option kind 3: window scale.
pub const TCP_OPT_WSCALE: &[FieldSpec] = &[parent(
    "window scale",
    "tcp.options.wscale",
    0..3,
    None,
    Bytes,
    &[
        OPT_KIND,
        OPT_LEN,
        f("shift count", "tcp.options.wscale.shift", 2..3, Dec),
    ],
)];

/// TCP option kind 4: SACK permitted.
pub const TCP_OPT_SACK_PERM: &[FieldSpec] = &[parent(
    "SACK permitted",
    "tcp.options.sack_perm",
    0..2,
    None,
    Bytes,
    &[OPT_KIND, OPT_LEN],
)];

/// TCP option kind 8: timestamps.
pub const TCP_OPT_TIMESTAMP: &[FieldSpec] = &[parent(
    "timestamps",
    "tcp.options.timestamp",
    0..10,
    None,
    Bytes,
    &[
        OPT_KIND,
        OPT_LEN,
        f("timestamp value", "tcp.options.timestamp.tsval", 2..6, Dec),
        f(
            "timestamp echo reply",
            "tcp.options.timestamp.tsecr",
            6..10,
            Dec,
        ),
    ],
)];

/// TCP option kind 5 (SACK): kind and length; the blocks follow ([`TCP_SACK_BLOCK`]).
pub const TCP_OPT_SACK_HEAD: &[FieldSpec] = &[OPT_KIND, OPT_LEN];

/// One SACK block, relative to its first byte.
pub const TCP_SACK_BLOCK: &[FieldSpec] = &[
    f("left edge", "tcp.options.sack_le", 0..4, Dec),
    f("right edge", "tcp.options.sack_re", 4..8, Dec),
];

/// Any other TCP option: kind and length (the value follows).
pub const TCP_OPT_OTHER_HEAD: &[FieldSpec] = &[OPT_KIND, OPT_LEN];

/// UDP header (8 bytes).
pub const UDP: &[FieldSpec] = &[
    f("source port", "udp.srcport", 0..2, Dec),
    f("destination port", "udp.dstport", 2..4, Dec),
    f("length", "udp.length", 4..6, Dec),
    f("checksum", "udp.checksum", 6..8, Hex),
];

/// ICMPv4 type, code and checksum (first 4 bytes).
pub const ICMPV4: &[FieldSpec] = &[
    f("type", "icmp.type", 0..1, Dec),
    f("code", "icmp.code", 1..2, Dec),
    f("checksum", "icmp.checksum", 2..4, Hex),
];

/// ICMPv4 echo request / reply: bytes 4-8.
pub const ICMPV4_ECHO: &[FieldSpec] = &[
    f("identifier", "icmp.ident", 4..6, Dec),
    f("sequence number", "icmp.seq", 6..8, Dec),
];

/// ICMPv4 destination unreachable, time exceeded: bytes 4-8 are unused.
pub const ICMPV4_UNUSED: &[FieldSpec] = &[f("unused", "icmp.unused", 4..8, Bytes)];

/// ICMPv4 fragmentation needed: unused, then the next-hop MTU.
pub const ICMPV4_FRAG_NEEDED: &[FieldSpec] = &[
    f("unused", "icmp.unused", 4..6, Bytes),
    f("next-hop MTU", "icmp.mtu", 6..8, Dec),
];

/// ICMPv4 redirect: the gateway address.
pub const ICMPV4_REDIRECT: &[FieldSpec] = &[f("gateway address", "icmp.redir_gw", 4..8, Ipv4)];

/// ICMPv4 of other types: bytes 4-8 depend on the type.
pub const ICMPV4_REST: &[FieldSpec] = &[f("rest of header", "", 4..8, Bytes)];

/// ICMPv6 type, code and checksum (first 4 bytes).
pub const ICMPV6: &[FieldSpec] = &[
    f("type", "icmpv6.type", 0..1, Dec),
    f("code", "icmpv6.code", 1..2, Dec),
    f("checksum", "icmpv6.checksum", 2..4, Hex),
];

/// ICMPv6 echo request / reply: bytes 4-8.
pub const ICMPV6_ECHO: &[FieldSpec] = &[
    f("identifier", "icmpv6.echo.identifier", 4..6, Hex),
    f("sequence number", "icmpv6.echo.sequence_number", 6..8, Dec),
];

/// ICMPv6 destination unreachable and time exceeded: bytes 4-8 are reserved.
pub const ICMPV6_RESERVED: &[FieldSpec] = &[f("reserved", "icmpv6.reserved", 4..8, Bytes)];

/// ICMPv6 packet too big: the MTU.
pub const ICMPV6_MTU: &[FieldSpec] = &[f("MTU", "icmpv6.mtu", 4..8, Dec)];

/// ICMPv6 parameter problem: the pointer.
pub const ICMPV6_POINTER: &[FieldSpec] = &[f("pointer", "icmpv6.pointer", 4..8, Dec)];

/// ICMPv6 of other types: bytes 4-8 depend on the type.
pub const ICMPV6_REST: &[FieldSpec] = &[f("message body", "", 4..8, Bytes)];
