//! The per-packet hot path, one step at a time: decode a frame, follow it in the tracker,
//! write its timeline line, write its JSON record. Frames come from fixtures/tcp-echo.pcap
//! (a handshake, data both ways, the close). `cargo bench` shows regressions in review; speed
//! is never checked by tests.

use std::hint::black_box;
use std::io;

use criterion::{Criterion, criterion_group, criterion_main};
use handshake_viz::capture::{FileSource, Frame};
use handshake_viz::config::ViewConfig;
use handshake_viz::decode::{Packet, decode, decode_into};
use handshake_viz::flow::{Observation, Tracker};
use handshake_viz::render::json::JsonPrinter;
use handshake_viz::render::timeline::TimelineWriter;
use handshake_viz::render::{Printer, Shown};
use handshake_viz::time::Precision;

fn frames() -> Vec<Frame> {
    let mut source = FileSource::open("fixtures/tcp-echo.pcap").expect("fixture");
    let mut frames = Vec::new();
    let mut frame = Frame::empty();
    while source.next_into(&mut frame).expect("readable") {
        frames.push(frame.clone());
    }
    frames
}

/// Every frame decoded and followed, for the printers.
fn analyzed(frames: &[Frame]) -> Vec<(Packet, Observation)> {
    let mut tracker = Tracker::new();
    frames
        .iter()
        .map(|f| {
            let packet = decode(f);
            let obs = tracker.ingest(f, &packet);
            (packet, obs)
        })
        .collect()
}

fn hot_path(c: &mut Criterion) {
    let frames = frames();
    let data = &frames[3]; // 5 bytes of data from the client
    c.bench_function("decode one frame", |b| {
        let mut packet = decode(data);
        b.iter(|| decode_into(black_box(data), &mut packet));
    });
    c.bench_function("track one connection (10 packets)", |b| {
        let packets: Vec<Packet> = frames.iter().map(decode).collect();
        let mut obs = Observation::blank();
        b.iter(|| {
            let mut tracker = Tracker::new();
            for (f, p) in frames.iter().zip(&packets) {
                tracker.ingest_into(f, p, &mut obs);
            }
            black_box(&obs);
        });
    });
    let analyzed = analyzed(&frames);
    let (packet, obs) = &analyzed[3];
    let shown = Shown {
        frame: data,
        packet,
        obs,
    };
    let cfg = ViewConfig::default();
    c.bench_function("timeline line", |b| {
        let mut writer = TimelineWriter::new(&cfg, Precision::Micro);
        let mut out = io::sink();
        b.iter(|| writer.write_packet(&mut out, black_box(&shown)).unwrap());
    });
    c.bench_function("JSON line", |b| {
        let json = ViewConfig {
            json: true,
            ..ViewConfig::default()
        };
        let mut printer = JsonPrinter::new(&json, Box::new(io::sink()));
        b.iter(|| printer.packet(black_box(&shown)).unwrap());
    });
}

criterion_group!(benches, hot_path);
criterion_main!(benches);
