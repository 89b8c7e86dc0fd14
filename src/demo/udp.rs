//! The UDP time peers, the classic datagram lesson: the client sends a strftime-style format,
//! the server answers with the current time in that format.

use std::fmt::Write as _;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};

use chrono::format::StrftimeItems;

use super::plan::{Plan, udp_server_and_client};
use super::{
    Call, CloseReason, DemoConfig, Detail, Failure, Flags, Log, Payload, PeerResult, WAKE_INTERVAL,
    retry,
};
use crate::Result;

/// Binds the time server; the client asks it.
pub(super) fn plan(config: &DemoConfig) -> Result<Plan> {
    udp_server_and_client(config, server, client)
}

/// Largest request the server reads; longer datagrams are cut (as recvfrom does).
const MAX_DATAGRAM: usize = 2048;

/// The current local time formatted with `format`, or an explanation when it is not a valid
/// format string. Never panics.
pub fn format_time(format: &str) -> String {
    let items = match StrftimeItems::new(format).parse() {
        Ok(items) => items,
        Err(_) => return format!("error: invalid time format {format:?}"),
    };
    let mut out = String::new();
    match write!(
        out,
        "{}",
        chrono::Local::now().format_with_items(items.iter())
    ) {
        Ok(()) => out,
        Err(_) => format!("error: cannot format the time with {format:?}"),
    }
}

pub(super) fn set_timeouts(socket: &UdpSocket, config: &DemoConfig) -> PeerResult {
    socket
        .set_read_timeout(Some(WAKE_INTERVAL))
        .and_then(|()| socket.set_write_timeout(Some(config.io_timeout)))
        .map_err(|e| format!("cannot set socket timeouts: {e}"))
}

pub(super) fn send_to(socket: &UdpSocket, bytes: &[u8], to: SocketAddr, log: &Log) -> PeerResult {
    let detail = Detail::Sending {
        data: Payload::of(bytes),
        to: Some(to),
        echo: false,
    };
    log.before(Call::SendTo, detail);
    match socket.send_to(bytes, to) {
        Ok(n) => {
            log.after(Call::SendTo, Detail::SentDatagram(n));
            Ok(())
        }
        Err(e) => Err(log.failed(Call::SendTo, Failure::of(&e))),
    }
}

pub(super) fn close(socket: UdpSocket, log: &Log) {
    log.before(Call::Close, Detail::Closing(CloseReason::Udp));
    drop(socket);
    log.after(Call::Close, Detail::Closed);
}

pub(super) fn received(buf: &[u8], from: SocketAddr) -> Detail {
    Detail::Received {
        data: Payload::of(buf),
        from: Some(from),
    }
}

/// The time server: answers one request per configured message.
fn server(socket: UdpSocket, config: &DemoConfig, flags: &Flags, log: &Log) -> PeerResult {
    set_timeouts(&socket, config)?;
    let mut buf = [0u8; MAX_DATAGRAM];
    for _ in 0..config.messages.len() {
        log.before(Call::RecvFrom, Detail::WaitingForRequest);
        let (n, peer) = retry(flags, config.io_timeout, || socket.recv_from(&mut buf))
            .map_err(|f| log.failed(Call::RecvFrom, f))?;
        log.after(Call::RecvFrom, received(&buf[..n], peer));
        let reply = format_time(&String::from_utf8_lossy(&buf[..n]));
        send_to(&socket, reply.as_bytes(), peer, log)?;
    }
    close(socket, log);
    Ok(())
}

/// The client: one request and one answer per message.
fn client(addr: SocketAddr, config: &DemoConfig, flags: &Flags, log: &Log) -> PeerResult {
    let any: IpAddr = if addr.is_ipv6() {
        Ipv6Addr::LOCALHOST.into()
    } else {
        Ipv4Addr::LOCALHOST.into()
    };
    let socket = UdpSocket::bind(SocketAddr::new(any, 0))
        .map_err(|e| format!("cannot bind the client socket: {e}"))?;
    set_timeouts(&socket, config)?;
    let mut buf = [0u8; MAX_DATAGRAM];
    for message in &config.messages {
        if flags.raised() {
            close(socket, log);
            return Err(Failure::Stopped.to_string());
        }
        send_to(&socket, message.as_bytes(), addr, log)?;
        log.before(Call::RecvFrom, Detail::WaitingForAnswer(addr));
        let (n, from) = retry(flags, config.io_timeout, || socket.recv_from(&mut buf))
            .map_err(|f| log.failed(Call::RecvFrom, f))?;
        log.after(Call::RecvFrom, received(&buf[..n], from));
    }
    close(socket, log);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_formats_are_answered_not_panicked() {
        assert_eq!(format_time("%Y").len(), 4);
        assert!(format_time("%Q").starts_with("error"));
        assert!(format_time("%").starts_with("error"));
        assert_eq!(format_time("plain"), "plain");
    }
}
