//! Frames from a live interface, read without blocking.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use pcap::{Active, Capture, Device};

use super::interfaces::available_interfaces;
use super::writer::PcapWriter;
use super::{CaptureStats, LiveOptions, POLL_INTERVAL, Poll, StopReason, open_error};
use crate::capture::{Frame, FrameSource, LinkType, Precision};
use crate::capture::{header_timestamp, pcap_message};
use crate::{Error, Result};

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
            Ok(packet) => Frame {
                index: self.frames + 1,
                ts: header_timestamp(packet.header, nanos),
                linktype: self.linktype,
                orig_len: packet.header.len,
                data: packet.data.to_vec(),
            },
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
