//! Which demo runs, and what each one needs: loopback or namespaces, which options apply.

use std::fmt;

/// Which conversation the demo plays: each one is a lesson of the socket course.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DemoKind {
    /// TCP echo: connect, send each message and read its echo, close.
    Tcp,
    /// UDP time server: the client sends strftime formats, the server answers with the time.
    Udp,
    /// TCP is a byte stream: several send() calls come back from one recv(), one large
    /// send() from several.
    Sticky,
    /// The fix for sticky packets: each message behind a 4-byte length prefix.
    Framing,
    /// One sendto() is one datagram is one recvfrom(); a datagram cut by a small buffer.
    UdpBoundaries,
    /// Nobody listens: RST/ACK and ECONNREFUSED for TCP, ICMP port unreachable for UDP.
    Refused,
    /// shutdown(SHUT_WR): the client's FIN goes out while the server keeps sending.
    HalfClose,
    /// The four-segment close next to Linux's usual three, and TIME-WAIT.
    Close4Way,
    /// A threaded server serving several clients at once: one port, several 4-tuples.
    Concurrent,
    /// Two network namespaces on one /24: ARP, the subnet mask, MSS-sized segments.
    TwoHosts,
    /// The two hosts behind a relay that drops some segments and datagrams.
    Lossy,
}

impl DemoKind {
    /// Every demo, in the order `--demo list` shows them.
    pub const ALL: [DemoKind; 11] = [
        DemoKind::Tcp,
        DemoKind::Udp,
        DemoKind::Sticky,
        DemoKind::Framing,
        DemoKind::UdpBoundaries,
        DemoKind::Refused,
        DemoKind::HalfClose,
        DemoKind::Close4Way,
        DemoKind::Concurrent,
        DemoKind::TwoHosts,
        DemoKind::Lossy,
    ];

    /// The name `--demo` takes ("sticky", "two-hosts").
    pub fn name(self) -> &'static str {
        match self {
            DemoKind::Tcp => "tcp",
            DemoKind::Udp => "udp",
            DemoKind::Sticky => "sticky",
            DemoKind::Framing => "framing",
            DemoKind::UdpBoundaries => "udp-boundaries",
            DemoKind::Refused => "refused",
            DemoKind::HalfClose => "half-close",
            DemoKind::Close4Way => "close-4way",
            DemoKind::Concurrent => "concurrent",
            DemoKind::TwoHosts => "two-hosts",
            DemoKind::Lossy => "lossy",
        }
    }

    /// The demo called `name`.
    pub fn from_name(name: &str) -> Option<DemoKind> {
        DemoKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// True for the demos that build their own network namespaces and capture there, on an
    /// interface of their own; the others talk over loopback.
    pub fn uses_namespaces(self) -> bool {
        matches!(self, DemoKind::TwoHosts | DemoKind::Lossy)
    }

    /// True for the demos whose client sends `--message` texts.
    pub fn takes_messages(self) -> bool {
        matches!(
            self,
            DemoKind::Tcp
                | DemoKind::Udp
                | DemoKind::Sticky
                | DemoKind::Framing
                | DemoKind::UdpBoundaries
        )
    }

    /// The messages the client sends when none are given.
    pub fn default_messages(self) -> Vec<String> {
        let messages: &[&str] = match self {
            DemoKind::Tcp => &["hello", "how are you?", "bye"],
            DemoKind::Udp => &["%Y-%m-%d %H:%M:%S", "%H:%M:%S%.3f", "%A"],
            DemoKind::Sticky => &["hello", "world", "!!"],
            DemoKind::Framing => &["hello", "how are you today?", "bye"],
            DemoKind::UdpBoundaries => &["hello", "world", "!!"],
            _ => &[],
        };
        messages.iter().map(|m| m.to_string()).collect()
    }
}

impl fmt::Display for DemoKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for kind in DemoKind::ALL {
            assert_eq!(DemoKind::from_name(kind.name()), Some(kind));
        }
        assert_eq!(DemoKind::from_name("list"), None);
    }
}
