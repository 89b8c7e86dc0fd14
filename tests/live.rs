//! Live capture tests: they really capture on lo, so they need root or CAP_NET_RAW.
//!
//! Without capture permission they fail with an explanation; set HANDSHAKE_VIZ_SKIP_LIVE=1 to
//! skip them. They run in parallel with each other: every test filters on its own ephemeral
//! port. `tshark` is the oracle for written files (HANDSHAKE_VIZ_SKIP_ORACLE=1 skips it).

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, UdpSocket};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use etherparse::{NetSlice, SlicedPacket, TransportSlice};
use handshake_viz::Error;
use handshake_viz::capture::live::{self, LiveOptions, LiveSource, StopReason};
use handshake_viz::capture::{FileSource, Frame, FrameSource, LinkType};
use handshake_viz::demo::{AppEvent, DemoConfig, DemoKind, Detail, Phase, Side};
use handshake_viz::live::{LiveConfig, LiveItem, LiveReport, run_live};

const NEED_PERMISSION: &str =
    "live tests need root or CAP_NET_RAW; set HANDSHAKE_VIZ_SKIP_LIVE=1 to skip them";

/// False (after saying so) when live tests are skipped; panics when they cannot capture.
fn live_enabled() -> bool {
    if std::env::var("HANDSHAKE_VIZ_SKIP_LIVE").as_deref() == Ok("1") {
        eprintln!("skipped: HANDSHAKE_VIZ_SKIP_LIVE=1");
        return false;
    }
    match LiveSource::open(&LiveOptions::new("lo")) {
        Ok(_) => true,
        Err(e @ Error::Permission { .. }) => panic!("{NEED_PERMISSION} ({e})"),
        Err(e) => panic!("cannot open a capture on lo: {e}"),
    }
}

fn oracle_enabled() -> bool {
    std::env::var("HANDSHAKE_VIZ_SKIP_ORACLE").as_deref() != Ok("1")
}

struct Outcome {
    frames: Vec<Frame>,
    events: Vec<AppEvent>,
    order: Vec<LiveItem>,
    report: LiveReport,
    elapsed: Duration,
}

fn run(cfg: &LiveConfig, stop: Arc<AtomicBool>) -> Outcome {
    let mut order = Vec::new();
    let started = Instant::now();
    let report = run_live(cfg, stop, &mut |item| {
        order.push(item);
        Ok(())
    })
    .unwrap_or_else(|e| panic!("live outcome failed: {e}"));
    let elapsed = started.elapsed();
    let frames = order
        .iter()
        .filter_map(|i| match i {
            LiveItem::Frame(f) => Some(f.clone()),
            _ => None,
        })
        .collect();
    let events = order
        .iter()
        .filter_map(|i| match i {
            LiveItem::App(e) => Some(e.clone()),
            _ => None,
        })
        .collect();
    Outcome {
        frames,
        events,
        order,
        report,
        elapsed,
    }
}

fn demo_config(kind: DemoKind, ipv6: bool) -> LiveConfig {
    let mut demo = DemoConfig::new(kind);
    demo.ipv6 = ipv6;
    let mut cfg = LiveConfig::new(LiveOptions::new("lo"));
    cfg.demo = Some(demo);
    cfg
}

fn run_demo(kind: DemoKind, ipv6: bool) -> Outcome {
    run(&demo_config(kind, ipv6), Arc::new(AtomicBool::new(false)))
}

/// The fields of one TCP or UDP packet this test looks at.
#[derive(Debug)]
struct Seg {
    src: u16,
    dst: u16,
    ipv6: bool,
    tcp: bool,
    syn: bool,
    ack: bool,
    fin: bool,
    rst: bool,
    payload: Vec<u8>,
}

impl Seg {
    fn flags(&self) -> String {
        let mut f = Vec::new();
        for (on, name) in [
            (self.syn, "SYN"),
            (self.fin, "FIN"),
            (self.rst, "RST"),
            (self.ack, "ACK"),
        ] {
            if on {
                f.push(name);
            }
        }
        if !self.payload.is_empty() {
            f.push("DATA");
        }
        f.join(",")
    }
}

fn parse(frame: &Frame) -> Option<Seg> {
    assert_eq!(frame.linktype, LinkType::ETHERNET, "lo is Ethernet");
    let p = SlicedPacket::from_ethernet(&frame.data).ok()?;
    let ipv6 = matches!(p.net, Some(NetSlice::Ipv6(_)));
    match p.transport? {
        TransportSlice::Tcp(t) => Some(Seg {
            src: t.source_port(),
            dst: t.destination_port(),
            ipv6,
            tcp: true,
            syn: t.syn(),
            ack: t.ack(),
            fin: t.fin(),
            rst: t.rst(),
            payload: t.payload().to_vec(),
        }),
        TransportSlice::Udp(u) => Some(Seg {
            src: u.source_port(),
            dst: u.destination_port(),
            ipv6,
            tcp: false,
            syn: false,
            ack: false,
            fin: false,
            rst: false,
            payload: u.payload().to_vec(),
        }),
        _ => None,
    }
}

/// Segments of the demo's conversation (by server port), in capture order.
fn conversation(outcome: &Outcome) -> (u16, Vec<Seg>) {
    let server = outcome.report.demo_server.expect("a demo ran").port();
    let segs = outcome
        .frames
        .iter()
        .filter_map(parse)
        .filter(|s| s.src == server || s.dst == server)
        .collect();
    (server, segs)
}

/// Checks a complete TCP echo conversation; returns a description of what is wrong.
fn check_tcp(outcome: &Outcome, ipv6: bool) -> Result<(), String> {
    let (server, segs) = conversation(outcome);
    let summary = || {
        segs.iter()
            .map(|s| {
                let dir = if s.dst == server { "C>S" } else { "S>C" };
                format!("{dir}[{}]", s.flags())
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let fail = |what: &str| Err(format!("{what}: {}", summary()));
    if !outcome.report.demo_errors.is_empty() {
        return Err(format!("demo errors {:?}", outcome.report.demo_errors));
    }
    if outcome.report.stop_reason != StopReason::DemoFinished {
        return Err(format!("stopped by {:?}", outcome.report.stop_reason));
    }
    if segs.len() < 8 || segs.iter().any(|s| !s.tcp || s.ipv6 != ipv6) {
        return fail("too few or unexpected packets");
    }
    let to_server = |s: &Seg| s.dst == server;
    let (a, b, c) = (&segs[0], &segs[1], &segs[2]);
    if !(to_server(a) && a.syn && !a.ack) {
        return fail("first packet is not the client's SYN");
    }
    if !(!to_server(b) && b.syn && b.ack) {
        return fail("second packet is not the server's SYN/ACK");
    }
    if !(to_server(c) && c.ack && !c.syn && !c.fin && c.payload.is_empty()) {
        return fail("third packet is not the client's ACK");
    }
    if segs.iter().any(|s| s.rst) {
        return fail("a RST was sent");
    }
    let messages: Vec<u8> = DemoKind::Tcp.default_messages().concat().into_bytes();
    let sent: Vec<u8> = segs
        .iter()
        .filter(|s| to_server(s))
        .flat_map(|s| s.payload.clone())
        .collect();
    let echoed: Vec<u8> = segs
        .iter()
        .filter(|s| !to_server(s))
        .flat_map(|s| s.payload.clone())
        .collect();
    if sent != messages || echoed != messages {
        return fail("payloads differ from the messages");
    }
    let client_fin = segs.iter().position(|s| to_server(s) && s.fin);
    let server_fin = segs.iter().position(|s| !to_server(s) && s.fin);
    match (client_fin, server_fin) {
        (Some(cf), Some(sf)) if cf < sf => {}
        _ => return fail("no FIN from the client followed by a FIN from the server"),
    }
    let last = &segs[segs.len() - 1];
    if !(to_server(last) && last.ack && !last.fin && !last.syn && last.payload.is_empty()) {
        return fail("the last packet is not the client's final ACK");
    }
    if outcome.elapsed >= Duration::from_secs(3) {
        return Err(format!("took {:?}", outcome.elapsed));
    }
    Ok(())
}

fn first_event(events: &[AppEvent], side: Side, call: &str, phase: Phase) -> AppEvent {
    events
        .iter()
        .find(|e| e.side == side && e.call.name() == call && e.phase == phase)
        .unwrap_or_else(|| panic!("no {side} {call} {phase:?} event in {events:#?}"))
        .clone()
}

#[test]
fn tcp_demo_on_lo_captures_the_whole_conversation() {
    if !live_enabled() {
        return;
    }
    let outcome = run_demo(DemoKind::Tcp, false);
    check_tcp(&outcome, false).unwrap();

    // Opened comes first; everything after it is delivered in timestamp order.
    assert!(matches!(
        outcome.order.first(),
        Some(LiveItem::Opened { .. })
    ));
    for pair in outcome.order[1..].windows(2) {
        assert!(
            pair[0].ts() <= pair[1].ts(),
            "out of order: {:?} then {:?}",
            pair[0],
            pair[1]
        );
    }
    // connect() blocks across SYN and SYN/ACK; accept() returns after the handshake.
    let (_, segs) = conversation(&outcome);
    assert_eq!(segs.len(), outcome.frames.len(), "only the demo's packets");
    let (syn, syn_ack, ack) = (
        outcome.frames[0].ts,
        outcome.frames[1].ts,
        outcome.frames[2].ts,
    );
    let connect_start = first_event(&outcome.events, Side::Client, "connect", Phase::Before);
    let connect_end = first_event(&outcome.events, Side::Client, "connect", Phase::After);
    let accept_end = first_event(&outcome.events, Side::Server, "accept", Phase::After);
    assert!(connect_start.ts <= syn);
    assert!(connect_end.ts >= syn_ack);
    assert!(accept_end.ts >= ack);
    assert!(
        outcome
            .events
            .iter()
            .any(|e| e.side == Side::Server && e.detail == Detail::Eof)
    );
    let stats = outcome.report.stats;
    assert_eq!(stats.delivered, outcome.frames.len() as u64);
    assert_eq!(stats.dropped, 0, "{stats:?}");
    assert!(stats.counts_twice);
    assert_eq!(outcome.report.app_events, outcome.events.len() as u64);
}

#[test]
fn tcp_demo_completes_twenty_times_in_a_row() {
    if !live_enabled() {
        return;
    }
    let mut failures = Vec::new();
    let mut slowest = Duration::ZERO;
    for run in 1..=20 {
        let outcome = run_demo(DemoKind::Tcp, false);
        slowest = slowest.max(outcome.elapsed);
        if let Err(e) = check_tcp(&outcome, false) {
            failures.push(format!("run {run}: {e}"));
        }
    }
    eprintln!("20 runs, slowest {slowest:?}");
    assert!(
        failures.is_empty(),
        "{} of 20 failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn tcp_demo_on_ipv6_loopback() {
    if !live_enabled() {
        return;
    }
    let outcome = run_demo(DemoKind::Tcp, true);
    check_tcp(&outcome, true).unwrap();
    assert!(outcome.report.demo_server.unwrap().is_ipv6());
}

#[test]
fn udp_demo_exchanges_three_time_datagrams() {
    if !live_enabled() {
        return;
    }
    let outcome = run_demo(DemoKind::Udp, false);
    assert!(
        outcome.report.demo_errors.is_empty(),
        "{:?}",
        outcome.report.demo_errors
    );
    assert_eq!(outcome.report.stop_reason, StopReason::DemoFinished);
    assert!(
        outcome.elapsed < Duration::from_secs(3),
        "{:?}",
        outcome.elapsed
    );
    let (server, segs) = conversation(&outcome);
    assert_eq!(segs.len(), 6, "{segs:#?}");
    let formats = DemoKind::Udp.default_messages();
    for (round, pair) in segs.chunks(2).enumerate() {
        let (request, response) = (&pair[0], &pair[1]);
        assert!(!request.tcp && request.dst == server && response.src == server);
        assert_eq!(response.dst, request.src);
        assert_eq!(request.payload, formats[round].as_bytes());
        let text = String::from_utf8(response.payload.clone()).unwrap();
        let ok = match round {
            0 => chrono::NaiveDateTime::parse_from_str(&text, "%Y-%m-%d %H:%M:%S").is_ok(),
            1 => chrono::NaiveTime::parse_from_str(&text, "%H:%M:%S%.3f").is_ok(),
            _ => text.parse::<chrono::Weekday>().is_ok(),
        };
        assert!(
            ok,
            "round {round}: {text:?} is not a time in {:?}",
            formats[round]
        );
    }
    let calls: Vec<&str> = outcome
        .events
        .iter()
        .filter(|e| e.side == Side::Client && e.phase == Phase::After)
        .map(|e| e.call.name())
        .collect();
    assert_eq!(
        calls,
        [
            "sendto", "recvfrom", "sendto", "recvfrom", "sendto", "recvfrom", "close"
        ]
    );
}

fn tshark_count(path: &Path) -> usize {
    let out = Command::new("tshark")
        .arg("-r")
        .arg(path)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "tshark is needed to check written files ({e}); install it (apt-get install \
                 tshark) or set HANDSHAKE_VIZ_SKIP_ORACLE=1"
            )
        });
    assert!(
        out.status.success(),
        "tshark -r {} failed: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).lines().count()
}

fn read_file(path: &Path) -> Vec<Frame> {
    let mut source = FileSource::open(path).unwrap();
    let mut frames = Vec::new();
    while let Some(f) = source.next_frame().unwrap() {
        frames.push(f);
    }
    frames
}

#[test]
fn written_file_matches_the_delivered_frames() {
    if !live_enabled() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.pcap");
    let mut cfg = demo_config(DemoKind::Tcp, false);
    cfg.capture.write = Some(path.clone());
    let outcome = run(&cfg, Arc::new(AtomicBool::new(false)));
    check_tcp(&outcome, false).unwrap();
    assert_eq!(outcome.report.written.as_deref(), Some(path.as_path()));

    let reread = read_file(&path);
    assert_eq!(reread.len(), outcome.frames.len());
    for (live, file) in outcome.frames.iter().zip(&reread) {
        assert_eq!(live.data, file.data, "frame {}", live.index);
        assert_eq!(live.ts, file.ts, "frame {}", live.index);
        assert_eq!(live.orig_len, file.orig_len);
        assert_eq!(live.index, file.index);
    }
    if oracle_enabled() {
        assert_eq!(tshark_count(&path), outcome.frames.len());
        let tcpdump = Command::new("tcpdump")
            .args(["-nn", "-r"])
            .arg(&path)
            .stdin(Stdio::null())
            .output()
            .expect("tcpdump runs");
        assert!(tcpdump.status.success());
        assert_eq!(
            String::from_utf8_lossy(&tcpdump.stdout).lines().count(),
            outcome.frames.len()
        );
    }
}

#[test]
fn stop_flag_during_a_demo_ends_everything_and_leaves_a_valid_file() {
    if !live_enabled() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stopped.pcap");
    let mut cfg = demo_config(DemoKind::Tcp, false);
    cfg.capture.write = Some(path.clone());
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let started = Instant::now();
    let mut delivered = 0u64;
    // Raise the flag as soon as the first frame (the SYN) is delivered.
    let report = run_live(&cfg, stop, &mut |item| {
        if let LiveItem::Frame(_) = item {
            delivered += 1;
            flag.store(true, Ordering::SeqCst);
        }
        Ok(())
    })
    .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(report.stop_reason, StopReason::Stopped);
    assert!(delivered >= 1);
    assert_eq!(report.frames, delivered);
    let reread = read_file(&path);
    assert_eq!(reread.len() as u64, delivered);
    if oracle_enabled() {
        assert_eq!(tshark_count(&path) as u64, delivered);
    }
}

/// A UDP socket of ours and a capture filtered on its port (opened before any traffic).
fn own_udp_capture(write: Option<&Path>) -> (UdpSocket, SocketAddr, LiveSource) {
    let receiver = UdpSocket::bind("127.0.0.1:0").unwrap();
    let target = receiver.local_addr().unwrap();
    let mut options = LiveOptions::new("lo");
    options.filter = Some(format!("udp port {}", target.port()));
    options.write = write.map(Path::to_path_buf);
    options.duration = Some(Duration::from_secs(10)); // a bound if something goes wrong
    let source = LiveSource::open(&options).unwrap();
    (receiver, target, source)
}

fn send_datagrams(target: SocketAddr, n: usize) {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket
        .set_write_timeout(Some(Duration::from_secs(3)))
        .unwrap();
    for i in 0..n {
        socket
            .send_to(format!("ping {i}").as_bytes(), target)
            .unwrap();
    }
}

#[test]
fn stop_flag_mid_capture_leaves_a_valid_file() {
    if !live_enabled() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("flag.pcap");
    let (_receiver, target, mut source) = own_udp_capture(Some(&path));
    let stop = Arc::new(AtomicBool::new(false));
    source.set_stop_flag(stop.clone());
    let (seen_tx, seen_rx) = mpsc::channel::<()>();
    let stopper = std::thread::spawn(move || {
        send_datagrams(target, 5);
        // Raise the flag from another thread once the capture has seen the datagrams.
        let _ = seen_rx.recv_timeout(Duration::from_secs(3));
        stop.store(true, Ordering::SeqCst);
    });
    let mut frames = 0;
    while let Some(frame) = source.next_frame().unwrap() {
        frames += 1;
        assert_eq!(frame.index, frames);
        if frames == 5 {
            seen_tx.send(()).unwrap();
        }
    }
    stopper.join().unwrap();
    assert_eq!(source.stop_reason(), Some(StopReason::Stopped));
    let stats = source.finish().unwrap();
    assert_eq!(stats.delivered, 5);
    assert_eq!(stats.dropped, 0, "{stats:?}");
    assert_eq!(read_file(&path).len(), 5);
    if oracle_enabled() {
        assert_eq!(tshark_count(&path), 5);
    }
}

#[test]
fn duration_and_count_stop_the_capture() {
    if !live_enabled() {
        return;
    }
    // Nothing matches: the duration ends it.
    let quiet = UdpSocket::bind("127.0.0.1:0").unwrap();
    let mut options = LiveOptions::new("lo");
    options.filter = Some(format!("udp port {}", quiet.local_addr().unwrap().port()));
    options.duration = Some(Duration::from_millis(150));
    let started = Instant::now();
    let outcome = run(&LiveConfig::new(options), Arc::new(AtomicBool::new(false)));
    assert_eq!(outcome.report.stop_reason, StopReason::Duration);
    assert!(outcome.frames.is_empty());
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(150) && took < Duration::from_secs(2),
        "{took:?}"
    );

    // A count stops a demo early: exactly that many frames, the peers are ended.
    let mut cfg = demo_config(DemoKind::Tcp, false);
    cfg.capture.count = Some(3);
    let outcome = run(&cfg, Arc::new(AtomicBool::new(false)));
    assert_eq!(outcome.report.stop_reason, StopReason::Count);
    assert_eq!(outcome.frames.len(), 3);
    assert!(
        outcome.elapsed < Duration::from_secs(2),
        "{:?}",
        outcome.elapsed
    );
}

const KILL_CHILD_ENV: &str = "HANDSHAKE_VIZ_TEST_KILL_CHILD";

/// Runs only as the child of `savefile_survives_sigkill`: captures 5 datagrams into the file
/// named by the environment, says READY once they were read, then waits to be killed.
#[test]
#[ignore = "helper process for savefile_survives_sigkill"]
fn kill_probe_child() {
    let Ok(path) = std::env::var(KILL_CHILD_ENV) else {
        return;
    };
    let (_receiver, target, mut source) = own_udp_capture(Some(Path::new(&path)));
    send_datagrams(target, 5);
    let deadline = Instant::now() + Duration::from_secs(5);
    while source.frames() < 5 && Instant::now() < deadline {
        if source.next_frame().unwrap().is_none() {
            break;
        }
    }
    // An empty poll is where the source writes out pending records.
    while source.poll().unwrap() != live::Poll::Empty && Instant::now() < deadline {}
    println!("READY {}", source.frames());
    // Stay alive until the parent kills this process (or closes our stdin by exiting).
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
}

#[test]
fn savefile_survives_sigkill() {
    if !live_enabled() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("killed.pcap");
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "kill_probe_child",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(KILL_CHILD_ENV, &path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let ready = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .find_map(|l| l.find("READY").map(|at| l[at..].to_string()));
    child.kill().unwrap(); // SIGKILL: no destructor runs
    child.wait().unwrap();
    assert_eq!(ready.as_deref(), Some("READY 5"));
    assert_eq!(read_file(&path).len(), 5);
    if oracle_enabled() {
        assert_eq!(tshark_count(&path), 5);
    }
}

#[test]
fn nonexistent_interface_lists_the_real_ones() {
    if !live_enabled() {
        return;
    }
    let err = LiveSource::open(&LiveOptions::new("nosuch0")).unwrap_err();
    let Error::NoSuchInterface { iface, available } = &err else {
        panic!("expected NoSuchInterface, got {err:?}");
    };
    assert_eq!(iface, "nosuch0");
    assert!(available.split(", ").any(|n| n == "lo"), "{available}");
    assert!(err.to_string().contains("nosuch0"));
}

#[test]
fn bad_filter_is_a_filter_error_with_libpcap_reason() {
    if !live_enabled() {
        return;
    }
    let mut options = LiveOptions::new("lo");
    options.filter = Some("tcp port".into());
    let err = LiveSource::open(&options).unwrap_err();
    let Error::Filter { filter, reason } = &err else {
        panic!("expected Filter, got {err:?}");
    };
    assert_eq!(filter, "tcp port");
    assert!(reason.contains("syntax error"), "{reason}");

    // A bad user filter with a demo names the whole combined expression.
    let mut cfg = demo_config(DemoKind::Tcp, false);
    cfg.capture.filter = Some("port 99999".into());
    let err = run_live(&cfg, Arc::new(AtomicBool::new(false)), &mut |_| Ok(())).unwrap_err();
    assert!(
        matches!(&err, Error::Filter { reason, .. } if reason.contains("99999")),
        "{err:?}"
    );
}

#[test]
fn unwritable_path_fails_before_capturing() {
    if !live_enabled() {
        return;
    }
    let mut options = LiveOptions::new("lo");
    options.write = Some("/nonexistent/dir/x.pcap".into());
    let err = LiveSource::open(&options).unwrap_err();
    assert!(matches!(err, Error::Write { .. }), "{err:?}");
    assert!(err.to_string().contains("/nonexistent/dir/x.pcap"));
    // Checked before the interface is even opened.
    options.iface = "nosuch0".into();
    let err = LiveSource::open(&options).unwrap_err();
    assert!(matches!(err, Error::Write { .. }), "{err:?}");
    // And before any demo traffic.
    let mut cfg = demo_config(DemoKind::Tcp, false);
    cfg.capture.write = options.write.clone();
    let mut items = 0;
    let err = run_live(&cfg, Arc::new(AtomicBool::new(false)), &mut |_| {
        items += 1;
        Ok(())
    })
    .unwrap_err();
    assert!(matches!(err, Error::Write { .. }), "{err:?}");
    assert_eq!(items, 0);
}

#[test]
fn demo_on_a_non_loopback_interface_is_a_usage_error() {
    if !live_enabled() {
        return;
    }
    let interfaces = live::list_interfaces().unwrap();
    assert!(interfaces.iter().any(|i| i.name == "lo" && i.loopback));
    let other = interfaces
        .iter()
        .find(|i| !i.sees_loopback())
        .expect("a non-loopback capture interface (eth0, nflog, ...) to test with");
    let mut cfg = demo_config(DemoKind::Tcp, false);
    cfg.capture.iface = other.name.clone();
    let err = run_live(&cfg, Arc::new(AtomicBool::new(false)), &mut |_| Ok(())).unwrap_err();
    let Error::Usage(message) = &err else {
        panic!("expected Usage, got {err:?}");
    };
    assert!(
        message.contains(&other.name) && message.contains("lo"),
        "{message}"
    );
}

const PERMISSION_CHILD_ENV: &str = "HANDSHAKE_VIZ_TEST_PERMISSION_CHILD";

/// Runs only as the child of `no_capture_permission_is_a_permission_error`, without
/// CAP_NET_RAW: reports what opening lo returns.
#[test]
#[ignore = "helper process for no_capture_permission_is_a_permission_error"]
fn permission_probe_child() {
    if std::env::var(PERMISSION_CHILD_ENV).is_err() {
        return;
    }
    match LiveSource::open(&LiveOptions::new("lo")) {
        Ok(_) => println!("RESULT opened"),
        Err(e @ Error::Permission { .. }) => println!("RESULT Permission: {e}"),
        Err(e) => println!("RESULT other: {e:?}"),
    }
}

#[test]
fn no_capture_permission_is_a_permission_error() {
    if !live_enabled() {
        return;
    }
    let exe = std::env::current_exe().unwrap();
    let args = [
        "--exact",
        "permission_probe_child",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ];
    // Drop to nobody (no capabilities); fall back to dropping CAP_NET_RAW with capsh.
    let output = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(&exe)
        .args(args)
        .env(PERMISSION_CHILD_ENV, "1")
        .stdin(Stdio::null())
        .output()
        .or_else(|_| {
            let command = format!("'{}' {}", exe.display(), args.join(" "));
            Command::new("capsh")
                .args(["--drop=cap_net_raw", "--", "-c", &command])
                .env(PERMISSION_CHILD_ENV, "1")
                .stdin(Stdio::null())
                .output()
        })
        .expect("setpriv or capsh (util-linux / libcap2-bin) to drop capture rights");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let result = stdout
        .lines()
        .find_map(|l| l.find("RESULT").map(|at| &l[at..]))
        .unwrap_or_else(|| {
            panic!(
                "the unprivileged child said nothing: {stdout}{}",
                String::from_utf8_lossy(&output.stderr)
            )
        });
    assert!(result.starts_with("RESULT Permission: "), "{result}");
    assert!(
        result.contains("'lo'") && result.contains("setcap"),
        "{result}"
    );
}
