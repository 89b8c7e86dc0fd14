//! Checks the byte map against Wireshark on a sample of the tcpdump test corpus: of the fields
//! we give a Wireshark name, at least 99.99 % must sit where `tshark -T pdml` puts them, and as
//! many of each layer's essential fields must be mapped there.

#[path = "support/capture_files.rs"]
mod capture_files;
#[path = "support/pdml_fields.rs"]
mod pdml_fields;

use std::path::{Path, PathBuf};

use capture_files::{CORPUS, files_in, parallel};
use handshake_viz::capture::{FileSource, FrameSource, LinkType};
use handshake_viz::decode::decode;
use pdml_fields::{Score, compare_file, report, tshark_available};

/// Frames read per corpus file (tshark is told the same).
const CORPUS_FRAMES: usize = 200;
/// Corpus files compared with tshark.
const CORPUS_SAMPLE: usize = 170;

// No exceptions are needed on the fixtures. On the corpus sample the few differences are
// malformed packets whose length fields disagree with the captured bytes: tshark then stretches
// `udp.payload` / `tcp.payload` / `eth.trailer` over what was captured, while the byte map
// follows the length field and calls the rest a trailer: 6 of 86030 named fields.

const SAMPLE_LINKTYPES: [LinkType; 9] = [
    LinkType::ETHERNET,
    LinkType::LINUX_SLL,
    LinkType::LINUX_SLL2,
    LinkType::NULL,
    LinkType::LOOP,
    LinkType::RAW,
    LinkType::RAW_DLT,
    LinkType::IPV4,
    LinkType::IPV6,
];

/// Corpus files with a sampled link type and some TCP or UDP over IP.
fn corpus_candidates() -> Vec<PathBuf> {
    let files = files_in(CORPUS);
    let keep = parallel(&files, |path| {
        let Ok(mut src) = FileSource::open(path) else {
            return false;
        };
        let mut n = 0;
        while let Ok(Some(frame)) = src.next_frame() {
            if !SAMPLE_LINKTYPES.contains(&frame.linktype) {
                return false;
            }
            let p = decode(&frame);
            if p.tcp().is_some() || p.udp().is_some() {
                return true;
            }
            n += 1;
            if n >= CORPUS_FRAMES {
                break;
            }
        }
        false
    });
    files
        .into_iter()
        .zip(keep)
        .filter_map(|(f, k)| k.then_some(f))
        .collect()
}

#[test]
fn corpus_sample_matches_tshark_field_positions() {
    if !tshark_available() {
        return;
    }
    if !Path::new(CORPUS).is_dir() {
        panic!("the tcpdump test corpus is missing at {CORPUS}");
    }
    let candidates = corpus_candidates();
    // Evenly spread over the alphabet, not just the first names.
    let step = (candidates.len() as f64 / CORPUS_SAMPLE as f64).max(1.0);
    let sample: Vec<PathBuf> = (0..CORPUS_SAMPLE)
        .map(|i| (i as f64 * step) as usize)
        .filter_map(|i| candidates.get(i).cloned())
        .collect::<Vec<_>>();
    let mut sample = sample;
    sample.dedup();
    assert!(
        sample.len() >= 150,
        "only {} corpus files qualify for the sample",
        sample.len()
    );
    let results = parallel(&sample, |f| compare_file(f, Some(CORPUS_FRAMES)));
    let mut total = Score::default();
    let mut per_file: Vec<String> = Vec::new();
    for (path, r) in sample.iter().zip(results) {
        let s = r.expect("tshark ran");
        if !s.mismatches.is_empty() {
            per_file.push(format!(
                "{}: {} mismatches, e.g. {}",
                path.file_name().unwrap_or_default().to_string_lossy(),
                s.mismatches.len(),
                s.mismatches[0]
            ));
        }
        total.add(s);
    }
    report(&format!("corpus sample of {} files", sample.len()), &total);
    for line in &per_file {
        eprintln!("  {line}");
    }
    let named = Score::pct(total.matched, total.named);
    let essential = Score::pct(total.essential_matched, total.essential);
    assert!(
        named >= 99.99,
        "only {named:.3}% of named fields match tshark"
    );
    assert!(
        essential >= 99.99,
        "only {essential:.2}% of essential fields are mapped at tshark's offsets"
    );
}
