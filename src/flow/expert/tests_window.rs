//! Hand-built segment sequences for the window findings, window scaling and bytes in flight.

use super::state::WinScale;
use super::tests::{C, Conn, S};
use crate::analysis::Finding as F;
use crate::decode::tcp::flags::{ACK, PSH, SYN};

fn only(out: &super::ExpertOut, f: F) -> bool {
    out.findings.iter().eq([f])
}

/// A handshake where both sides announce window scale `shift`.
fn scaled_handshake(c: &mut Conn, shift: u8) {
    let mut syn = c.input(C, 0, SYN, 65535, 0);
    syn.window_scale = Some(shift);
    c.feed(0, &syn);
    let mut synack = c.wait(1000).input(S, C + 1, SYN | ACK, 65535, 0);
    synack.window_scale = Some(shift);
    c.feed(1, &synack);
    c.wait(1000).seg(0, C + 1, S + 1, ACK, 0);
}

#[test]
fn window_scaling_from_the_handshake() {
    let mut c = Conn::new();
    scaled_handshake(&mut c, 7);
    assert_eq!(c.e.flows[0].win_scale, WinScale::Shift(7));
    assert_eq!(c.e.flows[1].win_scale, WinScale::Shift(7));

    // A SYN without the option: nobody scales.
    let mut c = Conn::new();
    c.seg(0, C, 0, SYN, 0);
    assert_eq!(c.e.flows[1].win_scale, WinScale::NotUsed);
    let mut synack = c.input(S, C + 1, SYN | ACK, 1000, 0);
    synack.window_scale = Some(7);
    c.feed(1, &synack);
    assert_eq!(c.e.flows[1].win_scale, WinScale::NotUsed);

    // Shifts above 14 count as 14.
    let mut c = Conn::new();
    scaled_handshake(&mut c, 20);
    assert_eq!(c.e.flows[0].win_scale, WinScale::Shift(14));
}

#[test]
fn window_full_uses_the_scaled_window() {
    let mut c = Conn::new();
    scaled_handshake(&mut c, 4);
    // The server's first ACK after its SYN/ACK: window 100 << 4 = 1600 bytes from ack 1.
    c.wait(100).seg_win(1, S + 1, C + 1, ACK, 100, 0);
    let part = c.wait(100).data(1, 1000);
    assert!(part.findings.is_empty(), "{part:?}");
    let full = c.wait(100).data(1001, 600);
    assert!(only(&full, F::WindowFull), "{full:?}");
    assert_eq!(full.bytes_in_flight, Some(1600));
}

#[test]
fn window_full_before_the_peer_acked_is_unscaled() {
    let mut c = Conn::new();
    scaled_handshake(&mut c, 4);
    // The server has sent only its SYN/ACK (window 65535, never scaled).
    let full = c.wait(100).data(1, 65535);
    assert!(only(&full, F::WindowFull), "{full:?}");
}

#[test]
fn no_window_full_while_scaling_is_unknown() {
    let mut c = Conn::new();
    // Capture starts mid-connection: no handshake, scaling unknown.
    c.seg_win(1, S + 1, C + 1, ACK, 100, 0);
    c.wait(10).seg(0, C + 1, S + 1, ACK, 0);
    let d = c.wait(10).data(1, 100);
    assert!(d.findings.is_empty(), "{d:?}");
}

#[test]
fn zero_window_probe_and_update() {
    let mut c = Conn::new();
    c.handshake();
    c.data(1, 100);
    let zero = c.wait(100).seg_win(1, S + 1, C + 101, ACK, 0, 0);
    assert!(only(&zero, F::ZeroWindow), "{zero:?}");
    assert_eq!(zero.acks_frame, Some(4));
    let probe = c.wait(200_000).data(101, 1);
    assert!(only(&probe, F::ZeroWindowProbe), "{probe:?}");
    let probe_ack = c.wait(100).seg_win(1, S + 1, C + 101, ACK, 0, 0);
    let want: super::Findings = [F::ZeroWindow, F::ZeroWindowProbeAck].into_iter().collect();
    assert_eq!(probe_ack.findings, want);
    // A probe does not advance the sequence: the same byte again is another probe.
    let again = c.wait(400_000).data(101, 1);
    assert!(only(&again, F::ZeroWindowProbe), "{again:?}");
    let update = c.wait(100).seg_win(1, S + 1, C + 101, ACK, 2000, 0);
    assert!(only(&update, F::WindowUpdate), "{update:?}");
    let dup = c.wait(100).seg_win(1, S + 1, C + 101, ACK, 2000, 0);
    assert!(only(&dup, F::DuplicateAck), "{dup:?}");
}

#[test]
fn linux_zero_window_probe_is_a_keep_alive() {
    let mut c = Conn::new();
    c.handshake();
    c.data(1, 100);
    c.wait(100).seg_win(1, S + 1, C + 101, ACK, 0, 0);
    let probe = c.wait(200_000).seg(0, C + 100, S + 1, ACK, 0);
    assert!(only(&probe, F::KeepAlive), "{probe:?}");
    let answer = c.wait(100).seg_win(1, S + 1, C + 101, ACK, 0, 0);
    assert!(only(&answer, F::ZeroWindow), "{answer:?}");
}

#[test]
fn bytes_in_flight_span_and_sack() {
    let mut c = Conn::new();
    c.handshake();
    c.data(1, 100);
    c.wait(10).data(101, 100);
    let third = c.wait(10).data(201, 100);
    assert_eq!(third.bytes_in_flight, Some(300));
    // The server acknowledges 101 and SACKs 201..301: 100 bytes fewer in flight.
    let sack = [(C + 201, C + 301)];
    let mut ack = c.wait(10_000).input(S + 1, C + 101, ACK, 1000, 0);
    ack.sack = &sack;
    c.feed(1, &ack);
    let fourth = c.wait(10).data(301, 100);
    assert_eq!(fourth.bytes_in_flight, Some(200));
    // Only the peer's last segment's SACK counts.
    c.wait(10).ack(101);
    let fifth = c.wait(10).data(401, 100);
    assert_eq!(fifth.bytes_in_flight, Some(400));
}

#[test]
fn bytes_in_flight_ignores_the_fin_byte_and_counts_push() {
    let mut c = Conn::new();
    c.handshake();
    let a = c.seg(0, C + 1, S + 1, ACK, 10);
    assert_eq!((a.bytes_in_flight, a.push_bytes_sent), (Some(10), Some(10)));
    let b = c.wait(10).seg(0, C + 11, S + 1, ACK | PSH, 10);
    assert_eq!(b.push_bytes_sent, Some(20));
    let fin = c.wait(10).seg(
        0,
        C + 21,
        S + 1,
        ACK | PSH | crate::decode::tcp::flags::FIN,
        10,
    );
    assert_eq!(fin.bytes_in_flight, Some(30));
    assert_eq!(fin.push_bytes_sent, Some(10));
}
