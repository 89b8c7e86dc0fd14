//! What the tests of the text views share: the fixture captures they render, and a
//! rendering's text without its colour escapes.

#![allow(dead_code)] // each including crate uses a different subset

use std::path::{Path, PathBuf};

/// The .pcap and .pcapng files in fixtures/ (run from the package root), as
/// `fixtures/NAME`, sorted.
pub fn fixture_captures() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir("fixtures")
        .expect("fixtures/ next to Cargo.toml")
        .map(|e| e.unwrap().path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("pcap" | "pcapng")
            )
        })
        .map(|p| Path::new("fixtures").join(p.file_name().unwrap()))
        .collect();
    files.sort();
    files
}

/// `text` without its ANSI escapes (ESC up to and including the first letter after it).
pub fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
