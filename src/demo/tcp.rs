//! The TCP echo peers: the client connects, sends each message and reads its echo, then closes
//! first; the server accepts, echoes until it reads end-of-file, then closes.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

use super::{
    Call, CloseReason, DemoConfig, Detail, Failure, Flags, Log, Payload, PeerResult, WAKE_INTERVAL,
    retry,
};

/// Read/write timeouts: short reads so the stop flags are seen, whole-call bound by `retry`.
fn set_timeouts(stream: &TcpStream, io_timeout: Duration) -> PeerResult {
    stream
        .set_read_timeout(Some(WAKE_INTERVAL))
        .and_then(|()| stream.set_write_timeout(Some(io_timeout)))
        .map_err(|e| format!("cannot set socket timeouts: {e}"))
}

fn send(stream: &mut TcpStream, bytes: &[u8], log: &Log, echo: bool) -> PeerResult {
    let data = Payload::of(bytes);
    log.before(
        Call::Send,
        Detail::Sending {
            data,
            to: None,
            echo,
        },
    );
    match stream.write_all(bytes) {
        Ok(()) => {
            log.after(Call::Send, Detail::Queued(bytes.len()));
            Ok(())
        }
        Err(e) => Err(log.failed(Call::Send, Failure::of(&e))),
    }
}

fn close(stream: TcpStream, log: &Log, reason: CloseReason) {
    log.before(Call::Close, Detail::Closing(reason));
    drop(stream);
    log.after(Call::Close, Detail::Closed);
}

/// The echo client.
pub(super) fn client(
    addr: SocketAddr,
    config: &DemoConfig,
    flags: &Flags,
    log: &Log,
) -> PeerResult {
    log.before(Call::Connect, Detail::Connecting(addr));
    let mut stream = match TcpStream::connect_timeout(&addr, config.io_timeout) {
        Ok(s) => s,
        Err(e) => return Err(log.failed(Call::Connect, Failure::of(&e))),
    };
    let local = stream.local_addr().unwrap_or(addr);
    log.after(Call::Connect, Detail::Connected { local, peer: addr });
    set_timeouts(&stream, config.io_timeout)?;
    for message in &config.messages {
        if flags.raised() {
            close(stream, log, CloseReason::Stopped);
            return Err(Failure::Stopped.to_string());
        }
        let bytes = message.as_bytes();
        send(&mut stream, bytes, log, false)?;
        log.before(Call::Recv, Detail::WaitingForEcho(bytes.len()));
        let mut echo = vec![0u8; bytes.len()];
        let mut got = 0;
        while got < echo.len() {
            let n = retry(flags, config.io_timeout, || stream.read(&mut echo[got..]))
                .map_err(|f| log.failed(Call::Recv, f))?;
            if n == 0 {
                log.after(Call::Recv, Detail::Eof);
                return Err(format!(
                    "recv: peer closed (EOF) after {got} of {} bytes",
                    bytes.len()
                ));
            }
            got += n;
        }
        log.after(
            Call::Recv,
            Detail::Received {
                data: Payload::of(&echo),
                from: None,
            },
        );
        if echo != bytes {
            return Err(format!(
                "the echo ({} bytes) differs from the message ({} bytes)",
                echo.len(),
                bytes.len()
            ));
        }
    }
    close(stream, log, CloseReason::ClientFirst);
    Ok(())
}

/// The echo server: one connection, echoed until EOF.
pub(super) fn server(
    listener: TcpListener,
    config: &DemoConfig,
    flags: &Flags,
    log: &Log,
) -> PeerResult {
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
    let (mut stream, peer) = accepted.map_err(|f| log.failed(Call::Accept, f))?;
    drop(listener);
    log.after(Call::Accept, Detail::Accepted(peer));
    stream
        .set_nonblocking(false)
        .map_err(|e| format!("cannot make the connection blocking: {e}"))?;
    set_timeouts(&stream, config.io_timeout)?;
    let mut buf = [0u8; 4096];
    // Every read returns at least one byte or the EOF, so this bounds the loop even if the
    // client misbehaves.
    let total: usize = config.messages.iter().map(String::len).sum();
    for _ in 0..total + config.messages.len() + 2 {
        log.before(Call::Recv, Detail::ReadingUpTo(buf.len()));
        let n = retry(flags, config.io_timeout, || stream.read(&mut buf))
            .map_err(|f| log.failed(Call::Recv, f))?;
        if n == 0 {
            log.after(Call::Recv, Detail::Eof);
            close(stream, log, CloseReason::AfterEof);
            return Ok(());
        }
        log.after(
            Call::Recv,
            Detail::Received {
                data: Payload::of(&buf[..n]),
                from: None,
            },
        );
        send(&mut stream, &buf[..n], log, true)?;
    }
    let _ = stream.shutdown(Shutdown::Both);
    close(stream, log, CloseReason::TooManyReads);
    Err("the client never closed the connection".into())
}
