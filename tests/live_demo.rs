//! The demos captured live on lo (root or CAP_NET_RAW; HANDSHAKE_VIZ_SKIP_LIVE=1 skips them):
//! the TCP demo's whole conversation, with its socket calls in timestamp order among the
//! packets, twenty times in a row and over IPv6, and the UDP demo's three time datagrams.

#[path = "support/live_run.rs"]
mod live_run;

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use handshake_viz::capture::live::StopReason;
use handshake_viz::demo::{AppEvent, DemoKind, Detail, Phase, Side};
use handshake_viz::live::LiveItem;
use live_run::{Outcome, check_tcp, conversation, demo_config, live_enabled, run};

fn run_demo(kind: DemoKind, ipv6: bool) -> Outcome {
    run(&demo_config(kind, ipv6), Arc::new(AtomicBool::new(false)))
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
