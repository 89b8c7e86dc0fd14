//! TCP: the header and its options.

use super::field::{Field, FieldId::*, FieldSpec, Show::*, b, f, parent};

/// Source port.
pub const SRC_PORT: Field = 0..2;
/// Destination port.
pub const DST_PORT: Field = 2..4;
/// Sequence number.
pub const SEQ_NUM: Field = 4..8;
/// Acknowledgment number.
pub const ACK_NUM: Field = 8..12;
/// Data offset (high nibble of the first byte, in 4-byte words) and the 12 flag bits.
pub const FLAGS: Field = 12..14;
/// The byte holding the data offset (high nibble) and the reserved and AE bits.
pub const DATA_OFFSET: Field = 12..13;
/// Window.
pub const WIN_SIZE: Field = 14..16;
/// Checksum.
pub const CHECKSUM: Field = 16..18;
/// Urgent pointer.
pub const URGENT: Field = 18..20;
/// Length of the header without options.
pub const HEADER_LEN: usize = 20;
/// Mask of the 12 flag bits over [`FLAGS`].
pub const FLAGS_MASK: u16 = 0x0fff;
/// Mask of the three reserved bits in the [`DATA_OFFSET`] byte.
pub const RESERVED_BITS: u8 = 0x0e;

/// Header length in bytes declared by the data offset byte.
pub fn header_len(data_offset_byte: u8) -> usize {
    usize::from(data_offset_byte >> 4) * 4
}

/// TCP header, fixed part (20 bytes); options follow up to the data offset.
pub const TABLE: &[FieldSpec] = &[
    f(SourcePort, "tcp.srcport", SRC_PORT, Dec),
    f(DestinationPort, "tcp.dstport", DST_PORT, Dec),
    f(SeqRaw, "tcp.seq_raw", SEQ_NUM, Dec),
    f(AckRaw, "tcp.ack_raw", ACK_NUM, Dec),
    b(DataOffset, "tcp.hdr_len", DATA_OFFSET, 0xf0),
    parent(
        Flags,
        "tcp.flags",
        FLAGS,
        Some(0x0fff),
        Hex,
        &[
            b(Reserved, "tcp.flags.res", DATA_OFFSET, 0x0e),
            b(AeFlag, "tcp.flags.ae", DATA_OFFSET, 0x01),
            b(CwrFlag, "tcp.flags.cwr", 13..14, 0x80),
            b(EceFlag, "tcp.flags.ece", 13..14, 0x40),
            b(UrgFlag, "tcp.flags.urg", 13..14, 0x20),
            b(AckFlag, "tcp.flags.ack", 13..14, 0x10),
            b(PshFlag, "tcp.flags.push", 13..14, 0x08),
            b(RstFlag, "tcp.flags.reset", 13..14, 0x04),
            b(SynFlag, "tcp.flags.syn", 13..14, 0x02),
            b(FinFlag, "tcp.flags.fin", 13..14, 0x01),
        ],
    ),
    f(Window, "tcp.window_size_value", WIN_SIZE, Dec),
    f(Checksum, "tcp.checksum", CHECKSUM, Hex),
    f(UrgentPointer, "tcp.urgent_pointer", URGENT, Dec),
];

/// Option kind byte, relative to the option.
pub const OPT_KIND: Field = 0..1;
/// Option length byte, relative to the option.
pub const OPT_LEN: Field = 1..2;

const KIND: FieldSpec = f(OptionKind, "tcp.option_kind", OPT_KIND, Dec);
const LEN: FieldSpec = f(OptionLength, "tcp.option_len", OPT_LEN, Dec);

/// Option kind 0: end of option list.
pub const OPT_EOL: &[FieldSpec] = &[parent(OptEol, "tcp.options.eol", 0..1, None, Dec, &[KIND])];

/// Option kind 1: no-operation (padding).
pub const OPT_NOP: &[FieldSpec] = &[parent(OptNop, "tcp.options.nop", 0..1, None, Dec, &[KIND])];

/// Option kind 2: maximum segment size.
pub const OPT_MSS: &[FieldSpec] = &[parent(
    OptMss,
    "tcp.options.mss",
    0..4,
    None,
    Bytes,
    &[KIND, LEN, f(MssValue, "tcp.options.mss_val", 2..4, Dec)],
)];

/// Option kind 3: window scale.
pub const OPT_WSCALE: &[FieldSpec] = &[parent(
    OptWindowScale,
    "tcp.options.wscale",
    0..3,
    None,
    Bytes,
    &[
        KIND,
        LEN,
        f(ShiftCount, "tcp.options.wscale.shift", 2..3, Dec),
    ],
)];

/// Option kind 4: SACK permitted.
pub const OPT_SACK_PERM: &[FieldSpec] = &[parent(
    OptSackPermitted,
    "tcp.options.sack_perm",
    0..2,
    None,
    Bytes,
    &[KIND, LEN],
)];

/// Option kind 8: timestamps.
pub const OPT_TIMESTAMP: &[FieldSpec] = &[parent(
    OptTimestamps,
    "tcp.options.timestamp",
    0..10,
    None,
    Bytes,
    &[
        KIND,
        LEN,
        f(TsVal, "tcp.options.timestamp.tsval", 2..6, Dec),
        f(TsEcr, "tcp.options.timestamp.tsecr", 6..10, Dec),
    ],
)];

/// The kind and length every option but EOL and NOP starts with; SACK blocks or the value
/// follow.
pub const OPT_HEAD: &[FieldSpec] = &[KIND, LEN];

/// Length of one SACK block.
pub const SACK_BLOCK_LEN: usize = 8;

/// One SACK block, relative to its first byte.
pub const SACK_BLOCK: &[FieldSpec] = &[
    f(SackLeft, "tcp.options.sack_le", 0..4, Dec),
    f(SackRight, "tcp.options.sack_re", 4..8, Dec),
];

/// Option kinds.
pub mod kind {
    /// End of option list.
    pub const EOL: u8 = 0;
    /// No-operation.
    pub const NOP: u8 = 1;
    /// Maximum segment size.
    pub const MSS: u8 = 2;
    /// Window scale.
    pub const WSCALE: u8 = 3;
    /// SACK permitted.
    pub const SACK_PERM: u8 = 4;
    /// SACK blocks.
    pub const SACK: u8 = 5;
    /// Timestamps.
    pub const TIMESTAMP: u8 = 8;
}

/// The table of an option whose kind and length byte are as RFC 9293 and RFC 7323 define
/// them; `None` for SACK, the other kinds, and known kinds with a wrong length.
pub fn option_table(kind: u8, len: Option<u8>) -> Option<&'static [FieldSpec]> {
    match (kind, len) {
        (kind::EOL, _) => Some(OPT_EOL),
        (kind::NOP, _) => Some(OPT_NOP),
        (kind::MSS, Some(4)) => Some(OPT_MSS),
        (kind::WSCALE, Some(3)) => Some(OPT_WSCALE),
        (kind::SACK_PERM, Some(2)) => Some(OPT_SACK_PERM),
        (kind::TIMESTAMP, Some(10)) => Some(OPT_TIMESTAMP),
        _ => None,
    }
}

/// The name of an option kind as the registry and Wireshark give it ("MSS", "window scale",
/// "TCP Fast Open cookie"), when known.
pub fn option_name(kind: u8) -> Option<&'static str> {
    Some(match kind {
        0 => "EOL",
        1 => "NOP",
        2 => "MSS",
        3 => "window scale",
        4 => "SACK permitted",
        5 => "SACK",
        8 => "timestamps",
        19 => "MD5 signature",
        28 => "user timeout",
        29 => "TCP-AO",
        30 => "MPTCP",
        34 => "TCP Fast Open cookie",
        _ => return None,
    })
}
