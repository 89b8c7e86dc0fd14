//! What each stage of `read`'s pass costs on one thread, on a given capture: reading the
//! records, reading and decoding them, and reading, decoding and following them (the
//! tracker and Wireshark's analysis, as `--summary-only` runs it, without writing).
//! The differences are the floors of each stage, free of what handing frames from one core
//! to the other costs; `bench/compare.sh` measures the whole command.
//!
//! `cargo run --release --example pass_stages -- CAPTURE [RUNS]` prints, for each stage, the
//! median of RUNS passes (5 by default), run interleaved.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use handshake_viz::capture::{FileSource, Frame};
use handshake_viz::decode::{decode, decode_into};
use handshake_viz::flow::{Observation, Tracker};

/// How far a pass goes with each frame.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    Read,
    Decode,
    Follow,
}

impl Stage {
    const ALL: [Stage; 3] = [Stage::Read, Stage::Decode, Stage::Follow];

    fn name(self) -> &'static str {
        match self {
            Stage::Read => "read",
            Stage::Decode => "read+decode",
            Stage::Follow => "read+decode+follow",
        }
    }
}

/// One pass over the capture: its time and the frames it saw.
fn pass(path: &str, stage: Stage) -> handshake_viz::Result<(Duration, u64)> {
    let start = Instant::now();
    let mut source = FileSource::open(path)?;
    let mut frame = Frame::empty();
    let mut packet = decode(&frame);
    let mut tracker = Tracker::new();
    tracker.set_packet_details(false);
    let mut obs = Observation::blank();
    let mut frames = 0u64;
    let mut ended = 0usize;
    while source.next_into(&mut frame)? {
        frames += 1;
        if stage == Stage::Read {
            continue;
        }
        decode_into(&frame, &mut packet);
        if stage == Stage::Decode {
            continue;
        }
        tracker.ingest_into(&frame, &packet, &mut obs);
        if tracker.has_ended() {
            ended += tracker.take_ended().count();
        }
    }
    tracker.finish();
    ended += tracker.take_ended().count();
    std::hint::black_box(ended);
    Ok((start.elapsed(), frames))
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: pass_stages CAPTURE [RUNS]");
        return ExitCode::from(2);
    };
    let runs = match args.get(1).map(|r| r.parse::<usize>()) {
        None => 5,
        Some(Ok(n)) if n > 0 => n,
        Some(_) => {
            eprintln!("pass_stages: RUNS must be a positive number");
            return ExitCode::from(2);
        }
    };
    let mut times = vec![Vec::with_capacity(runs); Stage::ALL.len()];
    let mut frames = 0;
    for _ in 0..runs {
        for (i, stage) in Stage::ALL.into_iter().enumerate() {
            match pass(path, stage) {
                Ok((took, seen)) => {
                    times[i].push(took);
                    frames = seen;
                }
                Err(e) => {
                    eprintln!("pass_stages: {e}");
                    return ExitCode::from(1);
                }
            }
        }
    }
    println!("capture: {path} ({frames} frames); one thread, median of {runs} runs");
    println!(
        "{:<20} {:>9} {:>13} {:>13}",
        "stage", "median_s", "ns_per_frame", "step_s"
    );
    let mut before = Duration::ZERO;
    for (stage, times) in Stage::ALL.into_iter().zip(&mut times) {
        let m = median(times);
        let per_frame = m.as_nanos() as f64 / frames.max(1) as f64;
        let step = m.saturating_sub(before);
        println!(
            "{:<20} {:>9.3} {:>13.1} {:>13.3}",
            stage.name(),
            m.as_secs_f64(),
            per_frame,
            step.as_secs_f64()
        );
        before = m;
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stage_sees_every_frame_of_a_fixture() {
        for stage in Stage::ALL {
            let (_, frames) = pass("fixtures/tcp-echo.pcap", stage).unwrap();
            assert_eq!(frames, 10, "{}", stage.name());
        }
        assert!(pass("fixtures/no-such.pcap", Stage::Read).is_err());
    }
}
