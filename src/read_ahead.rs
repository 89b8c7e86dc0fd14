//! Frames read and decoded on a thread of their own and handed over in batches, so that the
//! conversations are followed beside the reading and decoding. Decoding is a pure function of
//! the frame: where it runs changes nothing in what it gives.
//!
//! Batches come back once used, so their frame and packet buffers are reused.

use std::sync::mpsc::{Receiver, Sender, SyncSender};
use std::thread::{Scope, ScopedJoinHandle};

use crate::capture::{FileSource, Frame};
use crate::decode::{self, Packet};
use crate::{Error, Result};

/// Frames in a batch: few enough that a batch stays in the cache.
const BATCH: usize = 256;
/// Batches read ahead at most (memory stays bounded when the report is slower).
const QUEUE: usize = 4;

/// A run of frames, each with its decoded packet.
struct Batch {
    slots: Vec<(Frame, Packet)>,
    used: usize,
    /// Set on the last batch: the end of the file or the error that ended the reading.
    end: Option<Result<()>>,
    /// Bytes of the file read when the batch was full.
    bytes_read: u64,
}

impl Batch {
    fn new() -> Batch {
        Batch {
            slots: Vec::with_capacity(BATCH),
            used: 0,
            end: None,
            bytes_read: 0,
        }
    }

    /// Fills the batch from `source`.
    fn fill(&mut self, source: &mut FileSource) {
        self.used = 0;
        self.end = None;
        while self.used < BATCH {
            if self.used == self.slots.len() {
                let frame = Frame::empty();
                let packet = decode::decode(&frame);
                self.slots.push((frame, packet));
            }
            let (frame, packet) = &mut self.slots[self.used];
            match source.next_into(frame) {
                Ok(true) => {
                    decode::decode_into(frame, packet);
                    self.used += 1;
                }
                Ok(false) => {
                    self.end = Some(Ok(()));
                    break;
                }
                Err(e) => {
                    self.end = Some(Err(e));
                    break;
                }
            }
        }
        self.bytes_read = source.bytes_read();
    }
}

/// The receiving end: decoded frames in file order.
pub(crate) struct ReadAhead {
    full: Receiver<Batch>,
    empty: Sender<Batch>,
    batch: Option<Batch>,
    /// Next slot of `batch` to hand out.
    at: usize,
    bytes_read: u64,
}

impl ReadAhead {
    /// Starts reading and decoding `source` on a thread of `scope`.
    pub(crate) fn start<'scope>(
        scope: &'scope Scope<'scope, '_>,
        mut source: FileSource,
    ) -> (ReadAhead, ScopedJoinHandle<'scope, ()>) {
        let (full_tx, full_rx) = std::sync::mpsc::sync_channel::<Batch>(QUEUE);
        let (empty_tx, empty_rx) = std::sync::mpsc::channel::<Batch>();
        let reader = scope.spawn(move || produce(&mut source, &full_tx, &empty_rx));
        let ahead = ReadAhead {
            full: full_rx,
            empty: empty_tx,
            batch: None,
            at: 0,
            bytes_read: 0,
        };
        (ahead, reader)
    }

    /// The next frame and its packet; `None` at the end of the file, an error when the
    /// reading ended with one.
    pub(crate) fn next(&mut self) -> Option<Result<(&Frame, &Packet)>> {
        loop {
            if let Some(batch) = &mut self.batch {
                if self.at < batch.used {
                    break;
                }
                if let Some(end) = batch.end.take() {
                    return match end {
                        Ok(()) => None,
                        Err(e) => Some(Err(e)),
                    };
                }
            }
            if let Some(done) = self.batch.take() {
                // The reader may have stopped already: the batch is then dropped.
                let _ = self.empty.send(done);
            }
            match self.full.recv() {
                Ok(batch) => {
                    self.bytes_read = batch.bytes_read;
                    self.batch = Some(batch);
                    self.at = 0;
                }
                Err(_) => return Some(Err(Error::Output(reader_gone()))),
            }
        }
        let batch = self.batch.as_ref()?;
        let (frame, packet) = batch.slots.get(self.at)?;
        self.at += 1;
        Some(Ok((frame, packet)))
    }

    /// Bytes of the file read so far (as of the batch being handed out).
    pub(crate) fn bytes_read(&self) -> u64 {
        self.bytes_read
    }
}

fn reader_gone() -> std::io::Error {
    std::io::Error::other("the reading thread stopped")
}

/// The reading thread: fills batches until the end of the file, an error, or the receiver
/// is gone.
fn produce(source: &mut FileSource, full: &SyncSender<Batch>, empty: &Receiver<Batch>) {
    loop {
        let mut batch = empty.try_recv().unwrap_or_else(|_| Batch::new());
        batch.fill(source);
        let last = batch.end.is_some();
        if full.send(batch).is_err() || last {
            return;
        }
    }
}
