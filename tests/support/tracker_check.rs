//! The invariants the tracker keeps on any segment script, checked after every packet
//! (see [`Checker`]):
//!
//! 1. Streams: every TCP or UDP packet gets exactly one stream (`obs.stream` is `Some`). The
//!    first packet of a 4-tuple (either direction) opens stream `n`, where `n` is the number
//!    of streams of that protocol so far; later packets of the 4-tuple keep its stream, except
//!    a TCP bare SYN (SYN without ACK) whose sequence number differs from the base of its
//!    direction, which opens the next stream and carries `tcp.analysis.reused_ports`. A
//!    SYN/ACK whose sequence number differs from its direction's base carries that flag too
//!    but stays in its stream (as in Wireshark).
//! 2. Relative numbers: `base(d)` of a direction is fixed by its first segment (its SEQ if it
//!    is a SYN, SEQ−1 otherwise) or earlier by the peer's first ACK (ACK−1), and moved to the
//!    SEQ of a SYN/ACK that differs from it. Every segment has
//!    `seq == SEQ − base(sender)` and `ack == ACK − base(receiver)` (mod 2^32; `ack` is `None`
//!    without the ACK flag). So a segment that follows the base by less than 2^31
//!    (`(SEQ − base) mod 2^32 < 2^31`) never gets a "negative" relative number (≥ 2^31).
//! 3. States: each reported change `from → to` starts at the state the stream last reported
//!    for that side and ends at the state now reported; a side without a change keeps its state.
//!    A change is allowed when `from` is unknown (not yet known, or "unknown"), when `to` is
//!    "unknown", when the packet carries RST and `to` is CLOSED (RFC 9293 reset processing),
//!    or otherwise when `to` is reachable from `from` along [`ARCS`] in at most
//!    1 + (number of SYN, ACK and FIN flags on the packet) arcs: each of those flags may drive
//!    one transition, and one more may be implied without being seen on the wire (a passive
//!    OPEN's LISTEN, or an ESTABLISHED whose ACK the capture missed).
//! 4. Lengths: `obs.len` is the payload length of the segment.
//!
//! At the end, `conversations()` lists exactly the streams opened, with as many packets as
//! were given to each, and each TCP stream's final states are the last ones reported.

use std::collections::HashMap;
use std::net::IpAddr;

use handshake_viz::analysis::{Finding, TcpState};
use handshake_viz::capture::Frame;
use handshake_viz::flow::{Observation, Proto, Side, Tracker};

use super::{ACK, FIN, RST, SYN, Segment};

/// Non-reset transitions of RFC 9293's state diagram (Figure 5), plus one observer's
/// correction: CLOSE-WAIT → CLOSING when an endpoint's FIN does not acknowledge the peer's FIN
/// seen before it, so the two FINs crossed (in the endpoint's own terms ESTABLISHED →
/// FIN-WAIT-1 → CLOSING).
pub const ARCS: &[(TcpState, TcpState)] = {
    use TcpState::*;
    &[
        (Closed, Listen),
        (Closed, SynSent),
        (Listen, SynReceived),
        (Listen, SynSent),
        (Listen, Closed),
        (SynSent, SynReceived),
        (SynSent, Established),
        (SynSent, Closed),
        (SynReceived, Established),
        (SynReceived, FinWait1),
        (Established, FinWait1),
        (Established, CloseWait),
        (FinWait1, FinWait2),
        (FinWait1, Closing),
        (FinWait1, TimeWait),
        (FinWait2, TimeWait),
        (CloseWait, LastAck),
        (Closing, TimeWait),
        (LastAck, Closed),
        (TimeWait, Closed),
        (CloseWait, Closing),
    ]
};

fn reachable(from: TcpState, to: TcpState, arcs: usize) -> bool {
    let mut frontier = vec![from];
    for _ in 0..arcs {
        let next: Vec<TcpState> = frontier
            .iter()
            .flat_map(|f| ARCS.iter().filter(move |(a, _)| a == f).map(|(_, b)| *b))
            .collect();
        if next.contains(&to) {
            return true;
        }
        frontier = next;
    }
    false
}

/// Whether a packet with TCP `flags` may move one endpoint from `from` to `to` (invariant 3).
pub fn transition_allowed(from: Option<TcpState>, to: TcpState, flags: u16) -> bool {
    match from {
        None | Some(TcpState::Unknown) => true,
        _ if to == TcpState::Unknown => true,
        _ if flags & RST != 0 => to == TcpState::Closed,
        Some(from) => {
            let signals = [SYN, ACK, FIN].iter().filter(|f| flags & **f != 0).count();
            reachable(from, to, 1 + signals)
        }
    }
}

type Key = (Proto, (IpAddr, u16), (IpAddr, u16));
type States = (Option<TcpState>, Option<TcpState>);

#[derive(Default)]
struct StreamModel {
    packets: u64,
    /// Relative-number base per endpoint (keyed by the endpoint that sends with it).
    base: HashMap<(IpAddr, u16), u32>,
    states: Option<States>,
}

/// Follows a script next to the tracker and checks every observation against the invariants.
#[derive(Default)]
pub struct Checker {
    current: HashMap<Key, u32>,
    streams: HashMap<(Proto, u32), StreamModel>,
    counts: [u32; 2],
}

fn proto_slot(p: Proto) -> usize {
    match p {
        Proto::Tcp => 0,
        Proto::Udp => 1,
    }
}

impl Checker {
    /// Checks one observation of segment `s` (whose frame was `frame`).
    pub fn packet(&mut self, frame: &Frame, s: &Segment, obs: &Observation) -> Result<(), String> {
        let proto = if s.udp { Proto::Udp } else { Proto::Tcp };
        let (src, dst) = match (obs.src, obs.sport, obs.dst, obs.dport) {
            (Some(a), Some(ap), Some(b), Some(bp)) => ((a, ap), (b, bp)),
            _ => return Err(format!("frame {}: no endpoints", frame.index)),
        };
        let key = if src <= dst {
            (proto, src, dst)
        } else {
            (proto, dst, src)
        };
        let stream = obs
            .stream
            .ok_or_else(|| format!("frame {}: a {proto:?} packet without stream", frame.index))?;
        let tcp = match (s.udp, &obs.tcp) {
            (true, _) => None,
            (false, Some(t)) => Some(t.clone()),
            (false, None) => {
                return Err(format!(
                    "frame {}: TCP segment without numbers",
                    frame.index
                ));
            }
        };
        let (seq_raw, flags) = tcp.as_ref().map_or((0, 0), |t| (t.seq_raw, t.flags));
        let bare_syn = !s.udp && flags & (SYN | ACK) == SYN;
        let known = self.current.get(&key).copied();
        let reuse = bare_syn
            && known.is_some_and(|k| {
                self.streams[&(proto, k)]
                    .base
                    .get(&src)
                    .is_some_and(|b| *b != seq_raw)
            });
        let expected = match known {
            Some(k) if !reuse => k,
            _ => self.counts[proto_slot(proto)],
        };
        if stream != expected {
            return Err(format!(
                "frame {}: stream {stream}, expected {expected} (reuse {reuse})",
                frame.index
            ));
        }
        // A SYN/ACK with another initial number than its direction's base is flagged too
        // (Wireshark), but stays in its stream and moves the base there.
        let syn_ack = !s.udp && flags & (SYN | ACK) == SYN | ACK;
        let rebase = syn_ack
            && !reuse
            && known.is_some_and(|k| {
                self.streams[&(proto, k)]
                    .base
                    .get(&src)
                    .is_some_and(|b| *b != seq_raw)
            });
        if (reuse || rebase) != obs.findings.contains(Finding::ReusedPorts) {
            return Err(format!(
                "frame {}: reused_ports should be {}",
                frame.index,
                reuse || rebase
            ));
        }
        if known.is_none() || reuse {
            self.counts[proto_slot(proto)] += 1;
            self.current.insert(key, stream);
        }
        let model = self.streams.entry((proto, stream)).or_default();
        model.packets += 1;
        let len = u32::from(s.len % 1024);
        if obs.len != Some(len) {
            return Err(format!(
                "frame {}: len {:?}, sent {len}",
                frame.index, obs.len
            ));
        }
        let Some(t) = tcp else {
            if s.udp && (obs.tcp.is_some() || obs.states.is_some() || !obs.changes.is_empty()) {
                return Err(format!(
                    "frame {}: TCP facts on a UDP datagram",
                    frame.index
                ));
            }
            return Ok(());
        };
        // Invariant 2: relative numbers.
        let syn = flags & SYN != 0;
        let ack = flags & ACK != 0;
        if rebase {
            model.base.insert(src, t.seq_raw);
        }
        let base = *model.base.entry(src).or_insert(if syn {
            t.seq_raw
        } else {
            t.seq_raw.wrapping_sub(1)
        });
        if ack {
            model.base.entry(dst).or_insert(t.ack_raw.wrapping_sub(1));
        }
        let expected_seq = t.seq_raw.wrapping_sub(base);
        if t.seq != expected_seq || (expected_seq < 1 << 31 && t.seq >= 1 << 31) {
            return Err(format!(
                "frame {}: relative seq {}, expected {expected_seq} (raw {}, base {base})",
                frame.index, t.seq, t.seq_raw
            ));
        }
        let expected_ack = ack.then(|| t.ack_raw.wrapping_sub(model.base[&dst]));
        if t.ack != expected_ack {
            return Err(format!(
                "frame {}: relative ack {:?}, expected {expected_ack:?}",
                frame.index, t.ack
            ));
        }
        if t.len != len {
            return Err(format!("frame {}: tcp.len {} != {len}", frame.index, t.len));
        }
        // Invariant 3: states.
        let now = obs
            .states
            .ok_or_else(|| format!("frame {}: TCP segment without states", frame.index))?;
        let first = model.states.is_none();
        let before = model.states.unwrap_or((None, None));
        for (side, was, is) in [
            (Side::Client, before.0, now.0),
            (Side::Server, before.1, now.1),
        ] {
            let changes: Vec<_> = obs.changes.iter().filter(|c| c.side == side).collect();
            match (changes.as_slice(), is) {
                ([], _) if first || was == is => {}
                ([c], Some(to)) if c.to == to && (first || c.from == was) => {
                    if !transition_allowed(c.from, c.to, flags) {
                        return Err(format!(
                            "frame {}: {} {} → {} on flags {:#05x} is not a TCP transition",
                            frame.index,
                            side.as_str(),
                            c.from.map_or("none", TcpState::as_str),
                            c.to,
                            flags
                        ));
                    }
                }
                _ => {
                    return Err(format!(
                        "frame {}: {} went {was:?} → {is:?} with changes {changes:?}",
                        frame.index,
                        side.as_str()
                    ));
                }
            }
        }
        model.states = Some(now);
        Ok(())
    }

    /// Checks the summaries at the end of the script.
    pub fn finish(&self, tracker: &Tracker) -> Result<(), String> {
        let conversations = tracker.conversations();
        if conversations.len() != self.streams.len() {
            return Err(format!(
                "{} conversations, {} streams opened",
                conversations.len(),
                self.streams.len()
            ));
        }
        for c in &conversations {
            let model = self
                .streams
                .get(&(c.proto, c.stream))
                .ok_or_else(|| format!("unexpected {:?} stream {}", c.proto, c.stream))?;
            if c.packets[0] + c.packets[1] != model.packets {
                return Err(format!(
                    "{:?} stream {}: {:?} packets, {} given",
                    c.proto, c.stream, c.packets, model.packets
                ));
            }
            if c.proto == Proto::Tcp && c.final_states != model.states {
                return Err(format!(
                    "TCP stream {}: final states {:?}, last reported {:?}",
                    c.stream, c.final_states, model.states
                ));
            }
        }
        Ok(())
    }
}
