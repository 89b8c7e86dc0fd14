//! Helpers of tests/lessons.rs and tests/lessons_netns.rs: run a demo for real, as the JSON
//! report `live --demo NAME --json` writes, and pick records out of it.

#![allow(dead_code)] // each test binary uses a different subset

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use handshake_viz::capture::live::LiveOptions;
use handshake_viz::config::ViewConfig;
use handshake_viz::demo::{DemoConfig, DemoKind};
use handshake_viz::live::{LiveConfig, LiveReport, report_live};
use serde_json::Value;

/// Namespace prefix of the tests (the product's is "hvz").
pub const PREFIX: &str = "hvl";

/// Longest a demo may take before the test calls it hung (they take well under a second).
pub const BOUND: Duration = Duration::from_secs(20);

#[path = "../support/gates.rs"]
mod gates;
#[allow(unused_imports)] // each test binary uses a different subset
pub use gates::{live_enabled, netns_enabled};

/// What a demo run wrote and how it ended.
pub struct Run {
    pub records: Vec<Value>,
    pub report: LiveReport,
    pub took: Duration,
}

impl Run {
    /// Records of one type ("packet", "app", "connection", "lesson", "capture").
    pub fn of(&self, kind: &str) -> Vec<&Value> {
        self.records.iter().filter(|r| r["type"] == kind).collect()
    }

    /// The lesson's points of one kind ("glued", "close", ...).
    pub fn points(&self, point: &str) -> Vec<&Value> {
        let lessons = self.of("lesson");
        assert_eq!(lessons.len(), 1, "one lesson record");
        lessons[0]["points"]
            .as_array()
            .expect("points")
            .iter()
            .filter(|p| p["point"] == point)
            .collect()
    }

    /// The packet record of frame `n`.
    pub fn frame(&self, n: u64) -> &Value {
        self.of("packet")
            .into_iter()
            .find(|p| p["frame"] == n)
            .unwrap_or_else(|| panic!("no frame {n}"))
    }

    /// App records of `side` returning from `call`, in order.
    pub fn returned(&self, side: &str, call: &str) -> Vec<&Value> {
        self.of("app")
            .into_iter()
            .filter(|a| a["side"] == side && a["call"] == call && a["phase"] == "returned")
            .collect()
    }
}

/// Whether a packet record has all these flags.
pub fn has_flags(packet: &Value, flags: &[&str]) -> bool {
    let set: Vec<&str> = packet["flags"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    flags.iter().all(|f| set.contains(f))
}

/// A demo config of `kind` for the tests.
pub fn demo(kind: DemoKind) -> DemoConfig {
    let mut demo = DemoConfig::new(kind);
    demo.netns_prefix = PREFIX.into();
    demo
}

/// Runs `demo` with a capture on its default interface, writing JSON; checks it completed.
pub fn run(demo: DemoConfig) -> Run {
    run_with(demo, |_| {})
}

/// [`run`], with the capture configuration adjusted by `adjust` first.
pub fn run_with(demo: DemoConfig, adjust: impl FnOnce(&mut LiveConfig)) -> Run {
    let kind = demo.kind;
    let mut cfg = LiveConfig::new(LiveOptions::new(demo.default_interface()));
    cfg.demo = Some(demo);
    adjust(&mut cfg);
    let view = ViewConfig {
        json: true,
        ..ViewConfig::default()
    };
    let mut out = Vec::new();
    let started = Instant::now();
    let report = report_live(&cfg, view, Arc::new(AtomicBool::new(false)), &mut out)
        .unwrap_or_else(|e| panic!("--demo {kind}: {e}"));
    let took = started.elapsed();
    eprintln!("--demo {kind}: {} frames in {took:?}", report.frames);
    assert!(took < BOUND, "--demo {kind} took {took:?}");
    assert!(
        report.demo_errors.is_empty(),
        "--demo {kind}: {:?}",
        report.demo_errors
    );
    let records = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    Run {
        records,
        report,
        took,
    }
}
