//! Live capture through the command line, for real on `lo` (root in CI;
//! HANDSHAKE_VIZ_SKIP_LIVE=1 skips these tests): the TCP demo ends by itself and its `--write`
//! file reads back the same, the UDP demo over IPv6 shows datagrams without a handshake, live
//! errors are one line, Ctrl-C leaves a valid file and a summary, and `--json` carries the
//! socket calls and a capture record.

#[path = "support/cli.rs"]
mod cli;
#[path = "support/gates.rs"]
mod gates;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use cli::{bin, one_line, succeeds};
use gates::live_enabled;

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
    let out = succeeds(bin().args(["live", "lo", "--demo", "udp", "--ipv6", "--message", "%Y"]));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("UDP stream 0: client [::1]:"), "{text}");
    assert!(text.contains("no handshake"), "{text}");
    assert!(
        text.contains("sendto()") && text.contains("recvfrom()"),
        "{text}"
    );
    assert!(text.contains("server answers #"), "{text}");
}

/// Runs the binary with `args`, checks that it exits with code 2, and returns its one line of
/// stderr.
fn refused(args: &[&str]) -> String {
    let out = bin().args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    one_line(&out.stderr)
}

#[test]
fn live_errors_are_one_line() {
    if !live_enabled() {
        return;
    }
    let line = refused(&["live", "nosuch0", "--count", "1"]);
    assert!(
        line.contains("'nosuch0' does not exist") && line.contains("lo"),
        "{line}"
    );

    let line = refused(&[
        "live",
        "lo",
        "--write",
        "/nonexistent/dir/x.pcap",
        "--count",
        "1",
    ]);
    assert!(line.contains("/nonexistent/dir/x.pcap"));

    // A demo on an interface that cannot see loopback traffic is refused with a suggestion.
    let listed = bin().arg("interfaces").output().unwrap();
    let listed = String::from_utf8(listed.stdout).unwrap();
    let other = listed
        .lines()
        .filter(|l| !l.contains("Loopback"))
        .filter_map(|l| l.split_whitespace().nth(1))
        .find(|name| *name != "any");
    if let Some(name) = other {
        let line = refused(&["live", name, "--demo", "tcp"]);
        assert!(
            line.contains("cannot see") && line.contains("live lo --demo"),
            "{line}"
        );
    }

    let line = refused(&["live", "lo", "--filter", "tcp port 99999", "--count", "1"]);
    assert!(line.contains("bad filter 'tcp port 99999'"));
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
    let out = succeeds(bin().args(["live", "lo", "--demo", "tcp", "--json"]));
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
