//! What the relay does to each frame: forward, drop or hold back, decided from the seed and the
//! frame's place in its flow, never from the clock.
//!
//! A TCP data segment is keyed by (direction, n-th TCP flow of that direction, sequence number
//! relative to the flow's first one), so two runs with the same seed drop the same bytes even
//! when the ports, initial sequence numbers or timing differ. A UDP datagram is keyed by
//! (direction, n-th UDP flow, n-th datagram of the flow). Retransmissions (segments that bring
//! no new sequence space) and everything that is not TCP or UDP payload (ARP, SYN, pure ACK,
//! FIN, RST) always pass, so every run starts the same way and always recovers.
//!
//! The decisions hash the key with splitmix64 rather than draw from a stream generator: a
//! stream would make every decision depend on all frames before it (a stray ARP would shift
//! them), and a keyed hash needs no dependency whose output could change between versions.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use etherparse::{NetSlice, SlicedPacket, TransportSlice};

use super::{Direction, DropKind};

/// Which way impairments apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Directions {
    /// Only frames from host a to host b.
    AToB,
    /// Only frames from host b to host a.
    BToA,
    /// Both ways.
    Both,
}

impl Directions {
    /// Whether `dir` is impaired.
    pub fn includes(self, dir: Direction) -> bool {
        matches!(
            (self, dir),
            (Directions::Both, _)
                | (Directions::AToB, Direction::AToB)
                | (Directions::BToA, Direction::BToA)
        )
    }
}

/// How the relay impairs the path.
#[derive(Debug, Clone, PartialEq)]
pub struct Impairment {
    /// Seed of every decision.
    pub seed: u64,
    /// Fraction (0..=1) of new TCP data segments dropped.
    pub tcp_loss: f64,
    /// Fraction (0..=1) of UDP datagrams dropped.
    pub udp_loss: f64,
    /// Fraction (0..=1) of new TCP data segments held back and sent after the next frame of
    /// the same direction (out-of-order arrival).
    pub reorder: f64,
    /// Fixed delay added to every frame of an impaired direction.
    pub delay: Duration,
    /// Directions the impairments apply to.
    pub directions: Directions,
}

impl Impairment {
    /// No impairment: a plain forwarding relay.
    pub fn none() -> Impairment {
        Impairment {
            seed: 0,
            tcp_loss: 0.0,
            udp_loss: 0.0,
            reorder: 0.0,
            delay: Duration::ZERO,
            directions: Directions::Both,
        }
    }

    /// Loss of TCP data segments and UDP datagrams with probability `loss`, both ways.
    pub fn loss(loss: f64, seed: u64) -> Impairment {
        Impairment {
            seed,
            tcp_loss: loss,
            udp_loss: loss,
            ..Impairment::none()
        }
    }

    /// Checks that every fraction is within 0..=1.
    pub fn validate(&self) -> Result<(), String> {
        for (name, v) in [
            ("tcp loss", self.tcp_loss),
            ("udp loss", self.udp_loss),
            ("reorder", self.reorder),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return Err(format!("{name} {v} is not a fraction between 0 and 1"));
            }
        }
        Ok(())
    }
}

/// The relay's decision for one frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Verdict {
    /// Forward it (after the direction's delay).
    Forward,
    /// Forward it but flag it as a retransmission seen by the relay.
    Retransmission,
    /// Drop it.
    Drop(DropKind),
    /// Hold it back behind the next frame of its direction.
    Hold,
}

const TAG_TCP_LOSS: u64 = 0x7463_706c;
const TAG_UDP_LOSS: u64 = 0x7564_706c;
const TAG_REORDER: u64 = 0x7265_6f72;

/// splitmix64's output function.
pub fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A number in [0, 1) from the seed and a key.
fn chance(seed: u64, tag: u64, dir: Direction, flow: u64, value: u64) -> f64 {
    let dir = match dir {
        Direction::AToB => 1u64,
        Direction::BToA => 2,
    };
    let mut h = splitmix64(seed);
    for part in [tag, dir, flow, value] {
        h = splitmix64(h ^ part);
    }
    (h >> 11) as f64 / (1u64 << 53) as f64
}

type FlowKey = (IpAddr, u16, IpAddr, u16);

/// What the relay knows of one direction of a TCP flow.
struct TcpDir {
    ordinal: u64,
    base: u32,
    next: u32,
}

/// `a <= b` in sequence space.
fn seq_le(a: u32, b: u32) -> bool {
    b.wrapping_sub(a) < 1 << 31
}

/// Makes the decisions for one relay run.
pub(super) struct Decider {
    cfg: Impairment,
    tcp: HashMap<FlowKey, TcpDir>,
    udp: HashMap<FlowKey, (u64, u64)>,
    flows: [u64; 2],
}

impl Decider {
    pub(super) fn new(cfg: Impairment) -> Decider {
        Decider {
            cfg,
            tcp: HashMap::new(),
            udp: HashMap::new(),
            flows: [0; 2],
        }
    }

    fn next_flow(&mut self, dir: Direction) -> u64 {
        let n = &mut self.flows[dir as usize];
        *n += 1;
        *n
    }

    /// Decides the fate of one frame travelling in `dir`. Frames etherparse cannot slice pass.
    pub(super) fn decide(&mut self, dir: Direction, frame: &[u8]) -> Verdict {
        let Ok(packet) = SlicedPacket::from_ethernet(frame) else {
            return Verdict::Forward;
        };
        let (src, dst) = match &packet.net {
            Some(NetSlice::Ipv4(ip)) => (
                IpAddr::V4(ip.header().source_addr()),
                IpAddr::V4(ip.header().destination_addr()),
            ),
            Some(NetSlice::Ipv6(ip)) => (
                IpAddr::V6(ip.header().source_addr()),
                IpAddr::V6(ip.header().destination_addr()),
            ),
            _ => return Verdict::Forward,
        };
        match &packet.transport {
            Some(TransportSlice::Tcp(tcp)) => {
                let key = (src, tcp.source_port(), dst, tcp.destination_port());
                let seq = tcp.sequence_number();
                let len = tcp.payload().len() as u32;
                self.decide_tcp(dir, key, seq, len, tcp.syn())
            }
            Some(TransportSlice::Udp(udp)) => {
                let key = (src, udp.source_port(), dst, udp.destination_port());
                let len = udp.payload().len() as u32;
                self.decide_udp(dir, key, len)
            }
            _ => Verdict::Forward,
        }
    }

    fn decide_tcp(
        &mut self,
        dir: Direction,
        key: FlowKey,
        seq: u32,
        len: u32,
        syn: bool,
    ) -> Verdict {
        if !self.tcp.contains_key(&key) {
            let ordinal = self.next_flow(dir);
            let base = if syn { seq.wrapping_add(1) } else { seq };
            self.tcp.insert(
                key,
                TcpDir {
                    ordinal,
                    base,
                    next: base,
                },
            );
        }
        let Some(state) = self.tcp.get_mut(&key) else {
            return Verdict::Forward;
        };
        if syn {
            state.base = seq.wrapping_add(1);
            state.next = state.base;
            return Verdict::Forward;
        }
        if len == 0 {
            return Verdict::Forward;
        }
        let end = seq.wrapping_add(len);
        if seq_le(end, state.next) {
            return Verdict::Retransmission;
        }
        state.next = end;
        let rel = seq.wrapping_sub(state.base);
        let (flow, seed) = (state.ordinal, self.cfg.seed);
        if !self.cfg.directions.includes(dir) {
            return Verdict::Forward;
        }
        if chance(seed, TAG_TCP_LOSS, dir, flow, u64::from(rel)) < self.cfg.tcp_loss {
            return Verdict::Drop(DropKind::TcpData {
                src: SocketAddr::new(key.0, key.1),
                dst: SocketAddr::new(key.2, key.3),
                seq,
                rel_seq: rel,
                len,
            });
        }
        if chance(seed, TAG_REORDER, dir, flow, u64::from(rel)) < self.cfg.reorder {
            return Verdict::Hold;
        }
        Verdict::Forward
    }

    fn decide_udp(&mut self, dir: Direction, key: FlowKey, len: u32) -> Verdict {
        if !self.udp.contains_key(&key) {
            let ordinal = self.next_flow(dir);
            self.udp.insert(key, (ordinal, 0));
        }
        let Some(state) = self.udp.get_mut(&key) else {
            return Verdict::Forward;
        };
        state.1 += 1;
        let (flow, nth) = *state;
        if self.cfg.directions.includes(dir)
            && chance(self.cfg.seed, TAG_UDP_LOSS, dir, flow, nth) < self.cfg.udp_loss
        {
            return Verdict::Drop(DropKind::Udp {
                src: SocketAddr::new(key.0, key.1),
                dst: SocketAddr::new(key.2, key.3),
                nth,
                len,
            });
        }
        Verdict::Forward
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    fn key() -> FlowKey {
        let a = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));
        let b = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 2));
        (a, 40000, b, 5000)
    }

    /// Relative sequence numbers dropped for a 100-segment transfer starting at `isn`.
    fn dropped(seed: u64, isn: u32) -> Vec<u32> {
        let mut d = Decider::new(Impairment::loss(0.1, seed));
        assert_eq!(
            d.decide_tcp(Direction::AToB, key(), isn, 0, true),
            Verdict::Forward
        );
        let mut out = Vec::new();
        for i in 0..100u32 {
            let seq = isn.wrapping_add(1 + i * 1448);
            if let Verdict::Drop(DropKind::TcpData { rel_seq, .. }) =
                d.decide_tcp(Direction::AToB, key(), seq, 1448, false)
            {
                out.push(rel_seq);
                // The retransmission always passes.
                assert_eq!(
                    d.decide_tcp(Direction::AToB, key(), seq, 1448, false),
                    Verdict::Retransmission
                );
            }
        }
        out
    }

    #[test]
    fn same_seed_same_drops_whatever_the_isn() {
        let first = dropped(7, 1000);
        assert!(!first.is_empty() && first.len() < 30, "{first:?}");
        assert_eq!(first, dropped(7, u32::MAX - 5000));
        assert_ne!(first, dropped(8, 1000));
    }

    #[test]
    fn handshake_and_empty_segments_always_pass() {
        let mut d = Decider::new(Impairment::loss(1.0, 1));
        assert_eq!(
            d.decide_tcp(Direction::AToB, key(), 5, 0, true),
            Verdict::Forward
        );
        assert_eq!(
            d.decide_tcp(Direction::AToB, key(), 6, 0, false),
            Verdict::Forward
        );
        assert!(matches!(
            d.decide_tcp(Direction::AToB, key(), 6, 10, false),
            Verdict::Drop(DropKind::TcpData {
                rel_seq: 0,
                len: 10,
                ..
            })
        ));
    }

    #[test]
    fn other_direction_is_spared() {
        let mut cfg = Impairment::loss(1.0, 1);
        cfg.directions = Directions::AToB;
        let mut d = Decider::new(cfg);
        let (a, pa, b, pb) = key();
        assert_eq!(
            d.decide_udp(Direction::BToA, (b, pb, a, pa), 10),
            Verdict::Forward
        );
        assert!(matches!(
            d.decide_udp(Direction::AToB, key(), 10),
            Verdict::Drop(DropKind::Udp { nth: 1, .. })
        ));
    }

    #[test]
    fn garbage_frames_pass() {
        let mut d = Decider::new(Impairment::loss(1.0, 1));
        assert_eq!(d.decide(Direction::AToB, &[1, 2, 3]), Verdict::Forward);
        assert_eq!(d.decide(Direction::AToB, &[]), Verdict::Forward);
    }

    #[test]
    fn fractions_are_checked() {
        assert!(Impairment::loss(0.5, 1).validate().is_ok());
        assert!(Impairment::loss(1.5, 1).validate().is_err());
        assert!(Impairment::loss(f64::NAN, 1).validate().is_err());
    }
}
