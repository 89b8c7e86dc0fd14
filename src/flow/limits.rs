//! How long conversations are followed and how many at once: the tracker's memory policy.
//!
//! A conversation leaves the tracker when it has ended — closed or reset and then quiet for
//! [`Limits::close_delay`], a connection attempt (SYN unanswered) quiet for
//! [`Limits::attempt_timeout`], anything else quiet for [`Limits::tcp_idle`] or
//! [`Limits::udp_idle`], all in capture time, as Zeek's `tcp_close_delay`,
//! `tcp_attempt_delay`, `tcp_inactivity_timeout` and `udp_inactivity_timeout` — or when more
//! than [`Limits::max_connections`] are followed at once: the one idle longest is evicted.
//! Its summary is handed to the printers then. The most recent ended conversations are kept
//! whole (see [`Limits::kept_whole`]): a late packet continues them with every number
//! Wireshark gives it. Older ones are reduced to what keeps their stream number (the
//! endpoints, the number, the base sequence numbers), remembered for up to
//! [`Limits::remembered`] ended conversations, so that a late packet or an ICMP error quoting
//! one still gets the number Wireshark gives it.

/// One second of capture time, in nanoseconds.
const SECOND: u64 = 1_000_000_000;

/// The tracker's limits. `Default` gives the documented defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most conversations followed at once (0: no limit).
    pub max_connections: usize,
    /// Most ended conversations of each protocol remembered for their stream numbers (0:
    /// none).
    pub remembered: usize,
    /// Quiet time after a close or reset before a TCP connection is retired, nanoseconds.
    pub close_delay: u64,
    /// Quiet time after an unanswered SYN, nanoseconds.
    pub attempt_timeout: u64,
    /// Quiet time of any other TCP connection, nanoseconds.
    pub tcp_idle: u64,
    /// Quiet time of a UDP conversation, nanoseconds.
    pub udp_idle: u64,
}

impl Limits {
    /// Default cap on conversations followed at once.
    pub const MAX_CONNECTIONS: usize = 10_000;
    /// Ended conversations remembered (of each protocol) per conversation followed.
    pub const REMEMBERED_PER_CONNECTION: usize = 3;

    /// The defaults with another cap on conversations followed at once (0: no limit); the
    /// number remembered follows it.
    pub fn with_max_connections(max: usize) -> Limits {
        Limits {
            max_connections: max,
            remembered: if max == 0 {
                0
            } else {
                max.saturating_mul(Self::REMEMBERED_PER_CONNECTION)
            },
            ..Limits::default()
        }
    }

    /// No retirement at all: every conversation is followed to the end of the capture.
    pub fn unlimited() -> Limits {
        Limits {
            max_connections: 0,
            remembered: 0,
            close_delay: u64::MAX,
            attempt_timeout: u64::MAX,
            tcp_idle: u64::MAX,
            udp_idle: u64::MAX,
        }
    }

    /// Ended conversations of each protocol kept whole, so that a late packet continues them
    /// exactly: an eighth of [`Limits::max_connections`] (at least 64; none without a cap,
    /// where nothing is evicted for memory either).
    pub fn kept_whole(&self) -> usize {
        if self.max_connections == 0 {
            return usize::MAX;
        }
        (self.max_connections / 8).max(64)
    }

    /// The shortest quiet time of all classes.
    pub(super) fn shortest_timeout(&self) -> u64 {
        self.attempt_timeout
            .min(self.close_delay)
            .min(self.tcp_idle)
            .min(self.udp_idle)
    }

    /// The quiet time of a class of conversation (see `flow::table`).
    pub(super) fn timeout(&self, class: usize) -> u64 {
        match class {
            0 => self.attempt_timeout,
            1 => self.close_delay,
            2 => self.tcp_idle,
            _ => self.udp_idle,
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: Self::MAX_CONNECTIONS,
            remembered: Self::MAX_CONNECTIONS * Self::REMEMBERED_PER_CONNECTION,
            close_delay: 5 * SECOND,
            attempt_timeout: 5 * SECOND,
            tcp_idle: 300 * SECOND,
            udp_idle: 60 * SECOND,
        }
    }
}
