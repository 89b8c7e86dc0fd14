//! Nobody listens: connect() to a closed TCP port is answered by RST/ACK and fails with
//! ECONNREFUSED; a datagram to a closed UDP port is answered by ICMP port unreachable, which a
//! connected UDP socket reports as ECONNREFUSED on its next call and an unconnected one never
//! hears about.

use std::net::{SocketAddr, UdpSocket};
use std::os::fd::OwnedFd;
use std::time::Duration;

use super::plan::{Peer, Plan, loopback};
use super::udp::{close as close_udp, send_to, set_timeouts};
use super::{
    Call, DemoConfig, Detail, Failure, Flags, Log, OsError, Payload, PeerResult, Side, retry, sock,
};
use crate::{Error, Result};

/// How long the unconnected socket waits for an answer that never comes.
pub const SILENCE: Duration = Duration::from_millis(300);

/// Reserves a TCP port that is bound but never listens, and a UDP port nobody has.
pub(super) fn plan(config: &DemoConfig) -> Result<Plan> {
    let ip = loopback(config);
    let reserve = |e: std::io::Error| Error::Demo(format!("cannot reserve a closed port: {e}"));
    let (closed_tcp, tcp_addr) = sock::bound_tcp(SocketAddr::new(ip, 0)).map_err(reserve)?;
    // A UDP port that was free a moment ago: nothing is bound to it now.
    let udp_addr = UdpSocket::bind(SocketAddr::new(ip, 0))
        .and_then(|s| s.local_addr())
        .map_err(reserve)?;
    let filter = format!(
        "(tcp port {}) or (udp port {}) or icmp or icmp6",
        tcp_addr.port(),
        udp_addr.port()
    );
    let c = config.clone();
    let mut plan = Plan::new(tcp_addr, filter, Vec::new()).peer(Peer::new(
        Side::Client,
        "client",
        Box::new(move |f, l| client(closed_tcp, tcp_addr, udp_addr, &c, f, l)),
    ));
    plan.facts.closed = vec![tcp_addr, udp_addr];
    Ok(plan)
}

fn refused(detail: &Detail) -> bool {
    matches!(
        detail,
        Detail::Failed(Failure::Os {
            kind: OsError::ConnectionRefused,
            ..
        })
    )
}

fn client(
    closed_tcp: OwnedFd,
    tcp: SocketAddr,
    udp: SocketAddr,
    config: &DemoConfig,
    flags: &Flags,
    log: &Log,
) -> PeerResult {
    // 1. TCP: SYN, RST/ACK, ECONNREFUSED.
    let (fd, local) = sock::bound_tcp(SocketAddr::new(tcp.ip(), 0))
        .map_err(|e| format!("cannot make the client socket: {e}"))?;
    let log_tcp = log.on(local);
    log_tcp.before(Call::Connect, Detail::Connecting(tcp));
    match sock::connect_bound(fd, tcp, config.io_timeout) {
        Ok(stream) => {
            log_tcp.after(Call::Connect, Detail::Connected { local, peer: tcp });
            drop(stream);
            return Err(format!(
                "connect() to {tcp} succeeded: something listens there"
            ));
        }
        Err(e) => {
            let failure = Failure::of(&e);
            log_tcp.after(Call::Connect, Detail::Failed(failure));
            if !refused(&Detail::Failed(failure)) {
                return Err(format!("connect() to {tcp}: {e}"));
            }
        }
    }
    drop(closed_tcp);

    // 2. A connected UDP socket is told: its next recv() fails with ECONNREFUSED.
    let socket = UdpSocket::bind(SocketAddr::new(udp.ip(), 0))
        .map_err(|e| format!("cannot bind the client socket: {e}"))?;
    set_timeouts(&socket, config)?;
    log.before(Call::Connect, Detail::Associating(udp));
    socket
        .connect(udp)
        .map_err(|e| log.failed(Call::Connect, Failure::of(&e)))?;
    let local = socket.local_addr().map_err(|e| e.to_string())?;
    log.after(Call::Connect, Detail::Associated { local, peer: udp });
    let hello = b"anyone there?";
    log.before(
        Call::Send,
        Detail::Sending {
            data: Payload::of(hello),
            to: None,
            echo: false,
        },
    );
    match socket.send(hello) {
        Ok(n) => log.after(Call::Send, Detail::SentDatagram(n)),
        Err(e) => return Err(log.failed(Call::Send, Failure::of(&e))),
    }
    let mut buf = [0u8; 2048];
    log.before(Call::Recv, Detail::WaitingForAnswer(udp));
    match retry(flags, config.io_timeout, || socket.recv(&mut buf)) {
        Ok(n) => {
            log.after(
                Call::Recv,
                Detail::Received {
                    data: Payload::of(&buf[..n]),
                    from: Some(udp),
                },
            );
            return Err(format!("{udp} answered: something listens there"));
        }
        Err(failure) => {
            log.after(Call::Recv, Detail::Failed(failure));
            if !refused(&Detail::Failed(failure)) {
                return Err(format!("recv() from {udp}: {failure}"));
            }
        }
    }
    close_udp(socket, log);

    // 3. An unconnected socket is not told: recvfrom() just waits.
    let socket = UdpSocket::bind(SocketAddr::new(udp.ip(), 0))
        .map_err(|e| format!("cannot bind the client socket: {e}"))?;
    set_timeouts(&socket, config)?;
    send_to(&socket, b"anyone?", udp, log)?;
    log.before(Call::RecvFrom, Detail::WaitingForAnswer(udp));
    match retry(flags, SILENCE, || socket.recv_from(&mut buf)) {
        Ok((n, from)) => {
            log.after(Call::RecvFrom, super::udp::received(&buf[..n], from));
            return Err(format!("{from} answered: something listens there"));
        }
        Err(Failure::Stopped) => return Err(log.failed(Call::RecvFrom, Failure::Stopped)),
        Err(failure) => log.after(Call::RecvFrom, Detail::Failed(failure)),
    }
    close_udp(socket, log);
    Ok(())
}
