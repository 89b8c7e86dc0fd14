//! What a lesson keeps of each frame and socket call while the demo runs: a few numbers per
//! frame, bounded in count and size.

use std::net::{IpAddr, SocketAddr};

use super::super::{AppEvent, DemoKind, DemoOutcome};
use super::Lesson;
use crate::analysis::TcpState;
use crate::capture::{Frame, LinkType};
use crate::decode::{Net, Packet, TcpOptionKind, Transport};
use crate::flow::{Direction, Observation, PacketProto, Proto};

/// Most frames kept: the demos send far fewer; a long capture keeps its first ones.
const MAX_FRAMES: usize = 20_000;
/// Most socket calls kept.
const MAX_CALLS: usize = 20_000;
/// Payload bytes kept per frame.
const MAX_PAYLOAD: usize = 4096;

/// The TCP numbers of a frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeenTcp {
    /// The flags field.
    pub flags: u16,
    /// Relative sequence number.
    pub seq: u32,
    /// Relative acknowledgment number.
    pub ack: Option<u32>,
    /// Raw sequence number.
    pub seq_raw: u32,
    /// Payload bytes.
    pub len: u32,
    /// The MSS option of a SYN.
    pub mss: Option<u16>,
    /// SACK blocks carried.
    pub sack: usize,
}

impl SeenTcp {
    fn has(&self, flag: u16) -> bool {
        self.flags & flag != 0
    }

    /// SYN set.
    pub fn syn(&self) -> bool {
        self.has(0x002)
    }

    /// FIN set.
    pub fn fin(&self) -> bool {
        self.has(0x001)
    }

    /// RST set.
    pub fn rst(&self) -> bool {
        self.has(0x004)
    }

    /// ACK set.
    pub fn is_ack(&self) -> bool {
        self.has(0x010)
    }
}

/// What a lesson keeps of one frame.
#[derive(Debug, Clone, PartialEq)]
pub struct SeenFrame {
    /// Frame number.
    pub frame: u64,
    /// Top protocol.
    pub proto: PacketProto,
    /// Stream index.
    pub stream: Option<u32>,
    /// Direction in the stream.
    pub dir: Option<Direction>,
    /// Source address and port.
    pub src: Option<SocketAddr>,
    /// Destination address and port.
    pub dst: Option<SocketAddr>,
    /// TCP numbers.
    pub tcp: Option<SeenTcp>,
    /// Payload bytes (the first `MAX_PAYLOAD`).
    pub payload: Vec<u8>,
    /// Client and server states after the frame.
    pub states: Option<(Option<TcpState>, Option<TcpState>)>,
    /// For an ICMP error, the conversation it quotes.
    pub related: Option<(Proto, u32)>,
    /// ICMP port unreachable.
    pub port_unreachable: bool,
    /// ARP: (operation, sender IP, target IP).
    pub arp: Option<(u16, Option<IpAddr>, Option<IpAddr>)>,
    /// Ethernet (source, destination) MAC addresses.
    pub macs: Option<([u8; 6], [u8; 6])>,
}

impl SeenFrame {
    fn new(frame: &Frame, packet: &Packet, obs: &Observation) -> SeenFrame {
        let endpoint = |ip: Option<IpAddr>, port: Option<u16>| match (ip, port) {
            (Some(ip), Some(port)) => Some(SocketAddr::new(ip, port)),
            _ => None,
        };
        let tcp = obs.tcp.as_ref().map(|t| {
            let options = packet.tcp().map(|h| h.options.as_slice()).unwrap_or(&[]);
            SeenTcp {
                flags: t.flags,
                seq: t.seq,
                ack: t.ack,
                seq_raw: t.seq_raw,
                len: t.len,
                mss: options.iter().find_map(|o| match o.kind {
                    TcpOptionKind::Mss(m) => Some(m),
                    _ => None,
                }),
                sack: options
                    .iter()
                    .map(|o| match &o.kind {
                        TcpOptionKind::Sack(blocks) => blocks.len(),
                        _ => 0,
                    })
                    .sum(),
            }
        });
        let payload = frame
            .data
            .get(packet.payload.clone())
            .map(|p| p[..p.len().min(MAX_PAYLOAD)].to_vec())
            .unwrap_or_default();
        let port_unreachable = matches!(
            &packet.transport,
            Some(Transport::Icmp(i)) if (!i.v6 && i.icmp_type == 3 && i.code == 3)
                || (i.v6 && i.icmp_type == 1 && i.code == 4)
        );
        let arp = match &packet.net {
            Some(Net::Arp(a)) => Some((a.operation, a.sender_ip, a.target_ip)),
            _ => None,
        };
        let macs = (frame.linktype == LinkType::ETHERNET && frame.data.len() >= 12).then(|| {
            let mut dst = [0u8; 6];
            let mut src = [0u8; 6];
            dst.copy_from_slice(&frame.data[..6]);
            src.copy_from_slice(&frame.data[6..12]);
            (src, dst)
        });
        SeenFrame {
            frame: obs.frame,
            proto: obs.proto,
            stream: obs.stream,
            dir: obs.dir,
            src: endpoint(obs.src, obs.sport),
            dst: endpoint(obs.dst, obs.dport),
            tcp,
            payload,
            states: obs.states,
            related: obs.related,
            port_unreachable,
            arp,
            macs,
        }
    }

    /// A TCP segment carrying data.
    pub fn data(&self) -> Option<&SeenTcp> {
        self.tcp.as_ref().filter(|t| t.len > 0)
    }
}

/// Watches a demo run: the frames and the socket calls, in the order they were delivered.
#[derive(Debug, Clone)]
pub struct Seen {
    kind: DemoKind,
    pub(super) frames: Vec<SeenFrame>,
    pub(super) calls: Vec<AppEvent>,
}

impl Seen {
    /// A watcher for a run of `kind`.
    pub fn new(kind: DemoKind) -> Seen {
        Seen {
            kind,
            frames: Vec::new(),
            calls: Vec::new(),
        }
    }

    /// A frame, decoded and followed.
    pub fn packet(&mut self, frame: &Frame, packet: &Packet, obs: &Observation) {
        if self.frames.len() < MAX_FRAMES {
            self.frames.push(SeenFrame::new(frame, packet, obs));
        }
    }

    /// A socket call of the peers.
    pub fn app_call(&mut self, call: &AppEvent) {
        if self.calls.len() < MAX_CALLS {
            self.calls.push(call.clone());
        }
    }

    /// What the run showed, with the facts the demo reported.
    pub fn conclude(&self, outcome: &DemoOutcome) -> Lesson {
        Lesson {
            demo: self.kind,
            points: super::conclude::points(self.kind, self, outcome),
        }
    }
}
