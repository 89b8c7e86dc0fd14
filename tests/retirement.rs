//! The tracker's memory policy: conversations leave it when they end, past a cap the one
//! idle longest is evicted, and what is remembered of an ended one keeps stream numbers
//! exact — a late packet, a SYN reusing the ports, an ICMP error quoting it — as tshark
//! numbers them (checked against tshark when it is installed).

mod common;
#[path = "support/synth.rs"]
mod synth;

use std::process::Command;

use handshake_viz::capture::Frame;
use handshake_viz::decode::decode;
use handshake_viz::flow::{Ended, Limits, Observation, Proto, Retired, Tracker};
use synth::{closed, icmp_quoting, tcp, udp, write_pcap};

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
