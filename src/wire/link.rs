//! Ethernet II and IEEE 802.3, 802.1Q / 802.1ad tags, and ARP.

/// Ethernet II (and IEEE 802.3, whose type field holds a length).
pub mod ethernet {
    use crate::wire::field::{Field, FieldId::*, FieldSpec, Show::*, b, f, parent};

    /// Destination MAC address.
    pub const DST: Field = 0..6;
    /// Source MAC address.
    pub const SRC: Field = 6..12;
    /// EtherType, or an 802.3 length when below [`MIN_ETHERTYPE`].
    pub const ETHERTYPE: Field = 12..14;
    /// Header length.
    pub const HEADER_LEN: usize = 14;
    /// Smallest Ethernet frame without its FCS: shorter frames are padded to it.
    pub const MIN_FRAME: usize = 60;
    /// Length of the frame check sequence.
    pub const FCS_LEN: usize = 4;
    /// Values of the type field below this are 802.3 lengths, not EtherTypes.
    pub const MIN_ETHERTYPE: u16 = 0x0600;
    /// Local/global administration bit, over the first 3 bytes of an address.
    pub const LG_BIT: u32 = 0x02_0000;
    /// Individual/group bit, over the first 3 bytes of an address.
    pub const IG_BIT: u32 = 0x01_0000;

    const DST_OUI: Field = 0..3;
    const SRC_OUI: Field = 6..9;

    /// Ethernet II header (14 bytes).
    pub const TABLE: &[FieldSpec] = &[
        parent(
            Destination,
            "eth.dst",
            DST,
            None,
            Mac,
            &[
                b(LgBit, "eth.dst.lg", DST_OUI, LG_BIT),
                b(IgBit, "eth.dst.ig", DST_OUI, IG_BIT),
            ],
        ),
        parent(
            Source,
            "eth.src",
            SRC,
            None,
            Mac,
            &[
                b(LgBit, "eth.src.lg", SRC_OUI, LG_BIT),
                b(IgBit, "eth.src.ig", SRC_OUI, IG_BIT),
            ],
        ),
        f(EtherType, "eth.type", ETHERTYPE, Hex),
    ];

    /// IEEE 802.3 header: the type field holds a length instead.
    pub const TABLE_8023: &[FieldSpec] = &[
        f(Destination, "eth.dst", DST, Mac),
        f(Source, "eth.src", SRC, Mac),
        f(Length, "eth.len", ETHERTYPE, Dec),
    ];

    /// The protocol an EtherType names ("IPv4", "802.1Q VLAN", "LLDP"), when known.
    pub fn ethertype_name(ethertype: u16) -> Option<&'static str> {
        Some(match ethertype {
            0x0800 => "IPv4",
            0x0806 => "ARP",
            0x86dd => "IPv6",
            0x8100 => "802.1Q VLAN",
            0x88a8 => "802.1ad QinQ",
            0x9100 => "QinQ VLAN",
            0x8035 => "RARP",
            0x8847 | 0x8848 => "MPLS",
            0x8863 => "PPPoE discovery",
            0x8864 => "PPPoE session",
            0x888e => "802.1X EAPOL",
            0x88cc => "LLDP",
            0x88e5 => "MACsec",
            0x88f7 => "PTP",
            0x9000 => "Ethernet loopback (CTP)",
            _ => return None,
        })
    }
}

/// 802.1Q and 802.1ad tags, placed after their TPID.
pub mod vlan {
    use crate::wire::field::{Field, FieldId::*, FieldSpec, Show::*, b, f, parent};

    /// Tag control information: priority, drop eligible, VLAN id.
    pub const TCI: Field = 0..2;
    /// The EtherType after the tag.
    pub const ETHERTYPE: Field = 2..4;
    /// Tag length after the TPID.
    pub const LEN: usize = 4;
    /// TPID of an 802.1ad service tag.
    pub const TPID_8021AD: u16 = 0x88a8;

    /// 802.1Q tag (after a 0x8100 TPID).
    pub const TABLE_8021Q: &[FieldSpec] = &[
        parent(
            TagControl,
            "",
            TCI,
            None,
            Hex,
            &[
                b(Priority, "vlan.priority", TCI, 0xe000),
                b(DropEligible, "vlan.dei", TCI, 0x1000),
                b(VlanId, "vlan.id", TCI, 0x0fff),
            ],
        ),
        f(EtherType, "vlan.etype", ETHERTYPE, Hex),
    ];

    /// 802.1ad service tag (after a 0x88a8 TPID).
    pub const TABLE_8021AD: &[FieldSpec] = &[
        parent(
            TagControl,
            "",
            TCI,
            None,
            Hex,
            &[
                b(Priority, "ieee8021ad.priority", 0..1, 0xe0),
                b(DropEligible, "ieee8021ad.dei", 0..1, 0x10),
                b(VlanId, "ieee8021ad.id", TCI, 0x0fff),
            ],
        ),
        f(EtherType, "ieee8021ah.etype", ETHERTYPE, Hex),
    ];
}

/// ARP.
pub mod arp {
    use crate::wire::field::{Field, FieldId::*, FieldSpec, Show::*, f};

    /// Hardware type (1 = Ethernet).
    pub const HTYPE: Field = 0..2;
    /// Protocol type (an EtherType).
    pub const PTYPE: Field = 2..4;
    /// Hardware address length.
    pub const HLEN: Field = 4..5;
    /// Protocol address length.
    pub const PLEN: Field = 5..6;
    /// Operation (1 request, 2 reply).
    pub const OPER: Field = 6..8;
    /// Where the addresses start.
    pub const ADDRESSES: usize = 8;

    /// ARP for Ethernet and IPv4 (28 bytes).
    pub const TABLE_ETH_IPV4: &[FieldSpec] = &[
        f(HardwareType, "arp.hw.type", HTYPE, Dec),
        f(ProtocolType, "arp.proto.type", PTYPE, Hex),
        f(HardwareSize, "arp.hw.size", HLEN, Dec),
        f(ProtocolSize, "arp.proto.size", PLEN, Dec),
        f(Operation, "arp.opcode", OPER, Dec),
        f(SenderMac, "arp.src.hw_mac", 8..14, Mac),
        f(SenderIp, "arp.src.proto_ipv4", 14..18, Ipv4),
        f(TargetMac, "arp.dst.hw_mac", 18..24, Mac),
        f(TargetIp, "arp.dst.proto_ipv4", 24..28, Ipv4),
    ];

    /// The fixed part of ARP for other address sizes; the addresses follow, sized by
    /// [`HLEN`] and [`PLEN`].
    pub const TABLE_FIXED: &[FieldSpec] = &[
        f(HardwareType, "arp.hw.type", HTYPE, Dec),
        f(ProtocolType, "arp.proto.type", PTYPE, Hex),
        f(HardwareSize, "arp.hw.size", HLEN, Dec),
        f(ProtocolSize, "arp.proto.size", PLEN, Dec),
        f(Operation, "arp.opcode", OPER, Dec),
    ];
}
