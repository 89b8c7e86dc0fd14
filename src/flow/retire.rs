//! How conversations leave the tracker: their timeouts, the cap, what is kept of them, and
//! what the tracker tells about them (summaries, counts, what the limits cut).

use super::table;
use super::{Conversation, Ended, Proto, Retired, TcpConn, Tracker, TrackerStats, UdpConn};

/// Boxes of TCP connections that left kept for new ones: enough for the bursts of
/// connections that come and go together, and little memory.
const SPARE_TCP: usize = 64;

impl Tracker {
    /// Retires the conversations quiet past their class's timeout. Nothing times out before
    /// `expire_at`: the earliest timeout of the conversations idle longest, lowered as
    /// packets come (see [`Tracker::note_activity`]).
    pub(super) fn expire(&mut self, now: u64) {
        if now <= self.expire_at {
            return;
        }
        let mut next = u64::MAX;
        for class in 0..table::CLASSES {
            let timeout = self.limits.timeout(class);
            let reason = if class == 1 {
                Retired::Closed
            } else {
                Retired::Idle
            };
            while let Some((slot, last)) = self.tcp.oldest_in(class) {
                if now.saturating_sub(last) <= timeout {
                    break;
                }
                self.retire_tcp(slot, reason);
            }
            while let Some((slot, last)) = self.udp.oldest_in(class) {
                if now.saturating_sub(last) <= timeout {
                    break;
                }
                self.retire_udp(slot, reason);
            }
            for (_, last) in [self.tcp.oldest_in(class), self.udp.oldest_in(class)]
                .into_iter()
                .flatten()
            {
                next = next.min(last.saturating_add(timeout));
            }
        }
        self.expire_at = next;
    }

    /// A conversation had a packet at `now`: it may time out first of all, after the
    /// shortest timeout. Keeps [`Tracker::expire`]'s bound on the first timeout low enough.
    pub(super) fn note_activity(&mut self, now: u64) {
        self.expire_at = self
            .expire_at
            .min(now.saturating_add(self.shortest_timeout));
    }

    /// Evicts the conversation idle longest when the cap is reached.
    pub(super) fn make_room(&mut self) {
        let live = self.tcp.len() + self.udp.len();
        let max = self.limits.max_connections;
        if max == 0 || live < max {
            self.stats.peak = self.stats.peak.max(live + 1);
            return;
        }
        self.stats.evicted += 1;
        match (self.tcp.oldest(), self.udp.oldest()) {
            (Some((t, tl)), Some((u, ul))) => {
                if ul < tl {
                    self.retire_udp(u, Retired::Evicted);
                } else {
                    self.retire_tcp(t, Retired::Evicted);
                }
            }
            (Some((t, _)), None) => self.retire_tcp(t, Retired::Evicted),
            (None, Some((u, _))) => self.retire_udp(u, Retired::Evicted),
            (None, None) => self.stats.evicted -= 1,
        }
    }

    /// Hands over the summary of a conversation that leaves; it is kept whole for a late
    /// packet, and the oldest kept past the cap is reduced to a tomb.
    pub(super) fn retire_tcp(&mut self, slot: u32, reason: Retired) {
        if let Some((key, conn)) = self.tcp.remove(slot) {
            self.hand_over_tcp(&conn, reason);
            if reason != Retired::CaptureEnd
                && let Some((old, conn)) = self.tcp_cold.keep(key, conn)
            {
                self.tcp_graves.bury(old, conn.tomb(old));
                self.recycle_tcp(conn);
            }
        }
    }

    /// Keeps the box of a connection that left for a new one, up to [`SPARE_TCP`] boxes.
    pub(super) fn recycle_tcp(&mut self, conn: Box<TcpConn>) {
        if self.spare_tcp.len() < SPARE_TCP {
            self.spare_tcp.push(conn);
        }
    }

    /// `conn` in a box: a spare one (whose storage it reuses) or a new one.
    pub(super) fn boxed_tcp(&mut self, conn: TcpConn) -> Box<TcpConn> {
        match self.spare_tcp.pop() {
            Some(mut spare) => {
                spare.renew(conn);
                spare
            }
            None => Box::new(conn),
        }
    }

    pub(super) fn retire_udp(&mut self, slot: u32, reason: Retired) {
        if let Some((key, conn)) = self.udp.remove(slot) {
            if conn.packets_seen() > 0 {
                let mut conversation = conn.summary();
                conversation.retired = reason;
                self.ended.push(Ended {
                    conversation,
                    shown: conn.shown,
                });
            }
            if reason != Retired::CaptureEnd
                && let Some((old, conn)) = self.udp_cold.keep(key, conn)
            {
                self.udp_graves.bury(old, conn.tomb(old));
            }
        }
    }

    pub(super) fn hand_over_tcp(&mut self, conn: &TcpConn, reason: Retired) {
        if conn.packets_seen() > 0 {
            let mut conversation = conn.summary();
            conversation.retired = reason;
            self.ended.push(Ended {
                conversation,
                shown: conn.shown,
            });
        }
    }

    /// Marks the conversation of the packet just ingested as shown: its summary says so
    /// when it leaves.
    pub fn mark_shown(&mut self) {
        match self.last {
            Some((Proto::Tcp, slot)) => {
                if let Some(c) = self.tcp.get_mut(slot) {
                    c.shown = true;
                }
            }
            Some((Proto::Udp, slot)) => {
                if let Some(c) = self.udp.get_mut(slot) {
                    c.shown = true;
                }
            }
            None => {}
        }
    }

    /// Conversations that left the tracker since the last call, in the order they left.
    pub fn take_ended(&mut self) -> std::vec::Drain<'_, Ended> {
        self.ended.drain(..)
    }

    /// Whether conversations left the tracker since [`Tracker::take_ended`] was last called.
    pub fn has_ended(&self) -> bool {
        !self.ended.is_empty()
    }

    /// Retires every conversation still followed (the capture ended): TCP streams in order,
    /// then UDP streams. They come out of [`Tracker::take_ended`].
    pub fn finish(&mut self) {
        self.ended.reserve(self.tcp.len() + self.udp.len());
        for slot in self.tcp.slots_by(TcpConn::stream) {
            self.retire_tcp(slot, Retired::CaptureEnd);
        }
        for slot in self.udp.slots_by(UdpConn::stream) {
            self.retire_udp(slot, Retired::CaptureEnd);
        }
    }

    /// Summaries of the conversations still followed and of those retired and not yet taken
    /// (see [`Tracker::take_ended`]): TCP streams in order, then UDP streams. A tracker whose
    /// ended conversations are never taken gives every conversation seen.
    pub fn conversations(&self) -> Vec<Conversation> {
        let live = self
            .tcp
            .slots()
            .into_iter()
            .filter_map(|s| self.tcp.get(s))
            .filter(|c| c.packets_seen() > 0)
            .map(TcpConn::summary)
            .chain(
                self.udp
                    .slots()
                    .into_iter()
                    .filter_map(|s| self.udp.get(s))
                    .filter(|c| c.packets_seen() > 0)
                    .map(UdpConn::summary),
            );
        let mut all: Vec<Conversation> = Vec::new();
        for conv in self
            .ended
            .iter()
            .map(|e| e.conversation.clone())
            .chain(live)
        {
            // A stream that came back: its latest summary.
            all.retain(|c| !(c.proto == conv.proto && c.stream == conv.stream));
            all.push(conv);
        }
        all.sort_by_key(|c| (c.proto == Proto::Udp, c.stream));
        all
    }

    /// Summary of a conversation still followed, or retired and not yet taken.
    pub fn conversation(&self, proto: Proto, stream: u32) -> Option<Conversation> {
        let live = self.live_conversation(proto, stream);
        live.or_else(|| {
            self.ended
                .iter()
                .rev()
                .map(|e| &e.conversation)
                .find(|c| c.proto == proto && c.stream == stream)
                .cloned()
        })
    }

    pub(super) fn live_conversation(&self, proto: Proto, stream: u32) -> Option<Conversation> {
        match proto {
            Proto::Tcp => self
                .tcp
                .slots()
                .into_iter()
                .filter_map(|s| self.tcp.get(s))
                .find(|c| c.stream() == stream)
                .map(TcpConn::summary),
            Proto::Udp => self
                .udp
                .slots()
                .into_iter()
                .filter_map(|s| self.udp.get(s))
                .find(|c| c.stream() == stream)
                .map(UdpConn::summary),
        }
    }

    /// Number of TCP and UDP streams numbered so far.
    pub fn counts(&self) -> (usize, usize) {
        (self.next_tcp as usize, self.next_udp as usize)
    }

    /// What the limits cut so far.
    pub fn stats(&self) -> TrackerStats {
        TrackerStats {
            forgotten: self.tcp_graves.forgotten + self.udp_graves.forgotten,
            cap: self.limits.max_connections,
            ..self.stats
        }
    }

    /// Conversations followed now, and ended ones remembered.
    pub fn sizes(&self) -> (usize, usize) {
        (
            self.tcp.len() + self.udp.len(),
            self.tcp_graves.len() + self.udp_graves.len(),
        )
    }
}
