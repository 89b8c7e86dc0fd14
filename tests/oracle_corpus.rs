//! The per-packet oracle on the tcpdump test captures (`../shared/corpus/tcpdump-tests`, files
//! we never tuned for): `corpus_agreement_with_tshark` requires at least 99.0 % of their TCP/UDP
//! packets to agree with tshark, field by field as tests/support/tshark_fields.rs compares them,
//! and our binary to neither hang nor crash on any of them. It needs tshark
//! (`apt-get install -y tshark`; HANDSHAKE_VIZ_SKIP_ORACLE=1 skips it) and the corpus
//! (HANDSHAKE_VIZ_SKIP_CORPUS=1 skips it when absent).

mod common;
#[path = "support/tshark_fields.rs"]
mod tshark_fields;

use common::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tshark_fields::{
    compare_frame, parse_ours, parse_tshark, run_ours, tshark_args, tshark_command, tshark_version,
};

// --------------------------------------------------------------------------
// corpus: agreement rate on captures we never tuned for
//
// Counted: every frame tshark decodes as TCP or UDP (first of tcp/udp/icmp/
// icmpv6/arp in frame.protocols), compared on every field of
// FIELDS in tests/support/tshark_fields.rs.
// Not counted, by construction or on purpose:
// * frames tshark shows as ICMP/ICMPv6, even when they quote a UDP/TCP
//   header: the quoted ports are not the frame's own (see tests/support/tshark_fields.rs);
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
