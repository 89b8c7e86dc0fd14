//! A lossy path: the two hosts of [`super::hosts`] with a relay namespace between them that
//! forwards Ethernet frames and drops a chosen fraction of TCP data segments and UDP datagrams,
//! decided from `--seed` (the same seed drops the same segments). The client uploads over TCP
//! (the sender resends what was lost, the receiver's duplicate ACKs report the hole while later
//! segments arrive out of order), then pings over UDP, where a lost datagram is simply gone.
//!
//! For repeatable frame counts both hosts acknowledge every segment at once (route option
//! `quickack`) and send no tail-loss probes (`tcp_early_retrans` 0): then each lost segment is
//! sent exactly twice and every arriving segment is acknowledged once.

use std::net::{IpAddr, SocketAddr, UdpSocket};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::time::Duration;

use super::calls::{accept, close, connect, recv, send, wait_for_bytes};
use super::net::{LabSpec, NetLab};
use super::plan::{Hosts, Lab, Peer, Plan, made};
use super::relay::{Impairment, Relay, RelayConfig};
use super::udp::{close as close_udp, received, send_to, set_timeouts};
use super::{Call, CloseReason, DemoConfig, Detail, Failure, Flags, Log, PeerResult, Side, retry};
use crate::time::Timestamp;
use crate::{Error, Result};

/// What the client uploads: 20 full segments.
pub const UPLOAD: usize = 20 * 1448;

/// UDP requests the client sends.
pub const PINGS: usize = 10;

/// How long the client waits for each UDP answer.
pub const PING_WAIT: Duration = Duration::from_millis(250);

/// Longest the relay runs.
const RELAY_DEADLINE: Duration = Duration::from_secs(30);

fn settle(net: &NetLab, hosts: &Hosts, prefix: &str) -> Result<()> {
    for (role, own) in [("a", hosts.a), ("b", hosts.b)] {
        let net_addr = super::hosts::network(own, hosts.prefix);
        net.ip(
            role,
            &[format!(
                "route replace {net_addr}/{} dev {prefix}-{role} proto kernel scope link src \
                 {own} quickack 1",
                hosts.prefix
            )],
        )?;
        net.sysctl(role, "ipv4/tcp_early_retrans", "0")?;
    }
    Ok(())
}

/// The three namespaces, the relay (started with the peers), the servers in b, the client in a.
pub(super) fn plan(config: &DemoConfig) -> Result<Plan> {
    let prefix = config.netns_prefix.clone();
    let (net, hosts, iface) = super::hosts::build(config, &LabSpec::relayed(&prefix))?;
    settle(&net, &hosts, &prefix)?;
    let (ra, rb) = (format!("{prefix}-ra"), format!("{prefix}-rb"));
    let relay = net.run_in("r", || Relay::open(&ra, &rb))??;
    let mut relay_cfg = RelayConfig::new(Impairment::loss(config.loss, config.seed));
    relay_cfg.deadline = RELAY_DEADLINE;
    let (listener, addr, mut setup) = super::hosts::listen_in_b(&net, &hosts, config)?;
    let udp_want = SocketAddr::new(IpAddr::V4(hosts.b), addr.port());
    let started = Timestamp::now();
    let udp = net
        .run_in("b", || UdpSocket::bind(udp_want))?
        .map_err(|e| Error::Demo(format!("cannot bind {udp_want} in host b: {e}")))?;
    setup.extend(made(
        Side::Server,
        Call::Bind,
        started,
        Detail::Address(udp_want),
        Detail::Bound(udp_want),
    ));
    let (done_tx, done_rx) = sync_channel(1);
    let (c1, c2, c3) = (config.clone(), config.clone(), config.clone());
    let mut plan = Plan::new(addr, "arp or ip".into(), setup)
        .peer(
            Peer::new(
                Side::Server,
                "server",
                Box::new(move |f, l| tcp_server(listener, &c1, f, l)),
            )
            .inside("b"),
        )
        .peer(
            Peer::new(
                Side::Server,
                "udp-server",
                Box::new(move |f, l| udp_server(udp, &c2, done_rx, f, l)),
            )
            .inside("b"),
        )
        .peer(
            Peer::new(
                Side::Client,
                "client",
                Box::new(move |f, l| client(addr, udp_want, &c3, done_tx, f, l)),
            )
            .inside("a"),
        );
    plan.facts.hosts = Some(hosts);
    plan.facts.impairment = Some((config.loss, config.seed));
    plan.lab = Some(Lab {
        net,
        relay: Some((relay, relay_cfg)),
        capture_role: "a",
        iface,
    });
    Ok(plan)
}

/// The text of UDP request `i`.
pub fn ping(i: usize) -> String {
    format!("ping {i}")
}

fn client(
    addr: SocketAddr,
    udp: SocketAddr,
    config: &DemoConfig,
    done: SyncSender<()>,
    flags: &Flags,
    log: &Log,
) -> PeerResult {
    let (mut stream, local) = connect(addr, config, log)?;
    let tcp_log = &log.on(local);
    send(&mut stream, &super::hosts::upload(UPLOAD), tcp_log, false)?;
    if recv(&mut stream, 4096, config, flags, tcp_log)?.is_empty() {
        return Err("the server closed without answering".into());
    }
    close(stream, tcp_log, CloseReason::ClientFirst);

    let any = SocketAddr::new(local.ip(), 0);
    let socket = UdpSocket::bind(any).map_err(|e| format!("cannot bind the UDP socket: {e}"))?;
    set_timeouts(&socket, config)?;
    let mut buf = [0u8; 2048];
    for i in 1..=PINGS {
        if flags.raised() {
            break;
        }
        send_to(&socket, ping(i).as_bytes(), udp, log)?;
        log.before(Call::RecvFrom, Detail::WaitingForAnswer(udp));
        match retry(flags, PING_WAIT, || socket.recv_from(&mut buf)) {
            Ok((n, from)) => log.after(Call::RecvFrom, received(&buf[..n], from)),
            Err(Failure::Stopped) => return Err(log.failed(Call::RecvFrom, Failure::Stopped)),
            // Lost on the way there or back: nobody resends a datagram.
            Err(failure) => log.after(Call::RecvFrom, Detail::Failed(failure)),
        }
    }
    close_udp(socket, log);
    let _ = done.send(());
    Ok(())
}

fn tcp_server(
    listener: std::net::TcpListener,
    config: &DemoConfig,
    flags: &Flags,
    log: &Log,
) -> PeerResult {
    let (stream, peer) = accept(&listener, config, flags, log)?;
    drop(listener);
    let log = &log.on(peer);
    // One read once everything is in: the ACKs do not depend on when the server reads.
    wait_for_bytes(&stream, UPLOAD, config, flags, log)?;
    super::hosts::take_upload(stream, UPLOAD, config, flags, log)
}

/// Answers every ping until the client says it is done.
fn udp_server(
    socket: UdpSocket,
    config: &DemoConfig,
    done: Receiver<()>,
    flags: &Flags,
    log: &Log,
) -> PeerResult {
    set_timeouts(&socket, config)?;
    let mut buf = [0u8; 2048];
    let mut answered = 0;
    // Waits up to the whole TCP part plus every ping, then one more second.
    let patience = config.io_timeout * 4 + PING_WAIT * PINGS as u32;
    while answered < PINGS {
        log.before(Call::RecvFrom, Detail::WaitingForRequest);
        let mut client_done = false;
        let got = retry(flags, patience, || {
            if done.try_recv().is_ok() {
                client_done = true;
                return Err(std::io::Error::other("the client is done"));
            }
            socket.recv_from(&mut buf)
        });
        let (n, from) = match got {
            Ok(got) => got,
            Err(_) if client_done => {
                log.after(Call::RecvFrom, Detail::ClientDone);
                break;
            }
            Err(f) => return Err(log.failed(Call::RecvFrom, f)),
        };
        log.after(Call::RecvFrom, received(&buf[..n], from));
        let answer = String::from_utf8_lossy(&buf[..n]).replace("ping", "pong");
        send_to(&socket, answer.as_bytes(), from, log)?;
        answered += 1;
    }
    close_udp(socket, log);
    Ok(())
}
