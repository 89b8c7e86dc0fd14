//! What the demo peers' socket calls do.

use super::English;
use crate::demo::{CloseReason, Detail, Failure, Payload};
use crate::render::words::AppWords;
impl AppWords for English {
    fn app_detail(&self, detail: &Detail) -> String {
        let payload = |data: &Payload| {
            crate::render::words::payload_text(data, if data.len == 1 { "byte" } else { "bytes" })
        };
        match detail {
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
