//! Golden snapshots of the ladder view of every fixture at 80 and 120 columns.

#[path = "support/text_views.rs"]
mod text_views;

use handshake_viz::config::{View, ViewConfig};
use handshake_viz::read::{ReadOptions, read_file};
use text_views::fixture_captures;

#[test]
fn ladder_of_every_fixture() {
    for path in fixture_captures() {
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
