//! What is kept of conversations that ended: tombs (a stream number and who spoke first) for
//! many, whole conversations for the most recent few, so that late packets and ICMP errors
//! quoting them get Wireshark's numbers.

use super::fifo::Fifo;
use crate::flow::FlowKey;

/// What is remembered of a conversation that ended, so that a late packet or an ICMP error
/// quoting it gets the stream number Wireshark gives it. Kept small: there may be many.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::flow) struct Tomb {
    /// Its stream number.
    pub(in crate::flow) stream: u32,
    /// The endpoint that sent its first packet is the key's first one.
    pub(in crate::flow) first_is_a: bool,
    /// It had packets (a conversation known only from an ICMP quote had none).
    pub(in crate::flow) had_packets: bool,
    /// The client is the key's first endpoint.
    pub(in crate::flow) client_is_a: bool,
    /// TCP: how the roles were decided.
    pub(in crate::flow) basis: crate::flow::RoleBasis,
    /// TCP: each direction's base sequence number for relative numbers (index 0: the first
    /// sender), and the one the port-reuse test compares a SYN with; bit `i` of `known`
    /// says that `bases[i]` is known, bit `2 + i` that `reuse_bases[i]` is.
    bases: [u32; 2],
    reuse_bases: [u32; 2],
    known: u8,
}

impl Tomb {
    /// A tomb for `stream`; the rest is filled by the caller.
    pub(in crate::flow) fn new(stream: u32) -> Tomb {
        Tomb {
            stream,
            first_is_a: true,
            had_packets: false,
            client_is_a: true,
            basis: crate::flow::RoleBasis::PortGuess,
            bases: [0; 2],
            reuse_bases: [0; 2],
            known: 0,
        }
    }

    /// Sets the base sequence numbers: for relative numbers, and for the port-reuse test.
    pub(in crate::flow) fn set_bases(&mut self, bases: [Option<u32>; 2], reuse: [Option<u32>; 2]) {
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
    pub(in crate::flow) fn bases(&self) -> [Option<u32>; 2] {
        [0, 1].map(|i| (self.known & (1 << i) != 0).then_some(self.bases[i]))
    }

    /// The base sequence numbers the port-reuse test compares a SYN with.
    pub(in crate::flow) fn reuse_bases(&self) -> [Option<u32>; 2] {
        [0, 1].map(|i| (self.known & (4 << i) != 0).then_some(self.reuse_bases[i]))
    }
}

/// Conversations that ended, remembered up to a cap (the oldest are forgotten first).
pub(in crate::flow) struct Graveyard {
    tombs: Fifo<Tomb>,
    cap: usize,
    /// Tombs dropped by the cap.
    pub(in crate::flow) forgotten: u64,
}

impl Graveyard {
    pub(in crate::flow) fn new(cap: usize) -> Graveyard {
        Graveyard {
            tombs: Fifo::with_capacity(cap),
            cap,
            forgotten: 0,
        }
    }

    pub(in crate::flow) fn len(&self) -> usize {
        self.tombs.len()
    }

    pub(in crate::flow) fn get(&self, key: &FlowKey) -> Option<&Tomb> {
        self.tombs.get(key)
    }

    /// Takes the tomb of `key` (the conversation comes back).
    pub(in crate::flow) fn take(&mut self, key: &FlowKey) -> Option<Tomb> {
        self.tombs.remove(key)
    }

    /// Remembers `tomb` for `key`, forgetting the oldest past the cap.
    pub(in crate::flow) fn bury(&mut self, key: FlowKey, tomb: Tomb) {
        if self.cap == 0 {
            self.forgotten += 1;
            return;
        }
        self.tombs.push(key, tomb);
        while self.tombs.len() > self.cap && self.tombs.pop_oldest().is_some() {
            self.forgotten += 1;
        }
    }
}

/// Conversations that ended, kept whole (up to a cap, the oldest reduced to tombs first), so
/// that a late packet continues them with every number Wireshark gives it.
pub(in crate::flow) struct Cold<C> {
    conns: Fifo<Box<C>>,
    cap: usize,
}

impl<C> Cold<C> {
    pub(in crate::flow) fn new(cap: usize) -> Cold<C> {
        Cold {
            conns: Fifo::with_capacity(0),
            cap,
        }
    }

    pub(in crate::flow) fn get(&self, key: &FlowKey) -> Option<&C> {
        self.conns.get(key).map(|c| &**c)
    }

    /// Takes the conversation of `key` back.
    pub(in crate::flow) fn take(&mut self, key: &FlowKey) -> Option<Box<C>> {
        self.conns.remove(key)
    }

    /// Keeps `conn`; returns the oldest one past the cap, to be reduced to a tomb.
    pub(in crate::flow) fn keep(
        &mut self,
        key: FlowKey,
        conn: Box<C>,
    ) -> Option<(FlowKey, Box<C>)> {
        if self.cap == 0 {
            return Some((key, conn));
        }
        self.conns.push(key, conn);
        if self.conns.len() > self.cap {
            self.conns.pop_oldest()
        } else {
            None
        }
    }
}
