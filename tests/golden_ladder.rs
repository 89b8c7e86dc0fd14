//! Golden snapshots of the ladder view of every fixture at 80 and 120 columns.

use std::path::{Path, PathBuf};

use handshake_viz::config::{View, ViewConfig};
use handshake_viz::read::{ReadOptions, read_file};

fn fixtures() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir("fixtures")
        .expect("fixtures/")
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

#[test]
fn ladder_of_every_fixture() {
    for path in fixtures() {
        for width in [80u16, 120] {
            let view = ViewConfig {
                view: View::Ladder,
                width: Some(width),
                ..ViewConfig::default()
            };
            let mut out = Vec::new();
            let _ = read_file(&path, view, &ReadOptions::default(), &mut out);
            let name = path
                .file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .replace('.', "_");
            insta::assert_snapshot!(format!("{name}-{width}"), String::from_utf8(out).unwrap());
        }
    }
}
