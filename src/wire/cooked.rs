//! Capture pseudo-headers and other link headers with a fixed layout: Linux cooked capture
//! (SLL, SLL2), BSD and OpenBSD loopback, Cisco HDLC, IP over InfiniBand.

/// Linux cooked capture v1 (`LINKTYPE_LINUX_SLL`).
pub mod sll {
    use crate::wire::field::{Field, FieldId::*, FieldSpec, Show::*, f};

    /// Packet type: 0 to us, 1 broadcast, 2 multicast, 3 to another host, 4 sent by us.
    pub const PKTTYPE: Field = 0..2;
    /// ARPHRD_ type of the interface.
    pub const HATYPE: Field = 2..4;
    /// Link-layer address length.
    pub const HALEN: Field = 4..6;
    /// Link-layer source address, zero padded to 8 bytes.
    pub const ADDR: Field = 6..14;
    /// Protocol (an EtherType for IP traffic).
    pub const PROTOCOL: Field = 14..16;
    /// Header length.
    pub const HEADER_LEN: usize = 16;

    /// The header when the address is 6 bytes long.
    pub const TABLE: &[FieldSpec] = &[
        f(PacketType, "sll.pkttype", PKTTYPE, Dec),
        f(LinkAddrType, "sll.hatype", HATYPE, Dec),
        f(LinkAddrLen, "sll.halen", HALEN, Dec),
        f(LinkSource, "sll.src.eth", 6..12, Mac),
        f(UnusedAddrBytes, "sll.unused", 12..14, Bytes),
        f(LinkProtocol, "sll.etype", PROTOCOL, Hex),
    ];

    /// The header when the address is not 6 bytes long.
    pub const TABLE_OTHER_ADDR: &[FieldSpec] = &[
        f(PacketType, "sll.pkttype", PKTTYPE, Dec),
        f(LinkAddrType, "sll.hatype", HATYPE, Dec),
        f(LinkAddrLen, "sll.halen", HALEN, Dec),
        f(LinkSourcePadded, "", ADDR, Bytes),
        f(LinkProtocol, "sll.etype", PROTOCOL, Hex),
    ];
}

/// Linux cooked capture v2 (`LINKTYPE_LINUX_SLL2`).
pub mod sll2 {
    use crate::wire::field::{Field, FieldId::*, FieldSpec, Show::*, f};

    /// Protocol (an EtherType for IP traffic).
    pub const PROTOCOL: Field = 0..2;
    /// Reserved (zero).
    pub const RESERVED: Field = 2..4;
    /// Interface index.
    pub const IFINDEX: Field = 4..8;
    /// ARPHRD_ type of the interface.
    pub const HATYPE: Field = 8..10;
    /// Packet type, as in SLL.
    pub const PKTTYPE: Field = 10..11;
    /// Link-layer address length.
    pub const HALEN: Field = 11..12;
    /// Link-layer source address, zero padded to 8 bytes.
    pub const ADDR: Field = 12..20;
    /// Header length.
    pub const HEADER_LEN: usize = 20;

    /// The header when the address is 6 bytes long.
    pub const TABLE: &[FieldSpec] = &[
        f(LinkProtocol, "sll.etype", PROTOCOL, Hex),
        f(Reserved, "", RESERVED, Bytes),
        f(InterfaceIndex, "sll.ifindex", IFINDEX, Dec),
        f(LinkAddrType, "sll.hatype", HATYPE, Dec),
        f(PacketType, "sll.pkttype", PKTTYPE, Dec),
        f(LinkAddrLen, "sll.halen", HALEN, Dec),
        f(LinkSource, "sll.src.eth", 12..18, Mac),
        f(UnusedAddrBytes, "sll.unused", 18..20, Bytes),
    ];

    /// The header when the address is not 6 bytes long.
    pub const TABLE_OTHER_ADDR: &[FieldSpec] = &[
        f(LinkProtocol, "sll.etype", PROTOCOL, Hex),
        f(Reserved, "", RESERVED, Bytes),
        f(InterfaceIndex, "sll.ifindex", IFINDEX, Dec),
        f(LinkAddrType, "sll.hatype", HATYPE, Dec),
        f(PacketType, "sll.pkttype", PKTTYPE, Dec),
        f(LinkAddrLen, "sll.halen", HALEN, Dec),
        f(LinkSourcePadded, "", ADDR, Bytes),
    ];
}

/// BSD (`LINKTYPE_NULL`) and OpenBSD (`LINKTYPE_LOOP`) loopback.
pub mod loopback {
    use crate::wire::field::{Field, FieldId::*, FieldSpec, Show::*, f};

    /// The address family: host byte order for NULL, network byte order for LOOP.
    pub const FAMILY: Field = 0..4;
    /// Header length.
    pub const HEADER_LEN: usize = 4;

    /// BSD loopback (DLT_NULL) header.
    pub const TABLE_NULL: &[FieldSpec] = &[f(AddressFamily, "null.family", FAMILY, Dec)];

    /// OpenBSD loopback (DLT_LOOP) header.
    pub const TABLE_LOOP: &[FieldSpec] = &[f(AddressFamily, "", FAMILY, Dec)];
}

/// Cisco HDLC.
pub mod c_hdlc {
    use crate::wire::field::Field;

    /// Address (0x0f unicast, 0x8f broadcast).
    pub const ADDRESS: Field = 0..1;
    /// Control (0).
    pub const CONTROL: Field = 1..2;
    /// Protocol (an EtherType).
    pub const PROTOCOL: Field = 2..4;
    /// Header length.
    pub const HEADER_LEN: usize = 4;
}

/// IP over InfiniBand (`LINKTYPE_IPOIB`).
pub mod ipoib {
    use crate::wire::field::Field;

    /// Protocol (an EtherType).
    pub const PROTOCOL: Field = 40..42;
    /// Reserved.
    pub const RESERVED: Field = 42..44;
    /// Header length.
    pub const HEADER_LEN: usize = 44;
}
