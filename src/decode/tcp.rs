//! TCP header and options as handshake-viz keeps them.

use etherparse::{TcpHeaderSlice, TcpOptionElement, TcpOptionsIterator};

use super::SackBlocks;
use crate::wire::tcp as wire;

/// TCP flag bits as they sit in the 12-bit flags field (Wireshark's `tcp.flags`).
pub mod flags {
    /// No more data from sender.
    pub const FIN: u16 = 0x001;
    /// Synchronize sequence numbers.
    pub const SYN: u16 = 0x002;
    /// Reset the connection.
    pub const RST: u16 = 0x004;
    /// Push function.
    pub const PSH: u16 = 0x008;
    /// Acknowledgment field is significant.
    pub const ACK: u16 = 0x010;
    /// Urgent pointer field is significant.
    pub const URG: u16 = 0x020;
    /// ECN echo.
    pub const ECE: u16 = 0x040;
    /// Congestion window reduced.
    pub const CWR: u16 = 0x080;
    /// ECN nonce (historic, RFC 3540).
    pub const NS: u16 = 0x100;
    /// Names in the order Wireshark's Info column prints them ("SYN, ACK", "FIN, PSH, ACK").
    pub const NAMES: [(u16, &str); 9] = [
        (FIN, "FIN"),
        (SYN, "SYN"),
        (RST, "RST"),
        (PSH, "PSH"),
        (ACK, "ACK"),
        (URG, "URG"),
        (ECE, "ECE"),
        (CWR, "CWR"),
        (NS, "NS"),
    ];
}

/// One TCP option as found on the wire, with its offset inside the options area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TcpOption {
    /// Offset of the kind byte from the start of the options area.
    pub offset: usize,
    /// Total length in bytes (1 for EOL/NOP).
    pub len: usize,
    /// The decoded option.
    pub kind: TcpOptionKind,
}

/// The options handshake-viz understands, and the rest by number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TcpOptionKind {
    /// End of option list (kind 0); the bytes after it are padding.
    EndOfList,
    /// No operation (kind 1), used for alignment.
    Nop,
    /// Maximum segment size (kind 2).
    Mss(u16),
    /// Window scale shift count (kind 3).
    WindowScale(u8),
    /// SACK permitted (kind 4).
    SackPermitted,
    /// SACK blocks (kind 5): left and right edges.
    Sack(SackBlocks),
    /// Timestamps (kind 8): value and echo reply.
    Timestamp(u32, u32),
    /// Any other kind, or a known kind with a wrong length.
    Unknown { kind: u8 },
    /// An option the capture's snaplen cut before its end.
    Cut { kind: u8 },
}

/// The TCP header fields of one segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TcpInfo {
    /// Source port.
    pub sport: u16,
    /// Destination port.
    pub dport: u16,
    /// Raw sequence number.
    pub seq: u32,
    /// Raw acknowledgment number (meaningful only with ACK).
    pub ack: u32,
    /// The 12-bit flags field (see [`flags`]).
    pub flags: u16,
    /// Raw (unscaled) window field.
    pub window: u16,
    /// Header length in bytes, from the data offset field.
    pub header_len: usize,
    /// Checksum field.
    pub checksum: u16,
    /// Urgent pointer.
    pub urgent: u16,
    /// Options in wire order.
    pub options: Vec<TcpOption>,
    /// What the analysis reads of `options`, noted while they are decoded: the follower, on
    /// another core, then need not walk them.
    marks: OptionMarks,
    /// False when the capture cut the header before its options ended.
    pub header_complete: bool,
    /// Multipath TCP options carried (kind 30): None without any, else bit `n` set for each
    /// option of subtype `n` (0 MP_CAPABLE .. 7 MP_FASTCLOSE).
    pub mptcp: Option<u8>,
}

impl TcpInfo {
    /// Decodes a TCP header. `bytes` starts at the TCP header and may be cut short by the
    /// snaplen: then the fixed 20 bytes are decoded and the options that fit.
    pub fn decode(bytes: &[u8]) -> Option<TcpInfo> {
        Self::decode_with(bytes, Vec::new())
    }

    /// As [`TcpInfo::decode`], keeping the options in `spare` (its capacity is reused).
    pub fn decode_with(bytes: &[u8], spare: Vec<TcpOption>) -> Option<TcpInfo> {
        if bytes.len() < wire::HEADER_LEN {
            return None;
        }
        let declared = wire::header_len(bytes[wire::DATA_OFFSET.start]);
        let available = declared.min(bytes.len());
        // etherparse refuses a header shorter than its data offset; decode the part we have
        // by presenting it with a data offset that fits, then keep the real one.
        let (header, complete) = if declared >= wire::HEADER_LEN && available == declared {
            (TcpHeaderSlice::from_slice(&bytes[..declared]).ok()?, true)
        } else {
            return Self::decode_cut(bytes, declared, available, spare);
        };
        Some(Self::from_header(&header, declared, complete, spare))
    }

    fn decode_cut(
        bytes: &[u8],
        declared: usize,
        available: usize,
        spare: Vec<TcpOption>,
    ) -> Option<TcpInfo> {
        let fixed_len = if declared >= wire::HEADER_LEN {
            available
        } else {
            wire::HEADER_LEN
        };
        let fixed_len = fixed_len - fixed_len % 4;
        let mut copy = bytes[..fixed_len].to_vec();
        let at = wire::DATA_OFFSET.start;
        copy[at] = (copy[at] & 0x0f) | (((fixed_len / 4) as u8) << 4);
        let header = TcpHeaderSlice::from_slice(&copy).ok()?;
        let mut info = Self::from_header(&header, declared, false, spare);
        if declared < wire::HEADER_LEN {
            info.options.clear();
            info.marks = OptionMarks::default();
        }
        // The last option ran into the snaplen: say so rather than call it malformed.
        if let Some(last) = info.options.last_mut()
            && let TcpOptionKind::Unknown { kind } = last.kind
            && last.offset + last.len >= fixed_len - wire::HEADER_LEN
        {
            last.kind = TcpOptionKind::Cut { kind };
        }
        Some(info)
    }

    /// Sets the fields from a header etherparse sliced whole, in place (the options' buffer
    /// is reused).
    pub(super) fn set_complete(&mut self, h: &TcpHeaderSlice<'_>) {
        self.set_from(h, h.slice().len(), true);
    }

    /// The fields of a header etherparse sliced whole.
    pub(super) fn from_complete(h: &TcpHeaderSlice<'_>) -> TcpInfo {
        Self::from_header(h, h.slice().len(), true, Vec::new())
    }

    fn from_header(
        h: &TcpHeaderSlice<'_>,
        declared: usize,
        complete: bool,
        spare: Vec<TcpOption>,
    ) -> TcpInfo {
        let mut info = TcpInfo {
            sport: 0,
            dport: 0,
            seq: 0,
            ack: 0,
            flags: 0,
            window: 0,
            header_len: 0,
            checksum: 0,
            urgent: 0,
            options: spare,
            marks: OptionMarks::default(),
            header_complete: false,
            mptcp: None,
        };
        info.set_from(h, declared, complete);
        info
    }

    /// Sets every field from `h`; `declared` is the header length its data offset gives.
    fn set_from(&mut self, h: &TcpHeaderSlice<'_>, declared: usize, complete: bool) {
        let mut flags_bits = 0u16;
        for (bit, set) in [
            (flags::FIN, h.fin()),
            (flags::SYN, h.syn()),
            (flags::RST, h.rst()),
            (flags::PSH, h.psh()),
            (flags::ACK, h.ack()),
            (flags::URG, h.urg()),
            (flags::ECE, h.ece()),
            (flags::CWR, h.cwr()),
            (flags::NS, h.ns()),
        ] {
            if set {
                flags_bits |= bit;
            }
        }
        // The three reserved bits are not decoded by etherparse; Wireshark shows them.
        flags_bits |= u16::from(h.slice()[wire::DATA_OFFSET.start] & wire::RESERVED_BITS) << 8;
        self.sport = h.source_port();
        self.dport = h.destination_port();
        self.seq = h.sequence_number();
        self.ack = h.acknowledgment_number();
        self.flags = flags_bits;
        self.window = h.window_size();
        self.header_len = declared;
        self.checksum = h.checksum();
        self.urgent = h.urgent_pointer();
        self.header_complete = complete;
        self.marks = parse_options_in(h.options(), &mut self.options);
        self.mptcp = self.marks.mptcp;
    }

    /// The first four SACK blocks of the options (of one SACK option or more), in wire
    /// order.
    pub fn sack_blocks(&self) -> &[(u32, u32)] {
        &self.marks.sack
    }

    /// True when all of `mask` is set.
    pub fn has(&self, mask: u16) -> bool {
        self.flags & mask == mask
    }

    /// Flag names, Wireshark order ("SYN", "ACK", ...), NS included when set.
    pub fn flag_names(&self) -> Vec<&'static str> {
        flag_names(self.flags)
    }

    /// The window scale shift announced in this segment's options (the first, if several),
    /// if any.
    pub fn window_scale(&self) -> Option<u8> {
        self.marks.window_scale
    }

    /// The MSS announced in this segment's options, if any.
    pub fn mss(&self) -> Option<u16> {
        self.options.iter().find_map(|o| match o.kind {
            TcpOptionKind::Mss(m) => Some(m),
            _ => None,
        })
    }
}

/// Names of the set bits of a TCP flags field, in Wireshark's Info-column order.
pub fn flag_names(bits: u16) -> Vec<&'static str> {
    flags::NAMES
        .iter()
        .filter(|(bit, _)| bits & bit != 0)
        .map(|(_, name)| *name)
        .collect()
}

/// Walks the options area by kind and length (so an unknown kind does not hide the options
/// after it) and decodes each known option's value with etherparse.
pub fn parse_options(area: &[u8]) -> Vec<TcpOption> {
    parse_options_into(area, Vec::new())
}

/// As [`parse_options`], into `options` (cleared first; its capacity is reused).
pub fn parse_options_into(area: &[u8], mut options: Vec<TcpOption>) -> Vec<TcpOption> {
    parse_options_in(area, &mut options);
    options
}

/// What the analysis reads of a segment's options, noted as they are decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct OptionMarks {
    /// The first four SACK blocks.
    sack: SackBlocks,
    /// The first window scale.
    window_scale: Option<u8>,
    /// The subtypes of the Multipath TCP options (kind 30), as [`TcpInfo::mptcp`] keeps them.
    mptcp: Option<u8>,
}

/// As [`parse_options_into`], in place; returns what the analysis reads of the options.
fn parse_options_in(area: &[u8], options: &mut Vec<TcpOption>) -> OptionMarks {
    options.clear();
    let mut marks = OptionMarks::default();
    let mut offset = 0;
    while let Some(&kind) = area.get(offset) {
        if kind == 30 {
            let bits: &mut u8 = marks.mptcp.get_or_insert(0);
            if let Some(sub) = area.get(offset + 2).map(|b| b >> 4).filter(|s| *s < 8) {
                *bits |= 1 << sub;
            }
        }
        let unknown = TcpOptionKind::Unknown { kind };
        match kind {
            0 => {
                push(options, offset, 1, TcpOptionKind::EndOfList);
                break;
            }
            1 => {
                push(options, offset, 1, TcpOptionKind::Nop);
                offset += 1;
            }
            _ => match area.get(offset + 1).map(|&len| usize::from(len)) {
                None => {
                    push(options, offset, 1, unknown);
                    break;
                }
                Some(len) if len < 2 || offset + len > area.len() => {
                    push(options, offset, area.len() - offset, unknown);
                    break;
                }
                Some(len) => {
                    push_value(
                        options,
                        offset,
                        kind,
                        &area[offset..offset + len],
                        &mut marks,
                    );
                    offset += len;
                }
            },
        }
    }
    marks
}

/// Adds an option.
#[inline(always)]
fn push(options: &mut Vec<TcpOption>, offset: usize, len: usize, kind: TcpOptionKind) {
    options.push(TcpOption { offset, len, kind });
}

/// Adds the option of kind `kind` held whole in `bytes`, its value decoded by etherparse,
/// and notes a window scale or SACK blocks in `marks`. Each kind is pushed where it is
/// decoded, so that the value is written once.
fn push_value(
    options: &mut Vec<TcpOption>,
    offset: usize,
    kind: u8,
    bytes: &[u8],
    marks: &mut OptionMarks,
) {
    let len = bytes.len();
    match TcpOptionsIterator::from_slice(bytes).next() {
        Some(Ok(element)) => match element {
            TcpOptionElement::Timestamp(v, e) => {
                push(options, offset, len, TcpOptionKind::Timestamp(v, e));
            }
            TcpOptionElement::MaximumSegmentSize(v) => {
                push(options, offset, len, TcpOptionKind::Mss(v));
            }
            TcpOptionElement::WindowScale(s) => {
                marks.window_scale.get_or_insert(s);
                push(options, offset, len, TcpOptionKind::WindowScale(s));
            }
            TcpOptionElement::SelectiveAcknowledgementPermitted => {
                push(options, offset, len, TcpOptionKind::SackPermitted);
            }
            TcpOptionElement::SelectiveAcknowledgement(first, rest) => {
                let blocks: SackBlocks = std::iter::once(first)
                    .chain(rest.iter().flatten().copied())
                    .collect();
                marks.sack.append(&blocks);
                push(options, offset, len, TcpOptionKind::Sack(blocks));
            }
            TcpOptionElement::Noop => push(options, offset, len, TcpOptionKind::Nop),
        },
        _ => push(options, offset, len, TcpOptionKind::Unknown { kind }),
    }
}

#[cfg(test)]
#[path = "tcp_tests.rs"]
mod tests;
