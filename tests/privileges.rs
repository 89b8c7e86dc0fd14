//! Root only where it is needed: while a live capture parses packets, every thread of the
//! process runs as an ordinary user with no capabilities (the sudo user, else nobody), files
//! written belong to the sudo user, and a namespace demo still removes its namespaces (its
//! guard process keeps root). `--user root` keeps root, which shows the check can fail.
//!
//! These tests need root (CI is root); without it they fail saying so.
//! HANDSHAKE_VIZ_SKIP_LIVE=1 skips them (HANDSHAKE_VIZ_SKIP_NETNS=1 the namespace one).

mod common;
#[path = "support/gates.rs"]
mod gates;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::MetadataExt;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use common::bin;

/// The user the tests ask to become, as sudo would name it.
const SUDO_UID: u32 = 65534;

/// One thread of a process, from /proc/PID/task/TID/status.
#[derive(Debug)]
struct ThreadState {
    name: String,
    uids: Vec<u32>,
    cap_eff: u64,
    cap_prm: u64,
}

fn threads_of(pid: u32) -> Vec<ThreadState> {
    let mut out = Vec::new();
    for task in std::fs::read_dir(format!("/proc/{pid}/task")).unwrap() {
        let Ok(status) = std::fs::read_to_string(task.unwrap().path().join("status")) else {
            continue; // the thread ended meanwhile
        };
        let field = |key: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(key))
                .unwrap_or_default()
                .trim()
                .to_string()
        };
        out.push(ThreadState {
            name: field("Name:"),
            uids: field("Uid:")
                .split_whitespace()
                .map(|u| u.parse().unwrap())
                .collect(),
            cap_eff: u64::from_str_radix(&field("CapEff:"), 16).unwrap(),
            cap_prm: u64::from_str_radix(&field("CapPrm:"), 16).unwrap(),
        });
    }
    out
}

/// False (after saying so) when skipped; panics when the test cannot run as root.
fn root_enabled(skip_var: &str) -> bool {
    if [gates::SKIP_LIVE, skip_var].into_iter().any(gates::skipped) {
        return false;
    }
    assert_eq!(
        gates::effective_uid(),
        Some(0),
        "the privilege tests run as root (CI is root); set HANDSHAKE_VIZ_SKIP_LIVE=1 to skip them"
    );
    true
}

/// Starts the binary with `args` as if run by `sudo` from user 65534 (or with no sudo
/// variables when `sudo` is false); its stdout lines arrive on the channel.
fn spawn(args: &[&str], sudo: bool) -> (Child, mpsc::Receiver<String>) {
    let mut cmd = Command::new(bin());
    cmd.args(args)
        .env_remove("SUDO_UID")
        .env_remove("SUDO_GID")
        .env_remove("SUDO_USER")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    if sudo {
        cmd.env("SUDO_UID", SUDO_UID.to_string())
            .env("SUDO_GID", SUDO_UID.to_string())
            .env("SUDO_USER", "nobody");
    }
    let mut child = cmd.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (child, rx)
}

/// Waits for the first packet line of the JSON output, then returns the threads' state.
fn state_while_parsing(child: &Child, lines: &mpsc::Receiver<String>) -> Vec<ThreadState> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = lines
            .recv_timeout(left)
            .expect("the capture showed no packet within 20 s");
        if line.starts_with("{\"type\":\"packet\"") {
            return threads_of(child.id());
        }
    }
}

/// Checks that every thread runs as the sudo user, with no capabilities.
fn assert_sudo_user_without_capabilities(threads: &[ThreadState]) {
    for t in threads {
        assert_eq!(
            t.uids, [SUDO_UID; 4],
            "thread {} still has root: {t:?}",
            t.name
        );
        assert_eq!((t.cap_eff, t.cap_prm), (0, 0), "thread {}: {t:?}", t.name);
    }
}

/// A bounded loopback conversation: `n` small writes, 5 ms apart.
fn talk(listener: TcpListener, n: usize) {
    let port = listener.local_addr().unwrap().port();
    let server = thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        conn.set_read_timeout(Some(Duration::from_secs(5))).ok();
        let mut buf = [0u8; 4096];
        while conn.read(&mut buf).is_ok_and(|n| n > 0) {}
    });
    let mut client = TcpStream::connect(("127.0.0.1", port)).unwrap();
    for _ in 0..n {
        client.write_all(b"parsed by nobody").unwrap();
        thread::sleep(Duration::from_millis(5));
    }
    drop(client);
    server.join().unwrap();
}

/// Runs a plain capture of a conversation and returns the threads' state while it parsed,
/// and the owner of the file it wrote.
fn capture_as(extra: &[&str], sudo: bool) -> (Vec<ThreadState>, u32) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("owned.pcap");
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let filter = format!("tcp port {}", listener.local_addr().unwrap().port());
    let path_text = path.to_str().unwrap();
    let mut args = vec![
        "live",
        "lo",
        "--filter",
        &filter,
        "--json",
        "--duration",
        "15",
    ];
    args.extend(["--count", "20", "--write", path_text]);
    args.extend(extra);
    let (mut child, lines) = spawn(&args, sudo);
    // Talk only once the capture is open: its file has its header then.
    let started = Instant::now();
    while std::fs::metadata(&path).map_or(true, |m| m.len() < 24) {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the capture did not open"
        );
        thread::sleep(Duration::from_millis(10));
    }
    let talker = thread::spawn(move || talk(listener, 40));
    let threads = state_while_parsing(&child, &lines);
    talker.join().unwrap();
    let status = common::wait_bounded(&mut child, Duration::from_secs(20));
    assert!(status.success(), "{status}");
    let owner = std::fs::metadata(&path).unwrap().uid();
    (threads, owner)
}

#[test]
fn a_live_capture_parses_packets_as_the_sudo_user_without_capabilities() {
    if !root_enabled("HANDSHAKE_VIZ_SKIP_LIVE") {
        return;
    }
    let (threads, owner) = capture_as(&[], true);
    assert!(threads.len() >= 2, "{threads:?}");
    assert_sudo_user_without_capabilities(&threads);
    assert_eq!(owner, SUDO_UID, "the --write file belongs to the sudo user");
}

#[test]
fn without_sudo_root_becomes_nobody() {
    if !root_enabled("HANDSHAKE_VIZ_SKIP_LIVE") {
        return;
    }
    let out = Command::new("id").args(["-u", "nobody"]).output().unwrap();
    let nobody: u32 = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
    let (threads, owner) = capture_as(&[], false);
    for t in &threads {
        assert_eq!(t.uids, [nobody; 4], "{t:?}");
        assert_eq!(t.cap_eff, 0, "{t:?}");
    }
    assert_eq!(owner, 0, "without sudo the file stays root's");
}

#[test]
fn user_root_keeps_root() {
    if !root_enabled("HANDSHAKE_VIZ_SKIP_LIVE") {
        return;
    }
    let (threads, _) = capture_as(&["--user", "root"], true);
    assert!(
        threads.iter().all(|t| t.uids == [0; 4] && t.cap_eff != 0),
        "{threads:?}"
    );
}

#[test]
fn an_unknown_user_is_refused_before_capturing() {
    let out = Command::new(bin())
        .args(["live", "lo", "--user", "no-such-user-here", "--count", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    if gates::effective_uid() == Some(0) {
        assert_eq!(
            stderr.trim(),
            "handshake-viz: --user no-such-user-here: no such user"
        );
    }
}

#[test]
fn a_namespace_demo_parses_without_root_and_its_guard_still_cleans_up() {
    if !root_enabled("HANDSHAKE_VIZ_SKIP_NETNS") {
        return;
    }
    let prefix = "hvq";
    let args = [
        "live",
        "--demo",
        "lossy",
        "--loss",
        "30%",
        "--netns-prefix",
        prefix,
        "--json",
    ];
    let (mut child, lines) = spawn(&args, true);
    let threads = state_while_parsing(&child, &lines);
    let status = common::wait_bounded(&mut child, Duration::from_secs(60));
    assert!(status.success(), "{status}");
    let names: Vec<&str> = threads.iter().map(|t| t.name.as_str()).collect();
    assert!(
        names.contains(&"relay"),
        "the relay runs in this process: {names:?}"
    );
    assert_sudo_user_without_capabilities(&threads);
    let left: Vec<String> = std::fs::read_dir("/run/netns")
        .map(|d| {
            d.filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter(|n| n.starts_with(prefix))
                .collect()
        })
        .unwrap_or_default();
    assert!(left.is_empty(), "namespaces left behind: {left:?}");
}
