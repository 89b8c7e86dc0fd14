//! Frames built with etherparse for tests: TCP segments, UDP datagrams and ICMP errors
//! between two fixed hosts, whole closed connections, and a classic pcap file of them.
#![allow(dead_code)]

use etherparse::PacketBuilder;
use handshake_viz::capture::{Frame, LinkType, Timestamp};

pub const A: [u8; 4] = [10, 0, 0, 1];
pub const B: [u8; 4] = [10, 0, 0, 2];

/// A TCP segment between A:`port` and B:80 at `secs` seconds. `flags`: S, A, F, R, P letters.
pub fn tcp(secs: f64, from_a: bool, port: u16, flags: &str, seq: u32, ack: u32) -> Frame {
    let (src, dst) = ends(from_a, port);
    frame(secs, segment_bytes(src, dst, flags, seq, ack, &[]))
}

/// (source, destination) of a packet between A:`port` and B:80: from A when `from_a`.
fn ends(from_a: bool, port: u16) -> (([u8; 4], u16), ([u8; 4], u16)) {
    if from_a {
        ((A, port), (B, 80))
    } else {
        ((B, 80), (A, port))
    }
}

/// The bytes of an Ethernet, IPv4 and TCP segment from `src` to `dst` (address, port)
/// carrying `data`. `flags`: S, A, F, R, P letters.
pub fn segment_bytes(
    src: ([u8; 4], u16),
    dst: ([u8; 4], u16),
    flags: &str,
    seq: u32,
    ack: u32,
    data: &[u8],
) -> Vec<u8> {
    let mut b = PacketBuilder::ethernet2([2, 0, 0, 0, 0, 1], [2, 0, 0, 0, 0, 2])
        .ipv4(src.0, dst.0, 64)
        .tcp(src.1, dst.1, seq, 64240);
    for c in flags.chars() {
        b = match c {
            'S' => b.syn(),
            'A' => b.ack(ack),
            'F' => b.fin(),
            'R' => b.rst(),
            'P' => b.psh(),
            _ => panic!("flag {c}"),
        };
    }
    let mut bytes = Vec::new();
    b.write(&mut bytes, data).unwrap();
    bytes
}

/// A UDP datagram from A:5353 to B:53, or back.
pub fn udp(secs: f64, from_a: bool) -> Frame {
    let (src, dst, sport, dport) = if from_a {
        (A, B, 5353, 53)
    } else {
        (B, A, 53, 5353)
    };
    let mut bytes = Vec::new();
    PacketBuilder::ethernet2([2, 0, 0, 0, 0, 1], [2, 0, 0, 0, 0, 2])
        .ipv4(src, dst, 64)
        .udp(sport, dport)
        .write(&mut bytes, b"query")
        .unwrap();
    frame(secs, bytes)
}

/// An ICMP port unreachable from B quoting a TCP segment A:`port` -> B:80 (an ACK: a
/// quoted SYN with a new sequence number starts a new stream in Wireshark, which is
/// another matter).
pub fn icmp_quoting(secs: f64, port: u16) -> Frame {
    let quoted = tcp(0.0, true, port, "A", 102, 5002).data[14..14 + 40].to_vec();
    let mut bytes = Vec::new();
    PacketBuilder::ethernet2([2, 0, 0, 0, 0, 2], [2, 0, 0, 0, 0, 1])
        .ipv4(B, A, 64)
        .icmpv4(etherparse::Icmpv4Type::DestinationUnreachable(
            etherparse::icmpv4::DestUnreachableHeader::Port,
        ))
        .write(&mut bytes, &quoted)
        .unwrap();
    frame(secs, bytes)
}

pub fn frame(secs: f64, data: Vec<u8>) -> Frame {
    Frame {
        index: 0,
        ts: Timestamp::new(1_700_000_000, (secs * 1e9) as u64),
        linktype: LinkType::ETHERNET,
        orig_len: data.len() as u32,
        data,
    }
}

/// A closed connection on port `port` starting at `t`: handshake, FIN each way, last ACK.
pub fn closed(t: f64, port: u16, isn: u32) -> Vec<Frame> {
    vec![
        tcp(t, true, port, "S", isn, 0),
        tcp(t + 0.001, false, port, "SA", 5000, isn + 1),
        tcp(t + 0.002, true, port, "A", isn + 1, 5001),
        tcp(t + 0.003, true, port, "FA", isn + 1, 5001),
        tcp(t + 0.004, false, port, "FA", 5001, isn + 2),
        tcp(t + 0.005, true, port, "A", isn + 2, 5002),
    ]
}

/// The frames written as a pcap file, for tshark.
pub fn write_pcap(path: &std::path::Path, frames: &[Frame]) {
    let mut b = Vec::new();
    b.extend(0xa1b2_c3d4u32.to_le_bytes());
    b.extend(2u16.to_le_bytes());
    b.extend(4u16.to_le_bytes());
    b.extend([0u8; 8]);
    b.extend(65535u32.to_le_bytes());
    b.extend(1u32.to_le_bytes());
    for f in frames {
        b.extend((f.ts.secs as u32).to_le_bytes());
        b.extend((f.ts.nanos / 1000).to_le_bytes());
        b.extend((f.data.len() as u32).to_le_bytes());
        b.extend(f.orig_len.to_le_bytes());
        b.extend(&f.data);
    }
    std::fs::write(path, b).unwrap();
}

/// A data segment (PSH/ACK) of `len` bytes between A:`port` and B:80 at `secs` seconds.
pub fn tcp_data(secs: f64, from_a: bool, port: u16, seq: u32, ack: u32, len: usize) -> Frame {
    let (src, dst) = ends(from_a, port);
    frame(
        secs,
        segment_bytes(src, dst, "PA", seq, ack, &vec![b'x'; len]),
    )
}
