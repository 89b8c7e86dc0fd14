//! Namespace tests: two hosts joined by a veth pair (ARP, MSS-sized segments), the relay with
//! seeded loss (the same drops on two runs, retransmissions and duplicate ACKs in the capture),
//! captures opened inside a namespace, and cleanup after SIGKILL.
//!
//! They create namespaces, veth pairs and raw sockets, so they need root: without it they fail
//! and say so (HANDSHAKE_VIZ_SKIP_NETNS=1 skips them). They need `ip` (iproute2). They run one
//! at a time, use the prefix "hvd", and check that nothing named hvd* is left.

mod netns_support;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::{Mutex, MutexGuard, mpsc};
use std::time::{Duration, Instant};

use handshake_viz::Error;
use handshake_viz::capture::Frame;
use handshake_viz::capture::live::{LiveOptions, LiveSource};
use handshake_viz::demo::net::{self, LabSpec, NetLab};
use handshake_viz::demo::relay::{Direction, Impairment, Relay, RelayConfig, RelayReport};
use netns_support::{Capture, HOST_B, Kind, classify, data_seqs_from_a, segments, transfer};

const PREFIX: &str = "hvd";
const MAC_A: [u8; 6] = [2, 0, 0, 0, 0, 0x0a];
const MAC_B: [u8; 6] = [2, 0, 0, 0, 0, 0x0b];
const TRANSFER: usize = 64 * 1024;
/// Environment variable that makes a re-run of this binary the process to be killed.
const CHILD_ENV: &str = "HANDSHAKE_VIZ_NETNS_CHILD";

static SERIAL: Mutex<()> = Mutex::new(());

fn effective_uid() -> Option<u32> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("Uid:"))?;
    line.split_whitespace().nth(2)?.parse().ok()
}

/// Serializes the tests; `None` when skipped on request. Fails without root or `ip`.
fn setup() -> Option<MutexGuard<'static, ()>> {
    if std::env::var("HANDSHAKE_VIZ_SKIP_NETNS").as_deref() == Ok("1") {
        eprintln!("skipped: HANDSHAKE_VIZ_SKIP_NETNS=1");
        return None;
    }
    assert_eq!(
        effective_uid(),
        Some(0),
        "tests/netns.rs creates network namespaces, veth pairs and raw sockets and needs root: \
         run `sudo -E cargo test --test netns`, or set HANDSHAKE_VIZ_SKIP_NETNS=1 to skip"
    );
    assert!(
        Command::new("ip").arg("-V").output().is_ok(),
        "tests/netns.rs needs `ip` from iproute2 (apt-get install iproute2)"
    );
    Some(SERIAL.lock().unwrap_or_else(|e| e.into_inner()))
}

/// Nothing named hvd* in /run/netns or among the links of this namespace.
fn assert_nothing_left() {
    assert_eq!(net::list_namespaces(PREFIX), Vec::<String>::new());
    let out = Command::new("ip").args(["-o", "link"]).output().unwrap();
    let links = String::from_utf8_lossy(&out.stdout);
    let ours: Vec<&str> = links.lines().filter(|l| l.contains(": hvd")).collect();
    assert!(ours.is_empty(), "{ours:?}");
    let out = Command::new("ip").args(["netns", "list"]).output().unwrap();
    let list = String::from_utf8_lossy(&out.stdout);
    assert!(!list.lines().any(|l| l.starts_with(PREFIX)), "{list}");
}

#[test]
fn two_hosts_resolve_arp_then_send_mss_sized_segments() {
    let Some(_serial) = setup() else { return };
    let lab = NetLab::create(&LabSpec::two_hosts(PREFIX)).unwrap();
    eprintln!(
        "created {:?} in {:?}",
        lab.namespaces(),
        lab.timings().create
    );
    let states = lab
        .run_in("a", || net::offload_states("hvd-a"))
        .unwrap()
        .unwrap();
    assert!(states.iter().all(|(_, on)| !on), "{states:?}");
    // libpcap resolves the interface in the opening thread's namespace only.
    let outside = LiveSource::open(&LiveOptions::new("hvd-a")).unwrap_err();
    assert!(
        matches!(outside, Error::NoSuchInterface { .. }),
        "{outside}"
    );

    let mut cap = Capture::open(&lab, "a", "hvd-a");
    let received = transfer(&lab, TRANSFER, &mut [&mut cap]);
    assert_eq!(received, TRANSFER);
    let kinds: Vec<Kind> = cap.frames.iter().map(classify).collect();
    let first_syn = kinds
        .iter()
        .position(|k| matches!(k, Kind::Tcp(s) if s.syn))
        .expect("a SYN");
    assert_eq!(
        kinds[..first_syn],
        [
            Kind::ArpRequest {
                sender: MAC_A,
                target: HOST_B
            },
            Kind::ArpReply {
                sender: MAC_B,
                ip: HOST_B
            },
        ],
        "ARP who-has / is-at, then the SYN"
    );
    assert!(!kinds.contains(&Kind::Ipv6), "no IPv6 noise");
    let segs = segments(&cap.frames);
    let full = segs.iter().filter(|s| s.from_a && s.len == 1448).count();
    assert!(full >= TRANSFER / 1448, "{full} segments of 1448 bytes");
    assert!(
        segs.iter().all(|s| s.len <= 1448),
        "no segment above the MSS"
    );
    assert!(
        cap.frames.iter().all(|f| f.data.len() <= 1514),
        "wire-sized frames"
    );
    let payload: usize = segs.iter().filter(|s| s.from_a).map(|s| s.len).sum();
    assert_eq!(
        payload, TRANSFER,
        "every byte once: no loss on a plain veth"
    );
    drop(cap);
    let timings = lab.remove().unwrap();
    eprintln!("removed in {:?}", timings.remove);
    assert_nothing_left();
}

/// Runs one transfer across a fresh relay with `impair`; returns its report and the captures
/// on a's and b's veth.
fn relayed_run(lab: &NetLab, impair: Impairment) -> (RelayReport, Capture, Capture) {
    let relay = lab
        .run_in("r", || Relay::open("hvd-ra", "hvd-rb"))
        .unwrap()
        .unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (tx, rx) = mpsc::channel();
    let handle = relay
        .spawn(RelayConfig::new(impair), stop, Some(tx))
        .unwrap();
    let mut cap_a = Capture::open(lab, "a", "hvd-a");
    let mut cap_b = Capture::open(lab, "b", "hvd-b");
    assert_eq!(
        transfer(lab, TRANSFER, &mut [&mut cap_a, &mut cap_b]),
        TRANSFER
    );
    let report = handle.finish().unwrap();
    let notified: Vec<_> = rx.try_iter().collect();
    assert_eq!(
        notified, report.dropped,
        "every drop is notified as it happens"
    );
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    (report, cap_a, cap_b)
}

#[test]
fn relay_drops_the_same_segments_each_run_and_tcp_recovers() {
    let Some(_serial) = setup() else { return };
    let lab = NetLab::create(&LabSpec::relayed(PREFIX)).unwrap();
    eprintln!(
        "created {:?} in {:?}",
        lab.namespaces(),
        lab.timings().create
    );

    // A plain relay: ARP crosses it, nothing is lost.
    let (clean, cap_a, _) = relayed_run(&lab, Impairment::none());
    assert!(clean.dropped.is_empty());
    assert!(
        clean.a_to_b.forwarded > 45 && clean.b_to_a.forwarded > 20,
        "{clean:?}"
    );
    let kinds: Vec<Kind> = cap_a.frames.iter().map(classify).collect();
    assert!(
        kinds.contains(&Kind::ArpReply {
            sender: MAC_B,
            ip: HOST_B
        }),
        "ARP crossed the relay"
    );

    let impair = Impairment::loss(0.1, 42);
    let mut runs = Vec::new();
    for _ in 0..2 {
        let (report, cap_a, cap_b) = relayed_run(&lab, impair.clone());
        let dropped = report.dropped_tcp_seqs(Direction::AToB);
        assert!(!dropped.is_empty(), "seed 42 drops segments: {report:?}");
        assert_eq!(report.a_to_b.dropped_tcp, dropped.len() as u64);
        assert!(report.b_to_a.dropped_tcp == 0, "b sends no data");
        // Sender side: each dropped segment was sent again.
        let sent = data_seqs_from_a(&cap_a.frames);
        for seq in &dropped {
            let times = sent.iter().filter(|s| *s == seq).count();
            assert!(times >= 2, "segment {seq} sent {times} times: {sent:?}");
        }
        assert!(report.a_to_b.retransmissions >= dropped.len() as u64);
        // Receiver side: the retransmission arrived after later data (out of order), and b
        // repeated its ACK (duplicate ACKs) while the hole was open.
        let arrived = data_seqs_from_a(&cap_b.frames);
        let first = dropped[0];
        let at = arrived
            .iter()
            .position(|s| *s == first)
            .expect("the retransmission arrived");
        assert!(
            arrived[..at].iter().any(|s| *s > first),
            "out of order: {arrived:?}"
        );
        let acks: Vec<u32> = segments(&cap_b.frames)
            .iter()
            .filter(|s| !s.from_a && s.len == 0 && !s.syn && !s.fin)
            .map(|s| s.ack)
            .collect();
        let dup = acks.windows(2).filter(|w| w[0] == w[1]).count();
        assert!(dup >= 1, "duplicate ACKs from b: {acks:?}");
        oracle_check(&cap_a.frames, dropped.len());
        runs.push(dropped);
    }
    assert_eq!(runs[0], runs[1], "the same seed drops the same segments");

    // Reordering and a fixed delay: held segments arrive after a later one, nothing is lost.
    let mut impair = Impairment::none();
    impair.seed = 7;
    impair.reorder = 0.2;
    impair.delay = Duration::from_millis(2);
    let (report, _, cap_b) = relayed_run(&lab, impair);
    assert!(report.dropped.is_empty());
    assert!(report.a_to_b.reordered >= 1, "{report:?}");
    assert_eq!(
        report.a_to_b.delayed, report.a_to_b.read,
        "every frame waits 2 ms"
    );
    let arrived = data_seqs_from_a(&cap_b.frames);
    let late = arrived.windows(2).filter(|w| w[1] < w[0]).count();
    assert!(late >= 1, "out-of-order arrival at b: {arrived:?}");
    eprintln!("seed 42 dropped relative seqs {:?}", runs[0]);
    drop(lab);
    assert_nothing_left();
}

/// Writes the frames to a pcapng and lets tshark count retransmissions and duplicate ACKs.
fn oracle_check(frames: &[Frame], dropped: usize) {
    if std::env::var("HANDSHAKE_VIZ_SKIP_ORACLE").as_deref() == Ok("1") {
        return;
    }
    use handshake_viz::capture::pcapng_write::PcapngWriter;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lossy.pcapng");
    let mut w = PcapngWriter::create(&path, 2048).unwrap();
    for f in frames {
        w.write_frame(f).unwrap();
    }
    w.close(None).unwrap();
    let count = |filter: &str| {
        let out = Command::new("tshark")
            .args(["-n", "-r"])
            .arg(&path)
            .args(["-Y", filter])
            .stdin(Stdio::null())
            .output()
            .expect("tshark runs (or set HANDSHAKE_VIZ_SKIP_ORACLE=1)");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).lines().count()
    };
    // Wireshark calls a resend "Out-Of-Order" instead of "Retransmission" when it comes within
    // its reordering threshold (3 ms) of the latest segment, as fast retransmits here do.
    let resent = count(
        "tcp.analysis.retransmission || tcp.analysis.fast_retransmission || \
         tcp.analysis.out_of_order",
    );
    assert!(
        resent >= dropped,
        "tshark saw {resent} resends for {dropped} drops"
    );
    assert!(count("tcp.analysis.duplicate_ack") >= 1);
}

/// Not a test on its own: the process [`sigkill_leaves_nothing_behind`] starts and kills.
#[test]
#[ignore = "helper process for the SIGKILL tests"]
fn child_holds_namespaces() {
    if std::env::var(CHILD_ENV).as_deref() != Ok("1") {
        return;
    }
    let lab = NetLab::create(&LabSpec::relayed(PREFIX)).unwrap();
    println!("READY {} {}", lab.guard_pid(), lab.namespaces().join(" "));
    std::io::stdout().flush().unwrap();
    std::thread::sleep(Duration::from_secs(20));
}

/// Starts [`child_holds_namespaces`] and waits for its READY line: (child, guard pid, names).
fn start_child() -> (std::process::Child, i32, Vec<String>) {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_holds_namespaces",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            // libtest prints "test NAME ... " on the same line first.
            if let Some(at) = line.find("READY ") {
                let _ = tx.send(line[at + 6..].to_string());
            }
        }
    });
    let Ok(line) = rx.recv_timeout(Duration::from_secs(20)) else {
        let _ = child.kill();
        panic!("the child never created its namespaces");
    };
    let mut words = line.split_whitespace();
    let guard: i32 = words.next().unwrap().parse().unwrap();
    let names: Vec<String> = words.map(String::from).collect();
    assert_eq!(names.len(), 3);
    for name in &names {
        assert_eq!(
            net::owner_pid(PREFIX, name),
            Some(child.id() as i32),
            "{name}"
        );
    }
    (child, guard, names)
}

fn exists(name: &str) -> bool {
    std::path::Path::new(net::NETNS_DIR).join(name).exists()
}

fn wait_gone(names: &[String], within: Duration) -> bool {
    let deadline = Instant::now() + within;
    while names.iter().any(|n| exists(n)) {
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    true
}

#[test]
fn sigkill_leaves_nothing_behind() {
    let Some(_serial) = setup() else { return };
    // The guard removes the namespaces as soon as the process dies.
    let (mut child, _guard, names) = start_child();
    assert!(names.iter().all(|n| exists(n)), "{names:?}");
    let killed = Instant::now();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        wait_gone(&names, Duration::from_secs(3)),
        "the guard removed {names:?}"
    );
    eprintln!("guard cleaned up {:?} after SIGKILL", killed.elapsed());
    assert_nothing_left();

    // Guard and process both killed: the next run removes what they left.
    let (mut child, guard, names) = start_child();
    Command::new("kill")
        .args(["-KILL", &guard.to_string()])
        .status()
        .unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    std::thread::sleep(Duration::from_millis(100));
    assert!(names.iter().all(|n| exists(n)), "left behind: {names:?}");
    let mut removed = net::cleanup_stale(PREFIX).unwrap();
    removed.sort();
    let mut want = names.clone();
    want.sort();
    assert_eq!(removed, want);
    assert_nothing_left();
}

#[test]
fn relay_stops_on_its_deadline_and_flag() {
    let Some(_serial) = setup() else { return };
    let lab = NetLab::create(&LabSpec::relayed(PREFIX)).unwrap();
    let open = || {
        lab.run_in("r", || Relay::open("hvd-ra", "hvd-rb"))
            .unwrap()
            .unwrap()
    };
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut cfg = RelayConfig::new(Impairment::none());
    cfg.deadline = Duration::from_millis(100);
    let started = Instant::now();
    let report = open()
        .spawn(cfg, stop.clone(), None)
        .unwrap()
        .finish_when_done();
    assert_eq!(report.end, handshake_viz::demo::relay::RelayEnd::Deadline);
    assert!(started.elapsed() < Duration::from_secs(2));
    let handle = open()
        .spawn(RelayConfig::new(Impairment::none()), stop.clone(), None)
        .unwrap();
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let report = handle.finish_when_done();
    assert_eq!(report.end, handshake_viz::demo::relay::RelayEnd::Stopped);
    let err = lab
        .run_in("r", || Relay::open("hvd-a", "hvd-rb"))
        .unwrap()
        .unwrap_err();
    assert!(err.to_string().contains("hvd-a"), "{err}");
    drop(lab);
    assert_nothing_left();
}

trait FinishWhenDone {
    fn finish_when_done(self) -> RelayReport;
}

impl FinishWhenDone for handshake_viz::demo::relay::RelayHandle {
    /// Waits (up to 5 s) for the relay to end by itself, then collects its report.
    fn finish_when_done(self) -> RelayReport {
        let deadline = Instant::now() + Duration::from_secs(5);
        while !self.is_finished() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(1));
        }
        assert!(self.is_finished(), "the relay did not stop");
        self.finish().unwrap()
    }
}
