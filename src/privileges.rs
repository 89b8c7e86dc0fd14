//! Root only where it is needed, like `tcpdump -Z`: once the capture is open and filtered (and
//! a demo has built what needs root), the process becomes an ordinary user before it parses a
//! single packet. Under sudo that is the invoking user (`SUDO_UID`/`SUDO_GID`), else `nobody`,
//! or whoever `--user` names; files the capture writes are given to the invoking user.
//!
//! Changing the user ids from root clears every capability of every thread (glibc applies the
//! change to all threads). A process that is not root but holds capabilities (a binary given
//! `cap_net_raw` with setcap) clears them from the thread that parses.

use std::ffi::{CStr, CString};
use std::path::{Path, PathBuf};

/// A user to run as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Login name (or the uid as text when it has none).
    pub name: String,
    /// User id.
    pub uid: u32,
    /// Primary group id.
    pub gid: u32,
}

/// What went wrong while choosing or becoming the unprivileged user.
#[derive(Debug, thiserror::Error)]
pub enum PrivilegeError {
    /// `--user NAME` names no account.
    #[error("--user {0}: no such user")]
    NoSuchUser(String),
    /// A system call that gives up privileges failed.
    #[error("cannot drop root privileges to user {user}: {call} failed: {reason}")]
    Drop {
        user: String,
        call: &'static str,
        reason: String,
    },
    /// Giving a written file to the invoking user failed.
    #[error("{path}: cannot give the file to user {user}: {reason}")]
    Chown {
        path: PathBuf,
        user: String,
        reason: String,
    },
}

/// The plan made before capturing: whom to become, and who gets the files written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrivilegePlan {
    /// The user to become; None when the process is not root or `--user root` keeps root.
    pub become_user: Option<Account>,
    /// The user who ran sudo, who owns the files written.
    pub invoker: Option<Account>,
    /// Files this run creates (`--write`, `--svg`, `--html`), given to the invoker.
    pub outputs: Vec<PathBuf>,
}

impl PrivilegePlan {
    /// The plan for this process: `user` from `--user`, else the sudo invoker, else
    /// `nobody`. `env` gives environment variables (SUDO_UID, SUDO_GID, SUDO_USER).
    pub fn new(
        user: Option<&str>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<PrivilegePlan, PrivilegeError> {
        let invoker = sudo_invoker(env);
        // SAFETY: geteuid cannot fail.
        if unsafe { libc::geteuid() } != 0 {
            return Ok(PrivilegePlan::default());
        }
        let become_user = match user {
            Some(name) => {
                Some(lookup(name).ok_or_else(|| PrivilegeError::NoSuchUser(name.into()))?)
            }
            None => invoker
                .clone()
                .or_else(|| lookup("nobody"))
                .or(Some(Account {
                    name: "65534".into(),
                    uid: 65534,
                    gid: 65534,
                })),
        }
        .filter(|a| a.uid != 0);
        Ok(PrivilegePlan {
            become_user,
            invoker,
            outputs: Vec::new(),
        })
    }

    /// Gives the outputs to the invoker, then becomes the unprivileged user (or, when not
    /// root, clears this thread's capabilities). Returns the user now running, if it changed.
    pub fn apply(&self) -> Result<Option<&Account>, PrivilegeError> {
        if let Some(invoker) = &self.invoker {
            for path in self.outputs.iter().filter(|p| p.exists()) {
                chown(path, invoker)?;
            }
        }
        match &self.become_user {
            Some(account) => {
                become_user(account)?;
                Ok(Some(account))
            }
            None => {
                // SAFETY: geteuid cannot fail.
                if unsafe { libc::geteuid() } != 0 {
                    clear_thread_capabilities();
                }
                Ok(None)
            }
        }
    }
}

/// The user who ran sudo, from SUDO_UID and SUDO_GID (not root).
fn sudo_invoker(env: &dyn Fn(&str) -> Option<String>) -> Option<Account> {
    let uid: u32 = env("SUDO_UID")?.trim().parse().ok()?;
    let gid: u32 = env("SUDO_GID")?.trim().parse().ok()?;
    (uid != 0).then(|| Account {
        name: env("SUDO_USER").unwrap_or_else(|| uid.to_string()),
        uid,
        gid,
    })
}

/// The account called `name` (or with that numeric uid).
fn lookup(name: &str) -> Option<Account> {
    let c_name = CString::new(name).ok()?;
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut buf = vec![0 as libc::c_char; 16 * 1024];
    let mut found: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: getpwnam_r writes into pwd and buf, which outlive the call.
    let rc = unsafe {
        libc::getpwnam_r(
            c_name.as_ptr(),
            &mut pwd,
            buf.as_mut_ptr(),
            buf.len(),
            &mut found,
        )
    };
    if rc == 0 && !found.is_null() {
        // SAFETY: on success pw_name points into buf, NUL-terminated.
        let name = unsafe { CStr::from_ptr(pwd.pw_name) }
            .to_string_lossy()
            .into_owned();
        return Some(Account {
            name,
            uid: pwd.pw_uid,
            gid: pwd.pw_gid,
        });
    }
    let uid: u32 = name.parse().ok()?;
    Some(Account {
        name: name.into(),
        uid,
        gid: uid,
    })
}

fn chown(path: &Path, to: &Account) -> Result<(), PrivilegeError> {
    std::os::unix::fs::chown(path, Some(to.uid), Some(to.gid)).map_err(|e| PrivilegeError::Chown {
        path: path.to_path_buf(),
        user: to.name.clone(),
        reason: e.to_string(),
    })
}

/// Sets the groups, group ids and user ids of every thread to `account`'s, then checks that
/// no id is 0 any more.
fn become_user(account: &Account) -> Result<(), PrivilegeError> {
    let fail = |call: &'static str| PrivilegeError::Drop {
        user: account.name.clone(),
        call,
        reason: std::io::Error::last_os_error().to_string(),
    };
    let gid = account.gid;
    // SAFETY: plain system calls with valid arguments; glibc applies them to every thread.
    unsafe {
        if libc::setgroups(1, &gid) != 0 {
            return Err(fail("setgroups"));
        }
        if libc::setresgid(gid, gid, gid) != 0 {
            return Err(fail("setresgid"));
        }
        if libc::setresuid(account.uid, account.uid, account.uid) != 0 {
            return Err(fail("setresuid"));
        }
        // Nothing this process runs from now on may gain privileges again.
        libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    }
    let (mut r, mut e, mut s) = (0, 0, 0);
    // SAFETY: getresuid writes three ids.
    unsafe { libc::getresuid(&mut r, &mut e, &mut s) };
    if r == 0 || e == 0 || s == 0 {
        return Err(PrivilegeError::Drop {
            user: account.name.clone(),
            call: "setresuid",
            reason: "a user id is still 0".into(),
        });
    }
    Ok(())
}

/// Version 3 of the capability interface (64-bit sets in two words).
const CAPABILITY_V3: u32 = 0x2008_0522;

#[repr(C)]
struct CapHeader {
    version: u32,
    pid: i32,
}

#[repr(C)]
#[derive(Clone, Copy, Default)]
struct CapData {
    effective: u32,
    permitted: u32,
    inheritable: u32,
}

/// Clears the effective, permitted and inheritable capabilities of the calling thread.
fn clear_thread_capabilities() {
    let mut header = CapHeader {
        version: CAPABILITY_V3,
        pid: 0,
    };
    let data = [CapData::default(); 2];
    // SAFETY: capset reads a v3 header and two data words.
    unsafe { libc::syscall(libc::SYS_capset, &mut header, data.as_ptr()) };
}

/// The effective capabilities of the calling thread, as a bit set.
pub fn effective_capabilities() -> u64 {
    let mut header = CapHeader {
        version: CAPABILITY_V3,
        pid: 0,
    };
    let mut data = [CapData::default(); 2];
    // SAFETY: capget writes two data words for a v3 header.
    let rc = unsafe { libc::syscall(libc::SYS_capget, &mut header, data.as_mut_ptr()) };
    if rc != 0 {
        return 0;
    }
    u64::from(data[0].effective) | (u64::from(data[1].effective) << 32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn the_sudo_invoker_comes_from_the_environment() {
        let env = env_of(&[
            ("SUDO_UID", "1000"),
            ("SUDO_GID", "1001"),
            ("SUDO_USER", "ana"),
        ]);
        assert_eq!(
            sudo_invoker(&env),
            Some(Account {
                name: "ana".into(),
                uid: 1000,
                gid: 1001
            })
        );
        assert_eq!(
            sudo_invoker(&env_of(&[("SUDO_UID", "0"), ("SUDO_GID", "0")])),
            None
        );
        assert_eq!(sudo_invoker(&env_of(&[])), None);
    }

    #[test]
    fn accounts_are_found_by_name_or_number() {
        let root = lookup("root").unwrap();
        assert_eq!((root.uid, root.gid), (0, 0));
        assert_eq!(lookup("4242").map(|a| a.uid), Some(4242));
        assert_eq!(lookup("no-such-user-here"), None);
    }

    #[test]
    fn as_root_the_plan_becomes_the_invoker_or_nobody() {
        if unsafe { libc::geteuid() } != 0 {
            assert_eq!(
                PrivilegePlan::new(None, &env_of(&[])).unwrap(),
                PrivilegePlan::default()
            );
            return;
        }
        let env = env_of(&[("SUDO_UID", "1000"), ("SUDO_GID", "1000")]);
        let plan = PrivilegePlan::new(None, &env).unwrap();
        assert_eq!(plan.become_user.as_ref().map(|a| a.uid), Some(1000));
        let plan = PrivilegePlan::new(None, &env_of(&[])).unwrap();
        assert_eq!(
            plan.become_user.as_ref().map(|a| a.name.as_str()),
            Some("nobody")
        );
        let plan = PrivilegePlan::new(Some("root"), &env).unwrap();
        assert_eq!(plan.become_user, None, "--user root keeps root");
        assert!(matches!(
            PrivilegePlan::new(Some("no-such-user-here"), &env),
            Err(PrivilegeError::NoSuchUser(_))
        ));
    }
}
