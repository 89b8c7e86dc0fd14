//! The text summary of a capture with more conversations than a table can show: totals by
//! close kind and state, the noteworthy ones, within the width in both languages; and
//! `--all-conversations`, which lists every one.

#[path = "support/synth.rs"]
mod synth;

use handshake_viz::capture::Frame;
use handshake_viz::config::{SummaryMode, ViewConfig};
use handshake_viz::read::{ReadOptions, read_file};
use handshake_viz::render::words::Lang;
use handshake_viz::text::display_width;
use synth::{closed, tcp, tcp_data, write_pcap};

/// Conversations in the capture: more than the 100 a table lists.
const CONVERSATIONS: u16 = 150;
/// The one conversation that carries data: the most data of all.
const BUSY: u16 = 7;

/// 149 closed connections without data, one (port 40000 + BUSY) that sends 5000 bytes
/// before closing, and 1 SYN nobody answers, one after the other.
fn capture(dir: &std::path::Path) -> std::path::PathBuf {
    let mut frames: Vec<Frame> = Vec::new();
    for i in 0..CONVERSATIONS - 1 {
        let t = f64::from(i) * 0.01;
        let port = 40000 + i;
        let mut conn = closed(t, port, 1000 + u32::from(i));
        if i == BUSY {
            let isn = 1000 + u32::from(i);
            let data = tcp_data(t + 0.0025, true, port, isn + 1, 5001, 5000);
            conn.insert(3, data);
            // The FIN and the last ACKs move past the data.
            conn[4] = tcp(t + 0.003, true, port, "FA", isn + 5001, 5001);
            conn[5] = tcp(t + 0.004, false, port, "FA", 5001, isn + 5002);
            conn[6] = tcp(t + 0.005, true, port, "A", isn + 5002, 5002);
        }
        frames.extend(conn);
    }
    frames.push(tcp(2.0, true, 50000, "S", 77, 0));
    let path = dir.join("many.pcap");
    write_pcap(&path, &frames);
    path
}

fn render(path: &std::path::Path, lang: Lang, all: bool) -> String {
    let view = ViewConfig {
        summary: SummaryMode::Only,
        width: Some(80),
        all_conversations: all,
        lang,
        ..ViewConfig::default()
    };
    let mut out = Vec::new();
    read_file(path, view, &ReadOptions::default(), &mut out).expect("read");
    String::from_utf8(out).expect("UTF-8")
}

fn assert_fits(text: &str) {
    for line in text.lines() {
        assert!(
            display_width(line) <= 80,
            "wider than 80:\n{line}\n\n{text}"
        );
    }
}

/// The count in the row of a totals table whose first cell is `label`.
fn row_count(text: &str, label: &str) -> Option<u64> {
    text.lines().find_map(|line| {
        let cells: Vec<&str> = line
            .trim_matches(|c| c == '│')
            .split(['┆', '│'])
            .map(str::trim)
            .collect();
        (cells.first() == Some(&label)).then(|| cells.get(1)?.parse().ok())?
    })
}

#[test]
fn past_a_hundred_conversations_the_summary_gives_totals_and_the_noteworthy() {
    let dir = tempfile::tempdir().unwrap();
    let path = capture(dir.path());
    let text = render(&path, Lang::En, false);
    assert_fits(&text);
    assert!(
        text.contains("150 conversations, too many to list (--all-conversations lists every"),
        "{text}"
    );
    // Totals by close kind and by Zeek conn_state, each adding up to every conversation.
    let closed_3way = row_count(&text, "3-segment close (ACK+FIN merged)");
    assert_eq!(closed_3way, Some(149), "{text}");
    assert_eq!(row_count(&text, "SYN unanswered"), Some(1), "{text}");
    assert_eq!(row_count(&text, "SF"), Some(149), "{text}");
    assert_eq!(row_count(&text, "S0"), Some(1), "{text}");
    // The noteworthy: the one with data comes first under "most data".
    let most = text.find("most data").expect("a most-data list");
    let busy = format!("10.0.0.1:{}", 40000 + BUSY);
    let first_conv = text[most..].find("10.0.0.1:").map(|i| &text[most + i..]);
    assert!(
        first_conv.is_some_and(|rest| rest.starts_with(&busy)),
        "the busiest conversation is not first under most data:\n{text}"
    );
    // Not a row per conversation.
    assert!(text.lines().count() < 80, "{text}");

    let zh = render(&path, Lang::Zh, false);
    assert_fits(&zh);
    assert!(zh.contains("150 个会话，太多无法逐一列出"), "{zh}");
    assert_eq!(row_count(&zh, "S0"), Some(1), "{zh}");
}

#[test]
fn past_max_connections_the_output_says_how_many_were_evicted() {
    let dir = tempfile::tempdir().unwrap();
    let path = capture(dir.path());
    let bin = env!("CARGO_BIN_EXE_handshake-viz");
    let text = std::process::Command::new(bin)
        .arg("read")
        .arg(&path)
        .args(["--summary-only", "--width", "80", "--max-connections", "1"])
        .output()
        .expect("run");
    assert!(text.status.success());
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert_fits(&stdout);
    // Each connection begins while the one before waits out its close delay: that one is
    // evicted, 149 times.
    assert!(
        stdout.contains("149 conversations evicted: more than 1 were followed at once"),
        "{stdout}"
    );
    let json = std::process::Command::new(bin)
        .arg("read")
        .arg(&path)
        .args(["--json", "--max-connections", "1"])
        .output()
        .expect("run");
    assert!(json.status.success());
    let stdout = String::from_utf8_lossy(&json.stdout);
    assert_eq!(stdout.matches(r#""retired":"evicted""#).count(), 149);
    let stderr = String::from_utf8_lossy(&json.stderr);
    assert!(
        stderr.contains("149 conversations evicted past --max-connections 1"),
        "{stderr}"
    );
}

#[test]
fn all_conversations_lists_every_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = capture(dir.path());
    let text = render(&path, Lang::En, true);
    assert_fits(&text);
    for i in 0..CONVERSATIONS - 1 {
        let client = format!("10.0.0.1:{}", 40000 + i);
        assert!(text.contains(&client), "{client} missing:\n{text}");
    }
    assert!(text.contains("10.0.0.1:50000"), "{text}");
    assert!(!text.contains("too many to list"), "{text}");
}
