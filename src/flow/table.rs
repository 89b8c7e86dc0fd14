//! The conversations being followed, in bounded memory: a slab of live conversations indexed
//! by their endpoints and chained, per timeout class, in order of last activity; and the
//! "remembered" ones that ended, reduced to what keeps stream numbers exact.
//!
//! Each packet moves its conversation to the tail of its class's chain, so the head of each
//! chain is the one idle longest: finding what timed out, and the oldest to evict past the
//! cap, is O(1).

use std::net::IpAddr;

use super::{Endpoint, FlowKey};

mod ended;
mod fifo;
mod index;

pub(super) use ended::{Cold, Graveyard, Tomb};
use index::{Keyed, SlotIndex};

/// Hashing of flow keys. foldhash: fast on small fixed-size keys (about a third of SipHash's
/// cost here) and seeded per process, so a crafted capture cannot aim at collisions.
pub(super) type Hasher = foldhash::fast::RandomState;

/// No slot.
const NIL: u32 = u32::MAX;

/// Room made at once for this many entries at most: a table capped higher grows as it fills
/// (a cap of billions must not ask for memory for billions up front).
const PRESIZED: usize = 1 << 17;

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

impl<C> Keyed for Slot<C> {
    fn key(&self) -> &FlowKey {
        &self.key
    }
}

#[derive(Clone, Copy)]
struct Chain {
    head: u32,
    tail: u32,
}

/// Live conversations of one protocol.
pub(super) struct Table<C> {
    /// The slot of each live conversation, found by its key.
    index: SlotIndex,
    slots: Vec<Slot<C>>,
    free: Vec<u32>,
    chains: [Chain; CLASSES],
}

impl<C: Conn> Table<C> {
    /// A table sized for `cap` conversations (0: unknown; at most [`PRESIZED`]), so that it
    /// never grows by doubling (which holds the old and the new storage at once) below the
    /// cap. Storage not used yet costs no memory.
    pub(super) fn new(cap: usize) -> Table<C> {
        Table {
            index: SlotIndex::with_capacity(cap),
            slots: Vec::with_capacity(cap.min(PRESIZED)),
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
        self.index.find(&self.slots, key)
    }

    /// The slot of a live conversation, `hint` first (the slot of the previous packet's:
    /// consecutive packets are often of one conversation), else through the index.
    pub(super) fn find_from(&self, key: &FlowKey, hint: u32) -> Option<u32> {
        match self.slots.get(hint as usize) {
            Some(s) if s.conn.is_some() && s.key == *key => Some(hint),
            _ => self.find(key),
        }
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
        let at = place(&mut self.slots, &mut self.free, slot);
        self.index.insert(&self.slots, &key, at);
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
    /// `recheck`: the packet may have changed its class (else it keeps the one it had).
    pub(super) fn touch(&mut self, slot: u32, now: u64, recheck: bool) {
        let Some(s) = self.slots.get_mut(slot as usize) else {
            return;
        };
        s.last = now;
        let class = if recheck {
            s.conn.as_ref().map_or(0, |c| c.class()) as u8
        } else {
            s.class
        };
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
        self.index.remove(&key, slot);
        self.free.push(slot);
        Some((key, conn))
    }

    /// Every live slot, for the end of the capture.
    pub(super) fn slots(&self) -> Vec<u32> {
        self.index.slots().collect()
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

/// Puts `value` in a free slot of `slots` (the last freed, still cached), or a new one: its
/// number.
fn place<T>(slots: &mut Vec<T>, free: &mut Vec<u32>, value: T) -> u32 {
    match free.pop() {
        Some(at) => {
            slots[at as usize] = value;
            at
        }
        None => {
            slots.push(value);
            (slots.len() - 1) as u32
        }
    }
}

/// The canonical key of the conversation between `a` and `b`, and whether `a` is its first
/// endpoint.
pub(super) fn key_of(a: Endpoint, b: Endpoint) -> (FlowKey, bool) {
    if comes_first(&a.ip, a.port, &b.ip, b.port) {
        ((a, b), true)
    } else {
        ((b, a), false)
    }
}

/// [`key_of`] the endpoints of a packet, built straight from its decoded addresses. Inlined:
/// it runs for every packet. Building the key from endpoints just assembled on the stack
/// made the processor reload them in other widths than they were stored in and wait for
/// the stores to complete (a failed store-to-load forwarding, twice per packet): ~7% of the
/// time of a timeline.
#[inline]
pub(super) fn key_in(ip: &crate::decode::IpInfo, sport: u16, dport: u16) -> (FlowKey, bool) {
    let src = Endpoint {
        ip: ip.src,
        port: sport,
    };
    let dst = Endpoint {
        ip: ip.dst,
        port: dport,
    };
    if comes_first(&ip.src, sport, &ip.dst, dport) {
        ((src, dst), true)
    } else {
        ((dst, src), false)
    }
}

/// Whether the endpoint `a`:`a_port` comes before `b`:`b_port` (or is it), as endpoints
/// order.
#[inline]
fn comes_first(a: &IpAddr, a_port: u16, b: &IpAddr, b_port: u16) -> bool {
    match (a, b) {
        // IPv4 addresses order as their 32-bit numbers: the common case in a few
        // instructions.
        (IpAddr::V4(x), IpAddr::V4(y)) => (x.to_bits(), a_port) <= (y.to_bits(), b_port),
        _ => in_order(a, a_port, b, b_port),
    }
}

/// [`comes_first`] for IPv6 or mixed addresses.
#[inline(never)]
fn in_order(a: &IpAddr, a_port: u16, b: &IpAddr, b_port: u16) -> bool {
    (a, a_port) <= (b, b_port)
}

#[cfg(test)]
mod tests {
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

    use super::{Endpoint, key_in, key_of};
    use crate::decode::IpInfo;

    /// The key read from a packet's addresses is the key of its endpoints, for IPv4, IPv6
    /// and mixed addresses, in both directions, equal ports or not.
    #[test]
    fn keys_from_addresses_are_keys_from_endpoints() {
        let ips = [
            IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)),
            IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2)),
            IpAddr::V4(Ipv4Addr::new(192, 168, 1, 1)),
            IpAddr::V6(Ipv6Addr::LOCALHOST),
            IpAddr::V6(Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, 1)),
            IpAddr::V6(Ipv4Addr::new(10, 0, 0, 1).to_ipv6_mapped()),
        ];
        for src in ips {
            for dst in ips {
                for (sport, dport) in [(80, 80), (80, 40000), (40000, 80), (0, 65535)] {
                    let ip = IpInfo {
                        version: if src.is_ipv4() { 4 } else { 6 },
                        src,
                        dst,
                        ttl: 64,
                        protocol: 6,
                        id: None,
                        dont_fragment: false,
                        payload_len: 0,
                        fragment: None,
                    };
                    let a = Endpoint {
                        ip: src,
                        port: sport,
                    };
                    let b = Endpoint {
                        ip: dst,
                        port: dport,
                    };
                    let (key, a_first) = key_of(a, b);
                    assert_eq!(key_in(&ip, sport, dport), (key, a_first), "{a:?} {b:?}");
                    assert!(key.0 <= key.1, "{key:?}");
                    assert_eq!(key_of(b, a).0, key, "{a:?} {b:?}");
                }
            }
        }
    }
}
