//! Interrupted captures keep what they showed: 50 runs of `live lo --write F --json` during a
//! busy loopback transfer, each stopped by SIGINT or SIGTERM at a random (seeded) moment. Every
//! run must exit cleanly, leave a file tshark reads without complaint, and that file must hold
//! every packet the output showed.
//!
//! Root in CI; HANDSHAKE_VIZ_SKIP_LIVE=1 skips it. Without tshark
//! (HANDSHAKE_VIZ_SKIP_ORACLE=1) the file is checked with libpcap instead.

mod common;
#[path = "support/gates.rs"]
mod gates;

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use common::{bin, env_flag};

const RUNS: u64 = 50;
/// The transfer stops by itself after this long, signal or not.
const TRANSFER_LIMIT: Duration = Duration::from_secs(4);

/// A packet as both the JSON output and the file can name it: capture time in nanoseconds
/// since the epoch, length on the wire, raw sequence and acknowledgment numbers.
type Key = (u128, u64, u64, u64);

/// A small deterministic generator (xorshift64*), so a failing run can be repeated.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

/// A bounded loopback transfer on a fresh port: the client writes 1 KiB chunks (about 2 MB/s)
/// and the server echoes a few bytes back, until `stop` or the time limit.
struct Transfer {
    port: u16,
    stop: Arc<AtomicBool>,
    threads: Vec<thread::JoinHandle<()>>,
}

impl Transfer {
    fn start() -> Transfer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let server = thread::spawn(move || {
            let Ok((mut conn, _)) = listener.accept() else {
                return;
            };
            conn.set_read_timeout(Some(Duration::from_millis(200))).ok();
            let mut buf = [0u8; 65536];
            let started = Instant::now();
            while started.elapsed() < TRANSFER_LIMIT + Duration::from_secs(1) {
                match conn.read(&mut buf) {
                    Ok(0) => break,
                    Ok(_) => {
                        let _ = conn.write_all(b"ok");
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                    Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {}
                    Err(_) => break,
                }
            }
        });
        let client_stop = stop.clone();
        let client = thread::spawn(move || {
            // Give the capture a moment to open; packets before it are simply not shown.
            thread::sleep(Duration::from_millis(60));
            let Ok(mut conn) = TcpStream::connect(("127.0.0.1", port)) else {
                return;
            };
            let chunk = [b'x'; 1024];
            let started = Instant::now();
            while !client_stop.load(Ordering::Relaxed) && started.elapsed() < TRANSFER_LIMIT {
                if conn.write_all(&chunk).is_err() {
                    break;
                }
                thread::sleep(Duration::from_micros(500));
            }
        });
        Transfer {
            port,
            stop,
            threads: vec![server, client],
        }
    }

    fn finish(self) {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.threads {
            t.join().unwrap();
        }
    }
}

/// The packets the JSON output showed.
fn shown(stdout: &str) -> Vec<Key> {
    stdout
        .lines()
        .filter(|l| l.starts_with("{\"type\":\"packet\""))
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            // The time as written, every digit (a float would round nanoseconds).
            let ts = line["{\"type\":\"packet\",".len()..]
                .split_once("\"ts\":")
                .and_then(|(_, rest)| rest.split(',').next())
                .unwrap();
            (
                nanos(ts),
                v["wire_len"].as_u64().unwrap(),
                v["seq_raw"].as_u64().unwrap_or(0),
                v["ack_raw"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

/// "1795316086.936334123" as nanoseconds.
fn nanos(text: &str) -> u128 {
    let (secs, frac) = text.split_once('.').unwrap_or((text, ""));
    let frac = format!("{frac:0<9}");
    secs.parse::<u128>().unwrap() * 1_000_000_000 + frac[..9].parse::<u128>().unwrap()
}

/// The packets in the file, read by tshark (which must not complain), else by libpcap.
fn in_file(path: &Path) -> Vec<Key> {
    if env_flag("HANDSHAKE_VIZ_SKIP_ORACLE") {
        let mut cap = pcap::Capture::from_file_with_precision(path, pcap::Precision::Nano).unwrap();
        let mut keys = Vec::new();
        loop {
            match cap.next_packet() {
                Ok(p) => {
                    let ts = p.header.ts;
                    let t = ts.tv_sec as u128 * 1_000_000_000 + ts.tv_usec as u128;
                    let d = p.data;
                    let (seq, ack) = (
                        u32::from_be_bytes(d[38..42].try_into().unwrap()),
                        u32::from_be_bytes(d[42..46].try_into().unwrap()),
                    );
                    keys.push((t, u64::from(p.header.len), seq.into(), ack.into()));
                }
                Err(pcap::Error::NoMorePackets) => break,
                Err(e) => panic!("{}: {e}", path.display()),
            }
        }
        return keys;
    }
    let out = Command::new("tshark")
        .args(["-n", "-r"])
        .arg(path)
        .args(["-T", "fields", "-E", "separator=,"])
        .args(["-e", "frame.time_epoch", "-e", "frame.len"])
        .args(["-e", "tcp.seq_raw", "-e", "tcp.ack_raw"])
        .output()
        .expect("run tshark (apt-get install tshark, or HANDSHAKE_VIZ_SKIP_ORACLE=1)");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let complaints: Vec<&str> = stderr
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with("Running as user"))
        .collect();
    assert!(
        out.status.success() && complaints.is_empty(),
        "tshark on {}: {} {stderr}",
        path.display(),
        out.status
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            let num = |s: &str| s.parse::<u64>().unwrap_or(0);
            (nanos(f[0]), num(f[1]), num(f[2]), num(f[3]))
        })
        .collect()
}

#[test]
fn interrupted_captures_keep_every_packet_shown() {
    if !gates::live_enabled() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(0x5eed_1e55_0bad_cafe);
    let mut total_shown = 0;
    for run in 0..RUNS {
        let (signal, name) = if rng.next().is_multiple_of(2) {
            (libc::SIGINT, "SIGINT")
        } else {
            (libc::SIGTERM, "SIGTERM")
        };
        let delay = Duration::from_millis(150 + rng.next() % 1100);
        let path = dir.path().join(format!("run-{run}.pcap"));
        let transfer = Transfer::start();
        let filter = format!("tcp port {}", transfer.port);
        let mut child = Command::new(bin())
            .args([
                "live",
                "lo",
                "--filter",
                &filter,
                "--json",
                "--no-summary",
                "--write",
            ])
            .arg(&path)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Read the output while it runs, so a full pipe never holds the capture up.
        let stdout = read_all(child.stdout.take().unwrap());
        let stderr = read_all(child.stderr.take().unwrap());
        thread::sleep(delay);
        // SAFETY: kill(2) on our own child's pid.
        unsafe { libc::kill(child.id() as i32, signal) };
        let status = common::wait_bounded(&mut child, Duration::from_secs(15));
        transfer.finish();
        let stdout = String::from_utf8(stdout.join().unwrap()).unwrap();
        let stderr = String::from_utf8_lossy(&stderr.join().unwrap()).into_owned();
        assert!(
            status.success(),
            "run {run}: {name} after {delay:?}: {status} {stderr}"
        );
        let shown = shown(&stdout);
        let mut file: HashMap<Key, usize> = HashMap::new();
        for key in in_file(&path) {
            *file.entry(key).or_default() += 1;
        }
        for key in &shown {
            let left = file.get_mut(key).filter(|n| **n > 0).unwrap_or_else(|| {
                panic!("run {run}: {name} after {delay:?}: packet {key:?} shown but not written")
            });
            *left -= 1;
        }
        total_shown += shown.len();
    }
    assert!(
        total_shown > (RUNS as usize) * 20,
        "the runs showed only {total_shown} packets: the transfer did not run"
    );
}

/// Everything `pipe` gives until it closes, read on a thread.
fn read_all(mut pipe: impl Read + Send + 'static) -> thread::JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = pipe.read_to_end(&mut buf);
        buf
    })
}
