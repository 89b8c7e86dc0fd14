//! The conversations being followed, in bounded memory: a slab of live conversations indexed
//! by their endpoints and chained, per timeout class, in order of last activity; and the
//! "remembered" ones that ended, reduced to what keeps stream numbers exact.
//!
//! Each packet moves its conversation to the tail of its class's chain, so the head of each
//! chain is the one idle longest: finding what timed out, and the oldest to evict past the
//! cap, is O(1).

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;

use super::{Endpoint, FlowKey};

/// Hashing of flow keys. foldhash: fast on small fixed-size keys (about a third of SipHash's
/// cost here) and seeded per process, so a crafted capture cannot aim at collisions.
pub(super) type Hasher = foldhash::fast::RandomState;

/// No slot.
const NIL: u32 = u32::MAX;

/// Timeout classes (see [`super::Limits`]).
pub(super) const CLASSES: usize = 4;

/// A conversation the table can hold.
pub(super) trait Conn {
    /// Its class now: 0 attempt, 1 closed, 2 TCP active, 3 UDP.
    fn class(&self) -> usize;
}

/// A live conversation is boxed: it is large, and moving it in and out of the tables (when it
/// comes, leaves, or is kept whole) then moves a pointer only.
struct Slot<C> {
    conn: Option<Box<C>>,
    key: FlowKey,
    prev: u32,
    next: u32,
    class: u8,
    /// Capture clock at the last packet, in nanoseconds.
    last: u64,
}

#[derive(Clone, Copy)]
struct Chain {
    head: u32,
    tail: u32,
}

/// Live conversations of one protocol.
pub(super) struct Table<C> {
    index: HashMap<FlowKey, u32, Hasher>,
    slots: Vec<Slot<C>>,
    free: Vec<u32>,
    chains: [Chain; CLASSES],
}

impl<C: Conn> Table<C> {
    /// A table sized for `cap` conversations (0: unknown), so that it never grows by doubling
    /// (which holds the old and the new storage at once) below the cap. Storage not used yet
    /// costs no memory.
    pub(super) fn new(cap: usize) -> Table<C> {
        Table {
            index: HashMap::with_capacity_and_hasher(cap, Hasher::default()),
            slots: Vec::with_capacity(cap),
            free: Vec::new(),
            chains: [Chain {
                head: NIL,
                tail: NIL,
            }; CLASSES],
        }
    }

    /// Live conversations.
    pub(super) fn len(&self) -> usize {
        self.index.len()
    }

    /// The slot of a live conversation.
    pub(super) fn find(&self, key: &FlowKey) -> Option<u32> {
        self.index.get(key).copied()
    }

    pub(super) fn get(&self, slot: u32) -> Option<&C> {
        self.slots
            .get(slot as usize)
            .and_then(|s| s.conn.as_deref())
    }

    pub(super) fn get_mut(&mut self, slot: u32) -> Option<&mut C> {
        self.slots
            .get_mut(slot as usize)
            .and_then(|s| s.conn.as_deref_mut())
    }

    /// Adds a live conversation (the key must not be live).
    pub(super) fn insert(&mut self, key: FlowKey, conn: Box<C>, now: u64) -> u32 {
        let class = conn.class() as u8;
        let slot = Slot {
            conn: Some(conn),
            key,
            prev: NIL,
            next: NIL,
            class,
            last: now,
        };
        let at = match self.free.pop() {
            Some(at) => {
                self.slots[at as usize] = slot;
                at
            }
            None => {
                self.slots.push(slot);
                (self.slots.len() - 1) as u32
            }
        };
        self.index.insert(key, at);
        self.link_tail(at);
        at
    }

    /// Replaces the conversation in `slot` (a new stream on the same endpoints).
    pub(super) fn replace(&mut self, slot: u32, conn: Box<C>) -> Option<Box<C>> {
        self.slots
            .get_mut(slot as usize)
            .and_then(|s| s.conn.replace(conn))
    }

    /// The conversation in `slot` had a packet at `now`: it moves to the tail of its class.
    pub(super) fn touch(&mut self, slot: u32, now: u64) {
        let Some(s) = self.slots.get_mut(slot as usize) else {
            return;
        };
        s.last = now;
        let class = s.conn.as_ref().map_or(0, |c| c.class()) as u8;
        if class == s.class && self.chains[class as usize].tail == slot {
            return;
        }
        self.unlink(slot);
        self.slots[slot as usize].class = class;
        self.link_tail(slot);
    }

    /// The conversation idle longest in `class`: its slot and last activity.
    pub(super) fn oldest_in(&self, class: usize) -> Option<(u32, u64)> {
        let head = self.chains[class].head;
        (head != NIL).then(|| (head, self.slots[head as usize].last))
    }

    /// The conversation idle longest of all classes.
    pub(super) fn oldest(&self) -> Option<(u32, u64)> {
        (0..CLASSES)
            .filter_map(|c| self.oldest_in(c))
            .min_by_key(|(_, last)| *last)
    }

    /// Removes a live conversation.
    pub(super) fn remove(&mut self, slot: u32) -> Option<(FlowKey, Box<C>)> {
        let conn = self.slots.get_mut(slot as usize)?.conn.take()?;
        self.unlink(slot);
        let key = self.slots[slot as usize].key;
        self.index.remove(&key);
        self.free.push(slot);
        Some((key, conn))
    }

    /// Every live slot, for the end of the capture.
    pub(super) fn slots(&self) -> Vec<u32> {
        self.index.values().copied().collect()
    }

    /// Every live slot, in the order of `key` of its conversation (stream numbers).
    pub(super) fn slots_by(&self, key: impl Fn(&C) -> u32) -> Vec<u32> {
        let mut keyed: Vec<(u32, u32)> = self
            .slots()
            .into_iter()
            .filter_map(|s| self.get(s).map(|c| (key(c), s)))
            .collect();
        keyed.sort_unstable();
        keyed.into_iter().map(|(_, s)| s).collect()
    }

    fn link_tail(&mut self, slot: u32) {
        let class = self.slots[slot as usize].class as usize;
        let chain = self.chains[class];
        self.slots[slot as usize].prev = chain.tail;
        self.slots[slot as usize].next = NIL;
        if chain.tail != NIL {
            self.slots[chain.tail as usize].next = slot;
        } else {
            self.chains[class].head = slot;
        }
        self.chains[class].tail = slot;
    }

    fn unlink(&mut self, slot: u32) {
        let (prev, next, class) = {
            let s = &self.slots[slot as usize];
            (s.prev, s.next, s.class as usize)
        };
        if prev != NIL {
            self.slots[prev as usize].next = next;
        } else if self.chains[class].head == slot {
            self.chains[class].head = next;
        }
        if next != NIL {
            self.slots[next as usize].prev = prev;
        } else if self.chains[class].tail == slot {
            self.chains[class].tail = prev;
        }
        self.slots[slot as usize].prev = NIL;
        self.slots[slot as usize].next = NIL;
    }
}

/// What is remembered of a conversation that ended, so that a late packet or an ICMP error
/// quoting it gets the stream number Wireshark gives it. Kept small: there may be many.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Tomb {
    /// Its stream number.
    pub(super) stream: u32,
    /// The endpoint that sent its first packet is the key's first one.
    pub(super) first_is_a: bool,
    /// It had packets (a conversation known only from an ICMP quote had none).
    pub(super) had_packets: bool,
    /// The client is the key's first endpoint.
    pub(super) client_is_a: bool,
    /// TCP: how the roles were decided.
    pub(super) basis: super::RoleBasis,
    /// TCP: each direction's base sequence number for relative numbers (index 0: the first
    /// sender), and the one the port-reuse test compares a SYN with; bit `i` of `known`
    /// says that `bases[i]` is known, bit `2 + i` that `reuse_bases[i]` is.
    bases: [u32; 2],
    reuse_bases: [u32; 2],
    known: u8,
    /// Order of burial, to tell a stale queue entry from the current one.
    seq: u32,
}

impl Tomb {
    /// A tomb for `stream`; the rest is filled by the caller.
    pub(super) fn new(stream: u32) -> Tomb {
        Tomb {
            stream,
            first_is_a: true,
            had_packets: false,
            client_is_a: true,
            basis: super::RoleBasis::PortGuess,
            bases: [0; 2],
            reuse_bases: [0; 2],
            known: 0,
            seq: 0,
        }
    }

    /// Sets the base sequence numbers: for relative numbers, and for the port-reuse test.
    pub(super) fn set_bases(&mut self, bases: [Option<u32>; 2], reuse: [Option<u32>; 2]) {
        for (i, (base, reuse)) in bases.into_iter().zip(reuse).enumerate() {
            if let Some(b) = base {
                self.bases[i] = b;
                self.known |= 1 << i;
            }
            if let Some(r) = reuse {
                self.reuse_bases[i] = r;
                self.known |= 4 << i;
            }
        }
    }

    /// The base sequence numbers for relative numbers.
    pub(super) fn bases(&self) -> [Option<u32>; 2] {
        [0, 1].map(|i| (self.known & (1 << i) != 0).then_some(self.bases[i]))
    }

    /// The base sequence numbers the port-reuse test compares a SYN with.
    pub(super) fn reuse_bases(&self) -> [Option<u32>; 2] {
        [0, 1].map(|i| (self.known & (4 << i) != 0).then_some(self.reuse_bases[i]))
    }
}

/// Conversations that ended, remembered up to a cap (the oldest are forgotten first).
pub(super) struct Graveyard {
    tombs: HashMap<FlowKey, Tomb, Hasher>,
    queue: VecDeque<(FlowKey, u32)>,
    next_seq: u32,
    cap: usize,
    /// Tombs dropped by the cap.
    pub(super) forgotten: u64,
}

impl Graveyard {
    pub(super) fn new(cap: usize) -> Graveyard {
        Graveyard {
            tombs: HashMap::with_capacity_and_hasher(cap + 1, Hasher::default()),
            queue: VecDeque::with_capacity(if cap == 0 { 0 } else { cap + cap / 4 + 1025 }),
            next_seq: 0,
            cap,
            forgotten: 0,
        }
    }

    pub(super) fn len(&self) -> usize {
        self.tombs.len()
    }

    pub(super) fn get(&self, key: &FlowKey) -> Option<&Tomb> {
        self.tombs.get(key)
    }

    /// Takes the tomb of `key` (the conversation comes back).
    pub(super) fn take(&mut self, key: &FlowKey) -> Option<Tomb> {
        self.tombs.remove(key)
    }

    /// Remembers `tomb` for `key`, forgetting the oldest past the cap.
    pub(super) fn bury(&mut self, key: FlowKey, mut tomb: Tomb) {
        if self.cap == 0 {
            self.forgotten += 1;
            return;
        }
        tomb.seq = self.next_seq;
        self.next_seq = self.next_seq.wrapping_add(1);
        self.tombs.insert(key, tomb);
        self.queue.push_back((key, tomb.seq));
        while self.tombs.len() > self.cap {
            let Some((old, seq)) = self.queue.pop_front() else {
                break;
            };
            if self.tombs.get(&old).is_some_and(|t| t.seq == seq) {
                self.tombs.remove(&old);
                self.forgotten += 1;
            }
        }
        // Entries of tombs taken back or replaced stay in the queue: drop them now and then.
        if self.queue.len() > self.tombs.len() + self.tombs.len() / 4 + 1024 {
            let tombs = &self.tombs;
            self.queue
                .retain(|(key, seq)| tombs.get(key).is_some_and(|t| t.seq == *seq));
        }
    }
}

/// The canonical key of the conversation between `a` and `b`, and whether `a` is its first
/// endpoint.
pub(super) fn key_of(a: Endpoint, b: Endpoint) -> (FlowKey, bool) {
    // IPv4 addresses order as their 32-bit numbers: the common case in a few instructions.
    let a_first = match (a.ip, b.ip) {
        (IpAddr::V4(x), IpAddr::V4(y)) => (x.to_bits(), a.port) <= (y.to_bits(), b.port),
        _ => a <= b,
    };
    if a_first {
        ((a, b), true)
    } else {
        ((b, a), false)
    }
}

/// Conversations that ended, kept whole (up to a cap, the oldest reduced to tombs first), so
/// that a late packet continues them with every number Wireshark gives it.
pub(super) struct Cold<C> {
    conns: HashMap<FlowKey, (Box<C>, u32), Hasher>,
    queue: VecDeque<(FlowKey, u32)>,
    next_seq: u32,
    cap: usize,
}

impl<C> Cold<C> {
    pub(super) fn new(cap: usize) -> Cold<C> {
        Cold {
            conns: HashMap::with_hasher(Hasher::default()),
            queue: VecDeque::new(),
            next_seq: 0,
            cap,
        }
    }

    pub(super) fn get(&self, key: &FlowKey) -> Option<&C> {
        self.conns.get(key).map(|(c, _)| &**c)
    }

    /// Takes the conversation of `key` back.
    pub(super) fn take(&mut self, key: &FlowKey) -> Option<Box<C>> {
        self.conns.remove(key).map(|(c, _)| c)
    }

    /// Keeps `conn`; returns the oldest one past the cap, to be reduced to a tomb.
    pub(super) fn keep(&mut self, key: FlowKey, conn: Box<C>) -> Option<(FlowKey, Box<C>)> {
        if self.cap == 0 {
            return Some((key, conn));
        }
        let seq = self.next_seq;
        self.next_seq = self.next_seq.wrapping_add(1);
        self.conns.insert(key, (conn, seq));
        self.queue.push_back((key, seq));
        let mut out = None;
        while self.conns.len() > self.cap && out.is_none() {
            let Some((old, seq)) = self.queue.pop_front() else {
                break;
            };
            if self.conns.get(&old).is_some_and(|(_, s)| *s == seq) {
                out = self.conns.remove(&old).map(|(c, _)| (old, c));
            }
        }
        if self.queue.len() > self.conns.len() + self.conns.len() / 4 + 1024 {
            let conns = &self.conns;
            self.queue
                .retain(|(key, seq)| conns.get(key).is_some_and(|(_, s)| s == seq));
        }
        out
    }
}
