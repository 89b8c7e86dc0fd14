//! Sharing the writing of the timeline (or of JSON packet records) between the two threads.
//! Whichever thread writes less would otherwise wait for the other; instead the following
//! thread writes the lines of the first frames of a batch itself, with a writer of the same
//! configuration, and the printing thread outputs that text and writes the rest. How many
//! frames the following thread takes adapts to which thread waits for the other.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::batch::{BATCH, Batch};
use super::relay::Item;
use crate::render::Shown;
use crate::render::shared::SharedWriter;

/// Frames by which the share moves each time one thread waits for the other.
const STEP: usize = 16;

/// How many frames of each batch the following thread writes: raised when the printing
/// thread falls behind, lowered when it waits (unless fixed).
#[derive(Debug, Default)]
pub(super) struct Share {
    frames: AtomicUsize,
    fixed: bool,
}

impl Share {
    /// A share that stays `frames` (for tests: which thread writes does not change the
    /// output).
    #[cfg(test)]
    pub(super) fn fixed(frames: usize) -> Share {
        Share {
            frames: AtomicUsize::new(frames),
            fixed: true,
        }
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
    /// the timeline) into the batch's text, and records how many items that covers.
    pub(super) fn write_ahead(&mut self, batch: &mut Batch, share: &Share) {
        let Batch {
            slots,
            items,
            text,
            written_elsewhere,
            ..
        } = batch;
        text.clear();
        *written_elsewhere = 0;
        let mut left = share.get();
        for (i, item) in items.iter().enumerate() {
            match item {
                Item::Slot(index) => {
                    let Some(slot) = slots.get(*index) else {
                        left = 0;
                        continue;
                    };
                    if left > 0 {
                        let shown = Shown {
                            frame: &slot.frame,
                            packet: &slot.packet,
                            obs: &slot.obs,
                        };
                        // Writing to memory cannot fail.
                        let _ = self.writer.write_packet(text, &shown);
                        left -= 1;
                        *written_elsewhere = i + 1;
                    } else {
                        self.writer.skip(&slot.obs);
                    }
                }
                // A conversation's end prints nothing in the timeline.
                Item::Conversation(_) if self.is_timeline() => {}
                _ => left = 0,
            }
        }
    }
}
