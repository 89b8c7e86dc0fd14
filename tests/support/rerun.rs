//! This test binary run again as a child process for one of its ignored tests, the wait for
//! the line on which that test says it is ready, and the end of the child by SIGKILL.

#![allow(dead_code)] // each including crate uses a different subset

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// Runs this test binary again for the ignored test `test` alone, with the variable `env` set
/// to 1 and the libtest arguments `extra`, and waits up to 20 s for a line of its stdout that
/// holds "READY". Returns the child and what follows "READY" on that line; when no such line
/// comes, kills the child and panics with `never`.
pub fn start_until_ready(test: &str, env: &str, extra: &[&str], never: &str) -> (Child, String) {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", test, "--ignored", "--nocapture"])
        .args(extra)
        .env(env, "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            // libtest prints "test NAME ... " on the same line first.
            if let Some(at) = line.find("READY") {
                let _ = tx.send(line[at + "READY".len()..].to_string());
            }
        }
    });
    let Ok(rest) = rx.recv_timeout(Duration::from_secs(20)) else {
        let _ = child.kill();
        panic!("{never}");
    };
    (child, rest)
}

/// Kills the processes `guards` and then `child` with SIGKILL, and reaps `child`.
pub fn kill_with_guards(child: &mut Child, guards: &[i32]) {
    for guard in guards {
        Command::new("kill")
            .args(["-KILL", &guard.to_string()])
            .status()
            .unwrap();
    }
    child.kill().unwrap();
    child.wait().unwrap();
}
