//! An L2 relay between two veth ends in a middle namespace: every Ethernet frame read on one
//! side is written to the other, so two hosts share one subnet (ARP included) across it, and
//! some frames can be dropped, delayed or reordered on purpose (see [`Impairment`]).
//!
//! Use: open the relay from a thread inside the middle namespace ([`Relay::open`], e.g. through
//! [`crate::demo::net::NetLab::run_in`]), then [`Relay::spawn`] it before the hosts talk. The
//! sockets stay bound to the namespace, so the relay thread itself needs neither the namespace
//! nor root. It reads with AF_PACKET raw sockets that ignore their own outgoing frames
//! (PACKET_IGNORE_OUTGOING, plus a check of the packet type), so nothing loops. It is bounded
//! by a deadline and a frame limit, stops within 10 ms of its stop flag, counts everything
//! and records each frame it dropped.

mod impair;
mod report;
mod run;

pub use impair::{Directions, Impairment, splitmix64};
pub use report::{DirCounts, Direction, DropKind, DroppedFrame, RelayEnd, RelayReport};

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::demo::net::packet::{PacketSocket, poll_readable};
use impair::Decider;
use run::{Lane, RunState};

/// Longest a relay runs unless told otherwise.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(60);
/// Most frames a relay reads unless told otherwise.
pub const DEFAULT_MAX_FRAMES: u64 = 200_000;
/// A held-back frame is sent anyway after this long without a later frame to pass it.
pub const REORDER_MAX_HOLD: Duration = Duration::from_millis(20);
/// Most frames waiting in one direction's delay queue; more are lost (and counted).
const MAX_QUEUED: usize = 8192;
/// The loop wakes at least this often to look at the stop flag and deadline.
const WAKE: Duration = Duration::from_millis(10);
/// Most errors kept in the report.
const MAX_ERRORS: usize = 8;

/// Errors opening or running the relay.
#[derive(Debug, thiserror::Error)]
pub enum RelayError {
    /// An AF_PACKET socket could not be opened on an interface.
    #[error("relay: cannot open a raw socket on {iface}: {reason}")]
    Open { iface: String, reason: String },
    /// The configuration is unusable.
    #[error("relay: {0}")]
    Config(String),
    /// The relay thread could not start or panicked.
    #[error("relay thread: {0}")]
    Thread(String),
}

impl From<RelayError> for crate::Error {
    fn from(e: RelayError) -> Self {
        crate::Error::Demo(e.to_string())
    }
}

/// How long and what the relay runs.
#[derive(Debug, Clone, PartialEq)]
pub struct RelayConfig {
    /// What to do to the frames.
    pub impair: Impairment,
    /// Stop after this long.
    pub deadline: Duration,
    /// Stop after reading this many frames.
    pub max_frames: u64,
}

impl RelayConfig {
    /// A relay with `impair`, the default deadline and frame limit.
    pub fn new(impair: Impairment) -> RelayConfig {
        RelayConfig {
            impair,
            deadline: DEFAULT_DEADLINE,
            max_frames: DEFAULT_MAX_FRAMES,
        }
    }
}

/// The relay's two sockets: side a faces host a, side b faces host b.
#[derive(Debug)]
pub struct Relay {
    a: PacketSocket,
    b: PacketSocket,
}

impl Relay {
    /// Opens raw sockets on `a_iface` and `b_iface` in the calling thread's namespace. Needs
    /// CAP_NET_RAW; frames arriving from now on are queued until the relay runs.
    pub fn open(a_iface: &str, b_iface: &str) -> Result<Relay, RelayError> {
        let open = |iface: &str| {
            PacketSocket::open(iface).map_err(|e| RelayError::Open {
                iface: iface.into(),
                reason: e.to_string(),
            })
        };
        Ok(Relay {
            a: open(a_iface)?,
            b: open(b_iface)?,
        })
    }

    /// Runs the relay on its own thread until `stop`, the deadline or the frame limit.
    /// Each dropped frame is also sent to `notify` as it happens.
    pub fn spawn(
        self,
        cfg: RelayConfig,
        stop: Arc<AtomicBool>,
        notify: Option<Sender<DroppedFrame>>,
    ) -> Result<RelayHandle, RelayError> {
        cfg.impair.validate().map_err(RelayError::Config)?;
        let halt = Arc::new(AtomicBool::new(false));
        let flags = (stop, halt.clone());
        let thread = std::thread::Builder::new()
            .name("relay".into())
            .spawn(move || self.run(&cfg, &[&flags.0, &flags.1], notify.as_ref()))
            .map_err(|e| RelayError::Thread(e.to_string()))?;
        Ok(RelayHandle {
            thread: Some(thread),
            halt,
        })
    }

    /// Runs the relay on the calling thread until one of `stops`, the deadline or the frame
    /// limit.
    pub fn run(
        &self,
        cfg: &RelayConfig,
        stops: &[&AtomicBool],
        notify: Option<&Sender<DroppedFrame>>,
    ) -> RelayReport {
        let started = Instant::now();
        let deadline = started + cfg.deadline;
        let mut state = RunState {
            decider: Decider::new(cfg.impair.clone()),
            delay: cfg.impair.delay,
            directions: cfg.impair.directions,
            lanes: [Lane::default(), Lane::default()],
            dropped: Vec::new(),
            errors: Vec::new(),
            notify,
        };
        let mut buf = vec![0u8; 65_536];
        let end = loop {
            if stops.iter().any(|s| s.load(Ordering::SeqCst)) {
                break RelayEnd::Stopped;
            }
            let now = Instant::now();
            if now >= deadline {
                break RelayEnd::Deadline;
            }
            let read = state.lanes[0].counts.read + state.lanes[1].counts.read;
            if read >= cfg.max_frames {
                break RelayEnd::FrameLimit;
            }
            state.release_due(self, now);
            let wait = state
                .next_due()
                .map_or(WAKE, |t| t.saturating_duration_since(now))
                .min(WAKE)
                .min(deadline.saturating_duration_since(now));
            let ready = match poll_readable([&self.a, &self.b], wait) {
                Ok(r) => r,
                Err(e) => {
                    state.error(format!("poll: {e}"));
                    std::thread::sleep(WAKE);
                    continue;
                }
            };
            for (dir, readable) in [(Direction::AToB, ready[0]), (Direction::BToA, ready[1])] {
                if readable {
                    state.drain(self, dir, &mut buf, cfg.max_frames);
                }
            }
        };
        for lane in &mut state.lanes {
            lane.counts.discarded_at_stop +=
                lane.queue.len() as u64 + u64::from(lane.held.is_some());
        }
        RelayReport {
            a_to_b: state.lanes[0].counts,
            b_to_a: state.lanes[1].counts,
            dropped: state.dropped,
            end,
            ran: started.elapsed(),
            errors: state.errors,
        }
    }

    fn out(&self, dir: Direction) -> &PacketSocket {
        match dir {
            Direction::AToB => &self.b,
            Direction::BToA => &self.a,
        }
    }

    fn input(&self, dir: Direction) -> &PacketSocket {
        match dir {
            Direction::AToB => &self.a,
            Direction::BToA => &self.b,
        }
    }
}

/// A relay running on its own thread. Dropping it stops and joins the thread.
#[derive(Debug)]
pub struct RelayHandle {
    thread: Option<JoinHandle<RelayReport>>,
    halt: Arc<AtomicBool>,
}

impl RelayHandle {
    /// True once the relay thread has returned.
    pub fn is_finished(&self) -> bool {
        self.thread.as_ref().is_none_or(|t| t.is_finished())
    }

    /// Stops the relay (within about 10 ms) and returns its report.
    pub fn finish(mut self) -> Result<RelayReport, RelayError> {
        self.halt.store(true, Ordering::SeqCst);
        match self.thread.take() {
            Some(t) => t
                .join()
                .map_err(|_| RelayError::Thread("the relay thread panicked".into())),
            None => Err(RelayError::Thread("already finished".into())),
        }
    }
}

impl Drop for RelayHandle {
    fn drop(&mut self) {
        self.halt.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
