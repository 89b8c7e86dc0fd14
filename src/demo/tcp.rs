//! The TCP echo peers: the client connects, sends each message and reads its echo, then closes
//! first; the server accepts, echoes until it reads end-of-file, then closes.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

use super::{DemoConfig, Flags, Log, PeerResult, WAKE_INTERVAL, describe_bytes, retry};

/// Read/write timeouts: short reads so the stop flags are seen, whole-call bound by `retry`.
fn set_timeouts(stream: &TcpStream, io_timeout: Duration) -> PeerResult {
    stream
        .set_read_timeout(Some(WAKE_INTERVAL))
        .and_then(|()| stream.set_write_timeout(Some(io_timeout)))
        .map_err(|e| format!("cannot set socket timeouts: {e}"))
}

/// Logs the error as the return of `call` and hands it back.
fn failed(log: &Log, call: &str, error: String) -> String {
    log.after(call, format!("failed: {error}"));
    format!("{call}: {error}")
}

fn send(stream: &mut TcpStream, bytes: &[u8], log: &Log, note: &str) -> PeerResult {
    log.before("send", format!("{}{note}", describe_bytes(bytes)));
    match stream.write_all(bytes) {
        Ok(()) => {
            log.after("send", format!("returned: {} bytes queued", bytes.len()));
            Ok(())
        }
        Err(e) => Err(failed(log, "send", e.to_string())),
    }
}

fn close(stream: TcpStream, log: &Log, detail: &str) {
    log.before("close", detail);
    drop(stream);
    log.after("close", "returned: socket closed");
}

/// The echo client.
pub(super) fn client(
    addr: SocketAddr,
    config: &DemoConfig,
    flags: &Flags,
    log: &Log,
) -> PeerResult {
    log.before(
        "connect",
        format!("to {addr} (blocks until the handshake completes)"),
    );
    let mut stream = match TcpStream::connect_timeout(&addr, config.io_timeout) {
        Ok(s) => s,
        Err(e) => return Err(failed(log, "connect", e.to_string())),
    };
    let local = stream
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_else(|_| "?".into());
    log.after(
        "connect",
        format!("returned: connection established ({local} -> {addr})"),
    );
    set_timeouts(&stream, config.io_timeout)?;
    for message in &config.messages {
        if flags.raised() {
            close(stream, log, "stopped early");
            return Err("stopped before the conversation ended".into());
        }
        let bytes = message.as_bytes();
        send(&mut stream, bytes, log, "")?;
        log.before("recv", format!("waiting for the {}-byte echo", bytes.len()));
        let mut echo = vec![0u8; bytes.len()];
        let mut got = 0;
        while got < echo.len() {
            let n = retry(flags, config.io_timeout, || stream.read(&mut echo[got..]))
                .map_err(|e| failed(log, "recv", e))?;
            if n == 0 {
                return Err(failed(
                    log,
                    "recv",
                    format!("peer closed (EOF) after {got} of {} bytes", bytes.len()),
                ));
            }
            got += n;
        }
        log.after("recv", describe_bytes(&echo));
        if echo != bytes {
            return Err(format!(
                "the echo {} differs from the message {}",
                describe_bytes(&echo),
                describe_bytes(bytes)
            ));
        }
    }
    close(stream, log, "client closes first: sends FIN");
    Ok(())
}

/// The echo server: one connection, echoed until EOF.
pub(super) fn server(
    listener: TcpListener,
    config: &DemoConfig,
    flags: &Flags,
    log: &Log,
) -> PeerResult {
    let addr = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_else(|_| "?".into());
    log.before("accept", format!("waiting for a connection on {addr}"));
    listener
        .set_nonblocking(true)
        .map_err(|e| failed(log, "accept", e.to_string()))?;
    // A non-blocking accept polled every 2 ms: std has no accept timeout.
    let accepted = retry(flags, config.io_timeout, || {
        listener.accept().inspect_err(|e| {
            if e.kind() == std::io::ErrorKind::WouldBlock {
                std::thread::sleep(Duration::from_millis(2));
            }
        })
    });
    let (mut stream, peer) = accepted.map_err(|e| failed(log, "accept", e))?;
    drop(listener);
    log.after(
        "accept",
        format!("returned: connection from {peer} (handshake already complete)"),
    );
    stream
        .set_nonblocking(false)
        .map_err(|e| format!("cannot make the connection blocking: {e}"))?;
    set_timeouts(&stream, config.io_timeout)?;
    let mut buf = [0u8; 4096];
    // Every read returns at least one byte or the EOF, so this bounds the loop even if the
    // client misbehaves.
    let total: usize = config.messages.iter().map(String::len).sum();
    for _ in 0..total + config.messages.len() + 2 {
        log.before("recv", format!("up to {} bytes", buf.len()));
        let n = retry(flags, config.io_timeout, || stream.read(&mut buf))
            .map_err(|e| failed(log, "recv", e))?;
        if n == 0 {
            log.after("recv", "0 bytes: peer closed (EOF)");
            close(stream, log, "after EOF: sends FIN");
            return Ok(());
        }
        log.after("recv", describe_bytes(&buf[..n]));
        send(&mut stream, &buf[..n], log, " (echo)")?;
    }
    let _ = stream.shutdown(Shutdown::Both);
    close(stream, log, "too many reads");
    Err("the client never closed the connection".into())
}
