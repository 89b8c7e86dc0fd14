//! The TCP echo peers: the client connects, sends each message and reads its echo, then closes
//! first; the server accepts, echoes until it reads end-of-file, then closes.

use std::net::{SocketAddr, TcpListener};

use super::calls::{accept, close, connect, recv, recv_exact, send};
use super::plan::{Plan, server_and_client};
use super::{CloseReason, DemoConfig, Detail, Flags, Log, PeerResult};
use crate::Result;

/// Binds the echo server; the client connects to it.
pub(super) fn plan(config: &DemoConfig) -> Result<Plan> {
    server_and_client(config, server, client)
}

/// The echo client.
fn client(addr: SocketAddr, config: &DemoConfig, flags: &Flags, log: &Log) -> PeerResult {
    let (mut stream, local) = connect(addr, config, log)?;
    let log = &log.on(local);
    for message in &config.messages {
        if flags.raised() {
            close(stream, log, CloseReason::Stopped);
            return Err(super::Failure::Stopped.to_string());
        }
        let bytes = message.as_bytes();
        send(&mut stream, bytes, log, false)?;
        let detail = Detail::WaitingForEcho(bytes.len());
        let echo = recv_exact(&mut stream, bytes.len(), detail, config, flags, log)?;
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
fn server(listener: TcpListener, config: &DemoConfig, flags: &Flags, log: &Log) -> PeerResult {
    let (mut stream, peer) = accept(&listener, config, flags, log)?;
    drop(listener);
    let log = &log.on(peer);
    // Every read returns at least one byte or the EOF, so this bounds the loop even if the
    // client misbehaves.
    let total: usize = config.messages.iter().map(String::len).sum();
    for _ in 0..total + config.messages.len() + 2 {
        let got = recv(&mut stream, 4096, config, flags, log)?;
        if got.is_empty() {
            close(stream, log, CloseReason::AfterEof);
            return Ok(());
        }
        send(&mut stream, &got, log, true)?;
    }
    let _ = stream.shutdown(std::net::Shutdown::Both);
    close(stream, log, CloseReason::TooManyReads);
    Err("the client never closed the connection".into())
}
