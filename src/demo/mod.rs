//! Built-in peers that play one lesson each — on loopback, or between network namespaces —
//! plus the log of the application calls (connect, accept, send, recv, close, ...) they make.
//!
//! Use in this order, which guarantees the capture sees the first packet:
//! 1. [`Demo::prepare`] binds the server sockets and, for [`DemoKind::uses_namespaces`],
//!    builds the namespaces (nothing is sent yet) and suggests a filter;
//! 2. the caller opens the capture with that filter ([`Demo::open_capture`] opens it inside
//!    the demo's namespace when it has one);
//! 3. [`Demo::start`] spawns the peers (and the relay of a lossy path);
//! 4. [`Demo::is_finished`], then [`Demo::finish`]; dropping the demo removes its namespaces.
//!
//! Every peer call that can block has its own timeout, and every loop is bounded, so the peers
//! end even if nobody captures or the other side vanishes. Each blocking call is logged twice,
//! as an [`AppEvent`] with [`Phase::Before`] when it starts and [`Phase::After`] when it returns,
//! timestamped with the same wall clock libpcap uses.

mod app;
mod calls;
mod close4;
mod concurrent;
mod config;
mod framing;
mod half_close;
mod hosts;
mod kind;
pub mod lesson;
mod lossy;
pub mod net;
mod peer;
mod plan;
mod refused;
pub mod relay;
mod sock;
mod sticky;
mod tcp;
mod udp;
mod udp_bounds;

pub use app::{AppEvent, Call, CloseReason, Detail, Failure, OsError, Payload, Phase, SockOpt};
pub use config::{DEFAULT_IO_TIMEOUT, DemoConfig, MAX_CLIENTS};
pub use framing::{FramePart, FramingDecoder};
pub use kind::DemoKind;
pub use plan::{DemoFacts, DemoOutcome, Hosts};
pub use udp::format_time;

use peer::{Flags, Log, PeerResult, retry, wait_signal};
use plan::Plan;

use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::capture::live::{LiveOptions, LiveSource};
use crate::{Error, Result};

/// Blocking reads wake this often to look at the stop flags.
const WAKE_INTERVAL: Duration = Duration::from_millis(20);

/// Which peer made a call: the client or the server of the conversation.
pub use crate::flow::Side;

/// The built-in peers of one demo.
pub struct Demo {
    config: DemoConfig,
    plan: Plan,
    started: bool,
    threads: Vec<(Side, JoinHandle<PeerResult>)>,
    relay: Option<relay::RelayHandle>,
    halt: Arc<AtomicBool>,
    gate: Arc<Gate>,
}

impl fmt::Debug for Demo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Demo")
            .field("kind", &self.config.kind)
            .field("server_addr", &self.plan.server)
            .field("filter", &self.plan.filter)
            .field("started", &self.started)
            .finish_non_exhaustive()
    }
}

impl Demo {
    /// Checks the configuration, binds the server sockets (on loopback: 127.0.0.1, or ::1
    /// with `ipv6`) or builds the namespaces, and works out the capture filter. Nothing is
    /// sent until [`Demo::start`].
    pub fn prepare(config: &DemoConfig) -> Result<Demo> {
        config.validate()?;
        let plan = match config.kind {
            DemoKind::Tcp => tcp::plan(config)?,
            DemoKind::Udp => udp::plan(config)?,
            DemoKind::Sticky => sticky::plan(config)?,
            DemoKind::Framing => framing::plan(config)?,
            DemoKind::UdpBoundaries => udp_bounds::plan(config)?,
            DemoKind::Refused => refused::plan(config)?,
            DemoKind::HalfClose => half_close::plan(config)?,
            DemoKind::Close4Way => close4::plan(config)?,
            DemoKind::Concurrent => concurrent::plan(config)?,
            DemoKind::TwoHosts => hosts::plan(config)?,
            DemoKind::Lossy => lossy::plan(config)?,
        };
        Ok(Demo {
            config: config.clone(),
            plan,
            started: false,
            threads: Vec::new(),
            relay: None,
            halt: Arc::new(AtomicBool::new(false)),
            gate: Arc::new(Gate::default()),
        })
    }

    /// The conversation this demo plays.
    pub fn kind(&self) -> DemoKind {
        self.config.kind
    }

    /// The configuration it was prepared with.
    pub fn config(&self) -> &DemoConfig {
        &self.config
    }

    /// The server's address (with the bound port).
    pub fn server_addr(&self) -> SocketAddr {
        self.plan.server
    }

    /// The server's port.
    pub fn port(&self) -> u16 {
        self.plan.server.port()
    }

    /// A BPF filter that sees the whole lesson: the demo's ports, plus ICMP for errors such
    /// as "port unreachable" (and ARP between namespaces).
    pub fn filter(&self) -> &str {
        &self.plan.filter
    }

    /// The interface the demo captures on when it has its own (inside its namespace).
    pub fn capture_iface(&self) -> Option<&str> {
        self.plan.lab.as_ref().map(|l| l.iface.as_str())
    }

    /// Opens the capture: inside the demo's namespace when it has one (libpcap finds an
    /// interface only in the namespace of the thread that opens it), else here.
    pub fn open_capture(&self, options: &LiveOptions) -> Result<LiveSource> {
        match &self.plan.lab {
            Some(lab) => lab
                .net
                .run_in(lab.capture_role, || LiveSource::open(options))?,
            None => LiveSource::open(options),
        }
    }

    /// True when the peers run inside namespaces the demo built (which needs root).
    pub fn has_namespaces(&self) -> bool {
        self.plan.lab.is_some()
    }

    /// Spawns the peers (after the relay, on a lossy path). Call it only once the capture is
    /// open and filtered. The calls made by [`Demo::prepare`] (bind, listen) are sent first,
    /// with their original timestamps. The peers stop early when `stop` is set.
    ///
    /// Peers inside namespaces enter them (which needs root) and then wait, before their first
    /// call, until [`Demo::release`]: so root can be given up in between. `start` returns once
    /// they all have entered.
    pub fn start(&mut self, events: Sender<AppEvent>, stop: Arc<AtomicBool>) -> Result<()> {
        if self.started {
            return Err(Error::Demo("the demo was already started".into()));
        }
        self.started = true;
        for event in self.plan.setup.drain(..) {
            let _ = events.send(event);
        }
        if let Some(lab) = self.plan.lab.as_mut()
            && let Some((relay, cfg)) = lab.relay.take()
        {
            self.relay = Some(relay.spawn(cfg, stop.clone(), None)?);
        }
        let flags = Flags {
            stop,
            halt: self.halt.clone(),
        };
        let (entered_tx, entered_rx) = std::sync::mpsc::channel();
        let mut waiting = 0;
        for peer in std::mem::take(&mut self.plan.peers) {
            let ns = match (&self.plan.lab, peer.role) {
                (Some(lab), Some(role)) => Some(lab.namespace(role)?),
                _ => None,
            };
            let log = Log::new(events.clone(), peer.side);
            let flags = flags.clone();
            let body = peer.body;
            let (gate, entered) = (self.gate.clone(), entered_tx.clone());
            let gated = ns.is_some();
            let spawned = std::thread::Builder::new()
                .name(format!("demo-{}", peer.name))
                .spawn(move || {
                    if let Some(ns) = ns {
                        let done = net::sys::enter_netns(&ns)
                            .map_err(|e| format!("cannot enter the namespace: {e}"));
                        let _ = entered.send(());
                        done?;
                        if !gate.wait(&flags) {
                            return Err("stopped before it started".into());
                        }
                    }
                    body(&flags, &log)
                });
            match spawned {
                Ok(handle) => {
                    self.threads.push((peer.side, handle));
                    waiting += usize::from(gated);
                }
                Err(e) => {
                    self.halt();
                    return Err(Error::Demo(format!(
                        "cannot start the {} thread: {e}",
                        peer.name
                    )));
                }
            }
        }
        for _ in 0..waiting {
            if entered_rx.recv_timeout(GATE_TIMEOUT).is_err() {
                self.halt();
                return Err(Error::Demo(
                    "the peers did not enter their namespaces".into(),
                ));
            }
        }
        Ok(())
    }

    /// Lets the peers that wait inside their namespaces make their first call.
    pub fn release(&self) {
        self.gate.open();
    }

    /// True once the peers were started and have all returned.
    pub fn is_finished(&self) -> bool {
        self.started && self.threads.iter().all(|(_, h)| h.is_finished())
    }

    /// Asks the peers to stop at their next wake-up (within about 20 ms).
    pub fn halt(&self) {
        self.halt.store(true, Ordering::SeqCst);
    }

    /// Waits up to `within` for the peers, stops the relay, and returns what happened: the
    /// peers' errors (empty when the conversation completed) and the facts the lesson needs.
    /// Peers still running after that are told to stop and left to end by their own
    /// timeouts. The namespaces stay until the demo is dropped.
    pub fn finish(&mut self, within: Duration) -> DemoOutcome {
        let deadline = Instant::now() + within;
        while !self.threads.iter().all(|(_, h)| h.is_finished()) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(1));
        }
        self.halt();
        let mut errors = Vec::new();
        for (side, handle) in self.threads.drain(..) {
            if !handle.is_finished() {
                errors.push(format!(
                    "{side} did not finish within {:.1} s",
                    within.as_secs_f64()
                ));
                continue;
            }
            match handle.join() {
                Ok(Ok(())) => {}
                Ok(Err(e)) => errors.push(format!("{side}: {e}")),
                Err(_) => errors.push(format!("{side}: the peer thread panicked")),
            }
        }
        let mut facts = self.plan.facts.clone();
        if let Some(handle) = self.relay.take() {
            match handle.finish() {
                Ok(report) => facts.relay = Some(report),
                Err(e) => errors.push(e.to_string()),
            }
        }
        DemoOutcome { errors, facts }
    }

    /// [`Demo::finish`], keeping only the errors.
    pub fn join(mut self, within: Duration) -> Vec<String> {
        self.finish(within).errors
    }
}

/// How long [`Demo::start`] waits for the peers to enter their namespaces.
const GATE_TIMEOUT: Duration = Duration::from_secs(5);

/// Holds peers back until it is opened.
#[derive(Debug, Default)]
struct Gate {
    open: std::sync::Mutex<bool>,
    opened: std::sync::Condvar,
}

impl Gate {
    fn open(&self) {
        *self.open.lock().unwrap_or_else(|e| e.into_inner()) = true;
        self.opened.notify_all();
    }

    /// Waits until the gate opens (true) or the demo is stopped (false).
    fn wait(&self, flags: &Flags) -> bool {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        while !*open {
            if flags.raised() {
                return false;
            }
            open = self
                .opened
                .wait_timeout(open, Duration::from_millis(20))
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        true
    }
}

impl Drop for Demo {
    fn drop(&mut self) {
        self.halt();
        // The relay stops before the namespaces go (the lab is dropped after this).
        self.relay.take();
    }
}

#[cfg(test)]
mod tests;
