use std::process::{Command, Stdio};

use super::*;
use crate::capture::FrameSource;
use crate::demo::Detail;

fn event(secs: i64, nanos: u64, side: Side, phase: Phase, call: Call, detail: Detail) -> AppEvent {
    AppEvent {
        ts: Timestamp::new(secs, nanos),
        side,
        call,
        phase,
        detail,
        conn: None,
    }
}

/// A UDP frame 192.0.2.1:4000 -> 192.0.2.2:5000 built with etherparse.
fn frame(index: u64, nanos: u64, payload: &[u8]) -> Frame {
    let builder = etherparse::PacketBuilder::ethernet2([2, 0, 0, 0, 0, 0xa], [2, 0, 0, 0, 0, 0xb])
        .ipv4([192, 0, 2, 1], [192, 0, 2, 2], 64)
        .udp(4000, 5000);
    let mut data = Vec::new();
    builder.write(&mut data, payload).unwrap();
    Frame {
        index,
        ts: Timestamp::new(1_700_000_000, nanos),
        linktype: LinkType::ETHERNET,
        orig_len: data.len() as u32,
        data,
    }
}

fn sample_events() -> Vec<AppEvent> {
    use crate::demo::{CloseReason, Payload};
    let peer: std::net::SocketAddr = "192.0.2.2:5000".parse().unwrap();
    vec![
        event(
            1_700_000_000,
            5,
            Side::Client,
            Phase::Before,
            Call::SendTo,
            Detail::Sending {
                data: Payload::of(b"hello"),
                to: Some(peer),
                echo: false,
            },
        ),
        event(
            1_700_000_000,
            900,
            Side::Client,
            Phase::After,
            Call::SendTo,
            Detail::SentDatagram(5),
        ),
        event(
            1_700_000_000,
            2_000,
            Side::Server,
            Phase::After,
            Call::RecvFrom,
            Detail::Received {
                data: Payload::of("tab\there, \\ back\nslash é\x1b[31m".as_bytes()),
                from: Some(peer),
            },
        ),
        event(
            1_700_000_001,
            7,
            Side::Server,
            Phase::Before,
            Call::Close,
            Detail::Closing(CloseReason::Udp),
        ),
        event(
            1_700_000_001,
            8,
            Side::Server,
            Phase::After,
            Call::Close,
            Detail::Closed,
        ),
    ]
}

/// Writes frames and events interleaved: 2 events, frame 1, 1 event, frame 2, 2 events.
fn write_sample(path: &Path) -> Vec<AppEvent> {
    let events = sample_events();
    let mut w = PcapngWriter::create(path, 262_144).unwrap();
    w.describe_interface(LinkType::ETHERNET, "hvd-a");
    w.write_event(&events[0]);
    w.write_event(&events[1]);
    w.write_frame(&frame(1, 1_000, b"hello")).unwrap();
    w.write_event(&events[2]);
    w.write_frame(&frame(2, 3_000, b"world")).unwrap();
    w.write_event(&events[3]);
    w.write_event(&events[4]);
    w.close(Some((2, 0))).unwrap();
    events
}

#[test]
fn events_round_trip_through_comments() {
    for e in sample_events() {
        let text = encode_event(&e);
        assert!(text.starts_with(EVENT_PREFIX));
        assert!(!text.contains('\n'), "{text}");
        assert_eq!(decode_event(&text), Some(e));
    }
    let negative = event(-5, 1, Side::Client, Phase::After, Call::Recv, Detail::Eof);
    assert_eq!(decode_event(&encode_event(&negative)), Some(negative));
    // A call that names its connection keeps it; the older form without it still reads.
    let mut named = event(
        7,
        9,
        Side::Server,
        Phase::After,
        Call::Shutdown,
        Detail::WriteShut,
    );
    named.conn = Some("[::1]:40000".parse().unwrap());
    let text = encode_event(&named);
    assert!(text.contains(" conn=[::1]:40000 "), "{text}");
    assert_eq!(decode_event(&text), Some(named));
    assert!(
        decode_event("handshake-viz/1 app 1.000000005 client called close conn=x \"Closed\"")
            .is_none()
    );
    for bad in [
        "handshake-viz/1 app 1.5 client called close \"Closed\"",
        "handshake-viz/1 app 1.000000005 both called close \"Closed\"",
        "handshake-viz/1 app 1.000000005 client maybe close \"Closed\"",
        "handshake-viz/1 app 1.000000005 client called frobnicate \"Closed\"",
        "handshake-viz/1 app 1.000000005 client called close \"Opened\"",
        "handshake-viz/1 app 1.000000005 client called close",
        "handshake-viz/1 app 1.000000005 client called close conn=127.0.0.1:1",
        "handshake-viz/2 app 1.000000005 client called close \"Closed\"",
        "a plain comment",
    ] {
        assert_eq!(decode_event(bad), None, "{bad}");
    }
}

#[test]
fn reader_returns_the_events_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.pcapng");
    let events = write_sample(&path);
    let read = read_events(&path).unwrap();
    assert_eq!(read.frames, 2);
    assert_eq!(read.problem, None);
    let got: Vec<(AppEvent, Option<u64>)> = read
        .events
        .into_iter()
        .map(|s| (s.event, s.before_frame))
        .collect();
    let want = vec![
        (events[0].clone(), Some(1)),
        (events[1].clone(), Some(1)),
        (events[2].clone(), Some(2)),
        (events[3].clone(), None),
        (events[4].clone(), None),
    ];
    assert_eq!(got, want);
    // libpcap reads the same frames, with their nanoseconds.
    let mut source = crate::capture::FileSource::open(&path).unwrap();
    let first = source.next_frame().unwrap().unwrap();
    assert_eq!(first.ts, Timestamp::new(1_700_000_000, 1_000));
    assert_eq!(first.data, frame(1, 1_000, b"hello").data);
    assert!(source.next_frame().unwrap().is_some());
    assert!(source.next_frame().unwrap().is_none());
}

#[test]
fn tshark_opens_the_file_without_warnings() {
    if std::env::var("HANDSHAKE_VIZ_SKIP_ORACLE").as_deref() == Ok("1") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.pcapng");
    write_sample(&path);
    let out = Command::new("tshark")
        .args([
            "-n",
            "-T",
            "fields",
            "-e",
            "frame.number",
            "-e",
            "frame.time_epoch",
            "-e",
            "frame.comment",
            "-r",
        ])
        .arg(&path)
        .stdin(Stdio::null())
        .output()
        .expect("tshark runs (apt-get install tshark, or HANDSHAKE_VIZ_SKIP_ORACLE=1)");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| !l.starts_with("Running as user"))
        .collect();
    assert!(out.status.success(), "{stderr}");
    assert!(warnings.is_empty(), "tshark warned: {warnings:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(lines[0].starts_with("1\t1700000000.000001000\thandshake-viz/1 app 1700000000.000000005 client called sendto {\"Sending\":{\"data\":{\"len\":5,\"text\":\"hello\"}"), "{}", lines[0]);
    assert!(lines[1].starts_with("2\t1700000000.000003000\thandshake-viz/1 app 1700000000.000002000 server returned recvfrom {\"Received\":{\"data\":{\"len\":"), "{}", lines[1]);
}

#[test]
fn a_file_cut_anywhere_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.pcapng");
    write_sample(&path);
    let bytes = std::fs::read(&path).unwrap();
    let full = parse_events(&bytes).events;
    assert_eq!(full.len(), 5);
    let mut boundaries = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        at += u32::from_le_bytes(bytes[at + 4..at + 8].try_into().unwrap()) as usize;
        boundaries.push(at);
    }
    for cut in 1..bytes.len() {
        let read = parse_events(&bytes[..cut]);
        // What a cut file yields is what the whole file starts with; the calls stored in the
        // final statistics block need the end of the file.
        assert!(read.events.len() <= 3, "cut at {cut}");
        assert_eq!(read.events[..], full[..read.events.len()], "cut at {cut}");
        assert_eq!(
            read.problem.is_none(),
            boundaries.contains(&cut),
            "cut at {cut}"
        );
    }
    // Every single-byte corruption, and some wild lengths.
    let mut seed = 0x1234_5678_u64;
    for i in 0..bytes.len() {
        for value in [0u8, 0xff, 0x80, 0x7f] {
            let mut bad = bytes.clone();
            bad[i] = value;
            let _ = parse_events(&bad);
        }
        seed = crate::demo::relay::splitmix64(seed);
        let mut bad = bytes.clone();
        bad[i] ^= seed as u8;
        let _ = parse_events(&bad);
    }
    assert_eq!(parse_events(b"").events.len(), 0);
    assert!(
        parse_events(b"\x0a\x0d\x0d\x0a\xff\xff\xff\xff")
            .problem
            .is_some()
    );
    assert!(
        parse_events(&[0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0])
            .problem
            .is_some()
    );
}

#[test]
fn unreadable_and_foreign_files_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.pcapng");
    assert!(matches!(read_events(&missing), Err(Error::OpenFile { .. })));
    let garbage = dir.path().join("garbage.pcapng");
    std::fs::write(&garbage, b"not a capture at all").unwrap();
    assert!(matches!(read_events(&garbage), Err(Error::OpenFile { .. })));
}

#[test]
fn big_endian_sections_are_read_too() {
    // SHB (big-endian) + IDB + EPB carrying one comment, built by hand.
    fn block(kind: u32, body: &[u8]) -> Vec<u8> {
        let len = (12 + body.len()) as u32;
        [
            &kind.to_be_bytes()[..],
            &len.to_be_bytes(),
            body,
            &len.to_be_bytes(),
        ]
        .concat()
    }
    let text = encode_event(&sample_events()[0]);
    let mut opt = Vec::new();
    opt.extend_from_slice(&1u16.to_be_bytes());
    opt.extend_from_slice(&(text.len() as u16).to_be_bytes());
    opt.extend_from_slice(text.as_bytes());
    opt.resize(opt.len() + (4 - text.len() % 4) % 4, 0);
    opt.extend_from_slice(&[0, 0, 0, 0]);
    let shb = [&0x1A2B_3C4Du32.to_be_bytes()[..], &[0, 1, 0, 0], &[0xff; 8]].concat();
    let idb = [&1u16.to_be_bytes()[..], &[0, 0], &0u32.to_be_bytes()].concat();
    let epb = [
        &[0u8; 12][..],
        &4u32.to_be_bytes(),
        &4u32.to_be_bytes(),
        b"abcd",
        &opt,
    ]
    .concat();
    let file = [block(SHB, &shb), block(1, &idb), block(EPB, &epb)].concat();
    let read = parse_events(&file);
    assert_eq!(read.problem, None);
    assert_eq!(read.events.len(), 1);
    assert_eq!(read.events[0].event, sample_events()[0]);
}
