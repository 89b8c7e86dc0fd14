//! What every peer thread shares: the stop flags, the log of its socket calls, and a retry
//! loop that bounds each blocking call.

use std::io::{self, ErrorKind};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

use super::{AppEvent, Call, Detail, Failure, Phase, Side};
use crate::time::Timestamp;

/// Shared view of the two stop flags: the caller's (Ctrl-C) and the demo's own.
#[derive(Clone)]
pub(super) struct Flags {
    pub(super) stop: Arc<AtomicBool>,
    pub(super) halt: Arc<AtomicBool>,
}

impl Flags {
    pub(super) fn raised(&self) -> bool {
        self.stop.load(Ordering::SeqCst) || self.halt.load(Ordering::SeqCst)
    }
}

/// Logs the calls of one peer.
#[derive(Clone)]
pub(super) struct Log {
    pub(super) tx: Sender<AppEvent>,
    pub(super) side: Side,
    /// The client address of the connection the calls are about, once known.
    pub(super) conn: Option<SocketAddr>,
}

impl Log {
    /// A log for `side`.
    pub(super) fn new(tx: Sender<AppEvent>, side: Side) -> Log {
        Log {
            tx,
            side,
            conn: None,
        }
    }

    /// The same log, its calls tied to the connection whose client address is `client`.
    pub(super) fn on(&self, client: SocketAddr) -> Log {
        Log {
            conn: Some(client),
            ..self.clone()
        }
    }

    fn event(&self, phase: Phase, call: Call, detail: Detail) {
        self.event_at(Timestamp::now(), phase, call, detail);
    }

    fn event_at(&self, ts: Timestamp, phase: Phase, call: Call, detail: Detail) {
        // The receiver may be gone (the capture ended); the peer carries on regardless.
        let _ = self.tx.send(AppEvent {
            ts,
            side: self.side,
            call,
            phase,
            detail,
            conn: self.conn,
        });
    }

    pub(super) fn before(&self, call: Call, detail: Detail) {
        self.event(Phase::Before, call, detail);
    }

    /// The start of a call made at `ts`, logged once its connection is known (a bind() names
    /// its client address only when it returns).
    pub(super) fn before_at(&self, ts: Timestamp, call: Call, detail: Detail) {
        self.event_at(ts, Phase::Before, call, detail);
    }

    pub(super) fn after(&self, call: Call, detail: Detail) {
        self.event(Phase::After, call, detail);
    }

    /// Logs the failure as the return of `call` and gives the peer's error line.
    pub(super) fn failed(&self, call: Call, failure: Failure) -> String {
        self.after(call, Detail::Failed(failure));
        format!("{}: {failure}", call.name())
    }
}

/// A peer's result: `Err` holds a one-line description of what went wrong.
pub(super) type PeerResult = std::result::Result<(), String>;

/// Runs a socket call that fails with WouldBlock/TimedOut every [`WAKE_INTERVAL`], until it
/// succeeds, `timeout` passes, or a stop flag is raised.
pub(super) fn retry<T>(
    flags: &Flags,
    timeout: Duration,
    mut call: impl FnMut() -> io::Result<T>,
) -> std::result::Result<T, Failure> {
    let deadline = Instant::now() + timeout;
    loop {
        match call() {
            Ok(v) => return Ok(v),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(Failure::of(&e)),
        }
        if flags.raised() {
            return Err(Failure::Stopped);
        }
        if Instant::now() >= deadline {
            return Err(Failure::TimedOut(timeout));
        }
    }
}

/// Waits for the other peer's signal (an in-process channel, invisible on the wire), at most
/// `timeout`, and no longer than the stop flags allow.
pub(super) fn wait_signal(
    rx: &std::sync::mpsc::Receiver<()>,
    flags: &Flags,
    timeout: Duration,
) -> PeerResult {
    use std::sync::mpsc::RecvTimeoutError;
    let deadline = Instant::now() + timeout;
    loop {
        match rx.recv_timeout(super::WAKE_INTERVAL) {
            Ok(()) => return Ok(()),
            Err(RecvTimeoutError::Disconnected) => return Err("the other peer ended early".into()),
            Err(RecvTimeoutError::Timeout) => {}
        }
        if flags.raised() {
            return Err(Failure::Stopped.to_string());
        }
        if Instant::now() >= deadline {
            return Err(format!(
                "the other peer was not ready within {:.1} s",
                timeout.as_secs_f64()
            ));
        }
    }
}
