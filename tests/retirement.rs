//! The tracker's memory policy: conversations leave it when they end, past a cap the one
//! idle longest is evicted, and what is remembered of an ended one keeps stream numbers
//! exact — a late packet, a SYN reusing the ports, an ICMP error quoting it — as tshark
//! numbers them (checked against tshark when it is installed).

mod common;

use std::process::Command;

use etherparse::PacketBuilder;
use handshake_viz::capture::{Frame, LinkType, Timestamp};
use handshake_viz::decode::decode;
use handshake_viz::flow::{Ended, Limits, Observation, Proto, Retired, Tracker};

const A: [u8; 4] = [10, 0, 0, 1];
const B: [u8; 4] = [10, 0, 0, 2];

/// A TCP segment between A:`port` and B:80 at `secs` seconds. `flags`: S, A, F, R letters.
fn tcp(secs: f64, from_a: bool, port: u16, flags: &str, seq: u32, ack: u32) -> Frame {
    let (src, dst, sport, dport) = if from_a {
        (A, B, port, 80)
    } else {
        (B, A, 80, port)
    };
    let mut b = PacketBuilder::ethernet2([2, 0, 0, 0, 0, 1], [2, 0, 0, 0, 0, 2])
        .ipv4(src, dst, 64)
        .tcp(sport, dport, seq, 64240);
    for c in flags.chars() {
        b = match c {
            'S' => b.syn(),
            'A' => b.ack(ack),
            'F' => b.fin(),
            'R' => b.rst(),
            _ => panic!("flag {c}"),
        };
    }
    let mut bytes = Vec::new();
    b.write(&mut bytes, &[]).unwrap();
    frame(secs, bytes)
}

/// A UDP datagram from A:5353 to B:53, or back.
fn udp(secs: f64, from_a: bool) -> Frame {
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
fn icmp_quoting(secs: f64, port: u16) -> Frame {
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

fn frame(secs: f64, data: Vec<u8>) -> Frame {
    Frame {
        index: 0,
        ts: Timestamp::new(1_700_000_000, (secs * 1e9) as u64),
        linktype: LinkType::ETHERNET,
        orig_len: data.len() as u32,
        data,
    }
}

/// Numbers the frames and runs them through a tracker with `limits`: the observations and
/// every conversation handed over, the end of the capture included.
fn run(frames: &mut [Frame], limits: Limits) -> (Vec<Observation>, Vec<Ended>, Tracker) {
    let mut tracker = Tracker::with_limits(limits);
    let mut ended = Vec::new();
    let mut obs = Vec::new();
    for (i, f) in frames.iter_mut().enumerate() {
        f.index = i as u64 + 1;
        obs.push(tracker.ingest(f, &decode(f)));
        ended.extend(tracker.take_ended());
    }
    tracker.finish();
    ended.extend(tracker.take_ended());
    (obs, ended, tracker)
}

/// A closed connection on port `port` starting at `t`: handshake, FIN each way, last ACK.
fn closed(t: f64, port: u16, isn: u32) -> Vec<Frame> {
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
fn write_pcap(path: &std::path::Path, frames: &[Frame]) {
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

/// tshark's tcp.stream (or, for ICMP, the quoted segment's) of every frame.
fn tshark_streams(frames: &[Frame]) -> Option<Vec<String>> {
    if common::env_flag("HANDSHAKE_VIZ_SKIP_ORACLE") {
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("late.pcap");
    write_pcap(&path, frames);
    let out = Command::new("tshark")
        .args(["-n", "-r"])
        .arg(&path)
        .args(["-T", "fields", "-e", "tcp.stream"])
        .output()
        .expect("tshark (HANDSHAKE_VIZ_SKIP_ORACLE=1 skips this comparison)");
    assert!(out.status.success());
    Some(
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect(),
    )
}

fn stream_of(o: &Observation) -> String {
    match (o.stream, o.related) {
        (Some(s), _) | (None, Some((Proto::Tcp, s))) => s.to_string(),
        _ => String::new(),
    }
}

#[test]
fn late_packets_and_quotes_keep_the_stream_number_wireshark_gives() {
    let mut frames = closed(0.0, 40000, 100);
    // Another connection keeps the clock going past the close delay.
    frames.extend(closed(2.0, 40001, 300));
    frames.extend(closed(20.0, 40002, 500));
    // A late ACK of the first connection, an ICMP error quoting it, then a new SYN.
    frames.push(tcp(30.0, true, 40000, "A", 102, 5002));
    frames.push(icmp_quoting(31.0, 40000));
    frames.push(tcp(40.0, true, 40000, "S", 9000, 0));
    let (obs, ended, tracker) = run(&mut frames, Limits::default());
    let ours: Vec<String> = obs.iter().map(stream_of).collect();
    assert_eq!(&ours[18..], ["0", "0", "3"], "{ours:?}");
    // The late ACK's relative numbers come from the remembered base.
    let late = obs[18].tcp.as_ref().unwrap();
    assert_eq!((late.seq, late.ack), (2, Some(2)));
    let first: Vec<&Ended> = ended
        .iter()
        .filter(|e| e.conversation.stream == 0)
        .collect();
    assert_eq!(first.len(), 2, "the first summary, then the part after it");
    assert_eq!(first[0].conversation.retired, Retired::Closed);
    assert!(!first[0].conversation.continued);
    assert!(first[1].conversation.continued);
    // Kept whole, it goes on: the second summary covers the whole stream.
    assert_eq!(first[1].conversation.packets, [5, 2]);
    assert_eq!(tracker.stats().continued, 1);
    assert_eq!(tracker.counts(), (4, 0));
    if let Some(theirs) = tshark_streams(&frames) {
        assert_eq!(ours, theirs);
    }
}

#[test]
fn past_the_cap_the_one_idle_longest_is_evicted_and_counted() {
    let mut frames = Vec::new();
    for i in 0..5u16 {
        frames.push(tcp(f64::from(i), true, 41000 + i, "S", 1000, 0));
        frames.push(tcp(f64::from(i) + 0.5, false, 41000 + i, "SA", 7000, 1001));
    }
    // The first connection is busy again, so the second is the one idle longest.
    frames.push(tcp(5.0, true, 41000, "A", 1001, 7001));
    frames.push(tcp(6.0, true, 42000, "S", 1, 0));
    let limits = Limits {
        max_connections: 5,
        ..Limits::default()
    };
    let (obs, ended, tracker) = run(&mut frames, limits);
    let streams: Vec<Option<u32>> = obs.iter().map(|o| o.stream).collect();
    assert_eq!(streams[10..], [Some(0), Some(5)]);
    let evicted: Vec<u32> = ended
        .iter()
        .filter(|e| e.conversation.retired == Retired::Evicted)
        .map(|e| e.conversation.stream)
        .collect();
    assert_eq!(evicted, [1]);
    assert_eq!(tracker.stats().evicted, 1);
    assert_eq!(tracker.stats().peak, 5);
}

#[test]
fn idle_conversations_leave_and_come_back_with_their_number() {
    let mut frames = vec![udp(0.0, true), udp(0.1, false)];
    frames.extend(closed(1.0, 43000, 10));
    // Two minutes later (past UDP's minute), the same UDP endpoints.
    frames.push(udp(121.0, false));
    let (obs, ended, _) = run(&mut frames, Limits::default());
    assert_eq!(obs[8].stream, Some(0));
    let udp_parts: Vec<&Ended> = ended
        .iter()
        .filter(|e| e.conversation.proto == Proto::Udp)
        .collect();
    assert_eq!(udp_parts.len(), 2);
    assert_eq!(udp_parts[0].conversation.retired, Retired::Idle);
    // Kept whole, it goes on with its roles: the second summary covers the whole stream.
    assert_eq!(udp_parts[1].conversation.packets, [1, 2]);
    assert_eq!(udp_parts[1].conversation.client.port, 5353);
}

#[test]
fn an_unanswered_syn_ages_out_after_the_attempt_timeout() {
    let mut frames = vec![tcp(0.0, true, 44000, "S", 1, 0)];
    frames.extend(closed(10.0, 44001, 50));
    let (_, ended, _) = run(&mut frames, Limits::default());
    assert_eq!(ended[0].conversation.stream, 0);
    assert_eq!(ended[0].conversation.retired, Retired::Idle);
}

#[test]
fn a_clock_going_back_retires_nothing() {
    let mut frames = closed(100.0, 45000, 1);
    frames.extend(closed(0.0, 45001, 1));
    let (_, ended, _) = run(&mut frames, Limits::default());
    assert!(
        ended
            .iter()
            .all(|e| e.conversation.retired == Retired::CaptureEnd)
    );
}

#[test]
fn past_the_caps_a_stream_is_remembered_by_its_number_then_forgotten() {
    // One conversation followed at once: each new one evicts the last. The 64 most recent
    // are kept whole, the 2 before them only remembered, older ones forgotten.
    let mut frames = Vec::new();
    for i in 0..80u16 {
        frames.extend(closed(f64::from(i) * 0.01, 47000 + i, 1));
    }
    // A late ACK of connection 14 (the last is still followed, 15 to 78 are kept whole):
    // only its number and bases were remembered.
    frames.push(tcp(2.0, true, 47014, "A", 3, 5002));
    // A late ACK of connection 0: forgotten, it gets a new number (Wireshark would say 0).
    frames.push(tcp(2.1, true, 47000, "A", 3, 5002));
    let limits = Limits {
        max_connections: 1,
        remembered: 2,
        ..Limits::default()
    };
    let (obs, ended, tracker) = run(&mut frames, limits);
    let late = &obs[obs.len() - 2];
    assert_eq!(late.stream, Some(14));
    assert_eq!(late.tcp.as_ref().map(|t| t.seq), Some(2));
    assert_eq!(obs[obs.len() - 1].stream, Some(80));
    let part: Vec<&Ended> = ended
        .iter()
        .filter(|e| e.conversation.stream == 14 && e.conversation.continued)
        .collect();
    assert_eq!(
        part[0].conversation.packets,
        [1, 0],
        "only the packets since"
    );
    assert!(tracker.stats().forgotten >= 13, "{:?}", tracker.stats());
}

#[test]
fn conversations_lists_the_followed_and_the_ended_not_taken() {
    let mut frames = closed(0.0, 48000, 1);
    // The same ports again with a new sequence number: stream 0 ends, stream 1 begins.
    frames.extend(closed(1.0, 48000, 900));
    let mut tracker = Tracker::new();
    for (i, f) in frames.iter_mut().enumerate() {
        f.index = i as u64 + 1;
        tracker.ingest(f, &decode(f));
    }
    let streams: Vec<(Proto, u32)> = tracker
        .conversations()
        .iter()
        .map(|c| (c.proto, c.stream))
        .collect();
    assert_eq!(streams, [(Proto::Tcp, 0), (Proto::Tcp, 1)]);
    assert_eq!(tracker.take_ended().count(), 1);
    assert_eq!(tracker.conversations().len(), 1);
}
