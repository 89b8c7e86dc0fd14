//! IPv4, IPv6 and the IPv6 extension headers.

/// IPv4.
pub mod ipv4 {
    use crate::wire::field::{Field, FieldId::*, FieldSpec, Show::*, b, f, parent};

    /// Version (high nibble) and header length in 4-byte words (low nibble).
    pub const VER_IHL: Field = 0..1;
    /// Differentiated services: DSCP and ECN.
    pub const DSFIELD: Field = 1..2;
    /// Total length.
    pub const TOTAL_LEN: Field = 2..4;
    /// Identification.
    pub const IDENT: Field = 4..6;
    /// Flags (3 bits) and fragment offset (13 bits).
    pub const FLG_OFF: Field = 6..8;
    /// Time to live.
    pub const TTL: Field = 8..9;
    /// Protocol of the payload.
    pub const PROTOCOL: Field = 9..10;
    /// Header checksum.
    pub const CHECKSUM: Field = 10..12;
    /// Source address.
    pub const SRC_ADDR: Field = 12..16;
    /// Destination address.
    pub const DST_ADDR: Field = 16..20;
    /// Length of the header without options.
    pub const HEADER_LEN: usize = 20;

    const FLAGS: Field = 6..7;

    /// IPv4 header, fixed part (20 bytes); options follow up to the header length.
    pub const TABLE: &[FieldSpec] = &[
        b(Version, "ip.version", VER_IHL, 0xf0),
        b(HeaderLength, "ip.hdr_len", VER_IHL, 0x0f),
        parent(
            DsField,
            "ip.dsfield",
            DSFIELD,
            None,
            Hex,
            &[
                b(Dscp, "ip.dsfield.dscp", DSFIELD, 0xfc),
                b(Ecn, "ip.dsfield.ecn", DSFIELD, 0x03),
            ],
        ),
        f(TotalLength, "ip.len", TOTAL_LEN, Dec),
        f(Identification, "ip.id", IDENT, Hex),
        parent(
            Flags,
            "ip.flags",
            FLAGS,
            Some(0xe0),
            Hex,
            &[
                b(EvilBit, "ip.flags.rb", FLAGS, 0x80),
                b(DontFragment, "ip.flags.df", FLAGS, 0x40),
                b(MoreFragments, "ip.flags.mf", FLAGS, 0x20),
            ],
        ),
        b(FragmentOffset, "ip.frag_offset", FLG_OFF, 0x1fff),
        f(Ttl, "ip.ttl", TTL, Dec),
        f(Protocol, "ip.proto", PROTOCOL, Dec),
        f(HeaderChecksum, "ip.checksum", CHECKSUM, Hex),
        f(SourceAddress, "ip.src", SRC_ADDR, Ipv4),
        f(DestinationAddress, "ip.dst", DST_ADDR, Ipv4),
    ];
}

/// IPv6 and its extension headers.
pub mod ipv6 {
    use crate::wire::field::{Field, FieldId::*, FieldSpec, Show::*, b, f, parent};

    /// Version (4 bits), traffic class (8 bits), flow label (20 bits).
    pub const VER_TC_FLOW: Field = 0..4;
    /// Payload length.
    pub const PAYLOAD_LEN: Field = 4..6;
    /// Next header.
    pub const NXT_HDR: Field = 6..7;
    /// Hop limit.
    pub const HOP_LIMIT: Field = 7..8;
    /// Source address.
    pub const SRC_ADDR: Field = 8..24;
    /// Destination address.
    pub const DST_ADDR: Field = 24..40;
    /// Header length.
    pub const HEADER_LEN: usize = 40;

    /// IPv6 fixed header (40 bytes).
    pub const TABLE: &[FieldSpec] = &[
        b(Version, "ipv6.version", 0..1, 0xf0),
        parent(
            TrafficClass,
            "ipv6.tclass",
            VER_TC_FLOW,
            Some(0x0ff0_0000),
            Hex,
            &[
                b(Dscp, "ipv6.tclass.dscp", VER_TC_FLOW, 0x0fc0_0000),
                b(Ecn, "ipv6.tclass.ecn", VER_TC_FLOW, 0x0030_0000),
            ],
        ),
        parent(FlowLabel, "ipv6.flow", 1..4, Some(0x0f_ffff), Hex, &[]),
        f(PayloadLength, "ipv6.plen", PAYLOAD_LEN, Dec),
        f(NextHeader, "ipv6.nxt", NXT_HDR, Dec),
        f(HopLimit, "ipv6.hlim", HOP_LIMIT, Dec),
        f(SourceAddress, "ipv6.src", SRC_ADDR, Ipv6),
        f(DestinationAddress, "ipv6.dst", DST_ADDR, Ipv6),
    ];

    /// Next header of an extension header.
    pub const EXT_NXT: Field = 0..1;
    /// Length of an extension header, in 8-byte units after the first 8.
    pub const EXT_LEN: Field = 1..2;

    /// Hop-by-hop options header: the fixed part.
    pub const TABLE_HOP_BY_HOP: &[FieldSpec] = &[
        f(NextHeader, "ipv6.hopopts.nxt", EXT_NXT, Dec),
        f(ExtLength, "ipv6.hopopts.len", EXT_LEN, Dec),
    ];

    /// Destination options header: the fixed part.
    pub const TABLE_DEST_OPTS: &[FieldSpec] = &[
        f(NextHeader, "ipv6.dstopts.nxt", EXT_NXT, Dec),
        f(ExtLength, "ipv6.dstopts.len", EXT_LEN, Dec),
    ];

    /// Routing header: the fixed part.
    pub const TABLE_ROUTING: &[FieldSpec] = &[
        f(NextHeader, "ipv6.routing.nxt", EXT_NXT, Dec),
        f(ExtLength, "ipv6.routing.len", EXT_LEN, Dec),
        f(RoutingType, "ipv6.routing.type", 2..3, Dec),
        f(SegmentsLeft, "ipv6.routing.segleft", 3..4, Dec),
    ];

    /// Fragment header (8 bytes).
    pub const TABLE_FRAGMENT: &[FieldSpec] = &[
        f(NextHeader, "ipv6.fragment.nxt", EXT_NXT, Dec),
        f(Reserved, "ipv6.fragment.reserved_octet", 1..2, Hex),
        b(FragmentOffset8, "ipv6.fragment.offset", 2..4, 0xfff8),
        b(ReservedBits, "ipv6.fragment.reserved_bits", 2..4, 0x0006),
        b(MoreFragmentsBit, "ipv6.fragment.more", 2..4, 0x0001),
        f(Identification, "ipv6.fragment.id", 4..8, Hex),
    ];

    /// IPsec authentication header: the fixed part.
    pub const TABLE_AUTH: &[FieldSpec] = &[
        f(NextHeader, "ah.next_header", EXT_NXT, Dec),
        f(AhLength, "ah.length", EXT_LEN, Dec),
        f(Reserved, "", 2..4, Bytes),
        f(Spi, "ah.spi", 4..8, Hex),
        f(SequenceNumber, "ah.sequence", 8..12, Dec),
    ];
}
