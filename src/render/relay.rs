//! A printer that hands its work to another thread: what a report gives it is copied into
//! batches of a few thousand items, and the batches go in order to the thread that owns the
//! real printer ([`replay`]). Reading, decoding and tracking then run beside the formatting.
//!
//! Batches come back empty once replayed, so their buffers (frame bytes, layers, options,
//! SACK blocks) are reused instead of allocated for every packet.

use std::io;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, SyncSender};

use super::{CaptureEnd, Printer, Shown, Totals};
use crate::capture::Frame;
use crate::capture::live::{CaptureStats, StopReason};
use crate::decode::{self, Packet};
use crate::demo::AppEvent;
use crate::demo::lesson::Lesson;
use crate::flow::{Conversation, Observation};
use crate::time::Precision;

/// Items in a batch before it is handed over: few enough that a batch stays in the cache.
const BATCH: usize = 256;

/// One shown packet, owned.
struct Slot {
    frame: Frame,
    packet: Packet,
    obs: Observation,
}

/// What a report told the printer, in order.
enum Item {
    /// The shown packet in the batch's slot of this index.
    Packet(usize),
    AppCall(Box<AppEvent>),
    Conversation(Box<Conversation>),
    Finish(Totals),
    CaptureEnd(Box<OwnedCaptureEnd>),
    Flush,
    Lesson(Box<Lesson>),
}

/// [`CaptureEnd`] with its own strings.
struct OwnedCaptureEnd {
    iface: String,
    frames: u64,
    stats: CaptureStats,
    stop: StopReason,
    written: Option<PathBuf>,
}

/// A run of items and the packets they refer to.
pub struct Batch {
    items: Vec<Item>,
    slots: Vec<Slot>,
    used: usize,
}

impl Batch {
    fn new() -> Batch {
        Batch {
            items: Vec::with_capacity(BATCH + 1),
            slots: Vec::new(),
            used: 0,
        }
    }

    fn clear(&mut self) {
        self.items.clear();
        self.used = 0;
    }
}

/// The printer of the producing thread: it copies and forwards.
pub struct Relay {
    batch: Batch,
    full: SyncSender<Batch>,
    empty: Receiver<Batch>,
}

/// The other end: replays batches into the real printer and sends them back.
pub struct Replayer {
    full: Receiver<Batch>,
    empty: Sender<Batch>,
}

/// Batches waiting to be replayed at most (memory stays bounded when the printer is slower).
const QUEUE: usize = 4;

/// A connected relay and replayer.
pub fn channel() -> (Relay, Replayer) {
    let (full_tx, full_rx) = std::sync::mpsc::sync_channel(QUEUE);
    let (empty_tx, empty_rx) = std::sync::mpsc::channel();
    let relay = Relay {
        batch: Batch::new(),
        full: full_tx,
        empty: empty_rx,
    };
    let replayer = Replayer {
        full: full_rx,
        empty: empty_tx,
    };
    (relay, replayer)
}

fn gone() -> io::Error {
    io::Error::new(io::ErrorKind::BrokenPipe, "the printing thread stopped")
}

impl Relay {
    fn push(&mut self, item: Item) -> io::Result<()> {
        self.batch.items.push(item);
        if self.batch.items.len() >= BATCH {
            self.send()?;
        }
        Ok(())
    }

    /// Hands the batch over (if it holds anything) and takes an empty one.
    fn send(&mut self) -> io::Result<()> {
        if self.batch.items.is_empty() {
            return Ok(());
        }
        let mut next = self.empty.try_recv().unwrap_or_else(|_| Batch::new());
        next.clear();
        let full = std::mem::replace(&mut self.batch, next);
        self.full.send(full).map_err(|_| gone())
    }
}

impl Printer for Relay {
    fn begin(&mut self, _source: &super::Source<'_>, _precision: Precision) -> io::Result<()> {
        // The real printer began before the relay was made.
        Ok(())
    }

    fn packet(&mut self, shown: &Shown<'_>) -> io::Result<()> {
        let batch = &mut self.batch;
        let index = batch.used;
        if index == batch.slots.len() {
            batch.slots.push(Slot {
                frame: Frame::empty(),
                packet: decode::decode(&Frame::empty()),
                obs: Observation::blank(),
            });
        }
        let slot = &mut batch.slots[index];
        slot.frame.copy_from(shown.frame);
        slot.packet.copy_from(shown.packet);
        slot.obs.copy_from(shown.obs);
        batch.used += 1;
        self.push(Item::Packet(index))
    }

    fn app_call(&mut self, call: &AppEvent) -> io::Result<()> {
        self.push(Item::AppCall(Box::new(call.clone())))
    }

    fn conversation(&mut self, conv: &Conversation) -> io::Result<()> {
        self.push(Item::Conversation(Box::new(conv.clone())))
    }

    fn finish(&mut self, totals: &Totals) -> io::Result<()> {
        self.batch.items.push(Item::Finish(*totals));
        self.send()
    }

    fn capture_end(&mut self, end: &CaptureEnd<'_>) -> io::Result<()> {
        let owned = OwnedCaptureEnd {
            iface: end.iface.to_string(),
            frames: end.frames,
            stats: end.stats,
            stop: end.stop,
            written: end.written.map(PathBuf::from),
        };
        self.push(Item::CaptureEnd(Box::new(owned)))
    }

    fn flush(&mut self) -> io::Result<()> {
        self.batch.items.push(Item::Flush);
        self.send()
    }

    fn lesson(&mut self, lesson: &Lesson) -> io::Result<()> {
        self.push(Item::Lesson(Box::new(lesson.clone())))
    }
}

impl Replayer {
    /// Replays every batch into `printer` until the relay is dropped. On a printer error
    /// it stops at once and returns the error; the relay then finds the channel closed.
    pub fn run(self, printer: &mut dyn Printer) -> io::Result<()> {
        for mut batch in self.full.iter() {
            replay(&batch, printer)?;
            batch.clear();
            // The relay may be gone already: the batch is then simply dropped.
            let _ = self.empty.send(batch);
        }
        Ok(())
    }
}

fn replay(batch: &Batch, printer: &mut dyn Printer) -> io::Result<()> {
    for item in &batch.items {
        match item {
            Item::Packet(index) => {
                let slot = batch.slots.get(*index).ok_or_else(gone)?;
                let shown = Shown {
                    frame: &slot.frame,
                    packet: &slot.packet,
                    obs: &slot.obs,
                };
                printer.packet(&shown)?;
            }
            Item::AppCall(call) => printer.app_call(call)?,
            Item::Conversation(conv) => printer.conversation(conv)?,
            Item::Finish(totals) => printer.finish(totals)?,
            Item::CaptureEnd(end) => printer.capture_end(&CaptureEnd {
                iface: &end.iface,
                frames: end.frames,
                stats: end.stats,
                stop: end.stop,
                written: end.written.as_deref(),
            })?,
            Item::Flush => printer.flush()?,
            Item::Lesson(lesson) => printer.lesson(lesson)?,
        }
    }
    Ok(())
}
