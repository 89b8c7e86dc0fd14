//! Oracle tests on the fixtures: our per-packet decoding (`read FILE --json --no-summary`)
//! compared field by field with tshark's, asked as tests/support/tshark_fields.rs says.
//! `fixtures_agree_with_tshark` requires every frame of every capture in fixtures/ to agree
//! exactly; `listed_files_agree_with_tshark` (ignored) does the same on the captures named in
//! HANDSHAKE_VIZ_ORACLE_FILES; tests/oracle_corpus.rs measures the agreement on the tcpdump
//! test corpus. They need tshark (`apt-get install -y tshark`); set
//! HANDSHAKE_VIZ_SKIP_ORACLE=1 to skip them where it cannot be installed.

mod common;
#[path = "support/tshark_fields.rs"]
mod tshark_fields;

use common::*;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tshark_fields::{
    compare_frame, parse_ours, parse_tshark, run_ours, tshark_command, tshark_version,
};

fn fixture_files() -> Vec<PathBuf> {
    let dir = manifest_dir().join("fixtures");
    files_in(&dir)
        .into_iter()
        .filter(|p| {
            let n = file_name(p);
            n.ends_with(".pcap") || n.ends_with(".pcapng")
        })
        .collect()
}

// --------------------------------------------------------------------------
// fixtures: exact agreement

/// Compares every frame of one capture with tshark: the frames compared and the
/// disagreements, one line each.
fn compare_exact(file: &Path, timeout: Duration) -> (usize, Vec<String>) {
    let name = file_name(file);
    let mut lines = Vec::new();
    let ts = run_bounded(tshark_command(file), timeout, true)
        .unwrap_or_else(|e| panic!("cannot run tshark: {e}"));
    if ts.timed_out || ts.code() != Some(0) {
        lines.push(format!(
            "{name}: tshark failed ({}): {}",
            describe_exit(&ts),
            ts.stderr_text().trim()
        ));
        return (0, lines);
    }
    let expected = parse_tshark(&ts.stdout);
    let run = run_ours(file, timeout);
    if run.timed_out || run.code() != Some(0) {
        lines.push(format!(
            "{name}: handshake-viz {}; stderr: {}",
            describe_exit(&run),
            run.stderr_text().trim()
        ));
    }
    let ours = parse_ours(&run.stdout);
    for p in &ours.problems {
        lines.push(format!("{name}: {p}"));
    }
    let frames: BTreeSet<u64> = expected.iter().map(|e| e.frame).collect();
    for extra in ours.packets.keys().filter(|f| !frames.contains(f)) {
        lines.push(format!(
            "{name}  frame {extra:>4}  packet  ours=(present)  tshark=(no such frame)"
        ));
    }
    for exp in &expected {
        if exp.incomplete {
            lines.push(format!(
                "{name}  frame {:>4}  tshark could not decode the {} header",
                exp.frame, exp.proto
            ));
        }
        for m in compare_frame(exp, ours.packets.get(&exp.frame)) {
            lines.push(format!(
                "{name}  frame {:>4}  {:<7}  ours={}  tshark={}",
                m.frame, m.field, m.ours, m.tshark
            ));
        }
    }
    (expected.len(), lines)
}

#[test]
fn fixtures_agree_with_tshark() {
    if tshark_version().is_none() {
        return;
    }
    let files = fixture_files();
    assert!(
        files.iter().any(|f| file_name(f) == "tcp-echo.pcap"),
        "fixtures/ has no captures (looked in {})",
        manifest_dir().join("fixtures").display()
    );
    let reports = par_map(&files, |file| compare_exact(file, RUN_TIMEOUT));
    let frames: usize = reports.iter().map(|r| r.0).sum();
    let failures: Vec<&String> = reports.iter().flat_map(|r| &r.1).collect();
    println!(
        "oracle: {} fixture files, {frames} frames compared with tshark",
        files.len()
    );
    if !failures.is_empty() {
        let mut msg = format!("{} disagreements with tshark:\n", failures.len());
        for f in &failures {
            let _ = writeln!(msg, "  {f}");
        }
        panic!("{msg}");
    }
}

fn describe_exit(run: &Run) -> String {
    if run.timed_out {
        format!("timed out after {:?}", RUN_TIMEOUT)
    } else if let Some(sig) = run.signal() {
        format!("killed by signal {sig}")
    } else {
        match run.code() {
            Some(c) => format!("exit status {c}"),
            None => "no exit status".into(),
        }
    }
}

#[test]
#[ignore = "compares the captures listed in HANDSHAKE_VIZ_ORACLE_FILES (colon-separated)"]
fn listed_files_agree_with_tshark() {
    let list = std::env::var("HANDSHAKE_VIZ_ORACLE_FILES")
        .expect("HANDSHAKE_VIZ_ORACLE_FILES names the captures to compare");
    assert!(tshark_version().is_some(), "tshark is needed");
    let files: Vec<PathBuf> = list.split(':').map(PathBuf::from).collect();
    let mut failures = 0;
    for (file, (frames, lines)) in files.iter().zip(par_map(&files, |f| {
        compare_exact(f, Duration::from_secs(1800))
    })) {
        println!(
            "{}: {frames} frames, {} disagreements",
            file.display(),
            lines.len()
        );
        for line in lines.iter().take(20) {
            println!("    {line}");
        }
        failures += lines.len();
    }
    assert_eq!(failures, 0, "disagreements with tshark");
}
