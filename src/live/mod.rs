//! A live capture run: capture on an interface, optionally while the built-in demo peers talk on
//! loopback, and deliver frames and the peers' socket calls as one stream in timestamp order.
//!
//! Order of operations (it guarantees the first SYN is captured): bind the demo server, open the
//! capture with the demo's filter, only then start the peers.
//!
//! Ordering: a peer logs "recv returned" a few microseconds after the packet that woke it was
//! stamped, and frames and events come from different queues, so both are held for a short
//! window ([`LiveConfig::hold_back`], 20 ms) and released as a merge by timestamp. Frames are
//! never reordered among themselves.
//!
//! Stopping: the capture ends when the count or duration is reached, when the stop flag is set
//! (Ctrl-C), or, with a demo, once the peers have returned and no packet has arrived for
//! [`LiveConfig::grace`] (200 ms, enough for the last ACK). The peers watch the same stop flag;
//! the savefile is written out and closed on every path.

mod merge;
mod report;

pub use report::report_live;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::{self};
use std::time::{Duration, Instant};

use crate::capture::live::{CaptureStats, LiveOptions, LiveSource, Poll, StopReason};
use crate::capture::pcapng_write::PcapngWriter;
use crate::capture::{Frame, LinkType, Precision, Timestamp};
use crate::demo::{AppEvent, Demo, DemoConfig, DemoOutcome};
use crate::privileges::PrivilegePlan;
use crate::{Error, Result};
use merge::Merger;

/// Frames and events are held this long before delivery so that late-logged events with earlier
/// timestamps go first.
pub const DEFAULT_HOLD_BACK: Duration = Duration::from_millis(20);

/// Quiet time after the demo peers return before the capture stops.
pub const DEFAULT_GRACE: Duration = Duration::from_millis(200);

/// Most frames read in one round before events are looked at again.
const BATCH: usize = 256;

/// A live run's settings.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveConfig {
    /// The capture (its `filter` is AND-ed with the demo's filter when a demo runs).
    pub capture: LiveOptions,
    /// Built-in peers to run on loopback during the capture.
    pub demo: Option<DemoConfig>,
    /// How long items are held back to be delivered in timestamp order.
    pub hold_back: Duration,
    /// Quiet time after the demo ends before the capture stops.
    pub grace: Duration,
    /// Whom to become once the capture is open (and the demo's namespaces are entered).
    pub privileges: PrivilegePlan,
    /// How many conversations are followed at once.
    pub limits: crate::flow::Limits,
}

impl LiveConfig {
    /// A capture with the default hold-back and grace and no demo.
    pub fn new(capture: LiveOptions) -> LiveConfig {
        LiveConfig {
            capture,
            demo: None,
            hold_back: DEFAULT_HOLD_BACK,
            grace: DEFAULT_GRACE,
            privileges: PrivilegePlan::default(),
            limits: crate::flow::Limits::default(),
        }
    }
}

/// One item of a live run, delivered in timestamp order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveItem {
    /// A captured frame.
    Frame(Frame),
    /// A socket call made by a demo peer.
    App(AppEvent),
    /// The capture is open and filtered: packets from now on are captured. Always the first
    /// item, before the demo peers start; it is not ordered by timestamp with the others
    /// (the demo server's bind and listen happen before the capture opens).
    Opened {
        /// When the capture was ready.
        ts: Timestamp,
        /// The interface's link type.
        linktype: LinkType,
        /// The filter the capture runs with (the demo's and the user's, combined).
        filter: Option<String>,
    },
}

impl LiveItem {
    /// The item's timestamp.
    pub fn ts(&self) -> Timestamp {
        match self {
            LiveItem::Frame(f) => f.ts,
            LiveItem::App(e) => e.ts,
            LiveItem::Opened { ts, .. } => *ts,
        }
    }
}

/// What a live run did.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveReport {
    /// Frames captured and delivered.
    pub frames: u64,
    /// Demo events delivered.
    pub app_events: u64,
    /// libpcap's counters.
    pub stats: CaptureStats,
    /// The savefile, when one was written.
    pub written: Option<PathBuf>,
    /// Problems the demo peers reported (empty when the conversation completed).
    pub demo_errors: Vec<String>,
    /// How the demo ended, when one ran: its errors and the facts its lesson needs.
    pub demo: Option<DemoOutcome>,
    /// Why the capture stopped.
    pub stop_reason: StopReason,
    /// The demo server's address, when a demo ran.
    pub demo_server: Option<SocketAddr>,
    /// The filter the capture ran with.
    pub filter: Option<String>,
    /// The interface's link type.
    pub linktype: LinkType,
    /// Timestamp resolution of the frames.
    pub precision: Precision,
}

/// Fails with a usage error when a demo would run on an interface that cannot see loopback
/// traffic. Unknown interfaces pass: opening them reports a clearer error.
fn check_demo_interface(iface: &str) -> Result<()> {
    if iface == "any" {
        return Ok(());
    }
    let Ok(devices) = crate::capture::live::list_interfaces() else {
        return Ok(());
    };
    match devices.iter().find(|d| d.name == iface) {
        Some(d) if !d.sees_loopback() => {
            let loopback: Vec<&str> = devices
                .iter()
                .filter(|d| d.sees_loopback())
                .map(|d| d.name.as_str())
                .collect();
            let suggestion = loopback
                .iter()
                .find(|name| **name == "lo")
                .or(loopback.first())
                .copied()
                .unwrap_or("lo");
            Err(Error::Usage(format!(
                "--demo talks over loopback (127.0.0.1 / ::1), which a capture on '{iface}' \
                 cannot see; capture on '{suggestion}' instead: handshake-viz live {suggestion} \
                 --demo ..."
            )))
        }
        _ => Ok(()),
    }
}

/// `(a) and (b)`, or whichever is present.
fn combine_filters(demo: Option<&str>, user: Option<&str>) -> Option<String> {
    let user = user.map(str::trim).filter(|f| !f.is_empty());
    match (demo, user) {
        (Some(d), Some(u)) => Some(format!("({d}) and ({u})")),
        (Some(d), None) => Some(d.to_string()),
        (None, Some(u)) => Some(u.to_string()),
        (None, None) => None,
    }
}

/// The capture file of a live run: classic pcap (written by the source as frames arrive) or
/// pcapng (written here in delivery order, with the socket calls as packet comments).
fn wants_pcapng(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("pcapng"))
}

/// Hands an item to the sink, after writing it to the pcapng file: frames and calls go there in
/// the order they are delivered.
fn deliver(
    pcapng: &mut Option<PcapngWriter>,
    sink: &mut dyn FnMut(LiveItem) -> Result<()>,
    item: LiveItem,
) -> Result<()> {
    if let Some(w) = pcapng.as_mut() {
        match &item {
            LiveItem::Frame(f) => w.write_frame(f)?,
            LiveItem::App(e) => w.write_event(e),
            LiveItem::Opened { .. } => {}
        }
    }
    sink(item)
}

/// Checks the interface against the demo, before anything is built: a loopback demo needs an
/// interface that sees loopback, a namespace demo captures on its own.
fn check_interface(demo: &DemoConfig, iface: &str) -> Result<()> {
    if !demo.kind.uses_namespaces() {
        return check_demo_interface(iface);
    }
    let own = demo.default_interface();
    if own == iface {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "--demo {kind} builds its own namespaces and captures on their interface ({own}); \
         leave the interface out: handshake-viz live --demo {kind}",
        kind = demo.kind
    )))
}

/// Runs a live capture and hands every frame and demo event to `sink`, in timestamp order.
///
/// Prepares the demo (if any), opens the capture with the demo's filter AND-ed with the user's
/// (inside the demo's namespace when it has one), starts the peers, and returns when a stop
/// condition is met. An error from `sink` ends the run (the savefile is still written out).
/// A `.pcapng` savefile gets the frames in delivery order and the socket calls as comments.
pub fn run_live(
    cfg: &LiveConfig,
    stop: Arc<AtomicBool>,
    sink: &mut dyn FnMut(LiveItem) -> Result<()>,
) -> Result<LiveReport> {
    let mut options = cfg.capture.clone();
    let pcapng_path = options.write.take_if(|p| wants_pcapng(p));
    let mut pcapng = match &pcapng_path {
        Some(path) => Some(PcapngWriter::create(path, options.snaplen)?),
        None => None,
    };
    let remove_pcapng = |e: Error| {
        if let Some(path) = &pcapng_path {
            let _ = std::fs::remove_file(path);
        }
        e
    };
    let mut demo = match &cfg.demo {
        Some(demo_cfg) => {
            check_interface(demo_cfg, &cfg.capture.iface).map_err(remove_pcapng)?;
            Some(Demo::prepare(demo_cfg).map_err(remove_pcapng)?)
        }
        None => None,
    };
    options.filter = combine_filters(
        demo.as_ref().map(Demo::filter),
        cfg.capture.filter.as_deref(),
    );
    let opened = match demo.as_ref() {
        Some(d) => d.open_capture(&options),
        None => LiveSource::open(&options),
    };
    let mut source = opened.map_err(remove_pcapng)?;
    source.set_stop_flag(stop.clone());
    if let Some(w) = pcapng.as_mut() {
        w.describe_interface(source.linktype(), &options.iface);
    }
    let opened = LiveItem::Opened {
        ts: Timestamp::now(),
        linktype: source.linktype(),
        filter: options.filter.clone(),
    };
    deliver(&mut pcapng, sink, opened)?;

    // Root is given up before the first packet is parsed: right away, or once the peers of
    // a namespace demo have entered their namespaces (the demo's guard process keeps root to
    // remove them at the end).
    let namespaced = demo.as_ref().is_some_and(Demo::has_namespaces);
    if !namespaced {
        cfg.privileges.apply()?;
    }
    let demo_server = demo.as_ref().map(Demo::server_addr);
    let (tx, rx) = mpsc::channel();
    if let Some(d) = demo.as_mut() {
        d.start(tx, stop.clone())?;
        if namespaced {
            cfg.privileges.apply()?;
        }
        d.release();
    } else {
        drop(tx);
    }

    let mut merger = Merger::new(cfg.hold_back);
    let mut demo_done_at: Option<Instant> = None;
    let stop_reason = loop {
        merger.drain_events(&rx);
        let mut stopped = None;
        let mut busy = false;
        for _ in 0..BATCH {
            match source.poll()? {
                Poll::Frame(frame) => {
                    busy = true;
                    merger.push_frame(frame);
                }
                Poll::Empty => break,
                Poll::Stopped(reason) => {
                    stopped = Some(reason);
                    break;
                }
            }
        }
        if stopped.is_none()
            && let Some(d) = demo.as_ref()
            && d.is_finished()
        {
            let done_at = *demo_done_at.get_or_insert_with(Instant::now);
            let quiet_since = source.last_frame_at().map_or(done_at, |t| t.max(done_at));
            if quiet_since.elapsed() >= cfg.grace {
                source.stop(StopReason::DemoFinished);
                stopped = Some(StopReason::DemoFinished);
            }
        }
        merger.drain_events(&rx);
        merger.release(false, &mut |item| deliver(&mut pcapng, sink, item))?;
        if let Some(reason) = stopped {
            break reason;
        }
        if !busy {
            if let Some(w) = pcapng.as_mut() {
                w.flush()?;
            }
            std::thread::sleep(crate::capture::live::POLL_INTERVAL);
        }
    };

    let outcome = demo.as_mut().map(|d| {
        d.halt();
        d.finish(cfg.demo.as_ref().map_or(Duration::ZERO, |c| c.io_timeout))
    });
    merger.drain_events(&rx);
    merger.release(true, &mut |item| deliver(&mut pcapng, sink, item))?;
    let linktype = source.linktype();
    let stats = source.finish()?;
    // The capture is closed: the demo's namespaces can go now.
    drop(demo);
    if let Some(w) = pcapng.take() {
        w.close(Some((u64::from(stats.received), u64::from(stats.dropped))))?;
    }
    Ok(LiveReport {
        frames: merger.delivered_frames,
        app_events: merger.delivered_events,
        stats,
        written: cfg.capture.write.clone(),
        demo_errors: outcome
            .as_ref()
            .map(|o| o.errors.clone())
            .unwrap_or_default(),
        demo: outcome,
        stop_reason,
        demo_server,
        filter: options.filter,
        linktype,
        precision: options.precision,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_anded() {
        assert_eq!(
            combine_filters(Some("tcp port 5"), Some("host 127.0.0.1")).as_deref(),
            Some("(tcp port 5) and (host 127.0.0.1)")
        );
        assert_eq!(combine_filters(None, Some(" ")), None);
        assert_eq!(combine_filters(None, Some("udp")).as_deref(), Some("udp"));
        assert_eq!(combine_filters(Some("icmp"), None).as_deref(), Some("icmp"));
    }
}
