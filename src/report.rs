//! The one-pass pipeline shared by `read` and `live`: decode each frame, follow it, choose what
//! is shown, and hand it to the printer. The pipeline knows nothing of formats.

use crate::Result;
use crate::capture::{BpfFilter, Frame};
use crate::config::StreamSelection;
use crate::decode::{self, Packet};
use crate::demo::lesson::Seen;
use crate::demo::{AppEvent, DemoKind, DemoOutcome};
use crate::flow::{Limits, Observation, PacketProto, Proto, Tracker};
use crate::render::{CaptureEnd, Printer, Shown, Source, Totals};
use crate::time::{Precision, Timestamp};

/// Counts kept while reporting.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Frames read from the source.
    pub read: u64,
    /// Frames shown after filters.
    pub shown: u64,
    /// What the tracker's limits cut (evicted, continued, forgotten conversations).
    pub tracker: crate::flow::TrackerStats,
}

/// Which frames are shown: a conversation chosen with `--stream`, a BPF filter, or all.
#[derive(Default)]
pub struct Selection {
    /// Only this conversation (and the ICMP errors about it).
    pub stream: Option<StreamSelection>,
    /// Only frames this filter matches.
    pub filter: Option<BpfFilter>,
}

/// Analyzes a capture one frame at a time and hands what is shown to a printer.
pub struct Report<'w> {
    printer: Box<dyn Printer + 'w>,
    selection: Selection,
    tracker: Tracker,
    counts: Counts,
    /// TCP and UDP conversations handed to the printer.
    conversations: [usize; 2],
    /// The decoded packet and the observation, reused from frame to frame.
    packet: Option<Packet>,
    obs: Option<Observation>,
    first_ts: Option<Timestamp>,
    lesson: Option<Seen>,
}

impl<'w> Report<'w> {
    /// A report handing frames to `printer`. Every frame is analyzed, even those not shown,
    /// so frame and stream numbers stay those of the whole capture.
    pub fn new(printer: Box<dyn Printer + 'w>, selection: Selection) -> Report<'w> {
        Report::with_limits(printer, selection, Limits::default())
    }

    /// A report whose tracker follows conversations within `limits`.
    pub fn with_limits(
        printer: Box<dyn Printer + 'w>,
        selection: Selection,
        limits: Limits,
    ) -> Report<'w> {
        let mut tracker = Tracker::with_limits(limits);
        tracker.set_packet_details(printer.reads_packets());
        Report {
            printer,
            selection,
            tracker,
            counts: Counts::default(),
            conversations: [0; 2],
            packet: None,
            obs: None,
            first_ts: None,
            lesson: None,
        }
    }

    /// Watches every frame and socket call for the lesson of a `kind` demo.
    pub fn watch_lesson(&mut self, kind: DemoKind) {
        self.lesson = Some(Seen::new(kind));
        // The lesson reads every packet's events.
        self.tracker.set_packet_details(true);
    }

    /// Hands the lesson to the printer: what the demo showed, with its frame numbers.
    pub fn lesson(&mut self, outcome: &DemoOutcome) -> Result<()> {
        if let Some(seen) = &self.lesson {
            self.printer.lesson(&seen.conclude(outcome))?;
        }
        Ok(())
    }

    /// The source is open.
    pub fn begin(&mut self, source: &Source<'_>, precision: Precision) -> Result<()> {
        self.printer.begin(source, precision)?;
        Ok(())
    }

    /// Analyzes one frame and hands it to the printer if it is shown.
    pub fn frame(&mut self, frame: &Frame) -> Result<()> {
        let mut packet = self.packet.take().unwrap_or_else(|| decode::decode(frame));
        let mut obs = self.obs.take().unwrap_or_else(Observation::blank);
        decode::decode_into(frame, &mut packet);
        let done = self.follow(frame, &packet, &mut obs).and_then(|shown| {
            if !shown {
                return Ok(());
            }
            self.print(&Shown {
                frame,
                packet: &packet,
                obs: &obs,
            })
        });
        self.packet = Some(packet);
        self.obs = Some(obs);
        done
    }

    /// The first half of [`Report::frame`], for a frame decoded already (`packet` is
    /// `decode(frame)`): follows it into `obs` (whose buffers are reused) and hands the
    /// printer the conversations that ended. Says whether the frame is shown; showing it
    /// ([`Report::print`]) is left to the caller.
    pub fn follow(
        &mut self,
        frame: &Frame,
        packet: &Packet,
        obs: &mut Observation,
    ) -> Result<bool> {
        self.counts.read += 1;
        self.first_ts.get_or_insert(frame.ts);
        self.tracker.ingest_into(frame, packet, obs);
        if let Some(seen) = self.lesson.as_mut() {
            seen.packet(frame, packet, obs);
        }
        if self.tracker.has_ended() {
            self.hand_over_ended()?;
        }
        if !selected(&mut self.selection, frame, obs) {
            return Ok(false);
        }
        self.counts.shown += 1;
        if obs.stream.is_some() && proto_of(obs).is_some() {
            self.tracker.mark_shown();
        }
        Ok(true)
    }

    /// Hands a frame [`Report::follow`] said is shown to the printer.
    pub fn print(&mut self, shown: &Shown<'_>) -> Result<()> {
        self.printer.packet(shown)?;
        Ok(())
    }

    /// Hands the printer the summaries of the conversations that left the tracker and had
    /// shown packets.
    fn hand_over_ended(&mut self) -> Result<()> {
        for ended in self.tracker.take_ended() {
            if !ended.shown {
                continue;
            }
            self.conversations[usize::from(ended.conversation.proto == Proto::Udp)] += 1;
            self.printer.conversation_owned(ended.conversation)?;
        }
        Ok(())
    }

    /// A socket call of the demo peers, in time order with the frames.
    pub fn app_call(&mut self, call: &AppEvent) -> Result<()> {
        if let Some(seen) = self.lesson.as_mut() {
            seen.app_call(call);
        }
        self.printer.app_call(call)?;
        Ok(())
    }

    /// Writes out what the printer buffered (a live capture does after every item).
    pub fn flush(&mut self) -> Result<()> {
        self.printer.flush()?;
        Ok(())
    }

    /// Frames read and shown so far, and what the tracker's limits cut.
    pub fn counts(&self) -> Counts {
        Counts {
            tracker: self.tracker.stats(),
            ..self.counts
        }
    }

    /// Hands over the conversations still followed that had shown frames, then the totals.
    pub fn finish(&mut self) -> Result<()> {
        self.tracker.finish();
        self.hand_over_ended()?;
        let totals = Totals {
            read: self.counts.read,
            shown: self.counts.shown,
            tcp: self.conversations[0],
            udp: self.conversations[1],
            first_ts: self.first_ts,
            tracker: self.tracker.stats(),
        };
        self.printer.finish(&totals)?;
        Ok(())
    }

    /// A live capture ended.
    pub fn capture_end(&mut self, end: &CaptureEnd<'_>) -> Result<()> {
        self.printer.capture_end(end)?;
        Ok(())
    }
}

fn proto_of(obs: &Observation) -> Option<Proto> {
    match obs.proto {
        PacketProto::Tcp => Some(Proto::Tcp),
        PacketProto::Udp => Some(Proto::Udp),
        _ => None,
    }
}

/// Whether a frame is shown: the stream chosen (or an ICMP error about it) and the filter.
fn selected(selection: &mut Selection, frame: &Frame, obs: &Observation) -> bool {
    if let Some(sel) = selection.stream {
        let direct = matches!((obs.stream, proto_of(obs)), (Some(s), Some(p)) if sel.matches(p, s));
        let related = matches!(obs.related, Some((p, s)) if sel.matches(p, s));
        if !direct && !related {
            return false;
        }
    }
    match &mut selection.filter {
        Some(filter) => filter.matches(frame),
        None => true,
    }
}
