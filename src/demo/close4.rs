//! The close, twice: the same client and server code, except that the first time the server is
//! busy for a while after reading the EOF. Linux delays the ACK of a FIN (about 40 ms here),
//! hoping the application closes too so ACK and FIN share one segment: that is the usual
//! 3-segment close (connection 2). When the application takes longer, the ACK leaves alone and
//! the FIN follows later: the 4-segment close the textbook draws (connection 1). The client,
//! which closed first, ends in TIME-WAIT.

use std::net::{SocketAddr, TcpListener};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::time::Duration;

use super::calls::{accept, close, connect, recv, send, sleep};
use super::plan::{Plan, server_and_client};
use super::{CloseReason, DemoConfig, Flags, Log, PeerResult, wait_signal};
use crate::Result;

/// How long the server is busy before its first close: well beyond the delayed ACK.
pub const BUSY: Duration = Duration::from_millis(200);

/// The server and the client.
pub(super) fn plan(config: &DemoConfig) -> Result<Plan> {
    let (done_tx, done_rx) = sync_channel(1);
    server_and_client(
        config,
        move |listener, c, f, l| server(listener, c, done_tx, f, l),
        move |addr, c, f, l| client(addr, c, done_rx, f, l),
    )
}

fn client(
    addr: SocketAddr,
    config: &DemoConfig,
    first_closed: Receiver<()>,
    flags: &Flags,
    log: &Log,
) -> PeerResult {
    for round in 0..2 {
        if round == 1 {
            wait_signal(&first_closed, flags, config.io_timeout + BUSY)?;
        }
        let (mut stream, local) = connect(addr, config, log)?;
        let log = &log.on(local);
        send(&mut stream, b"bye", log, false)?;
        close(stream, log, CloseReason::ClientFirst);
    }
    Ok(())
}

fn server(
    listener: TcpListener,
    config: &DemoConfig,
    first_closed: SyncSender<()>,
    flags: &Flags,
    log: &Log,
) -> PeerResult {
    for round in 0..2 {
        let (mut stream, peer) = accept(&listener, config, flags, log)?;
        let log = &log.on(peer);
        let mut got = 0;
        loop {
            let n = recv(&mut stream, 4096, config, flags, log)?.len();
            if n == 0 {
                break;
            }
            got += n;
            if got > 3 {
                return Err("more bytes than the client sent".into());
            }
        }
        if round == 0 {
            sleep(BUSY, flags, log)?;
        }
        close(stream, log, CloseReason::AfterEof);
        if round == 0 {
            let _ = first_closed.send(());
        }
    }
    Ok(())
}
