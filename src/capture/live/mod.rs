//! Capturing from a live interface with libpcap.
//!
//! The capture runs in immediate mode (packets are delivered about 0.1 ms after they cross the
//! interface; without it libpcap waits for a ring block to fill) and is read without blocking:
//! libpcap's read timeout never fires on an idle Linux capture, so a blocking read could not be
//! stopped. [`LiveSource::poll`] returns at once; [`FrameSource::next_frame`](super::FrameSource::next_frame) polls with short
//! sleeps until a frame arrives or a stop condition (count, duration, stop flag) is met.
//!
//! With a savefile, complete pcap records are written with one `write` each time the ring runs
//! dry (and at least every few milliseconds under load), so the file on disk is a valid pcap up
//! to the last packet written even if the process is killed.

mod interfaces;
mod source;
mod writer;

use std::path::PathBuf;
use std::time::Duration;

pub use interfaces::{InterfaceAddress, InterfaceInfo, list_interfaces};
pub use source::LiveSource;

use super::{Frame, Precision, pcap_message};
use crate::Error;
use interfaces::available_interfaces;

/// libpcap's default snapshot length: whole packets.
pub const DEFAULT_SNAPLEN: u32 = 262_144;

/// Kernel ring size. In immediate mode every ring slot holds a whole snaplen (about 128 KiB on
/// lo, whose MTU is 65536), so libpcap's 2 MiB default holds only 16 packets and silently drops
/// bursts; 32 MiB kept every packet of a 200-packet burst.
pub const DEFAULT_BUFFER_SIZE: u32 = 32 << 20;

/// How long [`FrameSource::next_frame`](super::FrameSource::next_frame) sleeps when the ring is empty.
pub const POLL_INTERVAL: Duration = Duration::from_millis(1);

/// Pending savefile records are written at least this often while packets keep arriving.
pub const FLUSH_INTERVAL: Duration = Duration::from_millis(5);

/// What to capture and where to stop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveOptions {
    /// Interface name as libpcap knows it ("lo", "eth0", "any").
    pub iface: String,
    /// BPF filter expression (tcpdump syntax), if any.
    pub filter: Option<String>,
    /// Bytes kept of each packet.
    pub snaplen: u32,
    /// Kernel ring size in bytes.
    pub buffer_size: u32,
    /// Put the interface into promiscuous mode.
    pub promisc: bool,
    /// Timestamp resolution requested from the kernel (and written to the savefile).
    pub precision: Precision,
    /// Stop after this many frames.
    pub count: Option<u64>,
    /// Stop this long after the capture opened.
    pub duration: Option<Duration>,
    /// Write every captured frame to this pcap file.
    pub write: Option<PathBuf>,
}

impl LiveOptions {
    /// Options for `iface` with the defaults: whole packets, a 32 MiB ring, no promiscuous
    /// mode, nanosecond timestamps, no filter, no stop condition, no savefile.
    pub fn new(iface: impl Into<String>) -> LiveOptions {
        LiveOptions {
            iface: iface.into(),
            filter: None,
            snaplen: DEFAULT_SNAPLEN,
            buffer_size: DEFAULT_BUFFER_SIZE,
            promisc: false,
            precision: Precision::Nano,
            count: None,
            duration: None,
            write: None,
        }
    }
}

/// Why a live capture stopped delivering frames.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// The requested number of frames was captured.
    Count,
    /// The requested duration elapsed.
    Duration,
    /// The stop flag was set (Ctrl-C, SIGTERM, or the caller).
    Stopped,
    /// The built-in demo conversation ended and the line went quiet.
    DemoFinished,
}

/// The result of one non-blocking read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Poll {
    /// A frame was read.
    Frame(Frame),
    /// The ring is empty right now.
    Empty,
    /// A stop condition was met; no more frames will be read.
    Stopped(StopReason),
}

/// libpcap's counters for a live capture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CaptureStats {
    /// Packets the kernel passed to the capture (after the filter).
    pub received: u32,
    /// Packets lost because the capture ring was full.
    pub dropped: u32,
    /// Packets the interface or its driver dropped (often unsupported: 0).
    pub if_dropped: u32,
    /// Frames handshake-viz actually read.
    pub delivered: u64,
    /// The interface sees loopback packets twice (lo or "any"): once going out, once coming in.
    /// libpcap keeps one copy but counts both in `received` and `dropped`.
    pub counts_twice: bool,
}

impl CaptureStats {
    /// True when the kernel reported lost packets.
    pub fn lost_packets(&self) -> bool {
        self.dropped > 0 || self.if_dropped > 0
    }
}

/// Maps an error from opening or configuring a capture on `iface`.
fn open_error(iface: &str, error: &pcap::Error) -> Error {
    let reason = pcap_message(error);
    if reason.contains("Operation not permitted") || reason.contains("Permission denied") {
        Error::Permission {
            iface: iface.into(),
            reason,
        }
    } else if reason.contains("No such device") {
        Error::NoSuchInterface {
            iface: iface.into(),
            available: available_interfaces(),
        }
    } else {
        Error::Capture {
            iface: iface.into(),
            reason,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_explain_double_counting_on_loopback() {
        let stats = CaptureStats {
            received: 20,
            dropped: 0,
            if_dropped: 0,
            delivered: 10,
            counts_twice: true,
        };
        assert!(!stats.lost_packets());
        let lossy = CaptureStats {
            dropped: 4,
            counts_twice: false,
            ..stats
        };
        assert!(lossy.lost_packets());
    }

    #[test]
    fn permission_messages_map_to_permission() {
        let e = pcap::Error::PcapError("socket: Operation not permitted".into());
        assert!(matches!(open_error("lo", &e), Error::Permission { .. }));
        let e = pcap::Error::PcapError("lo: You don't have permission (Permission denied)".into());
        assert!(matches!(open_error("lo", &e), Error::Permission { .. }));
    }

    #[test]
    fn unknown_messages_map_to_capture() {
        let e = pcap::Error::PcapError("That device doesn't support monitor mode".into());
        let err = open_error("wlan0", &e);
        assert!(matches!(err, Error::Capture { .. }));
        assert!(err.to_string().contains("wlan0"));
    }
}
