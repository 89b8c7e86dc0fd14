//! TCP sequence numbers: 32-bit values that wrap, compared within half the number space
//! (RFC 9293 §3.4), so `0x0000_0010` comes after `0xffff_fff0`.

use std::cmp::Ordering;
use std::fmt;
use std::ops::{Add, Sub};

/// A sequence (or acknowledgment) number. Ordering wraps: `a < b` when `b` is less than
/// 2^31 ahead of `a`. It is a partial order only in name: any two numbers compare, but the
/// comparison is not transitive across more than half the space.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct SeqNum(pub u32);

impl SeqNum {
    /// The later of two numbers.
    pub fn max(self, other: SeqNum) -> SeqNum {
        if self < other { other } else { self }
    }

    /// Bytes from `earlier` to `self` (wrapping).
    pub fn since(self, earlier: SeqNum) -> u32 {
        self.0.wrapping_sub(earlier.0)
    }
}

impl PartialOrd for SeqNum {
    fn partial_cmp(&self, other: &SeqNum) -> Option<Ordering> {
        Some((self.0.wrapping_sub(other.0) as i32).cmp(&0))
    }
}

impl Add<u32> for SeqNum {
    type Output = SeqNum;

    fn add(self, n: u32) -> SeqNum {
        SeqNum(self.0.wrapping_add(n))
    }
}

impl Sub<u32> for SeqNum {
    type Output = SeqNum;

    fn sub(self, n: u32) -> SeqNum {
        SeqNum(self.0.wrapping_sub(n))
    }
}

impl fmt::Display for SeqNum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordering_wraps() {
        assert!(SeqNum(0xffff_fff0) < SeqNum(0x10));
        assert!(SeqNum(5) < SeqNum(6));
        assert!(SeqNum(6) >= SeqNum(6));
        assert!(SeqNum(0x10) > SeqNum(0xffff_fff0));
        assert_eq!(SeqNum(0xffff_fff0) + 0x20, SeqNum(0x10));
        assert_eq!(SeqNum(0x10).since(SeqNum(0xffff_fff0)), 0x20);
        assert_eq!(SeqNum(3).max(SeqNum(0xffff_0000)), SeqNum(3));
    }
}
