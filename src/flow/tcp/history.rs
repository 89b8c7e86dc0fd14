//! Zeek's history letters: one letter per kind of thing each side did, upper case for the
//! client, in the order they first happened.

use super::{Control, TcpConn};
use crate::analysis::Finding;

impl TcpConn {
    fn record_history(&mut self, d: usize, letter: char) {
        let bit = 1u32 << (letter as u8).wrapping_sub(b'a').min(31);
        if self.halves[d].history_seen & bit == 0 {
            self.halves[d].history_seen |= bit;
            let letter = if d == self.client {
                letter.to_ascii_uppercase()
            } else {
                letter
            };
            self.history.push(letter);
        }
    }

    /// Zeek's history letters for this segment.
    pub(super) fn record_letters(
        &mut self,
        d: usize,
        c: Control,
        seglen: u32,
        retransmission: bool,
        findings: &[Finding],
    ) {
        if c.syn && c.fin {
            self.record_history(d, 'q');
        }
        if c.syn && !c.ack {
            self.record_history(d, 's');
        } else if c.syn {
            self.record_history(d, 'h');
        }
        if c.rst {
            self.record_history(d, 'r');
        }
        if c.fin {
            self.record_history(d, 'f');
        }
        if seglen > 0 {
            self.record_history(d, 'd');
        } else if c.ack && !c.syn && !c.fin && !c.rst {
            self.record_history(d, 'a');
        }
        if retransmission {
            self.record_history(d, 't');
        }
        if findings.contains(&Finding::ZeroWindow) {
            self.record_history(d, 'w');
        }
    }
}
