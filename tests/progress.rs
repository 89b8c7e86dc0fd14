//! The progress bar: on a terminal for a read longer than about a second, never when stderr
//! is piped or with --json. The terminal is a pseudo-terminal made by `script`.

use std::path::Path;
use std::process::Command;

/// A capture of `copies` times the frames of fixtures/tcp-echo.pcap, a millisecond apart.
fn long_capture(path: &Path, copies: usize) {
    let bytes = std::fs::read("fixtures/tcp-echo.pcap").unwrap();
    let mut out = bytes[..24].to_vec();
    let mut records = Vec::new();
    let mut at = 24;
    while at + 16 <= bytes.len() {
        let caplen = u32::from_le_bytes(bytes[at + 8..at + 12].try_into().unwrap()) as usize;
        records.push(&bytes[at + 16..at + 16 + caplen]);
        at += 16 + caplen;
    }
    let mut n: u64 = 0;
    for _ in 0..copies {
        for data in &records {
            n += 1;
            out.extend((1_700_000_000 + (n / 1000) as u32).to_le_bytes());
            out.extend(((n % 1000) as u32 * 1000).to_le_bytes());
            out.extend((data.len() as u32).to_le_bytes());
            out.extend((data.len() as u32).to_le_bytes());
            out.extend(*data);
        }
    }
    std::fs::write(path, out).unwrap();
}

/// Runs `read FILE ARGS` in a pseudo-terminal: everything it wrote there.
fn in_terminal(file: &Path, args: &str) -> Option<String> {
    let command = format!(
        "{} read {} {args}",
        env!("CARGO_BIN_EXE_handshake-viz"),
        file.display()
    );
    let out = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env("COLUMNS", "120")
        .output()
        .ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn a_long_read_shows_progress_on_a_terminal_only() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("no `script` to make a terminal: skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("long.pcap");
    // Long enough to take over a second unoptimized: the bar appears only after one.
    long_capture(&file, 100_000);
    let shown = in_terminal(&file, "--summary-only").expect("script runs");
    assert!(shown.contains(" packets · "), "no progress bar:\n{shown}");
    assert!(shown.contains("left"), "no time left:\n{shown}");
    assert!(shown.contains("1000000 packets · "), "no totals:\n{shown}");
    // JSON never shows it, even on a terminal.
    let json = in_terminal(&file, "--json --summary-only").expect("script runs");
    assert!(!json.contains(" left"), "{}", &json[..json.len().min(300)]);
    // Piped, nothing goes to stderr.
    let out = Command::new(env!("CARGO_BIN_EXE_handshake-viz"))
        .arg("read")
        .arg(&file)
        .arg("--summary-only")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
