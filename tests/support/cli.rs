//! The binary under test as the `tests/cli*.rs` files run it, a run that must succeed, and the
//! one-line error check they share.

#![allow(dead_code)] // each including crate uses a different subset

use std::process::{Command, Output};

use assert_cmd::prelude::*;

pub fn bin() -> Command {
    let mut cmd = Command::cargo_bin("handshake-viz").unwrap();
    cmd.env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env("TZ", "UTC");
    cmd
}

/// Runs `cmd` and checks that it exits with 0 (its stderr says why not); returns its output.
pub fn succeeds(cmd: &mut Command) -> Output {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Exactly one non-empty line on stderr, starting with the program name.
pub fn one_line(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr).to_string();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1, "expected one stderr line, got: {text:?}");
    assert!(lines[0].starts_with("handshake-viz: "), "{text}");
    assert!(!text.contains("panicked"), "{text}");
    lines[0].to_string()
}
