//! Robustness: `handshake-viz read F` and `handshake-viz read F --json` on
//! every file of the tcpdump test captures (many built to break parsers:
//! -oobr, -heapoverflow, -trunc, -crash), whatever its extension.
//!
//! Exit codes: 0 = read and analysed, 1 = partial read (e.g. a truncated
//! file: what was read is shown, then the error), 2 = error (nothing usable,
//! e.g. not a capture or an unsupported link type).
//!
//! Every run must finish within 20 s, must not die by a signal, must not
//! panic, and must exit 0, 1 or 2. A non-zero exit must say why on stderr,
//! with the file's path on the first line.

mod common;

use common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

struct Outcome {
    file: PathBuf,
    json: bool,
    run: Run,
}

fn run_one(file: &Path, json: bool) -> Outcome {
    let mut cmd = Command::new(bin());
    cmd.arg("read").arg(file);
    if json {
        cmd.arg("--json");
    }
    let run = run_bounded(cmd, RUN_TIMEOUT, false)
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", bin()));
    Outcome {
        file: file.to_path_buf(),
        json,
        run,
    }
}

/// Problems with one run, empty when it behaved.
fn check(o: &Outcome) -> Vec<String> {
    let what = format!(
        "{}{}",
        file_name(&o.file),
        if o.json { " (--json)" } else { "" }
    );
    let stderr = o.run.stderr_text();
    let mut problems = Vec::new();
    if o.run.timed_out {
        problems.push(format!("{what}: timed out after {RUN_TIMEOUT:?}"));
    } else if let Some(sig) = o.run.signal() {
        problems.push(format!("{what}: killed by signal {sig}"));
    }
    if stderr.contains("panicked") || stderr.contains("RUST_BACKTRACE") {
        let first = stderr
            .lines()
            .find(|l| l.contains("panicked"))
            .unwrap_or("");
        problems.push(format!("{what}: panic: {}", first.trim()));
    }
    match o.run.code() {
        Some(0) | None => {}
        Some(code @ (1 | 2)) => {
            let first = stderr.lines().next().unwrap_or("");
            let path = o.file.display().to_string();
            if first.trim().is_empty() {
                problems.push(format!("{what}: exit {code} with nothing on stderr"));
            } else if !first.contains(&path) {
                problems.push(format!(
                    "{what}: exit {code}, but the first stderr line does not name {path}: {first}"
                ));
            }
        }
        Some(code) => problems.push(format!(
            "{what}: exit status {code} (expected 0, 1 or 2); stderr: {}",
            stderr.lines().next().unwrap_or("")
        )),
    }
    problems
}

/// The kind of error from a first stderr line: the text after the path
/// (and a following ':'), with digits replaced so that similar errors group.
fn error_kind(o: &Outcome) -> String {
    let stderr = o.run.stderr_text();
    let first = stderr.lines().next().unwrap_or("").trim();
    let path = o.file.display().to_string();
    let rest = match first.find(&path) {
        Some(i) => &first[i + path.len()..],
        None => first,
    };
    let rest = rest.trim_start_matches([':', ' ']);
    let mut kind: String = rest
        .chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect();
    if kind.len() > 90 {
        let mut cut = 90;
        while !kind.is_char_boundary(cut) {
            cut -= 1;
        }
        kind.truncate(cut);
        kind.push('…');
    }
    kind
}

#[test]
fn every_corpus_file_is_handled() {
    let Some(dir) = corpus_dir() else {
        return;
    };
    let files = files_in(&dir);
    assert!(!files.is_empty(), "corpus {} is empty", dir.display());
    let jobs: Vec<(PathBuf, bool)> = files
        .iter()
        .flat_map(|f| [(f.clone(), false), (f.clone(), true)])
        .collect();
    let start = Instant::now();
    let outcomes = par_map(&jobs, |(f, json)| run_one(f, *json));

    let mut by_code: BTreeMap<String, usize> = BTreeMap::new();
    let mut kinds: BTreeMap<(i32, String), usize> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut slowest = outcomes.iter().max_by_key(|o| o.run.elapsed);
    for o in &outcomes {
        let code = match (o.run.timed_out, o.run.code(), o.run.signal()) {
            (true, _, _) => "timeout".to_string(),
            (_, Some(c), _) => format!("exit {c}"),
            (_, None, Some(s)) => format!("signal {s}"),
            _ => "unknown".to_string(),
        };
        *by_code.entry(code).or_default() += 1;
        if let Some(c @ (1 | 2)) = o.run.code()
            && !o.json
        {
            *kinds.entry((c, error_kind(o))).or_default() += 1;
        }
        problems.extend(check(o));
    }

    println!(
        "corpus: {} files, {} runs in {:.1} s",
        files.len(),
        outcomes.len(),
        start.elapsed().as_secs_f64()
    );
    for (code, n) in &by_code {
        println!("  {code:<8} {n:>5}");
    }
    println!("errors by kind (text runs; first stderr line after the path):");
    let mut kinds: Vec<_> = kinds.into_iter().collect();
    kinds.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    for ((code, kind), n) in &kinds {
        println!("  {n:>5}  exit {code}  {kind}");
    }
    if let Some(o) = slowest.take() {
        println!(
            "slowest run: {:.2} s on {}{}",
            o.run.elapsed.as_secs_f64(),
            file_name(&o.file),
            if o.json { " --json" } else { "" }
        );
    }
    assert!(
        problems.is_empty(),
        "{} problems on the corpus:\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}
