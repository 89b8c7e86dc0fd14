//! TCP situations that are hard to capture on demand, built packet by packet: simultaneous
//! open, a port reused by a new connection, a capture that starts mid-connection, a SYN
//! retransmission, and an abort after data.

#[path = "support/synth.rs"]
mod synth;

use handshake_viz::analysis::{ConnState, Finding, Phase, TcpState};
use handshake_viz::capture::{Frame, LinkType, Timestamp};
use handshake_viz::decode::decode;
use handshake_viz::flow::event::{Event, SynKind, TcpEvent};
use handshake_viz::flow::{CloseKind, Direction, Observation, Proto, RoleBasis, Tracker};
use synth::segment_bytes;

const A: ([u8; 4], u16) = (synth::A, 40000);
const B: ([u8; 4], u16) = (synth::B, 80);

/// One segment from `from` to the other endpoint. `flags`: S, A, F, R, P letters.
fn segment(index: u64, from_a: bool, flags: &str, seq: u32, ack: u32, data: &[u8]) -> Frame {
    let (src, dst) = if from_a { (A, B) } else { (B, A) };
    let bytes = segment_bytes(src, dst, flags, seq, ack, data);
    Frame {
        index,
        ts: Timestamp::new(1_700_000_000, index * 1_000_000),
        linktype: LinkType::ETHERNET,
        orig_len: bytes.len() as u32,
        data: bytes,
    }
}

fn run(frames: &[Frame]) -> (Tracker, Vec<Observation>) {
    let mut tracker = Tracker::new();
    let obs = frames
        .iter()
        .map(|f| tracker.ingest(f, &decode(f)))
        .collect();
    (tracker, obs)
}

#[test]
fn simultaneous_open_ends_with_both_established() {
    let frames = [
        segment(1, true, "S", 100, 0, b""),
        segment(2, false, "S", 500, 0, b""),
        segment(3, true, "SA", 100, 501, b""),
        segment(4, false, "SA", 500, 101, b""),
    ];
    let (tracker, obs) = run(&frames);
    assert!(
        obs[1].event == Event::Tcp(TcpEvent::Syn(SynKind::Simultaneous)),
        "{:?}",
        obs[1].event
    );
    assert!(
        obs[2].event == Event::Tcp(TcpEvent::SynAck(SynKind::Simultaneous)),
        "{:?}",
        obs[2].event
    );
    assert!(obs.iter().all(|o| o.stream == Some(0)));
    // As tshark 4.0 flags them: each SYN/ACK repeats its side's SYN sequence number.
    assert!(obs[2].findings.contains(Finding::Retransmission));
    assert!(obs[3].findings.contains(Finding::Retransmission));
    assert_eq!(
        obs[3].states,
        Some((Some(TcpState::Established), Some(TcpState::Established)))
    );
    let conv = tracker.conversation(Proto::Tcp, 0).unwrap();
    assert_eq!(conv.basis, RoleBasis::SimultaneousOpen);
}

#[test]
fn a_new_syn_on_a_used_four_tuple_starts_a_new_stream() {
    let frames = [
        segment(1, true, "S", 100, 0, b""),
        segment(2, false, "SA", 500, 101, b""),
        segment(3, true, "A", 101, 501, b""),
        segment(4, true, "FA", 101, 501, b""),
        segment(5, false, "FA", 501, 102, b""),
        segment(6, true, "A", 102, 502, b""),
        segment(7, true, "S", 9000, 0, b""),
        segment(8, false, "SA", 7000, 9001, b""),
    ];
    let (tracker, obs) = run(&frames);
    assert_eq!(obs[5].stream, Some(0));
    assert_eq!(obs[6].stream, Some(1));
    assert!(obs[6].findings.contains(Finding::ReusedPorts));
    assert!(obs[6].intro.is_some(), "the new stream is introduced");
    assert_eq!(obs[7].stream, Some(1));
    assert_eq!(obs[7].tcp.as_ref().unwrap().ack, Some(1));
    assert_eq!(tracker.counts(), (2, 0));
    assert_eq!(
        tracker.conversation(Proto::Tcp, 0).unwrap().close,
        CloseKind::Fin3Way
    );
}

#[test]
fn mid_connection_capture_is_honest_about_what_it_missed() {
    let frames = [
        segment(1, false, "PA", 5000, 9000, b"response"),
        segment(2, true, "A", 9000, 5008, b""),
        segment(3, true, "FA", 9000, 5008, b""),
        segment(4, false, "FA", 5008, 9001, b""),
        segment(5, true, "A", 9001, 5009, b""),
    ];
    let (tracker, obs) = run(&frames);
    // Wireshark's rule without a SYN: the first sequence number seen is 1.
    let first = obs[0].tcp.as_ref().unwrap();
    assert_eq!((first.seq, first.ack), (1, Some(1)));
    assert_eq!(
        obs[0].states,
        Some((Some(TcpState::Unknown), Some(TcpState::Unknown)))
    );
    let intro = obs[0].intro.as_ref().unwrap();
    assert_eq!(intro.basis, RoleBasis::PortGuess);
    assert_eq!(
        intro.server.port, 80,
        "the lower port is taken as the server"
    );
    assert_eq!(
        obs[4].states,
        Some((Some(TcpState::TimeWait), Some(TcpState::Closed)))
    );
    let conv = tracker.conversation(Proto::Tcp, 0).unwrap();
    assert_eq!(conv.conn_state, ConnState::OTH);
}

#[test]
fn retransmitted_syn_stays_in_the_stream_and_says_so() {
    let frames = [
        segment(1, true, "S", 100, 0, b""),
        segment(2, true, "S", 100, 0, b""),
        segment(3, false, "SA", 500, 101, b""),
        segment(4, true, "A", 101, 501, b""),
    ];
    let (tracker, obs) = run(&frames);
    assert_eq!(obs[1].stream, Some(0));
    assert!(obs[1].findings.contains(Finding::Retransmission));
    assert_eq!(obs[1].event.code(), "tcp.syn.again");
    assert_eq!(obs[3].phase, Phase::Handshake);
    let conv = tracker.conversation(Proto::Tcp, 0).unwrap();
    assert_eq!(conv.history, "SThA", "letters in order of first appearance");
    assert_eq!(conv.conn_state, ConnState::S1);
}

#[test]
fn reset_after_data_is_an_abort_not_a_refusal() {
    let frames = [
        segment(1, true, "S", 100, 0, b""),
        segment(2, false, "SA", 500, 101, b""),
        segment(3, true, "A", 101, 501, b""),
        segment(4, true, "PA", 101, 501, b"GET /"),
        segment(5, false, "RA", 501, 106, b""),
    ];
    let (tracker, obs) = run(&frames);
    assert_eq!(obs[4].phase, Phase::Reset);
    assert_eq!(obs[4].event, Event::Tcp(TcpEvent::Reset { refused: false }));
    assert_eq!(obs[4].dir, Some(Direction::ServerToClient));
    let conv = tracker.conversation(Proto::Tcp, 0).unwrap();
    assert_eq!(conv.close, CloseKind::Reset);
    assert_eq!(conv.conn_state, ConnState::RSTR);
}
