//! Frames and the demo peers' socket calls come from different queues; a peer logs "recv
//! returned" a few microseconds after the packet that woke it was stamped. Both are held for a
//! short window and released merged by timestamp. Frames are never reordered among themselves.

use std::collections::VecDeque;
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use super::LiveItem;
use crate::Result;
use crate::capture::Frame;
use crate::demo::AppEvent;

/// Holds frames and events and releases them merged by timestamp.
pub(super) struct Merger {
    frames: VecDeque<(Instant, Frame)>,
    events: VecDeque<(Instant, AppEvent)>,
    hold_back: Duration,
    pub(super) delivered_frames: u64,
    pub(super) delivered_events: u64,
}

impl Merger {
    pub(super) fn new(hold_back: Duration) -> Merger {
        Merger {
            frames: VecDeque::new(),
            events: VecDeque::new(),
            hold_back,
            delivered_frames: 0,
            delivered_events: 0,
        }
    }

    pub(super) fn push_frame(&mut self, frame: Frame) {
        self.frames.push_back((Instant::now(), frame));
    }

    /// Inserts an event after every queued event with a timestamp <= its own.
    fn push_event(&mut self, event: AppEvent) {
        let at = self.events.partition_point(|(_, e)| e.ts <= event.ts);
        self.events.insert(at, (Instant::now(), event));
    }

    pub(super) fn drain_events(&mut self, rx: &Receiver<AppEvent>) {
        while let Ok(event) = rx.try_recv() {
            self.push_event(event);
        }
    }

    /// Delivers items in timestamp order: all of them with `everything`, otherwise those
    /// queued for at least the hold-back window.
    pub(super) fn release(
        &mut self,
        everything: bool,
        sink: &mut dyn FnMut(LiveItem) -> Result<()>,
    ) -> Result<()> {
        loop {
            let take_event = match (self.frames.front(), self.events.front()) {
                (None, None) => return Ok(()),
                (Some(_), None) => false,
                (None, Some(_)) => true,
                (Some((_, f)), Some((_, e))) => e.ts <= f.ts,
            };
            let queued_at = if take_event {
                self.events.front().map(|(t, _)| *t)
            } else {
                self.frames.front().map(|(t, _)| *t)
            };
            if !everything && queued_at.is_some_and(|t| t.elapsed() < self.hold_back) {
                return Ok(());
            }
            let item = if take_event {
                self.events.pop_front().map(|(_, e)| LiveItem::App(e))
            } else {
                self.frames.pop_front().map(|(_, f)| LiveItem::Frame(f))
            };
            match item {
                Some(item @ LiveItem::Frame(_)) => {
                    self.delivered_frames += 1;
                    sink(item)?;
                }
                Some(item) => {
                    self.delivered_events += 1;
                    sink(item)?;
                }
                None => return Ok(()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::LinkType;
    use crate::demo::{Call, Detail, Phase, Side};
    use crate::time::Timestamp;

    fn frame(index: u64, nanos: u64) -> Frame {
        Frame {
            index,
            ts: Timestamp::new(100, nanos),
            linktype: LinkType::ETHERNET,
            orig_len: 0,
            data: Vec::new(),
        }
    }

    fn event(nanos: u64) -> AppEvent {
        AppEvent {
            ts: Timestamp::new(100, nanos),
            side: Side::Client,
            call: Call::Recv,
            phase: Phase::After,
            detail: Detail::Eof,
            conn: None,
        }
    }

    #[test]
    fn merge_orders_by_time_and_keeps_frame_order() {
        let mut merger = Merger::new(Duration::from_secs(3600));
        merger.push_frame(frame(1, 10));
        merger.push_frame(frame(2, 30));
        // Out of timestamp order on the wire: still delivered after frame 2.
        merger.push_frame(frame(3, 25));
        merger.push_event(event(20));
        merger.push_event(event(5));
        let mut out = Vec::new();
        merger
            .release(false, &mut |i| {
                out.push(i);
                Ok(())
            })
            .unwrap();
        assert!(out.is_empty(), "held back");
        merger
            .release(true, &mut |i| {
                out.push(i);
                Ok(())
            })
            .unwrap();
        let order: Vec<String> = out
            .iter()
            .map(|i| match i {
                LiveItem::Frame(f) => format!("f{}", f.index),
                LiveItem::App(e) => format!("e{}", e.ts.nanos),
                LiveItem::Opened { .. } => "open".into(),
            })
            .collect();
        assert_eq!(order, ["e5", "f1", "e20", "f2", "f3"]);
        assert_eq!((merger.delivered_frames, merger.delivered_events), (3, 2));
    }
}
