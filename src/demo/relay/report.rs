//! What the relay reports: counters per direction and the frames it dropped.

use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

use crate::capture::Timestamp;

/// The way a frame travels through the relay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// From host a's side to host b's side.
    AToB = 0,
    /// From host b's side to host a's side.
    BToA = 1,
}

impl Direction {
    /// "a→b" or "b→a".
    pub fn arrow(self) -> &'static str {
        match self {
            Direction::AToB => "a→b",
            Direction::BToA => "b→a",
        }
    }
}

/// What a dropped frame carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DropKind {
    /// A TCP segment with new data.
    TcpData {
        /// Sender.
        src: SocketAddr,
        /// Receiver.
        dst: SocketAddr,
        /// Absolute sequence number (as on the wire).
        seq: u32,
        /// Sequence number relative to the flow's first data byte (Wireshark's relative
        /// numbering minus one: the first data byte is 0).
        rel_seq: u32,
        /// Payload bytes.
        len: u32,
    },
    /// A UDP datagram.
    Udp {
        /// Sender.
        src: SocketAddr,
        /// Receiver.
        dst: SocketAddr,
        /// Its place in its flow (1 = first datagram).
        nth: u64,
        /// Payload bytes.
        len: u32,
    },
}

/// One frame the relay dropped on purpose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DroppedFrame {
    /// When the relay read it (the clock libpcap stamps packets with).
    pub ts: Timestamp,
    /// Which way it was going.
    pub direction: Direction,
    /// Its place among the frames the relay read in that direction (1-based).
    pub frame_no: u64,
    /// What it carried.
    pub kind: DropKind,
}

impl fmt::Display for DroppedFrame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            DropKind::TcpData {
                src,
                dst,
                seq,
                rel_seq,
                len,
            } => write!(
                f,
                "the relay dropped the TCP segment {src} → {dst} seq={} (raw {seq}) len={len}",
                u64::from(*rel_seq) + 1
            ),
            DropKind::Udp { src, dst, nth, len } => write!(
                f,
                "the relay dropped UDP datagram #{nth} {src} → {dst} ({len} bytes)"
            ),
        }
    }
}

/// Counters of one direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DirCounts {
    /// Frames read.
    pub read: u64,
    /// Frames sent on to the other side.
    pub forwarded: u64,
    /// TCP data segments dropped.
    pub dropped_tcp: u64,
    /// UDP datagrams dropped.
    pub dropped_udp: u64,
    /// Frames that waited for the fixed delay.
    pub delayed: u64,
    /// Frames held back behind a later one.
    pub reordered: u64,
    /// TCP segments forwarded that repeat sequence space already seen.
    pub retransmissions: u64,
    /// Frames lost because sending failed or the delay queue was full.
    pub lost: u64,
    /// Frames still queued when the relay stopped.
    pub discarded_at_stop: u64,
}

/// Why the relay stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelayEnd {
    /// The stop flag was raised.
    Stopped,
    /// The deadline passed.
    Deadline,
    /// The frame limit was reached.
    FrameLimit,
}

/// What one relay run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelayReport {
    /// Frames from a to b.
    pub a_to_b: DirCounts,
    /// Frames from b to a.
    pub b_to_a: DirCounts,
    /// Every frame dropped on purpose, in order.
    pub dropped: Vec<DroppedFrame>,
    /// Why it stopped.
    pub end: RelayEnd,
    /// How long it ran.
    pub ran: Duration,
    /// Send or receive errors (at most a few, the first ones).
    pub errors: Vec<String>,
}

impl RelayReport {
    /// The counters of `dir`.
    pub fn counts(&self, dir: Direction) -> &DirCounts {
        match dir {
            Direction::AToB => &self.a_to_b,
            Direction::BToA => &self.b_to_a,
        }
    }

    /// Relative sequence numbers of the TCP segments dropped in `dir`.
    pub fn dropped_tcp_seqs(&self, dir: Direction) -> Vec<u32> {
        self.dropped
            .iter()
            .filter(|d| d.direction == dir)
            .filter_map(|d| match d.kind {
                DropKind::TcpData { rel_seq, .. } => Some(rel_seq),
                DropKind::Udp { .. } => None,
            })
            .collect()
    }
}
