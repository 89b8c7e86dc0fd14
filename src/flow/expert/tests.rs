//! Hand-built segment sequences for the sequence findings and ACK matching.

use super::{ExpertOut, SegmentIn, StreamExpert};
use crate::analysis::Finding as F;
use crate::capture::Timestamp;
use crate::decode::tcp::flags::{ACK, FIN, PSH, RST, SYN};

/// Client's and server's initial sequence numbers in these tests.
pub(super) const C: u32 = 1000;
pub(super) const S: u32 = 5000;

/// A conversation fed segment by segment; the clock advances as told.
pub(super) struct Conn {
    pub(super) e: StreamExpert,
    pub(super) frame: u64,
    pub(super) micros: i64,
}

impl Conn {
    pub(super) fn new() -> Conn {
        Conn {
            e: StreamExpert::new(),
            frame: 0,
            micros: 1_000_000_000,
        }
    }

    /// Advances the clock by `us` microseconds.
    pub(super) fn wait(&mut self, us: i64) -> &mut Conn {
        self.micros += us;
        self
    }

    pub(super) fn input<'a>(
        &self,
        seq: u32,
        ack: u32,
        flags: u16,
        win: u16,
        len: u32,
    ) -> SegmentIn<'a> {
        SegmentIn {
            frame: self.frame + 1,
            ts: Timestamp::new(
                self.micros / 1_000_000,
                (self.micros % 1_000_000) as u64 * 1000,
            ),
            seq,
            ack,
            flags,
            window: win,
            len: Some(len),
            window_scale: None,
            sack: &[],
            mptcp: None,
            options_complete: true,
        }
    }

    /// Feeds a segment from `dir` (0 client, 1 server) with window 1000.
    pub(super) fn seg(
        &mut self,
        dir: usize,
        seq: u32,
        ack: u32,
        flags: u16,
        len: u32,
    ) -> ExpertOut {
        self.seg_win(dir, seq, ack, flags, 1000, len)
    }

    pub(super) fn seg_win(
        &mut self,
        dir: usize,
        seq: u32,
        ack: u32,
        flags: u16,
        win: u16,
        len: u32,
    ) -> ExpertOut {
        let input = self.input(seq, ack, flags, win, len);
        self.feed(dir, &input)
    }

    pub(super) fn feed(&mut self, dir: usize, input: &SegmentIn<'_>) -> ExpertOut {
        self.frame = input.frame;
        self.e.analyze(dir, input)
    }

    /// SYN, SYN/ACK, ACK 1 ms apart, without options: frames 1 to 3.
    pub(super) fn handshake(&mut self) {
        self.seg(0, C, 0, SYN, 0);
        self.wait(1000).seg(1, S, C + 1, SYN | ACK, 0);
        self.wait(1000).seg(0, C + 1, S + 1, ACK, 0);
    }

    /// Client data of `len` bytes at relative sequence `rel` (1 = first byte).
    pub(super) fn data(&mut self, rel: u32, len: u32) -> ExpertOut {
        self.seg(0, C + rel, S + 1, ACK | PSH, len)
    }

    /// Server pure ACK of client relative sequence `rel`.
    pub(super) fn ack(&mut self, rel: u32) -> ExpertOut {
        self.seg(1, S + 1, C + rel, ACK, 0)
    }
}

pub(super) fn only(out: &ExpertOut, f: F) -> bool {
    out.findings.iter().eq([f])
}

#[test]
fn handshake_acks_frames_and_initial_rtt() {
    let mut c = Conn::new();
    let syn = c.seg(0, C, 0, SYN, 0);
    assert!(syn.is_empty(), "a SYN alone shows nothing: {syn:?}");
    let synack = c.wait(1500).seg(1, S, C + 1, SYN | ACK, 0);
    assert_eq!(synack.acks_frame, Some(1));
    assert_eq!(synack.ack_rtt_nanos, Some(1_500_000));
    assert_eq!(synack.initial_rtt_nanos, None);
    let ack = c.wait(500).seg(0, C + 1, S + 1, ACK, 0);
    assert_eq!(
        (ack.acks_frame, ack.ack_rtt_nanos),
        (Some(2), Some(500_000))
    );
    assert_eq!(ack.initial_rtt_nanos, Some(2_000_000));
    assert!(ack.findings.is_empty());
    // Data: bytes in flight, and the initial RTT shown with it.
    let d = c.wait(100).data(1, 100);
    assert_eq!(d.bytes_in_flight, Some(100));
    assert_eq!(d.push_bytes_sent, Some(100));
    assert_eq!(d.initial_rtt_nanos, Some(2_000_000));
    // A pure ACK that acknowledges no segment exactly has nothing to show.
    let partial = c.wait(100).ack(51);
    assert!(partial.is_empty(), "{partial:?}");
    let full = c.wait(100).ack(101);
    assert_eq!(full.acks_frame, Some(4));
}

#[test]
fn retransmission_after_a_timeout() {
    let mut c = Conn::new();
    c.handshake();
    c.data(1, 100);
    c.wait(100).data(101, 100);
    let again = c.wait(300_000).data(1, 100);
    assert!(only(&again, F::Retransmission), "{again:?}");
    assert_eq!(
        again.findings.wireshark_fields().collect::<Vec<_>>(),
        ["tcp.analysis.retransmission"]
    );
    // Both copies are outstanding: the oldest one ending at the ACK is acknowledged.
    let ack = c.wait(100).ack(101);
    assert_eq!(ack.acks_frame, Some(4));
}

#[test]
fn lost_segment_then_out_of_order() {
    let mut c = Conn::new();
    c.handshake();
    c.data(1, 100);
    let gap = c.wait(100).data(201, 100);
    assert!(only(&gap, F::LostSegment), "{gap:?}");
    assert_eq!(
        gap.bytes_in_flight, None,
        "bytes in flight wait for an ACK after a gap"
    );
    let late = c.wait(1000).data(101, 100);
    assert!(only(&late, F::OutOfOrder), "{late:?}");
    // The receiver's ACK makes bytes in flight valid again.
    c.wait(100).ack(301);
    let next = c.wait(100).data(301, 100);
    assert_eq!(next.bytes_in_flight, Some(100));
}

#[test]
fn late_segment_beyond_the_initial_rtt_is_a_retransmission() {
    let mut c = Conn::new();
    c.handshake(); // initial RTT 2 ms
    c.data(1, 100);
    c.wait(100).data(201, 100);
    let late = c.wait(2500).data(101, 100);
    assert!(only(&late, F::Retransmission), "{late:?}");
}

#[test]
fn duplicate_acks_and_fast_retransmission() {
    let mut c = Conn::new();
    c.handshake();
    c.data(1, 100); // 4
    c.wait(10).data(101, 100); // 5, lost on the way
    c.wait(10).data(201, 100); // 6
    c.wait(10).data(301, 100); // 7
    let first = c.wait(20_000).ack(101); // 8
    assert_eq!(first.acks_frame, Some(4));
    assert_eq!(first.dup_ack, None);
    let d1 = c.wait(100).ack(101);
    assert!(only(&d1, F::DuplicateAck));
    assert_eq!(d1.dup_ack, Some((1, 8)));
    let d2 = c.wait(100).ack(101);
    assert_eq!(d2.dup_ack, Some((2, 8)));
    let fast = c.wait(5000).data(101, 100);
    assert!(only(&fast, F::FastRetransmission), "{fast:?}");
    let fields: Vec<_> = fast.findings.wireshark_fields().collect();
    assert_eq!(
        fields,
        [
            "tcp.analysis.retransmission",
            "tcp.analysis.fast_retransmission"
        ]
    );
    // A new ACK number resets the count and becomes the frame later duplicates point to.
    let new = c.wait(20_000).ack(401);
    assert!(new.findings.is_empty());
    let d = c.wait(100).ack(401);
    assert_eq!(d.dup_ack, Some((1, 12)));
}

#[test]
fn too_late_for_a_fast_retransmission() {
    let mut c = Conn::new();
    c.handshake();
    c.data(1, 100);
    c.wait(10).data(101, 100);
    c.wait(10).data(201, 100);
    c.wait(20_000).ack(101);
    c.wait(100).ack(101);
    c.wait(100).ack(101);
    let slow = c.wait(25_000).data(101, 100);
    assert!(only(&slow, F::Retransmission), "{slow:?}");
}

#[test]
fn spurious_retransmission_of_acknowledged_data() {
    let mut c = Conn::new();
    c.handshake();
    c.data(1, 100);
    c.wait(10_000).ack(101);
    let again = c.wait(200_000).data(1, 100);
    assert!(only(&again, F::SpuriousRetransmission), "{again:?}");
    let fields: Vec<_> = again.findings.wireshark_fields().collect();
    assert_eq!(
        fields,
        [
            "tcp.analysis.retransmission",
            "tcp.analysis.spurious_retransmission"
        ]
    );
}

#[test]
fn ack_of_unseen_data() {
    let mut c = Conn::new();
    c.handshake();
    c.data(1, 100);
    c.wait(10).data(201, 100); // 101..201 was not captured
    let ahead = c.wait(10_000).ack(301);
    assert!(only(&ahead, F::AckLostSegment), "{ahead:?}");
    // The gap is reported once: the limit moved to the highest sequence seen.
    let again = c.wait(100).ack(301);
    assert!(only(&again, F::DuplicateAck), "{again:?}");
    // An ACK beyond anything sent is reported, each time.
    let beyond = c.wait(10_000).ack(501);
    assert!(only(&beyond, F::AckLostSegment), "{beyond:?}");
    let beyond = c.wait(10_000).ack(601);
    assert!(only(&beyond, F::AckLostSegment), "{beyond:?}");
    assert_eq!(beyond.initial_rtt_nanos, Some(2_000_000));
}

#[test]
fn keep_alive_and_its_ack() {
    let mut c = Conn::new();
    c.handshake();
    c.data(1, 5);
    c.wait(100).ack(6);
    let probe = c.wait(1_000_000).seg(0, C + 5, S + 1, ACK, 0);
    assert!(only(&probe, F::KeepAlive), "{probe:?}");
    let answer = c.wait(100).ack(6);
    assert!(only(&answer, F::KeepAliveAck), "{answer:?}");
    // With one byte of garbage it is still a keep-alive, not a retransmission.
    let probe1 = c.wait(1_000_000).seg(0, C + 5, S + 1, ACK, 1);
    assert!(only(&probe1, F::KeepAlive), "{probe1:?}");
}

#[test]
fn rst_and_fin_are_never_keep_alives_and_rst_never_a_gap() {
    let mut c = Conn::new();
    c.handshake();
    c.data(1, 5);
    let fin = c.wait(100).seg(0, C + 5, S + 1, FIN | ACK, 0);
    assert!(
        only(&fin, F::Retransmission),
        "a FIN behind the next seq: {fin:?}"
    );
    let rst = c.wait(100).seg(1, S + 900, 0, RST, 0);
    assert!(rst.findings.is_empty(), "{rst:?}");
}
