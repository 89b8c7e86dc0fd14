//! A live run written as a report: the timeline as packets arrive, the summary, the lesson
//! of the demo, and why the capture stopped.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use super::{LiveConfig, LiveItem, LiveReport, run_live};
use crate::Result;

/// Runs a live capture and writes its report to `out` as packets arrive: the timeline (with the
/// demo peers' socket calls between the packets they cause), then the summary and libpcap's
/// counters. Output is flushed after every item so a terminal shows packets immediately.
pub fn report_live(
    cfg: &LiveConfig,
    view: crate::config::ViewConfig,
    stop: Arc<AtomicBool>,
    out: &mut dyn std::io::Write,
) -> Result<LiveReport> {
    let selection = crate::report::Selection {
        stream: view.stream,
        filter: None,
    };
    let mut report = crate::report::Report::with_limits(
        crate::render::printer(&view, Box::new(out))?,
        selection,
        cfg.limits,
    );
    if let Some(demo) = &cfg.demo {
        report.watch_lesson(demo.kind);
    }
    let outcome = run_live(cfg, stop, &mut |item| {
        match item {
            LiveItem::Opened {
                linktype, filter, ..
            } => {
                // Written once the capture is open, so what follows is really captured.
                let source = crate::render::Source::Live {
                    iface: &cfg.capture.iface,
                    demo: cfg.demo.as_ref(),
                    write: cfg.capture.write.as_deref(),
                    linktype,
                    filter: filter.as_deref(),
                };
                report.begin(&source, cfg.capture.precision)?;
            }
            LiveItem::Frame(frame) => report.frame(&frame)?,
            LiveItem::App(event) => report.app_call(&event)?,
        }
        report.flush()
    });
    let live = match outcome {
        Ok(live) => live,
        Err(e) => {
            // Whatever was captured before the failure is still summarized.
            if report.counts().read > 0 {
                report.finish()?;
            }
            return Err(e);
        }
    };
    report.finish()?;
    if let Some(outcome) = &live.demo {
        report.lesson(outcome)?;
    }
    report.capture_end(&crate::render::CaptureEnd {
        iface: &cfg.capture.iface,
        frames: live.frames,
        stats: live.stats,
        stop: live.stop_reason,
        written: live.written.as_deref(),
    })?;
    Ok(live)
}
