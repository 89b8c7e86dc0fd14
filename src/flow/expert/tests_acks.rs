//! ACKs against the unacknowledged segments: the in-order path must leave exactly what the
//! general walk leaves, also where sequence numbers wrap past 2^32.

use super::state::{Flow, Unacked, settle};
use crate::capture::Timestamp;

/// The general walk on its own, segment by segment: what every ACK must leave.
fn walk(list: &mut Vec<Unacked>, ack: u32, ts: Timestamp) -> Option<(u64, i64)> {
    let mut acked = None;
    list.retain_mut(|u| settle(u, ack, ts, &mut acked));
    acked
}

/// The span of `list` relative to `base`, as bytes in flight see it.
fn span(list: &[Unacked], base: u32) -> Option<u32> {
    let first = list.iter().map(|u| u.seq.wrapping_sub(base)).min()?;
    let last = list.iter().map(|u| u.nextseq.wrapping_sub(base)).max()?;
    Some(last.wrapping_sub(first))
}

/// A flow and its reference list, fed the same segments and ACKs.
struct Pair {
    flow: Flow,
    reference: Vec<Unacked>,
    frame: u64,
}

impl Pair {
    fn new(base: u32) -> Pair {
        let mut flow = Flow::new();
        flow.base_seq = Some(base);
        Pair {
            flow,
            reference: Vec::new(),
            frame: 0,
        }
    }

    fn ts(&self) -> Timestamp {
        Timestamp {
            secs: 1_700_000_000,
            nanos: (self.frame as u32) * 1000,
        }
    }

    fn send(&mut self, seq: u32, len: u32) {
        self.frame += 1;
        let u = Unacked {
            frame: self.frame,
            seq,
            nextseq: seq.wrapping_add(len),
            ts: self.ts(),
        };
        self.flow.push_unacked(u);
        self.reference.push(u);
    }

    /// Acknowledges `ack` on both and checks that they agree.
    fn ack(&mut self, ack: u32) -> Option<(u64, i64)> {
        self.frame += 1;
        let ts = self.ts();
        let got = self.flow.acknowledge(ack, ts);
        let want = walk(&mut self.reference, ack, ts);
        assert_eq!(got, want, "acked frame for ACK {ack:#x}");
        assert_eq!(self.flow.unacked, self.reference, "list after ACK {ack:#x}");
        let base = self.flow.base_seq.unwrap_or(0);
        assert_eq!(
            self.flow.unacked_span(),
            span(&self.reference, base),
            "span after ACK {ack:#x}"
        );
        got
    }
}

#[test]
fn in_order_acks_across_the_wrap() {
    let start = 0xffff_f000u32;
    let mut p = Pair::new(start.wrapping_sub(1));
    for i in 0..8u32 {
        p.send(start.wrapping_add(i * 1000), 1000);
    }
    assert!(p.flow.in_order());
    assert_eq!(p.ack(start), None, "covers nothing");
    assert_eq!(p.ack(start.wrapping_add(1000)).map(|a| a.0), Some(1));
    assert_eq!(
        p.ack(start.wrapping_add(2500)),
        None,
        "cuts the third segment"
    );
    assert_eq!(p.flow.unacked[0].seq, start.wrapping_add(2500));
    // The fifth segment crosses the wrap (0x1000 bytes after the start) and ends at 0x388.
    assert_eq!(p.ack(start.wrapping_add(5000)).map(|a| a.0), Some(5));
    assert!(p.flow.in_order());
    p.send(start.wrapping_add(8000), 500);
    assert_eq!(p.ack(start.wrapping_add(8500)).map(|a| a.0), Some(13));
    assert!(p.flow.unacked.is_empty());
}

#[test]
fn acks_beyond_or_far_behind_the_segments() {
    let mut p = Pair::new(0x7fff_ff00);
    for i in 0..4u32 {
        p.send(0x7fff_ff00u32.wrapping_add(i * 100), 100);
    }
    // Beyond the last end: all covered.
    assert_eq!(p.ack(0x8000_0300), None);
    assert!(p.flow.unacked.is_empty());
    for i in 0..4u32 {
        p.send(0xffff_ff00u32.wrapping_add(i * 100), 100);
    }
    // The first segment ends at 0xffff_ff64, exactly half the space before this ACK: it
    // stays, while the later ones, closer, are covered (the general walk decides).
    p.ack(0x7fff_ff64);
    assert_eq!(p.flow.unacked.len(), 1);
    p.send(0xffff_ff64, 100);
    p.send(0xffff_ffc8, 100);
    assert!(p.flow.in_order());
    // Just under half the space past the first end: covers them all.
    p.ack(p.flow.unacked[0].nextseq.wrapping_add(0x7fff_ffff));
    assert!(p.flow.unacked.is_empty());
}

#[test]
fn out_of_order_segments_take_the_general_walk() {
    let mut p = Pair::new(999);
    for i in 0..5u32 {
        p.send(1000 + i * 100, 100);
    }
    // A retransmission of the second segment: no longer in order.
    p.send(1100, 100);
    assert!(!p.flow.in_order());
    assert_eq!(p.ack(1150), None);
    assert!(!p.flow.in_order());
    assert_eq!(
        p.ack(1200).map(|a| a.0),
        Some(2),
        "the oldest one ending there"
    );
    assert!(p.flow.in_order(), "in order again once it is acknowledged");
    // A segment sent before the first one, then ACKs out of order.
    p.send(900, 50);
    assert!(!p.flow.in_order());
    p.ack(1000);
    p.ack(950);
    p.ack(1400);
    p.ack(1300);
    p.ack(1500);
    assert!(p.flow.unacked.is_empty());
}

#[test]
fn random_segments_and_acks_agree_with_the_general_walk() {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for round in 0..200 {
        let start = (next() as u32) | if round % 2 == 0 { 0xffff_0000 } else { 0 };
        let mut p = Pair::new(start.wrapping_sub(next() as u32 % 3));
        let mut sent = start;
        for _ in 0..60 {
            let r = next();
            match r % 8 {
                0..=3 => {
                    let len = 1 + (r >> 8) as u32 % 3000;
                    let gap = if r % 16 == 0 {
                        (r >> 24) as u32 % 2000
                    } else {
                        0
                    };
                    p.send(sent.wrapping_add(gap), len);
                    sent = sent.wrapping_add(gap + len);
                }
                4 => {
                    let back = (r >> 8) as u32 % 5000;
                    p.send(sent.wrapping_sub(back), 1 + (r >> 24) as u32 % 1500);
                }
                5 => {
                    p.ack(sent.wrapping_sub((r >> 8) as u32 % 8000));
                }
                6 => {
                    p.ack(p.flow.unacked.first().map_or(sent, |u| u.nextseq));
                }
                _ => {
                    p.ack((r >> 8) as u32);
                }
            }
        }
    }
}
