//! The one-pass pipeline shared by `read` and `live`: decode each frame, follow it, choose what
//! is shown, and hand it to the printer. The pipeline knows nothing of formats.

use std::collections::HashSet;

use crate::Result;
use crate::capture::{BpfFilter, Frame};
use crate::config::StreamSelection;
use crate::decode;
use crate::demo::lesson::Seen;
use crate::demo::{AppEvent, DemoKind, DemoOutcome};
use crate::flow::{Observation, PacketProto, Proto, Tracker};
use crate::render::{CaptureEnd, Printer, Shown, Source, Totals};
use crate::time::{Precision, Timestamp};

/// Counts kept while reporting.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Frames read from the source.
    pub read: u64,
    /// Frames shown after filters.
    pub shown: u64,
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
    shown_conversations: HashSet<(Proto, u32)>,
    counts: Counts,
    first_ts: Option<Timestamp>,
    lesson: Option<Seen>,
}

impl<'w> Report<'w> {
    /// A report handing frames to `printer`. Every frame is analyzed, even those not shown,
    /// so frame and stream numbers stay those of the whole capture.
    pub fn new(printer: Box<dyn Printer + 'w>, selection: Selection) -> Report<'w> {
        Report {
            printer,
            selection,
            tracker: Tracker::new(),
            shown_conversations: HashSet::new(),
            counts: Counts::default(),
            first_ts: None,
            lesson: None,
        }
    }

    /// Watches every frame and socket call for the lesson of a `kind` demo.
    pub fn watch_lesson(&mut self, kind: DemoKind) {
        self.lesson = Some(Seen::new(kind));
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
        self.counts.read += 1;
        self.first_ts.get_or_insert(frame.ts);
        let packet = decode::decode(frame);
        let obs = self.tracker.ingest(frame, &packet);
        if let Some(seen) = self.lesson.as_mut() {
            seen.packet(frame, &packet, &obs);
        }
        if !self.selected(frame, &obs) {
            return Ok(());
        }
        self.counts.shown += 1;
        if let (Some(stream), Some(proto)) = (obs.stream, proto_of(&obs)) {
            self.shown_conversations.insert((proto, stream));
        }
        let shown = Shown {
            frame,
            packet: &packet,
            obs: &obs,
        };
        self.printer.packet(&shown)?;
        Ok(())
    }

    fn selected(&mut self, frame: &Frame, obs: &Observation) -> bool {
        if let Some(sel) = self.selection.stream {
            let direct =
                matches!((obs.stream, proto_of(obs)), (Some(s), Some(p)) if sel.matches(p, s));
            let related = matches!(obs.related, Some((p, s)) if sel.matches(p, s));
            if !direct && !related {
                return false;
            }
        }
        match &mut self.selection.filter {
            Some(filter) => filter.matches(frame),
            None => true,
        }
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

    /// Frames read and shown so far.
    pub fn counts(&self) -> Counts {
        self.counts
    }

    /// Hands over the conversations that had shown frames, then the totals.
    pub fn finish(&mut self) -> Result<()> {
        let conversations: Vec<_> = self
            .tracker
            .conversations()
            .into_iter()
            .filter(|c| self.shown_conversations.contains(&(c.proto, c.stream)))
            .collect();
        for conv in &conversations {
            self.printer.conversation(conv)?;
        }
        let tcp = conversations
            .iter()
            .filter(|c| c.proto == Proto::Tcp)
            .count();
        let totals = Totals {
            read: self.counts.read,
            shown: self.counts.shown,
            tcp,
            udp: conversations.len() - tcp,
            first_ts: self.first_ts,
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
