//! Hand-built segment sequences for a new stream on old ports, SYNs sent again, segments
//! whose analysis is hidden, and the bounds of the bookkeeping.

use super::StreamExpert;
use super::tests::{C, Conn, S, only};
use crate::analysis::Finding as F;
use crate::decode::tcp::flags::{ACK, RST, SYN};

#[test]
fn port_reuse_starts_a_new_conversation() {
    let mut c = Conn::new();
    c.handshake();
    assert!(
        !c.e.starts_new_conversation(0, SYN, C),
        "same ISN: a retransmitted SYN"
    );
    assert!(
        !c.e.starts_new_conversation(1, SYN | ACK, S + 7),
        "SYN/ACK never splits"
    );
    assert!(c.e.starts_new_conversation(0, SYN, C + 77_777));
    let mut fresh = Conn::new();
    fresh.e = StreamExpert::after_port_reuse();
    let syn = fresh.seg(0, C + 77_777, 0, SYN, 0);
    assert!(only(&syn, F::ReusedPorts), "{syn:?}");
    let synack = fresh.wait(100).seg(1, S, C + 77_778, SYN | ACK, 0);
    assert!(synack.findings.is_empty());
    // Given to the old state instead, the SYN resets it the same way.
    let same = c.wait(100).seg(0, C + 77_777, 0, SYN, 0);
    assert!(only(&same, F::ReusedPorts), "{same:?}");
    let synack = c.wait(100).seg(1, S + 3, C + 77_778, SYN | ACK, 0);
    assert_eq!(
        synack.acks_frame,
        Some(4),
        "the old conversation's segments are gone"
    );
}

#[test]
fn retransmitted_syn_after_a_reset() {
    let mut c = Conn::new();
    c.seg(0, C, 0, SYN, 0);
    c.wait(100).seg(1, S, C + 7000, SYN | ACK, 0); // a bogus ACK number
    c.wait(100).seg(0, C + 7000, 0, RST, 0); // moves the client's highest seq
    let syn = c.wait(1_000_000).seg(0, C, 0, SYN, 0);
    assert!(only(&syn, F::Retransmission), "{syn:?}");
    c.wait(100).seg(1, S, C + 1, SYN | ACK, 0);
    c.wait(100).seg(0, C + 1, S + 1, ACK, 0);
    let data = c.wait(100).data(1, 10);
    assert!(
        data.findings.is_empty(),
        "the SYN restored the client's next seq: {data:?}"
    );
}

#[test]
fn synack_with_a_new_isn_moves_the_base() {
    let mut c = Conn::new();
    c.handshake();
    let odd = c.wait(100).seg(1, S + 40_000, C + 1, SYN | ACK, 0);
    assert!(odd.findings.contains(F::ReusedPorts), "{odd:?}");
}

#[test]
fn unanalyzable_segments_show_nothing_but_still_time_the_handshake() {
    let mut c = Conn::new();
    c.seg(0, C, 0, SYN, 0);
    c.wait(100).seg(1, S, C + 1, SYN | ACK, 0);
    let mut frag = c.wait(900).input(C + 1, S + 1, ACK, 1000, 0);
    frag.len = None;
    assert!(c.feed(0, &frag).is_empty());
    assert_eq!(c.e.initial_rtt_nanos(), Some(1_000_000));
}

#[test]
fn cut_options_hide_the_analysis() {
    let mut c = Conn::new();
    c.seg(0, C, 0, SYN, 0);
    let mut synack = c.wait(100).input(S, C + 1, SYN | ACK, 1000, 0);
    synack.options_complete = false;
    assert!(c.feed(1, &synack).is_empty());
    // The state moved on all the same: the SYN was acknowledged and left the list.
    let ack = c.wait(100).seg(0, C + 1, S + 1, ACK, 0);
    assert_eq!(ack.acks_frame, Some(2));
}

#[test]
fn unacked_list_is_bounded() {
    let mut c = Conn::new();
    c.e = StreamExpert::with_unacked_limit(4);
    c.handshake();
    for i in 0..10 {
        c.wait(10).data(1 + 10 * i, 10);
    }
    assert!(c.e.flows[0].unacked.len() <= 4);
    let ack = c.wait(10).ack(41);
    assert_eq!(
        ack.acks_frame,
        Some(7),
        "the fourth segment is still tracked"
    );
    let ack = c.wait(10).ack(61);
    assert_eq!(ack.acks_frame, None, "the sixth was never stored");
}

#[test]
fn mptcp_option_changes_hide_one_duplicate_ack() {
    let mut c = Conn::new();
    let mut syn = c.input(C, 0, SYN, 1000, 0);
    syn.mptcp = Some(1); // MP_CAPABLE
    c.feed(0, &syn);
    let mut synack = c.wait(100).input(S, C + 1, SYN | ACK, 1000, 0);
    synack.mptcp = Some(1);
    c.feed(1, &synack);
    c.wait(100).seg(0, C + 1, S + 1, ACK, 0);
    let first = c.wait(100).ack(1);
    assert!(only(&first, F::DuplicateAck), "{first:?}");
    // The client's segment brings a new MPTCP subtype (ADD_ADDR)...
    let mut add = c.wait(100).input(C + 1, S + 1, ACK, 1000, 0);
    add.mptcp = Some(1 << 3);
    c.feed(0, &add);
    // ...so the server's next identical ACK is not counted, the one after is.
    let hidden = c.wait(100).ack(1);
    assert!(hidden.is_empty(), "{hidden:?}");
    let second = c.wait(100).ack(1);
    assert_eq!(second.dup_ack, Some((2, 2)));
}
