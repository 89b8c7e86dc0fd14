//! Whether a test that needs more than the repository runs. Each kind can be skipped on
//! request (`HANDSHAKE_VIZ_SKIP_LIVE=1`, `HANDSHAKE_VIZ_SKIP_NETNS=1`), which the test says on
//! stderr; otherwise what it needs must be there, or the test fails saying what is missing.

#![allow(dead_code)] // each including crate uses a different subset

use std::process::Command;

use handshake_viz::Error;
use handshake_viz::capture::live::{LiveOptions, LiveSource};

/// Skips the tests that capture live on lo.
pub const SKIP_LIVE: &str = "HANDSHAKE_VIZ_SKIP_LIVE";
/// Skips the tests that build network namespaces.
pub const SKIP_NETNS: &str = "HANDSHAKE_VIZ_SKIP_NETNS";

/// True (after saying so) when `var` is set to 1.
pub fn skipped(var: &str) -> bool {
    let skip = std::env::var(var).is_ok_and(|v| v == "1");
    if skip {
        eprintln!("skipped: {var}=1");
    }
    skip
}

/// Whether the live tests run: false when skipped; panics when no capture opens on lo.
pub fn live_enabled() -> bool {
    if skipped(SKIP_LIVE) {
        return false;
    }
    match LiveSource::open(&LiveOptions::new("lo")) {
        Ok(_) => true,
        Err(e @ Error::Permission { .. }) => panic!(
            "live tests capture for real and need root or CAP_NET_RAW; set {SKIP_LIVE}=1 to \
             skip them ({e})"
        ),
        Err(e) => panic!("cannot open a capture on lo: {e}"),
    }
}

/// Whether the namespace tests run: false when skipped; panics without root or `ip`.
pub fn netns_enabled() -> bool {
    if skipped(SKIP_NETNS) {
        return false;
    }
    assert_eq!(
        effective_uid(),
        Some(0),
        "namespace tests create network namespaces, veth pairs and raw sockets and need root: \
         run the tests as root, or set {SKIP_NETNS}=1 to skip them"
    );
    assert!(
        Command::new("ip").arg("-V").output().is_ok(),
        "namespace tests need `ip` from iproute2 (apt-get install iproute2)"
    );
    true
}

/// The effective user id of the test process.
pub fn effective_uid() -> Option<u32> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("Uid:"))?;
    line.split_whitespace().nth(2)?.parse().ok()
}
