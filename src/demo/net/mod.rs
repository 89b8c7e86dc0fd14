//! Network namespaces joined by veth pairs, for demos that need real Ethernet between hosts.
//!
//! [`NetLab::create`] builds a [`LabSpec`]: named namespaces (`/run/netns/{prefix}{pid}-{n}{role}`,
//! so stale ones can be traced to a dead process), veth pairs created directly inside their
//! namespaces (nothing ever appears in the caller's namespace), locally administered MACs,
//! IPv4 addresses, MTU 1500, IPv6 disabled before any link is up (no DAD, router or MLD
//! traffic), offloads off so frames are wire-sized with real checksums, and no routes but the
//! connected subnet. [`run_in`] runs a closure on a thread inside a namespace; anything opened
//! there (captures, AF_PACKET and TCP sockets) stays bound to it and may be used from any
//! thread afterwards, also after the process drops root.
//!
//! Links and addresses are set with `ip` (iproute2), in one batch per namespace; sysctls and
//! offloads are set from a thread inside the namespace (ethtool ioctls, so no `ethtool`
//! binary is needed). Cleanup: see [`guard`].

pub mod guard;
mod lab;
pub(crate) mod packet;
mod spec;
pub(crate) mod sys;

pub use guard::{Guard, cleanup_stale, list_namespaces, owner_pid, remove_named};
pub use lab::{LabTimings, NetLab};
pub use spec::{LabSpec, Link, VethEnd};

use std::fs::File;
use std::net::Ipv4Addr;

/// Where `ip netns` keeps named namespaces.
pub const NETNS_DIR: &str = "/run/netns";

/// The prefix of every namespace the demos create.
pub const DEFAULT_PREFIX: &str = "hvz";

/// The MTU of every veth.
pub const MTU: u32 = 1500;

/// What can go wrong while building, entering or removing namespaces.
#[derive(Debug, thiserror::Error)]
pub enum NetError {
    /// Not root (or without CAP_SYS_ADMIN and CAP_NET_ADMIN).
    #[error("network namespaces need root (CAP_SYS_ADMIN, CAP_NET_ADMIN): {0}")]
    Permission(String),
    /// `ip` (iproute2) is missing or failed.
    #[error("ip: {0}")]
    Ip(String),
    /// A name or address of the spec is not usable.
    #[error("invalid name {0:?}: use 1-15 bytes of [A-Za-z0-9_.-] (namespaces up to 64)")]
    InvalidName(String),
    /// The spec is inconsistent.
    #[error("bad lab spec: {0}")]
    Spec(String),
    /// Entering a namespace failed.
    #[error("cannot enter namespace {name}: {reason}")]
    Enter { name: String, reason: String },
    /// Configuring a link from inside its namespace failed.
    #[error("cannot configure {iface} in {ns}: {reason}")]
    Configure {
        ns: String,
        iface: String,
        reason: String,
    },
    /// The guard process could not be started or told.
    #[error("cleanup guard: {0}")]
    Guard(String),
    /// Namespaces could not be removed.
    #[error("cannot remove namespaces: {0}")]
    Cleanup(String),
    /// The closure run inside a namespace panicked.
    #[error("the thread inside namespace {0} panicked")]
    Panicked(String),
}

impl From<NetError> for crate::Error {
    fn from(e: NetError) -> Self {
        crate::Error::Demo(e.to_string())
    }
}

/// Checks a namespace or interface name: ASCII letters, digits, `_`, `.`, `-`; 1..=64 bytes.
pub(crate) fn check_name(name: &str) -> Result<(), NetError> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name != "."
        && name != ".."
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(NetError::InvalidName(name.into()))
    }
}

/// Checks an interface name: as [`check_name`], at most 15 bytes.
pub(crate) fn check_ifname(name: &str) -> Result<(), NetError> {
    check_name(name)?;
    if name.len() > 15 {
        return Err(NetError::InvalidName(name.into()));
    }
    Ok(())
}

/// `aa:bb:cc:dd:ee:ff`.
pub fn format_mac(mac: [u8; 6]) -> String {
    mac.iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// Runs `f` on a new thread that has entered the named namespace `name` (in [`NETNS_DIR`])
/// and returns its result. The calling thread stays where it is.
pub fn run_in<T, F>(name: &str, f: F) -> Result<T, NetError>
where
    T: Send,
    F: FnOnce() -> T + Send,
{
    check_name(name)?;
    let enter_error = |reason: String| NetError::Enter {
        name: name.into(),
        reason,
    };
    let ns = File::open(format!("{NETNS_DIR}/{name}")).map_err(|e| enter_error(e.to_string()))?;
    std::thread::scope(|scope| {
        let handle = std::thread::Builder::new()
            .name(format!("netns-{name}"))
            .spawn_scoped(scope, move || {
                sys::enter_netns(&ns).map_err(|e| e.to_string())?;
                drop(ns);
                Ok(f())
            })
            .map_err(|e| enter_error(format!("cannot start a thread: {e}")))?;
        match handle.join() {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(reason)) => Err(enter_error(reason)),
            Err(_) => Err(NetError::Panicked(name.into())),
        }
    })
}

/// The offloads handshake-viz switches off, as `(ethtool name, on)` for `ifname` in the calling
/// thread's namespace (use inside [`run_in`]).
pub fn offload_states(ifname: &str) -> std::io::Result<Vec<(&'static str, bool)>> {
    sys::OFFLOADS
        .iter()
        .map(|&(name, get, _)| Ok((name, sys::offload_enabled(ifname, get)?)))
        .collect()
}

/// An IPv4 address with its prefix length, e.g. `192.0.2.1/24`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ipv4Cidr {
    /// The address.
    pub addr: Ipv4Addr,
    /// Prefix length (0..=32).
    pub prefix: u8,
}

impl std::fmt::Display for Ipv4Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked() {
        assert!(check_name("hvz123-0a").is_ok());
        assert!(check_name("../etc").is_err());
        assert!(check_name("a b").is_err());
        assert!(check_name("").is_err());
        assert!(check_ifname("hvz-a").is_ok());
        assert!(check_ifname("sixteen-bytes-xx").is_err());
        assert_eq!(format_mac([2, 0, 0, 0, 0, 0xa]), "02:00:00:00:00:0a");
    }

    #[test]
    fn entering_a_missing_namespace_is_an_error() {
        let err = run_in("hvd-does-not-exist", || 1).unwrap_err();
        assert!(matches!(err, NetError::Enter { .. }), "{err}");
    }
}
