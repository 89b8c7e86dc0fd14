//! What the report tells its printer, recorded on the following thread and replayed in the
//! same order into the real printer on the printing thread.

use std::cell::RefCell;
use std::io;
use std::path::PathBuf;
use std::rc::Rc;

use super::batch::Batch;
use crate::capture::Frame;
use crate::capture::live::{CaptureStats, StopReason};
use crate::decode::Packet;
use crate::demo::AppEvent;
use crate::demo::lesson::Lesson;
use crate::flow::{Conversation, Observation};
use crate::render::{CaptureEnd, Printer, Shown, Source, Totals};
use crate::time::Precision;

/// One call to the printer.
pub(super) enum Item {
    /// The frame in the batch's slot of this index is shown.
    Slot(usize),
    /// A shown frame handed over outside the batch, copied.
    Copied(Box<(Frame, Packet, Observation)>),
    AppCall(Box<AppEvent>),
    Conversation(Box<Conversation>),
    Finish(Totals),
    CaptureEnd(Box<OwnedCaptureEnd>),
    Flush,
    Lesson(Box<Lesson>),
}

/// [`CaptureEnd`] with its own strings.
pub(super) struct OwnedCaptureEnd {
    iface: String,
    frames: u64,
    stats: CaptureStats,
    stop: StopReason,
    written: Option<PathBuf>,
}

/// The printer of the following thread: it records each call in a list shared with the
/// loop that fills the batches.
pub(super) struct Relay {
    items: Rc<RefCell<Vec<Item>>>,
}

impl Relay {
    /// A relay recording into `items`.
    pub(super) fn new(items: Rc<RefCell<Vec<Item>>>) -> Relay {
        Relay { items }
    }

    fn push(&self, item: Item) -> io::Result<()> {
        self.items.borrow_mut().push(item);
        Ok(())
    }
}

impl Printer for Relay {
    fn begin(&mut self, _source: &Source<'_>, _precision: Precision) -> io::Result<()> {
        // The real printer began before the threads started.
        Ok(())
    }

    fn packet(&mut self, shown: &Shown<'_>) -> io::Result<()> {
        let copy = (shown.frame.clone(), shown.packet.clone(), shown.obs.clone());
        self.push(Item::Copied(Box::new(copy)))
    }

    fn app_call(&mut self, call: &AppEvent) -> io::Result<()> {
        self.push(Item::AppCall(Box::new(call.clone())))
    }

    fn conversation(&mut self, conv: &Conversation) -> io::Result<()> {
        self.push(Item::Conversation(Box::new(conv.clone())))
    }

    fn conversation_owned(&mut self, conv: Conversation) -> io::Result<()> {
        self.push(Item::Conversation(Box::new(conv)))
    }

    fn finish(&mut self, totals: &Totals) -> io::Result<()> {
        self.push(Item::Finish(*totals))
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
        self.push(Item::Flush)
    }

    fn lesson(&mut self, lesson: &Lesson) -> io::Result<()> {
        self.push(Item::Lesson(Box::new(lesson.clone())))
    }
}

/// Makes the calls a batch records, in order.
pub(super) fn replay(batch: &Batch, printer: &mut dyn Printer) -> io::Result<()> {
    if batch.written_elsewhere > 0 {
        printer.lines_written_elsewhere(&batch.text)?;
    }
    for (i, item) in batch.items.iter().enumerate() {
        match item {
            Item::Slot(index) => {
                if let Some(shown) = batch.shown(*index) {
                    if i < batch.written_elsewhere {
                        printer.packet_written_elsewhere(&shown)?;
                    } else {
                        printer.packet(&shown)?;
                    }
                }
            }
            Item::Copied(copy) => {
                let (frame, packet, obs) = &**copy;
                printer.packet(&Shown { frame, packet, obs })?;
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
