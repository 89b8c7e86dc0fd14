//! The relay between two namespaced hosts: with seeded loss it drops the same segments on two
//! runs and TCP recovers (retransmissions and duplicate ACKs in the capture, confirmed by
//! tshark), reordering and delay lose nothing, and it stops on its deadline and on its flag.
//! Like tests/netns.rs these tests need root and `ip` (HANDSHAKE_VIZ_SKIP_NETNS=1 skips them),
//! run one at a time, use the prefix "hvd", and check that nothing named hvd* is left.

mod netns_support;

use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use handshake_viz::capture::Frame;
use handshake_viz::demo::net::{LabSpec, NetLab};
use handshake_viz::demo::relay::{Direction, Impairment, Relay, RelayConfig, RelayReport};
use netns_support::{
    Capture, HOST_B, Kind, MAC_B, PREFIX, TRANSFER, assert_nothing_left, classify,
    data_seqs_from_a, segments, setup, transfer,
};

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
