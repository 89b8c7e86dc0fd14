//! The terminal ladder: golden pictures at 80 and 120 columns, and no line wider than asked.

mod ladders;

use handshake_viz::render::ladder::Ladder;
use handshake_viz::render::ladder::text::{self, TextOptions};
use handshake_viz::render::ladder::wrap::width;
use handshake_viz::render::theme::Theme;
use ladders::samples;

fn plain(ladder: &Ladder, cols: usize) -> String {
    text::render(
        ladder,
        &TextOptions {
            width: cols,
            theme: Theme::plain(),
        },
    )
}

#[test]
fn golden_ladders_at_80_and_120_columns() {
    for (name, ladder) in samples() {
        for cols in [80, 120] {
            insta::assert_snapshot!(format!("{name}_{cols}"), plain(&ladder, cols));
        }
    }
}

#[test]
fn no_line_is_wider_than_asked() {
    let mut all = samples();
    all.push(("hostile", ladders::hostile()));
    all.push(("bulk", ladders::bulk()));
    for (name, ladder) in &all {
        for cols in [40, 60, 80, 100, 120, 200] {
            let out = plain(ladder, cols);
            for line in out.lines() {
                assert!(
                    width(line) <= cols,
                    "{name} at {cols}: {} columns: {line}",
                    width(line)
                );
            }
        }
    }
}

/// The text without ANSI colour escapes.
fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn colour_only_adds_escapes() {
    for (name, ladder) in samples() {
        let colored = text::render(
            &ladder,
            &TextOptions {
                width: 80,
                theme: Theme::colored(),
            },
        );
        assert!(colored.contains("\x1b["), "{name}: no colour");
        assert_eq!(strip_ansi(&colored), plain(&ladder, 80), "{name}");
    }
}

#[test]
fn hostile_strings_cannot_drive_the_terminal() {
    let out = plain(&ladders::hostile(), 80);
    assert!(!out.contains('\x1b'), "{out}");
    assert!(!out.contains('\u{202e}'), "{out}");
    assert!(
        out.contains("\\x1b[31m"),
        "the escape is shown as text: {out}"
    );
    assert!(
        out.chars().all(|c| c == '\n' || !c.is_control()),
        "a control character got through: {out:?}"
    );
}

#[test]
fn several_conversations_print_one_after_another() {
    let mut out = Vec::new();
    let opts = TextOptions {
        width: 80,
        theme: Theme::plain(),
    };
    text::write(&mut out, &[ladders::refused(), ladders::udp()], &opts).expect("write");
    let out = String::from_utf8(out).expect("UTF-8");
    let expected = format!(
        "{}\n{}",
        plain(&ladders::refused(), 80),
        plain(&ladders::udp(), 80)
    );
    assert_eq!(out, expected);
}

#[test]
fn the_explanation_stays_on_screen_at_80_columns() {
    let out = plain(&ladders::echo(), 80);
    // Wrapped, never cut: every word of the longest explanation is there.
    for word in "close: server acknowledges the client's FIN and closes too (FIN)".split(' ') {
        assert!(out.contains(word), "{word} missing");
    }
    assert!(
        !out.contains('…'),
        "nothing shortened at 80 columns:\n{out}"
    );
}
