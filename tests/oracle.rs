//! Oracle tests: our per-packet decoding (`read FILE --json --no-summary`)
//! compared field by field with tshark's.
//!
//! * `fixtures_agree_with_tshark`: every frame of every capture in
//!   fixtures/ must agree exactly.
//! * `corpus_agreement_with_tshark`: on the tcpdump test captures (files we
//!   never tuned for) at least 99.0 % of the TCP/UDP packets must agree.
//!
//! Both need tshark (`apt-get install -y tshark`); set
//! HANDSHAKE_VIZ_SKIP_ORACLE=1 to skip them where it cannot be installed.
//!
//! How tshark is asked, and the tshark 4.0 behaviour the comparison relies on:
//! * `-o ip.defragment:FALSE -o ipv6.defragment:FALSE`: without them tshark
//!   shows a fragmented datagram's UDP/TCP header on the frame that completes
//!   the reassembly, not on the frame that carries it. With them, the first
//!   fragment shows the header and later fragments are plain data.
//! * `-o tcp.desegment_tcp_streams:FALSE` only saves time; header fields do
//!   not depend on it. Relative sequence numbers and sequence analysis are
//!   forced on (the defaults) so a user profile cannot change them.
//! * `-E occurrence=a`: all occurrences of a field, comma separated. An ICMP
//!   error quotes an inner IP + UDP/TCP header and tshark reports the inner
//!   ports too (`udp.srcport` has a value on the ICMP frame), and a tunnel
//!   has several IP layers. So the layer that matters is picked from
//!   `frame.protocols`: the protocol of a frame is the first of tcp, udp,
//!   icmp, icmpv6 and arp in that list ("other" if none), and its addresses are
//!   those of the IP layer just before that protocol. ICMP/ICMPv6 frames are
//!   compared on `proto` only.
//! * `tcp.flags` is printed as hex (`0x0012`) and has 12 bits. Only the eight
//!   flags in our `flags` array (CWR..FIN, mask 0xFF) are compared.
//! * With the ACK flag clear, tshark 4.0 still fills `tcp.ack`, with the raw
//!   acknowledgment number (not a relative one; a SYN shows 0, a crafted SYN
//!   with ack 12345 shows 12345). Our `ack` must be null then, and our
//!   `ack_raw` must still equal the raw field (`tcp.ack_raw`).
//! * tshark's relative numbers need no SYN: the first segment seen in a
//!   direction without a SYN becomes relative 1 (raw - 1 is the base). For
//!   example, the RST/ACK answering a SYN to a closed port has raw seq 0 and
//!   shows `Seq=1 Ack=1`.
//! * `tcp.len` comes from the IP length, so it is the length on the wire even
//!   when the snaplen cut the payload. Our `len` for UDP is
//!   `udp.length - 8` (the length field, not the captured bytes).
//! * Linux cooked v2 (`LINUX_SLL2`) is shown by tshark as protocol `sll`,
//!   like v1. Only `frame.encap_type` (210 instead of 25) tells them apart.

mod common;

use common::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

// --------------------------------------------------------------------------
// tshark side

const FIELDS: &[&str] = &[
    "frame.number",
    "frame.protocols",
    "ip.src",
    "ip.dst",
    "ipv6.src",
    "ipv6.dst",
    "tcp.srcport",
    "tcp.dstport",
    "tcp.flags",
    "tcp.seq",
    "tcp.ack",
    "tcp.seq_raw",
    "tcp.ack_raw",
    "tcp.len",
    "tcp.stream",
    "udp.srcport",
    "udp.dstport",
    "udp.length",
    "udp.stream",
    "icmp.type",
    "icmpv6.type",
];

const PREFERENCES: &[&str] = &[
    "ip.defragment:FALSE",
    "ipv6.defragment:FALSE",
    "tcp.desegment_tcp_streams:FALSE",
    "tcp.relative_sequence_numbers:TRUE",
    "tcp.analyze_sequence_numbers:TRUE",
];

fn tshark_args(file: &Path) -> Vec<String> {
    let mut a: Vec<String> = vec!["-n".into(), "-r".into(), file.display().to_string()];
    for p in PREFERENCES {
        a.push("-o".into());
        a.push((*p).into());
    }
    for opt in ["separator=/t", "occurrence=a", "aggregator=,", "quote=n"] {
        a.push("-E".into());
        a.push(opt.into());
    }
    a.push("-T".into());
    a.push("fields".into());
    for f in FIELDS {
        a.push("-e".into());
        a.push((*f).into());
    }
    a
}

fn tshark_command(file: &Path) -> Command {
    let mut cmd = Command::new("tshark");
    cmd.args(tshark_args(file));
    cmd
}

/// tshark's first version line, or a failed test saying how to install it.
/// `None` when it is missing and HANDSHAKE_VIZ_SKIP_ORACLE=1.
fn tshark_version() -> Option<String> {
    match Command::new("tshark").arg("--version").output() {
        Ok(out) if out.status.success() => Some(
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .next()
                .unwrap_or("tshark")
                .to_string(),
        ),
        result => {
            if env_flag("HANDSHAKE_VIZ_SKIP_ORACLE") {
                eprintln!("tshark not usable; oracle test skipped (HANDSHAKE_VIZ_SKIP_ORACLE=1)");
                return None;
            }
            let why = match result {
                Ok(out) => format!("`tshark --version` failed: {}", out.status),
                Err(e) => format!("cannot run tshark: {e}"),
            };
            panic!(
                "{why}\nThe oracle test compares our decoding with tshark's: install it with \
                 `apt-get install -y tshark` (or set HANDSHAKE_VIZ_SKIP_ORACLE=1 to skip it)."
            );
        }
    }
}

/// One frame as tshark decoded it, reduced to the fields we compare.
#[derive(Debug)]
struct Expected {
    frame: u64,
    proto: &'static str,
    /// Field name -> normalised value, for the fields compared on this frame.
    fields: BTreeMap<&'static str, Value>,
    /// tshark saw TCP/UDP but not a complete enough header to compare with.
    incomplete: bool,
}

fn nth(col: &str, i: usize) -> Option<&str> {
    col.split(',').nth(i).filter(|s| !s.is_empty())
}

fn first(col: &str) -> Option<&str> {
    nth(col, 0)
}

fn num(s: Option<&str>) -> Option<u64> {
    let s = s?;
    match s.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => s.parse().ok(),
    }
}

fn ip_value(s: Option<&str>) -> Value {
    match s.and_then(|s| s.parse::<IpAddr>().ok()) {
        Some(ip) => Value::String(ip.to_string()),
        None => Value::Null,
    }
}

fn opt(v: Option<u64>) -> Value {
    v.map_or(Value::Null, Value::from)
}

fn parse_tshark_line(line: &str) -> Option<Expected> {
    let c: Vec<&str> = line.split('\t').collect();
    if c.len() != FIELDS.len() {
        return None;
    }
    let col = |name: &str| c[FIELDS.iter().position(|f| *f == name).unwrap()];
    let frame = num(first(col("frame.number")))?;
    let protos: Vec<&str> = col("frame.protocols").split(':').collect();
    let at = protos
        .iter()
        .position(|p| matches!(*p, "tcp" | "udp" | "icmp" | "icmpv6" | "arp"));
    let proto = match at.map(|i| protos[i]) {
        Some("tcp") => "tcp",
        Some("udp") => "udp",
        Some("icmp") => "icmp",
        Some("icmpv6") => "icmpv6",
        Some("arp") => "arp",
        _ => "other",
    };
    let mut fields = BTreeMap::new();
    fields.insert("proto", Value::from(proto));
    let mut incomplete = false;
    if proto == "tcp" || proto == "udp" {
        // The IP layer that carries the transport: the last "ip"/"ipv6"
        // before it, and which occurrence of that protocol it is.
        let before = &protos[..at.unwrap()];
        let v4 = before.iter().filter(|p| **p == "ip").count();
        let v6 = before.iter().filter(|p| **p == "ipv6").count();
        let last_ip = before.iter().rev().find(|p| matches!(**p, "ip" | "ipv6"));
        let (src, dst) = match last_ip {
            Some(&"ip") => (nth(col("ip.src"), v4 - 1), nth(col("ip.dst"), v4 - 1)),
            Some(_) => (nth(col("ipv6.src"), v6 - 1), nth(col("ipv6.dst"), v6 - 1)),
            None => (None, None),
        };
        fields.insert("src", ip_value(src));
        fields.insert("dst", ip_value(dst));
    }
    if proto == "tcp" {
        let sport = num(first(col("tcp.srcport")));
        let dport = num(first(col("tcp.dstport")));
        let flags = num(first(col("tcp.flags"))).map(|f| f & 0xFF);
        let seq = num(first(col("tcp.seq")));
        let seq_raw = num(first(col("tcp.seq_raw")));
        let ack_raw = num(first(col("tcp.ack_raw")));
        let len = num(first(col("tcp.len")));
        let stream = num(first(col("tcp.stream")));
        let ack = match flags {
            Some(f) if f & 0x10 != 0 => num(first(col("tcp.ack"))),
            _ => None, // tshark shows the raw value here; ours must be null
        };
        // A header the capture cut after the ports: tshark shows the ports and nothing
        // else, and so must we. Without even the ports, tshark could not decode it.
        let cut = sport.is_some() && dport.is_some() && flags.is_none();
        incomplete = !cut
            && ([sport, dport, flags, seq, seq_raw, ack_raw, len, stream]
                .iter()
                .any(|v| v.is_none())
                || flags.is_some_and(|f| f & 0x10 != 0) && ack.is_none());
        for (k, v) in [
            ("sport", sport),
            ("dport", dport),
            ("flags", flags),
            ("seq", seq),
            ("ack", ack),
            ("seq_raw", seq_raw),
            ("ack_raw", ack_raw),
            ("len", len),
            ("stream", stream),
        ] {
            fields.insert(k, opt(v));
        }
    } else if proto == "udp" {
        let sport = num(first(col("udp.srcport")));
        let dport = num(first(col("udp.dstport")));
        let length = num(first(col("udp.length")));
        let stream = num(first(col("udp.stream")));
        let cut = sport.is_some() && dport.is_some() && length.is_none();
        incomplete = !cut && [sport, dport, length, stream].iter().any(|v| v.is_none());
        fields.insert("sport", opt(sport));
        fields.insert("dport", opt(dport));
        // a length field below 8 is itself an error: nothing to subtract from
        fields.insert("len", opt(length.and_then(|l| l.checked_sub(8))));
        fields.insert("stream", opt(stream));
    }
    Some(Expected {
        frame,
        proto,
        fields,
        incomplete,
    })
}

fn parse_tshark(out: &[u8]) -> Vec<Expected> {
    String::from_utf8_lossy(out)
        .lines()
        .filter_map(parse_tshark_line)
        .collect()
}

// --------------------------------------------------------------------------
// our side

const FLAG_BITS: &[(&str, u64)] = &[
    ("CWR", 0x80),
    ("ECE", 0x40),
    ("URG", 0x20),
    ("ACK", 0x10),
    ("PSH", 0x08),
    ("RST", 0x04),
    ("SYN", 0x02),
    ("FIN", 0x01),
    ("NS", 0x100),
];

/// Our packet objects by frame number, plus any problem with the output.
struct Ours {
    packets: BTreeMap<u64, Value>,
    problems: Vec<String>,
}

fn parse_ours(out: &[u8]) -> Ours {
    let mut packets = BTreeMap::new();
    let mut problems = Vec::new();
    for (i, line) in String::from_utf8_lossy(out).lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(line) {
            Ok(v) if v.get("type").and_then(Value::as_str) == Some("packet") => {
                match v.get("frame").and_then(Value::as_u64) {
                    Some(n) => {
                        if packets.insert(n, v).is_some() {
                            problems.push(format!("frame {n} appears twice"));
                        }
                    }
                    None => problems.push(format!("output line {}: packet without frame", i + 1)),
                }
            }
            Ok(_) => {}
            Err(e) => problems.push(format!("output line {} is not JSON: {e}", i + 1)),
        }
    }
    Ours { packets, problems }
}

/// Our value of `field`, normalised like the tshark side.
fn our_field(p: &Value, field: &str) -> Value {
    let v = p.get(field).cloned().unwrap_or(Value::Null);
    match field {
        // A TCP header cut before its flags has no TCP numbers at all.
        "flags" if p.get("seq_raw").is_some_and(Value::is_null) => Value::Null,
        "flags" => match v.as_array() {
            Some(names) => {
                let mut mask = 0;
                for n in names {
                    match FLAG_BITS.iter().find(|(f, _)| Some(*f) == n.as_str()) {
                        Some((_, bit)) => mask |= bit,
                        None => return Value::String(format!("unknown flag {n}")),
                    }
                }
                // Only the eight flags CWR..FIN are compared (see the module doc).
                Value::from(mask & 0xFF)
            }
            None => v,
        },
        "src" | "dst" => match v.as_str().and_then(|s| s.parse::<IpAddr>().ok()) {
            Some(ip) => Value::String(ip.to_string()),
            None => v,
        },
        _ => v,
    }
}

fn show(v: &Value) -> String {
    match (v, v.as_u64()) {
        (_, Some(n)) if v.is_number() => n.to_string(),
        (Value::String(s), _) => s.clone(),
        _ => v.to_string(),
    }
}

/// One disagreement.
struct Mismatch {
    frame: u64,
    field: String,
    ours: String,
    tshark: String,
}

/// Compare one frame; empty when it agrees.
fn compare_frame(exp: &Expected, ours: Option<&Value>) -> Vec<Mismatch> {
    let Some(p) = ours else {
        return vec![Mismatch {
            frame: exp.frame,
            field: "packet".into(),
            ours: "(missing)".into(),
            tshark: exp.proto.into(),
        }];
    };
    exp.fields
        .iter()
        .filter_map(|(k, want)| {
            let got = our_field(p, k);
            (got != *want).then(|| Mismatch {
                frame: exp.frame,
                field: (*k).to_string(),
                ours: show(&got),
                tshark: show(want),
            })
        })
        .collect()
}

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

fn run_ours(file: &Path, timeout: Duration) -> Run {
    let mut cmd = Command::new(bin());
    cmd.arg("read").arg(file).arg("--json").arg("--no-summary");
    run_bounded(cmd, timeout, true).unwrap_or_else(|e| panic!("cannot run {}: {e}", bin()))
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

// --------------------------------------------------------------------------
// corpus: agreement rate on captures we never tuned for
//
// Counted: every frame tshark decodes as TCP or UDP (first of tcp/udp/icmp/
// icmpv6/arp in frame.protocols), compared on every field listed above.
// Not counted, by construction or on purpose:
// * frames tshark shows as ICMP/ICMPv6, even when they quote a UDP/TCP
//   header: the quoted ports are not the frame's own (see the module docs);
// * IP fragments after the first: with defragmentation off tshark shows
//   them as data, not TCP/UDP (first fragments are counted);
// * frames where tshark shows TCP/UDP but could not read one of the header
//   fields we compare (header cut by the snaplen or bogus): tshark has no
//   answer to compare with. They are counted and reported as "excluded".
// Frames tshark marks malformed or with expert errors are NOT excluded: in
// this corpus the mark concerns the application protocol above UDP/TCP
// (e.g. "[Malformed Packet: ISAKMP]"), and the transport fields stay exact.
// Files tshark cannot read at all contribute nothing.
//
// Speed: tshark takes ~0.2 s per file just to start, so its output is cached
// in CARGO_TARGET_TMPDIR (keyed by file name, size, mtime and the tshark
// version and arguments), files are taken largest first, and uncached files
// stop being given to tshark once HANDSHAKE_VIZ_ORACLE_BUDGET_SECS (default
// 150) have passed; the summary says how many were left out. On 2 cores a
// cold run takes about 2 minutes and usually gets through every file; later
// runs read the cache. Our binary always runs on every file.

const MIN_AGREEMENT: f64 = 99.0;

struct FileResult {
    name: String,
    /// TCP/UDP frames compared
    compared: usize,
    agreed: usize,
    excluded: usize,
    tshark_read: bool,
    tshark_skipped: bool,
    /// a failure of our binary that fails the test (hang, signal)
    fatal: Option<String>,
    first_mismatch: Option<String>,
}

fn fnv1a(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100000001b3)
    })
}

fn cache_path(file: &Path, version: &str) -> Option<PathBuf> {
    let meta = std::fs::metadata(file).ok()?;
    let mtime = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs();
    let mut key = version.as_bytes().to_vec();
    for a in tshark_args(Path::new("")) {
        key.extend_from_slice(a.as_bytes());
        key.push(0);
    }
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("oracle-tshark");
    Some(dir.join(format!(
        "{}.{}.{}.{:016x}.tsv",
        file_name(file),
        meta.len(),
        mtime,
        fnv1a(&key)
    )))
}

/// tshark's output for `file` (cached), or None when the budget is spent.
fn tshark_cached(file: &Path, version: &str, deadline: Instant) -> Option<Vec<u8>> {
    let cache = cache_path(file, version);
    if let Some(c) = &cache
        && let Ok(data) = std::fs::read(c)
    {
        return Some(data);
    }
    if Instant::now() >= deadline {
        return None;
    }
    let run = run_bounded(tshark_command(file), RUN_TIMEOUT, true)
        .unwrap_or_else(|e| panic!("cannot run tshark: {e}"));
    // A file cut short still gives the frames before the cut (exit status 2);
    // a timeout gives nothing usable.
    let out = if run.timed_out {
        Vec::new()
    } else {
        run.stdout
    };
    if let Some(c) = &cache
        && let Some(dir) = c.parent()
        && std::fs::create_dir_all(dir).is_ok()
    {
        let tmp = c.with_extension(format!("tmp{}", std::process::id()));
        if std::fs::write(&tmp, &out).is_ok() {
            let _ = std::fs::rename(&tmp, c);
        }
    }
    Some(out)
}

fn corpus_file(file: &Path, version: &str, deadline: Instant) -> FileResult {
    let name = file_name(file);
    let run = run_ours(file, RUN_TIMEOUT);
    let fatal = if run.timed_out {
        Some(format!(
            "{name}: handshake-viz hung (killed after {RUN_TIMEOUT:?})"
        ))
    } else {
        run.signal()
            .map(|s| format!("{name}: handshake-viz killed by signal {s}"))
    };
    let mut res = FileResult {
        name: name.clone(),
        compared: 0,
        agreed: 0,
        excluded: 0,
        tshark_read: false,
        tshark_skipped: false,
        fatal,
        first_mismatch: None,
    };
    let Some(ts_out) = tshark_cached(file, version, deadline) else {
        res.tshark_skipped = true;
        return res;
    };
    let expected = parse_tshark(&ts_out);
    res.tshark_read = !expected.is_empty();
    let ours = parse_ours(&run.stdout);
    for exp in expected
        .iter()
        .filter(|e| e.proto == "tcp" || e.proto == "udp")
    {
        if exp.incomplete {
            res.excluded += 1;
            continue;
        }
        res.compared += 1;
        let diffs = compare_frame(exp, ours.packets.get(&exp.frame));
        if diffs.is_empty() {
            res.agreed += 1;
        } else if res.first_mismatch.is_none() {
            let m = &diffs[0];
            res.first_mismatch = Some(format!(
                "frame {} {}: ours={} tshark={}{}",
                m.frame,
                m.field,
                m.ours,
                m.tshark,
                if diffs.len() > 1 {
                    format!(" (+{} more fields)", diffs.len() - 1)
                } else {
                    String::new()
                }
            ));
        }
    }
    res
}

#[test]
fn corpus_agreement_with_tshark() {
    let Some(version) = tshark_version() else {
        return;
    };
    let Some(dir) = corpus_dir() else {
        return;
    };
    let mut files = files_in(&dir);
    assert!(!files.is_empty(), "corpus {} is empty", dir.display());
    // Largest files first: if the tshark budget runs out, what is left
    // uncompared is the tail of small files (few packets each).
    files.sort_by_key(|f| std::cmp::Reverse(std::fs::metadata(f).map_or(0, |m| m.len())));
    let budget = std::env::var("HANDSHAKE_VIZ_ORACLE_BUDGET_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(150);
    let start = Instant::now();
    let deadline = start + Duration::from_secs(budget);
    let results = par_map(&files, |f| corpus_file(f, &version, deadline));

    let with_tcp_udp: Vec<&FileResult> = results.iter().filter(|r| r.compared > 0).collect();
    let compared: usize = results.iter().map(|r| r.compared).sum();
    let agreed: usize = results.iter().map(|r| r.agreed).sum();
    let excluded: usize = results.iter().map(|r| r.excluded).sum();
    let unread = results
        .iter()
        .filter(|r| !r.tshark_read && !r.tshark_skipped)
        .count();
    let skipped = results.iter().filter(|r| r.tshark_skipped).count();

    let mut worst: Vec<&&FileResult> = with_tcp_udp
        .iter()
        .filter(|r| r.agreed < r.compared)
        .collect();
    worst.sort_by(|a, b| {
        let fa = a.agreed as f64 / a.compared as f64;
        let fb = b.agreed as f64 / b.compared as f64;
        fa.total_cmp(&fb)
            .then((b.compared - b.agreed).cmp(&(a.compared - a.agreed)))
    });
    println!(
        "corpus oracle: worst files (of {} with disagreements)",
        worst.len()
    );
    println!(
        "  {:<44} {:>6} {:>6} {:>7}  first mismatch",
        "file", "pkts", "agree", "%"
    );
    for r in worst.iter().take(20) {
        println!(
            "  {:<44} {:>6} {:>6} {:>6.1}%  {}",
            r.name,
            r.compared,
            r.agreed,
            100.0 * r.agreed as f64 / r.compared as f64,
            r.first_mismatch.as_deref().unwrap_or("")
        );
    }
    let pct = if compared == 0 {
        0.0
    } else {
        100.0 * agreed as f64 / compared as f64
    };
    println!(
        "corpus oracle: {} files, {} with TCP/UDP; {agreed}/{compared} TCP/UDP packets agree \
         ({pct:.2} %); {excluded} excluded (tshark could not read the header); \
         {unread} files tshark cannot read; {skipped} files not given to tshark (budget {budget} s); \
         {:.0} s",
        results.len(),
        with_tcp_udp.len(),
        start.elapsed().as_secs_f64()
    );

    let fatal: Vec<&String> = results.iter().filter_map(|r| r.fatal.as_ref()).collect();
    assert!(
        fatal.is_empty(),
        "handshake-viz failed on corpus files:\n  {}",
        fatal
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n  ")
    );
    assert!(compared > 0, "no TCP/UDP packet was compared");
    assert!(
        pct >= MIN_AGREEMENT,
        "only {pct:.2} % of {compared} TCP/UDP packets agree with tshark (need {MIN_AGREEMENT} %)"
    );
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
