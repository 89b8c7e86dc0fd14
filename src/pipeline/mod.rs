//! `read`'s pass over a capture on two threads, laid out by what the view writes:
//! - the timeline, whose writing can be shared (`share`): the calling thread, which owns the
//!   output, reads, decodes and writes while the other follows (the tracker and the choice of
//!   what is shown) and writes part of the lines itself. Following is the one stage that
//!   cannot be split, so its thread does nothing else, and the sharing balances the two;
//! - other views that write each packet (JSON, the ladder, byte maps): the other thread reads,
//!   decodes and follows while the calling thread writes, which costs more;
//! - views that write nothing per packet (`--summary-only`): the other thread reads and
//!   decodes while the calling thread follows.
//!
//! A third stage on its own thread was tried, and moving each frame between three cores cost
//! more than it gained. The threads hand each other batches of a few hundred frames (a
//! thousand for `--summary-only`) through bounded channels, and the batches come back to be
//! refilled, so the buffers of a frame (its bytes, layers, options, SACK blocks) are reused
//! rather than allocated per packet, and nothing is copied from one thread to the other.
//! Each thread takes the frames in file order, so the report is the one a single thread
//! makes.

mod batch;
mod feed;
mod relay;
mod share;
#[cfg(test)]
mod tests;

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::mpsc::{
    Receiver, Sender, SyncSender, TryRecvError, TrySendError, channel, sync_channel,
};
use std::thread::ScopedJoinHandle;

use batch::{BATCH, Batch, FOLLOW_ONLY_BATCH};
use feed::Feed;
use relay::{Item, Relay};
use share::{Share, Sharer};

use crate::capture::FileSource;
use crate::capture::pcapng_write::StoredEvent;
use crate::flow::{Limits, Observation};
use crate::progress::Progress;
use crate::render::{Printer, Shown};
use crate::report::{Counts, Report, Selection};
use crate::{Error, Result};

/// Batches waiting between two threads at most: memory stays bounded when a later thread
/// is slower.
const QUEUE: usize = 2;
/// Batches with the following thread (waiting, being followed, or followed and waiting to
/// be written) when the printing thread reads. Enough that a run of costly frames (new
/// conversations, long lines) on one thread seldom leaves the other without work: 6
/// batches did the timeline of the 1 GB capture ~8% faster than 3.
const DEPTH: usize = 6;

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
    /// `beside`, the printing runs beside the following (see the module's layouts); without,
    /// this thread follows and prints while another reads (for views that write nothing per
    /// packet). On a truncated or damaged file everything readable is reported first, then
    /// the error is returned.
    pub(crate) fn run<'w>(self, printer: Box<dyn Printer + 'w>, beside: bool) -> Result<Counts> {
        self.run_sharing(printer, beside, Share::default())
    }

    /// [`Pass::run`] with the writing shared as `share` says.
    fn run_sharing<'w>(
        self,
        printer: Box<dyn Printer + 'w>,
        beside: bool,
        share: Share,
    ) -> Result<Counts> {
        let Pass {
            source,
            selection,
            limits,
            calls,
            progress,
        } = self;
        let follower = Follower { calls, progress };
        if !beside {
            return follow_and_print(source, follower, printer, selection, limits);
        }
        // Socket calls stored in the file are written between the lines by the printer: the
        // lines are then all written there.
        let sharer = printer
            .shared_writer()
            .filter(|_| follower.calls.is_empty())
            .map(Sharer::new);
        let limits = (selection, limits);
        match sharer {
            // Writing the timeline costs less than reading, decoding and following: the
            // printing thread can take the reading.
            Some(sharer) if sharer.is_timeline() => {
                read_and_print(source, follower, printer, limits, sharer, &share)
            }
            sharer => print_beside(source, follower, printer, limits, sharer, &share),
        }
    }
}

/// This thread reads, decodes and prints (the writing shared with the other thread) while
/// the other follows: following is the one stage that cannot be split, so that thread does
/// nothing else.
fn read_and_print(
    source: FileSource,
    follower: Follower,
    mut printer: Box<dyn Printer + '_>,
    (selection, limits): (Selection, Limits),
    mut sharer: Sharer,
    share: &Share,
) -> Result<Counts> {
    std::thread::scope(|scope| {
        let (to_follow, from_printer) = sync_channel::<Batch>(DEPTH);
        let (to_print, from_follower) = sync_channel::<Batch>(DEPTH);
        let following = scope.spawn(move || {
            // Batches taken: the sharer writes more while the next one is not there.
            let taken = Cell::new(0);
            let next = || {
                taken.set(taken.get() + 1);
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
            let (items, report) = relayed(selection, limits);
            let pass_on = |mut batch| {
                sharer.write_ahead(&mut batch, share, Some(taken.get()));
                to_print.send(batch).map_err(|_| stopped("printing"))
            };
            follower.run(report, next, pass_on, Some(&items))
        });
        let mut feed = Feed::new(source, to_follow);
        let printed = feed.print(&mut *printer, &from_follower, share);
        // A failed printer closed its channels: the other thread stops at its next batch.
        drop(feed);
        drop(from_follower);
        let followed = join(following);
        printed.map_err(Error::from).and(followed)
    })
}

/// The other thread reads, decodes and follows (and writes its share of the records, if
/// they can be shared) while this one prints: views whose writing costs more than following.
fn print_beside(
    source: FileSource,
    follower: Follower,
    mut printer: Box<dyn Printer + '_>,
    (selection, limits): (Selection, Limits),
    mut sharer: Option<Sharer>,
    share: &Share,
) -> Result<Counts> {
    std::thread::scope(|scope| {
        let (recycle, recycled) = channel::<Batch>();
        let (to_print, from_follower) = sync_channel::<Batch>(QUEUE);
        let following = scope.spawn(move || {
            let mut source = source;
            let next = || {
                let mut batch = recycled.try_recv().unwrap_or_else(|_| Batch::new());
                batch.fill(&mut source, BATCH);
                Ok(batch)
            };
            let (items, report) = relayed(selection, limits);
            let pass_on = |mut batch| {
                if let Some(sharer) = sharer.as_mut() {
                    sharer.write_ahead(&mut batch, share, None);
                }
                let batch = match to_print.try_send(batch) {
                    Ok(()) => return Ok(()),
                    Err(TrySendError::Full(batch)) => batch,
                    Err(TrySendError::Disconnected(_)) => return Err(stopped("printing")),
                };
                // The printing thread is behind.
                share.raise();
                to_print.send(batch).map_err(|_| stopped("printing"))
            };
            follower.run(report, next, pass_on, Some(&items))
        });
        let printed = print(&mut *printer, &from_follower, &recycle, share);
        // A failed printer closed its channel: the other thread stops at its next batch.
        drop(from_follower);
        let followed = join(following);
        printed.map_err(Error::from).and(followed)
    })
}

/// A report for the following thread whose printer records its calls in the list returned,
/// to be replayed on the printing thread.
fn relayed(selection: Selection, limits: Limits) -> (Rc<RefCell<Vec<Item>>>, Report<'static>) {
    let items = Rc::new(RefCell::new(Vec::new()));
    let relay = Box::new(Relay::new(Rc::clone(&items)));
    (items, Report::with_limits(relay, selection, limits))
}

/// The other thread reads and decodes while this one follows and prints (views that write
/// nothing per packet).
fn follow_and_print(
    source: FileSource,
    follower: Follower,
    printer: Box<dyn Printer + '_>,
    selection: Selection,
    limits: Limits,
) -> Result<Counts> {
    std::thread::scope(|scope| {
        let (recycle, recycled) = channel::<Batch>();
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
    })
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
        batch.fill(&mut source, FOLLOW_ONLY_BATCH);
        let last = batch.end.is_some();
        if to_follow.send(batch).is_err() || last {
            return;
        }
    }
}

/// The printing thread (beside one that reads and follows): replays each batch into the
/// printer and sends it back to be refilled.
fn print(
    printer: &mut dyn Printer,
    from_follower: &Receiver<Batch>,
    recycle: &Sender<Batch>,
    share: &Share,
) -> std::io::Result<()> {
    loop {
        let batch = match from_follower.try_recv() {
            Ok(batch) => batch,
            Err(TryRecvError::Disconnected) => break,
            Err(TryRecvError::Empty) => {
                // Waiting for followed frames: the following thread is behind.
                share.lower();
                match from_follower.recv() {
                    Ok(batch) => batch,
                    Err(_) => break,
                }
            }
        };
        relay::replay(&batch, printer)?;
        // The reader may have stopped: the batch is then dropped.
        let _ = recycle.send(batch);
    }
    Ok(())
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
        let mut own_obs = items.is_none().then(Observation::blank);
        let (outcome, mut last) = loop {
            let mut batch = next()?;
            let bytes_read = batch.bytes_read;
            let (frames, packets, observations) = batch.parts_to_follow(own_obs.is_none());
            for (index, (frame, packet)) in frames.iter().zip(packets).enumerate() {
                let frame_index = frame.index;
                while let Some(call) = calls
                    .get(next_call)
                    .filter(|c| c.before_frame.is_some_and(|n| n <= frame_index))
                {
                    report.app_call(&call.event)?;
                    next_call += 1;
                }
                // Printed here, a frame's observation need not go on with the batch: one is
                // reused for every frame, and stays in the cache.
                let obs = match own_obs.as_mut() {
                    Some(obs) => obs,
                    // One for each frame (`parts_to_follow`).
                    None => &mut observations[index],
                };
                if report.follow(frame, packet, obs)? {
                    match items {
                        Some(items) => items.borrow_mut().push(Item::Slot(index)),
                        None => report.print(&Shown { frame, packet, obs })?,
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
