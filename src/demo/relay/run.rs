//! The relay loop's state: each direction's queue of held frames, what was dropped, the errors
//! met; reading, deciding, holding and forwarding frames.

use std::collections::VecDeque;
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

use super::impair::{Decider, Directions, Verdict};
use super::report::{DirCounts, Direction, DropKind, DroppedFrame};
use super::{MAX_ERRORS, MAX_QUEUED, REORDER_MAX_HOLD, Relay};
use crate::time::Timestamp;

/// One direction's queue and counters.
#[derive(Default)]
pub(super) struct Lane {
    pub(super) queue: VecDeque<(Instant, Vec<u8>)>,
    pub(super) held: Option<(Instant, Vec<u8>)>,
    pub(super) counts: DirCounts,
}

pub(super) struct RunState<'a> {
    pub(super) decider: Decider,
    pub(super) delay: Duration,
    pub(super) directions: Directions,
    pub(super) lanes: [Lane; 2],
    pub(super) dropped: Vec<DroppedFrame>,
    pub(super) errors: Vec<String>,
    pub(super) notify: Option<&'a Sender<DroppedFrame>>,
}

impl RunState<'_> {
    pub(super) fn error(&mut self, e: String) {
        if self.errors.len() < MAX_ERRORS {
            self.errors.push(e);
        }
    }

    pub(super) fn next_due(&self) -> Option<Instant> {
        self.lanes
            .iter()
            .flat_map(|l| {
                let held = l.held.as_ref().map(|(t, _)| *t + REORDER_MAX_HOLD);
                [l.queue.front().map(|(t, _)| *t), held]
            })
            .flatten()
            .min()
    }

    pub(super) fn send(&mut self, relay: &Relay, dir: Direction, frame: &[u8]) {
        match relay.out(dir).send(frame) {
            Ok(()) => self.lanes[dir as usize].counts.forwarded += 1,
            Err(e) => {
                self.lanes[dir as usize].counts.lost += 1;
                self.error(format!("send {}: {e}", dir.arrow()));
            }
        }
    }

    /// Sends queued frames whose delay is over, and held frames nobody passed in time.
    pub(super) fn release_due(&mut self, relay: &Relay, now: Instant) {
        for dir in [Direction::AToB, Direction::BToA] {
            let lane = &mut self.lanes[dir as usize];
            if lane
                .held
                .as_ref()
                .is_some_and(|(t, _)| now >= *t + REORDER_MAX_HOLD)
                && let Some(held) = lane.held.take()
            {
                lane.queue.push_back(held);
            }
            loop {
                let lane = &mut self.lanes[dir as usize];
                match lane.queue.front() {
                    Some((due, _)) if *due <= now => {}
                    _ => break,
                }
                if let Some((_, frame)) = lane.queue.pop_front() {
                    self.send(relay, dir, &frame);
                }
            }
        }
    }

    /// Queues a frame for sending after the direction's delay (at once without delay).
    pub(super) fn enqueue(
        &mut self,
        relay: &Relay,
        dir: Direction,
        frame: Vec<u8>,
        read_at: Instant,
    ) {
        let delayed = !self.delay.is_zero() && self.directions.includes(dir);
        let lane = &mut self.lanes[dir as usize];
        if !delayed && lane.queue.is_empty() {
            self.send(relay, dir, &frame);
        } else if lane.queue.len() >= MAX_QUEUED {
            lane.counts.lost += 1;
        } else {
            if delayed {
                lane.counts.delayed += 1;
            }
            let due = if delayed {
                read_at + self.delay
            } else {
                read_at
            };
            lane.queue.push_back((due, frame));
        }
        // A held frame goes right behind the frame that passed it.
        if let Some((_, held)) = self.lanes[dir as usize].held.take() {
            self.enqueue(relay, dir, held, read_at);
        }
    }

    /// Reads every queued frame of one side (at most 256 per round).
    pub(super) fn drain(&mut self, relay: &Relay, dir: Direction, buf: &mut [u8], max_frames: u64) {
        for _ in 0..256 {
            let read = self.lanes[0].counts.read + self.lanes[1].counts.read;
            if read >= max_frames {
                return;
            }
            let got = match relay.input(dir).recv(buf) {
                Ok(Some(got)) => got,
                Ok(None) => return,
                Err(e) => {
                    self.error(format!("recv {}: {e}", dir.arrow()));
                    return;
                }
            };
            if got.outgoing {
                continue;
            }
            let now = Instant::now();
            let lane = &mut self.lanes[dir as usize];
            lane.counts.read += 1;
            let frame_no = lane.counts.read;
            if got.wire_len > got.len {
                lane.counts.lost += 1;
                self.error(format!(
                    "{} frame of {} bytes too large",
                    dir.arrow(),
                    got.wire_len
                ));
                continue;
            }
            let frame = buf[..got.len].to_vec();
            match self.decider.decide(dir, &frame) {
                Verdict::Forward => self.enqueue(relay, dir, frame, now),
                Verdict::Retransmission => {
                    self.lanes[dir as usize].counts.retransmissions += 1;
                    self.enqueue(relay, dir, frame, now);
                }
                Verdict::Drop(kind) => {
                    let counts = &mut self.lanes[dir as usize].counts;
                    match kind {
                        DropKind::TcpData { .. } => counts.dropped_tcp += 1,
                        DropKind::Udp { .. } => counts.dropped_udp += 1,
                    }
                    let dropped = DroppedFrame {
                        ts: Timestamp::now(),
                        direction: dir,
                        frame_no,
                        kind,
                    };
                    if let Some(tx) = self.notify {
                        let _ = tx.send(dropped.clone());
                    }
                    self.dropped.push(dropped);
                }
                Verdict::Hold => {
                    let lane = &mut self.lanes[dir as usize];
                    if lane.held.is_some() {
                        // One frame held at a time: this one just goes.
                        self.enqueue(relay, dir, frame, now);
                    } else {
                        lane.counts.reordered += 1;
                        lane.held = Some((now, frame));
                    }
                }
            }
        }
    }
}
