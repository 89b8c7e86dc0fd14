//! Oracle test of the TCP expert engine (`flow::expert`): for every TCP packet, the
//! `tcp.analysis.*` fields tshark shows compared with what `StreamExpert` computes.
//!
//! * `fixtures_expert_agree_with_tshark`: every TCP packet of every capture in fixtures/ must
//!   agree exactly: the set of flags, duplicate ACK number and frame, acked frame, ACK RTT
//!   and initial RTT (to the nanosecond), bytes in flight.
//! * `corpus_expert_agreement_with_tshark` (ignored: about two minutes): the tcpdump test
//!   captures; at least 99 % of the TCP packets must have exactly tshark's set of flags. It
//!   prints the agreement of the engine and, for comparison, of the tracker's own findings.
//!
//! tshark runs with the same preferences as tests/oracle.rs (no IP reassembly: the TCP header
//! of a fragmented datagram is on its first fragment, whose segment length is unknown), with
//! the expert-related preferences forced to their defaults.
//!
//! The harness is the glue a tracker needs: stream and direction from `Tracker::ingest`
//! (direction 0 is the sender of the stream's first packet), the options from the decoded
//! header, one `StreamExpert` per stream, `StreamExpert::after_port_reuse` for a stream that
//! reuses the 4-tuple of an earlier one.

mod common;

use common::*;
use handshake_viz::analysis::Finding;
use handshake_viz::capture::{FileSource, FrameSource};
use handshake_viz::decode::{LayerKind, TcpOptionKind, decode};
use handshake_viz::flow::expert::{ExpertOut, SegmentIn, StreamExpert};
use handshake_viz::flow::{Direction, Tracker};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::IpAddr;
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

/// Our analysis of every TCP packet: the engine's, and the tracker's own findings.
struct Ours {
    engine: BTreeMap<u64, Analysis>,
    tracker: BTreeMap<u64, BTreeSet<String>>,
}

type Key = ((IpAddr, u16), (IpAddr, u16));

fn run_engine(file: &Path) -> Result<Ours, String> {
    let mut src = FileSource::open(file).map_err(|e| e.to_string())?;
    let mut tracker = Tracker::new();
    // Per stream: its engine and the direction of its first packet.
    let mut streams: HashMap<u32, (StreamExpert, Direction)> = HashMap::new();
    let mut latest: HashMap<Key, u32> = HashMap::new();
    let mut ours = Ours {
        engine: BTreeMap::new(),
        tracker: BTreeMap::new(),
    };
    while let Ok(Some(frame)) = src.next_frame() {
        let packet = decode(&frame);
        let obs = tracker.ingest(&frame, &packet);
        let (Some(seg), Some(stream), Some(dir), Some(t)) =
            (&obs.tcp, obs.stream, obs.dir, packet.tcp())
        else {
            continue;
        };
        let (Some(src_ip), Some(dst_ip), Some(sp), Some(dp)) =
            (obs.src, obs.dst, obs.sport, obs.dport)
        else {
            continue;
        };
        let (a, b) = ((src_ip, sp), (dst_ip, dp));
        let key = if a <= b { (a, b) } else { (b, a) };
        let reused = latest.insert(key, stream).is_some_and(|s| s != stream);
        let (expert, first_dir) = streams.entry(stream).or_insert_with(|| {
            let e = if reused {
                StreamExpert::after_port_reuse()
            } else {
                StreamExpert::new()
            };
            (e, dir)
        });
        let ip = packet.ip();
        let analyzable =
            ip.is_some_and(|ip| ip.fragment.is_none() && ip.payload_len >= t.header_len);
        let sack: Vec<(u32, u32)> = t
            .options
            .iter()
            .filter_map(|o| match &o.kind {
                TcpOptionKind::Sack(blocks) => Some(blocks.clone()),
                _ => None,
            })
            .flatten()
            .collect();
        let input = SegmentIn {
            frame: frame.index,
            ts: frame.ts,
            seq: seg.seq_raw,
            ack: seg.ack_raw,
            flags: seg.flags,
            window: seg.window,
            len: analyzable.then_some(seg.len),
            window_scale: t.window_scale(),
            sack: &sack,
            mptcp: mptcp_subtypes(&frame.data, &packet),
            options_complete: t.header_complete,
        };
        let out = expert.analyze(usize::from(dir != *first_dir), &input);
        ours.engine.insert(frame.index, ours_of(&out));
        let current = obs
            .findings
            .iter()
            .map(|f: &Finding| f.wireshark_name().to_string())
            .collect();
        ours.tracker.insert(frame.index, current);
    }
    Ok(ours)
}

/// The MPTCP option subtypes of a segment, from its captured option bytes (bit n for
/// subtype n), or `None` without an MPTCP option.
fn mptcp_subtypes(data: &[u8], packet: &handshake_viz::decode::Packet) -> Option<u8> {
    let t = packet.tcp()?;
    let layer = packet
        .layers
        .iter()
        .rev()
        .find(|l| l.kind == LayerKind::Tcp)?;
    let area = data.get(layer.offset + 20..layer.offset + layer.len)?;
    let mut found = None;
    for o in &t.options {
        if matches!(
            o.kind,
            TcpOptionKind::Unknown { kind: 30 } | TcpOptionKind::Cut { kind: 30 }
        ) {
            let bits = found.get_or_insert(0u8);
            if let Some(sub) = area.get(o.offset + 2).map(|b| b >> 4).filter(|s| *s < 8) {
                *bits |= 1 << sub;
            }
        }
    }
    found
}

/// Agreement on one file.
#[derive(Default)]
struct FileResult {
    name: String,
    packets: usize,
    flags_agree: usize,
    all_agree: usize,
    tracker_agree: usize,
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
        if ours.tracker.get(frame) == Some(&want.flags) {
            r.tracker_agree += 1;
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
    let (mut packets, mut tracker) = (0, 0);
    for r in &results {
        if let Some(e) = &r.error {
            failures.push(format!("{}: {e}", r.name));
        }
        failures.extend(r.diffs.iter().cloned());
        packets += r.packets;
        tracker += r.tracker_agree;
    }
    println!(
        "fixtures: {packets} TCP packets in {} files; tracker findings agree on {tracker}",
        results.len()
    );
    assert!(packets > 0, "no TCP packets in fixtures/");
    assert!(
        failures.is_empty(),
        "{} disagreements with tshark:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
#[ignore = "runs tshark on the corpus captures that hold TCP (minutes); cargo test -- --ignored"]
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
    let tracker = sum(|r| r.tracker_agree);
    let errors = results.iter().filter(|r| r.error.is_some()).count();
    let pct = |n: usize| 100.0 * n as f64 / packets.max(1) as f64;
    let with_tcp = results.iter().filter(|r| r.packets > 0).count();
    println!(
        "corpus: {} files, {with_tcp} with TCP ({errors} unreadable), {packets} TCP packets",
        results.len()
    );
    println!("  engine flags agree:      {flags} ({:.3} %)", pct(flags));
    println!("  engine all fields agree: {all} ({:.3} %)", pct(all));
    println!(
        "  tracker findings agree:  {tracker} ({:.3} %)",
        pct(tracker)
    );
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
            "{}: {} TCP packets, flags agree {} ({pct:.4} %), all fields {}, tracker {}",
            r.name, r.packets, r.flags_agree, r.all_agree, r.tracker_agree
        );
        if let Some(e) = &r.error {
            println!("    error: {e}");
        }
        for d in r.diffs.iter().take(40) {
            println!("    {d}");
        }
    }
}
