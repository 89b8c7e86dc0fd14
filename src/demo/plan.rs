//! What [`super::Demo::prepare`] makes ready: the bound sockets inside the peers waiting to
//! run, the namespaces and the relay, the filter, and the facts the lesson will need.

use std::fs::File;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, UdpSocket};

use super::net::{NETNS_DIR, NetError, NetLab};
use super::relay::{Relay, RelayConfig, RelayReport};
use super::{AppEvent, Call, DemoConfig, Detail, Flags, Log, PeerResult, Phase, Side};
use crate::time::Timestamp;
use crate::{Error, Result};

/// A peer's body: runs on its own thread with the stop flags and its log.
pub(super) type PeerFn = Box<dyn FnOnce(&Flags, &Log) -> PeerResult + Send>;

/// One peer thread to start.
pub(super) struct Peer {
    pub(super) side: Side,
    pub(super) name: String,
    /// The namespace role the thread enters first (namespace demos).
    pub(super) role: Option<&'static str>,
    pub(super) body: PeerFn,
}

impl Peer {
    pub(super) fn new(side: Side, name: impl Into<String>, body: PeerFn) -> Peer {
        Peer {
            side,
            name: name.into(),
            role: None,
            body,
        }
    }

    /// The same peer, run inside the namespace of `role`.
    pub(super) fn inside(mut self, role: &'static str) -> Peer {
        self.role = Some(role);
        self
    }
}

/// The namespaces of a demo, its relay (until started) and where it captures.
pub(super) struct Lab {
    pub(super) net: NetLab,
    pub(super) relay: Option<(Relay, RelayConfig)>,
    pub(super) capture_role: &'static str,
    pub(super) iface: String,
}

impl Lab {
    /// The open namespace file of `role`, for a thread to enter.
    pub(super) fn namespace(&self, role: &str) -> Result<File> {
        let name = self
            .net
            .ns_name(role)
            .ok_or_else(|| NetError::Spec(format!("no namespace with role {role:?}")))?;
        File::open(format!("{NETNS_DIR}/{name}"))
            .map_err(|e| Error::Demo(format!("cannot open namespace {name}: {e}")))
    }
}

/// Host a and host b of a namespace demo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hosts {
    /// Host a's address (the client).
    pub a: Ipv4Addr,
    /// Host b's address (the server).
    pub b: Ipv4Addr,
    /// The prefix length both are configured with.
    pub prefix: u8,
    /// Host a's MAC address.
    pub mac_a: [u8; 6],
    /// Host b's MAC address.
    pub mac_b: [u8; 6],
}

/// What a lesson needs to know besides the packets and the calls.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DemoFacts {
    /// Addresses nobody listens on (the refused demo).
    pub closed: Vec<SocketAddr>,
    /// The two hosts of a namespace demo.
    pub hosts: Option<Hosts>,
    /// What the relay of the lossy path did.
    pub relay: Option<RelayReport>,
    /// The lossy path's loss fraction and seed.
    pub impairment: Option<(f64, u64)>,
}

/// How a demo ended: the peers' errors and the facts for its lesson.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DemoOutcome {
    /// Problems the peers reported (empty when the conversation completed).
    pub errors: Vec<String>,
    /// What the lesson needs besides packets and calls.
    pub facts: DemoFacts,
}

/// Everything prepared.
pub(super) struct Plan {
    pub(super) server: SocketAddr,
    pub(super) filter: String,
    pub(super) setup: Vec<AppEvent>,
    pub(super) peers: Vec<Peer>,
    pub(super) lab: Option<Lab>,
    pub(super) facts: DemoFacts,
}

impl Plan {
    /// A loopback plan: the server at `server`, the filter, the calls already made.
    pub(super) fn new(server: SocketAddr, filter: String, setup: Vec<AppEvent>) -> Plan {
        Plan {
            server,
            filter,
            setup,
            peers: Vec::new(),
            lab: None,
            facts: DemoFacts::default(),
        }
    }

    pub(super) fn peer(mut self, peer: Peer) -> Plan {
        self.peers.push(peer);
        self
    }
}

/// 127.0.0.1, or ::1 with `ipv6`.
pub(super) fn loopback(config: &DemoConfig) -> IpAddr {
    if config.ipv6 {
        Ipv6Addr::LOCALHOST.into()
    } else {
        Ipv4Addr::LOCALHOST.into()
    }
}

/// The server's address to bind on loopback: the configured port or 0.
pub(super) fn server_want(config: &DemoConfig) -> SocketAddr {
    SocketAddr::new(loopback(config), config.port.unwrap_or(0))
}

/// A call made before the capture opened, as its two events.
pub(super) fn made(
    side: Side,
    call: Call,
    started: Timestamp,
    before: Detail,
    after: Detail,
) -> [AppEvent; 2] {
    let event = |ts, phase, detail| AppEvent {
        ts,
        side,
        call,
        phase,
        detail,
        conn: None,
    };
    [
        event(started, Phase::Before, before),
        event(Timestamp::now(), Phase::After, after),
    ]
}

fn bind_error(config: &DemoConfig, want: SocketAddr) -> impl Fn(io::Error) -> Error + '_ {
    move |e| {
        Error::Demo(format!(
            "cannot bind the {} server to {want}: {e}",
            config.kind
        ))
    }
}

/// bind() + listen() of the server on loopback, and its two logged events.
pub(super) fn listen(config: &DemoConfig) -> Result<(TcpListener, SocketAddr, Vec<AppEvent>)> {
    let want = server_want(config);
    let started = Timestamp::now();
    let listener = TcpListener::bind(want).map_err(bind_error(config, want))?;
    let addr = listener.local_addr().map_err(bind_error(config, want))?;
    Ok((listener, addr, listen_events(started, want, addr)))
}

/// The logged call and return of a server's bind() + listen() on `want`, bound to `addr`.
pub(super) fn listen_events(
    started: Timestamp,
    want: SocketAddr,
    addr: SocketAddr,
) -> Vec<AppEvent> {
    made(
        Side::Server,
        Call::Listen,
        started,
        Detail::Address(want),
        Detail::Listening { addr, backlog: 128 },
    )
    .to_vec()
}

/// A TCP server listening on loopback and a client connecting to it: the plan of most
/// lessons. Each peer gets its own copy of the configuration.
pub(super) fn server_and_client(
    config: &DemoConfig,
    server: impl FnOnce(TcpListener, &DemoConfig, &Flags, &Log) -> PeerResult + Send + 'static,
    client: impl FnOnce(SocketAddr, &DemoConfig, &Flags, &Log) -> PeerResult + Send + 'static,
) -> Result<Plan> {
    let (listener, addr, setup) = listen(config)?;
    let (c1, c2) = (config.clone(), config.clone());
    Ok(Plan::new(addr, port_filter("tcp", addr.port()), setup)
        .peer(Peer::new(
            Side::Server,
            "server",
            Box::new(move |f, l| server(listener, &c1, f, l)),
        ))
        .peer(Peer::new(
            Side::Client,
            "client",
            Box::new(move |f, l| client(addr, &c2, f, l)),
        )))
}

/// A UDP server bound on loopback and a client sending to it.
pub(super) fn udp_server_and_client(
    config: &DemoConfig,
    server: impl FnOnce(UdpSocket, &DemoConfig, &Flags, &Log) -> PeerResult + Send + 'static,
    client: impl FnOnce(SocketAddr, &DemoConfig, &Flags, &Log) -> PeerResult + Send + 'static,
) -> Result<Plan> {
    let (socket, addr, setup) = bind_udp(config)?;
    let (c1, c2) = (config.clone(), config.clone());
    Ok(Plan::new(addr, port_filter("udp", addr.port()), setup)
        .peer(Peer::new(
            Side::Server,
            "server",
            Box::new(move |f, l| server(socket, &c1, f, l)),
        ))
        .peer(Peer::new(
            Side::Client,
            "client",
            Box::new(move |f, l| client(addr, &c2, f, l)),
        )))
}

/// bind() of a UDP server on loopback, and its two logged events.
pub(super) fn bind_udp(config: &DemoConfig) -> Result<(UdpSocket, SocketAddr, Vec<AppEvent>)> {
    let want = server_want(config);
    let started = Timestamp::now();
    let socket = UdpSocket::bind(want).map_err(bind_error(config, want))?;
    let addr = socket.local_addr().map_err(bind_error(config, want))?;
    let events = made(
        Side::Server,
        Call::Bind,
        started,
        Detail::Address(want),
        Detail::Bound(addr),
    );
    Ok((socket, addr, events.to_vec()))
}

/// The usual loopback filter: the server's port plus ICMP errors.
pub(super) fn port_filter(proto: &str, port: u16) -> String {
    format!("({proto} port {port}) or icmp or icmp6")
}
