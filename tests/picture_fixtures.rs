//! The pictures of real captures, made by the binary: `--svg` and `--html` of fixtures hold
//! one arrow per TCP/UDP packet, parse as XML, draw in Chromium, and ask for nothing from the
//! network. The README's screenshot is this test's rendering (set
//! HANDSHAKE_VIZ_UPDATE_PICTURES=1 to write it to docs/).

mod browser;
mod common;

use std::path::Path;
use std::process::Command;

use browser::{dump_dom, screenshot};

/// Writes the capture's pictures with the binary and returns (svg, html) text.
fn pictures(dir: &Path, fixture: &str, extra: &[&str]) -> (String, String) {
    let svg = dir.join("out.svg");
    let html = dir.join("out.html");
    let out = Command::new(common::bin())
        .args(["read", fixture, "--summary-only", "--svg"])
        .arg(&svg)
        .arg("--html")
        .arg(&html)
        .args(extra)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        std::fs::read_to_string(svg).expect("SVG written"),
        std::fs::read_to_string(html).expect("HTML written"),
    )
}

/// TCP and UDP packets in a capture, as tshark would count frames with a transport header.
fn transport_packets(fixture: &str) -> usize {
    let out = Command::new(common::bin())
        .args(["read", fixture, "--json", "--no-summary"])
        .output()
        .expect("runs");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| matches!(v["proto"].as_str(), Some("tcp" | "udp")))
        .count()
}

#[test]
fn every_packet_is_one_arrow_in_the_svg_and_the_page() {
    for fixture in [
        "fixtures/tcp-echo.pcap",
        "fixtures/tcp-lossy.pcap",
        "fixtures/udp-echo.pcap",
        "fixtures/tcp-many-clients.pcap",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let (svg, html) = pictures(dir.path(), fixture, &[]);
        let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{fixture}: {e}"));
        let arrows = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("arrow"))
            .count();
        let packets = transport_packets(fixture);
        assert_eq!(arrows, packets, "{fixture}: SVG arrows");
        for needle in ["http:", "https:", "src=", "@import", "url("] {
            assert!(
                !html.contains(needle),
                "{fixture}: the page refers to {needle}"
            );
        }
        let page = dir.path().join("page.html");
        std::fs::write(&page, &html).unwrap();
        let dom = dump_dom(dir.path(), &page);
        assert_eq!(
            dom.matches(r#"<g class="arrow""#).count(),
            packets,
            "{fixture}: arrows in the loaded page"
        );
    }
}

#[test]
fn the_echo_handshake_is_drawn() {
    let dir = tempfile::tempdir().unwrap();
    let (svg, _) = pictures(dir.path(), "fixtures/tcp-echo.pcap", &["--spacing", "even"]);
    let file = dir.path().join("echo.svg");
    std::fs::write(&file, &svg).unwrap();
    let shot = screenshot(dir.path(), &file, 1300, 900);
    let (ink, colours) = shot.stats();
    assert!(ink > 0.01 && ink < 0.4, "ink {ink}");
    assert!(colours > 8, "{colours} colours");
    assert!(svg.contains("SYN-SENT") && svg.contains("ESTABLISHED") && svg.contains("TIME-WAIT"));
}

/// The demo's own capture (a pcapng with its socket calls): the ladder with connect(),
/// accept() and close() beside the lanes. This rendering is the README's screenshot.
#[test]
fn the_demo_ladder_with_its_socket_calls_is_drawn() {
    let dir = tempfile::tempdir().unwrap();
    let (svg, _) = pictures(
        dir.path(),
        "fixtures/demo-tcp.pcapng",
        &["--spacing", "even"],
    );
    for call in [
        "listen()",
        "connect()",
        "accept()",
        "send()",
        "recv()",
        "close()",
    ] {
        assert!(svg.contains(call), "the picture shows {call}");
    }
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let root = doc.root_element();
    let size = |name: &str| -> u32 { root.attribute(name).unwrap().parse().unwrap() };
    let file = dir.path().join("demo.svg");
    std::fs::write(&file, &svg).unwrap();
    let shot = screenshot(dir.path(), &file, size("width"), size("height"));
    let (ink, colours) = shot.stats();
    assert!(ink > 0.01 && ink < 0.4, "ink {ink}");
    assert!(colours > 8, "{colours} colours");
    if std::env::var("HANDSHAKE_VIZ_UPDATE_PICTURES").as_deref() == Ok("1") {
        let png = dir.path().join("demo.svg.png");
        std::fs::copy(&png, "docs/ladder-demo-tcp.png").expect("docs/ is writable");
    }
}

#[test]
fn an_unwritable_picture_path_fails_before_reading() {
    let out = Command::new(common::bin())
        .args([
            "read",
            "fixtures/tcp-echo.pcap",
            "--svg",
            "/nonexistent/dir/x.svg",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("/nonexistent/dir/x.svg") && stderr.lines().count() == 1,
        "{stderr}"
    );
    assert!(out.stdout.is_empty(), "nothing is printed before the error");
}
