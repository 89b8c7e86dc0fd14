//! Zeek's history letters: one letter per kind of thing each side did, upper case for the
//! client, in the order they first happened.

use super::{Control, TcpConn};
use crate::analysis::{Finding, Findings, HistoryKind};

/// Each letter comes at most once per side.
const MOST: usize = 2 * HistoryKind::ALL.len();

/// The letters in the order they came, in place (no allocation per connection).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct History {
    letters: [u8; MOST],
    len: u8,
}

impl History {
    fn push(&mut self, letter: char) {
        if let (Some(slot), Ok(byte)) = (
            self.letters.get_mut(usize::from(self.len)),
            u8::try_from(letter),
        ) {
            *slot = byte;
            self.len += 1;
        }
    }

    /// The letters as a string.
    pub(super) fn to_text(self) -> String {
        self.letters[..usize::from(self.len)]
            .iter()
            .map(|&b| char::from(b))
            .collect()
    }
}

impl TcpConn {
    fn record_history(&mut self, d: usize, kind: HistoryKind) {
        let letter = kind.letter();
        let bit = 1u32 << kind as u32;
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
        findings: Findings,
    ) {
        if c.syn && c.fin {
            self.record_history(d, HistoryKind::SynFin);
        }
        if c.syn && !c.ack {
            self.record_history(d, HistoryKind::Syn);
        } else if c.syn {
            self.record_history(d, HistoryKind::SynAck);
        }
        if c.rst {
            self.record_history(d, HistoryKind::Rst);
        }
        if c.fin {
            self.record_history(d, HistoryKind::Fin);
        }
        if seglen > 0 {
            self.record_history(d, HistoryKind::Data);
        } else if c.ack && !c.syn && !c.fin && !c.rst {
            self.record_history(d, HistoryKind::Ack);
        }
        if retransmission {
            self.record_history(d, HistoryKind::Retransmission);
        }
        if findings.contains(Finding::ZeroWindow) {
            self.record_history(d, HistoryKind::ZeroWindow);
        }
    }
}
