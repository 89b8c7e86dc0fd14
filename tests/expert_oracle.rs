//! Oracle test of the TCP analysis: for every TCP packet, the `tcp.analysis.*` fields tshark
//! shows compared with what the pipeline (decode, then `Tracker::ingest` with its
//! Wireshark-equivalent engine) gives: `Observation::findings` and `TcpSegment::expert`.
//!
//! * `fixtures_expert_agree_with_tshark`: every TCP packet of every capture in fixtures/ must
//!   agree exactly: the set of flags, duplicate ACK number and frame, acked frame, ACK RTT
//!   and initial RTT (to the nanosecond), bytes in flight.
//! * `corpus_expert_agreement_with_tshark`: the tcpdump test captures that hold TCP; at least 99 % of the TCP packets must have exactly tshark's set of flags. It
//!   prints the agreement and the files that differ most.
//!
//! tshark runs with the same preferences as tests/oracle.rs (set in
//! tests/support/tshark_fields.rs: no IP reassembly, so the TCP header of a fragmented datagram
//! is on its first fragment, whose segment length is unknown), with the expert-related
//! preferences forced to their defaults.

mod common;

use common::*;
use handshake_viz::capture::{FileSource, FrameSource};
use handshake_viz::decode::decode;
use handshake_viz::flow::Tracker;
use handshake_viz::flow::expert::ExpertOut;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const FLAGS: &[&str] = &[
    "tcp.analysis.reused_ports",
    "tcp.analysis.retransmission",
    "tcp.analysis.fast_retransmission",
    "tcp.analysis.spurious_retransmission",
    "tcp.analysis.out_of_order",
    "tcp.analysis.lost_segment",
    "tcp.analysis.ack_lost_segment",
    "tcp.analysis.window_update",
    "tcp.analysis.window_full",
    "tcp.analysis.keep_alive",
    "tcp.analysis.keep_alive_ack",
    "tcp.analysis.duplicate_ack",
    "tcp.analysis.zero_window_probe",
    "tcp.analysis.zero_window",
    "tcp.analysis.zero_window_probe_ack",
];
const VALUES: &[&str] = &[
    "tcp.analysis.duplicate_ack_num",
    "tcp.analysis.duplicate_ack_frame",
    "tcp.analysis.acks_frame",
    "tcp.analysis.ack_rtt",
    "tcp.analysis.initial_rtt",
    "tcp.analysis.bytes_in_flight",
];
const PREFERENCES: &[&str] = &[
    "ip.defragment:FALSE",
    "ipv6.defragment:FALSE",
    "tcp.desegment_tcp_streams:FALSE",
    "tcp.relative_sequence_numbers:TRUE",
    "tcp.analyze_sequence_numbers:TRUE",
    "tcp.track_bytes_in_flight:TRUE",
    "tcp.bif_seq_based:FALSE",
    "tcp.fastrt_supersedes_ooo:TRUE",
    "tcp.calculate_timestamps:TRUE",
];

/// The analysis of one packet, as text fields comparable between tshark and us.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Analysis {
    flags: BTreeSet<String>,
    values: BTreeMap<&'static str, String>,
}

impl Analysis {
    fn show(&self) -> String {
        let flags: Vec<&str> = self
            .flags
            .iter()
            .map(|f| f.trim_start_matches("tcp.analysis."))
            .collect();
        let values: Vec<String> = self
            .values
            .iter()
            .map(|(k, v)| format!("{}={v}", k.trim_start_matches("tcp.analysis.")))
            .collect();
        format!("[{}] {}", flags.join(","), values.join(" "))
    }
}

/// "0.000038000" or "-1.5" as nanoseconds.
fn nanos(text: &str) -> Option<i64> {
    let (neg, t) = match text.strip_prefix('-') {
        Some(t) => (true, t),
        None => (false, text),
    };
    let (secs, frac) = t.split_once('.').unwrap_or((t, ""));
    let frac = format!("{frac:0<9}");
    let n = secs.parse::<i64>().ok()? * 1_000_000_000 + frac.get(..9)?.parse::<i64>().ok()?;
    Some(if neg { -n } else { n })
}

/// tshark's analysis of every TCP packet, by frame number.
fn tshark_analysis(file: &Path) -> Result<BTreeMap<u64, Analysis>, String> {
    let mut cmd = Command::new("tshark");
    cmd.arg("-n").arg("-r").arg(file);
    for p in PREFERENCES {
        cmd.args(["-o", p]);
    }
    for e in ["separator=/t", "occurrence=f", "quote=n"] {
        cmd.args(["-E", e]);
    }
    cmd.args(["-T", "fields", "-e", "frame.number", "-e", "tcp.stream"]);
    for f in FLAGS.iter().chain(VALUES) {
        cmd.args(["-e", f]);
    }
    let run = run_bounded(cmd, Duration::from_secs(600), true).map_err(|e| e.to_string())?;
    if run.timed_out || run.code() != Some(0) {
        return Err(format!("tshark failed: {}", run.stderr_text().trim()));
    }
    let mut out = BTreeMap::new();
    for line in String::from_utf8_lossy(&run.stdout).lines() {
        let c: Vec<&str> = line.split('\t').collect();
        if c.len() != 2 + FLAGS.len() + VALUES.len() || c[1].is_empty() {
            continue;
        }
        let Ok(frame) = c[0].parse::<u64>() else {
            continue;
        };
        let mut a = Analysis::default();
        for (i, f) in FLAGS.iter().enumerate() {
            if !c[2 + i].is_empty() {
                a.flags.insert((*f).to_string());
            }
        }
        for (i, v) in VALUES.iter().enumerate() {
            let text = c[2 + FLAGS.len() + i];
            if text.is_empty() {
                continue;
            }
            let value = match *v {
                "tcp.analysis.ack_rtt" | "tcp.analysis.initial_rtt" => {
                    nanos(text).map_or_else(|| text.to_string(), |n| n.to_string())
                }
                _ => text.to_string(),
            };
            a.values.insert(v, value);
        }
        out.insert(frame, a);
    }
    Ok(out)
}

fn ours_of(out: &ExpertOut) -> Analysis {
    let mut a = Analysis {
        flags: out.findings.wireshark_fields().map(String::from).collect(),
        values: BTreeMap::new(),
    };
    let mut put = |k: &'static str, v: Option<String>| {
        if let Some(v) = v {
            a.values.insert(k, v);
        }
    };
    put(VALUES[0], out.dup_ack.map(|(n, _)| n.to_string()));
    put(VALUES[1], out.dup_ack.map(|(_, f)| f.to_string()));
    put(VALUES[2], out.acks_frame.map(|f| f.to_string()));
    put(VALUES[3], out.ack_rtt_nanos.map(|n| n.to_string()));
    put(VALUES[4], out.initial_rtt_nanos.map(|n| n.to_string()));
    put(VALUES[5], out.bytes_in_flight.map(|n| n.to_string()));
    a
}

/// Our analysis of every TCP packet, by frame number.
struct Ours {
    engine: BTreeMap<u64, Analysis>,
}

/// The analysis the pipeline gives each TCP packet (decode, then `Tracker::ingest`).
fn run_engine(file: &Path) -> Result<Ours, String> {
    let mut src = FileSource::open(file).map_err(|e| e.to_string())?;
    let mut tracker = Tracker::new();
    let mut ours = Ours {
        engine: BTreeMap::new(),
    };
    while let Ok(Some(frame)) = src.next_frame() {
        let packet = decode(&frame);
        let obs = tracker.ingest(&frame, &packet);
        if let Some(seg) = &obs.tcp {
            let mut out = seg.expert;
            out.findings = obs.findings;
            ours.engine.insert(frame.index, ours_of(&out));
        }
    }
    Ok(ours)
}

/// Agreement on one file.
#[derive(Default)]
struct FileResult {
    name: String,
    packets: usize,
    flags_agree: usize,
    all_agree: usize,
    diffs: Vec<String>,
    error: Option<String>,
}

/// Compares one file; with `tcp_only`, files where we see no TCP packet are not given to
/// tshark (it takes most of the time).
fn compare_file(file: &Path, tcp_only: bool) -> FileResult {
    let mut r = FileResult {
        name: file_name(file),
        ..FileResult::default()
    };
    let ours = match run_engine(file) {
        Ok(o) if tcp_only && o.engine.is_empty() => return r,
        Ok(o) => o,
        Err(e) => {
            r.error = Some(e);
            return r;
        }
    };
    let want = match tshark_analysis(file) {
        Ok(w) => w,
        Err(e) => {
            r.error = Some(e);
            return r;
        }
    };
    let empty = Analysis::default();
    // Frames tshark analyzed that we do not see as TCP count against us.
    let frames: BTreeSet<u64> = ours.engine.keys().chain(want.keys()).copied().collect();
    for frame in &frames {
        let got = ours.engine.get(frame).unwrap_or(&empty);
        let want = want.get(frame).unwrap_or(&empty);
        r.packets += 1;
        if got.flags == want.flags {
            r.flags_agree += 1;
        }
        if got == want {
            r.all_agree += 1;
        } else {
            r.diffs.push(format!(
                "{}  frame {frame:>5}  ours {}  tshark {}",
                r.name,
                got.show(),
                want.show()
            ));
        }
    }
    r
}

fn tshark_usable() -> bool {
    let ok = Command::new("tshark")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok && env_flag("HANDSHAKE_VIZ_SKIP_ORACLE") {
        eprintln!("tshark not usable; expert oracle skipped (HANDSHAKE_VIZ_SKIP_ORACLE=1)");
        return false;
    }
    assert!(
        ok,
        "tshark is needed (apt-get install -y tshark), or set HANDSHAKE_VIZ_SKIP_ORACLE=1"
    );
    true
}

fn fixture_files() -> Vec<PathBuf> {
    files_in(&manifest_dir().join("fixtures"))
        .into_iter()
        .filter(|p| {
            let n = file_name(p);
            n.ends_with(".pcap") || n.ends_with(".pcapng")
        })
        .collect()
}

#[test]
fn fixtures_expert_agree_with_tshark() {
    if !tshark_usable() {
        return;
    }
    let results = par_map(&fixture_files(), |f| compare_file(f, false));
    let mut failures = Vec::new();
    let mut packets = 0;
    for r in &results {
        if let Some(e) = &r.error {
            failures.push(format!("{}: {e}", r.name));
        }
        failures.extend(r.diffs.iter().cloned());
        packets += r.packets;
    }
    println!("fixtures: {packets} TCP packets in {} files", results.len());
    assert!(packets > 0, "no TCP packets in fixtures/");
    assert!(
        failures.is_empty(),
        "{} disagreements with tshark:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn corpus_expert_agreement_with_tshark() {
    if !tshark_usable() {
        return;
    }
    let Some(dir) = corpus_dir() else {
        return;
    };
    let results = par_map(&files_in(&dir), |f| compare_file(f, true));
    let sum = |f: fn(&FileResult) -> usize| results.iter().map(f).sum::<usize>();
    let packets = sum(|r| r.packets);
    let flags = sum(|r| r.flags_agree);
    let all = sum(|r| r.all_agree);
    let errors = results.iter().filter(|r| r.error.is_some()).count();
    let pct = |n: usize| 100.0 * n as f64 / packets.max(1) as f64;
    let with_tcp = results.iter().filter(|r| r.packets > 0).count();
    println!(
        "corpus: {} files, {with_tcp} with TCP ({errors} unreadable), {packets} TCP packets",
        results.len()
    );
    println!("  engine flags agree:      {flags} ({:.3} %)", pct(flags));
    println!("  engine all fields agree: {all} ({:.3} %)", pct(all));
    let mut worst: Vec<&FileResult> = results.iter().filter(|r| !r.diffs.is_empty()).collect();
    worst.sort_by_key(|r| std::cmp::Reverse(r.diffs.len()));
    for r in worst.iter().take(15) {
        println!(
            "{}: {} of {} packets differ",
            r.name,
            r.diffs.len(),
            r.packets
        );
        for d in r.diffs.iter().take(4) {
            println!("    {d}");
        }
    }
    assert!(
        packets > 1000,
        "the corpus has too few TCP packets ({packets})"
    );
    assert!(
        pct(flags) >= 99.0,
        "flag agreement {:.3} % < 99 %",
        pct(flags)
    );
}

#[test]
#[ignore = "compares the captures listed in HANDSHAKE_VIZ_EXPERT_FILES (colon-separated)"]
fn listed_files_expert_agreement_with_tshark() {
    let Ok(list) = std::env::var("HANDSHAKE_VIZ_EXPERT_FILES") else {
        eprintln!("HANDSHAKE_VIZ_EXPERT_FILES is not set: nothing to compare");
        return;
    };
    if !tshark_usable() {
        return;
    }
    let files: Vec<PathBuf> = list.split(':').map(PathBuf::from).collect();
    for r in par_map(&files, |f| compare_file(f, false)) {
        let pct = 100.0 * r.flags_agree as f64 / r.packets.max(1) as f64;
        println!(
            "{}: {} TCP packets, flags agree {} ({pct:.4} %), all fields {}",
            r.name, r.packets, r.flags_agree, r.all_agree
        );
        if let Some(e) = &r.error {
            println!("    error: {e}");
        }
        for d in r.diffs.iter().take(40) {
            println!("    {d}");
        }
    }
}
