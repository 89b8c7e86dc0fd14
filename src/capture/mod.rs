//! Where frames come from: capture files (libpcap, with a pure-Rust pcapng fallback) and live
//! interfaces. Only this module and the demo peers touch the operating system.

pub mod file;
pub mod filter;
pub mod growing;
pub mod live;
pub mod pcapng_write;
mod plain;

use std::fmt;

pub use crate::time::{Precision, Timestamp};
pub use file::{FileFormat, FileSource};
pub use filter::BpfFilter;

/// A link-layer header type (libpcap DLT value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LinkType(pub i32);

impl LinkType {
    /// BSD loopback: 4-byte address family in the capturing host's byte order.
    pub const NULL: LinkType = LinkType(0);
    /// Ethernet II (and 802.3).
    pub const ETHERNET: LinkType = LinkType(1);
    /// Raw IP as libpcap reports it on Linux.
    pub const RAW_DLT: LinkType = LinkType(12);
    /// Raw IP on OpenBSD.
    pub const RAW_OPENBSD: LinkType = LinkType(14);
    /// Raw IP as stored in files (LINKTYPE_RAW).
    pub const RAW: LinkType = LinkType(101);
    /// OpenBSD loopback: 4-byte address family in network byte order.
    pub const LOOP: LinkType = LinkType(108);
    /// Linux cooked capture v1 (captures on "any").
    pub const LINUX_SLL: LinkType = LinkType(113);
    /// Raw IPv4.
    pub const IPV4: LinkType = LinkType(228);
    /// Raw IPv6.
    pub const IPV6: LinkType = LinkType(229);
    /// Linux cooked capture v2.
    pub const LINUX_SLL2: LinkType = LinkType(276);
    /// PPP, with or without the HDLC address and control bytes.
    pub const PPP: LinkType = LinkType(9);
    /// PPP in HDLC-like framing (RFC 1662).
    pub const PPP_HDLC: LinkType = LinkType(50);
    /// Cisco HDLC.
    pub const C_HDLC: LinkType = LinkType(104);
    /// ARCNET with Linux's header.
    pub const ARCNET_LINUX: LinkType = LinkType(129);
    /// Linux netfilter log messages.
    pub const NFLOG: LinkType = LinkType(239);
    /// IP over InfiniBand.
    pub const IPOIB: LinkType = LinkType(242);
    /// IEEE 802.11 without a radio header.
    pub const IEEE802_11: LinkType = LinkType(105);
    /// IEEE 802.11 with a radiotap header.
    pub const IEEE802_11_RADIOTAP: LinkType = LinkType(127);

    /// The link types handshake-viz decodes.
    pub const SUPPORTED: [LinkType; 18] = [
        LinkType::ETHERNET,
        LinkType::LINUX_SLL,
        LinkType::LINUX_SLL2,
        LinkType::NULL,
        LinkType::LOOP,
        LinkType::RAW,
        LinkType::RAW_DLT,
        LinkType::RAW_OPENBSD,
        LinkType::IPV4,
        LinkType::IPV6,
        LinkType::PPP,
        LinkType::PPP_HDLC,
        LinkType::C_HDLC,
        LinkType::ARCNET_LINUX,
        LinkType::NFLOG,
        LinkType::IPOIB,
        LinkType::IEEE802_11,
        LinkType::IEEE802_11_RADIOTAP,
    ];

    /// Whether frames of this link type can be decoded.
    pub fn is_supported(self) -> bool {
        LinkType::SUPPORTED.contains(&self)
    }

    /// libpcap's short name (EN10MB, LINUX_SLL, ...), or `DLT_<n>`.
    pub fn name(self) -> String {
        match self {
            LinkType::NULL => "NULL".into(),
            LinkType::ETHERNET => "EN10MB".into(),
            LinkType::RAW | LinkType::RAW_DLT | LinkType::RAW_OPENBSD => "RAW".into(),
            LinkType::LOOP => "LOOP".into(),
            LinkType::LINUX_SLL => "LINUX_SLL".into(),
            LinkType::LINUX_SLL2 => "LINUX_SLL2".into(),
            LinkType::IPV4 => "IPV4".into(),
            LinkType::IPV6 => "IPV6".into(),
            other => pcap::Linktype(other.0)
                .get_name()
                .unwrap_or_else(|_| format!("DLT_{}", other.0)),
        }
    }

    /// A human description ("Ethernet", "Linux cooked capture v1", ...).
    pub fn description(self) -> String {
        match self {
            LinkType::NULL => "BSD loopback".into(),
            LinkType::ETHERNET => "Ethernet".into(),
            LinkType::RAW | LinkType::RAW_DLT | LinkType::RAW_OPENBSD => "raw IP".into(),
            LinkType::LOOP => "OpenBSD loopback".into(),
            LinkType::LINUX_SLL => "Linux cooked capture v1 (SLL)".into(),
            LinkType::LINUX_SLL2 => "Linux cooked capture v2 (SLL2)".into(),
            LinkType::IPV4 => "raw IPv4".into(),
            LinkType::IPV6 => "raw IPv6".into(),
            LinkType::PPP | LinkType::PPP_HDLC => "PPP".into(),
            LinkType::C_HDLC => "Cisco HDLC".into(),
            LinkType::ARCNET_LINUX => "ARCNET (Linux)".into(),
            LinkType::NFLOG => "Linux netfilter log (NFLOG)".into(),
            LinkType::IPOIB => "IP over InfiniBand".into(),
            LinkType::IEEE802_11 => "IEEE 802.11 (Wi-Fi)".into(),
            LinkType::IEEE802_11_RADIOTAP => "IEEE 802.11 with radiotap".into(),
            other => pcap::Linktype(other.0)
                .get_description()
                .unwrap_or_else(|_| format!("link type {}", other.0)),
        }
    }

    /// The supported link types as a comma-separated list, for error messages.
    pub fn supported_list() -> String {
        let mut names: Vec<String> = Vec::new();
        for name in LinkType::SUPPORTED.iter().map(|l| l.name()) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
        names.join(", ")
    }
}

impl fmt::Display for LinkType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.description(), self.name())
    }
}

/// One captured frame, owned, as it came from libpcap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// 1-based frame number in the source (equals Wireshark's frame.number).
    pub index: u64,
    /// When the frame was captured.
    pub ts: Timestamp,
    /// Link-layer header type of this frame.
    pub linktype: LinkType,
    /// Length of the frame on the wire (may exceed `data.len()` when the snaplen cut it).
    pub orig_len: u32,
    /// The captured bytes.
    pub data: Vec<u8>,
}

impl Frame {
    /// A frame with no bytes, to be filled by a source that reuses its buffer.
    pub fn empty() -> Frame {
        Frame {
            index: 0,
            ts: Timestamp::default(),
            linktype: LinkType::ETHERNET,
            orig_len: 0,
            data: Vec::new(),
        }
    }

    /// True when the capture kept fewer bytes than the frame had on the wire.
    pub fn is_truncated(&self) -> bool {
        (self.data.len() as u64) < self.orig_len as u64
    }
}

/// libpcap's own message for an error, without the crate's "libpcap error: " prefix.
pub(crate) fn pcap_message(error: &pcap::Error) -> String {
    match error {
        pcap::Error::PcapError(inner) => inner.clone(),
        pcap::Error::InvalidString => "contains a NUL byte or is not valid UTF-8".into(),
        other => other.to_string(),
    }
}

/// The timestamp of a libpcap packet header. Captures opened with nanosecond precision carry
/// nanoseconds in `tv_usec`.
pub(crate) fn header_timestamp(header: &pcap::PacketHeader, nanos: bool) -> Timestamp {
    let ts = header.ts;
    #[allow(clippy::unnecessary_cast)] // time_t is not i64 on every target
    let (secs, frac) = (ts.tv_sec as i64, ts.tv_usec.max(0) as u64);
    Timestamp::new(secs, if nanos { frac } else { frac * 1000 })
}

/// A source of frames: a capture file or a live interface.
pub trait FrameSource {
    /// The next frame, `Ok(None)` at the end. After an error the source yields nothing more.
    fn next_frame(&mut self) -> crate::Result<Option<Frame>>;

    /// Resolution of the timestamps this source delivers.
    fn precision(&self) -> Precision;

    /// Link types seen so far (the first is the source's declared link type).
    fn linktypes(&self) -> Vec<LinkType>;
}
