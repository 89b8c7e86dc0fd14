//! What a header field is ([`FieldId`]), where it sits ([`FieldSpec`]) and how its bytes are
//! written ([`Show`]). Names in words live in the views; here a field is only an identity.

use std::ops::Range;

/// A byte range relative to the start of a header (smoltcp's `Field`).
pub type Field = Range<usize>;

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
    /// Opaque bytes, as hex.
    Bytes,
}

/// Which field a span of bytes is: one identity per field, shared by protocols where the
/// field is the same thing (a source port is a source port in TCP and UDP).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // Each variant is named after the field; the views give the words.
pub enum FieldId {
    // Ethernet, 802.1Q, MACsec.
    Destination,
    Source,
    LgBit,
    IgBit,
    EtherType,
    Length,
    TagControl,
    Priority,
    DropEligible,
    VlanId,
    SecTag,
    // Linux cooked captures and loopback.
    PacketType,
    LinkAddrType,
    LinkAddrLen,
    LinkSource,
    LinkSourcePadded,
    UnusedAddrBytes,
    LinkProtocol,
    Reserved,
    InterfaceIndex,
    AddressFamily,
    // ARP.
    HardwareType,
    ProtocolType,
    HardwareSize,
    ProtocolSize,
    Operation,
    SenderMac,
    SenderIp,
    TargetMac,
    TargetIp,
    SenderHwAddr,
    SenderProtoAddr,
    TargetHwAddr,
    TargetProtoAddr,
    // IPv4 and IPv6.
    Version,
    HeaderLength,
    DsField,
    Dscp,
    Ecn,
    TotalLength,
    Identification,
    Flags,
    EvilBit,
    DontFragment,
    MoreFragments,
    FragmentOffset,
    Ttl,
    Protocol,
    HeaderChecksum,
    SourceAddress,
    DestinationAddress,
    IpOptions,
    TrafficClass,
    FlowLabel,
    PayloadLength,
    NextHeader,
    HopLimit,
    // IPv6 extension headers.
    ExtLength,
    RoutingType,
    SegmentsLeft,
    FragmentOffset8,
    ReservedBits,
    MoreFragmentsBit,
    AhLength,
    Spi,
    ExtOptions,
    ExtData,
    QuotedExtensions,
    // TCP.
    SourcePort,
    DestinationPort,
    SeqRaw,
    AckRaw,
    DataOffset,
    AeFlag,
    CwrFlag,
    EceFlag,
    UrgFlag,
    AckFlag,
    PshFlag,
    RstFlag,
    SynFlag,
    FinFlag,
    Window,
    Checksum,
    UrgentPointer,
    // TCP options.
    OptionKind,
    OptionLength,
    OptEol,
    OptNop,
    OptMss,
    MssValue,
    OptWindowScale,
    ShiftCount,
    OptSackPermitted,
    OptTimestamps,
    TsVal,
    TsEcr,
    OptSack,
    SackLeft,
    SackRight,
    OptOther,
    OptValue,
    OptPadding,
    // ICMP and ICMPv6.
    IcmpType,
    IcmpCode,
    Identifier,
    SequenceNumber,
    Unused,
    NextHopMtu,
    Gateway,
    RestOfHeader,
    Mtu,
    Pointer,
    MessageBody,
    // Headers and bytes described as a whole.
    Header,
    Data,
    Padding,
    Trailer,
    Fcs,
}

impl FieldId {
    /// The identities no table holds: fields placed by their length at run time.
    pub const UNTABLED: [FieldId; 18] = [
        FieldId::SecTag,
        FieldId::SenderHwAddr,
        FieldId::SenderProtoAddr,
        FieldId::TargetHwAddr,
        FieldId::TargetProtoAddr,
        FieldId::IpOptions,
        FieldId::ExtOptions,
        FieldId::ExtData,
        FieldId::QuotedExtensions,
        FieldId::OptSack,
        FieldId::OptOther,
        FieldId::OptValue,
        FieldId::OptPadding,
        FieldId::Header,
        FieldId::Data,
        FieldId::Padding,
        FieldId::Trailer,
        FieldId::Fcs,
    ];
}

/// The position and identity of one header field.
#[derive(Debug)]
pub struct FieldSpec {
    /// Which field it is.
    pub id: FieldId,
    /// Wireshark display-filter name, `""` when Wireshark has none for these bytes.
    pub wireshark: &'static str,
    /// Byte range relative to the start of the header (or option) the table describes.
    pub at: Field,
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

    /// The Wireshark name, when Wireshark has one.
    pub fn wireshark(&self) -> Option<&'static str> {
        (!self.wireshark.is_empty()).then_some(self.wireshark)
    }
}

/// A whole-byte field.
pub(super) const fn f(id: FieldId, ws: &'static str, at: Field, show: Show) -> FieldSpec {
    FieldSpec {
        id,
        wireshark: ws,
        at,
        bits: None,
        show,
        sub: &[],
    }
}

/// A bit field: `mask` over the big-endian value of the `at` bytes.
pub(super) const fn b(id: FieldId, ws: &'static str, at: Field, mask: u32) -> FieldSpec {
    FieldSpec {
        id,
        wireshark: ws,
        at,
        bits: Some(mask),
        show: Show::Dec,
        sub: &[],
    }
}

/// A field with sub-fields.
pub(super) const fn parent(
    id: FieldId,
    ws: &'static str,
    at: Field,
    bits: Option<u32>,
    show: Show,
    sub: &'static [FieldSpec],
) -> FieldSpec {
    FieldSpec {
        id,
        wireshark: ws,
        at,
        bits,
        show,
        sub,
    }
}
