//! Sharing the writing of the timeline (or of JSON packet records) between the two threads.
//! Whichever thread writes less would otherwise wait for the other; instead the following
//! thread writes the lines of the first frames of a batch itself, with a writer of the same
//! configuration, and the printing thread outputs that text and writes the rest. How many
//! frames the following thread takes adapts to which thread waits for the other; where the
//! printing thread also reads, the following thread goes on writing lines instead of waiting
//! while its next batch is not read yet.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::batch::{BATCH, Batch};
use super::relay::Item;
use crate::render::Shown;
use crate::render::shared::SharedWriter;

/// Frames by which the share moves each time one thread waits for the other.
const STEP: usize = 16;

/// How many frames of each batch the following thread writes: raised when the printing
/// thread falls behind, lowered when it waits (unless fixed); and how many batches the
/// printing thread has read for it, so that it can write more while the next is not there.
#[derive(Debug, Default)]
pub(super) struct Share {
    frames: AtomicUsize,
    /// Batches sent to the following thread (where the printing thread reads).
    sent: AtomicUsize,
    fixed: bool,
    /// For tests: the frames written besides the share follow these bits, not the reading.
    #[cfg(test)]
    pattern: Option<std::sync::atomic::AtomicU64>,
}

impl Share {
    /// A share that stays `frames` (for tests: which thread writes does not change the
    /// output).
    #[cfg(test)]
    pub(super) fn fixed(frames: usize) -> Share {
        Share {
            frames: AtomicUsize::new(frames),
            fixed: true,
            ..Share::default()
        }
    }

    /// A share of no frames, where whether the following thread writes one more frame of a
    /// batch follows the bits of `seed` in turn (for tests: the output is the same).
    #[cfg(test)]
    pub(super) fn patterned(seed: u64) -> Share {
        Share {
            fixed: true,
            pattern: Some(std::sync::atomic::AtomicU64::new(seed)),
            ..Share::default()
        }
    }

    /// The printing thread sent the following thread another batch.
    pub(super) fn sent_one(&self) {
        self.sent.fetch_add(1, Ordering::Release);
    }

    /// Whether the following thread, having taken `taken` batches, may write one more frame
    /// of the batch it holds: its next batch is not read yet (it would wait otherwise).
    fn may_write_more(&self, taken: usize) -> bool {
        #[cfg(test)]
        if let Some(bits) = &self.pattern {
            let b = bits.load(Ordering::Relaxed);
            bits.store(b.rotate_left(1), Ordering::Relaxed);
            return b & 1 == 1;
        }
        !self.fixed && self.sent.load(Ordering::Acquire) <= taken
    }

    fn get(&self) -> usize {
        self.frames.load(Ordering::Relaxed)
    }

    fn adjust(&self, change: impl Fn(usize) -> usize) {
        if !self.fixed {
            let _ = self
                .frames
                .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| Some(change(n)));
        }
    }

    /// The printing thread is behind: the following thread takes more.
    pub(super) fn raise(&self) {
        self.adjust(|n| (n + STEP).min(BATCH));
    }

    /// The printing thread waits: the following thread takes less.
    pub(super) fn lower(&self) {
        self.adjust(|n| n.saturating_sub(STEP));
    }
}

/// The following thread's writer, which sees every shown frame (writing some, skipping the
/// others) so that its state is the printer's at each frame.
pub(super) struct Sharer {
    writer: SharedWriter,
}

impl Sharer {
    pub(super) fn new(writer: SharedWriter) -> Sharer {
        Sharer { writer }
    }

    /// Whether it writes the timeline.
    pub(super) fn is_timeline(&self) -> bool {
        matches!(self.writer, SharedWriter::Timeline(_))
    }

    /// Writes the lines of the batch's first frames (as many as `share` says, and only up to
    /// the first call other than a frame, or a conversation's end, which prints nothing in
    /// the timeline) into the batch's text, and records how many items that covers. With
    /// `taken`, the batches taken so far by a following thread whose batches the printing
    /// thread reads, it writes more frames while the next batch is not there.
    pub(super) fn write_ahead(&mut self, batch: &mut Batch, share: &Share, taken: Option<usize>) {
        let Batch {
            frames,
            packets,
            observations,
            items,
            text,
            written_elsewhere,
            ..
        } = batch;
        text.clear();
        *written_elsewhere = 0;
        let mut left = share.get();
        // Whether frames are still written here: the written ones are a run from the start.
        let mut writing = true;
        for (i, item) in items.iter().enumerate() {
            match item {
                Item::Slot(index) => {
                    let (Some(frame), Some(packet), Some(obs)) = (
                        frames.get(*index),
                        packets.get(*index),
                        observations.get(*index),
                    ) else {
                        writing = false;
                        continue;
                    };
                    writing =
                        writing && (left > 0 || taken.is_some_and(|t| share.may_write_more(t)));
                    if writing {
                        let shown = Shown { frame, packet, obs };
                        // Writing to memory cannot fail.
                        let _ = self.writer.write_packet(text, &shown);
                        left = left.saturating_sub(1);
                        *written_elsewhere = i + 1;
                    } else {
                        self.writer.skip(obs);
                    }
                }
                // A conversation's end prints nothing in the timeline.
                Item::Conversation(_) if self.is_timeline() => {}
                _ => writing = false,
            }
        }
    }
}
