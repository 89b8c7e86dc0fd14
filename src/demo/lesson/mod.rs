//! The lesson after a demo: what was shown and which frames show it, as typed points (no
//! words here: the views put them into each language).
//!
//! [`Seen`] watches every frame (with what the tracker concluded) and every socket call of a
//! demo run; [`Seen::conclude`] turns that, with the facts the demo reports, into a [`Lesson`].

mod conclude;
mod net;
mod stream;
mod watch;

pub use super::hosts::{mask, network};
pub use watch::{Seen, SeenFrame, SeenTcp};

use std::net::{Ipv4Addr, SocketAddr};

use serde::Serialize;

use super::{DemoKind, Payload, Side};

/// A data segment: its frame and payload length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Segment {
    /// Frame number.
    pub frame: u64,
    /// Payload bytes.
    pub len: u32,
}

/// One connection of the concurrent demo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Connection {
    /// Its TCP stream number.
    pub stream: u32,
    /// The client's address (the kernel picked the port).
    pub client: SocketAddr,
    /// Its first and last frame.
    pub frames: (u64, u64),
}

/// Who lost a UDP datagram on the lossy path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LostWay {
    /// The request never reached the server.
    Request,
    /// The server's answer never came back.
    Answer,
}

/// What a lesson expected and did not see (the run was stopped early, or the kernel did
/// something else).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Expected {
    /// A TCP handshake.
    Handshake,
    /// The close of a connection.
    Close,
    /// The demo's data.
    Data,
    /// An ARP request and reply.
    Arp,
    /// A RST answering a SYN.
    Reset,
    /// An ICMP port unreachable.
    PortUnreachable,
    /// A dropped TCP segment (the seed dropped none this time).
    TcpLoss,
    /// A dropped UDP datagram (the seed dropped none this time).
    UdpLoss,
}

/// One thing the demo showed, with the frames that show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "point", rename_all = "snake_case")]
pub enum Point {
    /// SYN, SYN/ACK, ACK.
    Handshake {
        /// The three frames.
        frames: [u64; 3],
    },
    /// How a connection closed: 3 segments (the FIN rode on the ACK of the peer's FIN) or 4.
    Close {
        /// The stream.
        stream: u32,
        /// The close segments, in order.
        frames: Vec<u64>,
        /// Who closed first.
        #[serde(serialize_with = "side_name")]
        first: Side,
    },
    /// The side that closed first waits in TIME-WAIT after the last ACK.
    TimeWait {
        /// The side in TIME-WAIT.
        #[serde(serialize_with = "side_name")]
        side: Side,
        /// The last ACK.
        frame: u64,
    },
    /// Datagrams: one sendto() each, one recvfrom() each, no handshake, no close.
    Datagrams {
        /// sendto() calls.
        sends: usize,
        /// The datagrams' frames.
        frames: Vec<u64>,
        /// recvfrom() calls that got one.
        reads: usize,
    },
    /// The three sets of boundaries of one direction: the writes, the segments, the reads.
    Boundaries {
        /// Bytes of each send().
        sends: Vec<usize>,
        /// Each data segment.
        segments: Vec<Segment>,
        /// Bytes of each recv() that returned data.
        reads: Vec<usize>,
    },
    /// One recv() returned the bytes of several send() calls.
    Glued {
        /// Which recv() (1-based).
        read: usize,
        /// Its bytes.
        bytes: usize,
        /// The send() calls (1-based) whose bytes it returned.
        sends: Vec<usize>,
    },
    /// One send() came back in several recv() calls.
    Split {
        /// Which send() (1-based).
        send: usize,
        /// Its bytes.
        bytes: usize,
        /// The recv() calls (1-based).
        reads: Vec<usize>,
        /// The reader's buffer size.
        buffer: usize,
    },
    /// One segment carried several send() calls: Nagle held the later ones until an ACK.
    Nagle {
        /// The segment.
        frame: u64,
        /// The send() calls (1-based) it carries.
        sends: Vec<usize>,
        /// The ACK it waited for.
        ack: Option<u64>,
    },
    /// A message recovered from its length prefix.
    Framed {
        /// Which message (1-based).
        index: usize,
        /// The length the prefix announced.
        len: u32,
        /// The message.
        message: Payload,
        /// The frame where its prefix is.
        frame: u64,
    },
    /// A datagram cut by a small buffer.
    Truncated {
        /// Its frame.
        frame: u64,
        /// Its length.
        full: usize,
        /// What recvfrom() kept.
        kept: usize,
    },
    /// connect() to a closed port: RST/ACK, ECONNREFUSED.
    Refused {
        /// The SYN.
        syn: u64,
        /// The RST/ACK.
        rst: u64,
        /// connect() failed with ECONNREFUSED.
        econnrefused: bool,
    },
    /// A datagram to a closed port and the ICMP port unreachable quoting it.
    Unreachable {
        /// The datagram.
        datagram: u64,
        /// The ICMP error.
        icmp: u64,
        /// The socket was connected (it hears of the error as ECONNREFUSED).
        connected: bool,
        /// What the application got: ECONNREFUSED (true) or nothing at all (false).
        told: bool,
    },
    /// Half-close: FIN one way, data still flowing the other way.
    HalfClose {
        /// The client's FIN.
        fin: u64,
        /// Frames where the client is in FIN-WAIT-2 and the server in CLOSE-WAIT.
        states: Option<u64>,
        /// The server's data sent after the client's FIN.
        data: Vec<u64>,
        /// The server's own FIN.
        server_fin: Option<u64>,
    },
    /// N connections to one listening port.
    Streams {
        /// The server's address.
        server: SocketAddr,
        /// The connections.
        conns: Vec<Connection>,
        /// How often consecutive frames switch stream while more than one is open.
        switches: usize,
    },
    /// ARP before the first SYN.
    Arp {
        /// The request ("who has").
        request: u64,
        /// The reply ("is at").
        reply: u64,
        /// The address asked for.
        target: Ipv4Addr,
        /// Its MAC address.
        mac: [u8; 6],
        /// The first SYN, after them.
        syn: Option<u64>,
    },
    /// The subnet-mask AND: the destination is on-link.
    OnLink {
        /// The sender.
        own: Ipv4Addr,
        /// The destination.
        dst: Ipv4Addr,
        /// Prefix length.
        prefix: u8,
    },
    /// Real MAC addresses on the wire.
    Macs {
        /// Host a's.
        a: [u8; 6],
        /// Host b's.
        b: [u8; 6],
    },
    /// Full-sized segments.
    Mss {
        /// The SYN announcing the MSS.
        syn: u64,
        /// The MSS announced.
        mss: u16,
        /// Payload bytes of a full segment.
        full: u32,
        /// The full segments.
        frames: Vec<u64>,
    },
    /// The loss settings of the path.
    Loss {
        /// Fraction dropped.
        loss: f64,
        /// The seed.
        seed: u64,
        /// TCP segments dropped.
        tcp: usize,
        /// UDP datagrams dropped.
        udp: usize,
    },
    /// A lost TCP segment sent again.
    Resent {
        /// Relative sequence number.
        seq: u32,
        /// Payload bytes.
        len: u32,
        /// The first sending, when the capture saw it (the client's segments are captured
        /// before the relay drops them; the server's never reach the capture).
        first: Option<u64>,
        /// The resending.
        again: Option<u64>,
    },
    /// Duplicate ACKs: the receiver got later segments first and asks again for the hole.
    DupAcks {
        /// The acknowledgment number repeated.
        ack: u32,
        /// The duplicate ACKs.
        frames: Vec<u64>,
    },
    /// A UDP datagram lost: nobody sends it again.
    UdpLost {
        /// The request.
        frame: u64,
        /// Which request (1-based).
        nth: usize,
        /// Whether the request or the answer was lost.
        way: LostWay,
    },
    /// Something the lesson expected was not seen.
    Missing {
        /// What.
        what: Expected,
    },
}

fn side_name<S: serde::Serializer>(side: &Side, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(side.as_str())
}

/// What one demo showed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lesson {
    /// The demo.
    pub demo: DemoKind,
    /// What it showed, in order.
    pub points: Vec<Point>,
}
