//! The namespace lessons, run for real: two-hosts (ARP before the SYN, real MACs, MSS-sized
//! segments) and lossy (resent segments, a lost datagram, the same frames for the same seed),
//! and that nothing is left behind however a run ends: SIGINT, SIGTERM, SIGKILL.
//!
//! They create namespaces, veth pairs and raw sockets, so they need root: without it they fail
//! and say so (HANDSHAKE_VIZ_SKIP_NETNS=1 skips them). They need `ip` (iproute2). They run one
//! at a time, use the prefix "hvl", and check that nothing named hvl* is left.

mod lesson_support;
#[path = "support/rerun.rs"]
mod rerun;

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use handshake_viz::capture::{FileSource, FrameSource};
use handshake_viz::demo::DemoKind;
use handshake_viz::demo::net;
use handshake_viz::live::{LiveConfig, LiveItem, run_live};
use lesson_support::{PREFIX, Run, demo, has_flags, live_enabled, netns_enabled, run, run_with};
use rerun::{kill_with_guards, start_until_ready};
use serde_json::Value;

/// Makes a re-run of this binary the process that is killed.
const CHILD_ENV: &str = "HANDSHAKE_VIZ_LESSON_CHILD";
/// The seed the lossy tests use: it drops TCP segments and UDP datagrams.
const SEED: u64 = 7;

static SERIAL: Mutex<()> = Mutex::new(());

fn setup() -> Option<MutexGuard<'static, ()>> {
    if !netns_enabled() || !live_enabled() {
        return None;
    }
    Some(SERIAL.lock().unwrap_or_else(|e| e.into_inner()))
}

/// Nothing named hvl* among the named namespaces or the links of this namespace.
fn assert_nothing_left() {
    assert_eq!(net::list_namespaces(PREFIX), Vec::<String>::new());
    let out = Command::new("ip").args(["-o", "link"]).output().unwrap();
    let links = String::from_utf8_lossy(&out.stdout);
    assert!(
        !links.lines().any(|l| l.contains(&format!(": {PREFIX}"))),
        "{links}"
    );
}

#[test]
fn two_hosts_arp_comes_before_the_syn_with_real_macs() {
    let Some(_serial) = setup() else { return };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("two-hosts.pcapng");
    let run = run_with(demo(DemoKind::TwoHosts), |cfg| {
        cfg.capture.write = Some(path.clone());
    });
    assert_nothing_left();
    let packets = run.of("packet");
    let syn = packets
        .iter()
        .position(|p| has_flags(p, &["SYN"]))
        .expect("a SYN");
    let kinds: Vec<&str> = packets[..syn]
        .iter()
        .map(|p| p["event_kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["arp.request", "arp.reply"], "ARP, then the SYN");
    // MSS-sized segments on a 1500-byte MTU.
    let full = packets
        .iter()
        .filter(|p| p["dir"] == "c2s" && p["len"] == 1448)
        .count();
    assert!(full >= 5, "{full} segments of 1448 bytes");
    assert_eq!(run.points("mss")[0]["mss"], 1460);
    // Real, non-zero MAC addresses on every frame of the file.
    let mut source = FileSource::open(&path).unwrap();
    let mut frames = 0;
    while let Some(frame) = source.next_frame().unwrap() {
        frames += 1;
        let (dst, src) = (&frame.data[..6], &frame.data[6..12]);
        assert!(src.iter().any(|b| *b != 0), "frame {}", frame.index);
        assert!(dst.iter().any(|b| *b != 0), "frame {}", frame.index);
    }
    assert_eq!(frames, packets.len());
    let arp = &run.points("arp")[0];
    assert_eq!(arp["mac"], serde_json::json!([2, 0, 0, 0, 0, 11]));
    assert_eq!(run.points("on_link")[0]["prefix"], 24);
    // The socket calls came along in the file.
    let stored = handshake_viz::capture::pcapng_write::read_events(&path).unwrap();
    assert_eq!(stored.events.len() as u64, run.report.app_events);
}

/// The client's TCP data segments as (relative seq, length).
fn client_segments(run: &Run) -> Vec<(u64, u64)> {
    run.of("packet")
        .into_iter()
        .filter(|p| p["proto"] == "tcp" && p["dir"] == "c2s")
        .filter(|p| p["len"].as_u64().unwrap_or(0) > 0)
        .map(|p| (p["seq"].as_u64().unwrap(), p["len"].as_u64().unwrap()))
        .collect()
}

fn udp_count(run: &Run, dir: &str) -> usize {
    run.of("packet")
        .into_iter()
        .filter(|p| p["proto"] == "udp" && p["dir"] == dir)
        .count()
}

#[test]
fn lossy_resends_segments_loses_a_datagram_and_repeats_with_its_seed() {
    let Some(_serial) = setup() else { return };
    let mut counts = Vec::new();
    for _ in 0..2 {
        let mut config = demo(DemoKind::Lossy);
        config.seed = SEED;
        let run = run(config);
        assert_nothing_left();
        // A resent segment: the client sent the same sequence number twice.
        let segs = client_segments(&run);
        let twice: Vec<&(u64, u64)> = segs
            .iter()
            .filter(|s| segs.iter().filter(|t| t.0 == s.0).count() >= 2)
            .collect();
        assert!(!twice.is_empty(), "a segment sent twice: {segs:?}");
        let resent = run.points("resent");
        assert!(
            resent
                .iter()
                .any(|r| r["first"].is_u64() && r["again"].is_u64()),
            "{resent:?}"
        );
        // A lost datagram: a request without an answer.
        assert_eq!(udp_count(&run, "c2s"), 10);
        assert!(udp_count(&run, "s2c") < 10, "an unanswered request");
        assert!(!run.points("udp_lost").is_empty());
        assert_eq!(run.points("loss")[0]["seed"], SEED);
        counts.push((run.report.frames, segs.len(), udp_count(&run, "s2c")));
    }
    assert_eq!(counts[0], counts[1], "the same seed, the same frames");
}

/// Not a test on its own: the process the SIGKILL test starts and kills. It runs two-hosts,
/// says READY with the first frame, then holds the run (and its namespaces) open.
#[test]
#[ignore = "helper process for the SIGKILL test"]
fn child_runs_two_hosts() {
    if std::env::var(CHILD_ENV).as_deref() != Ok("1") {
        return;
    }
    let mut cfg = LiveConfig::new(handshake_viz::capture::live::LiveOptions::new(format!(
        "{PREFIX}-a"
    )));
    cfg.demo = Some(demo(DemoKind::TwoHosts));
    let mut said = false;
    let _ = run_live(&cfg, Arc::new(AtomicBool::new(false)), &mut |item| {
        if matches!(item, LiveItem::Frame(_)) && !said {
            said = true;
            println!("READY");
            std::io::stdout().flush().unwrap();
            std::thread::sleep(Duration::from_secs(20));
        }
        Ok(())
    });
}

/// Starts [`child_runs_two_hosts`] and waits for READY; returns it and its namespaces.
fn start_child() -> (Child, Vec<String>) {
    let (child, _) = start_until_ready(
        "child_runs_two_hosts",
        CHILD_ENV,
        &[],
        "the child never captured a frame",
    );
    let pid = child.id() as i32;
    let names: Vec<String> = net::list_namespaces(PREFIX)
        .into_iter()
        .filter(|n| net::owner_pid(PREFIX, n) == Some(pid))
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    (child, names)
}

/// The processes whose parent is `pid` (the cleanup guard).
fn children_of(pid: u32) -> Vec<i32> {
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok()?.parse::<i32>().ok())
        .filter(|p| {
            std::fs::read_to_string(format!("/proc/{p}/stat")).is_ok_and(|stat| {
                // pid (comm) state ppid ...: comm may hold spaces, so split after ')'.
                stat.rsplit_once(')')
                    .and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse::<u32>().ok())
                    == Some(pid)
            })
        })
        .collect()
}

fn exists(name: &str) -> bool {
    std::path::Path::new(net::NETNS_DIR).join(name).exists()
}

#[test]
fn a_sigkilled_two_hosts_run_leaves_nothing_behind() {
    let Some(_serial) = setup() else { return };
    // The guard removes the namespaces as soon as the process dies.
    let (mut child, names) = start_child();
    child.kill().unwrap();
    child.wait().unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    while names.iter().any(|n| exists(n)) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(
        !names.iter().any(|n| exists(n)),
        "the guard removed {names:?}"
    );
    assert_nothing_left();

    // Guard killed first, then the run: the next run removes what they left.
    let (mut child, names) = start_child();
    let guards = children_of(child.id());
    kill_with_guards(&mut child, &guards);
    std::thread::sleep(Duration::from_millis(200));
    assert!(names.iter().all(|n| exists(n)), "left behind: {names:?}");
    let run = run(demo(DemoKind::TwoHosts));
    assert!(!run.points("arp").is_empty());
    assert!(
        !names.iter().any(|n| exists(n)),
        "the next run removed {names:?}"
    );
    assert_nothing_left();
}

#[test]
fn sigint_and_sigterm_end_a_lossy_run_and_remove_everything() {
    let Some(_serial) = setup() else { return };
    for signal in ["INT", "TERM"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_handshake-viz"))
            .args([
                "live",
                "--demo",
                "lossy",
                "--json",
                "--netns-prefix",
                PREFIX,
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let first = lines.next().expect("a first record").unwrap();
        assert!(first.starts_with('{'), "{first}");
        let sent = Instant::now();
        Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .unwrap();
        let rest: Vec<String> = lines.map_while(Result::ok).collect();
        let status = child.wait().unwrap();
        eprintln!("SIG{signal}: ended in {:?}", sent.elapsed());
        assert!(sent.elapsed() < Duration::from_secs(10));
        assert_eq!(status.code(), Some(0), "SIG{signal}");
        let last: Value = serde_json::from_str(rest.last().expect("records")).unwrap();
        assert_eq!(last["type"], "capture");
        assert_eq!(last["stopped"], "stopped by request", "SIG{signal}");
        assert_nothing_left();
    }
}
