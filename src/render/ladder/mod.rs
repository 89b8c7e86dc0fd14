//! The ladder diagram of a conversation, as textbooks draw the TCP handshake: two vertical
//! lanes (client, server), one slanted arrow per packet, each side's state beside its lane and
//! the application's socket calls on the outer sides.
//!
//! [`model`] is plain data already in words; [`text`], [`svg`] and [`html`] draw it.

pub mod build;
mod facts;
mod geometry;
pub mod html;
mod layout;
mod markup;
pub mod model;
pub mod picture;
pub mod svg;
pub mod text;
pub mod wrap;

pub use model::{
    Arrow, Call, CallEnd, Category, Detail, Dir, Ladder, Lane, LineStyle, Mark, MarkKind, Note,
    NoteKind, Row, Side, StateChange,
};

#[cfg(test)]
mod tests {
    use super::html::{self, HtmlOptions};
    use super::svg::{self, Spacing, SvgOptions};
    use super::text::{self, TextOptions};
    use super::*;
    use crate::render::theme::Theme;

    fn lane() -> Lane {
        Lane {
            role: String::new(),
            endpoint: String::new(),
            initial_state: None,
        }
    }

    fn arrow(t_ns: i64, dir: Dir) -> Row {
        Row::Arrow(Arrow {
            frame: u64::MAX,
            t_ns,
            dir,
            label: String::new(),
            phrase: String::new(),
            category: Category::Other,
            marks: vec![Mark {
                kind: MarkKind::LostSegment,
                text: String::new(),
            }],
            states: vec![StateChange {
                side: Side::Server,
                state: "X".repeat(300),
            }],
            details: Vec::new(),
            bytes: None,
        })
    }

    /// Empty strings, extreme times, a call that never returns, an empty ladder: every
    /// renderer draws something at every width without panicking.
    #[test]
    fn odd_ladders_draw_without_panicking() {
        let pending = Row::Call(Call {
            side: Side::Client,
            t_ns: i64::MIN,
            name: "c".repeat(500),
            detail: String::new(),
            end: CallEnd::Pending,
        });
        let back = Row::Call(Call {
            side: Side::Server,
            t_ns: 5,
            name: String::new(),
            detail: "d".into(),
            end: CallEnd::Returned {
                t_ns: -5,
                detail: String::new(),
            },
        });
        let note = Row::Note(Note {
            t_ns: i64::MAX,
            kind: NoteKind::Alert,
            text: String::new(),
        });
        let rows = vec![
            pending,
            arrow(i64::MIN, Dir::ToClient),
            back,
            arrow(0, Dir::ToServer),
            note,
            arrow(i64::MAX, Dir::ToServer),
        ];
        let odd = Ladder {
            title: String::new(),
            id: String::new(),
            client: lane(),
            server: lane(),
            rows,
        };
        let empty = Ladder {
            rows: Vec::new(),
            ..odd.clone()
        };
        for ladder in [odd, empty] {
            for width in [0, 1, 10, 30, 80, 500] {
                let opts = TextOptions {
                    width,
                    theme: Theme::colored(),
                };
                assert!(!text::render(&ladder, &opts).is_empty());
            }
            for spacing in [Spacing::Scaled, Spacing::Even] {
                let mut out = Vec::new();
                svg::write(
                    &mut out,
                    std::slice::from_ref(&ladder),
                    &SvgOptions { spacing },
                )
                .expect("SVG");
                assert!(String::from_utf8_lossy(&out).contains("</svg>"));
                let mut out = Vec::new();
                let opts = HtmlOptions {
                    svg: SvgOptions { spacing },
                    ..HtmlOptions::default()
                };
                html::write(&mut out, std::slice::from_ref(&ladder), &opts).expect("HTML");
                assert!(String::from_utf8_lossy(&out).contains("</html>"));
            }
        }
    }
}
