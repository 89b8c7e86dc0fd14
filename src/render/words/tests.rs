//! Every event, state, finding, close kind and code has words in every language: these tests
//! enumerate them, so a variant without words (or with empty words) fails here if it slipped
//! past the exhaustive matches.

use super::*;
use crate::analysis::{ConnState, Finding, TcpState};
use crate::capture::live::StopReason;
use crate::flow::event::{Event, FinKind, ProbeAnswer, Resend, SynKind};
use crate::flow::{CloseKind, RoleBasis};

fn tcp_events() -> Vec<TcpEvent> {
    let mut events = vec![
        TcpEvent::Reset { refused: true },
        TcpEvent::Reset { refused: false },
        TcpEvent::HandshakeAck { bytes: 0 },
        TcpEvent::HandshakeAck { bytes: 5 },
        TcpEvent::FinAgain,
        TcpEvent::KeepAlive {
            peer_window_zero: true,
        },
        TcpEvent::KeepAlive {
            peer_window_zero: false,
        },
        TcpEvent::KeepAliveAck(ProbeAnswer::StillZero),
        TcpEvent::KeepAliveAck(ProbeAnswer::WindowOpened(4096)),
        TcpEvent::KeepAliveAck(ProbeAnswer::Alive),
        TcpEvent::ZeroWindowProbe,
        TcpEvent::AckPeerFin { own_fin_sent: true },
        TcpEvent::AckPeerFin {
            own_fin_sent: false,
        },
        TcpEvent::ZeroWindow,
        TcpEvent::WindowUpdate { window: Some(1) },
        TcpEvent::WindowUpdate { window: None },
        TcpEvent::DuplicateAck {
            number: 2,
            of_frame: 7,
        },
        TcpEvent::NoAck,
        TcpEvent::Ack { new_bytes: Some(1) },
        TcpEvent::Ack { new_bytes: None },
    ];
    for kind in [SynKind::First, SynKind::Again, SynKind::Simultaneous] {
        events.push(TcpEvent::Syn(kind));
        events.push(TcpEvent::SynAck(kind));
    }
    for kind in [
        FinKind::First,
        FinKind::WithData(3),
        FinKind::AnswersPeer,
        FinKind::DoneToo,
        FinKind::Simultaneous,
    ] {
        events.push(TcpEvent::Fin(kind));
    }
    let resends = [
        None,
        Some(Resend::Retransmission),
        Some(Resend::Fast { dup_acks: 3 }),
        Some(Resend::Fast { dup_acks: 0 }),
        Some(Resend::Spurious),
        Some(Resend::OutOfOrder {
            overtaken_by: Some(9),
        }),
        Some(Resend::OutOfOrder { overtaken_by: None }),
    ];
    for resend in resends {
        for peer_finished in [false, true] {
            for acks_peer_fin in [false, true] {
                events.push(TcpEvent::Data {
                    bytes: 10,
                    resend,
                    fills_window: resend.is_none(),
                    peer_finished,
                    acks_peer_fin,
                });
            }
        }
    }
    events
}

pub(super) fn has_cjk(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn every_tcp_and_udp_event_has_words_and_a_code() {
    let udp = [
        UdpEvent::Request {
            bytes: 1,
            first: true,
        },
        UdpEvent::Request {
            bytes: 1,
            first: false,
        },
        UdpEvent::Response {
            bytes: 2,
            request: 1,
            delay_ns: 1000,
        },
        UdpEvent::Unpaired { bytes: 3 },
    ];
    for lang in Lang::ALL {
        let w = lang.words();
        for side in [Side::Client, Side::Server] {
            for e in tcp_events() {
                let mut text = String::new();
                w.tcp_event(&mut text, &e, side);
                assert!(!text.is_empty(), "{lang:?} {e:?}");
                assert_eq!(lang == Lang::Zh, has_cjk(&text), "{lang:?} {e:?}: {text}");
                assert!(!Event::Tcp(e).code().is_empty());
            }
            for e in udp {
                let mut text = String::new();
                w.udp_event(&mut text, &e, side);
                assert_eq!(lang == Lang::Zh, has_cjk(&text), "{lang:?} {e:?}: {text}");
            }
        }
    }
}

#[test]
fn event_codes_are_distinct_per_kind() {
    let mut codes: Vec<&str> = tcp_events()
        .into_iter()
        .map(|e| Event::Tcp(e).code())
        .collect();
    codes.sort_unstable();
    codes.dedup();
    // Data variants share two codes; the rest are one code each.
    assert!(codes.len() >= 28, "{codes:?}");
    assert!(codes.iter().all(|c| c.starts_with("tcp.")));
}

#[test]
fn every_state_finding_close_and_conn_state_has_words() {
    let states = TcpState::ALL;
    // In the order declared: the legend's set of states shown keeps bit `n` for the `n`th.
    for (n, s) in states.into_iter().enumerate() {
        assert_eq!(s as usize, n, "{s:?}");
    }
    let findings = Finding::ALL;
    let closes = [
        CloseKind::Fin4Way,
        CloseKind::Fin3Way,
        CloseKind::Simultaneous,
        CloseKind::HalfCloseThenClosed,
        CloseKind::HalfClosed,
        CloseKind::Reset,
        CloseKind::Refused,
        CloseKind::Unanswered,
        CloseKind::Open,
        CloseKind::NotApplicable,
    ];
    let bases = [
        RoleBasis::Syn,
        RoleBasis::SynAck,
        RoleBasis::SimultaneousOpen,
        RoleBasis::PortGuess,
        RoleBasis::FirstDatagram,
    ];
    for lang in Lang::ALL {
        let w = lang.words();
        let zh = lang == Lang::Zh;
        for s in states {
            assert_eq!(zh, has_cjk(w.state_meaning(s)), "{lang:?} {s:?}");
        }
        for f in findings {
            assert_eq!(zh, has_cjk(w.finding(f)), "{lang:?} {f:?}");
        }
        for c in closes {
            assert_eq!(zh, has_cjk(w.close_kind(c)), "{lang:?} {c:?}");
        }
        for b in bases {
            assert_eq!(zh, has_cjk(w.role_basis(b)), "{lang:?} {b:?}");
        }
        for c in ConnState::ALL {
            assert_eq!(zh, has_cjk(w.conn_state_meaning(c)), "{lang:?} {c:?}");
        }
        for r in [
            StopReason::Count,
            StopReason::Duration,
            StopReason::Stopped,
            StopReason::DemoFinished,
        ] {
            assert_eq!(zh, has_cjk(w.stop_reason(r)), "{lang:?} {r:?}");
        }
    }
}

#[test]
fn locales_choose_the_language() {
    assert_eq!(Lang::from_locale(Some("zh_CN.UTF-8")), Lang::Zh);
    assert_eq!(Lang::from_locale(Some("zh_TW")), Lang::Zh);
    assert_eq!(Lang::from_locale(Some("en_US.UTF-8")), Lang::En);
    assert_eq!(Lang::from_locale(Some("C")), Lang::En);
    assert_eq!(Lang::from_locale(None), Lang::En);
}

#[test]
fn every_socket_call_detail_has_words() {
    use crate::demo::{CloseReason, Detail, Failure, Payload};
    use std::net::SocketAddr;
    let a: SocketAddr = "127.0.0.1:9001".parse().unwrap();
    let data = Payload::of(b"hello\x1b[31m");
    let mut details = vec![
        Detail::Address(a),
        Detail::Connecting(a),
        Detail::WaitingForConnection(a),
        Detail::ReadingUpTo(4096),
        Detail::WaitingForEcho(5),
        Detail::WaitingForRequest,
        Detail::WaitingForAnswer(a),
        Detail::Sending {
            data: data.clone(),
            to: Some(a),
            echo: true,
        },
        Detail::Listening {
            addr: a,
            backlog: 128,
        },
        Detail::Bound(a),
        Detail::Connected { local: a, peer: a },
        Detail::Accepted(a),
        Detail::Queued(5),
        Detail::SentDatagram(5),
        Detail::Received {
            data: Payload::of(&[b'x'; 100]),
            from: Some(a),
        },
        Detail::Eof,
        Detail::Closed,
        Detail::Failed(Failure::Os {
            kind: crate::demo::OsError::ConnectionRefused,
            errno: Some(111),
        }),
        Detail::Failed(Failure::TimedOut(std::time::Duration::from_secs(3))),
        Detail::Failed(Failure::Stopped),
    ];
    for reason in [
        CloseReason::ClientFirst,
        CloseReason::AfterEof,
        CloseReason::Stopped,
        CloseReason::TooManyReads,
        CloseReason::Udp,
    ] {
        details.push(Detail::Closing(reason));
    }
    for lang in Lang::ALL {
        let w = lang.words();
        for d in &details {
            let text = w.app_detail(d);
            assert!(!text.is_empty(), "{lang:?} {d:?}");
            assert!(!text.contains('\x1b'), "escaped: {text}");
            if !matches!(d, Detail::Address(_)) {
                assert_eq!(lang == Lang::Zh, has_cjk(&text), "{lang:?} {d:?}: {text}");
            }
        }
        let refused = w.app_detail(&details[17]);
        assert!(refused.contains("ECONNREFUSED"), "{refused}");
    }
}
