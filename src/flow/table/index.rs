//! The index of a slab of conversations, or of what is kept of them: slot numbers found by
//! the hash of a flow key. Only slot numbers are stored (4 bytes each, not the 40-byte key
//! beside them), so the index of a large capture stays in the processor's cache, and the key
//! is compared in the slot, which the caller reads next anyway.

use std::hash::BuildHasher;

use hashbrown::HashTable;

use super::{Hasher, PRESIZED};
use crate::flow::FlowKey;

/// A slot of a slab the index points into.
pub(super) trait Keyed {
    /// The flow key the slot holds.
    fn key(&self) -> &FlowKey;
}

/// Slot numbers of a slab, found by the key each slot holds.
pub(super) struct SlotIndex {
    index: HashTable<u32>,
    hasher: Hasher,
}

impl SlotIndex {
    /// An empty index with room made for `expected` slots, [`PRESIZED`] at most (storage
    /// not used yet costs no memory).
    pub(super) fn with_capacity(expected: usize) -> SlotIndex {
        SlotIndex {
            index: HashTable::with_capacity(expected.min(PRESIZED)),
            hasher: Hasher::default(),
        }
    }

    /// Slots indexed.
    pub(super) fn len(&self) -> usize {
        self.index.len()
    }

    /// The slot of `slots` that holds `key`. Inlined: it runs for every packet.
    #[inline]
    pub(super) fn find<S: Keyed>(&self, slots: &[S], key: &FlowKey) -> Option<u32> {
        self.index
            .find(self.hasher.hash_one(key), |&s| holds(slots, s, key))
            .copied()
    }

    /// Indexes `slot`, which holds `key` (not indexed yet).
    pub(super) fn insert<S: Keyed>(&mut self, slots: &[S], key: &FlowKey, slot: u32) {
        let hasher = &self.hasher;
        let rehash = |&s: &u32| {
            slots
                .get(s as usize)
                .map_or(0, |slot| hasher.hash_one(slot.key()))
        };
        self.index.insert_unique(hasher.hash_one(key), slot, rehash);
    }

    /// Takes the slot holding `key` out of the index: its number.
    pub(super) fn take<S: Keyed>(&mut self, slots: &[S], key: &FlowKey) -> Option<u32> {
        let entry = self
            .index
            .find_entry(self.hasher.hash_one(key), |&s| holds(slots, s, key))
            .ok()?;
        Some(entry.remove().0)
    }

    /// Takes `slot`, which holds `key`, out of the index.
    pub(super) fn remove(&mut self, key: &FlowKey, slot: u32) {
        if let Ok(entry) = self
            .index
            .find_entry(self.hasher.hash_one(key), |&s| s == slot)
        {
            entry.remove();
        }
    }

    /// Every slot indexed, in no particular order.
    pub(super) fn slots(&self) -> impl Iterator<Item = u32> + '_ {
        self.index.iter().copied()
    }
}

/// Whether slot `s` of `slots` holds `key`.
#[inline]
fn holds<S: Keyed>(slots: &[S], s: u32, key: &FlowKey) -> bool {
    slots.get(s as usize).is_some_and(|slot| slot.key() == key)
}
