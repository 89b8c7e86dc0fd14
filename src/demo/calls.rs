//! The TCP socket calls the peers make, each logged when it starts and when it returns, each
//! bounded by the demo's timeout and the stop flags.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::time::{Duration, Instant};

use super::{
    Call, CloseReason, DemoConfig, Detail, Failure, Flags, Log, Payload, PeerResult, SockOpt,
    WAKE_INTERVAL, retry, sock,
};

/// Read/write timeouts: short reads so the stop flags are seen, whole-call bound by `retry`.
pub(super) fn set_timeouts(stream: &TcpStream, io_timeout: Duration) -> PeerResult {
    stream
        .set_read_timeout(Some(WAKE_INTERVAL))
        .and_then(|()| stream.set_write_timeout(Some(io_timeout)))
        .map_err(|e| format!("cannot set socket timeouts: {e}"))
}

/// connect(): blocks until the handshake completes. The log's later calls should be tied to
/// the connection with `log.on(local)`.
pub(super) fn connect(
    addr: SocketAddr,
    config: &DemoConfig,
    log: &Log,
) -> Result<(TcpStream, SocketAddr), String> {
    log.before(Call::Connect, Detail::Connecting(addr));
    let stream = match TcpStream::connect_timeout(&addr, config.io_timeout) {
        Ok(s) => s,
        Err(e) => return Err(log.failed(Call::Connect, Failure::of(&e))),
    };
    let local = stream.local_addr().unwrap_or(addr);
    log.on(local)
        .after(Call::Connect, Detail::Connected { local, peer: addr });
    set_timeouts(&stream, config.io_timeout)?;
    Ok((stream, local))
}

/// accept(): waits for a connection whose handshake is complete.
pub(super) fn accept(
    listener: &TcpListener,
    config: &DemoConfig,
    flags: &Flags,
    log: &Log,
) -> Result<(TcpStream, SocketAddr), String> {
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    log.before(Call::Accept, Detail::WaitingForConnection(addr));
    listener
        .set_nonblocking(true)
        .map_err(|e| log.failed(Call::Accept, Failure::of(&e)))?;
    // A non-blocking accept polled every 2 ms: std has no accept timeout.
    let accepted = retry(flags, config.io_timeout, || {
        listener.accept().inspect_err(|e| {
            if e.kind() == std::io::ErrorKind::WouldBlock {
                std::thread::sleep(Duration::from_millis(2));
            }
        })
    });
    let (stream, peer) = accepted.map_err(|f| log.failed(Call::Accept, f))?;
    log.on(peer).after(Call::Accept, Detail::Accepted(peer));
    stream
        .set_nonblocking(false)
        .map_err(|e| format!("cannot make the connection blocking: {e}"))?;
    set_timeouts(&stream, config.io_timeout)?;
    Ok((stream, peer))
}

/// send() of `bytes` (all of them), described by `detail`.
pub(super) fn send_as(
    stream: &mut TcpStream,
    bytes: &[u8],
    log: &Log,
    detail: Detail,
) -> PeerResult {
    log.before(Call::Send, detail);
    match stream.write_all(bytes) {
        Ok(()) => {
            log.after(Call::Send, Detail::Queued(bytes.len()));
            Ok(())
        }
        Err(e) => Err(log.failed(Call::Send, Failure::of(&e))),
    }
}

/// send() of `bytes`; `echo` when sending back what was read.
pub(super) fn send(stream: &mut TcpStream, bytes: &[u8], log: &Log, echo: bool) -> PeerResult {
    let detail = Detail::Sending {
        data: Payload::of(bytes),
        to: None,
        echo,
    };
    send_as(stream, bytes, log, detail)
}

/// One recv() with a buffer of `size` bytes: what it returned (empty: end of stream).
pub(super) fn recv(
    stream: &mut TcpStream,
    size: usize,
    config: &DemoConfig,
    flags: &Flags,
    log: &Log,
) -> Result<Vec<u8>, String> {
    let mut buf = vec![0u8; size];
    log.before(Call::Recv, Detail::ReadingUpTo(size));
    let n = retry(flags, config.io_timeout, || stream.read(&mut buf))
        .map_err(|f| log.failed(Call::Recv, f))?;
    buf.truncate(n);
    if n == 0 {
        log.after(Call::Recv, Detail::Eof);
    } else {
        log.after(
            Call::Recv,
            Detail::Received {
                data: Payload::of(&buf),
                from: None,
            },
        );
    }
    Ok(buf)
}

/// Reads exactly `n` bytes as one logged call (the loop of recv() calls a program writes to
/// read a known length), described by `detail`.
pub(super) fn recv_exact(
    stream: &mut TcpStream,
    n: usize,
    detail: Detail,
    config: &DemoConfig,
    flags: &Flags,
    log: &Log,
) -> Result<Vec<u8>, String> {
    log.before(Call::Recv, detail);
    let mut buf = vec![0u8; n];
    let mut got = 0;
    while got < n {
        let k = retry(flags, config.io_timeout, || stream.read(&mut buf[got..]))
            .map_err(|f| log.failed(Call::Recv, f))?;
        if k == 0 {
            log.after(Call::Recv, Detail::Eof);
            return Err(format!("recv: peer closed (EOF) after {got} of {n} bytes"));
        }
        got += k;
    }
    log.after(
        Call::Recv,
        Detail::Received {
            data: Payload::of(&buf),
            from: None,
        },
    );
    Ok(buf)
}

/// Reads until the end of the stream with buffers of `size`; fails after `max_reads`.
pub(super) fn recv_until_eof(
    stream: &mut TcpStream,
    size: usize,
    max_reads: usize,
    config: &DemoConfig,
    flags: &Flags,
    log: &Log,
) -> Result<Vec<u8>, String> {
    let mut all = Vec::new();
    for _ in 0..max_reads {
        let got = recv(stream, size, config, flags, log)?;
        if got.is_empty() {
            return Ok(all);
        }
        all.extend_from_slice(&got);
    }
    Err("the peer never closed the connection".into())
}

/// close(): on TCP, sends a FIN (or a RST when unread data is left).
pub(super) fn close(stream: TcpStream, log: &Log, reason: CloseReason) {
    log.before(Call::Close, Detail::Closing(reason));
    drop(stream);
    log.after(Call::Close, Detail::Closed);
}

/// shutdown(SHUT_WR): the FIN goes out, reading goes on.
pub(super) fn shutdown_write(stream: &TcpStream, log: &Log) -> PeerResult {
    log.before(Call::Shutdown, Detail::ShuttingDownWrite);
    match stream.shutdown(Shutdown::Write) {
        Ok(()) => {
            log.after(Call::Shutdown, Detail::WriteShut);
            Ok(())
        }
        Err(e) => Err(log.failed(Call::Shutdown, Failure::of(&e))),
    }
}

/// setsockopt() of a TCP option.
pub(super) fn set_option(stream: &TcpStream, option: SockOpt, log: &Log) -> PeerResult {
    log.before(Call::Setsockopt, Detail::SettingOption(option));
    let result = match option {
        SockOpt::NoDelay(on) => stream.set_nodelay(on),
        SockOpt::QuickAck(on) => sock::set_quickack(stream, on),
    };
    match result {
        Ok(()) => {
            log.after(Call::Setsockopt, Detail::OptionSet);
            Ok(())
        }
        Err(e) => Err(log.failed(Call::Setsockopt, Failure::of(&e))),
    }
}

/// Polls ioctl(FIONREAD) until at least `n` bytes wait in the receive buffer: the program
/// reads late on purpose, so one recv() finds everything.
pub(super) fn wait_for_bytes(
    stream: &TcpStream,
    n: usize,
    config: &DemoConfig,
    flags: &Flags,
    log: &Log,
) -> PeerResult {
    log.before(Call::Ioctl, Detail::WaitingForBytes(n));
    let deadline = Instant::now() + config.io_timeout;
    loop {
        let waiting =
            sock::bytes_waiting(stream).map_err(|e| log.failed(Call::Ioctl, Failure::of(&e)))?;
        if waiting >= n {
            log.after(Call::Ioctl, Detail::BytesWaiting(waiting));
            return Ok(());
        }
        if flags.raised() {
            return Err(log.failed(Call::Ioctl, Failure::Stopped));
        }
        if Instant::now() >= deadline {
            return Err(log.failed(Call::Ioctl, Failure::TimedOut(config.io_timeout)));
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// sleep(): busy elsewhere for `time`, waking early when stopped.
pub(super) fn sleep(time: Duration, flags: &Flags, log: &Log) -> PeerResult {
    log.before(Call::Sleep, Detail::Sleeping(time));
    let deadline = Instant::now() + time;
    while Instant::now() < deadline {
        if flags.raised() {
            return Err(log.failed(Call::Sleep, Failure::Stopped));
        }
        std::thread::sleep(
            Duration::from_millis(2).min(deadline.saturating_duration_since(Instant::now())),
        );
    }
    log.after(Call::Sleep, Detail::Woke);
    Ok(())
}
