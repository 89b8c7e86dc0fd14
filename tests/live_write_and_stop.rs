//! Live captures on lo that write a file or are stopped (root or CAP_NET_RAW;
//! HANDSHAKE_VIZ_SKIP_LIVE=1 skips them): the `--write` file holds exactly the delivered frames,
//! a stop flag raised during a demo or mid-capture leaves a valid file, a duration or a count
//! ends the capture, and the file survives SIGKILL. Each test filters on its own ephemeral
//! port. `tshark` is the oracle for written files (HANDSHAKE_VIZ_SKIP_ORACLE=1 skips it).

#[path = "support/live_run.rs"]
mod live_run;

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, UdpSocket};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use handshake_viz::capture::live::{self, LiveOptions, LiveSource, StopReason};
use handshake_viz::capture::{FileSource, Frame, FrameSource};
use handshake_viz::demo::DemoKind;
use handshake_viz::live::{LiveConfig, LiveItem, run_live};
use live_run::{check_tcp, demo_config, live_enabled, run};

fn oracle_enabled() -> bool {
    std::env::var("HANDSHAKE_VIZ_SKIP_ORACLE").as_deref() != Ok("1")
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
