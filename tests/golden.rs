//! Golden tests: the timeline, the summary and the NDJSON of every fixture, as reviewed
//! snapshots. A behaviour change shows up as a snapshot diff in review.

#[path = "support/text_views.rs"]
mod text_views;

use std::path::{Path, PathBuf};

use handshake_viz::config::{SummaryMode, TimeMode, ViewConfig};
use handshake_viz::read::{ReadOptions, read_file};
use text_views::{fixture_captures, strip_ansi};

fn fixtures() -> Vec<PathBuf> {
    let files = fixture_captures();
    assert!(
        files.len() >= 10,
        "expected the fixture captures, found {files:?}"
    );
    files
}

fn render(path: &Path, view: ViewConfig, filter: Option<&str>) -> String {
    let mut out = Vec::new();
    let options = ReadOptions {
        filter: filter.map(str::to_string),
        ..ReadOptions::default()
    };
    read_file(path, view, &options, &mut out).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    String::from_utf8(out).expect("output is UTF-8")
}

fn snapshot_name(path: &Path, view: &str) -> String {
    format!(
        "{}-{view}",
        path.file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .replace('.', "_")
    )
}

#[test]
fn timeline_and_summary_of_every_fixture() {
    for path in fixtures() {
        let text = render(&path, ViewConfig::default(), None);
        insta::assert_snapshot!(snapshot_name(&path, "timeline"), text);
    }
}

#[test]
fn json_of_every_fixture() {
    for path in fixtures() {
        let view = ViewConfig {
            json: true,
            ..ViewConfig::default()
        };
        let text = render(&path, view, None);
        for line in text.lines() {
            let value: serde_json::Value = serde_json::from_str(line).expect("each line is JSON");
            assert!(value["type"].is_string(), "{line}");
        }
        insta::assert_snapshot!(snapshot_name(&path, "json"), text);
    }
}

#[test]
fn colored_timeline_keeps_its_text() {
    let path = Path::new("fixtures/tcp-echo.pcap");
    let view = ViewConfig {
        color: true,
        ..ViewConfig::default()
    };
    let colored = render(path, view, None);
    assert!(colored.contains("\x1b["), "colour was asked for");
    let visible = colored.replace('\x1b', "␛");
    insta::assert_snapshot!("tcp-echo_pcap-colored", visible);
    let stripped = strip_ansi(&colored);
    assert_eq!(stripped, render(path, ViewConfig::default(), None));
}

#[test]
fn absolute_and_delta_time() {
    let path = Path::new("fixtures/tcp-nanosecond.pcap");
    let delta = render(
        path,
        ViewConfig {
            time: TimeMode::Delta,
            summary: SummaryMode::None,
            ..ViewConfig::default()
        },
        None,
    );
    insta::assert_snapshot!("tcp-nanosecond_pcap-delta", delta);
}

#[test]
fn filter_and_stream_select_what_is_shown_but_keep_numbers() {
    let path = Path::new("fixtures/tcp-many-clients.pcap");
    let only_stream_2 = render(
        path,
        ViewConfig {
            stream: Some(handshake_viz::config::StreamSelection::parse("2").unwrap()),
            ..ViewConfig::default()
        },
        None,
    );
    insta::assert_snapshot!("tcp-many-clients_pcap-stream2", only_stream_2);
    let syn_fin = render(
        path,
        ViewConfig {
            summary: SummaryMode::None,
            ..ViewConfig::default()
        },
        Some("tcp[tcpflags] & (tcp-syn|tcp-fin) != 0"),
    );
    insta::assert_snapshot!("tcp-many-clients_pcap-synfin", syn_fin);
}

#[test]
fn byte_map_under_the_selected_frames() {
    let path = Path::new("fixtures/tcp-echo.pcap");
    let text = render(
        path,
        ViewConfig {
            bytes: Some(handshake_viz::config::FrameSelection::parse("4").unwrap()),
            summary: SummaryMode::None,
            ..ViewConfig::default()
        },
        None,
    );
    assert_eq!(text.matches("hex dump").count(), 1, "one frame selected");
    insta::assert_snapshot!("tcp-echo_pcap-bytes4", text);

    let json = render(
        path,
        ViewConfig {
            bytes: Some(handshake_viz::config::FrameSelection::parse("1-3").unwrap()),
            json: true,
            summary: SummaryMode::None,
            ..ViewConfig::default()
        },
        None,
    );
    let records: Vec<serde_json::Value> = json
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let bytes: Vec<&serde_json::Value> = records.iter().filter(|r| r["type"] == "bytes").collect();
    assert_eq!(bytes.len(), 3);
    assert_eq!(bytes[0]["frame"], 1);
    let tcp = bytes[0]["layers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == "TCP")
        .expect("a TCP layer");
    assert_eq!(tcp["offset"], 34);
    let window = tcp["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["wireshark"] == "tcp.window_size_value")
        .unwrap();
    assert_eq!(
        (window["offset"].as_u64(), window["len"].as_u64()),
        (Some(48), Some(2))
    );
}
