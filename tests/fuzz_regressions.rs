//! Replays every minimized fuzz finding under `tests/fuzz-regressions/<target>/` through the
//! same code path as its fuzz target (`fuzz/fuzz_targets/<target>.rs`), so a fixed crash,
//! hang or invariant violation stays fixed without a nightly toolchain.

#[path = "support/replay.rs"]
mod replay;
#[path = "support/tracker_mixed.rs"]
mod tracker_mixed;
#[path = "support/tracker_model.rs"]
mod tracker_model;

use std::path::{Path, PathBuf};

use arbitrary::{Arbitrary, Unstructured};

/// The saved inputs of one target, sorted by name.
fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-regressions")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != ".gitkeep"))
        .collect();
    files.sort();
    files
}

fn replay(target: &str, run: impl Fn(&[u8])) -> usize {
    let files = inputs(target);
    for file in &files {
        let data = std::fs::read(file).expect("readable regression input");
        eprintln!("replaying {}", file.display());
        run(&data);
    }
    files.len()
}

#[test]
fn read_file_regressions() {
    replay("read_file", replay::read_file_input);
}

#[test]
fn decode_regressions() {
    replay("decode", replay::decode_input);
}

/// The typed input libfuzzer-sys's `fuzz_target!` builds from `data`, if it builds one.
fn typed<'a, T: Arbitrary<'a>>(data: &'a [u8]) -> Option<T> {
    if data.len() < T::size_hint(0).0 {
        return None;
    }
    T::arbitrary_take_rest(Unstructured::new(data)).ok()
}

#[test]
fn tracker_regressions() {
    replay("tracker", |data| {
        if let Some(script) = typed::<tracker_model::Script>(data)
            && let Err(violation) = tracker_model::run(&script)
        {
            panic!("tracker invariant violated: {violation}");
        }
    });
}

#[test]
fn tracker_mixed_regressions() {
    replay("tracker_mixed", |data| {
        if let Some(mixed) = typed::<tracker_mixed::Mixed>(data)
            && let Err(violation) = tracker_mixed::run(&mixed)
        {
            panic!("tracker tie broken: {violation}");
        }
    });
}
