//! "Sticky packets": TCP carries a stream of bytes, not messages. The client makes several
//! small send() calls; the server delays its acknowledgments (so Nagle's algorithm holds the
//! later writes back) and reads late, so one recv() returns them glued together. Then one
//! large send() is read back with a small buffer in several recv() calls.
//!
//! Deterministic: the server waits (ioctl FIONREAD) until every byte is in its receive buffer
//! before its single recv(), and the client starts sending only once the server has switched
//! its delayed acknowledgments on (an in-process signal, invisible on the wire).

use std::net::{SocketAddr, TcpListener};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use super::calls::{accept, close, connect, recv, send, set_option, wait_for_bytes};
use super::plan::{Plan, server_and_client};
use super::{CloseReason, DemoConfig, Flags, Log, PeerResult, SockOpt, wait_signal};
use crate::Result;

/// Size of the large write.
pub const LARGE: usize = 10_000;

/// The server's receive buffer, in bytes.
pub const READ_BUFFER: usize = 4096;

/// The server and the client, with two signals between them: "acknowledgments are delayed,
/// send" and "the small writes were read, send the large one".
pub(super) fn plan(config: &DemoConfig) -> Result<Plan> {
    let (ready_tx, ready_rx) = sync_channel(1);
    let (read_tx, read_rx) = sync_channel(1);
    server_and_client(
        config,
        move |listener, c, f, l| server(listener, c, [ready_tx, read_tx], f, l),
        move |addr, c, f, l| client(addr, c, [ready_rx, read_rx], f, l),
    )
}

fn client(
    addr: SocketAddr,
    config: &DemoConfig,
    [ready, read]: [Receiver<()>; 2],
    flags: &Flags,
    log: &Log,
) -> PeerResult {
    let (mut stream, local) = connect(addr, config, log)?;
    let log = &log.on(local);
    wait_signal(&ready, flags, config.io_timeout)?;
    for message in &config.messages {
        send(&mut stream, message.as_bytes(), log, false)?;
    }
    wait_signal(&read, flags, config.io_timeout)?;
    let large: Vec<u8> = (0..LARGE).map(|i| b'a' + (i % 26) as u8).collect();
    send(&mut stream, &large, log, false)?;
    close(stream, log, CloseReason::ClientFirst);
    Ok(())
}

fn server(
    listener: TcpListener,
    config: &DemoConfig,
    [ready, read]: [SyncSender<()>; 2],
    flags: &Flags,
    log: &Log,
) -> PeerResult {
    let (mut stream, peer) = accept(&listener, config, flags, log)?;
    drop(listener);
    let log = &log.on(peer);
    set_option(&stream, SockOpt::QuickAck(false), log)?;
    let _ = ready.send(());
    let small: usize = config.messages.iter().map(String::len).sum();
    wait_for_bytes(&stream, small, config, flags, log)?;
    let glued = recv(&mut stream, READ_BUFFER, config, flags, log)?;
    if glued.len() != small.min(READ_BUFFER) {
        return Err(format!("one recv() got {} of {small} bytes", glued.len()));
    }
    let mut left = small - glued.len();
    while left > 0 {
        left = left.saturating_sub(
            recv(&mut stream, READ_BUFFER, config, flags, log)?
                .len()
                .max(1),
        );
    }
    let _ = read.send(());
    wait_for_bytes(&stream, LARGE, config, flags, log)?;
    let mut got = 0;
    while got < LARGE {
        let n = recv(&mut stream, READ_BUFFER, config, flags, log)?.len();
        if n == 0 {
            return Err(format!("EOF after {got} of {LARGE} bytes"));
        }
        got += n;
    }
    let eof = recv(&mut stream, READ_BUFFER, config, flags, log)?;
    if !eof.is_empty() {
        return Err("more bytes than the client sent".into());
    }
    close(stream, log, CloseReason::AfterEof);
    Ok(())
}
