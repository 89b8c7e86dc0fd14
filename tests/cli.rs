//! The binary end to end: exit codes, one-line errors, options, and live capture through the
//! command line (root in CI; HANDSHAKE_VIZ_SKIP_LIVE=1 skips only the live tests).

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::prelude::*;
use predicates::prelude::*;

fn bin() -> Command {
    let mut cmd = Command::cargo_bin("handshake-viz").unwrap();
    cmd.env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env("TZ", "UTC");
    cmd
}

/// Exactly one non-empty line on stderr, starting with the program name.
fn one_line(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr).to_string();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1, "expected one stderr line, got: {text:?}");
    assert!(lines[0].starts_with("handshake-viz: "), "{text}");
    assert!(!text.contains("panicked"), "{text}");
    lines[0].to_string()
}

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
fn missing_file_is_one_line_exit_2() {
    let out = bin()
        .args(["read", "/nonexistent/x.pcap"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        one_line(&out.stderr),
        "handshake-viz: /nonexistent/x.pcap: No such file or directory"
    );
}

#[test]
fn not_a_capture_and_directory_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "just some text, not a capture\n").unwrap();
    let out = bin().arg("read").arg(&text).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let line = one_line(&out.stderr);
    assert!(
        line.contains("notes.txt") && line.contains("unknown file format"),
        "{line}"
    );

    let out = bin().arg("read").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(one_line(&out.stderr).contains("is a directory"));

    let empty = dir.path().join("empty.pcap");
    std::fs::write(&empty, b"").unwrap();
    let out = bin().arg("read").arg(&empty).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(one_line(&out.stderr).contains("empty.pcap: truncated dump file"));
}

#[test]
fn truncated_last_record_keeps_everything_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let cut = dir.path().join("cut.pcap");
    let bytes = std::fs::read("fixtures/tcp-echo.pcap").unwrap();
    std::fs::write(&cut, &bytes[..bytes.len() - 20]).unwrap();
    let out = bin().arg("read").arg(&cut).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "partial read exits 1");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("\n    9  "), "frame 9 is shown:\n{text}");
    assert!(!text.contains("\n   10  "), "frame 10 is cut:\n{text}");
    assert!(text.contains("9 packets · 1 TCP conversation"), "{text}");
    let line = one_line(&out.stderr);
    assert!(line.contains("cut.pcap: truncated dump file"), "{line}");
    assert!(line.contains("cut after frame 9"), "{line}");
}

#[test]
fn bad_filter_names_the_filter() {
    let out = bin()
        .args(["read", "fixtures/tcp-echo.pcap", "--filter", "tcp port"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        one_line(&out.stderr),
        "handshake-viz: bad filter 'tcp port': can't parse filter expression: syntax error"
    );
}

/// A classic pcap (little-endian, µs) with one record.
fn pcap_bytes(linktype: u32, frame: &[u8]) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend(0xa1b2c3d4u32.to_le_bytes());
    b.extend(2u16.to_le_bytes());
    b.extend(4u16.to_le_bytes());
    b.extend([0u8; 8]);
    b.extend(65535u32.to_le_bytes());
    b.extend(linktype.to_le_bytes());
    b.extend(1_700_000_000u32.to_le_bytes());
    b.extend(0u32.to_le_bytes());
    b.extend((frame.len() as u32).to_le_bytes());
    b.extend((frame.len() as u32).to_le_bytes());
    b.extend(frame);
    b
}

#[test]
fn unsupported_link_type_lists_the_supported_ones() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("frame-relay.pcap");
    std::fs::write(&path, pcap_bytes(107, &[0u8; 24])).unwrap();
    let out = bin().arg("read").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let line = one_line(&out.stderr);
    assert!(
        line.contains("unsupported link type 107 (FRELAY)"),
        "{line}"
    );
    assert!(
        line.contains("supported: EN10MB, LINUX_SLL, LINUX_SLL2"),
        "{line}"
    );
}

#[test]
fn hostile_payload_cannot_drive_the_terminal() {
    // Ethernet + IPv4 + UDP carrying an escape sequence that would clear the screen.
    let payload = b"\x1b[2J\x1b]0;owned\x07";
    let mut frame = vec![0u8; 12];
    frame.extend([0x08, 0x00]);
    let total = 20 + 8 + payload.len();
    frame.extend([0x45, 0, 0, total as u8, 0, 0, 0x40, 0, 64, 17, 0, 0]);
    frame.extend([127, 0, 0, 1, 127, 0, 0, 1]);
    frame.extend([0x30, 0x39, 0x00, 0x35, 0, (8 + payload.len()) as u8, 0, 0]);
    frame.extend(payload);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile.pcap");
    std::fs::write(&path, pcap_bytes(1, &frame)).unwrap();
    let out = bin()
        .args(["read", "--color", "never"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('\x1b') && !text.contains('\x07'), "{text:?}");
    assert!(text.contains("\\x1b[2J\\x1b]0;owned\\x07"), "{text}");
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
fn bad_option_values_are_usage_errors() {
    bin()
        .args(["read", "fixtures/tcp-echo.pcap", "--bytes", "5-3"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad frame selection '5-3'"));
    bin()
        .args(["read", "fixtures/tcp-echo.pcap", "--stream", "sctp:1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad stream 'sctp:1'"));
}

// ---- live capture through the binary ----

fn live_enabled() -> bool {
    if std::env::var("HANDSHAKE_VIZ_SKIP_LIVE").as_deref() == Ok("1") {
        eprintln!("skipped: HANDSHAKE_VIZ_SKIP_LIVE=1");
        return false;
    }
    let probe = bin()
        .args([
            "live",
            "lo",
            "--count",
            "1",
            "--duration",
            "0.05",
            "--filter",
            "udp port 9",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&probe.stderr);
    assert!(
        !err.contains("no permission"),
        "live tests need root or CAP_NET_RAW; set HANDSHAKE_VIZ_SKIP_LIVE=1 to skip them ({err})"
    );
    assert!(probe.status.success(), "cannot capture on lo: {err}");
    true
}

/// The packet lines of a timeline (those starting with a frame number).
fn packet_lines(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| {
            l.trim_start()
                .split(' ')
                .next()
                .is_some_and(|w| w.parse::<u64>().is_ok())
        })
        .map(|l| {
            // Drop the time column, which differs between live (µs) and file (ns) views.
            let mut parts = l.split_whitespace();
            let n = parts.next().unwrap().to_string();
            parts.next();
            format!("{n} {}", parts.collect::<Vec<_>>().join(" "))
        })
        .collect()
}

#[test]
fn live_tcp_demo_ends_by_itself_and_its_file_reads_back_the_same() {
    if !live_enabled() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("demo.pcap");
    let started = Instant::now();
    let out = bin()
        .args([
            "live",
            "lo",
            "--demo",
            "tcp",
            "--no-summary",
            "--payload",
            "0",
            "--write",
        ])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the demo ends by itself"
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let live = String::from_utf8(out.stdout).unwrap();
    let lines = packet_lines(&live);
    assert!(
        lines[0].contains("SYN") && lines[0].contains("handshake 1/3"),
        "{live}"
    );
    assert!(lines[1].contains("SYN,ACK"), "{live}");
    assert!(
        live.contains("connect()") && live.contains("accept()"),
        "{live}"
    );
    assert!(
        live.contains("TIME-WAIT") && live.contains("capture stopped"),
        "{live}"
    );

    let read = bin()
        .args(["read", "--no-summary", "--payload", "0"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(read.status.success());
    assert_eq!(
        packet_lines(&String::from_utf8(read.stdout).unwrap()),
        lines
    );
}

#[test]
fn live_udp_demo_over_ipv6_shows_datagrams_without_handshake() {
    if !live_enabled() {
        return;
    }
    let out = bin()
        .args(["live", "lo", "--demo", "udp", "--ipv6", "--message", "%Y"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("UDP stream 0: client [::1]:"), "{text}");
    assert!(text.contains("no handshake"), "{text}");
    assert!(
        text.contains("sendto()") && text.contains("recvfrom()"),
        "{text}"
    );
    assert!(text.contains("server answers #"), "{text}");
}

#[test]
fn live_errors_are_one_line() {
    if !live_enabled() {
        return;
    }
    let out = bin()
        .args(["live", "nosuch0", "--count", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let line = one_line(&out.stderr);
    assert!(
        line.contains("'nosuch0' does not exist") && line.contains("lo"),
        "{line}"
    );

    let out = bin()
        .args([
            "live",
            "lo",
            "--write",
            "/nonexistent/dir/x.pcap",
            "--count",
            "1",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(one_line(&out.stderr).contains("/nonexistent/dir/x.pcap"));

    // A demo on an interface that cannot see loopback traffic is refused with a suggestion.
    let listed = bin().arg("interfaces").output().unwrap();
    let listed = String::from_utf8(listed.stdout).unwrap();
    let other = listed
        .lines()
        .filter(|l| !l.contains("Loopback"))
        .filter_map(|l| l.split_whitespace().nth(1))
        .find(|name| *name != "any");
    if let Some(name) = other {
        let out = bin()
            .args(["live", name, "--demo", "tcp"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let line = one_line(&out.stderr);
        assert!(
            line.contains("cannot see") && line.contains("live lo --demo"),
            "{line}"
        );
    }

    let out = bin()
        .args(["live", "lo", "--filter", "tcp port 99999", "--count", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(one_line(&out.stderr).contains("bad filter 'tcp port 99999'"));
}

#[test]
fn ctrl_c_leaves_a_valid_file_and_a_summary() {
    if !live_enabled() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("stopped.pcap");
    let receiver = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = receiver.local_addr().unwrap().port();
    let mut child = bin()
        .args(["live", "lo", "--payload", "0", "--filter"])
        .arg(format!("udp port {port}"))
        .arg("--write")
        .arg(&file)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut header = String::new();
    stdout.read_line(&mut header).unwrap();
    assert!(header.starts_with("live capture on lo"), "{header}");
    stdout.read_line(&mut header).unwrap();
    let sender = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let mut seen = 0;
    let mut lines = String::new();
    for i in 0..5 {
        sender
            .send_to(format!("datagram {i}").as_bytes(), ("127.0.0.1", port))
            .unwrap();
        // Wait until the tool has printed the packet: it captures before we go on.
        loop {
            let mut line = String::new();
            assert!(
                stdout.read_line(&mut line).unwrap() > 0,
                "output ended: {lines}"
            );
            lines.push_str(&line);
            if line.contains("udp 0") {
                seen += 1;
                break;
            }
        }
    }
    assert_eq!(seen, 5);
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut rest).unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "{rest}");
    assert!(
        rest.contains("5 packets · 0 TCP conversations · 1 UDP conversation"),
        "{rest}"
    );
    assert!(rest.contains("stopped"), "{rest}");
    let read = bin().arg("read").arg(&file).output().unwrap();
    assert!(read.status.success());
    assert!(
        String::from_utf8(read.stdout)
            .unwrap()
            .contains("\n5 packets · "),
        "the file holds the 5 datagrams"
    );
    let _ = std::io::stderr().flush();
    drop(receiver);
    assert!(Path::new(&file).exists());
}

#[test]
fn live_json_has_socket_calls_and_a_capture_record() {
    if !live_enabled() {
        return;
    }
    let out = bin()
        .args(["live", "lo", "--demo", "tcp", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let calls: Vec<&str> = lines
        .iter()
        .filter(|l| l["type"] == "app")
        .map(|l| l["call"].as_str().unwrap())
        .collect();
    for call in ["listen", "connect", "accept", "send", "recv", "close"] {
        assert!(calls.contains(&call), "{call} missing from {calls:?}");
    }
    let packets = lines.iter().filter(|l| l["type"] == "packet").count();
    assert!(
        packets >= 10,
        "handshake, data both ways and close: {packets} packets"
    );
    let last = lines.last().unwrap();
    assert_eq!(last["type"], "capture");
    assert_eq!(last["frames"], packets);
    assert_eq!(last["dropped"], 0);
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
    let out = bin()
        .args(["read", "-", "--color", "never"])
        .stdin(file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
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
