//! The progress bar: on a terminal for a read longer than its delay, never when stderr is
//! piped or with --json. The terminal is a pseudo-terminal made by `script`.

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

/// Runs `read FILE ARGS` in a pseudo-terminal, the bar's delay set to `delay`: everything
/// it wrote there.
fn in_terminal(file: &Path, args: &str, delay: &str) -> String {
    let command = format!(
        "{} read {} {args}",
        env!("CARGO_BIN_EXE_handshake-viz"),
        file.display()
    );
    let out = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env("COLUMNS", "120")
        .env("HANDSHAKE_VIZ_PROGRESS_DELAY", delay)
        .output()
        .expect("`script` (util-linux) runs, to give the read a terminal");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_long_read_shows_progress_on_a_terminal_only() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("long.pcap");
    long_capture(&file, 10_000);
    // The delay set to nothing, the read is long enough: the bar shows.
    let shown = in_terminal(&file, "--summary-only", "0");
    assert!(shown.contains(" packets · "), "no progress bar:\n{shown}");
    assert!(shown.contains("left"), "no time left:\n{shown}");
    assert!(shown.contains("100000 packets · "), "no totals:\n{shown}");
    // Shorter than the delay, the read shows none.
    let quiet = in_terminal(&file, "--summary-only", "3600");
    assert!(!quiet.contains(" left"), "{quiet}");
    assert!(quiet.contains("100000 packets · "), "no totals:\n{quiet}");
    // JSON never shows it, even on a terminal.
    let json = in_terminal(&file, "--json --summary-only", "0");
    assert!(!json.contains(" left"), "{}", &json[..json.len().min(300)]);
    // Piped, nothing goes to stderr.
    let out = Command::new(env!("CARGO_BIN_EXE_handshake-viz"))
        .arg("read")
        .arg(&file)
        .arg("--summary-only")
        .env("HANDSHAKE_VIZ_PROGRESS_DELAY", "0")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_delay_that_is_not_a_number_is_refused_in_one_line() {
    let out = Command::new(env!("CARGO_BIN_EXE_handshake-viz"))
        .args(["read", "fixtures/tcp-echo.pcap", "--summary-only"])
        .env("HANDSHAKE_VIZ_PROGRESS_DELAY", "soon")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "handshake-viz: HANDSHAKE_VIZ_PROGRESS_DELAY=\"soon\" is not a number of seconds\n"
    );
    assert!(out.stdout.is_empty());
}
