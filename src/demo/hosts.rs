//! Two hosts on one Ethernet: network namespaces `a` (192.0.2.1/24) and `b` (192.0.2.2/24)
//! joined by a veth pair with real MAC addresses, MTU 1500 and empty ARP caches. The client on
//! a connects to the server on b: a asks who has 192.0.2.2 (ARP) before its first SYN, because
//! 192.0.2.2 AND 255.255.255.0 equals a's own network; then it sends more than one MSS, so
//! full-sized segments appear. The capture runs on a's veth, inside a.

use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener, TcpStream};

use super::calls::{accept, close, connect, recv, recv_exact, send};
use super::net::{LabSpec, NetLab};
use super::plan::{Hosts, Lab, Peer, Plan, listen_events};
use super::{CloseReason, DemoConfig, Detail, Flags, Log, PeerResult, Side};
use crate::time::Timestamp;
use crate::{Error, Result};

/// What the client sends: five full segments and a bit (MSS 1448 with timestamps).
pub const UPLOAD: usize = 8000;

/// Builds the namespaces of `spec` and the facts about its two hosts.
pub(super) fn build(config: &DemoConfig, spec: &LabSpec) -> Result<(NetLab, Hosts, String)> {
    let net = NetLab::create(spec)?;
    let end = |role: &str| {
        spec.links
            .iter()
            .flat_map(|l| [&l.a, &l.b])
            .find(|e| e.role == role && e.addr.is_some())
            .cloned()
            .ok_or_else(|| Error::Demo(format!("the lab has no host {role}")))
    };
    let (a, b) = (end("a")?, end("b")?);
    let (Some(addr_a), Some(addr_b)) = (a.addr, b.addr) else {
        return Err(Error::Demo("the hosts have no addresses".into()));
    };
    let hosts = Hosts {
        a: addr_a.addr,
        b: addr_b.addr,
        prefix: addr_a.prefix,
        mac_a: a.mac,
        mac_b: b.mac,
    };
    let iface = config.default_interface();
    if a.ifname != iface {
        return Err(Error::Demo(format!("host a's interface is {}", a.ifname)));
    }
    Ok((net, hosts, iface))
}

/// bind() + listen() inside host b.
pub(super) fn listen_in_b(
    net: &NetLab,
    hosts: &Hosts,
    config: &DemoConfig,
) -> Result<(TcpListener, SocketAddr, Vec<super::AppEvent>)> {
    let want = SocketAddr::new(IpAddr::V4(hosts.b), config.port.unwrap_or(0));
    let started = Timestamp::now();
    let listener = net
        .run_in("b", || TcpListener::bind(want))?
        .map_err(|e| Error::Demo(format!("cannot listen on {want} in host b: {e}")))?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::Demo(e.to_string()))?;
    Ok((listener, addr, listen_events(started, want, addr)))
}

/// The two namespaces, the server in b, the client in a.
pub(super) fn plan(config: &DemoConfig) -> Result<Plan> {
    let (net, hosts, iface) = build(config, &LabSpec::two_hosts(&config.netns_prefix))?;
    let (listener, addr, setup) = listen_in_b(&net, &hosts, config)?;
    let (c1, c2) = (config.clone(), config.clone());
    let mut plan = Plan::new(addr, "arp or ip".into(), setup)
        .peer(
            Peer::new(
                Side::Server,
                "server",
                Box::new(move |f, l| server(listener, &c1, f, l)),
            )
            .inside("b"),
        )
        .peer(
            Peer::new(
                Side::Client,
                "client",
                Box::new(move |f, l| client(addr, &c2, f, l)),
            )
            .inside("a"),
        );
    plan.facts.hosts = Some(hosts);
    plan.lab = Some(Lab {
        net,
        relay: None,
        capture_role: "a",
        iface,
    });
    Ok(plan)
}

/// The bytes the client uploads.
pub(super) fn upload(size: usize) -> Vec<u8> {
    (0..size).map(|i| b'A' + (i % 26) as u8).collect()
}

fn client(addr: SocketAddr, config: &DemoConfig, flags: &Flags, log: &Log) -> PeerResult {
    let (mut stream, local) = connect(addr, config, log)?;
    let log = &log.on(local);
    send(&mut stream, &upload(UPLOAD), log, false)?;
    let answer = recv(&mut stream, 4096, config, flags, log)?;
    if answer.is_empty() {
        return Err("the server closed without answering".into());
    }
    close(stream, log, CloseReason::ClientFirst);
    Ok(())
}

fn server(listener: TcpListener, config: &DemoConfig, flags: &Flags, log: &Log) -> PeerResult {
    let (stream, peer) = accept(&listener, config, flags, log)?;
    drop(listener);
    let log = &log.on(peer);
    take_upload(stream, UPLOAD, config, flags, log)
}

/// The server's part of an upload: read `size` bytes, answer how many came, read the
/// client's end of file, close.
pub(super) fn take_upload(
    mut stream: TcpStream,
    size: usize,
    config: &DemoConfig,
    flags: &Flags,
    log: &Log,
) -> PeerResult {
    recv_exact(
        &mut stream,
        size,
        Detail::ReadingUpTo(size),
        config,
        flags,
        log,
    )?;
    send(
        &mut stream,
        format!("got {size} bytes").as_bytes(),
        log,
        false,
    )?;
    if !recv(&mut stream, 4096, config, flags, log)?.is_empty() {
        return Err("more bytes than the client sent".into());
    }
    close(stream, log, CloseReason::AfterEof);
    Ok(())
}

/// `addr AND mask` for a prefix length.
pub fn network(addr: Ipv4Addr, prefix: u8) -> Ipv4Addr {
    Ipv4Addr::from(u32::from(addr) & mask(prefix))
}

/// The subnet mask of a prefix length, as a number.
pub fn mask(prefix: u8) -> u32 {
    if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - u32::from(prefix.min(32)))
    }
}
