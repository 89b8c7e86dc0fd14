//! Snapshots of the byte map's text view (plain, and coloured with ESC shown as `␛`) and JSON
//! record on the capture fixtures, in English and 中文, unlimited and at 80 and 120 columns;
//! and at 80 columns no line of any frame's byte map is wider than 80.

use handshake_viz::bytemap::{FrameMap, LayerId, MapContext, map_frame};
use handshake_viz::capture::{FileSource, FrameSource};
use handshake_viz::decode::{Transport, decode};
use handshake_viz::render::Theme;
use handshake_viz::render::bytes::{envelope, write_frame_map};
use handshake_viz::render::json_bytes::bytes_record;
use handshake_viz::render::words::Lang;
use handshake_viz::text::display_width;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");

/// The byte map of frame `index` of a fixture.
fn map_of(file: &str, index: u64, ctx: MapContext) -> FrameMap {
    let path = format!("{FIXTURES}/{file}");
    let mut src = FileSource::open(&path).expect("fixture opens");
    while let Some(frame) = src.next_frame().expect("fixture reads") {
        if frame.index == index {
            let packet = decode(&frame);
            return map_frame(&frame, &packet, &ctx);
        }
    }
    panic!("{file} has no frame {index}");
}

fn text(map: &FrameMap, theme: Theme, lang: Lang, width: Option<u16>) -> String {
    let mut out = Vec::new();
    write_frame_map(&mut out, map, &theme, lang, width).expect("writes to a Vec");
    String::from_utf8(out)
        .expect("UTF-8")
        .replace('\u{1b}', "␛")
}

fn snapshot_both(name: &str, map: &FrameMap) {
    let plain = text(map, Theme::plain(), Lang::En, None);
    assert!(!plain.contains('␛'), "plain output has escapes");
    insta::assert_snapshot!(format!("{name}_plain"), plain);
    insta::assert_snapshot!(
        format!("{name}_color"),
        text(map, Theme::colored(), Lang::En, None)
    );
}

/// Snapshots at 80 and 120 columns in 中文 and at 80 in English, each checked to fit.
fn snapshot_widths(name: &str, map: &FrameMap) {
    for (lang, tag, widths) in [
        (Lang::Zh, "zh", &[80u16, 120][..]),
        (Lang::En, "en", &[80u16][..]),
    ] {
        for &width in widths {
            let out = text(map, Theme::plain(), lang, Some(width));
            assert_fits(&out, usize::from(width), name);
            insta::assert_snapshot!(format!("{name}_{tag}_{width}"), out);
        }
    }
}

fn assert_fits(out: &str, width: usize, what: &str) {
    for line in out.lines() {
        assert!(
            display_width(line) <= width,
            "{what}: {} columns > {width}: {line}",
            display_width(line)
        );
    }
}

/// The echo client's handshake announced window scale 10 (x1024).
const SCALE_10: MapContext = MapContext {
    window_scale: Some(10),
};

#[test]
fn tcp_echo_frame_4_data_segment() {
    let map = map_of("tcp-echo.pcap", 4, SCALE_10);
    snapshot_both("tcp_echo_4", &map);
    snapshot_widths("tcp_echo_4", &map);
    insta::assert_snapshot!(
        "tcp_echo_4_en_120",
        text(&map, Theme::plain(), Lang::En, Some(120))
    );
}

#[test]
fn tcp_ipv6_syn() {
    let map = map_of("tcp-ipv6.pcap", 1, MapContext::default());
    assert!(
        envelope(&map, Lang::En.byte_words())
            .starts_with("[Ethernet II 14 B [IPv6 40 B [TCP 40 B]]]")
    );
    snapshot_both("tcp_ipv6_syn", &map);
    snapshot_widths("tcp_ipv6_syn", &map);
}

fn icmp_unreachable() -> FrameMap {
    let path = format!("{FIXTURES}/udp-echo.pcap");
    let mut src = FileSource::open(&path).expect("fixture opens");
    let mut index = None;
    while let Some(frame) = src.next_frame().expect("reads") {
        let p = decode(&frame);
        if matches!(&p.transport, Some(Transport::Icmp(i)) if !i.v6) {
            index = Some(frame.index);
            break;
        }
    }
    map_of(
        "udp-echo.pcap",
        index.expect("an ICMP frame"),
        MapContext::default(),
    )
}

#[test]
fn icmp_port_unreachable_quotes_the_udp_datagram() {
    let map = icmp_unreachable();
    assert!(map.layers.iter().any(|l| l.quoted && l.id == LayerId::Udp));
    let plain = text(&map, Theme::plain(), Lang::En, None);
    // The type row names the type, the code row the reason.
    let row = |name: &str| {
        plain
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("no {name} row"))
            .to_string()
    };
    assert!(row("icmp.type").ends_with("3 = destination unreachable"));
    assert!(row("icmp.code").ends_with("3 = port unreachable"));
    snapshot_both("udp_echo_icmp_unreachable", &map);
    snapshot_widths("udp_echo_icmp_unreachable", &map);
}

#[test]
fn sll2_frame() {
    snapshot_both("any_sll2_4", &map_of("any-sll2.pcap", 4, SCALE_10));
}

#[test]
fn truncated_frame() {
    let map = map_of("truncated-snaplen.pcap", 4, SCALE_10);
    assert!(map.captured() < map.wire_len);
    snapshot_both("truncated_4", &map);
    snapshot_widths("truncated_4", &map);
}

#[test]
fn arp_request() {
    let map = map_of("arp-icmp.pcap", 1, MapContext::default());
    let plain = text(&map, Theme::plain(), Lang::En, None);
    // Broadcast is a group address: its LG bit says nothing about administration.
    let lg = plain
        .lines()
        .find(|l| l.contains("eth.dst.lg"))
        .expect("an LG bit row");
    assert!(!lg.contains("locally administered address"), "{lg}");
    snapshot_both("arp_request", &map);
    snapshot_widths("arp_request", &map);
}

#[test]
fn json_record_of_tcp_echo_frame_4() {
    let map = map_of("tcp-echo.pcap", 4, SCALE_10);
    let value = bytes_record(&map);
    assert_eq!(value["type"], "bytes");
    assert_eq!(value["frame"], 4);
    insta::assert_snapshot!(
        "tcp_echo_4_json",
        serde_json::to_string_pretty(&value).expect("serialises")
    );
}

/// Every frame of every fixture, in both languages, plain and coloured: at 80 columns no line
/// of the byte map is wider than 80 display columns.
#[test]
fn every_fixture_frame_fits_80_columns() {
    let mut files: Vec<_> = std::fs::read_dir(FIXTURES)
        .expect("fixtures")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "pcap" || e == "pcapng"))
        .collect();
    files.sort();
    let mut frames = 0;
    for path in &files {
        let mut src = FileSource::open(path).expect("fixture opens");
        while let Some(frame) = src.next_frame().expect("fixture reads") {
            let packet = decode(&frame);
            let map = map_frame(&frame, &packet, &SCALE_10);
            for lang in Lang::ALL {
                for theme in [Theme::plain(), Theme::colored()] {
                    let out = text(&map, theme, lang, Some(80));
                    let what = format!("{} frame {} {lang:?}", path.display(), frame.index);
                    assert_fits(&out.replace('␛', "\u{1b}"), 80, &what);
                }
            }
            frames += 1;
        }
    }
    assert!(frames > 100, "only {frames} frames");
}
