//! Reading captures through the binary: a fixture's timeline explains the handshake, the JSON
//! has the documented keys and keeps nanosecond digits, `--summary-only`, `--no-summary`,
//! `--color` and `NO_COLOR` do what they say, a stream selection keeps the ICMP error of its
//! UDP flow, absolute time shows the date and UTC offset, a capture is read from standard
//! input, a broken pipe ends quietly, a huge `--max-connections` asks for no memory up front,
//! and `interfaces` lists loopback.

#[path = "support/cli.rs"]
mod cli;

use std::process::Command;

use cli::{bin, succeeds};

#[test]
fn reads_a_fixture_and_explains_the_handshake() {
    let out = bin()
        .args(["read", "fixtures/tcp-echo.pcap"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with(
        "fixtures/tcp-echo.pcap · pcap · Ethernet (EN10MB) · 870 bytes, packet count at the end"
    ));
    assert!(text.contains("\n10 packets · 1 TCP conversation · 0 UDP conversations\n"));
    for needle in [
        "handshake 1/3",
        "handshake 2/3",
        "handshake 3/3: connection established",
        "\"hello\"",
        "FIN-WAIT-1",
        "TIME-WAIT",
        "3-segment close",
        "ShADadFf",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
}

#[test]
fn broken_pipe_exits_quietly() {
    let out = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "{} read fixtures/tcp-lossy.pcap | head -n 1; exit ${{PIPESTATUS[0]}}",
            assert_cmd::cargo::cargo_bin("handshake-viz").display()
        ))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 1);
}

#[test]
fn json_has_the_documented_keys() {
    let out = bin()
        .args(["read", "fixtures/tcp-echo.pcap", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 11, "10 packets and 1 connection");
    let packet_keys = [
        "type", "frame", "ts", "proto", "src", "dst", "sport", "dport", "stream", "dir", "flags",
        "seq", "ack", "seq_raw", "ack_raw", "len", "win", "phase", "event", "states", "analysis",
    ];
    for p in &lines[..10] {
        for key in packet_keys {
            assert!(p.get(key).is_some(), "packet lacks {key}: {p}");
        }
    }
    assert_eq!(lines[0]["flags"], serde_json::json!(["SYN"]));
    assert_eq!(lines[0]["ack"], serde_json::Value::Null);
    assert_eq!(lines[1]["ack"], 1);
    assert_eq!(lines[3]["len"], 5);
    assert_eq!(lines[9]["states"]["client"], "TIME-WAIT");
    assert!(lines[0]["ts"].as_f64().unwrap() > 1.7e9);
    let conn = &lines[10];
    for key in [
        "type",
        "stream",
        "proto",
        "client",
        "server",
        "packets",
        "bytes_c2s",
        "bytes_s2c",
        "start",
        "duration",
        "rtt_handshake",
        "close",
        "conn_state",
        "history",
    ] {
        assert!(conn.get(key).is_some(), "connection lacks {key}: {conn}");
    }
    assert_eq!(conn["close"], "fin-3way");
    assert_eq!(conn["conn_state"], "SF");
    assert_eq!(conn["packets"], 10);
}

#[test]
fn nanosecond_timestamps_keep_every_digit_in_json() {
    let out = bin()
        .args([
            "read",
            "fixtures/tcp-nanosecond.pcap",
            "--json",
            "--no-summary",
        ])
        .output()
        .unwrap();
    let first = String::from_utf8(out.stdout).unwrap();
    let first = first.lines().next().unwrap();
    let ts = first
        .split("\"ts\":")
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap();
    assert_eq!(ts.split('.').nth(1).unwrap().len(), 9, "{ts}");
}

#[test]
fn summary_only_and_no_summary() {
    let out = bin()
        .args(["read", "fixtures/tcp-echo.pcap", "--summary-only"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        !text.contains("handshake 1/3") && text.contains("3-segment close"),
        "{text}"
    );
    let out = bin()
        .args(["read", "fixtures/tcp-echo.pcap", "--no-summary"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("handshake 1/3") && !text.contains("3-segment close"),
        "{text}"
    );
}

#[test]
fn a_huge_connection_cap_asks_for_no_memory_up_front() {
    let json = |cap: &str| {
        let out = bin()
            .args(["read", "fixtures/tcp-echo.pcap", "--json"])
            .args(["--max-connections", cap])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "--max-connections {cap}: {stderr}");
        String::from_utf8(out.stdout).unwrap()
    };
    let default = json("10000");
    for cap in ["4000000000", &usize::MAX.to_string()] {
        assert_eq!(json(cap), default, "--max-connections {cap}");
    }
}

#[test]
fn color_follows_the_flag_and_no_color() {
    let always = bin()
        .args(["read", "fixtures/tcp-echo.pcap", "--color", "always"])
        .output()
        .unwrap();
    assert!(String::from_utf8(always.stdout).unwrap().contains("\x1b["));
    let auto = bin()
        .args(["read", "fixtures/tcp-echo.pcap"])
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!String::from_utf8(auto.stdout).unwrap().contains('\x1b'));
}

#[test]
fn stream_selection_keeps_the_icmp_error_of_a_udp_flow() {
    let out = bin()
        .args([
            "read",
            "fixtures/udp-echo.pcap",
            "--stream",
            "udp:1",
            "--no-summary",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("port unreachable: answers UDP stream 1"),
        "{text}"
    );
    assert!(!text.contains("udp 0"), "{text}");
}

#[test]
fn absolute_time_shows_the_date_and_utc_offset() {
    let run = |tz: &str| {
        let out = bin()
            .args([
                "read",
                "fixtures/tcp-nanosecond.pcap",
                "--time",
                "absolute",
                "--no-summary",
            ])
            .env("TZ", tz)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let utc = run("UTC");
    let line = utc
        .lines()
        .find(|l| l.trim_start().starts_with("1 "))
        .unwrap();
    assert!(line.contains(" +00:00 "), "{line}");
    // Nanosecond file: nine decimals.
    let time = line.split_whitespace().nth(2).unwrap();
    assert_eq!(time.split('.').nth(1).unwrap().len(), 9, "{line}");
    // A POSIX TZ string needs no zoneinfo files.
    let kolkata = run("IST-5:30");
    assert!(kolkata.contains(" +05:30 "), "{kolkata}");
}

#[test]
fn reads_a_capture_from_standard_input() {
    let file = std::fs::File::open("fixtures/tcp-echo.pcap").unwrap();
    let out = succeeds(bin().args(["read", "-", "--color", "never"]).stdin(file));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("standard input · Ethernet (EN10MB)"),
        "{text}"
    );
    assert!(text.contains("10 packets · 1 TCP conversation"), "{text}");
}

#[test]
fn interfaces_lists_loopback() {
    let out = bin().arg("interfaces").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.lines()
            .any(|l| l.contains(" lo ") && l.contains("Loopback") && l.contains("127.0.0.1")),
        "{text}"
    );
}
