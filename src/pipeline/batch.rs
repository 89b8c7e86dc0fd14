//! The unit the stages hand each other: a run of frames with their decoded packets, their
//! observations once followed, and what the report said of them.

use crate::Result;
use crate::capture::{FileSource, Frame};
use crate::decode::{self, Packet};
use crate::flow::Observation;
use crate::render::Shown;

use super::relay::Item;

/// Frames in a batch where one thread prints what the other follows: few enough that the
/// two threads trade work often (see `share`).
pub(super) const BATCH: usize = 256;
/// Frames in a batch where the following thread prints nothing per packet
/// (`--summary-only`): it only waits for the reading, which is faster, so fewer and larger
/// handovers wake the reading thread less often (a tenth less time on the 1 GB capture).
pub(super) const FOLLOW_ONLY_BATCH: usize = 1024;

/// Bytes of frames in a batch at most: a batch of large frames holds fewer.
const BATCH_BYTES: usize = 1 << 20;
/// A frame buffer larger than this is given back when its place is refilled, so that a few
/// large frames do not leave memory held in every slot.
const SLOT_KEEP: usize = 1 << 14;

/// A run of frames, in file order.
///
/// The frames, their packets and their observations are kept in vectors of their own,
/// index for index: the following thread reads the frames and packets in order, each
/// vector as one stream of memory, and the observations are only made when the batch's
/// frames are printed on the other thread.
pub(super) struct Batch {
    /// The frames; only the first `used` are this batch's, the others wait to be reused.
    pub(super) frames: Vec<Frame>,
    /// The decoded packet of each frame.
    pub(super) packets: Vec<Packet>,
    /// What the tracker made of each frame, when the frames are printed on another thread
    /// than the following one (else empty).
    pub(super) observations: Vec<Observation>,
    pub(super) used: usize,
    /// Set on the last batch: the end of the file, or the error that ended the reading.
    pub(super) end: Option<Result<()>>,
    /// Bytes of the file read when the batch was full.
    pub(super) bytes_read: u64,
    /// What the report said while following these frames, in order (printed on the other
    /// thread).
    pub(super) items: Vec<Item>,
    /// Lines of the first shown frames, written on the following thread (see `share`).
    pub(super) text: Vec<u8>,
    /// The items whose frames' lines are in `text`: the first this many.
    pub(super) written_elsewhere: usize,
}

impl Batch {
    pub(super) fn new() -> Batch {
        Batch {
            frames: Vec::with_capacity(BATCH),
            packets: Vec::with_capacity(BATCH),
            observations: Vec::new(),
            used: 0,
            end: None,
            bytes_read: 0,
            items: Vec::new(),
            text: Vec::new(),
            written_elsewhere: 0,
        }
    }

    /// Reads and decodes up to `frames` frames (or [`BATCH_BYTES`]) from `source` into the
    /// batch's buffers.
    pub(super) fn fill(&mut self, source: &mut FileSource, frames: usize) {
        self.used = 0;
        self.end = None;
        self.items.clear();
        self.text.clear();
        self.written_elsewhere = 0;
        let mut bytes = 0;
        while self.used < frames && bytes < BATCH_BYTES {
            if self.used == self.frames.len() {
                let frame = Frame::empty();
                self.packets.push(decode::decode(&frame));
                self.frames.push(frame);
            }
            let (frame, packet) = (&mut self.frames[self.used], &mut self.packets[self.used]);
            if frame.data.capacity() > SLOT_KEEP {
                frame.data = Vec::new();
            }
            match source.next_into(frame) {
                Ok(true) => {
                    decode::decode_into(frame, packet);
                    bytes += frame.data.len();
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

    /// The batch's frames and packets, and with `observed` an observation for each (made
    /// blank where there was none; else none).
    pub(super) fn parts_to_follow(
        &mut self,
        observed: bool,
    ) -> (&[Frame], &[Packet], &mut [Observation]) {
        let used = self.used;
        if observed && self.observations.len() < used {
            self.observations.resize_with(used, Observation::blank);
        }
        let observations = match observed {
            true => &mut self.observations[..used],
            false => &mut [][..],
        };
        (&self.frames[..used], &self.packets[..used], observations)
    }

    /// Frame `index` of the batch as it is shown, once followed.
    pub(super) fn shown(&self, index: usize) -> Option<Shown<'_>> {
        Some(Shown {
            frame: self.frames.get(index)?,
            packet: self.packets.get(index)?,
            obs: self.observations.get(index)?,
        })
    }
}
