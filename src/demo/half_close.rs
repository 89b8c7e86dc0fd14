//! Half-close: the client sends its request and calls shutdown(SHUT_WR) — its FIN says "I have
//! nothing more to send" — then keeps reading. The server reads the request up to the EOF and
//! goes on sending its answer in pieces from CLOSE-WAIT, then closes.

use std::net::{SocketAddr, TcpListener};
use std::time::Duration;

use super::calls::{accept, close, connect, recv_until_eof, send, shutdown_write, sleep};
use super::plan::{Plan, server_and_client};
use super::{CloseReason, DemoConfig, Flags, Log, PeerResult};
use crate::Result;

/// What the client asks for.
pub const REQUEST: &str = "send me the whole report";

/// The server's answer, sent in pieces after the client's FIN.
pub const PIECES: [&str; 3] = [
    "report part 1\n",
    "report part 2\n",
    "report part 3 (end)\n",
];

/// Pause between the pieces.
const PAUSE: Duration = Duration::from_millis(30);

/// The server and the client.
pub(super) fn plan(config: &DemoConfig) -> Result<Plan> {
    server_and_client(config, server, client)
}

fn client(addr: SocketAddr, config: &DemoConfig, flags: &Flags, log: &Log) -> PeerResult {
    let (mut stream, local) = connect(addr, config, log)?;
    let log = &log.on(local);
    send(&mut stream, REQUEST.as_bytes(), log, false)?;
    shutdown_write(&stream, log)?;
    let answer = recv_until_eof(&mut stream, 4096, PIECES.len() + 4, config, flags, log)?;
    if answer != PIECES.concat().as_bytes() {
        return Err(format!("got {} bytes of the answer", answer.len()));
    }
    close(stream, log, CloseReason::AfterEof);
    Ok(())
}

fn server(listener: TcpListener, config: &DemoConfig, flags: &Flags, log: &Log) -> PeerResult {
    let (mut stream, peer) = accept(&listener, config, flags, log)?;
    drop(listener);
    let log = &log.on(peer);
    let request = recv_until_eof(&mut stream, 4096, REQUEST.len() + 2, config, flags, log)?;
    if request != REQUEST.as_bytes() {
        return Err(format!("got a {}-byte request", request.len()));
    }
    for (i, piece) in PIECES.iter().enumerate() {
        if i > 0 {
            sleep(PAUSE, flags, log)?;
        }
        send(&mut stream, piece.as_bytes(), log, false)?;
    }
    close(stream, log, CloseReason::ServerDone);
    Ok(())
}
