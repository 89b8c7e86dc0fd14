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
    handshake_viz::text::visible_chars(text).collect()
}
