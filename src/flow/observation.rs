//! What the tracker concludes about each packet: an [`Observation`], computed once and read by
//! every view.

use std::net::IpAddr;

use super::event::Event;
use super::{Direction, Endpoint, Proto, RoleBasis, Side};
use crate::analysis::{Findings, Phase, TcpState};
use crate::capture::Frame;
use crate::decode::{Net, Packet, Transport};
use crate::flow::expert::ExpertOut;
use crate::time::Timestamp;

/// A state transition of one endpoint, caused by the packet it is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StateChange {
    /// Whose state changed.
    pub side: Side,
    /// State before (None: not known yet).
    pub from: Option<TcpState>,
    /// State after.
    pub to: TcpState,
}

/// The TCP view of one segment: raw and relative numbers, as Wireshark computes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TcpSegment {
    /// The 12-bit flags field.
    pub flags: u16,
    /// Relative sequence number (raw when the segment could not be analyzed).
    pub seq: u32,
    /// Relative acknowledgment number; None when the ACK flag is clear.
    pub ack: Option<u32>,
    /// Raw sequence number.
    pub seq_raw: u32,
    /// Raw acknowledgment number.
    pub ack_raw: u32,
    /// Segment length (payload bytes on the wire).
    pub len: u32,
    /// Raw window field.
    pub window: u16,
    /// Window in bytes when the scale is known (SYNs are never scaled).
    pub window_bytes: Option<u64>,
    /// The sender's window-scale shift, when the handshake announced it.
    pub window_shift: Option<u8>,
    /// SACK blocks, relative to the peer's base like `ack` (raw when not analyzed).
    pub sack: Vec<(u32, u32)>,
    /// What Wireshark's sequence analysis shows for the segment: duplicate-ACK number, the
    /// frame acknowledged and after how long, the initial RTT, bytes in flight.
    pub expert: ExpertOut,
}

/// The first packet of a conversation introduces it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversationIntro {
    /// TCP or UDP.
    pub proto: Proto,
    /// Stream index.
    pub stream: u32,
    /// Client endpoint.
    pub client: Endpoint,
    /// Server endpoint.
    pub server: Endpoint,
    /// How the roles were decided.
    pub basis: RoleBasis,
}

/// Top protocol label of a packet, as JSON's `proto`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PacketProto {
    /// TCP segment.
    Tcp,
    /// UDP datagram.
    Udp,
    /// ARP.
    Arp,
    /// ICMPv4.
    Icmp,
    /// ICMPv6.
    Icmpv6,
    /// Anything else.
    Other,
}

impl PacketProto {
    /// JSON name.
    pub fn as_str(self) -> &'static str {
        match self {
            PacketProto::Tcp => "tcp",
            PacketProto::Udp => "udp",
            PacketProto::Arp => "arp",
            PacketProto::Icmp => "icmp",
            PacketProto::Icmpv6 => "icmpv6",
            PacketProto::Other => "other",
        }
    }
}

/// What the tracker concluded about one packet. Computed once, read by every renderer.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    /// Frame number (1-based).
    pub frame: u64,
    /// Capture timestamp.
    pub ts: Timestamp,
    /// Top protocol.
    pub proto: PacketProto,
    /// Source address, for IP packets.
    pub src: Option<IpAddr>,
    /// Destination address, for IP packets.
    pub dst: Option<IpAddr>,
    /// Source port (TCP/UDP).
    pub sport: Option<u16>,
    /// Destination port (TCP/UDP).
    pub dport: Option<u16>,
    /// Stream index within the protocol (Wireshark's tcp.stream / udp.stream).
    pub stream: Option<u32>,
    /// Direction within the conversation.
    pub dir: Option<Direction>,
    /// TCP numbers, for TCP segments.
    pub tcp: Option<TcpSegment>,
    /// Payload bytes on the wire (TCP segment length, UDP payload length).
    pub len: Option<u32>,
    /// Phase of the conversation.
    pub phase: Phase,
    /// What happens.
    pub event: Event,
    /// Client and server TCP states after this packet (None: not known).
    pub states: Option<(Option<TcpState>, Option<TcpState>)>,
    /// State transitions this packet caused.
    pub changes: Vec<StateChange>,
    /// Analysis findings (Wireshark's `tcp.analysis.flags`).
    pub findings: Findings,
    /// For an ICMP error: the conversation whose packet it answers.
    pub related: Option<(Proto, u32)>,
    /// Set on the first packet of a conversation.
    pub intro: Option<ConversationIntro>,
    /// A buffer for the next packet's SACK blocks.
    pub(super) spare_sack: Vec<(u32, u32)>,
}

impl Observation {
    /// An observation of nothing, to be filled by [`crate::flow::Tracker::ingest_into`].
    pub fn blank() -> Observation {
        let frame = Frame::empty();
        Observation::new(&frame, &crate::decode::decode(&frame))
    }

    /// Makes this the blank observation of a new packet, keeping its buffers. Field by
    /// field, in place: the observation is large and this runs for every packet.
    pub(super) fn reset(&mut self, frame: &Frame, packet: &Packet) {
        self.changes.clear();
        if let Some(seg) = self.tcp.take() {
            let mut sack = seg.sack;
            sack.clear();
            self.spare_sack = sack;
        }
        let ip = packet.ip();
        self.frame = frame.index;
        self.ts = frame.ts;
        self.proto = packet_proto(packet);
        self.src = ip.map(|i| i.src);
        self.dst = ip.map(|i| i.dst);
        self.sport = packet.cut_ports.map(|c| c.sport);
        self.dport = packet.cut_ports.map(|c| c.dport);
        self.stream = None;
        self.dir = None;
        self.len = None;
        self.phase = Phase::Other;
        self.event = Event::Other;
        self.states = None;
        self.findings = Findings::EMPTY;
        self.related = None;
        self.intro = None;
    }

    pub(super) fn new(frame: &Frame, packet: &Packet) -> Observation {
        let proto = packet_proto(packet);
        let ip = packet.ip();
        Observation {
            frame: frame.index,
            ts: frame.ts,
            proto,
            src: ip.map(|i| i.src),
            dst: ip.map(|i| i.dst),
            sport: packet.cut_ports.map(|c| c.sport),
            dport: packet.cut_ports.map(|c| c.dport),
            stream: None,
            dir: None,
            tcp: None,
            len: None,
            phase: Phase::Other,
            event: Event::Other,
            states: None,
            changes: Vec::new(),
            findings: Findings::EMPTY,
            related: None,
            intro: None,
            spare_sack: Vec::new(),
        }
    }
}

/// The top protocol label of a packet.
fn packet_proto(packet: &Packet) -> PacketProto {
    match &packet.transport {
        Some(Transport::Tcp(_)) => PacketProto::Tcp,
        Some(Transport::Udp(_)) => PacketProto::Udp,
        None if packet.cut_ports.is_some_and(|c| c.protocol == 6) => PacketProto::Tcp,
        None if packet.cut_ports.is_some() => PacketProto::Udp,
        Some(Transport::Icmp(i)) if i.v6 => PacketProto::Icmpv6,
        Some(Transport::Icmp(_)) => PacketProto::Icmp,
        None if matches!(packet.net, Some(Net::Arp(_))) => PacketProto::Arp,
        None => PacketProto::Other,
    }
}
