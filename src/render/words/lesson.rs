//! The words of the lessons: one line per demo for `--demo list`, the lesson after a run, and
//! the length prefixes the framing demo puts in its payloads.

use crate::demo::lesson::Point;
use crate::demo::{DemoKind, FramePart};

/// What the demos teach.
pub trait LessonWords: Sync {
    /// One line saying what the demo shows (for `--demo list`).
    fn demo_summary(&self, kind: DemoKind) -> &'static str;
    /// The heading of the lesson after a run.
    fn lesson_heading(&self, kind: DemoKind) -> String;
    /// The sentences of one point of a lesson (the first line first; more lines follow it,
    /// indented).
    fn lesson_point(&self, point: &Point) -> Vec<String>;
    /// A piece of length-prefix framing inside a TCP payload.
    fn framing_part(&self, part: &FramePart) -> String;
    /// The heading of the framing under a byte map: where the payload starts in the frame.
    fn framing_heading(&self, payload_start: usize) -> String;
}

/// `live --demo list`: one line per demo, its name and what it shows.
pub fn demo_list(words: &dyn super::Words) -> String {
    DemoKind::ALL
        .iter()
        .map(|k| format!("{:<16}{}\n", k.name(), words.demo_summary(*k)))
        .collect()
}

/// Frame numbers, consecutive ones as ranges: `4, 6, 8–12`.
pub fn frame_list(frames: &[u64]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < frames.len() {
        let start = frames[i];
        let mut end = start;
        while i + 1 < frames.len() && frames[i + 1] == end + 1 {
            end += 1;
            i += 1;
        }
        parts.push(match end - start {
            0 => start.to_string(),
            1 => format!("{start}, {end}"),
            _ => format!("{start}–{end}"),
        });
        i += 1;
    }
    parts.join(", ")
}

/// 1-based call numbers as `#1–#3` or `#2, #4`.
pub fn call_list(calls: &[usize]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < calls.len() {
        let start = calls[i];
        while i + 1 < calls.len() && calls[i + 1] == calls[i] + 1 {
            i += 1;
        }
        parts.push(if calls[i] == start {
            format!("#{start}")
        } else {
            format!("#{start}–#{}", calls[i])
        });
        i += 1;
    }
    parts.join(", ")
}

/// Sizes joined by ` | `.
pub fn sizes(sizes: impl IntoIterator<Item = String>) -> String {
    sizes.into_iter().collect::<Vec<_>>().join(" | ")
}

/// The escaped text of a payload, in quotes, `…` when longer than its preview.
pub fn quoted(data: &crate::demo::Payload) -> String {
    let more = if data.len > data.preview.len() {
        "…"
    } else {
        ""
    };
    format!("\"{}\"{more}", crate::text::escape_bytes(&data.preview))
}

/// `a.b.c.d` of a mask from a prefix length.
pub fn mask_text(prefix: u8) -> std::net::Ipv4Addr {
    std::net::Ipv4Addr::from(crate::demo::lesson::mask(prefix))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::lesson::{Expected, LostWay, Point, Segment};
    use crate::demo::{Payload, Side};
    use crate::render::words::Lang;

    #[test]
    fn lists_compress_ranges() {
        assert_eq!(frame_list(&[4, 6, 8, 9, 10, 11, 12]), "4, 6, 8–12");
        assert_eq!(frame_list(&[1, 2]), "1, 2");
        assert_eq!(call_list(&[1, 2, 3]), "#1–#3");
        assert_eq!(call_list(&[2, 4]), "#2, #4");
        assert_eq!(call_list(&[2, 3]), "#2–#3");
    }

    fn every_point() -> Vec<Point> {
        let a = "127.0.0.1:5000".parse().unwrap();
        let ip = std::net::Ipv4Addr::new(192, 0, 2, 1);
        let mut points = vec![
            Point::Handshake { frames: [1, 2, 3] },
            Point::Close {
                stream: 0,
                frames: vec![7, 8, 9],
                first: Side::Client,
            },
            Point::Close {
                stream: 1,
                frames: vec![7, 8, 9, 10],
                first: Side::Client,
            },
            Point::TimeWait {
                side: Side::Client,
                frame: 10,
            },
            Point::Datagrams {
                sends: 3,
                frames: vec![1, 2, 3],
                reads: 3,
            },
            Point::Boundaries {
                sends: vec![5, 5, 2],
                segments: vec![Segment { frame: 4, len: 5 }],
                reads: vec![12],
            },
            Point::Glued {
                read: 1,
                bytes: 12,
                sends: vec![1, 2, 3],
            },
            Point::Split {
                send: 4,
                bytes: 10_000,
                reads: vec![2, 3, 4],
                buffer: 4096,
            },
            Point::Nagle {
                frame: 6,
                sends: vec![2, 3],
                ack: Some(5),
            },
            Point::Framed {
                index: 2,
                len: 18,
                message: Payload::of(b"how are you today?"),
                frame: 6,
            },
            Point::Truncated {
                frame: 7,
                full: 3000,
                kept: 1024,
            },
            Point::Refused {
                syn: 1,
                rst: 2,
                econnrefused: true,
            },
            Point::HalfClose {
                fin: 5,
                states: Some(6),
                data: vec![6, 8],
                server_fin: Some(10),
            },
            Point::Streams {
                server: a,
                conns: vec![crate::demo::lesson::Connection {
                    stream: 0,
                    client: a,
                    frames: (1, 9),
                }],
                switches: 4,
            },
            Point::Arp {
                request: 1,
                reply: 2,
                target: ip,
                mac: [2, 0, 0, 0, 0, 0xb],
                syn: Some(3),
            },
            Point::OnLink {
                own: ip,
                dst: ip,
                prefix: 24,
            },
            Point::Macs {
                a: [2, 0, 0, 0, 0, 0xa],
                b: [2, 0, 0, 0, 0, 0xb],
            },
            Point::Mss {
                syn: 3,
                mss: 1460,
                full: 1448,
                frames: vec![6, 7],
            },
            Point::Loss {
                loss: 0.1,
                seed: 7,
                tcp: 2,
                udp: 1,
            },
            Point::DupAcks {
                ack: 2897,
                frames: vec![9, 10],
            },
        ];
        for (connected, told) in [(true, true), (false, false), (true, false), (false, true)] {
            points.push(Point::Unreachable {
                datagram: 3,
                icmp: 4,
                connected,
                told,
            });
        }
        for first in [Some(5), None] {
            for again in [Some(9), None] {
                points.push(Point::Resent {
                    seq: 1449,
                    len: 1448,
                    first,
                    again,
                });
            }
        }
        for way in [LostWay::Request, LostWay::Answer] {
            points.push(Point::UdpLost {
                frame: 40,
                nth: 3,
                way,
            });
        }
        for what in [
            Expected::Handshake,
            Expected::Close,
            Expected::Data,
            Expected::Arp,
            Expected::Reset,
            Expected::PortUnreachable,
            Expected::TcpLoss,
            Expected::UdpLoss,
        ] {
            points.push(Point::Missing { what });
        }
        points
    }

    #[test]
    fn every_point_and_demo_has_words_in_each_language() {
        let cjk = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        for lang in Lang::ALL {
            let w = lang.words();
            for kind in DemoKind::ALL {
                assert_eq!(cjk(w.demo_summary(kind)), lang == Lang::Zh, "{kind}");
                assert!(w.lesson_heading(kind).contains(kind.name()));
            }
            for point in every_point() {
                let lines = w.lesson_point(&point);
                assert!(!lines.is_empty(), "{lang:?} {point:?}");
                assert_eq!(cjk(&lines.concat()), lang == Lang::Zh, "{lang:?} {lines:?}");
            }
            let framed = w.lesson_point(&Point::Framed {
                index: 2,
                len: 18,
                message: Payload::of(b"how are you today?"),
                frame: 6,
            });
            assert!(
                framed[0].contains("18 → ") && framed[0].contains("\"how are you today?\""),
                "{framed:?}"
            );
            let part = FramePart::Prefix {
                at: 0,
                bytes: vec![0, 0, 0, 18],
                value: Some(18),
            };
            assert!(w.framing_part(&part).contains("00 00 00 12"));
            assert_eq!(cjk(&w.framing_heading(66)), lang == Lang::Zh);
        }
    }
}
