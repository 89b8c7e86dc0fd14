//! What the demo peers' socket calls do.

use super::English;
use crate::demo::{CloseReason, Detail, Failure, Payload, SockOpt};
use crate::render::words::AppWords;
impl AppWords for English {
    fn app_detail(&self, detail: &Detail) -> String {
        let payload = |data: &Payload| {
            crate::render::words::payload_text(data, if data.len == 1 { "byte" } else { "bytes" })
        };
        match detail {
            Detail::Address(a) if a.port() == 0 => {
                format!("{a} (port 0: the kernel picks a free port)")
            }
            Detail::Address(a) => a.to_string(),
            Detail::Connecting(a) => format!("to {a} (blocks until the handshake completes)"),
            Detail::WaitingForConnection(a) => format!("waiting for a connection on {a}"),
            Detail::ReadingUpTo(n) => format!("up to {n} bytes"),
            Detail::WaitingForEcho(n) => format!("waiting for the {n}-byte echo"),
            Detail::WaitingForRequest => "waiting for a request".into(),
            Detail::WaitingForAnswer(a) => format!("waiting for the answer from {a}"),
            Detail::Sending { data, to, echo } => {
                let mut text = payload(data);
                if let Some(to) = to {
                    text.push_str(&format!(" to {to}"));
                }
                if *echo {
                    text.push_str(" (echo)");
                }
                text
            }
            Detail::Closing(reason) => match reason {
                CloseReason::ClientFirst => "client closes first: sends FIN",
                CloseReason::AfterEof => "after EOF: sends FIN",
                CloseReason::Stopped => "stopped early",
                CloseReason::TooManyReads => "too many reads",
                CloseReason::Udp => "no packet: UDP has no connection to end",
                CloseReason::ServerDone => "everything is sent: sends FIN",
            }
            .into(),
            Detail::Listening { addr, backlog } => {
                format!("returned: listening on {addr} (bind + listen, backlog {backlog})")
            }
            Detail::Bound(a) => format!("returned: bound to {a}, ready for datagrams"),
            Detail::Connected { local, peer } => {
                format!("returned: connection established ({local} -> {peer})")
            }
            Detail::Accepted(peer) => {
                format!("returned: connection from {peer} (handshake already complete)")
            }
            Detail::Queued(n) => format!("returned: {n} bytes queued"),
            Detail::SentDatagram(n) => format!("returned: {n} bytes sent as one datagram"),
            Detail::Received { data, from } => match from {
                Some(from) => format!("{} from {from}", payload(data)),
                None => payload(data),
            },
            Detail::Eof => "0 bytes: peer closed (EOF)".into(),
            Detail::Closed => "returned: socket closed".into(),
            Detail::Failed(failure) => format!("failed: {}", failure_text(failure)),
            Detail::SettingOption(option) => match option {
                SockOpt::NoDelay(true) => "TCP_NODELAY on: Nagle's algorithm off".into(),
                SockOpt::NoDelay(false) => "TCP_NODELAY off: Nagle's algorithm on".into(),
                SockOpt::QuickAck(true) => "TCP_QUICKACK on: acknowledge at once".into(),
                SockOpt::QuickAck(false) => {
                    "TCP_QUICKACK off: delay acknowledgments (as a program about to answer)".into()
                }
            },
            Detail::OptionSet => "returned: option set".into(),
            Detail::WaitingForBytes(n) => {
                format!("FIONREAD: reads late on purpose, until {n} bytes are waiting")
            }
            Detail::BytesWaiting(n) => format!("returned: {n} bytes wait in the receive buffer"),
            Detail::Sleeping(t) => format!("{} ms: busy elsewhere, no socket call", t.as_millis()),
            Detail::Woke => "returned".into(),
            Detail::ShuttingDownWrite => {
                "SHUT_WR: nothing more to send (FIN); reading goes on".into()
            }
            Detail::WriteShut => "returned: FIN queued, the socket can still receive".into(),
            Detail::Truncated { data, full, from } => {
                let mut text = format!(
                    "{} of {full} bytes (MSG_TRUNC): the other {} bytes of the datagram are lost",
                    payload(data),
                    full.saturating_sub(data.len)
                );
                if let Some(from) = from {
                    text.push_str(&format!(", from {from}"));
                }
                text
            }
            Detail::PortPicked(a) => {
                format!(
                    "returned: bound to {a} (the kernel picked port {})",
                    a.port()
                )
            }
            Detail::Associating(a) => {
                format!("to {a}: UDP only notes the default destination, nothing is sent")
            }
            Detail::Associated { local, peer } => {
                format!("returned: {local} now sends to {peer} and hears only from it")
            }
            Detail::ReadingPrefix => "exactly 4 bytes: the length prefix".into(),
            Detail::ReadingMessage(n) => format!("exactly {n} bytes: the message"),
            Detail::ClientDone => "no more requests: the client is done".into(),
            Detail::SendingFramed { data } => {
                format!("4-byte length {} + {}", data.len, payload(data))
            }
        }
    }
}

/// Why a call failed, in words: the errno name first, as C programmers know it.
fn failure_text(failure: &Failure) -> String {
    match *failure {
        Failure::Os { errno: Some(n), .. } => {
            let text = std::io::Error::from_raw_os_error(n).to_string();
            match crate::render::words::errno_name(n) {
                Some(name) => format!("{name}: {text}"),
                None => text,
            }
        }
        Failure::Os { kind, errno: None } => format!("{kind:?}"),
        Failure::TimedOut(t) => format!("timed out after {:.1} s", t.as_secs_f64()),
        Failure::Stopped => "stopped before the conversation ended".into(),
    }
}
