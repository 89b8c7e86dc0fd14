//! Following conversations: TCP and UDP streams numbered as Wireshark numbers them, client and
//! server roles, relative sequence numbers, each endpoint's TCP state, and a plain-words event
//! for every packet. One pass, streaming: memory grows with the number of conversations only.

mod events;
pub mod expert;
mod tcp;
mod udp;

use std::collections::HashMap;
use std::fmt;
use std::net::IpAddr;

use crate::analysis::{Finding, Phase, TcpState};
use crate::capture::{Frame, Timestamp};
use crate::decode::{Net, Packet, Transport};
use tcp::TcpConn;
use udp::UdpConn;

/// An IP address and port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Endpoint {
    /// Address.
    pub ip: IpAddr,
    /// Port.
    pub port: u16,
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.ip {
            IpAddr::V4(ip) => write!(f, "{ip}:{}", self.port),
            IpAddr::V6(ip) => write!(f, "[{ip}]:{}", self.port),
        }
    }
}

/// Transport protocol of a conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Proto {
    /// TCP.
    Tcp,
    /// UDP.
    Udp,
}

impl Proto {
    /// "tcp" or "udp".
    pub fn as_str(self) -> &'static str {
        match self {
            Proto::Tcp => "tcp",
            Proto::Udp => "udp",
        }
    }
}

/// Which way a packet travels within its conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// From the client to the server.
    ClientToServer,
    /// From the server to the client.
    ServerToClient,
}

impl Direction {
    /// "c2s" or "s2c".
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::ClientToServer => "c2s",
            Direction::ServerToClient => "s2c",
        }
    }

    /// The side that sends in this direction.
    pub fn sender(self) -> Side {
        match self {
            Direction::ClientToServer => Side::Client,
            Direction::ServerToClient => Side::Server,
        }
    }
}

/// One end of a conversation by role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The side that opened the conversation.
    Client,
    /// The side that answered.
    Server,
}

impl Side {
    /// "client" or "server".
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Client => "client",
            Side::Server => "server",
        }
    }

    /// The other side.
    pub fn peer(self) -> Side {
        match self {
            Side::Client => Side::Server,
            Side::Server => Side::Client,
        }
    }
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How the client and server roles were decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleBasis {
    /// The client sent the first SYN.
    Syn,
    /// The SYN was not captured; the SYN/ACK shows who answered.
    SynAck,
    /// Both sides sent a SYN (simultaneous open); the first SYN's sender is called client.
    SimultaneousOpen,
    /// No SYN was captured: the server is guessed as the side with the lower port.
    PortGuess,
    /// UDP: the client is the side that sent the first datagram.
    FirstDatagram,
}

impl RoleBasis {
    /// Explanation for the conversation header.
    pub fn explain(self) -> &'static str {
        match self {
            RoleBasis::Syn => "client sent the first SYN",
            RoleBasis::SynAck => "SYN not captured; roles from the SYN/ACK",
            RoleBasis::SimultaneousOpen => "simultaneous open: both sides sent SYN",
            RoleBasis::PortGuess => {
                "no SYN captured (capture started mid-connection); roles guessed from the ports"
            }
            RoleBasis::FirstDatagram => "client sent the first datagram",
        }
    }
}

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
    /// What happens, in plain words.
    pub event: String,
    /// Client and server TCP states after this packet (None: not known).
    pub states: Option<(Option<TcpState>, Option<TcpState>)>,
    /// State transitions this packet caused.
    pub changes: Vec<StateChange>,
    /// Analysis findings.
    pub findings: Vec<Finding>,
    /// For an ICMP error: the conversation whose packet it answers.
    pub related: Option<(Proto, u32)>,
    /// Set on the first packet of a conversation.
    pub intro: Option<ConversationIntro>,
}

impl Observation {
    fn new(frame: &Frame, packet: &Packet) -> Observation {
        let proto = match &packet.transport {
            Some(Transport::Tcp(_)) => PacketProto::Tcp,
            Some(Transport::Udp(_)) => PacketProto::Udp,
            Some(Transport::Icmp(i)) if i.v6 => PacketProto::Icmpv6,
            Some(Transport::Icmp(_)) => PacketProto::Icmp,
            None if matches!(packet.net, Some(Net::Arp(_))) => PacketProto::Arp,
            None => PacketProto::Other,
        };
        let ip = packet.ip();
        Observation {
            frame: frame.index,
            ts: frame.ts,
            proto,
            src: ip.map(|i| i.src),
            dst: ip.map(|i| i.dst),
            sport: None,
            dport: None,
            stream: None,
            dir: None,
            tcp: None,
            len: None,
            phase: Phase::Other,
            event: String::new(),
            states: None,
            changes: Vec::new(),
            findings: Vec::new(),
            related: None,
            intro: None,
        }
    }
}

/// How a TCP connection ended, as seen in the capture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseKind {
    /// FIN, ACK, FIN, ACK.
    Fin4Way,
    /// FIN, FIN+ACK, ACK: the passive side's ACK rode on its FIN.
    Fin3Way,
    /// Both sides sent FIN before either was acknowledged.
    Simultaneous,
    /// One side closed its sending half while data kept flowing the other way, then both closed.
    HalfCloseThenClosed,
    /// One side sent FIN; the other had not closed when the capture ended.
    HalfClosed,
    /// Aborted by a RST after the connection was set up.
    Reset,
    /// A RST answered the SYN: nothing listened on the port.
    Refused,
    /// The SYN was never answered.
    Unanswered,
    /// No FIN or RST seen: still open when the capture ended.
    Open,
    /// UDP has no close.
    NotApplicable,
}

impl CloseKind {
    /// JSON name.
    pub fn as_str(self) -> &'static str {
        match self {
            CloseKind::Fin4Way => "fin-4way",
            CloseKind::Fin3Way => "fin-3way",
            CloseKind::Simultaneous => "fin-simultaneous",
            CloseKind::HalfCloseThenClosed => "half-close",
            CloseKind::HalfClosed => "half-closed",
            CloseKind::Reset => "reset",
            CloseKind::Refused => "refused",
            CloseKind::Unanswered => "unanswered",
            CloseKind::Open => "open",
            CloseKind::NotApplicable => "none",
        }
    }

    /// Words for the summary table.
    pub fn describe(self) -> &'static str {
        match self {
            CloseKind::Fin4Way => "FIN 4-way",
            CloseKind::Fin3Way => "FIN 3-way",
            CloseKind::Simultaneous => "simultaneous close",
            CloseKind::HalfCloseThenClosed => "half-closed, then closed",
            CloseKind::HalfClosed => "half-closed at end",
            CloseKind::Reset => "reset",
            CloseKind::Refused => "refused",
            CloseKind::Unanswered => "SYN unanswered",
            CloseKind::Open => "still open at end",
            CloseKind::NotApplicable => "- (UDP has no close)",
        }
    }
}

/// Per-conversation summary, available at any time (it reflects the packets seen so far).
#[derive(Debug, Clone, PartialEq)]
pub struct Conversation {
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
    /// Packets client→server and server→client.
    pub packets: [u64; 2],
    /// Payload bytes client→server and server→client.
    pub bytes: [u64; 2],
    /// Frame bytes on the wire client→server and server→client.
    pub wire_bytes: [u64; 2],
    /// First packet's timestamp.
    pub start: Timestamp,
    /// Last packet's timestamp.
    pub end: Timestamp,
    /// SYN → SYN/ACK, seconds.
    pub rtt_syn_synack: Option<f64>,
    /// SYN → the ACK completing the handshake, seconds (Wireshark's initial RTT).
    pub rtt_handshake: Option<f64>,
    /// How it closed.
    pub close: CloseKind,
    /// Zeek conn_state code.
    pub conn_state: &'static str,
    /// Zeek history letters (upper case: client, lower case: server).
    pub history: String,
    /// Final client and server TCP states.
    pub final_states: Option<(Option<TcpState>, Option<TcpState>)>,
}

impl Conversation {
    /// Duration in seconds.
    pub fn duration(&self) -> f64 {
        self.end.secs_since(self.start)
    }
}

/// Key of a conversation: the two endpoints, in a canonical order.
type FlowKey = (Endpoint, Endpoint);

fn flow_key(a: Endpoint, b: Endpoint) -> FlowKey {
    if a <= b { (a, b) } else { (b, a) }
}

/// The two endpoints of a TCP or UDP packet; records the ports on the observation.
fn endpoints(
    obs: &mut Observation,
    ip: &crate::decode::IpInfo,
    sport: u16,
    dport: u16,
) -> (Endpoint, Endpoint) {
    obs.sport = Some(sport);
    obs.dport = Some(dport);
    (
        Endpoint {
            ip: ip.src,
            port: sport,
        },
        Endpoint {
            ip: ip.dst,
            port: dport,
        },
    )
}

/// The stream of the conversation between `src` and `dst`, created with `make` (given the
/// new stream number) when the pair has not been seen.
fn stream_of<C>(
    index: &mut HashMap<FlowKey, u32>,
    conns: &mut Vec<C>,
    src: Endpoint,
    dst: Endpoint,
    make: impl FnOnce(u32) -> C,
) -> u32 {
    *index.entry(flow_key(src, dst)).or_insert_with(|| {
        let s = conns.len() as u32;
        conns.push(make(s));
        s
    })
}

/// Follows every conversation in a capture, one packet at a time.
#[derive(Default)]
pub struct Tracker {
    tcp_index: HashMap<FlowKey, u32>,
    tcp: Vec<TcpConn>,
    udp_index: HashMap<FlowKey, u32>,
    udp: Vec<UdpConn>,
}

impl Tracker {
    /// A tracker with no conversations.
    pub fn new() -> Tracker {
        Tracker::default()
    }

    /// Analyzes one packet. Packets must be given in capture order.
    pub fn ingest(&mut self, frame: &Frame, packet: &Packet) -> Observation {
        let mut obs = Observation::new(frame, packet);
        let ip = packet.ip().cloned();
        match (&packet.transport, ip) {
            (Some(Transport::Tcp(t)), Some(ip)) => {
                let (src, dst) = endpoints(&mut obs, &ip, t.sport, t.dport);
                let key = flow_key(src, dst);
                let is_bare_syn = t.flags & 0x012 == 0x002;
                let existing = self.tcp_index.get(&key).copied();
                let reuse = existing
                    .is_some_and(|s| is_bare_syn && self.tcp[s as usize].is_new_syn(src, t.seq));
                let stream = match existing {
                    Some(s) if !reuse => s,
                    _ => {
                        let s = self.tcp.len() as u32;
                        self.tcp.push(TcpConn::new(s, src, dst, t, frame.ts));
                        self.tcp_index.insert(key, s);
                        s
                    }
                };
                if reuse {
                    obs.findings.push(Finding::ReusedPorts);
                }
                let analyzable = ip.fragment.is_none() && ip.payload_len >= t.header_len;
                self.tcp[stream as usize].ingest(
                    &mut obs,
                    frame,
                    t,
                    packet.payload_wire_len as u32,
                    analyzable,
                    src,
                );
            }
            (Some(Transport::Udp(u)), Some(ip)) => {
                let (src, dst) = endpoints(&mut obs, &ip, u.sport, u.dport);
                let stream = stream_of(&mut self.udp_index, &mut self.udp, src, dst, |s| {
                    UdpConn::new(s, src, dst, frame.ts)
                });
                self.udp[stream as usize].ingest(
                    &mut obs,
                    frame,
                    packet.payload_wire_len as u32,
                    src,
                );
            }
            (Some(Transport::Icmp(icmp)), _) => {
                obs.phase = Phase::Other;
                obs.event = icmp.description.clone();
                if let Some(q) = &icmp.quoted {
                    self.relate_icmp_error(&mut obs, q);
                }
            }
            _ => {
                obs.phase = Phase::Other;
                obs.event = describe_other(packet);
            }
        }
        obs
    }

    /// Ties an ICMP error to the conversation of the packet it quotes. Like Wireshark, a quoted
    /// flow not seen before still gets a stream number.
    fn relate_icmp_error(&mut self, obs: &mut Observation, q: &crate::decode::QuotedFlow) {
        let Some((sport, dport)) = q.ports else {
            return;
        };
        let src = Endpoint {
            ip: q.src,
            port: sport,
        };
        let dst = Endpoint {
            ip: q.dst,
            port: dport,
        };
        let ts = obs.ts;
        let (proto, stream) = match q.protocol {
            6 => (
                Proto::Tcp,
                stream_of(&mut self.tcp_index, &mut self.tcp, src, dst, |s| {
                    TcpConn::from_quote(s, src, dst, ts)
                }),
            ),
            17 => (
                Proto::Udp,
                stream_of(&mut self.udp_index, &mut self.udp, src, dst, |s| {
                    UdpConn::from_quote(s, src, dst, ts)
                }),
            ),
            _ => return,
        };
        obs.related = Some((proto, stream));
        obs.event = format!(
            "{}: answers {} stream {} ({} > {})",
            obs.event,
            proto.as_str().to_uppercase(),
            stream,
            src,
            dst
        );
        if proto == Proto::Udp && q.protocol == 17 {
            self.udp[stream as usize].note_icmp_error();
        }
    }

    /// Summaries of all conversations: TCP streams in order, then UDP streams.
    pub fn conversations(&self) -> Vec<Conversation> {
        self.tcp
            .iter()
            .filter(|c| c.packets_seen() > 0)
            .map(TcpConn::summary)
            .chain(
                self.udp
                    .iter()
                    .filter(|c| c.packets_seen() > 0)
                    .map(UdpConn::summary),
            )
            .collect()
    }

    /// Summary of one conversation.
    pub fn conversation(&self, proto: Proto, stream: u32) -> Option<Conversation> {
        match proto {
            Proto::Tcp => self.tcp.get(stream as usize).map(TcpConn::summary),
            Proto::Udp => self.udp.get(stream as usize).map(UdpConn::summary),
        }
    }

    /// Number of TCP and UDP conversations seen so far.
    pub fn counts(&self) -> (usize, usize) {
        (self.tcp.len(), self.udp.len())
    }
}

fn mac(m: &[u8]) -> String {
    m.iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// One-line description of a packet that is neither TCP nor UDP nor ICMP.
fn describe_other(packet: &Packet) -> String {
    match &packet.net {
        Some(Net::Arp(arp)) => {
            let ip = |a: &Option<IpAddr>| a.map(|a| a.to_string()).unwrap_or_else(|| "?".into());
            match arp.operation {
                1 if arp.sender_ip == arp.target_ip => format!(
                    "ARP announcement: {} is at {} (gratuitous)",
                    ip(&arp.sender_ip),
                    mac(&arp.sender_mac)
                ),
                1 => format!(
                    "ARP request: who has {}? tell {} ({})",
                    ip(&arp.target_ip),
                    ip(&arp.sender_ip),
                    mac(&arp.sender_mac)
                ),
                2 => format!(
                    "ARP reply: {} is at {}",
                    ip(&arp.sender_ip),
                    mac(&arp.sender_mac)
                ),
                op => format!("ARP operation {op}"),
            }
        }
        Some(Net::Ip(ip)) => match ip.fragment {
            Some((offset, more)) if offset > 0 => format!(
                "IPv{} fragment of {} at offset {offset}{}",
                ip.version,
                crate::decode::ip_protocol_name(ip.protocol),
                if more { " (more follow)" } else { " (last)" }
            ),
            Some(_) => format!(
                "IPv{} first fragment of {} (more follow)",
                ip.version,
                crate::decode::ip_protocol_name(ip.protocol)
            ),
            None => packet.protocol_label(),
        },
        None => match &packet.stop {
            Some(stop) => format!("{} ({stop})", packet.protocol_label()),
            None => packet.protocol_label(),
        },
    }
}
