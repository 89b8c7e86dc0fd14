//! What a packet does in its conversation, as typed facts. The views put events into words
//! (in each language); JSON also carries each event's stable code, [`Event::code`].

use crate::decode::{IcmpKind, Unreachable};

/// How a SYN or SYN/ACK relates to the handshake.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SynKind {
    /// The first one of its kind from this side.
    First,
    /// Sent again: the first was not answered (retransmission).
    Again,
    /// Simultaneous open: both sides sent a SYN.
    Simultaneous,
}

/// How a side's first FIN relates to the other side's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FinKind {
    /// The first FIN of the connection: nothing more to send.
    First,
    /// The first FIN, carrying the sender's last bytes.
    WithData(u32),
    /// It also acknowledges the peer's FIN (the usual 3-segment close).
    AnswersPeer,
    /// The peer's FIN was acknowledged earlier; the sender is done too.
    DoneToo,
    /// Sent before the peer's FIN was seen: a simultaneous close.
    Simultaneous,
}

/// How a side answered a keep-alive or window probe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProbeAnswer {
    /// Its window is still zero.
    StillZero,
    /// Its window opened to this many bytes.
    WindowOpened(u64),
    /// It is still there.
    Alive,
}

/// Why data is seen a second time, as Wireshark tells the cases apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Resend {
    /// Sent again after a timeout (or for a reason the capture does not show).
    Retransmission,
    /// Sent again right after the receiver's duplicate ACKs asked for it.
    Fast {
        /// Duplicate ACKs the receiver had sent.
        dup_acks: u32,
    },
    /// Sent again although the receiver had already acknowledged it.
    Spurious,
    /// Not sent again: delayed on the way, it arrived after later data.
    OutOfOrder {
        /// The frame that overtook it.
        overtaken_by: Option<u64>,
    },
}

/// What a TCP segment does. The sender is the observation's direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TcpEvent {
    /// A RST: `refused` when it answers a SYN (nothing listens on the port).
    Reset {
        /// It answers a SYN.
        refused: bool,
    },
    /// Handshake step 1: a SYN.
    Syn(SynKind),
    /// Handshake step 2: a SYN/ACK.
    SynAck(SynKind),
    /// Handshake step 3: the ACK that establishes the connection, with any data it carries.
    HandshakeAck {
        /// Payload bytes.
        bytes: u32,
    },
    /// The sender's first FIN.
    Fin(FinKind),
    /// A FIN sent again.
    FinAgain,
    /// A keep-alive probe; `peer_window_zero` when it probes a zero window.
    KeepAlive {
        /// The peer's window was zero: this probes whether it opened.
        peer_window_zero: bool,
    },
    /// The answer to a keep-alive or window probe.
    KeepAliveAck(ProbeAnswer),
    /// A one-byte probe of the peer's zero window.
    ZeroWindowProbe,
    /// Data.
    Data {
        /// Payload bytes.
        bytes: u32,
        /// Seen before, or arriving after later data.
        resend: Option<Resend>,
        /// It fills the receiver's window to the edge: the sender must now wait.
        fills_window: bool,
        /// The peer has already closed its sending half (half-close).
        peer_finished: bool,
        /// It also acknowledges the peer's FIN.
        acks_peer_fin: bool,
    },
    /// An ACK of the peer's FIN; `own_fin_sent` when the sender had closed already.
    AckPeerFin {
        /// The sender's own FIN was sent before.
        own_fin_sent: bool,
    },
    /// The sender's receive window is zero.
    ZeroWindow,
    /// The sender's receive window changed (in bytes, when the scale is known).
    WindowUpdate {
        /// The new window in bytes.
        window: Option<u64>,
    },
    /// A duplicate ACK: its number and the frame it repeats.
    DuplicateAck {
        /// #n.
        number: u32,
        /// The frame whose ACK it repeats.
        of_frame: u64,
    },
    /// An empty segment without the ACK flag.
    NoAck,
    /// An acknowledgment of `new_bytes` (None: nothing new).
    Ack {
        /// Bytes newly acknowledged.
        new_bytes: Option<u32>,
    },
}

/// What a UDP datagram does. The sender is the observation's direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UdpEvent {
    /// The client sends a datagram; `first` for the conversation's first.
    Request {
        /// Payload bytes.
        bytes: u32,
        /// The conversation's first datagram.
        first: bool,
    },
    /// The server answers the client's datagram in frame `request`, `delay_ns` later.
    Response {
        /// Payload bytes.
        bytes: u32,
        /// Frame number of the request.
        request: u64,
        /// Nanoseconds since the request.
        delay_ns: i64,
    },
    /// The server sends with no request pending.
    Unpaired {
        /// Payload bytes.
        bytes: u32,
    },
}

/// The operation of an ARP packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArpOp {
    /// Who has this address?
    Request,
    /// This address is at this MAC.
    Reply,
    /// A request for the sender's own address (gratuitous ARP).
    Announcement,
    /// Another operation code.
    Other(u16),
}

/// What a packet does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Event {
    /// A TCP segment.
    Tcp(TcpEvent),
    /// A UDP datagram.
    Udp(UdpEvent),
    /// An ICMP or ICMPv6 message; the flow an error answers is the observation's `related`.
    Icmp(IcmpKind),
    /// An ARP packet.
    Arp(ArpOp),
    /// An IP fragment that does not hold the transport header (`first` when it does but it
    /// was not decoded).
    IpFragment {
        /// The first fragment of the datagram.
        first: bool,
    },
    /// Anything else.
    Other,
}

impl Event {
    /// A stable code for the event (JSON `event_kind`): dotted, lower case, never renamed.
    pub fn code(&self) -> &'static str {
        match self {
            Event::Tcp(e) => match e {
                TcpEvent::Reset { refused: true } => "tcp.reset.refused",
                TcpEvent::Reset { refused: false } => "tcp.reset",
                TcpEvent::Syn(SynKind::First) => "tcp.syn",
                TcpEvent::Syn(SynKind::Again) => "tcp.syn.again",
                TcpEvent::Syn(SynKind::Simultaneous) => "tcp.syn.simultaneous",
                TcpEvent::SynAck(SynKind::First) => "tcp.synack",
                TcpEvent::SynAck(SynKind::Again) => "tcp.synack.again",
                TcpEvent::SynAck(SynKind::Simultaneous) => "tcp.synack.simultaneous",
                TcpEvent::HandshakeAck { .. } => "tcp.handshake.ack",
                TcpEvent::Fin(FinKind::First) => "tcp.fin",
                TcpEvent::Fin(FinKind::WithData(_)) => "tcp.fin.data",
                TcpEvent::Fin(FinKind::AnswersPeer) => "tcp.fin.answer",
                TcpEvent::Fin(FinKind::DoneToo) => "tcp.fin.second",
                TcpEvent::Fin(FinKind::Simultaneous) => "tcp.fin.simultaneous",
                TcpEvent::FinAgain => "tcp.fin.again",
                TcpEvent::KeepAlive {
                    peer_window_zero: false,
                } => "tcp.keepalive",
                TcpEvent::KeepAlive {
                    peer_window_zero: true,
                } => "tcp.window.probe",
                TcpEvent::KeepAliveAck(ProbeAnswer::StillZero) => "tcp.window.probe.zero",
                TcpEvent::KeepAliveAck(ProbeAnswer::WindowOpened(_)) => "tcp.window.probe.open",
                TcpEvent::KeepAliveAck(ProbeAnswer::Alive) => "tcp.keepalive.ack",
                TcpEvent::ZeroWindowProbe => "tcp.window.zero_probe",
                TcpEvent::Data { resend: None, .. } => "tcp.data",
                TcpEvent::Data {
                    resend: Some(r), ..
                } => match r {
                    Resend::Retransmission => "tcp.data.retransmission",
                    Resend::Fast { .. } => "tcp.data.fast_retransmission",
                    Resend::Spurious => "tcp.data.spurious_retransmission",
                    Resend::OutOfOrder { .. } => "tcp.data.out_of_order",
                },
                TcpEvent::AckPeerFin { .. } => "tcp.fin.ack",
                TcpEvent::ZeroWindow => "tcp.window.zero",
                TcpEvent::WindowUpdate { .. } => "tcp.window.update",
                TcpEvent::DuplicateAck { .. } => "tcp.ack.duplicate",
                TcpEvent::NoAck => "tcp.empty",
                TcpEvent::Ack { new_bytes: Some(_) } => "tcp.ack",
                TcpEvent::Ack { new_bytes: None } => "tcp.ack.nothing_new",
            },
            Event::Udp(e) => match e {
                UdpEvent::Request { .. } => "udp.request",
                UdpEvent::Response { .. } => "udp.response",
                UdpEvent::Unpaired { .. } => "udp.datagram",
            },
            Event::Icmp(kind) => match kind {
                IcmpKind::EchoRequest => "icmp.echo_request",
                IcmpKind::EchoReply => "icmp.echo_reply",
                IcmpKind::Unreachable(u) => match u {
                    Unreachable::Network => "icmp.unreachable.network",
                    Unreachable::Host => "icmp.unreachable.host",
                    Unreachable::Protocol => "icmp.unreachable.protocol",
                    Unreachable::Port => "icmp.unreachable.port",
                    Unreachable::FragmentationNeeded(_) => "icmp.unreachable.fragmentation",
                    Unreachable::Prohibited => "icmp.unreachable.prohibited",
                    Unreachable::NoRoute => "icmp.unreachable.no_route",
                    Unreachable::Address => "icmp.unreachable.address",
                    Unreachable::Other(_) => "icmp.unreachable",
                },
                IcmpKind::PacketTooBig(_) => "icmp.too_big",
                IcmpKind::TtlExceeded => "icmp.time_exceeded",
                IcmpKind::ReassemblyExceeded => "icmp.reassembly_exceeded",
                IcmpKind::SourceQuench => "icmp.source_quench",
                IcmpKind::Redirect => "icmp.redirect",
                IcmpKind::RouterAdvertisement => "icmp.router_advertisement",
                IcmpKind::RouterSolicitation => "icmp.router_solicitation",
                IcmpKind::ParameterProblem => "icmp.parameter_problem",
                IcmpKind::TimestampRequest => "icmp.timestamp_request",
                IcmpKind::TimestampReply => "icmp.timestamp_reply",
                IcmpKind::MulticastListener => "icmp.multicast_listener",
                IcmpKind::NeighborSolicitation => "icmp.neighbor_solicitation",
                IcmpKind::NeighborAdvertisement => "icmp.neighbor_advertisement",
                IcmpKind::Other => "icmp.other",
            },
            Event::Arp(op) => match op {
                ArpOp::Request => "arp.request",
                ArpOp::Reply => "arp.reply",
                ArpOp::Announcement => "arp.announcement",
                ArpOp::Other(_) => "arp.other",
            },
            Event::IpFragment { .. } => "ip.fragment",
            Event::Other => "other",
        }
    }
}
