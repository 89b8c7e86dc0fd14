//! Code shared by the integration tests that run external programs:
//! bounded child processes, the corpus location, and a small work pool.

#![allow(dead_code)] // each test binary uses a different subset

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// Time limit for every run of our binary or of tshark on one file.
pub const RUN_TIMEOUT: Duration = Duration::from_secs(20);

/// The binary under test.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_handshake-viz")
}

pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn env_flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| v == "1")
}

/// What a bounded run produced.
pub struct Run {
    pub status: Option<ExitStatus>,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub timed_out: bool,
    pub elapsed: Duration,
}

impl Run {
    pub fn code(&self) -> Option<i32> {
        self.status.and_then(|s| s.code())
    }

    pub fn signal(&self) -> Option<i32> {
        use std::os::unix::process::ExitStatusExt;
        self.status.and_then(|s| s.signal())
    }

    pub fn stderr_text(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }
}

fn drain<R: Read + Send + 'static>(pipe: Option<R>) -> thread::JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(mut p) = pipe {
            let _ = p.read_to_end(&mut buf);
        }
        buf
    })
}

/// Run `cmd` with stdin closed, collecting stdout (unless `keep_stdout` is
/// false: then it goes to a sink) and stderr. The child is killed once
/// `timeout` has passed.
pub fn run_bounded(mut cmd: Command, timeout: Duration, keep_stdout: bool) -> std::io::Result<Run> {
    cmd.stdin(Stdio::null()).stderr(Stdio::piped());
    cmd.stdout(if keep_stdout {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    // Own process group, so that a timeout also ends anything it started
    // (a stray grandchild would otherwise keep the pipes open).
    cmd.process_group(0);
    let start = Instant::now();
    let mut child: Child = cmd.spawn()?;
    let out = drain(child.stdout.take());
    let err = drain(child.stderr.take());
    let mut timed_out = false;
    let mut nap = Duration::from_millis(1);
    let status = loop {
        if let Some(s) = child.try_wait()? {
            break Some(s);
        }
        if start.elapsed() >= timeout {
            timed_out = true;
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", child.id())])
                .stderr(Stdio::null())
                .status();
            let _ = child.kill();
            break child.wait().ok();
        }
        thread::sleep(nap);
        nap = (nap * 2).min(Duration::from_millis(20));
    };
    let elapsed = start.elapsed();
    Ok(Run {
        status,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
        timed_out,
        elapsed,
    })
}

/// `../shared/corpus/tcpdump-tests` next to the manifest directory.
/// `None` (after printing why) when it is missing and
/// HANDSHAKE_VIZ_SKIP_CORPUS=1; a panic with instructions otherwise.
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = manifest_dir().join("../shared/corpus/tcpdump-tests");
    if dir.is_dir() {
        return Some(dir.canonicalize().unwrap_or(dir));
    }
    if env_flag("HANDSHAKE_VIZ_SKIP_CORPUS") {
        eprintln!(
            "corpus {} not found; skipped because HANDSHAKE_VIZ_SKIP_CORPUS=1",
            dir.display()
        );
        return None;
    }
    panic!(
        "the robustness corpus is missing: expected the tcpdump test captures in {}\n\
         (copy tcpdump's tests/*.pcap and tests/*.pcapng there, \
         or set HANDSHAKE_VIZ_SKIP_CORPUS=1 to skip this test)",
        dir.display()
    );
}

/// Every regular file directly inside `dir`, sorted by name.
pub fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

pub fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.display().to_string())
}

/// Number of worker threads: the machine's parallelism, between 2 and 4.
pub fn workers() -> usize {
    thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(2, 4)
}

/// Apply `f` to every item on `workers()` threads; results keep input order.
pub fn par_map<T, R, F>(items: &[T], f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    thread::scope(|s| {
        for _ in 0..workers() {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= items.len() {
                        break;
                    }
                    let r = f(&items[i]);
                    results.lock().unwrap()[i] = Some(r);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap()
        .into_iter()
        .map(|r| r.expect("every item was processed"))
        .collect()
}

/// Waits for `child`, killing it and failing when it has not ended within `limit`.
pub fn wait_bounded(
    child: &mut std::process::Child,
    limit: std::time::Duration,
) -> std::process::ExitStatus {
    let started = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if started.elapsed() > limit {
            child.kill().ok();
            panic!("the process did not end within {limit:?}");
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}
