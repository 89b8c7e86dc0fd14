//! Built-in peers that produce a small, well-known conversation on loopback, plus the log of
//! application calls (connect, accept, send, recv, close, ...) they make.
//!
//! Use in this order, which guarantees the capture sees the first packet:
//! 1. [`Demo::prepare`] binds the server socket (nothing is sent yet) and suggests a filter;
//! 2. the caller opens the capture with that filter;
//! 3. [`Demo::start`] spawns the server and client threads;
//! 4. [`Demo::is_finished`] / [`Demo::join`].
//!
//! Every peer call that can block has its own timeout, and every loop is bounded, so the peers
//! end even if nobody captures or the other side vanishes. Each blocking call is logged twice,
//! as an [`AppEvent`] with [`Phase::Before`] when it starts and [`Phase::After`] when it returns,
//! timestamped with the same wall clock libpcap uses.

mod app;
pub mod net;
mod peer;
pub mod relay;
mod tcp;
mod udp;

pub use app::{AppEvent, Call, CloseReason, Detail, Failure, OsError, Payload, Phase};
use peer::{Flags, Log, PeerResult, retry};
pub use udp::format_time;

use std::fmt;
use std::io::{self};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, UdpSocket};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::capture::Timestamp;
use crate::{Error, Result};

/// How long one peer call (accept, recv, send, ...) may wait before the peer gives up.
pub const DEFAULT_IO_TIMEOUT: Duration = Duration::from_secs(3);

/// Blocking reads wake this often to look at the stop flags.
const WAKE_INTERVAL: Duration = Duration::from_millis(20);

/// Which conversation the demo plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DemoKind {
    /// TCP echo: connect, send each message and read its echo, close.
    Tcp,
    /// UDP time server: the client sends strftime formats, the server answers with the time.
    Udp,
}

impl DemoKind {
    /// "tcp" or "udp".
    pub fn name(self) -> &'static str {
        match self {
            DemoKind::Tcp => "tcp",
            DemoKind::Udp => "udp",
        }
    }

    /// The messages the client sends when none are given.
    pub fn default_messages(self) -> Vec<String> {
        let messages: &[&str] = match self {
            DemoKind::Tcp => &["hello", "how are you?", "bye"],
            DemoKind::Udp => &["%Y-%m-%d %H:%M:%S", "%H:%M:%S%.3f", "%A"],
        };
        messages.iter().map(|m| m.to_string()).collect()
    }
}

impl fmt::Display for DemoKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Which peer made a call: the client or the server of the conversation.
pub use crate::flow::Side;

/// What the demo should do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoConfig {
    /// The conversation.
    pub kind: DemoKind,
    /// Use ::1 instead of 127.0.0.1.
    pub ipv6: bool,
    /// Server port; `None` lets the kernel pick a free one.
    pub port: Option<u16>,
    /// Messages the client sends (TCP) or time formats it asks for (UDP).
    pub messages: Vec<String>,
    /// Longest wait of any single peer call.
    pub io_timeout: Duration,
}

impl DemoConfig {
    /// The default demo of `kind`: IPv4, a free port, the default messages, 3 s timeouts.
    pub fn new(kind: DemoKind) -> DemoConfig {
        DemoConfig {
            kind,
            ipv6: false,
            port: None,
            messages: kind.default_messages(),
            io_timeout: DEFAULT_IO_TIMEOUT,
        }
    }
}

/// The server's socket, bound (and listening, for TCP) before the capture opens.
enum ServerSocket {
    Tcp(TcpListener),
    Udp(UdpSocket),
}

/// The built-in peers of one demo.
pub struct Demo {
    config: DemoConfig,
    server_addr: SocketAddr,
    filter: String,
    socket: Option<ServerSocket>,
    setup_events: Vec<AppEvent>,
    threads: Vec<(Side, JoinHandle<PeerResult>)>,
    halt: Arc<AtomicBool>,
}

impl fmt::Debug for Demo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Demo")
            .field("kind", &self.config.kind)
            .field("server_addr", &self.server_addr)
            .field("filter", &self.filter)
            .field("started", &!self.threads.is_empty())
            .finish_non_exhaustive()
    }
}

impl Demo {
    /// Binds the server socket on loopback (127.0.0.1, or ::1 with `ipv6`) and works out the
    /// capture filter. Nothing is sent until [`Demo::start`].
    pub fn prepare(config: &DemoConfig) -> Result<Demo> {
        let ip: IpAddr = if config.ipv6 {
            Ipv6Addr::LOCALHOST.into()
        } else {
            Ipv4Addr::LOCALHOST.into()
        };
        let want = SocketAddr::new(ip, config.port.unwrap_or(0));
        let bind_error = |e: io::Error| {
            Error::Demo(format!(
                "cannot bind the {} server to {want}: {e}",
                config.kind
            ))
        };
        let log_ts = Timestamp::now();
        let (socket, server_addr, call, detail) = match config.kind {
            DemoKind::Tcp => {
                let listener = TcpListener::bind(want).map_err(bind_error)?;
                let addr = listener.local_addr().map_err(bind_error)?;
                let detail = Detail::Listening { addr, backlog: 128 };
                (ServerSocket::Tcp(listener), addr, Call::Listen, detail)
            }
            DemoKind::Udp => {
                let socket = UdpSocket::bind(want).map_err(bind_error)?;
                let addr = socket.local_addr().map_err(bind_error)?;
                (
                    ServerSocket::Udp(socket),
                    addr,
                    Call::Bind,
                    Detail::Bound(addr),
                )
            }
        };
        let filter = format!(
            "({} port {}) or icmp or icmp6",
            config.kind.name(),
            server_addr.port()
        );
        let setup_events = vec![
            AppEvent {
                ts: log_ts,
                side: Side::Server,
                call,
                phase: Phase::Before,
                detail: Detail::Address(want),
            },
            AppEvent {
                ts: Timestamp::now(),
                side: Side::Server,
                call,
                phase: Phase::After,
                detail,
            },
        ];
        Ok(Demo {
            config: config.clone(),
            server_addr,
            filter,
            socket: Some(socket),
            setup_events,
            threads: Vec::new(),
            halt: Arc::new(AtomicBool::new(false)),
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

    /// The server's address (loopback, with the bound port).
    pub fn server_addr(&self) -> SocketAddr {
        self.server_addr
    }

    /// The server's port.
    pub fn port(&self) -> u16 {
        self.server_addr.port()
    }

    /// A BPF filter that sees the whole conversation: the server port, plus ICMP for errors
    /// such as "port unreachable".
    pub fn filter(&self) -> &str {
        &self.filter
    }

    /// Spawns the server and client threads. Call it only once the capture is open and
    /// filtered. The bind/listen made by [`Demo::prepare`] is sent first, with its original
    /// timestamps. The peers stop early when `stop` is set.
    pub fn start(&mut self, events: Sender<AppEvent>, stop: Arc<AtomicBool>) -> Result<()> {
        let socket = self
            .socket
            .take()
            .ok_or_else(|| Error::Demo("the demo was already started".into()))?;
        for event in self.setup_events.drain(..) {
            let _ = events.send(event);
        }
        let flags = Flags {
            stop,
            halt: self.halt.clone(),
        };
        let server_log = Log {
            tx: events.clone(),
            side: Side::Server,
        };
        let client_log = Log {
            tx: events,
            side: Side::Client,
        };
        let (config, addr) = (self.config.clone(), self.server_addr);
        let server = {
            let (config, flags) = (config.clone(), flags.clone());
            spawn("server", move || match socket {
                ServerSocket::Tcp(l) => tcp::server(l, &config, &flags, &server_log),
                ServerSocket::Udp(s) => udp::server(s, &config, &flags, &server_log),
            })?
        };
        self.threads.push((Side::Server, server));
        let client = spawn("client", move || match config.kind {
            DemoKind::Tcp => tcp::client(addr, &config, &flags, &client_log),
            DemoKind::Udp => udp::client(addr, &config, &flags, &client_log),
        });
        match client {
            Ok(handle) => {
                self.threads.push((Side::Client, handle));
                Ok(())
            }
            Err(e) => {
                self.halt();
                Err(e)
            }
        }
    }

    /// True once the peers were started and have all returned.
    pub fn is_finished(&self) -> bool {
        !self.threads.is_empty() && self.threads.iter().all(|(_, h)| h.is_finished())
    }

    /// Asks the peers to stop at their next wake-up (within about 20 ms).
    pub fn halt(&self) {
        self.halt.store(true, Ordering::SeqCst);
    }

    /// Waits up to `within` for the peers and returns their errors (empty when the
    /// conversation completed). Peers still running after that are told to stop and left to
    /// end by their own timeouts.
    pub fn join(mut self, within: Duration) -> Vec<String> {
        let deadline = Instant::now() + within;
        while !self.threads.iter().all(|(_, h)| h.is_finished()) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(1));
        }
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
        errors
    }
}

impl Drop for Demo {
    fn drop(&mut self) {
        self.halt();
    }
}

fn spawn(
    name: &str,
    body: impl FnOnce() -> PeerResult + Send + 'static,
) -> Result<JoinHandle<PeerResult>> {
    std::thread::Builder::new()
        .name(format!("demo-{name}"))
        .spawn(body)
        .map_err(|e| Error::Demo(format!("cannot start the {name} thread: {e}")))
}

#[cfg(test)]
mod tests;
