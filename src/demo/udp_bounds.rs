//! UDP keeps message boundaries: one sendto() is one datagram is one recvfrom(), even when the
//! reader comes late and finds them all queued. A datagram larger than the reader's buffer is
//! cut (recv() with MSG_TRUNC tells its whole length) and the rest is lost.

use std::net::{IpAddr, SocketAddr, UdpSocket};
use std::time::Duration;

use super::calls::sleep;
use super::plan::{Plan, udp_server_and_client};
use super::udp::{close, received, send_to, set_timeouts};
use super::{Call, DemoConfig, Detail, Flags, Log, Payload, PeerResult, retry, sock};
use crate::Result;

/// Size of the datagram the server reads with a small buffer.
pub const BIG: usize = 3000;

/// The small buffer.
pub const SMALL_BUFFER: usize = 1024;

/// Largest UDP payload: a buffer this size never cuts a datagram.
const FULL_BUFFER: usize = 65_507;

/// How long the server is busy before it reads.
const LATE: Duration = Duration::from_millis(50);

/// The server and the client.
pub(super) fn plan(config: &DemoConfig) -> Result<Plan> {
    udp_server_and_client(config, server, client)
}

/// The bytes of the big datagram: digits, so the cut is easy to see.
pub fn big_datagram() -> Vec<u8> {
    (0..BIG).map(|i| b'0' + (i % 10) as u8).collect()
}

fn client(addr: SocketAddr, config: &DemoConfig, flags: &Flags, log: &Log) -> PeerResult {
    let any = SocketAddr::new(
        if addr.is_ipv6() {
            IpAddr::from(std::net::Ipv6Addr::LOCALHOST)
        } else {
            IpAddr::from(std::net::Ipv4Addr::LOCALHOST)
        },
        0,
    );
    let socket = UdpSocket::bind(any).map_err(|e| format!("cannot bind the client socket: {e}"))?;
    set_timeouts(&socket, config)?;
    for message in &config.messages {
        if flags.raised() {
            break;
        }
        send_to(&socket, message.as_bytes(), addr, log)?;
    }
    send_to(&socket, &big_datagram(), addr, log)?;
    close(socket, log);
    Ok(())
}

fn server(socket: UdpSocket, config: &DemoConfig, flags: &Flags, log: &Log) -> PeerResult {
    set_timeouts(&socket, config)?;
    sleep(LATE, flags, log)?;
    let mut buf = vec![0u8; FULL_BUFFER];
    let mut client = None;
    for _ in &config.messages {
        log.before(Call::RecvFrom, Detail::ReadingUpTo(FULL_BUFFER));
        let (n, from) = retry(flags, config.io_timeout, || socket.recv_from(&mut buf))
            .map_err(|f| log.failed(Call::RecvFrom, f))?;
        log.after(Call::RecvFrom, received(&buf[..n], from));
        client = Some(from);
    }
    let mut small = [0u8; SMALL_BUFFER];
    log.before(Call::RecvFrom, Detail::ReadingUpTo(SMALL_BUFFER));
    let full = retry(flags, config.io_timeout, || {
        sock::recv_trunc(&socket, &mut small)
    })
    .map_err(|f| log.failed(Call::RecvFrom, f))?;
    let kept = full.min(SMALL_BUFFER);
    log.after(
        Call::RecvFrom,
        Detail::Truncated {
            data: Payload::of(&small[..kept]),
            full,
            from: client,
        },
    );
    close(socket, log);
    if full <= kept {
        return Err(format!("the {full}-byte datagram was not cut"));
    }
    Ok(())
}
