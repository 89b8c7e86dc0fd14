//! What the `tests/live_*.rs` files share: whether live tests run (they really capture on lo,
//! so they need root or CAP_NET_RAW), a run of `run_live` collected into an [`Outcome`], a
//! demo's configuration, and the check of a complete TCP echo conversation.

#![allow(dead_code)] // each including crate uses a different subset

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use etherparse::{NetSlice, SlicedPacket, TransportSlice};
use handshake_viz::capture::live::{LiveOptions, StopReason};
use handshake_viz::capture::{Frame, LinkType};
use handshake_viz::demo::{AppEvent, DemoConfig, DemoKind};
use handshake_viz::live::{LiveConfig, LiveItem, LiveReport, run_live};

#[path = "gates.rs"]
mod gates;
pub use gates::live_enabled;

pub struct Outcome {
    pub frames: Vec<Frame>,
    pub events: Vec<AppEvent>,
    pub order: Vec<LiveItem>,
    pub report: LiveReport,
    pub elapsed: Duration,
}

pub fn run(cfg: &LiveConfig, stop: Arc<AtomicBool>) -> Outcome {
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

pub fn demo_config(kind: DemoKind, ipv6: bool) -> LiveConfig {
    let mut demo = DemoConfig::new(kind);
    demo.ipv6 = ipv6;
    let mut cfg = LiveConfig::new(LiveOptions::new("lo"));
    cfg.demo = Some(demo);
    cfg
}

/// The fields of one TCP or UDP packet these tests look at.
#[derive(Debug)]
pub struct Seg {
    pub src: u16,
    pub dst: u16,
    pub ipv6: bool,
    pub tcp: bool,
    pub syn: bool,
    pub ack: bool,
    pub fin: bool,
    pub rst: bool,
    pub payload: Vec<u8>,
}

impl Seg {
    pub fn flags(&self) -> String {
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

pub fn parse(frame: &Frame) -> Option<Seg> {
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
pub fn conversation(outcome: &Outcome) -> (u16, Vec<Seg>) {
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
pub fn check_tcp(outcome: &Outcome, ipv6: bool) -> Result<(), String> {
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
