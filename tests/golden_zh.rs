//! Golden snapshots in 中文: the timeline and the summary of several fixtures at 80 and 120
//! columns. Alignment is part of the snapshot (CJK characters take two columns).

use std::path::Path;

use handshake_viz::config::ViewConfig;
use handshake_viz::read::{ReadOptions, read_file};
use handshake_viz::render::words::Lang;

fn render(path: &str, width: u16) -> String {
    let view = ViewConfig {
        lang: Lang::Zh,
        width: Some(width),
        ..ViewConfig::default()
    };
    let mut out = Vec::new();
    read_file(Path::new(path), view, &ReadOptions::default(), &mut out).expect("reads");
    String::from_utf8(out).expect("UTF-8")
}

#[test]
fn chinese_timeline_and_summary() {
    for name in [
        "tcp-echo.pcap",
        "tcp-close-4way.pcap",
        "tcp-half-close.pcap",
        "tcp-refused.pcap",
        "udp-echo.pcap",
        "demo-tcp.pcap",
    ] {
        for width in [80, 120] {
            let text = render(&format!("fixtures/{name}"), width);
            insta::assert_snapshot!(format!("{}-{width}", name.replace('.', "_")), text);
        }
    }
}

#[test]
fn chinese_wide_timeline_keeps_its_columns() {
    // Without a width limit, every packet is one line and the headings line up with it.
    let view = ViewConfig {
        lang: Lang::Zh,
        ..ViewConfig::default()
    };
    let mut out = Vec::new();
    read_file(
        Path::new("fixtures/tcp-echo.pcap"),
        view,
        &ReadOptions::default(),
        &mut out,
    )
    .expect("reads");
    let text = String::from_utf8(out).unwrap();
    let heading = text.lines().nth(1).unwrap();
    let row = text
        .lines()
        .find(|l| l.trim_start().starts_with("1 "))
        .unwrap();
    let column = |line: &str, what: &str| {
        let at = line.find(what).unwrap();
        handshake_viz::text::display_width(&line[..at])
    };
    assert_eq!(column(heading, "发生了什么"), column(row, "握手 1/3"));
    assert_eq!(column(heading, "客户端"), column(row, "SYN-SENT"));
}
