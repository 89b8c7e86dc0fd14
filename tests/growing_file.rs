//! `read` of a capture another process is still writing: what is there is analyzed, and the
//! output says the end was cut (exit 1), as for a file cut short.

#[path = "support/cli.rs"]
mod cli;
mod common;
#[path = "support/gates.rs"]
mod gates;

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use cli::succeeds;
use common::bin;

#[test]
fn a_file_still_open_for_writing_is_read_and_said_to_be_cut() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("writing.pcap");
    let mut writer = std::fs::File::create(&path).unwrap();
    writer
        .write_all(&std::fs::read("fixtures/tcp-echo.pcap").unwrap())
        .unwrap();
    writer.flush().unwrap();
    let out = Command::new(bin())
        .args(["read", "--color", "never", "--summary-only"])
        .arg(&path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("writing.pcap: the end was cut: another process still has this file open for writing (read 10 frames"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("10 packets · 1 TCP conversation"),
        "{stdout}"
    );

    // Closed by its writer, the same file is complete.
    drop(writer);
    succeeds(
        Command::new(bin())
            .args(["read", "--summary-only"])
            .arg(&path),
    );
}

/// The real case: `tcpdump -U -w` still capturing a bounded loopback transfer.
#[test]
fn a_capture_tcpdump_is_still_writing_is_read_and_said_to_be_cut() {
    if !gates::live_enabled() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tcpdump.pcap");
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut tcpdump = Command::new("tcpdump")
        .args(["-i", "lo", "-U", "--immediate-mode", "-n", "-w"])
        .arg(&path)
        .args(["-c", "100000", &format!("tcp port {port}")])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tcpdump (apt-get install tcpdump)");
    // The file header is written once the capture is open.
    let started = Instant::now();
    while std::fs::metadata(&path).map_or(true, |m| m.len() < 24) {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "tcpdump did not start"
        );
        thread::sleep(Duration::from_millis(20));
    }
    thread::sleep(Duration::from_millis(300));
    let server = thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        let mut buf = [0u8; 4096];
        while std::io::Read::read(&mut conn, &mut buf).is_ok_and(|n| n > 0) {}
    });
    let mut client = TcpStream::connect(("127.0.0.1", port)).unwrap();
    for _ in 0..50 {
        client.write_all(b"still writing").unwrap();
        thread::sleep(Duration::from_millis(2));
    }
    // Wait until tcpdump has written the packets so far.
    thread::sleep(Duration::from_millis(300));
    let out = Command::new(bin())
        .args(["read", "--json", "--no-summary"])
        .arg(&path)
        .output()
        .unwrap();
    drop(client);
    server.join().unwrap();
    tcpdump.kill().ok();
    tcpdump.wait().ok();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("tcpdump.pcap: the end was cut: another process"),
        "{stderr}"
    );
    let packets = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.contains("\"type\":\"packet\""))
        .count();
    assert!(packets >= 53, "only {packets} packets were read: {stderr}");
}
