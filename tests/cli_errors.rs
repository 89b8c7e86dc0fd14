//! The binary's errors on what it is given to read: a missing file, a file that is not a
//! capture, a directory, an empty file, a bad filter, an unsupported link type and bad option
//! values each exit with code 2 and one line on stderr naming the problem; a capture cut in its
//! last record shows everything before it and exits with 1; a payload carrying terminal escapes
//! is printed escaped.

#[path = "support/cli.rs"]
mod cli;

use assert_cmd::prelude::*;
use predicates::prelude::*;

use cli::{bin, one_line};

#[test]
fn missing_file_is_one_line_exit_2() {
    let out = bin()
        .args(["read", "/nonexistent/x.pcap"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        one_line(&out.stderr),
        "handshake-viz: /nonexistent/x.pcap: No such file or directory"
    );
}

#[test]
fn not_a_capture_and_directory_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "just some text, not a capture\n").unwrap();
    let out = bin().arg("read").arg(&text).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let line = one_line(&out.stderr);
    assert!(
        line.contains("notes.txt") && line.contains("unknown file format"),
        "{line}"
    );

    let out = bin().arg("read").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(one_line(&out.stderr).contains("is a directory"));

    let empty = dir.path().join("empty.pcap");
    std::fs::write(&empty, b"").unwrap();
    let out = bin().arg("read").arg(&empty).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(one_line(&out.stderr).contains("empty.pcap: truncated dump file"));
}

#[test]
fn truncated_last_record_keeps_everything_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let cut = dir.path().join("cut.pcap");
    let bytes = std::fs::read("fixtures/tcp-echo.pcap").unwrap();
    std::fs::write(&cut, &bytes[..bytes.len() - 20]).unwrap();
    let out = bin().arg("read").arg(&cut).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "partial read exits 1");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("\n    9  "), "frame 9 is shown:\n{text}");
    assert!(!text.contains("\n   10  "), "frame 10 is cut:\n{text}");
    assert!(text.contains("9 packets · 1 TCP conversation"), "{text}");
    let line = one_line(&out.stderr);
    assert!(line.contains("cut.pcap: truncated dump file"), "{line}");
    assert!(line.contains("cut after frame 9"), "{line}");
}

#[test]
fn bad_filter_names_the_filter() {
    let out = bin()
        .args(["read", "fixtures/tcp-echo.pcap", "--filter", "tcp port"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        one_line(&out.stderr),
        "handshake-viz: bad filter 'tcp port': can't parse filter expression: syntax error"
    );
}

/// A classic pcap (little-endian, µs) with one record.
fn pcap_bytes(linktype: u32, frame: &[u8]) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend(0xa1b2c3d4u32.to_le_bytes());
    b.extend(2u16.to_le_bytes());
    b.extend(4u16.to_le_bytes());
    b.extend([0u8; 8]);
    b.extend(65535u32.to_le_bytes());
    b.extend(linktype.to_le_bytes());
    b.extend(1_700_000_000u32.to_le_bytes());
    b.extend(0u32.to_le_bytes());
    b.extend((frame.len() as u32).to_le_bytes());
    b.extend((frame.len() as u32).to_le_bytes());
    b.extend(frame);
    b
}

#[test]
fn unsupported_link_type_lists_the_supported_ones() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("frame-relay.pcap");
    std::fs::write(&path, pcap_bytes(107, &[0u8; 24])).unwrap();
    let out = bin().arg("read").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let line = one_line(&out.stderr);
    assert!(
        line.contains("unsupported link type 107 (FRELAY)"),
        "{line}"
    );
    assert!(
        line.contains("supported: EN10MB, LINUX_SLL, LINUX_SLL2"),
        "{line}"
    );
}

#[test]
fn hostile_payload_cannot_drive_the_terminal() {
    // Ethernet + IPv4 + UDP carrying an escape sequence that would clear the screen.
    let payload = b"\x1b[2J\x1b]0;owned\x07";
    let mut frame = vec![0u8; 12];
    frame.extend([0x08, 0x00]);
    let total = 20 + 8 + payload.len();
    frame.extend([0x45, 0, 0, total as u8, 0, 0, 0x40, 0, 64, 17, 0, 0]);
    frame.extend([127, 0, 0, 1, 127, 0, 0, 1]);
    frame.extend([0x30, 0x39, 0x00, 0x35, 0, (8 + payload.len()) as u8, 0, 0]);
    frame.extend(payload);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile.pcap");
    std::fs::write(&path, pcap_bytes(1, &frame)).unwrap();
    let out = bin()
        .args(["read", "--color", "never"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('\x1b') && !text.contains('\x07'), "{text:?}");
    assert!(text.contains("\\x1b[2J\\x1b]0;owned\\x07"), "{text}");
}

#[test]
fn bad_option_values_are_usage_errors() {
    bin()
        .args(["read", "fixtures/tcp-echo.pcap", "--bytes", "5-3"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad frame selection '5-3'"));
    bin()
        .args(["read", "fixtures/tcp-echo.pcap", "--stream", "sctp:1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad stream 'sctp:1'"));
}
