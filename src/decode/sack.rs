//! The blocks of one SACK option, kept inline: options are decoded for every segment, and a
//! vector per SACK option would cost an allocation each time.

use std::fmt;
use std::ops::Deref;

/// Most blocks one SACK option holds: the 40 bytes of options fit four.
const MAX_BLOCKS: usize = 4;

/// The left and right edges of the blocks of one SACK option, in wire order.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct SackBlocks {
    blocks: [(u32, u32); MAX_BLOCKS],
    len: u8,
}

impl SackBlocks {
    /// The blocks of `blocks`, the first four at most.
    pub fn new(blocks: &[(u32, u32)]) -> SackBlocks {
        blocks.iter().copied().collect()
    }

    /// Adds the blocks of `more` while there is room.
    pub fn append(&mut self, more: &[(u32, u32)]) {
        for &block in more {
            let Some(slot) = self.blocks.get_mut(usize::from(self.len)) else {
                return;
            };
            *slot = block;
            self.len += 1;
        }
    }

    /// The blocks as a slice.
    pub fn as_slice(&self) -> &[(u32, u32)] {
        &self.blocks[..usize::from(self.len)]
    }
}

impl FromIterator<(u32, u32)> for SackBlocks {
    /// The first four blocks of `iter`.
    fn from_iter<I: IntoIterator<Item = (u32, u32)>>(iter: I) -> SackBlocks {
        let mut sack = SackBlocks::default();
        for (slot, block) in sack.blocks.iter_mut().zip(iter) {
            *slot = block;
            sack.len += 1;
        }
        sack
    }
}

impl Deref for SackBlocks {
    type Target = [(u32, u32)];

    fn deref(&self) -> &[(u32, u32)] {
        self.as_slice()
    }
}

impl<'a> IntoIterator for &'a SackBlocks {
    type Item = &'a (u32, u32);
    type IntoIter = std::slice::Iter<'a, (u32, u32)>;

    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

impl fmt::Debug for SackBlocks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.as_slice()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_four_blocks_in_order() {
        let all = [(1, 2), (3, 4), (5, 6), (7, 8), (9, 10)];
        let sack = SackBlocks::new(&all);
        assert_eq!(sack.as_slice(), &all[..4]);
        assert_eq!(format!("{:?}", SackBlocks::new(&all[..1])), "[(1, 2)]");
        let mut more = SackBlocks::new(&all[..3]);
        more.append(&all[3..]);
        assert_eq!(more.as_slice(), &all[..4]);
    }
}
