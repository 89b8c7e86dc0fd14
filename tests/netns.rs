//! Namespace tests: two hosts joined by a veth pair (ARP, MSS-sized segments, a capture
//! opened inside a namespace) and cleanup after SIGKILL of the process, and of its guard too
//! (tests/netns_relay.rs tests the relay between the hosts). They create namespaces, veth pairs
//! and raw sockets, so they need root: without it they fail and say so
//! (HANDSHAKE_VIZ_SKIP_NETNS=1 skips them). They need `ip` (iproute2). They run one at a time,
//! use the prefix "hvd", and check that nothing named hvd* is left.

mod netns_support;
#[path = "support/rerun.rs"]
mod rerun;

use std::io::Write;
use std::time::{Duration, Instant};

use handshake_viz::Error;
use handshake_viz::capture::live::{LiveOptions, LiveSource};
use handshake_viz::demo::net::{self, LabSpec, NetLab};
use netns_support::{
    Capture, HOST_B, Kind, MAC_A, MAC_B, PREFIX, TRANSFER, assert_nothing_left, classify, segments,
    setup, transfer,
};
use rerun::{kill_with_guards, start_until_ready};

/// Environment variable that makes a re-run of this binary the process to be killed.
const CHILD_ENV: &str = "HANDSHAKE_VIZ_NETNS_CHILD";

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
    let (child, line) = start_until_ready(
        "child_holds_namespaces",
        CHILD_ENV,
        &["--test-threads=1"],
        "the child never created its namespaces",
    );
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
    kill_with_guards(&mut child, &[guard]);
    std::thread::sleep(Duration::from_millis(100));
    assert!(names.iter().all(|n| exists(n)), "left behind: {names:?}");
    let mut removed = net::cleanup_stale(PREFIX).unwrap();
    removed.sort();
    let mut want = names.clone();
    want.sort();
    assert_eq!(removed, want);
    assert_nothing_left();
}
