//! A threaded server (like Python's `socketserver.ThreadingTCPServer`): one listening socket,
//! one thread per accepted connection, serving N clients at once. Each client binds to port 0
//! first — the kernel picks a free port — so the N connections share the server's address and
//! port and differ only in the client's port: N 4-tuples.

use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use super::calls::{accept, close, recv, send, set_timeouts, sleep};
use super::plan::{Peer, Plan, listen, port_filter};
use super::{
    Call, CloseReason, DemoConfig, Detail, Failure, Flags, Log, Payload, PeerResult, Side, sock,
};
use crate::Result;
use crate::time::Timestamp;

/// Requests each client sends.
pub const ROUNDS: usize = 2;

/// Pause of each client between its requests, so the streams interleave.
const PAUSE: Duration = Duration::from_millis(10);

/// Lets the clients start sending together, once all are connected (bounded wait).
struct Gate {
    waiting: Mutex<usize>,
    open: Condvar,
}

impl Gate {
    fn new(n: usize) -> Gate {
        Gate {
            waiting: Mutex::new(n),
            open: Condvar::new(),
        }
    }

    /// Counts this client in and waits for the others, at most `timeout`.
    fn arrive(&self, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        let mut left = self.waiting.lock().unwrap_or_else(|e| e.into_inner());
        *left = left.saturating_sub(1);
        self.open.notify_all();
        while *left > 0 {
            let now = Instant::now();
            if now >= deadline {
                return;
            }
            left = match self.open.wait_timeout(left, deadline - now) {
                Ok((guard, _)) => guard,
                Err(e) => e.into_inner().0,
            };
        }
    }
}

/// The server and N clients.
pub(super) fn plan(config: &DemoConfig) -> Result<Plan> {
    let (listener, addr, setup) = listen(config)?;
    let c = config.clone();
    let mut plan = Plan::new(addr, port_filter("tcp", addr.port()), setup).peer(Peer::new(
        Side::Server,
        "server",
        Box::new(move |f, l| server(listener, &c, f, l)),
    ));
    let gate = Arc::new(Gate::new(config.clients));
    for i in 1..=config.clients {
        let (c, gate) = (config.clone(), gate.clone());
        plan = plan.peer(Peer::new(
            Side::Client,
            format!("client-{i}"),
            Box::new(move |f, l| client(i, addr, &c, &gate, f, l)),
        ));
    }
    Ok(plan)
}

/// The request `round` of client `i`.
pub fn request(i: usize, round: usize) -> String {
    format!("client {i}, request {round}")
}

fn client(
    i: usize,
    addr: SocketAddr,
    config: &DemoConfig,
    gate: &Gate,
    flags: &Flags,
    log: &Log,
) -> PeerResult {
    let want = SocketAddr::new(addr.ip(), 0);
    let started = Timestamp::now();
    let (fd, local) = match sock::bound_tcp(want) {
        Ok(bound) => bound,
        Err(e) => {
            log.before_at(started, Call::Bind, Detail::Address(want));
            return Err(log.failed(Call::Bind, Failure::of(&e)));
        }
    };
    // Both ends of the call name the connection, so views put it with its stream.
    let log = &log.on(local);
    log.before_at(started, Call::Bind, Detail::Address(want));
    log.after(Call::Bind, Detail::PortPicked(local));
    log.before(Call::Connect, Detail::Connecting(addr));
    let mut stream = match sock::connect_bound(fd, addr, config.io_timeout) {
        Ok(s) => s,
        Err(e) => return Err(log.failed(Call::Connect, Failure::of(&e))),
    };
    log.after(Call::Connect, Detail::Connected { local, peer: addr });
    set_timeouts(&stream, config.io_timeout)?;
    gate.arrive(config.io_timeout);
    for round in 1..=ROUNDS {
        if round > 1 {
            sleep(PAUSE, flags, log)?;
        }
        let text = request(i, round);
        send(&mut stream, text.as_bytes(), log, false)?;
        let answer = recv(&mut stream, 4096, config, flags, log)?;
        if answer.is_empty() {
            return Err("the server closed early".into());
        }
    }
    close(stream, log, CloseReason::ClientFirst);
    Ok(())
}

/// One thread per connection, all joined before the server returns.
fn server(listener: TcpListener, config: &DemoConfig, flags: &Flags, log: &Log) -> PeerResult {
    std::thread::scope(|scope| {
        let mut handlers = Vec::new();
        for _ in 0..config.clients {
            let (stream, peer) = match accept(&listener, config, flags, log) {
                Ok(accepted) => accepted,
                Err(e) => {
                    handlers.push(Err(e));
                    break;
                }
            };
            let log = log.on(peer);
            let spawned = std::thread::Builder::new()
                .name(format!("demo-handler-{}", peer.port()))
                .spawn_scoped(scope, move || handle(stream, config, flags, &log));
            handlers.push(spawned.map_err(|e| format!("cannot start a handler thread: {e}")));
        }
        let mut errors = Vec::new();
        for handler in handlers {
            match handler.map(|h| h.join()) {
                Ok(Ok(Ok(()))) => {}
                Ok(Ok(Err(e))) | Err(e) => errors.push(e),
                Ok(Err(_)) => errors.push("a handler thread panicked".into()),
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors.join("; "))
        }
    })
}

/// Serves one connection: answers every request until the client closes.
fn handle(
    mut stream: std::net::TcpStream,
    config: &DemoConfig,
    flags: &Flags,
    log: &Log,
) -> PeerResult {
    for _ in 0..ROUNDS + 2 {
        let got = recv(&mut stream, 4096, config, flags, log)?;
        if got.is_empty() {
            close(stream, log, CloseReason::AfterEof);
            return Ok(());
        }
        let mut answer = b"ok: ".to_vec();
        answer.extend_from_slice(&got);
        let detail = Detail::Sending {
            data: Payload::of(&answer),
            to: None,
            echo: false,
        };
        super::calls::send_as(&mut stream, &answer, log, detail)?;
    }
    close(stream, log, CloseReason::TooManyReads);
    Err("the client never closed the connection".into())
}
