//! Every text view fits the width it is given: at `--width 80` and `--width 120` no line of
//! any fixture's timeline or summary is wider (display columns: CJK characters count two), in
//! English and in Chinese, and with every time mode.

#[path = "support/gates.rs"]
mod gates;
#[path = "support/text_views.rs"]
mod text_views;

use std::path::Path;

use handshake_viz::config::{TimeMode, View, ViewConfig};
use handshake_viz::read::{ReadOptions, read_file};
use handshake_viz::render::words::Lang;
use handshake_viz::text::display_width;
use text_views::{fixture_captures, strip_ansi};

fn render(path: &Path, view: ViewConfig) -> String {
    let mut out = Vec::new();
    // A damaged fixture still renders what it could read.
    let _ = read_file(path, view, &ReadOptions::default(), &mut out);
    String::from_utf8(out).expect("UTF-8")
}

fn fixtures() -> Vec<std::path::PathBuf> {
    let files = fixture_captures();
    assert!(files.len() >= 10);
    files
}

#[test]
fn no_line_is_wider_than_asked() {
    let mut checked = 0;
    for path in fixtures() {
        for width in [80u16, 120] {
            for lang in Lang::ALL {
                let modes = [
                    (View::Timeline, TimeMode::Relative),
                    (View::Timeline, TimeMode::Absolute),
                    (View::Timeline, TimeMode::Delta),
                    (View::Ladder, TimeMode::Relative),
                ];
                for (view, time) in modes {
                    let view = ViewConfig {
                        width: Some(width),
                        lang,
                        time,
                        view,
                        legend: true,
                        ..ViewConfig::default()
                    };
                    let text = render(&path, view.clone());
                    for line in text.lines() {
                        assert!(
                            display_width(line) <= usize::from(width),
                            "{} at {width} ({lang:?}, {view:?}): {} columns:\n{line}",
                            path.display(),
                            display_width(line)
                        );
                        checked += 1;
                    }
                }
            }
        }
    }
    assert!(checked > 10_000, "{checked} lines");
}

#[test]
fn colour_does_not_change_the_layout() {
    let path = Path::new("fixtures/tcp-lossy.pcap");
    let plain = render(
        path,
        ViewConfig {
            width: Some(80),
            ..ViewConfig::default()
        },
    );
    let colored = render(
        path,
        ViewConfig {
            width: Some(80),
            color: true,
            ..ViewConfig::default()
        },
    );
    assert_eq!(strip_ansi(&colored), plain);
}

/// The live views fit too: a demo's timeline and ladder, its lesson and the capture
/// statistics line at the end, at 80 columns, in English and 中文. Captures on lo (root in
/// CI; HANDSHAKE_VIZ_SKIP_LIVE=1 skips it).
#[test]
fn a_live_demo_fits_80_columns() {
    if !gates::live_enabled() {
        return;
    }
    for view in ["timeline", "ladder"] {
        for lang in ["en", "zh"] {
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_handshake-viz"))
                .args([
                    "live", "--demo", "tcp", "--width", "80", "--legend", "always",
                ])
                .args(["--color", "never", "--view", view, "--lang", lang])
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "{view} {lang}: {stderr}");
            let text = String::from_utf8(out.stdout).unwrap();
            assert!(text.lines().count() > 40, "{view} {lang}: {text}");
            for line in text.lines() {
                assert!(
                    display_width(line) <= 80,
                    "{view} {lang}: {} columns:\n{line}",
                    display_width(line)
                );
            }
        }
    }
}
