//! The SVG and HTML ladders as a person sees them: parsed as XML, loaded and drawn by headless
//! Chromium, and checked on what ends up on screen and in the page's DOM.
//!
//! Needs Chromium (`apt-get install -y chromium`; `CHROMIUM` may name another binary). Without
//! it these tests fail and say so. Chromium runs with its network pointed at nothing: every
//! name resolves to an error and every request goes to a proxy on a closed loopback port.

mod browser;
mod common;
mod ladders;

use std::path::{Path, PathBuf};

use handshake_viz::render::ladder::Ladder;
use handshake_viz::render::ladder::html::{self, HtmlOptions};
use handshake_viz::render::ladder::svg::{self, Spacing, SvgOptions};

use browser::{dump_dom, run_chromium, screenshot};

fn svg_text(ladders: &[Ladder], spacing: Spacing) -> String {
    let mut out = Vec::new();
    svg::write(&mut out, ladders, &SvgOptions { spacing }).expect("write to a Vec");
    String::from_utf8(out).expect("SVG is UTF-8")
}

fn html_text(ladders: &[Ladder], spacing: Spacing) -> String {
    let mut out = Vec::new();
    let opts = HtmlOptions {
        svg: SvgOptions { spacing },
        ..HtmlOptions::default()
    };
    html::write(&mut out, ladders, &opts).expect("write to a Vec");
    String::from_utf8(out).expect("HTML is UTF-8")
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    path
}

fn attr(node: roxmltree::Node<'_, '_>, name: &str) -> f64 {
    node.attribute(name)
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("<{}> without numeric {name}", node.tag_name().name()))
}

fn arrows_in_dom(dom: &str) -> usize {
    dom.matches(r#"<g class="arrow""#).count()
}

/// Every (name, ladder) the checks draw.
fn samples() -> Vec<(&'static str, Ladder)> {
    let mut all = ladders::samples();
    all.push(("bulk", ladders::bulk()));
    all.push(("hostile", ladders::hostile()));
    all
}

#[test]
fn svg_is_well_formed_xml_with_one_slanted_arrow_per_packet() {
    for (name, ladder) in samples() {
        for spacing in [Spacing::Scaled, Spacing::Even] {
            let text = svg_text(std::slice::from_ref(&ladder), spacing);
            let doc = roxmltree::Document::parse(&text)
                .unwrap_or_else(|e| panic!("{name} {spacing:?}: not XML: {e}"));
            let arrows: Vec<_> = doc
                .descendants()
                .filter(|n| n.has_tag_name("g") && n.attribute("class") == Some("arrow"))
                .collect();
            let frames: Vec<u64> = ladder.arrows().map(|a| a.frame).collect();
            let drawn: Vec<u64> = arrows
                .iter()
                .map(|g| {
                    g.attribute("data-frame")
                        .and_then(|f| f.parse().ok())
                        .unwrap_or(0)
                })
                .collect();
            assert_eq!(drawn, frames, "{name} {spacing:?}: one arrow per packet");
            for g in &arrows {
                let line = g
                    .children()
                    .find(|n| n.has_tag_name("line") && n.attribute("class").is_none())
                    .expect("the arrow's line");
                let drop = attr(line, "y2") - attr(line, "y1");
                assert!(drop > 20.0, "{name}: arrow not slanted ({drop} px)");
            }
            for node in doc.descendants() {
                assert!(!node.has_tag_name("script"), "{name}: a script element");
                for a in node.attributes() {
                    assert!(!a.name().contains("href"), "{name}: a reference {a:?}");
                    if a.name() == "font-family" {
                        assert!(["monospace", "sans-serif"].contains(&a.value()), "{a:?}");
                    }
                }
            }
            assert!(!text.contains("url("), "{name}: a url() reference");
        }
    }
}

#[test]
fn a_long_transfer_scrolls_and_its_pauses_are_breaks() {
    let bulk = [ladders::bulk()];
    for spacing in [Spacing::Scaled, Spacing::Even] {
        let text = svg_text(&bulk, spacing);
        let doc = roxmltree::Document::parse(&text).expect("XML");
        let height = attr(doc.root_element(), "height");
        // 600 arrows at legible spacing: tens of thousands of pixels, not a squeezed page.
        assert!(height > 600.0 * 40.0, "{spacing:?}: {height} px tall");
        let breaks: Vec<&str> = doc
            .descendants()
            .filter(|n| n.is_element())
            .filter_map(|n| n.text())
            .filter(|t| t.starts_with('⋯'))
            .collect();
        // The pause plus the usual 4 µs step.
        assert!(
            breaks.contains(&"⋯ 250.004 ms ⋯"),
            "{spacing:?}: {breaks:?}"
        );
        assert!(breaks.contains(&"⋯ 2.000 s ⋯"), "{spacing:?}: {breaks:?}");
    }
}

#[test]
fn html_refers_to_nothing_outside_itself() {
    for (name, ladder) in samples() {
        let text = html_text(&[ladder], Spacing::Scaled);
        for bad in [
            "http:",
            "https:",
            "src=",
            "href=",
            "@import",
            "url(",
            "@font-face",
        ] {
            assert!(!text.contains(bad), "{name}: the page contains {bad:?}");
        }
    }
}

#[test]
fn page_dom_has_every_arrow_and_a_click_shows_the_packet() {
    let dir = tempfile::tempdir().expect("temp dir");
    let echo = html_text(&[ladders::echo()], Spacing::Scaled);
    let dom = dump_dom(dir.path(), &write(dir.path(), "echo.html", &echo));
    assert_eq!(arrows_in_dom(&dom), 10, "arrows in the loaded page");
    assert_eq!(
        dom.matches("<script").count(),
        1,
        "only the page's own script"
    );
    // The same page with a click on frame 4 at the end: the panel must show its fields.
    let click = "<script>document.querySelector('g.arrow[data-frame=\"4\"]')\
        .dispatchEvent(new MouseEvent('click', {bubbles: true}));</script></body>";
    let clicked = echo.replace("</body>", click);
    let dom = dump_dom(dir.path(), &write(dir.path(), "click.html", &clicked));
    let panel = dom.split(r#"id="panel-body""#).nth(1).expect("the panel");
    let panel = panel.split("</aside>").next().unwrap_or_default();
    assert!(panel.contains("#4 · 0.000057"), "panel: {panel}");
    assert!(
        panel.contains("PSH,ACK seq=1 ack=1 len=5"),
        "panel: {panel}"
    );
    assert!(
        panel.contains("0000  7c 7d 7e"),
        "byte map in the panel: {panel}"
    );
}

#[test]
fn hostile_strings_stay_text_in_the_browser() {
    let dir = tempfile::tempdir().expect("temp dir");
    let page = html_text(&[ladders::hostile()], Spacing::Even);
    let dom = dump_dom(dir.path(), &write(dir.path(), "hostile.html", &page));
    assert_eq!(dom.matches("<script").count(), 1, "an injected script ran");
    assert_eq!(arrows_in_dom(&dom), 1);
    assert!(
        dom.contains("&lt;script&gt;alert"),
        "the markup is shown as text"
    );
    assert!(
        !dom.contains('\u{1b}'),
        "a raw escape character reached the page"
    );
}

#[test]
fn six_hundred_arrows_load_and_draw() {
    let dir = tempfile::tempdir().expect("temp dir");
    let page = html_text(&[ladders::bulk()], Spacing::Scaled);
    let path = write(dir.path(), "bulk.html", &page);
    assert_eq!(arrows_in_dom(&dump_dom(dir.path(), &path)), 600);
    let shot = screenshot(dir.path(), &path, 1400, 900);
    let (ink, colours) = shot.stats();
    assert!(ink > 0.01 && ink < 0.5, "ink {ink}");
    assert!(colours > 8, "{colours} colours");
}

#[test]
fn screenshot_shows_lanes_labels_and_arrows_where_the_svg_puts_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ladder = ladders::echo();
    let text = svg_text(std::slice::from_ref(&ladder), Spacing::Even);
    let doc = roxmltree::Document::parse(&text).expect("XML");
    let root = doc.root_element();
    let (w, h) = (attr(root, "width"), attr(root, "height"));
    let shot = screenshot(dir.path(), &write(dir.path(), "echo.svg", &text), 1300, 900);
    let (ink, colours) = shot.stats();
    assert!(ink > 0.01 && ink < 0.4, "ink {ink}");
    assert!(colours > 8, "{colours} colours");
    assert!(
        w < 1300.0 && h > 900.0,
        "the test window shows the top of the whole width"
    );
    // Each role label: ink over its lane in the top band, none halfway between the lanes.
    let label = |role: &str| {
        let n = doc
            .descendants()
            .find(|n| n.has_tag_name("text") && n.text() == Some(role))
            .unwrap_or_else(|| panic!("label {role}"));
        (attr(n, "x"), attr(n, "y"))
    };
    let (cx, cy) = label(&ladder.client.role);
    let (sx, sy) = label(&ladder.server.role);
    assert_eq!(cy, sy, "both labels on one line");
    assert!(cy < 100.0, "labels at the top");
    for x in [cx, sx] {
        let ink = shot.inked(x - 25.0, cy - 14.0, x + 25.0, cy + 3.0);
        assert!(ink > 40, "label over the lane at x={x}: {ink} inked pixels");
    }
    let mid = (cx + sx) / 2.0;
    assert_eq!(shot.inked(mid - 40.0, cy - 14.0, mid + 40.0, cy + 3.0), 0);
    // The first arrow's line: ink along it, between the lanes.
    let first = doc
        .descendants()
        .find(|n| n.attribute("data-frame") == Some("1"))
        .expect("arrow 1");
    let line = first
        .children()
        .find(|n| n.has_tag_name("line") && n.attribute("class").is_none())
        .expect("line");
    let (x1, y1, x2, y2) = (
        attr(line, "x1"),
        attr(line, "y1"),
        attr(line, "x2"),
        attr(line, "y2"),
    );
    for f in [0.1, 0.3, 0.9] {
        let (x, y) = (x1 + (x2 - x1) * f, y1 + (y2 - y1) * f);
        let ink = shot.inked(x - 2.0, y - 2.0, x + 3.0, y + 3.0);
        assert!(
            ink > 0,
            "no ink on arrow 1 at {f} of its length ({x:.0},{y:.0})"
        );
    }
}

#[test]
fn page_screenshot_shows_the_drawing_and_the_panel() {
    let dir = tempfile::tempdir().expect("temp dir");
    let page = html_text(&[ladders::lossy()], Spacing::Scaled);
    let shot = screenshot(
        dir.path(),
        &write(dir.path(), "lossy.html", &page),
        1500,
        900,
    );
    let (ink, colours) = shot.stats();
    assert!(ink > 0.01 && ink < 0.4, "ink {ink}");
    assert!(colours > 8, "{colours} colours");
    // The panel's hint at the top right, the drawing on the left.
    assert!(
        shot.inked(1500.0 - 360.0, 0.0, 1500.0, 60.0) > 50,
        "panel hint"
    );
    assert!(shot.inked(0.0, 100.0, 1000.0, 900.0) > 2000, "drawing");
}

/// Requests the page itself started, from Chromium's network log (its own background
/// requests carry no page origin and go nowhere anyway).
fn page_requests(dir: &Path, file: &Path) -> Vec<String> {
    let log = dir.join(format!(
        "{}.netlog.json",
        file.file_name().unwrap_or_default().to_string_lossy()
    ));
    run_chromium(
        dir,
        file,
        &[
            format!("--log-net-log={}", log.display()),
            "--dump-dom".into(),
        ],
    );
    let text = std::fs::read_to_string(&log).expect("net log");
    let json: serde_json::Value = serde_json::from_str(&text).expect("net log JSON");
    let start = json["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"].as_u64();
    let events = json["events"].as_array().cloned().unwrap_or_default();
    events
        .iter()
        .filter(|e| e["type"].as_u64() == start)
        .filter(|e| e["params"]["initiator"].as_str() != Some("not an origin"))
        .filter_map(|e| e["params"]["url"].as_str().map(String::from))
        .collect()
}

#[test]
fn loading_the_page_requests_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    // The check itself must see a page's requests: a page with an image and a stylesheet.
    let bad = "<!DOCTYPE html><html><body><img src=\"http://example.invalid/x.png\">\
        <link rel=\"stylesheet\" href=\"https://example.invalid/x.css\"></body></html>";
    let seen = page_requests(dir.path(), &write(dir.path(), "bad.html", bad));
    assert!(
        seen.iter().any(|u| u.contains("example.invalid")),
        "the network log shows no request of a page that makes two: {seen:?}"
    );
    let page = html_text(&[ladders::echo()], Spacing::Scaled);
    let seen = page_requests(dir.path(), &write(dir.path(), "echo.html", &page));
    assert!(seen.is_empty(), "the ladder page requested {seen:?}");
}
