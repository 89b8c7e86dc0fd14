//! Whichever thread writes a frame's lines, the output is the same.

use super::Pass;
use super::batch::BATCH;
use super::share::Share;
use crate::capture::{FileSource, FrameSource};
use crate::config::{SummaryMode, ViewConfig};
use crate::flow::Limits;
use crate::render::{Source, printer};
use crate::report::Selection;

/// The report of `fixture` in `view`, with the following thread writing the frames of each
/// batch that `share` says.
fn report(fixture: &str, view: &ViewConfig, share: Share) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(fixture);
    let source = FileSource::open(&path).expect("fixture opens");
    let mut out = Vec::new();
    {
        let mut main = printer(view, Box::new(&mut out)).expect("a printer");
        let linktype = source.linktype();
        main.begin(&Source::Stdin { linktype }, source.precision())
            .expect("begins");
        let pass = Pass {
            source,
            selection: Selection::default(),
            limits: Limits::default(),
            calls: Vec::new(),
            progress: None,
        };
        pass.run_sharing(main, view.summary != SummaryMode::Only, share)
            .expect("the fixture reads");
    }
    String::from_utf8(out).expect("text")
}

#[test]
fn shared_lines_are_the_lines_the_printer_writes() {
    let timeline = ViewConfig::default();
    let json = ViewConfig {
        json: true,
        ..ViewConfig::default()
    };
    for fixture in [
        "tcp-lossy.pcap",
        "arp-icmp.pcap",
        "tcp-port-reuse.pcap",
        "demo-udp.pcap",
    ] {
        for view in [&timeline, &json] {
            let alone = report(fixture, view, Share::fixed(0));
            assert!(alone.lines().count() > 5, "{fixture}: {alone}");
            for share in [1, 7, 100, BATCH] {
                assert_eq!(
                    report(fixture, view, Share::fixed(share)),
                    alone,
                    "{fixture}, {share} shared"
                );
            }
            // Frames written by the following thread while it would wait for its next
            // batch: whether it writes each next frame follows these bits.
            for seed in [u64::MAX, 0x0123_4567_89ab_cdef, 0xf0f0_0f0f_ff00_00ff] {
                assert_eq!(
                    report(fixture, view, Share::patterned(seed)),
                    alone,
                    "{fixture}, frames written as the bits of {seed:#x} say"
                );
            }
        }
    }
}
