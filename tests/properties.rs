//! Property tests: any bytes of any supported link type decode and map without a panic, and
//! any sequence of TCP/UDP segments keeps the tracker's invariants (stated in
//! `tests/support/tracker_check.rs`: one stream per packet, relative numbers from the
//! direction's base, RFC 9293 state transitions), also with ICMP errors quoting its packets
//! and IP fragments mixed in (`tests/support/tracker_mixed.rs`).

#[path = "support/replay.rs"]
mod replay;
#[path = "support/tracker_mixed.rs"]
mod tracker_mixed;
#[path = "support/tracker_model.rs"]
mod tracker_model;

use proptest::collection::vec;
use proptest::prelude::*;

use handshake_viz::bytemap::{MapContext, map_frame};
use handshake_viz::capture::{Frame, LinkType, Timestamp};
use handshake_viz::decode::decode_bytes;
use handshake_viz::render::Theme;
use handshake_viz::render::bytes::write_frame_map;
use handshake_viz::render::words::Lang;
use tracker_model::{Num, Script, Segment};

proptest! {
    // Shrunk failures are printed; nothing is written next to the sources.
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    /// Arbitrary frames of every link type: decode, byte map and its text never panic, and
    /// every layer lies inside the captured bytes.
    #[test]
    fn any_frame_decodes_and_maps(
        link in 0..LinkType::SUPPORTED.len(),
        data in vec(any::<u8>(), 0..160),
        extra in 0u32..3000,
        shift in proptest::option::of(0u8..16),
    ) {
        let linktype = LinkType::SUPPORTED[link];
        let frame = Frame {
            index: 1,
            ts: Timestamp::new(0, 0),
            linktype,
            orig_len: data.len() as u32 + extra,
            data,
        };
        let packet = decode_bytes(linktype, &frame.data, frame.orig_len as usize);
        for layer in &packet.layers {
            prop_assert!(layer.offset + layer.len <= frame.data.len(), "{layer:?} outside the frame");
        }
        let map = map_frame(&frame, &packet, &MapContext { window_scale: shift });
        let mut out = Vec::new();
        write_frame_map(&mut out, &map, &Theme::plain(), Lang::Zh, Some(80)).unwrap();
        prop_assert!(!out.is_empty());
    }

    /// The `decode` fuzz target's whole path (plain, coloured and JSON byte maps, checked for
    /// terminal safety) on arbitrary inputs.
    #[test]
    fn any_decode_input_is_safe(data in vec(any::<u8>(), 0..200)) {
        replay::decode_input(&data);
    }

    /// Any segment sequence keeps the tracker invariants.
    #[test]
    fn any_segments_keep_tracker_invariants(script in script()) {
        if let Err(violation) = tracker_model::run(&script) {
            prop_assert!(false, "{violation}");
        }
    }

    /// ICMP errors quoting a script's packets, and its segments sent again as IP
    /// fragments, keep the ties of `tests/support/tracker_mixed.rs`.
    #[test]
    fn icmp_errors_and_fragments_keep_their_ties(script in script(), extras in vec(extra(), 0..12)) {
        let mixed = tracker_mixed::Mixed { script, extras };
        if let Err(violation) = tracker_mixed::run(&mixed) {
            prop_assert!(false, "{violation}");
        }
    }
}

fn extra() -> impl Strategy<Value = tracker_mixed::Extra> {
    use tracker_mixed::{Extra, ExtraKind};
    let kind = prop_oneof![
        3 => (any::<u8>(), any::<u8>(), any::<bool>()).prop_map(|(segment, more, time_exceeded)| {
            ExtraKind::Quote { segment, more, time_exceeded }
        }),
        1 => (any::<u8>(), any::<bool>())
            .prop_map(|(size, last_first)| ExtraKind::Fragments { size, last_first }),
    ];
    (any::<u8>(), kind).prop_map(|(after, kind)| Extra { after, kind })
}

fn num() -> impl Strategy<Value = Num> {
    prop_oneof![
        4 => (0u16..600).prop_map(Num::After),
        1 => any::<u16>().prop_map(Num::Before),
        1 => any::<u32>().prop_map(Num::Raw),
    ]
}

/// Flags weighted towards the ones that drive the state machine.
fn flags() -> impl Strategy<Value = u16> {
    prop_oneof![
        Just(0x002u16), // SYN
        Just(0x012),    // SYN, ACK
        Just(0x010),    // ACK
        Just(0x018),    // PSH, ACK
        Just(0x011),    // FIN, ACK
        Just(0x001),    // FIN
        Just(0x004),    // RST
        Just(0x014),    // RST, ACK
        0u16..0x200,
    ]
}

fn segment() -> impl Strategy<Value = Segment> {
    (
        (0u8..4, any::<bool>(), prop::bool::weighted(0.15), flags()),
        (num(), num(), any::<u16>()),
        (vec(any::<u8>(), 0..12), 0u16..40, any::<u16>()),
    )
        .prop_map(
            |((flow, reverse, udp, flags), (seq, ack, window), (options, len, gap_us))| Segment {
                flow,
                reverse,
                udp,
                flags,
                seq,
                ack,
                window,
                options,
                len,
                gap_us,
            },
        )
}

fn script() -> impl Strategy<Value = Script> {
    (any::<u8>(), any::<[u32; 8]>(), vec(segment(), 0..40)).prop_map(|(flows, isn, segments)| {
        Script {
            flows,
            isn,
            segments,
        }
    })
}

/// The transition table rejects what the tracker must never report, so the property can fail.
#[test]
fn transition_table_examples() {
    use handshake_viz::analysis::TcpState::*;
    use tracker_model::check::transition_allowed as ok;
    let (syn, synack, ack, fin, rst) = (0x002, 0x012, 0x010, 0x001, 0x004);
    assert!(ok(None, SynSent, syn));
    assert!(ok(Some(Unknown), TimeWait, ack));
    assert!(ok(Some(SynSent), Established, ack));
    assert!(ok(Some(Established), FinWait1, fin));
    assert!(ok(Some(LastAck), Closed, ack));
    assert!(ok(Some(Established), Closed, rst));
    assert!(!ok(Some(CloseWait), SynSent, syn));
    assert!(!ok(Some(FinWait1), SynReceived, synack));
    assert!(!ok(Some(TimeWait), Established, ack));
    assert!(!ok(Some(Established), SynSent, rst));
    assert!(!ok(Some(TimeWait), FinWait2, ack));
}
