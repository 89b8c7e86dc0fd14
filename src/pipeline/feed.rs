//! The printing thread's side of a pass where it also reads: it keeps the following thread
//! supplied with decoded batches and writes each batch that comes back.

use std::sync::mpsc::{Receiver, SyncSender, TryRecvError};

use super::DEPTH;
use super::batch::{BATCH, Batch};
use super::relay;
use super::share::Share;
use crate::capture::FileSource;
use crate::render::Printer;

/// The printing thread's side of the pass: it reads and decodes the batches the following
/// thread follows, keeping [`DEPTH`] of them there, and writes each batch that comes back.
pub(super) struct Feed {
    source: FileSource,
    to_follow: SyncSender<Batch>,
    /// Batches written and ready to be refilled.
    spare: Vec<Batch>,
    /// Batches sent to the following thread and not yet back.
    in_flight: usize,
    /// Whether the file has more frames.
    reading: bool,
}

impl Feed {
    pub(super) fn new(source: FileSource, to_follow: SyncSender<Batch>) -> Feed {
        Feed {
            source,
            to_follow,
            spare: Vec::new(),
            in_flight: 0,
            reading: true,
        }
    }

    /// Reads batches until [`DEPTH`] are with the following thread or the file ends.
    fn fill(&mut self, share: &Share) {
        while self.reading && self.in_flight < DEPTH {
            let mut batch = self.spare.pop().unwrap_or_else(Batch::new);
            batch.fill(&mut self.source, BATCH);
            self.reading = batch.end.is_none();
            if self.to_follow.send(batch).is_err() {
                // The following thread stopped: its result says why.
                self.reading = false;
                return;
            }
            self.in_flight += 1;
            share.sent_one();
        }
    }

    /// Replays each followed batch into the printer, in order, until the last one.
    pub(super) fn print(
        &mut self,
        printer: &mut dyn Printer,
        from_follower: &Receiver<Batch>,
        share: &Share,
    ) -> std::io::Result<()> {
        loop {
            self.fill(share);
            if self.in_flight == 0 {
                return Ok(());
            }
            let batch = match from_follower.try_recv() {
                Ok(batch) => batch,
                Err(TryRecvError::Disconnected) => return Ok(()),
                Err(TryRecvError::Empty) => {
                    // Waiting for followed frames: the following thread is behind.
                    share.lower();
                    match from_follower.recv() {
                        Ok(batch) => batch,
                        Err(_) => return Ok(()),
                    }
                }
            };
            self.in_flight -= 1;
            // The following thread gets its next batch before this one is written.
            self.fill(share);
            relay::replay(&batch, printer)?;
            self.spare.push(batch);
        }
    }
}
