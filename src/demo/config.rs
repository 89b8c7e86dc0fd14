//! What a demo should do, and the checks that keep every run bounded and meaningful.

use std::time::Duration;

use super::DemoKind;
use super::net::DEFAULT_PREFIX;
use crate::{Error, Result};

/// How long one peer call (accept, recv, send, ...) may wait before the peer gives up.
pub const DEFAULT_IO_TIMEOUT: Duration = Duration::from_secs(3);

/// Most clients the concurrent demo starts.
pub const MAX_CLIENTS: usize = 16;

/// Most messages a client sends.
const MAX_MESSAGES: usize = 64;

/// Highest loss the lossy demo accepts: above it the transfer may not finish in seconds.
pub const MAX_LOSS: f64 = 0.5;

/// What the demo should do.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoConfig {
    /// The lesson.
    pub kind: DemoKind,
    /// Use ::1 instead of 127.0.0.1 (loopback demos).
    pub ipv6: bool,
    /// Server port; `None` lets the kernel pick a free one.
    pub port: Option<u16>,
    /// Messages the client sends (TCP) or time formats it asks for (UDP); see
    /// [`DemoKind::takes_messages`].
    pub messages: Vec<String>,
    /// Longest wait of any single peer call.
    pub io_timeout: Duration,
    /// Clients of the concurrent demo.
    pub clients: usize,
    /// Fraction of TCP data segments and UDP datagrams the lossy path drops.
    pub loss: f64,
    /// Seed of the lossy path's decisions: the same seed drops the same segments.
    pub seed: u64,
    /// Prefix of the namespace names the two-hosts and lossy demos create.
    pub netns_prefix: String,
}

impl DemoConfig {
    /// The default demo of `kind`: IPv4, a free port, the default messages, 3 s timeouts,
    /// 3 clients, 10% loss with seed 1, namespaces named `hvz…`.
    pub fn new(kind: DemoKind) -> DemoConfig {
        DemoConfig {
            kind,
            ipv6: false,
            port: None,
            messages: kind.default_messages(),
            io_timeout: DEFAULT_IO_TIMEOUT,
            clients: 3,
            loss: 0.1,
            seed: 1,
            netns_prefix: DEFAULT_PREFIX.into(),
        }
    }

    /// The interface the demo captures on when none is given: `lo`, or the demo's own veth
    /// (inside its namespace).
    pub fn default_interface(&self) -> String {
        if self.kind.uses_namespaces() {
            format!("{}-a", self.netns_prefix)
        } else {
            "lo".into()
        }
    }

    /// Where the demo talks: "127.0.0.1", "::1", or the two namespaces' addresses.
    pub fn place(&self) -> &'static str {
        match (self.kind.uses_namespaces(), self.ipv6) {
            (true, _) => "192.0.2.1 ↔ 192.0.2.2",
            (false, true) => "::1",
            (false, false) => "127.0.0.1",
        }
    }

    /// Checks what the demo would do; a [`Error::Usage`] says what to change.
    pub fn validate(&self) -> Result<()> {
        let usage = |m: String| Err(Error::Usage(m));
        let name = self.kind.name();
        if self.kind.takes_messages() {
            if self.messages.is_empty() {
                return usage(format!("--demo {name} needs at least one message"));
            }
            if self.messages.len() > MAX_MESSAGES {
                return usage(format!("--demo {name}: at most {MAX_MESSAGES} messages"));
            }
            if self.messages.iter().any(String::is_empty) {
                return usage(
                    "--message \"\": an empty message puts nothing on the wire (send() of 0 \
                     bytes sends no segment), and its echo would be a recv() returning 0 \
                     bytes, which is how a socket says the peer closed (EOF); give at least \
                     one character"
                        .into(),
                );
            }
        }
        if self.kind == DemoKind::Framing
            && self.messages.iter().any(|m| m.len() > u32::MAX as usize)
        {
            return usage(
                "--demo framing: a message longer than 4 GiB has no 4-byte length".into(),
            );
        }
        if !(1..=MAX_CLIENTS).contains(&self.clients) {
            return usage(format!(
                "--clients {}: give 1 to {MAX_CLIENTS}",
                self.clients
            ));
        }
        if !(0.0..=MAX_LOSS).contains(&self.loss) {
            return usage(format!(
                "--loss {}: give a fraction from 0 to {MAX_LOSS} (or 0% to {}%)",
                self.loss,
                MAX_LOSS * 100.0
            ));
        }
        if self.kind.uses_namespaces() && self.ipv6 {
            return usage(format!(
                "--demo {name} runs on IPv4 between two namespaces; --ipv6 is for the \
                 loopback demos"
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_messages_and_wild_numbers_are_refused() {
        let mut c = DemoConfig::new(DemoKind::Tcp);
        assert!(c.validate().is_ok());
        c.messages = vec!["x".into(), String::new()];
        let err = c.validate().unwrap_err().to_string();
        assert!(err.contains("EOF"), "{err}");
        let mut c = DemoConfig::new(DemoKind::Concurrent);
        c.clients = 0;
        assert!(c.validate().is_err());
        c.clients = MAX_CLIENTS;
        assert!(c.validate().is_ok());
        let mut c = DemoConfig::new(DemoKind::Lossy);
        c.loss = 0.9;
        assert!(c.validate().is_err());
        c.loss = 0.1;
        c.ipv6 = true;
        assert!(c.validate().is_err());
        assert_eq!(
            DemoConfig::new(DemoKind::TwoHosts).default_interface(),
            "hvz-a"
        );
        assert_eq!(DemoConfig::new(DemoKind::Sticky).default_interface(), "lo");
    }
}
