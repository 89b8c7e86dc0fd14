//! UDP, ICMP and ICMPv6.

/// UDP.
pub mod udp {
    use crate::wire::field::{Field, FieldId::*, FieldSpec, Show::*, f};

    /// Source port.
    pub const SRC_PORT: Field = 0..2;
    /// Destination port.
    pub const DST_PORT: Field = 2..4;
    /// Length of header and payload.
    pub const LENGTH: Field = 4..6;
    /// Checksum (0: none, IPv4 only).
    pub const CHECKSUM: Field = 6..8;
    /// Header length.
    pub const HEADER_LEN: usize = 8;

    /// UDP header (8 bytes).
    pub const TABLE: &[FieldSpec] = &[
        f(SourcePort, "udp.srcport", SRC_PORT, Dec),
        f(DestinationPort, "udp.dstport", DST_PORT, Dec),
        f(Length, "udp.length", LENGTH, Dec),
        f(Checksum, "udp.checksum", CHECKSUM, Hex),
    ];
}

/// ICMP and ICMPv6: the same first four bytes, then four that depend on the type.
pub mod icmp {
    use crate::wire::field::{Field, FieldId::*, FieldSpec, Show::*, f};

    /// Type.
    pub const TYPE: Field = 0..1;
    /// Code.
    pub const CODE: Field = 1..2;
    /// Checksum.
    pub const CHECKSUM: Field = 2..4;
    /// The four bytes whose meaning depends on the type.
    pub const REST: Field = 4..8;

    /// ICMPv4 type, code and checksum.
    pub const V4: &[FieldSpec] = &[
        f(IcmpType, "icmp.type", TYPE, Dec),
        f(IcmpCode, "icmp.code", CODE, Dec),
        f(Checksum, "icmp.checksum", CHECKSUM, Hex),
    ];

    /// ICMPv4 echo request / reply.
    pub const V4_ECHO: &[FieldSpec] = &[
        f(Identifier, "icmp.ident", 4..6, Dec),
        f(SequenceNumber, "icmp.seq", 6..8, Dec),
    ];

    /// ICMPv4 destination unreachable, time exceeded: unused.
    pub const V4_UNUSED: &[FieldSpec] = &[f(Unused, "icmp.unused", REST, Bytes)];

    /// ICMPv4 fragmentation needed: unused, then the next-hop MTU.
    pub const V4_FRAG_NEEDED: &[FieldSpec] = &[
        f(Unused, "icmp.unused", 4..6, Bytes),
        f(NextHopMtu, "icmp.mtu", 6..8, Dec),
    ];

    /// ICMPv4 redirect: the gateway address.
    pub const V4_REDIRECT: &[FieldSpec] = &[f(Gateway, "icmp.redir_gw", REST, Ipv4)];

    /// ICMPv4 of other types.
    pub const V4_REST: &[FieldSpec] = &[f(RestOfHeader, "", REST, Bytes)];

    /// ICMPv6 type, code and checksum.
    pub const V6: &[FieldSpec] = &[
        f(IcmpType, "icmpv6.type", TYPE, Dec),
        f(IcmpCode, "icmpv6.code", CODE, Dec),
        f(Checksum, "icmpv6.checksum", CHECKSUM, Hex),
    ];

    /// ICMPv6 echo request / reply.
    pub const V6_ECHO: &[FieldSpec] = &[
        f(Identifier, "icmpv6.echo.identifier", 4..6, Hex),
        f(SequenceNumber, "icmpv6.echo.sequence_number", 6..8, Dec),
    ];

    /// ICMPv6 destination unreachable and time exceeded: reserved.
    pub const V6_RESERVED: &[FieldSpec] = &[f(Reserved, "icmpv6.reserved", REST, Bytes)];

    /// ICMPv6 packet too big: the MTU.
    pub const V6_MTU: &[FieldSpec] = &[f(Mtu, "icmpv6.mtu", REST, Dec)];

    /// ICMPv6 parameter problem: the pointer.
    pub const V6_POINTER: &[FieldSpec] = &[f(Pointer, "icmpv6.pointer", REST, Dec)];

    /// ICMPv6 of other types.
    pub const V6_REST: &[FieldSpec] = &[f(MessageBody, "", REST, Bytes)];

    /// The table of bytes 4-8 for an ICMPv4 type and code.
    pub fn v4_rest(icmp_type: u8, code: u8) -> &'static [FieldSpec] {
        match (icmp_type, code) {
            (0 | 8, _) => V4_ECHO,
            (3, 4) => V4_FRAG_NEEDED,
            (3 | 11, _) => V4_UNUSED,
            (5, _) => V4_REDIRECT,
            _ => V4_REST,
        }
    }

    /// The table of bytes 4-8 for an ICMPv6 type.
    pub fn v6_rest(icmp_type: u8) -> &'static [FieldSpec] {
        match icmp_type {
            128 | 129 => V6_ECHO,
            1 | 3 => V6_RESERVED,
            2 => V6_MTU,
            4 => V6_POINTER,
            _ => V6_REST,
        }
    }
}
