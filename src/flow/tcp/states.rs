//! Each endpoint's TCP state as a passive observer infers it. Every change goes through
//! [`Endpoints::set`], which records the transition for the packet that caused it.

use super::Control;
use super::half::Half;
use crate::analysis::TcpState;
use crate::flow::seq::SeqNum;
use crate::flow::{Side, StateChange};

/// The two endpoints' states (index 0: the endpoint that sent the first packet seen) and the
/// transitions the current packet caused.
#[derive(Debug, Default)]
pub(super) struct Endpoints {
    states: [Option<TcpState>; 2],
    /// Per endpoint: the state before the current packet, when it changed.
    before: [Option<Option<TcpState>>; 2],
}

impl Endpoints {
    /// The state of endpoint `i`.
    pub(super) fn get(&self, i: usize) -> Option<TcpState> {
        self.states[i]
    }

    /// Moves endpoint `i` to `to`, remembering where it was before the current packet.
    pub(super) fn set(&mut self, i: usize, to: TcpState) {
        if self.states[i] == Some(to) {
            return;
        }
        self.before[i].get_or_insert(self.states[i]);
        self.states[i] = Some(to);
    }

    /// Both endpoints start as unknown (the capture began mid-connection).
    pub(super) fn set_unknown(&mut self) {
        self.states = [Some(TcpState::Unknown), Some(TcpState::Unknown)];
    }

    /// A clean slate for the next packet, the transitions of the current one unread.
    pub(super) fn forget_changes(&mut self) {
        self.before = [None; 2];
    }

    /// The transitions the current packet caused, client first, and a clean slate for the
    /// next packet. A side that went somewhere and back shows no change.
    pub(super) fn take_changes(
        &mut self,
        client: usize,
        side: impl Fn(usize) -> Side,
        changes: &mut Vec<StateChange>,
    ) {
        changes.clear();
        for i in [client, 1 - client] {
            if let Some(from) = self.before[i].take()
                && let Some(to) = self.states[i]
                && from != Some(to)
            {
                changes.push(StateChange {
                    side: side(i),
                    from,
                    to,
                });
            }
        }
    }
}

/// Applies a segment from endpoint `d` to both endpoints' states, in the order the two TCP
/// machines react: the receiver to the ACK field, the sender's own transition, then the
/// receiver to a FIN. `halves` is what each side had sent before this segment.
pub(super) fn apply(
    states: &mut Endpoints,
    halves: &[Half; 2],
    d: usize,
    ack: SeqNum,
    c: Control,
    first_fin: bool,
) {
    use TcpState::*;
    let r = 1 - d;
    if c.rst {
        states.set(d, Closed);
        states.set(r, Closed);
        return;
    }
    if c.ack {
        let fin_acked = halves[r].fin_covered_by(ack);
        let syn_acked = halves[r].syn_covered_by(ack);
        // In a simultaneous open a SYN/ACK answers our SYN/ACK: established too.
        match states.get(r) {
            Some(SynReceived) if syn_acked => states.set(r, Established),
            Some(FinWait1) if fin_acked => states.set(r, FinWait2),
            Some(Closing) if fin_acked => states.set(r, TimeWait),
            Some(LastAck) if fin_acked => states.set(r, Closed),
            _ => {}
        }
    }
    // A SYN repeated once the endpoint is open or closing (same ISN, so no new stream) does
    // not take it back to the handshake.
    let opening = matches!(
        states.get(d),
        None | Some(Unknown | Listen | Closed | SynSent | SynReceived)
    );
    if c.syn && !c.ack && opening {
        if !matches!(states.get(d), Some(SynSent | SynReceived)) {
            states.set(d, SynSent);
        }
    } else if c.syn && opening {
        // In a simultaneous open the peer's SYN/ACK may already have acknowledged ours.
        let peer_acked_our_syn = halves[r].sent_synack
            && halves[r]
                .last_ack
                .is_some_and(|a| halves[d].syn_covered_by(a));
        if peer_acked_our_syn {
            states.set(d, Established);
        } else if states.get(d) != Some(Established) {
            states.set(d, SynReceived);
        }
        if matches!(states.get(r), None | Some(Unknown)) {
            states.set(r, SynSent);
        }
    } else if c.ack && states.get(d) == Some(SynSent) && halves[r].syn_covered_by(ack) {
        states.set(d, Established);
    }
    if first_fin {
        let peer_fin = halves[r].fin_seq.is_some();
        let acks_peer_fin = c.ack && halves[r].fin_covered_by(ack);
        match states.get(d) {
            Some(CloseWait) if peer_fin && !acks_peer_fin => states.set(d, Closing),
            Some(CloseWait) => states.set(d, LastAck),
            Some(Unknown) if peer_fin => states.set(d, LastAck),
            Some(Established | SynReceived | SynSent | Unknown) | None => states.set(d, FinWait1),
            _ => {}
        }
    }
    if c.ack && !first_fin && halves[r].fin_covered_by(ack) {
        match states.get(d) {
            Some(FinWait2) => states.set(d, TimeWait),
            Some(FinWait1) if halves[d].fin_acked => states.set(d, TimeWait),
            Some(FinWait1) => states.set(d, Closing),
            Some(Established | Unknown) => states.set(d, CloseWait),
            _ => {}
        }
    }
    if first_fin
        && matches!(
            states.get(r),
            Some(Established | Unknown | SynReceived) | None
        )
    {
        states.set(r, CloseWait);
    }
}
