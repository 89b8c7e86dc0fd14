//! The application side of a demo: each socket call a peer makes, as a typed record with the
//! wall-clock time it started or returned. The views put calls into words.

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::flow::Side;
use crate::time::Timestamp;

/// Bytes of a payload kept for showing it.
pub const PREVIEW_BYTES: usize = 64;

/// A socket call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Call {
    /// `bind()`.
    Bind,
    /// `bind()` + `listen()`.
    Listen,
    /// `connect()`.
    Connect,
    /// `accept()`.
    Accept,
    /// `send()` / `write()`.
    Send,
    /// `recv()` / `read()`.
    Recv,
    /// `sendto()`.
    SendTo,
    /// `recvfrom()`.
    RecvFrom,
    /// `shutdown()`.
    Shutdown,
    /// `close()`.
    Close,
    /// `setsockopt()`.
    Setsockopt,
    /// `ioctl()` (FIONREAD: bytes waiting in the receive buffer).
    Ioctl,
    /// `sleep()`: the program is busy elsewhere and makes no socket call.
    Sleep,
}

impl Call {
    /// The call's name as C spells it ("connect", "recvfrom").
    pub fn name(self) -> &'static str {
        match self {
            Call::Bind => "bind",
            Call::Listen => "listen",
            Call::Connect => "connect",
            Call::Accept => "accept",
            Call::Send => "send",
            Call::Recv => "recv",
            Call::SendTo => "sendto",
            Call::RecvFrom => "recvfrom",
            Call::Shutdown => "shutdown",
            Call::Close => "close",
            Call::Setsockopt => "setsockopt",
            Call::Ioctl => "ioctl",
            Call::Sleep => "sleep",
        }
    }

    /// The call of a name as C spells it.
    pub fn from_name(name: &str) -> Option<Call> {
        [
            Call::Bind,
            Call::Listen,
            Call::Connect,
            Call::Accept,
            Call::Send,
            Call::Recv,
            Call::SendTo,
            Call::RecvFrom,
            Call::Shutdown,
            Call::Close,
            Call::Setsockopt,
            Call::Ioctl,
            Call::Sleep,
        ]
        .into_iter()
        .find(|c| c.name() == name)
    }
}

/// Whether an event marks the start of a call or its return.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Phase {
    /// The call was entered (it may block).
    Before,
    /// The call returned.
    After,
}

/// The first bytes of a payload and its full length. Stored (pcapng comments) with the bytes
/// as escaped text, so a person reading the comment sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "StoredPayload", try_from = "StoredPayload")]
pub struct Payload {
    /// Length of the whole payload.
    pub len: usize,
    /// Its first `PREVIEW_BYTES` bytes.
    pub preview: Vec<u8>,
}

#[derive(Serialize, Deserialize)]
struct StoredPayload {
    len: usize,
    text: String,
}

impl From<Payload> for StoredPayload {
    fn from(p: Payload) -> StoredPayload {
        StoredPayload {
            len: p.len,
            text: crate::text::escape_bytes(&p.preview),
        }
    }
}

impl TryFrom<StoredPayload> for Payload {
    type Error = &'static str;

    fn try_from(p: StoredPayload) -> Result<Payload, &'static str> {
        let preview = crate::text::unescape_bytes(&p.text).ok_or("bad payload escape")?;
        Ok(Payload {
            len: p.len.max(preview.len()),
            preview,
        })
    }
}

impl Payload {
    /// The payload `bytes`, keeping a preview.
    pub fn of(bytes: &[u8]) -> Payload {
        Payload {
            len: bytes.len(),
            preview: bytes[..bytes.len().min(PREVIEW_BYTES)].to_vec(),
        }
    }
}

/// Why a peer closes its socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CloseReason {
    /// The client is done and closes first: its FIN goes out.
    ClientFirst,
    /// The peer read the end of the stream and closes too.
    AfterEof,
    /// The run was stopped before the conversation ended.
    Stopped,
    /// The other side never closed.
    TooManyReads,
    /// A UDP socket: closing sends nothing.
    Udp,
    /// The server has sent everything (the client already half-closed).
    ServerDone,
}

/// The kinds of operating-system errors a demo meets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OsError {
    /// Nothing listens (ECONNREFUSED).
    ConnectionRefused,
    /// The peer reset the connection (ECONNRESET).
    ConnectionReset,
    /// The connection was aborted (ECONNABORTED).
    ConnectionAborted,
    /// No answer in time (ETIMEDOUT).
    TimedOut,
    /// The address is taken (EADDRINUSE).
    AddrInUse,
    /// Writing to a connection the peer closed (EPIPE).
    BrokenPipe,
    /// Not allowed (EACCES, EPERM).
    PermissionDenied,
    /// No route to the host (EHOSTUNREACH).
    HostUnreachable,
    /// No route to the network (ENETUNREACH).
    NetworkUnreachable,
    /// A datagram larger than the buffer or the path allows (EMSGSIZE).
    MessageSize,
    /// Anything else.
    Other,
}

impl OsError {
    fn of(kind: io::ErrorKind, errno: Option<i32>) -> OsError {
        use io::ErrorKind as K;
        match (kind, errno) {
            (K::ConnectionRefused, _) => OsError::ConnectionRefused,
            (K::ConnectionReset, _) => OsError::ConnectionReset,
            (K::ConnectionAborted, _) => OsError::ConnectionAborted,
            (K::TimedOut, _) => OsError::TimedOut,
            (K::AddrInUse, _) => OsError::AddrInUse,
            (K::BrokenPipe, _) => OsError::BrokenPipe,
            (K::PermissionDenied, _) => OsError::PermissionDenied,
            (K::HostUnreachable, _) => OsError::HostUnreachable,
            (K::NetworkUnreachable, _) => OsError::NetworkUnreachable,
            (_, Some(90)) => OsError::MessageSize,
            _ => OsError::Other,
        }
    }
}

/// Why a call failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Failure {
    /// The operating system refused: the error's kind and errno.
    Os {
        /// The error's kind.
        kind: OsError,
        /// The errno value, when the OS gave one.
        errno: Option<i32>,
    },
    /// No answer within this time.
    TimedOut(Duration),
    /// The run was stopped (Ctrl-C or the capture ended).
    Stopped,
}

impl std::fmt::Display for Failure {
    /// The failure as an error line (for the demo's error report on stderr).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Os { kind, errno } => match errno {
                Some(n) => write!(f, "{}", io::Error::from_raw_os_error(*n)),
                None => write!(f, "{kind:?}"),
            },
            Failure::TimedOut(t) => write!(f, "timed out after {:.1} s", t.as_secs_f64()),
            Failure::Stopped => f.write_str("stopped before the conversation ended"),
        }
    }
}

impl Failure {
    /// The failure an I/O error describes.
    pub fn of(error: &io::Error) -> Failure {
        Failure::Os {
            kind: OsError::of(error.kind(), error.raw_os_error()),
            errno: error.raw_os_error(),
        }
    }
}

/// What a call was about to do or what it did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Detail {
    /// Binding or listening on this address.
    Address(SocketAddr),
    /// Connecting to this address (blocks until the handshake completes).
    Connecting(SocketAddr),
    /// Waiting for a connection on this address.
    WaitingForConnection(SocketAddr),
    /// Reading up to this many bytes.
    ReadingUpTo(usize),
    /// Reading an echo of this many bytes.
    WaitingForEcho(usize),
    /// Waiting for a datagram from anyone.
    WaitingForRequest,
    /// Waiting for a datagram from this address.
    WaitingForAnswer(SocketAddr),
    /// Sending these bytes (to this address, for a datagram); `echo` when sending back what
    /// was read.
    Sending {
        /// The bytes.
        data: Payload,
        /// The destination of a datagram.
        to: Option<SocketAddr>,
        /// It echoes what was read.
        echo: bool,
    },
    /// Closing the socket.
    Closing(CloseReason),
    /// Listening on this address with this backlog.
    Listening {
        /// The address.
        addr: SocketAddr,
        /// The accept queue length.
        backlog: u32,
    },
    /// Bound to this address.
    Bound(SocketAddr),
    /// The handshake completed.
    Connected {
        /// The local address the kernel chose.
        local: SocketAddr,
        /// The server.
        peer: SocketAddr,
    },
    /// A connection was accepted (the handshake was already complete).
    Accepted(SocketAddr),
    /// This many bytes were queued for sending.
    Queued(usize),
    /// This many bytes went out as one datagram.
    SentDatagram(usize),
    /// These bytes were read (from this address, for a datagram).
    Received {
        /// The bytes.
        data: Payload,
        /// The sender of a datagram.
        from: Option<SocketAddr>,
    },
    /// The peer closed: end of stream.
    Eof,
    /// The socket is closed.
    Closed,
    /// The call failed.
    Failed(Failure),
    /// Setting a socket option.
    SettingOption(SockOpt),
    /// The option is set.
    OptionSet,
    /// Waiting (polling FIONREAD) until this many bytes wait in the receive buffer.
    WaitingForBytes(usize),
    /// This many bytes wait in the receive buffer.
    BytesWaiting(usize),
    /// Busy elsewhere for this long.
    Sleeping(Duration),
    /// Back from sleeping.
    Woke,
    /// `shutdown(SHUT_WR)`: no more sending; reading goes on.
    ShuttingDownWrite,
    /// The write side is shut: the FIN is queued.
    WriteShut,
    /// A datagram was cut to the buffer (MSG_TRUNC): `data` was read of `full` bytes.
    Truncated {
        /// The bytes read.
        data: Payload,
        /// The datagram's whole length.
        full: usize,
        /// Its sender.
        from: Option<SocketAddr>,
    },
    /// Bound to this address with port 0 asked for: the kernel picked the port.
    PortPicked(SocketAddr),
    /// `connect()` on a UDP socket: only sets the default destination, sends nothing.
    Associating(SocketAddr),
    /// The UDP socket now has a default destination.
    Associated {
        /// The local address the kernel chose.
        local: SocketAddr,
        /// The default destination.
        peer: SocketAddr,
    },
    /// Reading the 4-byte length prefix of the next message.
    ReadingPrefix,
    /// Reading exactly this many bytes: the message the prefix announced.
    ReadingMessage(usize),
    /// The wait ended because the client has finished (it says so inside the demo).
    ClientDone,
    /// Sending one message behind its 4-byte big-endian length prefix.
    SendingFramed {
        /// The message (without its prefix).
        data: Payload,
    },
}

/// A socket option a demo sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SockOpt {
    /// TCP_NODELAY: on turns Nagle's algorithm off.
    NoDelay(bool),
    /// TCP_QUICKACK: on acknowledges at once, off delays acknowledgments.
    QuickAck(bool),
}

/// One application-level socket call made by a demo peer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppEvent {
    /// Wall-clock time of the event (the clock libpcap stamps packets with).
    pub ts: Timestamp,
    /// Which peer made the call.
    pub side: Side,
    /// The socket call.
    pub call: Call,
    /// Start or return of the call.
    pub phase: Phase,
    /// What it was about to do, or what it did.
    pub detail: Detail,
    /// The client's address of the TCP connection the call is about, when known: tells
    /// concurrent connections apart.
    pub conn: Option<SocketAddr>,
}
