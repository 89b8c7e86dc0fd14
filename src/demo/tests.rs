//! The demo peers run for real on loopback, without a capture.

use super::*;
use std::net::TcpListener;

#[test]
fn prepare_binds_and_suggests_a_filter() {
    let demo = Demo::prepare(&DemoConfig::new(DemoKind::Udp)).unwrap();
    assert!(demo.server_addr().ip().is_loopback());
    assert_eq!(
        demo.filter(),
        format!("(udp port {}) or icmp or icmp6", demo.port())
    );
    assert!(!demo.is_finished());
}

#[test]
fn a_taken_port_is_a_demo_error() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let mut config = DemoConfig::new(DemoKind::Tcp);
    config.port = Some(taken.local_addr().unwrap().port());
    let err = Demo::prepare(&config).unwrap_err();
    assert!(matches!(err, Error::Demo(_)), "{err}");
}

fn run(config: &DemoConfig) -> (Vec<AppEvent>, Vec<String>) {
    let mut demo = Demo::prepare(config).unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    demo.start(tx, Arc::new(AtomicBool::new(false))).unwrap();
    let errors = demo.join(Duration::from_secs(10));
    (rx.try_iter().collect(), errors)
}

fn calls(events: &[AppEvent], side: Side) -> Vec<&'static str> {
    events
        .iter()
        .filter(|e| e.side == side && e.phase == Phase::After)
        .map(|e| e.call.name())
        .collect()
}

#[test]
fn tcp_echo_logs_every_call_in_order() {
    let (events, errors) = run(&DemoConfig::new(DemoKind::Tcp));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        calls(&events, Side::Client),
        [
            "connect", "send", "recv", "send", "recv", "send", "recv", "close"
        ]
    );
    let server = calls(&events, Side::Server);
    assert_eq!(server.first(), Some(&"listen"));
    assert_eq!(server.last(), Some(&"close"));
    assert!(events.iter().any(|e| e.detail == Detail::Eof));
    assert!(events.iter().any(|e| e.detail
        == Detail::Received {
            data: Payload::of(b"hello"),
            from: None
        }));
    let befores = events.iter().filter(|e| e.phase == Phase::Before).count();
    assert_eq!(
        befores * 2,
        events.len(),
        "every call has a start and a return"
    );
}

#[test]
fn tcp_echo_carries_custom_and_large_messages() {
    let mut config = DemoConfig::new(DemoKind::Tcp);
    config.messages = vec!["x".into(), "y".repeat(100_000)];
    let (events, errors) = run(&config);
    assert!(errors.is_empty(), "{errors:?}");
    assert!(events.iter().any(|e| e.call == Call::Recv
        && e.side == Side::Client
        && matches!(&e.detail, Detail::Received { data, .. } if data.len == 100_000)));
    // An empty message would read as EOF: refused, with the reason.
    config.messages.push(String::new());
    let err = Demo::prepare(&config).unwrap_err();
    assert!(
        matches!(&err, Error::Usage(m) if m.contains("EOF")),
        "{err}"
    );
}

/// The returns of `call` by `side`.
fn details(events: &[AppEvent], side: Side, call: Call) -> Vec<&Detail> {
    events
        .iter()
        .filter(|e| e.side == side && e.call == call && e.phase == Phase::After)
        .map(|e| &e.detail)
        .collect()
}

#[test]
fn sticky_glues_the_small_writes_and_splits_the_large_one() {
    let (events, errors) = run(&DemoConfig::new(DemoKind::Sticky));
    assert!(errors.is_empty(), "{errors:?}");
    let reads: Vec<usize> = details(&events, Side::Server, Call::Recv)
        .into_iter()
        .filter_map(|d| match d {
            Detail::Received { data, .. } => Some(data.len),
            _ => None,
        })
        .collect();
    assert_eq!(reads, [12, 4096, 4096, 1808]);
    assert_eq!(details(&events, Side::Client, Call::Send).len(), 4);
}

#[test]
fn framing_recovers_every_message_and_the_other_loopback_demos_complete() {
    let (events, errors) = run(&DemoConfig::new(DemoKind::Framing));
    assert!(errors.is_empty(), "{errors:?}");
    let got: Vec<Vec<u8>> = details(&events, Side::Server, Call::Recv)
        .into_iter()
        .filter_map(|d| match d {
            Detail::Received { data, .. } if data.len != 4 => Some(data.preview.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(got, [&b"hello"[..], b"how are you today?", b"bye"]);
    for kind in [
        DemoKind::UdpBoundaries,
        DemoKind::Refused,
        DemoKind::HalfClose,
        DemoKind::Close4Way,
        DemoKind::Concurrent,
    ] {
        let (events, errors) = run(&DemoConfig::new(kind));
        assert!(errors.is_empty(), "{kind}: {errors:?}");
        assert!(!events.is_empty(), "{kind}");
    }
}

#[test]
fn concurrent_calls_name_their_connection() {
    let mut config = DemoConfig::new(DemoKind::Concurrent);
    config.clients = 4;
    let (events, errors) = run(&config);
    assert!(errors.is_empty(), "{errors:?}");
    let mut clients: Vec<SocketAddr> = events
        .iter()
        .filter(|e| e.call == Call::Bind && e.phase == Phase::After)
        .filter_map(|e| e.conn)
        .collect();
    clients.sort();
    clients.dedup();
    assert_eq!(clients.len(), 4);
    let accepted = details(&events, Side::Server, Call::Accept);
    assert_eq!(accepted.len(), 4);
    assert!(
        events
            .iter()
            .filter(|e| e.call == Call::Send)
            .all(|e| e.conn.is_some_and(|c| clients.contains(&c)))
    );
}

#[test]
fn udp_time_server_answers_each_format() {
    let mut config = DemoConfig::new(DemoKind::Udp);
    config.ipv6 = true;
    let (events, errors) = run(&config);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        calls(&events, Side::Client),
        [
            "sendto", "recvfrom", "sendto", "recvfrom", "sendto", "recvfrom", "close"
        ]
    );
}

#[test]
fn a_raised_stop_flag_ends_the_peers() {
    let mut demo = Demo::prepare(&DemoConfig::new(DemoKind::Tcp)).unwrap();
    let (tx, _rx) = std::sync::mpsc::channel();
    demo.start(tx, Arc::new(AtomicBool::new(true))).unwrap();
    let started = Instant::now();
    let errors = demo.join(Duration::from_secs(10));
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(!errors.is_empty());
}
