//! Values found by flow key and kept in order of arrival, so that the oldest can be let go
//! first: what is kept of conversations that ended.
//!
//! The values sit in a slab chained from oldest to newest, and an index holds only slot
//! numbers (as the table of live conversations does): taking a value back, keeping one and
//! letting the oldest go each cost one lookup, with nothing to sweep later.

use super::index::{Keyed, SlotIndex};
use super::{NIL, place};
use crate::flow::FlowKey;

/// Values found by flow key, oldest first.
pub(super) struct Fifo<V> {
    index: SlotIndex,
    slots: Vec<Slot<V>>,
    free: Vec<u32>,
    /// The oldest and the newest slot.
    head: u32,
    tail: u32,
}

struct Slot<V> {
    key: FlowKey,
    value: Option<V>,
    prev: u32,
    next: u32,
}

impl<V> Keyed for Slot<V> {
    fn key(&self) -> &FlowKey {
        &self.key
    }
}

impl<V> Fifo<V> {
    /// An empty one, with room made for `expected` values, [`super::PRESIZED`] at most
    /// (storage not used yet costs no memory).
    pub(super) fn with_capacity(expected: usize) -> Fifo<V> {
        Fifo {
            index: SlotIndex::with_capacity(expected),
            slots: Vec::with_capacity(expected.min(super::PRESIZED)),
            free: Vec::new(),
            head: NIL,
            tail: NIL,
        }
    }

    /// Values kept.
    pub(super) fn len(&self) -> usize {
        self.index.len()
    }

    /// The value kept for `key`.
    pub(super) fn get(&self, key: &FlowKey) -> Option<&V> {
        let slot = self.index.find(&self.slots, key)?;
        self.slots.get(slot as usize)?.value.as_ref()
    }

    /// Takes the value of `key` out.
    pub(super) fn remove(&mut self, key: &FlowKey) -> Option<V> {
        let slot = self.index.take(&self.slots, key)?;
        self.release(slot)
    }

    /// Keeps `value` for `key` as the newest. `key` must have none: a conversation is in
    /// one place at a time (live, kept whole, or a tomb), and each leaves the other before.
    pub(super) fn push(&mut self, key: FlowKey, value: V) {
        debug_assert!(
            self.index.find(&self.slots, &key).is_none(),
            "a key kept twice"
        );
        let slot = Slot {
            key,
            value: Some(value),
            prev: self.tail,
            next: NIL,
        };
        let at = place(&mut self.slots, &mut self.free, slot);
        match self.slots.get_mut(self.tail as usize) {
            Some(tail) => tail.next = at,
            None => self.head = at,
        }
        self.tail = at;
        self.index.insert(&self.slots, &key, at);
    }

    /// Takes the oldest value out.
    pub(super) fn pop_oldest(&mut self) -> Option<(FlowKey, V)> {
        let head = self.head;
        let key = self.slots.get(head as usize)?.key;
        self.index.remove(&key, head);
        self.release(head).map(|value| (key, value))
    }

    /// Unchains `slot` (already out of the index) and gives its value.
    fn release(&mut self, slot: u32) -> Option<V> {
        let s = self.slots.get_mut(slot as usize)?;
        let (prev, next) = (s.prev, s.next);
        let value = s.value.take();
        match self.slots.get_mut(prev as usize) {
            Some(p) => p.next = next,
            None => self.head = next,
        }
        match self.slots.get_mut(next as usize) {
            Some(n) => n.prev = prev,
            None => self.tail = prev,
        }
        self.free.push(slot);
        value
    }
}

#[cfg(test)]
mod tests {
    use std::net::{IpAddr, Ipv4Addr};

    use super::*;
    use crate::flow::Endpoint;

    fn key(port: u16) -> FlowKey {
        let ip = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));
        (Endpoint { ip, port }, Endpoint { ip, port: 80 })
    }

    fn drain(fifo: &mut Fifo<u32>) -> Vec<(u16, u32)> {
        std::iter::from_fn(|| fifo.pop_oldest())
            .map(|(k, v)| (k.0.port, v))
            .collect()
    }

    #[test]
    fn the_oldest_goes_first_and_a_value_pushed_again_becomes_the_newest() {
        let mut fifo = Fifo::with_capacity(0);
        for port in 1..=4 {
            fifo.push(key(port), u32::from(port) * 10);
        }
        assert_eq!(fifo.remove(&key(2)), Some(20));
        fifo.push(key(2), 21);
        assert_eq!(fifo.remove(&key(3)), Some(30));
        assert_eq!(fifo.remove(&key(3)), None);
        assert_eq!(fifo.get(&key(4)), Some(&40));
        assert_eq!(fifo.len(), 3);
        assert_eq!(drain(&mut fifo), [(1, 10), (4, 40), (2, 21)]);
        assert_eq!(fifo.len(), 0);
        assert_eq!(fifo.get(&key(1)), None);
    }

    #[test]
    fn slots_are_reused_and_the_order_survives_many_rounds() {
        let mut fifo = Fifo::with_capacity(4);
        let mut model: std::collections::VecDeque<(u16, u32)> = Default::default();
        for round in 0..2_000u32 {
            let port = (round * 7 % 13) as u16;
            match round % 5 {
                0..=2 => {
                    let before = model.iter().position(|(p, _)| *p == port);
                    let before = before.and_then(|i| model.remove(i)).map(|(_, v)| v);
                    assert_eq!(fifo.remove(&key(port)), before);
                    fifo.push(key(port), round);
                    model.push_back((port, round));
                }
                3 => {
                    let expected = model.iter().position(|(p, _)| *p == port);
                    let expected = expected.and_then(|i| model.remove(i)).map(|(_, v)| v);
                    assert_eq!(fifo.remove(&key(port)), expected);
                }
                _ => {
                    let got = fifo.pop_oldest().map(|(k, v)| (k.0.port, v));
                    assert_eq!(got, model.pop_front());
                }
            }
            assert_eq!(fifo.len(), model.len());
        }
        assert!(fifo.slots.len() <= 13, "{} slots", fifo.slots.len());
        assert_eq!(drain(&mut fifo), Vec::from(model));
    }
}
