//! `read`'s pass over a capture on two threads. When the view writes each packet, the
//! calling thread, which owns the output, reads and decodes the frames and formats the
//! report, while another thread follows them (the tracker and the choice of what is shown)
//! and writes part of the lines itself (see `share`): following is the one stage that cannot
//! be split, so that thread does nothing else and the writing is shared to balance the two.
//! When the view writes nothing per packet (`--summary-only`), one thread reads and decodes
//! while the calling thread follows. A third stage on its own thread was tried, and moving
//! each frame between three cores cost more than it gained.
//!
//! The threads hand each other batches of a few hundred frames through bounded channels, and
//! the batches come back to be refilled, so the buffers of a frame (its bytes, layers,
//! options, SACK blocks) are reused rather than allocated per packet, and nothing is copied
//! from one thread to the other. Each thread takes the frames in file order, so the report
//! is the one a single thread makes.

mod batch;
mod relay;
mod share;

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::mpsc::{Receiver, SyncSender, TryRecvError, channel, sync_channel};
use std::thread::ScopedJoinHandle;

use batch::Batch;
use relay::{Item, Relay};
use share::{Share, Sharer};

use crate::capture::FileSource;
use crate::capture::pcapng_write::StoredEvent;
use crate::flow::Limits;
use crate::progress::Progress;
use crate::render::{Printer, Shown};
use crate::report::{Counts, Report, Selection};
use crate::{Error, Result};

/// Batches waiting between two threads at most: memory stays bounded when a later thread
/// is slower.
const QUEUE: usize = 2;
/// Batches with the following thread (waiting, being followed, or followed and waiting to
/// be written) when the printing thread reads.
const DEPTH: usize = 3;

/// Everything a pass needs besides the printer.
pub(crate) struct Pass {
    /// The capture, opened.
    pub(crate) source: FileSource,
    /// What is shown.
    pub(crate) selection: Selection,
    /// The tracker's limits.
    pub(crate) limits: Limits,
    /// Socket calls stored in the file, in order: each goes before its frame.
    pub(crate) calls: Vec<StoredEvent>,
    /// The progress bar, if one is shown.
    pub(crate) progress: Option<Progress>,
}

impl Pass {
    /// Reads every frame and writes the report with `printer` (which has begun). With
    /// `beside`, this thread reads and prints while another follows; without, this thread
    /// follows and prints while another reads (for views that write nothing per packet). On a truncated or damaged file everything readable is reported
    /// first, then the error is returned.
    pub(crate) fn run<'w>(
        self,
        mut printer: Box<dyn Printer + 'w>,
        beside: bool,
    ) -> Result<Counts> {
        let Pass {
            source,
            selection,
            limits,
            calls,
            progress,
        } = self;
        let follower = Follower { calls, progress };
        let share = &Share::default();
        std::thread::scope(|scope| {
            let (recycle, recycled) = channel::<Batch>();
            if beside {
                let (to_follow, from_printer) = sync_channel::<Batch>(DEPTH);
                let (to_print, from_follower) = sync_channel::<Batch>(DEPTH);
                // Socket calls stored in the file are written between the lines by the
                // printer: the lines are then all written there.
                let sharer = printer
                    .shared_writer()
                    .filter(|_| follower.calls.is_empty())
                    .map(Sharer::new);
                let following = scope.spawn(move || {
                    let mut sharer = sharer;
                    let next = || {
                        let batch = match from_printer.try_recv() {
                            Ok(batch) => batch,
                            Err(TryRecvError::Disconnected) => return Err(stopped("printing")),
                            Err(TryRecvError::Empty) => {
                                // Waiting for frames: the printing thread is behind.
                                share.raise();
                                from_printer.recv().map_err(|_| stopped("printing"))?
                            }
                        };
                        Ok(batch)
                    };
                    let items = Rc::new(RefCell::new(Vec::new()));
                    let relay = Box::new(Relay::new(Rc::clone(&items)));
                    let report = Report::with_limits(relay, selection, limits);
                    let pass_on = |mut batch| {
                        if let Some(sharer) = sharer.as_mut() {
                            sharer.write_ahead(&mut batch, share);
                        }
                        to_print.send(batch).map_err(|_| stopped("printing"))
                    };
                    follower.run(report, next, pass_on, Some(&items))
                });
                let mut feed = Feed {
                    source,
                    to_follow,
                    spare: Vec::new(),
                    in_flight: 0,
                    reading: true,
                };
                let printed = feed.print(&mut *printer, &from_follower, share);
                // A failed printer closed its channels: the other thread stops at its next
                // batch.
                drop(feed);
                drop(from_follower);
                let followed = join(following);
                printed.map_err(Error::from).and(followed)
            } else {
                let (to_follow, from_reader) = sync_channel::<Batch>(QUEUE);
                let reader = scope.spawn(move || read(source, &to_follow, &recycled));
                let report = Report::with_limits(printer, selection, limits);
                let next = || from_reader.recv().map_err(|_| stopped("reading"));
                let pass_on = |batch| {
                    // The reader may have stopped: the batch is then dropped.
                    let _ = recycle.send(batch);
                    Ok(())
                };
                let result = follower.run(report, next, pass_on, None);
                drop(from_reader);
                join(reader);
                result
            }
        })
    }
}

fn stopped(which: &str) -> Error {
    Error::Output(std::io::Error::other(format!("the {which} thread stopped")))
}

/// The result of a thread; its panic goes on in this one.
fn join<T>(handle: ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// The reading thread (without a printer beside): fills batches until the end of the file,
/// an error, or the following thread is gone.
fn read(mut source: FileSource, to_follow: &SyncSender<Batch>, recycled: &Receiver<Batch>) {
    loop {
        let mut batch = recycled.try_recv().unwrap_or_else(|_| Batch::new());
        batch.fill(&mut source);
        let last = batch.end.is_some();
        if to_follow.send(batch).is_err() || last {
            return;
        }
    }
}

/// The printing thread's side of the pass: it reads and decodes the batches the following
/// thread follows, keeping [`DEPTH`] of them there, and writes each batch that comes back.
struct Feed {
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
    /// Reads batches until [`DEPTH`] are with the following thread or the file ends.
    fn fill(&mut self) {
        while self.reading && self.in_flight < DEPTH {
            let mut batch = self.spare.pop().unwrap_or_else(Batch::new);
            batch.fill(&mut self.source);
            self.reading = batch.end.is_none();
            if self.to_follow.send(batch).is_err() {
                // The following thread stopped: its result says why.
                self.reading = false;
                return;
            }
            self.in_flight += 1;
        }
    }

    /// Replays each followed batch into the printer, in order, until the last one.
    fn print(
        &mut self,
        printer: &mut dyn Printer,
        from_follower: &Receiver<Batch>,
        share: &Share,
    ) -> std::io::Result<()> {
        loop {
            self.fill();
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
            self.fill();
            relay::replay(&batch, printer)?;
            self.spare.push(batch);
        }
    }
}

/// The state of the thread that follows the frames, besides the report.
struct Follower {
    calls: Vec<StoredEvent>,
    progress: Option<Progress>,
}

impl Follower {
    /// Follows every frame of every batch `next` gives, hands each batch on with `pass_on`,
    /// and finishes the report. `items`, when given, is where the report's printer records its calls:
    /// the shown frames are added there and the list goes on with the batch.
    fn run(
        mut self,
        mut report: Report<'_>,
        mut next: impl FnMut() -> Result<Batch>,
        mut pass_on: impl FnMut(Batch) -> Result<()>,
        items: Option<&RefCell<Vec<Item>>>,
    ) -> Result<Counts> {
        // Read in place: the calls are large, and most files have none.
        let calls = std::mem::take(&mut self.calls);
        let mut next_call = 0;
        let (outcome, mut last) = loop {
            let mut batch = next()?;
            let bytes_read = batch.bytes_read;
            for (index, slot) in batch.slots[..batch.used].iter_mut().enumerate() {
                let frame_index = slot.frame.index;
                while let Some(call) = calls
                    .get(next_call)
                    .filter(|c| c.before_frame.is_some_and(|n| n <= frame_index))
                {
                    report.app_call(&call.event)?;
                    next_call += 1;
                }
                if report.follow(&slot.frame, &slot.packet, &mut slot.obs)? {
                    match items {
                        Some(items) => items.borrow_mut().push(Item::Slot(index)),
                        None => report.print(&Shown {
                            frame: &slot.frame,
                            packet: &slot.packet,
                            obs: &slot.obs,
                        })?,
                    }
                }
                if let Some(bar) = self.progress.as_mut()
                    && frame_index.is_multiple_of(Progress::EVERY)
                {
                    bar.update(bytes_read, frame_index);
                }
            }
            if let Some(end) = batch.end.take() {
                break (end, batch);
            }
            if let Some(items) = items {
                std::mem::swap(&mut batch.items, &mut *items.borrow_mut());
            }
            pass_on(batch)?;
        };
        if let Some(bar) = self.progress.take() {
            bar.finish();
        }
        if outcome.is_ok() {
            for call in calls.get(next_call..).unwrap_or_default() {
                report.app_call(&call.event)?;
            }
        }
        report.finish()?;
        if let Some(items) = items {
            std::mem::swap(&mut last.items, &mut *items.borrow_mut());
        }
        pass_on(last)?;
        outcome.map(|()| report.counts())
    }
}
