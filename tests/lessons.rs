//! The loopback lessons, run for real: each demo's JSON report is checked for what its lesson
//! must show, on the packets and on the socket calls.
//!
//! They capture on lo, so they need root or CAP_NET_RAW: without it they fail and say so
//! (HANDSHAKE_VIZ_SKIP_LIVE=1 skips them).

mod lesson_support;

use std::collections::HashSet;

use handshake_viz::config::ViewConfig;
use handshake_viz::demo::DemoKind;
use lesson_support::{Run, demo, has_flags, live_enabled, run};
use serde_json::Value;

fn tcp_packets(run: &Run, stream: u64) -> Vec<&Value> {
    run.of("packet")
        .into_iter()
        .filter(|p| p["proto"] == "tcp" && p["stream"] == stream)
        .collect()
}

fn len(p: &Value) -> u64 {
    p["len"].as_u64().unwrap_or(0)
}

#[test]
fn sticky_one_recv_returns_several_sends() {
    if !live_enabled() {
        return;
    }
    let run = run(demo(DemoKind::Sticky));
    // Before the server's first read: three writes, one read with all their bytes.
    let first_read = run.returned("server", "recv")[0];
    let ts = first_read["ts"].as_f64().unwrap();
    let sends_before = run
        .returned("client", "send")
        .iter()
        .filter(|s| s["ts"].as_f64().unwrap() < ts)
        .count();
    assert_eq!(sends_before, 3);
    assert!(
        first_read["detail"]
            .as_str()
            .unwrap()
            .contains("12 bytes \"helloworld!!\""),
        "{first_read}"
    );
    let glued = run.points("glued");
    assert_eq!(glued[0]["sends"], serde_json::json!([1, 2, 3]));
    // One large write, several reads with the small buffer.
    let split = run.points("split");
    assert_eq!(split[0]["bytes"], 10_000);
    assert_eq!(split[0]["reads"].as_array().unwrap().len(), 3);
    // The wire cut the bytes a third way: the same every run.
    let segments: Vec<u64> = tcp_packets(&run, 0)
        .into_iter()
        .filter(|p| p["dir"] == "c2s" && len(p) > 0)
        .map(len)
        .collect();
    assert_eq!(
        segments,
        [5, 7, 10_000],
        "Nagle held the second and third writes"
    );
    assert_eq!(run.points("nagle").len(), 1);
}

#[test]
fn framing_recovers_every_message() {
    if !live_enabled() {
        return;
    }
    let run = run(demo(DemoKind::Framing));
    let framed = run.points("framed");
    let messages: Vec<&str> = framed
        .iter()
        .map(|p| p["message"]["text"].as_str().unwrap())
        .collect();
    assert_eq!(messages, ["hello", "how are you today?", "bye"]);
    assert_eq!(framed[1]["len"], 18);
    let text = run.of("lesson")[0]["text"].to_string();
    assert!(
        text.contains(r#"length 18 → message \"how are you today?\""#),
        "{text}"
    );
    // The server got each message whole from exactly-sized reads.
    for m in messages {
        assert!(
            run.returned("server", "recv")
                .iter()
                .any(|r| r["detail"].as_str().unwrap().ends_with(&format!("\"{m}\""))),
            "{m}"
        );
    }
}

#[test]
fn udp_keeps_boundaries_and_cuts_a_big_datagram() {
    if !live_enabled() {
        return;
    }
    let run = run(demo(DemoKind::UdpBoundaries));
    let datagrams = run.points("datagrams");
    assert_eq!(datagrams[0]["sends"], 4);
    assert_eq!(datagrams[0]["reads"], 4);
    assert_eq!(datagrams[0]["frames"].as_array().unwrap().len(), 4);
    let cut = run.points("truncated");
    assert_eq!(
        (cut[0]["full"].as_u64(), cut[0]["kept"].as_u64()),
        (Some(3000), Some(1024))
    );
    let reads = run.returned("server", "recvfrom");
    assert!(reads[3]["detail"].as_str().unwrap().contains("MSG_TRUNC"));
}

#[test]
fn refused_shows_rst_econnrefused_and_port_unreachable() {
    if !live_enabled() {
        return;
    }
    let run = run(demo(DemoKind::Refused));
    let syn = run
        .of("packet")
        .into_iter()
        .find(|p| has_flags(p, &["SYN"]))
        .expect("a SYN");
    let rst = run
        .of("packet")
        .into_iter()
        .find(|p| has_flags(p, &["RST", "ACK"]))
        .expect("a RST/ACK");
    assert!(rst["frame"].as_u64() > syn["frame"].as_u64());
    assert_eq!(rst["stream"], syn["stream"]);
    let connect = run.returned("client", "connect");
    assert!(
        connect[0]["detail"]
            .as_str()
            .unwrap()
            .contains("ECONNREFUSED"),
        "{connect:?}"
    );
    assert_eq!(run.points("refused")[0]["econnrefused"], true);
    // Each ICMP port unreachable quotes its datagram's stream.
    let unreachable = run.points("unreachable");
    assert_eq!(unreachable.len(), 2);
    for u in &unreachable {
        let datagram = run.frame(u["datagram"].as_u64().unwrap());
        let icmp = run.frame(u["icmp"].as_u64().unwrap());
        assert_eq!(icmp["event_kind"], "icmp.unreachable.port");
        assert_eq!(icmp["related"]["stream"], datagram["stream"]);
    }
    assert_eq!(
        unreachable[0]["told"], true,
        "a connected socket hears ECONNREFUSED"
    );
    assert_eq!(unreachable[1]["told"], false, "an unconnected one does not");
    assert!(
        run.returned("client", "recv")[0]["detail"]
            .as_str()
            .unwrap()
            .contains("ECONNREFUSED")
    );
}

#[test]
fn half_close_data_flows_after_the_clients_fin() {
    if !live_enabled() {
        return;
    }
    let run = run(demo(DemoKind::HalfClose));
    let packets = tcp_packets(&run, 0);
    let fin = packets
        .iter()
        .find(|p| p["dir"] == "c2s" && has_flags(p, &["FIN"]))
        .expect("the client's FIN");
    let after: Vec<&&Value> = packets
        .iter()
        .filter(|p| p["frame"].as_u64() > fin["frame"].as_u64() && p["dir"] == "s2c")
        .filter(|p| len(p) > 0)
        .collect();
    assert_eq!(after.len(), 3, "three pieces from the server after the FIN");
    assert!(packets.iter().any(
        |p| p["states"] == serde_json::json!({"client": "FIN-WAIT-2", "server": "CLOSE-WAIT"})
    ));
    let point = &run.points("half_close")[0];
    assert_eq!(point["fin"], fin["frame"]);
    assert_eq!(point["data"].as_array().unwrap().len(), 3);
}

/// The close segments of a stream: the client's FIN and what follows it.
fn close_flags(run: &Run, stream: u64) -> Vec<(String, Vec<String>)> {
    let packets = tcp_packets(run, stream);
    let at = packets
        .iter()
        .position(|p| has_flags(p, &["FIN"]))
        .expect("a FIN");
    packets[at..]
        .iter()
        .map(|p| {
            let flags = p["flags"].as_array().unwrap();
            (
                p["dir"].as_str().unwrap().to_string(),
                flags
                    .iter()
                    .map(|f| f.as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn close_4way_shows_four_distinct_close_segments_then_three() {
    if !live_enabled() {
        return;
    }
    let run = run(demo(DemoKind::Close4Way));
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        close_flags(&run, 0),
        [
            ("c2s".into(), s(&["FIN", "ACK"])),
            ("s2c".into(), s(&["ACK"])),
            ("s2c".into(), s(&["FIN", "ACK"])),
            ("c2s".into(), s(&["ACK"])),
        ]
    );
    let closes = run.points("close");
    assert_eq!(closes[0]["frames"].as_array().unwrap().len(), 4);
    assert_eq!(closes[1]["frames"].as_array().unwrap().len(), 3);
    assert_eq!(run.points("time_wait")[0]["side"], "client");
}

#[test]
fn concurrent_streams_share_one_server_port() {
    if !live_enabled() {
        return;
    }
    let mut config = demo(DemoKind::Concurrent);
    config.clients = 4;
    let run = run(config);
    let conns = run.of("connection");
    assert_eq!(conns.len(), 4);
    let servers: HashSet<&str> = conns
        .iter()
        .map(|c| c["server"].as_str().unwrap())
        .collect();
    let clients: HashSet<&str> = conns
        .iter()
        .map(|c| c["client"].as_str().unwrap())
        .collect();
    assert_eq!(
        (servers.len(), clients.len()),
        (1, 4),
        "one port, four 4-tuples"
    );
    // Interleaved: some stream starts before another one ends.
    let point = &run.points("streams")[0];
    let spans: Vec<(u64, u64)> = point["conns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["frames"][0].as_u64().unwrap(),
                c["frames"][1].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(spans.windows(2).any(|w| w[1].0 < w[0].1), "{spans:?}");
    // bind() to port 0: the kernel picked each client's port.
    let binds = run.returned("client", "bind");
    assert_eq!(binds.len(), 4);
    assert!(
        binds
            .iter()
            .all(|b| b["detail"].as_str().unwrap().contains("kernel picked"))
    );
}

#[test]
fn concurrent_ladders_carry_their_own_connections_calls() {
    if !live_enabled() {
        return;
    }
    let mut cfg =
        handshake_viz::live::LiveConfig::new(handshake_viz::capture::live::LiveOptions::new("lo"));
    cfg.demo = Some(demo(DemoKind::Concurrent));
    let view = ViewConfig {
        view: handshake_viz::config::View::Ladder,
        width: Some(200),
        ..ViewConfig::default()
    };
    let mut out = Vec::new();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    handshake_viz::live::report_live(&cfg, view, stop, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    // Each ladder (one per stream) shows the requests of exactly one client.
    let ladders: Vec<&str> = text.split("TCP stream ").skip(1).collect();
    assert_eq!(ladders.len(), 3, "{text}");
    let mut owners = HashSet::new();
    for ladder in ladders {
        let who: HashSet<char> = ladder
            .match_indices("client ")
            .filter_map(|(at, _)| ladder[at + 7..].chars().next())
            .filter(|c| c.is_ascii_digit())
            .collect();
        assert_eq!(who.len(), 1, "one client's requests per ladder: {ladder}");
        owners.extend(who);
    }
    assert_eq!(owners.len(), 3);
}

#[test]
fn tcp_lesson_says_which_close_happened() {
    if !live_enabled() {
        return;
    }
    let run = run(demo(DemoKind::Tcp));
    assert_eq!(
        run.points("handshake")[0]["frames"],
        serde_json::json!([1, 2, 3])
    );
    let close = &run.points("close")[0];
    let frames = close["frames"].as_array().unwrap().len();
    assert!(frames == 3 || frames == 4, "{close}");
    let text = run.of("lesson")[0]["text"].to_string();
    assert!(
        text.contains(&format!("closed in {frames} segments")),
        "{text}"
    );
    let listen = &run.of("app")[0];
    assert!(
        listen["detail"]
            .as_str()
            .unwrap()
            .contains("port 0: the kernel picks"),
        "{listen}"
    );
}
