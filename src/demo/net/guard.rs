//! Cleanup of named namespaces on every path.
//!
//! * Normal end, Ctrl-C, SIGTERM: the binary's handler only sets a stop flag, the demo returns
//!   and [`super::NetLab`]'s `Drop` asks the guard to remove everything now and waits for it.
//! * SIGKILL, `process::exit`, a panic that aborts: the guard process sees its pipe close and
//!   removes the namespaces it was told about.
//! * Guard killed too (e.g. `kill -9` of both): the next run's [`cleanup_stale`] removes every
//!   namespace with the prefix whose creating pid is dead.
//!
//! The guard is a child forked by [`Guard::start`] before the namespaces exist. It keeps root
//! when the main process drops its privileges, holds no descriptor of the parent except its
//! pipe, ignores terminal signals and leaves the terminal's process group.

use std::ffi::CString;
use std::io::Write;
use std::path::Path;
use std::time::Duration;

use super::{NETNS_DIR, NetError, sys};

/// How long [`Guard::finish`] waits for the guard to remove the namespaces.
pub const GUARD_TIMEOUT: Duration = Duration::from_secs(5);

/// The cleanup guard process of one set of namespaces.
#[derive(Debug)]
pub struct Guard {
    pid: i32,
    pipe: Option<std::fs::File>,
    sent: usize,
    names: Vec<String>,
}

impl Guard {
    /// Forks the guard. Call it before creating anything it must remove.
    pub fn start() -> Result<Guard, NetError> {
        let (pid, pipe) = sys::fork_guard().map_err(|e| NetError::Guard(e.to_string()))?;
        Ok(Guard {
            pid,
            pipe: Some(std::fs::File::from(pipe)),
            sent: 0,
            names: Vec::new(),
        })
    }

    /// The guard's process id.
    pub fn pid(&self) -> i32 {
        self.pid
    }

    /// Registers namespace `name` (created next): the guard removes it when told or orphaned.
    pub fn watch(&mut self, name: &str) -> Result<(), NetError> {
        let line = format!("{name}\n");
        if self.sent + line.len() + 2 > sys::GUARD_BUFFER {
            return Err(NetError::Guard("too many namespaces for one guard".into()));
        }
        let pipe = self
            .pipe
            .as_mut()
            .ok_or_else(|| NetError::Guard("the guard has finished".into()))?;
        pipe.write_all(line.as_bytes())
            .map_err(|e| NetError::Guard(format!("the guard does not listen: {e}")))?;
        self.sent += line.len();
        self.names.push(name.to_string());
        Ok(())
    }

    /// Tells the guard to remove its namespaces now, waits up to [`GUARD_TIMEOUT`] for it,
    /// and checks that they are gone. Falls back to removing them here (which needs root).
    pub fn finish(&mut self) -> Result<(), NetError> {
        let Some(mut pipe) = self.pipe.take() else {
            return Ok(());
        };
        let told = pipe.write_all(b"!\n").is_ok();
        drop(pipe);
        let exited = sys::wait_child(self.pid, if told { GUARD_TIMEOUT } else { Duration::ZERO });
        if !exited {
            // A guard that does not answer is stopped; the namespaces are removed here.
            sys::kill_pid(self.pid);
            sys::wait_child(self.pid, Duration::from_millis(200));
        }
        let mut failed = Vec::new();
        for name in &self.names {
            let path = Path::new(NETNS_DIR).join(name);
            if path.exists()
                && let Err(e) = remove_named(name)
            {
                failed.push(format!("{name}: {e}"));
            }
        }
        if failed.is_empty() {
            Ok(())
        } else {
            Err(NetError::Cleanup(failed.join("; ")))
        }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.finish();
    }
}

/// Removes the named namespace `/run/netns/NAME` (its links go when nothing uses it any more).
pub fn remove_named(name: &str) -> Result<(), NetError> {
    super::check_name(name)?;
    let path = CString::new(format!("{NETNS_DIR}/{name}"))
        .map_err(|_| NetError::InvalidName(name.into()))?;
    sys::remove_netns_file(&path).map_err(|e| NetError::Cleanup(format!("{name}: {e}")))
}

/// The pid encoded in a namespace name made with `prefix`: `{prefix}{pid}-...`.
pub fn owner_pid(prefix: &str, name: &str) -> Option<i32> {
    let rest = name.strip_prefix(prefix)?;
    let (digits, _) = rest.split_once('-')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Named namespaces (in `/run/netns`) whose names start with `prefix` and encode a pid.
pub fn list_namespaces(prefix: &str) -> Vec<String> {
    let Ok(dir) = std::fs::read_dir(NETNS_DIR) else {
        return Vec::new();
    };
    let mut names: Vec<String> = dir
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| owner_pid(prefix, n).is_some())
        .collect();
    names.sort();
    names
}

/// Removes the namespaces with `prefix` left by runs whose process is gone (killed before its
/// guard could act, or with its guard). Returns the names removed; namespaces of live
/// processes are left alone.
pub fn cleanup_stale(prefix: &str) -> Result<Vec<String>, NetError> {
    let mut removed = Vec::new();
    let mut failed = Vec::new();
    for name in list_namespaces(prefix) {
        let Some(pid) = owner_pid(prefix, &name) else {
            continue;
        };
        if sys::pid_alive(pid) {
            continue;
        }
        match remove_named(&name) {
            Ok(()) => removed.push(name),
            Err(e) => failed.push(e.to_string()),
        }
    }
    if failed.is_empty() {
        Ok(removed)
    } else {
        Err(NetError::Cleanup(failed.join("; ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_pid_parses_only_our_names() {
        assert_eq!(owner_pid("hvz", "hvz1234-0a"), Some(1234));
        assert_eq!(owner_pid("hvz", "hvz-0a"), None);
        assert_eq!(owner_pid("hvz", "hvzx12-0a"), None);
        assert_eq!(owner_pid("hvz", "hvb-cli"), None);
        assert_eq!(owner_pid("hvz", "hvz12"), None);
        assert_eq!(owner_pid("hvd", "hvz12-a"), None);
    }
}
