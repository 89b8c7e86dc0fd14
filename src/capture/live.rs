//! Capturing from a live interface with libpcap.
//!
//! The capture runs in immediate mode (packets are delivered about 0.1 ms after they cross the
//! interface; without it libpcap waits for a ring block to fill) and is read without blocking:
//! libpcap's read timeout never fires on an idle Linux capture, so a blocking read could not be
//! stopped. [`LiveSource::poll`] returns at once; [`FrameSource::next_frame`] polls with short
//! sleeps until a frame arrives or a stop condition (count, duration, stop flag) is met.
//!
//! With a savefile, complete pcap records are written with one `write` each time the ring runs
//! dry (and at least every few milliseconds under load), so the file on disk is a valid pcap up
//! to the last packet written even if the process is killed.

use std::fs::File;
use std::io::Write;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use pcap::{Active, Capture, Device};

use super::{Frame, FrameSource, LinkType, Precision, Timestamp};
use crate::{Error, Result};

/// libpcap's default snapshot length: whole packets.
pub const DEFAULT_SNAPLEN: u32 = 262_144;

/// Kernel ring size. In immediate mode every ring slot holds a whole snaplen (about 128 KiB on
/// lo, whose MTU is 65536), so libpcap's 2 MiB default holds only 16 packets and silently drops
/// bursts; 32 MiB kept every packet of a 200-packet burst.
pub const DEFAULT_BUFFER_SIZE: u32 = 32 << 20;

/// How long [`FrameSource::next_frame`] sleeps when the ring is empty.
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

/// One address of a capture interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterfaceAddress {
    /// The address.
    pub addr: IpAddr,
    /// Its netmask, if known.
    pub netmask: Option<IpAddr>,
    /// Broadcast address, if any.
    pub broadcast: Option<IpAddr>,
    /// Peer address of a point-to-point link, if any.
    pub destination: Option<IpAddr>,
}

/// A capture interface as `tcpdump -D` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterfaceInfo {
    /// Name to pass to `--interface`.
    pub name: String,
    /// libpcap's description, if any.
    pub description: Option<String>,
    /// IPv4 and IPv6 addresses.
    pub addresses: Vec<InterfaceAddress>,
    /// A loopback interface.
    pub loopback: bool,
    /// Administratively up.
    pub up: bool,
    /// Running (the driver has resources allocated).
    pub running: bool,
    /// A wireless interface.
    pub wireless: bool,
    /// "connected", "disconnected", "not applicable" or "unknown".
    pub connection: &'static str,
}

impl InterfaceInfo {
    /// The flags as tcpdump -D prints them: "Up, Running, Loopback".
    pub fn flags_text(&self) -> String {
        let mut flags = Vec::new();
        if self.up {
            flags.push("Up");
        }
        if self.running {
            flags.push("Running");
        }
        if self.loopback {
            flags.push("Loopback");
        }
        if self.wireless {
            flags.push("Wireless");
        }
        flags.join(", ")
    }

    /// Whether a capture on this interface sees loopback (127.0.0.0/8, ::1) traffic.
    pub fn sees_loopback(&self) -> bool {
        self.loopback || self.name == "any"
    }
}

/// The interfaces libpcap can capture on, in libpcap's order.
pub fn list_interfaces() -> Result<Vec<InterfaceInfo>> {
    let devices = Device::list().map_err(|e| Error::Capture {
        iface: "(interface list)".into(),
        reason: pcap_message(&e),
    })?;
    Ok(devices.into_iter().map(interface_info).collect())
}

fn interface_info(device: Device) -> InterfaceInfo {
    let connection = match device.flags.connection_status {
        pcap::ConnectionStatus::Connected => "connected",
        pcap::ConnectionStatus::Disconnected => "disconnected",
        pcap::ConnectionStatus::NotApplicable => "not applicable",
        pcap::ConnectionStatus::Unknown => "unknown",
    };
    InterfaceInfo {
        loopback: device.flags.is_loopback(),
        up: device.flags.is_up(),
        running: device.flags.is_running(),
        wireless: device.flags.is_wireless(),
        connection,
        addresses: device
            .addresses
            .iter()
            .map(|a| InterfaceAddress {
                addr: a.addr,
                netmask: a.netmask,
                broadcast: a.broadcast_addr,
                destination: a.dst_addr,
            })
            .collect(),
        description: device.desc,
        name: device.name,
    }
}

/// Interface names for "no such interface" messages.
fn available_interfaces() -> String {
    match Device::list() {
        Ok(devices) if !devices.is_empty() => devices
            .iter()
            .map(|d| d.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        Ok(_) => "none".into(),
        Err(e) => format!("unknown ({})", pcap_message(&e)),
    }
}

/// libpcap's own message, without the crate's "libpcap error: " prefix.
fn pcap_message(error: &pcap::Error) -> String {
    match error {
        pcap::Error::PcapError(inner) => inner.clone(),
        pcap::Error::InvalidString => "contains a NUL byte".into(),
        other => other.to_string(),
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

/// A classic pcap file written in whole records.
///
/// Records collect in memory and go to the file with one `write_all`, so the file never ends
/// inside a record (libpcap's own dumper is stdio-buffered and can leave half a record, or an
/// empty file, when the process is killed).
struct PcapWriter {
    path: PathBuf,
    file: File,
    pending: Vec<u8>,
    last_flush: Instant,
    nanos: bool,
}

impl PcapWriter {
    /// Creates (or truncates) the file; nothing is captured yet.
    fn create(path: &Path) -> Result<PcapWriter> {
        let file = File::create(path).map_err(|e| Error::Write {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        Ok(PcapWriter {
            path: path.to_path_buf(),
            file,
            pending: Vec::with_capacity(64 << 10),
            last_flush: Instant::now(),
            nanos: false,
        })
    }

    fn write_error(&self, e: std::io::Error) -> Error {
        Error::Write {
            path: self.path.clone(),
            reason: e.to_string(),
        }
    }

    /// Writes the file header (little-endian, as libpcap does on this host).
    fn header(&mut self, linktype: LinkType, snaplen: u32, nanos: bool) -> Result<()> {
        self.nanos = nanos;
        let magic: u32 = if nanos { 0xa1b2_3c4d } else { 0xa1b2_c3d4 };
        let mut header = Vec::with_capacity(24);
        header.extend_from_slice(&magic.to_le_bytes());
        header.extend_from_slice(&2u16.to_le_bytes());
        header.extend_from_slice(&4u16.to_le_bytes());
        header.extend_from_slice(&0i32.to_le_bytes()); // thiszone
        header.extend_from_slice(&0u32.to_le_bytes()); // sigfigs
        header.extend_from_slice(&snaplen.to_le_bytes());
        header.extend_from_slice(&(linktype.0 as u32).to_le_bytes());
        self.file
            .write_all(&header)
            .map_err(|e| self.write_error(e))
    }

    fn record(&mut self, frame: &Frame) {
        let frac = if self.nanos {
            frame.ts.nanos
        } else {
            frame.ts.nanos / 1000
        };
        let secs = frame.ts.secs.clamp(0, u32::MAX as i64) as u32;
        let caplen = u32::try_from(frame.data.len()).unwrap_or(u32::MAX);
        self.pending.extend_from_slice(&secs.to_le_bytes());
        self.pending.extend_from_slice(&frac.to_le_bytes());
        self.pending.extend_from_slice(&caplen.to_le_bytes());
        self.pending
            .extend_from_slice(&frame.orig_len.to_le_bytes());
        self.pending
            .extend_from_slice(&frame.data[..caplen as usize]);
    }

    fn due(&self) -> bool {
        self.pending.len() >= 256 << 10 || self.last_flush.elapsed() >= FLUSH_INTERVAL
    }

    fn flush(&mut self) -> Result<()> {
        self.last_flush = Instant::now();
        if self.pending.is_empty() {
            return Ok(());
        }
        let result = self.file.write_all(&self.pending);
        self.pending.clear();
        result.map_err(|e| self.write_error(e))
    }

    fn close(mut self) -> Result<()> {
        self.flush()?;
        self.file.sync_all().map_err(|e| self.write_error(e))
    }
}

impl Drop for PcapWriter {
    fn drop(&mut self) {
        // Best effort on early exits; `close` reports errors on the normal path.
        let _ = self.flush();
    }
}

/// Frames from a live interface.
pub struct LiveSource {
    options: LiveOptions,
    cap: Capture<Active>,
    linktype: LinkType,
    writer: Option<PcapWriter>,
    stop_flag: Option<Arc<AtomicBool>>,
    opened: Instant,
    last_frame: Option<Instant>,
    frames: u64,
    stopped: Option<StopReason>,
    counts_twice: bool,
}

impl std::fmt::Debug for LiveSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveSource")
            .field("options", &self.options)
            .field("linktype", &self.linktype)
            .field("frames", &self.frames)
            .field("stopped", &self.stopped)
            .finish_non_exhaustive()
    }
}

impl LiveSource {
    /// Opens the capture: savefile first (so an unwritable path fails before anything is
    /// captured), then the interface, then the filter. Packets are buffered by the kernel from
    /// the moment this returns, so peers started afterwards are seen from their first packet.
    pub fn open(options: &LiveOptions) -> Result<LiveSource> {
        let mut writer = match &options.write {
            Some(path) => Some(PcapWriter::create(path)?),
            None => None,
        };
        let opened = Self::open_capture(options);
        let (cap, linktype) = match opened {
            Ok(ok) => ok,
            Err(e) => {
                if let (Some(w), Some(path)) = (writer.take(), &options.write) {
                    drop(w);
                    let _ = std::fs::remove_file(path);
                }
                return Err(e);
            }
        };
        if let Some(w) = writer.as_mut() {
            let nanos = options.precision == Precision::Nano;
            w.header(linktype, options.snaplen, nanos)?;
        }
        let counts_twice = options.iface == "any"
            || Device::list()
                .map(|ds| {
                    ds.iter()
                        .any(|d| d.name == options.iface && d.flags.is_loopback())
                })
                .unwrap_or(options.iface == "lo");
        Ok(LiveSource {
            options: options.clone(),
            cap,
            linktype,
            writer,
            stop_flag: None,
            opened: Instant::now(),
            last_frame: None,
            frames: 0,
            stopped: None,
            counts_twice,
        })
    }

    fn open_capture(options: &LiveOptions) -> Result<(Capture<Active>, LinkType)> {
        let iface = options.iface.as_str();
        if iface.is_empty() || iface.contains('\0') {
            return Err(Error::NoSuchInterface {
                iface: iface.into(),
                available: available_interfaces(),
            });
        }
        let as_i32 = |what: &str, v: u32| {
            i32::try_from(v).map_err(|_| Error::Usage(format!("{what} {v} is too large")))
        };
        let precision = match options.precision {
            Precision::Micro => pcap::Precision::Micro,
            Precision::Nano => pcap::Precision::Nano,
        };
        let cap = Capture::from_device(iface)
            .map_err(|e| open_error(iface, &e))?
            .immediate_mode(true)
            .snaplen(as_i32("snaplen", options.snaplen)?)
            .buffer_size(as_i32("buffer size", options.buffer_size)?)
            .promisc(options.promisc)
            .precision(precision)
            .timeout(50)
            .open()
            .map_err(|e| open_error(iface, &e))?;
        let mut cap = cap.setnonblock().map_err(|e| open_error(iface, &e))?;
        if let Some(filter) = options.filter.as_deref() {
            cap.filter(filter, true).map_err(|e| Error::Filter {
                filter: filter.into(),
                reason: pcap_message(&e),
            })?;
        }
        let linktype = LinkType(cap.get_datalink().0);
        Ok((cap, linktype))
    }

    /// Makes the source stop once `flag` is set (checked before every read).
    pub fn set_stop_flag(&mut self, flag: Arc<AtomicBool>) {
        self.stop_flag = Some(flag);
    }

    /// The options the capture was opened with.
    pub fn options(&self) -> &LiveOptions {
        &self.options
    }

    /// The interface's link type (EN10MB on lo, LINUX_SLL on "any").
    pub fn linktype(&self) -> LinkType {
        self.linktype
    }

    /// Frames read so far.
    pub fn frames(&self) -> u64 {
        self.frames
    }

    /// When the last frame was read, if any.
    pub fn last_frame_at(&self) -> Option<Instant> {
        self.last_frame
    }

    /// When the capture was opened.
    pub fn opened_at(&self) -> Instant {
        self.opened
    }

    /// Why the source stopped, once it has.
    pub fn stop_reason(&self) -> Option<StopReason> {
        self.stopped
    }

    /// Stops the source: later polls return `Stopped(reason)` (the first reason is kept).
    pub fn stop(&mut self, reason: StopReason) {
        self.stopped.get_or_insert(reason);
    }

    fn check_stop(&mut self) -> Option<StopReason> {
        if self.stopped.is_none() {
            if self.options.count.is_some_and(|c| self.frames >= c) {
                self.stopped = Some(StopReason::Count);
            } else if self
                .stop_flag
                .as_ref()
                .is_some_and(|f| f.load(Ordering::SeqCst))
            {
                self.stopped = Some(StopReason::Stopped);
            } else if self
                .options
                .duration
                .is_some_and(|d| self.opened.elapsed() >= d)
            {
                self.stopped = Some(StopReason::Duration);
            }
        }
        self.stopped
    }

    /// Reads one frame without blocking.
    pub fn poll(&mut self) -> Result<Poll> {
        if let Some(reason) = self.check_stop() {
            self.flush()?;
            return Ok(Poll::Stopped(reason));
        }
        let nanos = self.options.precision == Precision::Nano;
        let frame = match self.cap.next_packet() {
            Ok(packet) => {
                let ts = packet.header.ts;
                #[allow(clippy::unnecessary_cast)] // time_t is not i64 on every target
                let (secs, frac) = (ts.tv_sec as i64, ts.tv_usec.max(0) as u64);
                Frame {
                    index: self.frames + 1,
                    // With nanosecond precision libpcap puts nanoseconds in tv_usec.
                    ts: Timestamp::new(secs, if nanos { frac } else { frac * 1000 }),
                    linktype: self.linktype,
                    orig_len: packet.header.len,
                    data: packet.data.to_vec(),
                }
            }
            Err(pcap::Error::TimeoutExpired) => {
                self.flush()?;
                return Ok(Poll::Empty);
            }
            Err(e) => {
                self.flush()?;
                return Err(Error::Capture {
                    iface: self.options.iface.clone(),
                    reason: pcap_message(&e),
                });
            }
        };
        self.frames += 1;
        self.last_frame = Some(Instant::now());
        if let Some(w) = self.writer.as_mut() {
            w.record(&frame);
            if w.due() {
                w.flush()?;
            }
        }
        Ok(Poll::Frame(frame))
    }

    /// Writes pending savefile records to disk.
    pub fn flush(&mut self) -> Result<()> {
        match self.writer.as_mut() {
            Some(w) => w.flush(),
            None => Ok(()),
        }
    }

    /// libpcap's counters so far.
    pub fn stats(&mut self) -> Result<CaptureStats> {
        let stat = self.cap.stats().map_err(|e| Error::Capture {
            iface: self.options.iface.clone(),
            reason: pcap_message(&e),
        })?;
        Ok(CaptureStats {
            received: stat.received,
            dropped: stat.dropped,
            if_dropped: stat.if_dropped,
            delivered: self.frames,
            counts_twice: self.counts_twice,
        })
    }

    /// Ends the capture: reads the counters, writes and closes the savefile.
    pub fn finish(mut self) -> Result<CaptureStats> {
        let stats = self.stats();
        if let Some(w) = self.writer.take() {
            w.close()?;
        }
        stats
    }
}

impl FrameSource for LiveSource {
    /// Waits (polling every millisecond) for the next frame; `Ok(None)` once a stop condition
    /// is met.
    fn next_frame(&mut self) -> Result<Option<Frame>> {
        loop {
            match self.poll()? {
                Poll::Frame(frame) => return Ok(Some(frame)),
                Poll::Empty => std::thread::sleep(POLL_INTERVAL),
                Poll::Stopped(_) => return Ok(None),
            }
        }
    }

    fn precision(&self) -> Precision {
        self.options.precision
    }

    fn linktypes(&self) -> Vec<LinkType> {
        vec![self.linktype]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn writer_emits_whole_records() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.pcap");
        let mut w = PcapWriter::create(&path).unwrap();
        w.header(LinkType::ETHERNET, 2048, true).unwrap();
        let frame = Frame {
            index: 1,
            ts: Timestamp::new(5, 7),
            linktype: LinkType::ETHERNET,
            orig_len: 3,
            data: vec![1, 2, 3],
        };
        w.record(&frame);
        w.close().unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(bytes.len(), 24 + 16 + 3);
        assert_eq!(&bytes[..4], &[0x4d, 0x3c, 0xb2, 0xa1]);
        assert_eq!(&bytes[24..28], &5u32.to_le_bytes());
        assert_eq!(&bytes[28..32], &7u32.to_le_bytes());
    }
}
