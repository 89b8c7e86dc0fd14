//! Segment sequences over a few conversations, the Ethernet frames they make, and a run that
//! feeds them to the tracker and checks its invariants (stated in `tracker_check.rs`).
//!
//! Shared by `tests/properties.rs`, `tests/fuzz_regressions.rs` and the `tracker` fuzz target
//! (which includes this file by path), so a fuzz finding replays in `cargo test` unchanged.

#![allow(dead_code)] // each including crate uses a different subset

use std::net::IpAddr;

use arbitrary::Arbitrary;
use etherparse::{PacketBuilder, TcpHeader};

use handshake_viz::capture::{Frame, LinkType, Precision, Timestamp};
use handshake_viz::config::ViewConfig;
use handshake_viz::decode::{Packet, decode_bytes};
use handshake_viz::flow::{Observation, Tracker};
use handshake_viz::render::json::JsonPrinter;
use handshake_viz::render::timeline::TimelineWriter;
use handshake_viz::render::{Printer, Shown};

#[path = "tracker_check.rs"]
pub mod check;

/// Most segments in one script: enough for handshake, data and close on several streams.
pub const MAX_SEGMENTS: usize = 64;

/// TCP flag bits as on the wire.
const FIN: u16 = 0x001;
const SYN: u16 = 0x002;
const RST: u16 = 0x004;
const ACK: u16 = 0x010;

/// A sequence or acknowledgment number: near the sender's (or the peer's) initial number,
/// which makes handshakes likely, or any value.
#[derive(Debug, Clone, Copy, Arbitrary)]
pub enum Num {
    /// Initial number plus this.
    After(u16),
    /// Initial number minus this.
    Before(u16),
    /// Exactly this.
    Raw(u32),
}

/// One TCP segment or UDP datagram of a script.
#[derive(Debug, Clone, Arbitrary)]
pub struct Segment {
    /// Which conversation (modulo the script's flow count).
    pub flow: u8,
    /// Sent by the flow's second endpoint.
    pub reverse: bool,
    /// A UDP datagram instead of a TCP segment.
    pub udp: bool,
    /// TCP flags (low 9 bits).
    pub flags: u16,
    /// Sequence number.
    pub seq: Num,
    /// Acknowledgment number (relative to the receiver's initial number).
    pub ack: Num,
    /// Window field.
    pub window: u16,
    /// Raw option bytes (cut to 40, padded with zeros to a multiple of 4).
    pub options: Vec<u8>,
    /// Payload length (modulo 1024).
    pub len: u16,
    /// Microseconds since the previous segment.
    pub gap_us: u16,
}

/// Segments over two to four conversations.
#[derive(Debug, Clone, Arbitrary)]
pub struct Script {
    /// Number of conversations: 2 + this modulo 3.
    pub flows: u8,
    /// Initial sequence numbers: flow × 2 + direction.
    pub isn: [u32; 8],
    /// The segments, in capture order (at most [`MAX_SEGMENTS`] are used).
    pub segments: Vec<Segment>,
}

/// The endpoints of conversation `flow`: (first address, first port, second address, second port).
/// Flow 3 is flow 0 seen from the other end, so one 4-tuple arrives under two flow numbers.
pub fn flow_endpoints(flow: usize) -> (IpAddr, u16, IpAddr, u16) {
    let a: IpAddr = [10, 0, 0, 1].into();
    let b: IpAddr = [10, 0, 0, 2].into();
    match flow {
        0 => (a, 40000, b, 80),
        1 => (a, 40001, b, 80),
        2 => (
            "fd00::1".parse().expect("address"),
            5555,
            "fd00::2".parse().expect("address"),
            443,
        ),
        _ => (b, 80, a, 40000),
    }
}

impl Script {
    /// Number of conversations used.
    pub fn flow_count(&self) -> usize {
        2 + usize::from(self.flows % 3)
    }

    /// The segments used.
    pub fn segments(&self) -> &[Segment] {
        &self.segments[..self.segments.len().min(MAX_SEGMENTS)]
    }

    /// The Ethernet frame of segment `i` (1-based frame number `i + 1`) at time `ts`.
    pub fn frame(&self, i: usize, ts: Timestamp) -> Frame {
        let s = &self.segments[i];
        let flow = usize::from(s.flow) % self.flow_count();
        let (a, pa, b, pb) = flow_endpoints(flow);
        let (src, sport, dst, dport) = if s.reverse {
            (b, pb, a, pa)
        } else {
            (a, pa, b, pb)
        };
        // Flow 3 shares flow 0's initial numbers, seen from the other end.
        let (isn_flow, dir) = if flow == 3 {
            (0, usize::from(!s.reverse))
        } else {
            (flow, usize::from(s.reverse))
        };
        let own = self.isn[isn_flow * 2 + dir];
        let peer = self.isn[isn_flow * 2 + 1 - dir];
        let payload: Vec<u8> = (0..usize::from(s.len % 1024)).map(|n| n as u8).collect();
        let eth = PacketBuilder::ethernet2([2, 0, 0, 0, 0, 1], [2, 0, 0, 0, 0, 2]);
        let ip = match (src, dst) {
            (IpAddr::V4(s4), IpAddr::V4(d4)) => eth.ipv4(s4.octets(), d4.octets(), 64),
            (IpAddr::V6(s6), IpAddr::V6(d6)) => eth.ipv6(s6.octets(), d6.octets(), 64),
            _ => unreachable!("both endpoints of a flow have the same IP version"),
        };
        let mut data = Vec::new();
        if s.udp {
            ip.udp(sport, dport)
                .write(&mut data, &payload)
                .expect("UDP frame");
        } else {
            ip.tcp_header(tcp_header(s, sport, dport, own, peer))
                .write(&mut data, &payload)
                .expect("TCP frame");
        }
        Frame {
            index: i as u64 + 1,
            ts,
            linktype: LinkType::ETHERNET,
            orig_len: data.len() as u32,
            data,
        }
    }
}

fn number(n: Num, initial: u32) -> u32 {
    match n {
        Num::After(d) => initial.wrapping_add(u32::from(d)),
        Num::Before(d) => initial.wrapping_sub(u32::from(d)),
        Num::Raw(v) => v,
    }
}

fn tcp_header(s: &Segment, sport: u16, dport: u16, own: u32, peer: u32) -> TcpHeader {
    let mut h = TcpHeader::new(sport, dport, number(s.seq, own), s.window);
    let f = s.flags;
    h.fin = f & FIN != 0;
    h.syn = f & SYN != 0;
    h.rst = f & RST != 0;
    h.psh = f & 0x008 != 0;
    h.ack = f & ACK != 0;
    h.urg = f & 0x020 != 0;
    h.ece = f & 0x040 != 0;
    h.cwr = f & 0x080 != 0;
    h.ns = f & 0x100 != 0;
    h.acknowledgment_number = number(s.ack, peer);
    let mut options = s.options.clone();
    options.truncate(40);
    options.resize(options.len().div_ceil(4) * 4, 0);
    h.set_options_raw(&options)
        .expect("at most 40 option bytes");
    h
}

/// The timeline and JSON writers every followed frame goes through.
pub struct Writers {
    timeline: TimelineWriter,
    json: JsonPrinter<'static>,
    line: Vec<u8>,
}

impl Writers {
    pub fn new() -> Writers {
        Writers {
            timeline: TimelineWriter::new(&ViewConfig::default(), Precision::Micro),
            json: JsonPrinter::new(&ViewConfig::default(), Box::new(std::io::sink())),
            line: Vec::new(),
        }
    }

    /// Writes a frame's timeline line and JSON record.
    pub fn write(
        &mut self,
        frame: &Frame,
        packet: &Packet,
        obs: &Observation,
    ) -> Result<(), String> {
        let shown = Shown { frame, packet, obs };
        self.line.clear();
        self.timeline
            .write_packet(&mut self.line, &shown)
            .map_err(|e| e.to_string())?;
        self.json.packet(&shown).map_err(|e| e.to_string())
    }
}

/// Feeds a script to a tracker, renders every observation as a timeline line and a JSON line,
/// and checks the invariants. Returns the first violation.
pub fn run(script: &Script) -> Result<(), String> {
    let mut tracker = Tracker::new();
    let mut checker = check::Checker::default();
    let mut writers = Writers::new();
    let mut ts = Timestamp::new(1_700_000_000, 0);
    for (i, s) in script.segments().iter().enumerate() {
        ts = Timestamp::new(ts.secs, u64::from(ts.nanos) + u64::from(s.gap_us) * 1000);
        let frame = script.frame(i, ts);
        let packet = decode_bytes(frame.linktype, &frame.data, frame.orig_len as usize);
        let obs = tracker.ingest(&frame, &packet);
        writers.write(&frame, &packet, &obs)?;
        checker.packet(&frame, s, &obs)?;
    }
    checker.finish(&tracker)
}
