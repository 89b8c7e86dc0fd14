//! Snapshots of the byte map's text view (plain, and coloured with ESC shown as `␛`) and JSON
//! record on the capture fixtures.

use handshake_viz::bytemap::{FrameMap, MapContext, json::bytes_record, map_frame};
use handshake_viz::capture::{FileSource, FrameSource};
use handshake_viz::decode::{Transport, decode};
use handshake_viz::render::{Theme, bytes::write_frame_map};

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

fn text(map: &FrameMap, theme: Theme) -> String {
    let mut out = Vec::new();
    write_frame_map(&mut out, map, &theme).expect("writes to a Vec");
    String::from_utf8(out)
        .expect("UTF-8")
        .replace('\u{1b}', "␛")
}

fn snapshot_both(name: &str, map: &FrameMap) {
    let plain = text(map, Theme::plain());
    assert!(!plain.contains('␛'), "plain output has escapes");
    insta::assert_snapshot!(format!("{name}_plain"), plain);
    insta::assert_snapshot!(format!("{name}_color"), text(map, Theme::colored()));
}

/// The echo client's handshake announced window scale 10 (x1024).
const SCALE_10: MapContext = MapContext {
    window_scale: Some(10),
};

#[test]
fn tcp_echo_frame_4_data_segment() {
    snapshot_both("tcp_echo_4", &map_of("tcp-echo.pcap", 4, SCALE_10));
}

#[test]
fn tcp_ipv6_syn() {
    let map = map_of("tcp-ipv6.pcap", 1, MapContext::default());
    assert!(
        map.envelope()
            .starts_with("[Ethernet II 14 B [IPv6 40 B [TCP 40 B]]]")
    );
    snapshot_both("tcp_ipv6_syn", &map);
}

#[test]
fn icmp_port_unreachable_quotes_the_udp_datagram() {
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
    let map = map_of(
        "udp-echo.pcap",
        index.expect("an ICMP frame"),
        MapContext::default(),
    );
    assert!(
        map.layers
            .iter()
            .any(|l| l.quoted && l.name.starts_with("UDP"))
    );
    snapshot_both("udp_echo_icmp_unreachable", &map);
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
}

#[test]
fn arp_request() {
    snapshot_both(
        "arp_request",
        &map_of("arp-icmp.pcap", 1, MapContext::default()),
    );
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
