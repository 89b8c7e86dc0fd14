//! Building and removing a set of namespaces and veth pairs.

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use super::spec::{LabSpec, VethEnd};
use super::{Guard, MTU, NETNS_DIR, NetError, check_name, cleanup_stale, format_mac, sys};

/// Longest wait for a new veth to get carrier.
const CARRIER_TIMEOUT: Duration = Duration::from_secs(3);

/// Interface index of the first veth end; each pair takes the next two.
const FIRST_INDEX: usize = 100;

/// Labs created by this process so far: makes names unique within one process.
static LABS: AtomicU32 = AtomicU32::new(0);

/// How long the steps took.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LabTimings {
    /// Looking for and removing stale namespaces of dead runs.
    pub stale_cleanup: Duration,
    /// Creating and configuring everything (guard included).
    pub create: Duration,
    /// Removing everything, once done.
    pub remove: Option<Duration>,
}

/// Namespaces and veth pairs that exist until this value is dropped (or the process dies:
/// the guard removes them then).
#[derive(Debug)]
pub struct NetLab {
    spec: LabSpec,
    names: Vec<(String, String)>,
    guard: Guard,
    timings: LabTimings,
    stale_removed: Vec<String>,
    offloads_off: Vec<&'static str>,
}

/// Runs `ip [-n NS] -b -` with `lines` on standard input.
fn ip_batch(ns: Option<&str>, lines: &[String]) -> Result<(), NetError> {
    let mut cmd = Command::new("ip");
    if let Some(ns) = ns {
        cmd.args(["-n", ns]);
    }
    let mut child = cmd
        .args(["-b", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| NetError::Ip(format!("cannot run ip (install iproute2): {e}")))?;
    if let Some(mut stdin) = child.stdin.take() {
        let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
        stdin
            .write_all(text.as_bytes())
            .map_err(|e| NetError::Ip(e.to_string()))?;
    }
    let out = child
        .wait_with_output()
        .map_err(|e| NetError::Ip(e.to_string()))?;
    if out.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&out.stderr)
        .trim()
        .replace('\n', "; ");
    if stderr.contains("Permission denied") || stderr.contains("Operation not permitted") {
        Err(NetError::Permission(stderr))
    } else {
        Err(NetError::Ip(stderr))
    }
}

/// Writes a sysctl file under /proc/sys/net (resolved in the calling thread's namespace).
fn write_sysctl(path: &str, value: &str) -> std::io::Result<()> {
    std::fs::write(format!("/proc/sys/net/{path}"), value)
}

/// Waits up to [`CARRIER_TIMEOUT`] until every interface in `ifnames` has carrier.
fn wait_running(ns: &str, ifnames: &[String]) -> Result<(), NetError> {
    let deadline = Instant::now() + CARRIER_TIMEOUT;
    for ifname in ifnames {
        loop {
            let running = sys::if_running(ifname).map_err(|e| NetError::Configure {
                ns: ns.into(),
                iface: ifname.clone(),
                reason: e.to_string(),
            })?;
            if running {
                break;
            }
            if Instant::now() >= deadline {
                return Err(NetError::Configure {
                    ns: ns.into(),
                    iface: ifname.clone(),
                    reason: "no carrier".into(),
                });
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    }
    Ok(())
}

impl NetLab {
    /// Removes stale namespaces of dead runs with the same prefix, starts the guard, then
    /// builds `spec`. On error everything made so far is removed again.
    pub fn create(spec: &LabSpec) -> Result<NetLab, NetError> {
        spec.validate()?;
        let started = Instant::now();
        let stale_removed = cleanup_stale(&spec.prefix)?;
        let stale_cleanup = started.elapsed();
        let started = Instant::now();
        let pid = std::process::id();
        let n = LABS.fetch_add(1, Ordering::SeqCst);
        let names: Vec<(String, String)> = spec
            .roles
            .iter()
            .map(|r| (r.clone(), format!("{}{pid}-{n}{r}", spec.prefix)))
            .collect();
        for (_, name) in &names {
            check_name(name)?;
        }
        let mut lab = NetLab {
            spec: spec.clone(),
            names,
            guard: Guard::start()?,
            timings: LabTimings {
                stale_cleanup,
                ..LabTimings::default()
            },
            stale_removed,
            offloads_off: Vec::new(),
        };
        for (_, name) in &lab.names {
            lab.guard.watch(name)?;
        }
        lab.build()?;
        lab.timings.create = started.elapsed();
        Ok(lab)
    }

    fn build(&mut self) -> Result<(), NetError> {
        let adds: Vec<String> = self
            .names
            .iter()
            .map(|(_, n)| format!("netns add {n}"))
            .collect();
        ip_batch(None, &adds)?;
        // IPv6 off before any link exists, so new links inherit it and never send DAD,
        // router solicitations or MLD reports.
        for (_, ns) in &self.names {
            super::run_in(ns, || {
                write_sysctl("ipv6/conf/all/disable_ipv6", "1")
                    .and_then(|()| write_sysctl("ipv6/conf/default/disable_ipv6", "1"))
            })?
            .map_err(|e| NetError::Configure {
                ns: ns.clone(),
                iface: "all".into(),
                reason: format!("disable_ipv6: {e}"),
            })?;
        }
        for (role, ns) in &self.names {
            // Distinct interface indexes for the two ends: the kernel applies a new carrier
            // at once only to links whose peer index differs from their own; otherwise it
            // waits up to a second (linkwatch), and frames sent meanwhile are dropped.
            let lines: Vec<String> = self
                .spec
                .links
                .iter()
                .enumerate()
                .filter(|(_, l)| &l.a.role == role)
                .map(|(i, l)| {
                    format!(
                        "link add name {} index {} address {} mtu {MTU} type veth peer name {} \
                         index {} address {} mtu {MTU} netns {}",
                        l.a.ifname,
                        FIRST_INDEX + 2 * i,
                        format_mac(l.a.mac),
                        l.b.ifname,
                        FIRST_INDEX + 2 * i + 1,
                        format_mac(l.b.mac),
                        self.ns_name(&l.b.role).unwrap_or_default()
                    )
                })
                .collect();
            if !lines.is_empty() {
                ip_batch(Some(ns), &lines)?;
            }
        }
        for (role, ns) in &self.names {
            let ends: Vec<VethEnd> = self.spec.ends_in(role).cloned().collect();
            let off = super::run_in(ns, || -> Result<Vec<&'static str>, NetError> {
                let mut all = Vec::new();
                for e in &ends {
                    let configure = |reason: String| NetError::Configure {
                        ns: ns.clone(),
                        iface: e.ifname.clone(),
                        reason,
                    };
                    write_sysctl(&format!("ipv6/conf/{}/disable_ipv6", e.ifname), "1")
                        .map_err(|err| configure(format!("disable_ipv6: {err}")))?;
                    all = sys::disable_offloads(&e.ifname)
                        .map_err(|err| configure(err.to_string()))?;
                }
                Ok(all)
            })??;
            if !off.is_empty() {
                self.offloads_off = off;
            }
            let mut lines = vec!["link set lo up".to_string()];
            for e in &ends {
                if let Some(addr) = e.addr {
                    lines.push(format!("addr add {addr} dev {}", e.ifname));
                }
                lines.push(format!("link set {} up", e.ifname));
            }
            ip_batch(Some(ns), &lines)?;
        }
        // A veth drops what is sent before both ends are up: wait for carrier everywhere.
        for (role, ns) in &self.names {
            let ends: Vec<String> = self.spec.ends_in(role).map(|e| e.ifname.clone()).collect();
            super::run_in(ns, || wait_running(ns, &ends))??;
        }
        Ok(())
    }

    /// The full namespace name of `role` (e.g. `hvz4242-0a`).
    pub fn ns_name(&self, role: &str) -> Option<&str> {
        self.names
            .iter()
            .find(|(r, _)| r == role)
            .map(|(_, n)| n.as_str())
    }

    /// Every namespace name, in role order.
    pub fn namespaces(&self) -> Vec<&str> {
        self.names.iter().map(|(_, n)| n.as_str()).collect()
    }

    /// What was built.
    pub fn spec(&self) -> &LabSpec {
        &self.spec
    }

    /// The veth end named `ifname` in `role`.
    pub fn end(&self, role: &str, ifname: &str) -> Option<&VethEnd> {
        self.spec
            .links
            .iter()
            .flat_map(|l| [&l.a, &l.b])
            .find(|e| e.role == role && e.ifname == ifname)
    }

    /// Runs `f` on a thread inside the namespace of `role`; see [`super::run_in`].
    pub fn run_in<T, F>(&self, role: &str, f: F) -> Result<T, NetError>
    where
        T: Send,
        F: FnOnce() -> T + Send,
    {
        let ns = self
            .ns_name(role)
            .ok_or_else(|| NetError::Spec(format!("no namespace with role {role:?}")))?;
        super::run_in(ns, f)
    }

    /// Runs `ip` commands (one per line, as `ip -b` takes them) inside the namespace of
    /// `role`, e.g. `route replace ... quickack 1`.
    pub fn ip(&self, role: &str, lines: &[String]) -> Result<(), NetError> {
        let ns = self
            .ns_name(role)
            .ok_or_else(|| NetError::Spec(format!("no namespace with role {role:?}")))?;
        ip_batch(Some(ns), lines)
    }

    /// Writes `value` to `/proc/sys/net/{path}` inside the namespace of `role` (only
    /// per-namespace settings such as `ipv4/tcp_early_retrans` stay there).
    pub fn sysctl(&self, role: &str, path: &str, value: &str) -> Result<(), NetError> {
        let ns = self.ns_name(role).unwrap_or(role).to_string();
        self.run_in(role, || write_sysctl(path, value))?
            .map_err(|e| NetError::Configure {
                ns,
                iface: "all".into(),
                reason: format!("{path}: {e}"),
            })
    }

    /// How long the steps took.
    pub fn timings(&self) -> LabTimings {
        self.timings
    }

    /// Stale namespaces of dead runs removed before building this one.
    pub fn stale_removed(&self) -> &[String] {
        &self.stale_removed
    }

    /// The offloads switched off on every veth (ethtool feature names).
    pub fn offloads_off(&self) -> &[&'static str] {
        &self.offloads_off
    }

    /// The guard process's pid.
    pub fn guard_pid(&self) -> i32 {
        self.guard.pid()
    }

    /// Removes everything now (the guard does it) and returns the timings. Close captures and
    /// sockets opened inside the namespaces first: the kernel destroys a namespace and its
    /// veths only once nothing refers to it.
    pub fn remove(mut self) -> Result<LabTimings, NetError> {
        let started = Instant::now();
        let result = self.guard.finish();
        self.timings.remove = Some(started.elapsed());
        result.map(|()| self.timings)
    }

    /// True while every namespace of the lab still exists.
    pub fn exists(&self) -> bool {
        self.names
            .iter()
            .all(|(_, n)| std::path::Path::new(NETNS_DIR).join(n).exists())
    }
}

impl Drop for NetLab {
    fn drop(&mut self) {
        // Best effort; `remove` reports errors.
        let _ = self.guard.finish();
    }
}
