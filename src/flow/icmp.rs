//! ICMP errors tied to the conversation of the packet they quote.

use super::table::{self, key_of};
use super::{Endpoint, FlowKey, Observation, Proto, Tracker};
use crate::time::Timestamp;

impl Tracker {
    /// Ties an ICMP error to the conversation of the packet it quotes. Like Wireshark, a quoted
    /// flow not seen before still gets a stream number; a conversation that ended keeps its
    /// own while it is remembered.
    pub(super) fn relate_icmp_error(
        &mut self,
        obs: &mut Observation,
        q: &crate::decode::QuotedFlow,
        ts: Timestamp,
        now: u64,
    ) {
        let Some((src, dst)) = Endpoint::quoted(q) else {
            return;
        };
        let (key, _) = key_of(src, dst);
        let related = match q.protocol {
            6 => {
                let stream = match self.tcp.find(&key) {
                    Some(slot) => self.tcp.get(slot).map(|c| c.stream()),
                    None => self.tcp_cold.get(&key).map(|c| c.stream()),
                };
                let stream =
                    stream.unwrap_or_else(|| self.quoted_stream(Proto::Tcp, key, src, ts, now));
                (Proto::Tcp, stream)
            }
            17 => {
                let slot = self.udp.find(&key);
                let stream = match slot {
                    Some(slot) => {
                        if let Some(conn) = self.udp.get_mut(slot) {
                            conn.note_icmp_error();
                        }
                        self.udp.get(slot).map(|c| c.stream())
                    }
                    None => self.udp_cold.get(&key).map(|c| c.stream()),
                };
                let stream =
                    stream.unwrap_or_else(|| self.quoted_stream(Proto::Udp, key, src, ts, now));
                (Proto::Udp, stream)
            }
            _ => return,
        };
        obs.related = Some(related);
    }

    /// The stream number of a flow known only from an ICMP quote: a remembered one's, or a
    /// new number remembered for it (nothing else is kept until a packet of it comes).
    fn quoted_stream(
        &mut self,
        proto: Proto,
        key: FlowKey,
        src: Endpoint,
        _ts: Timestamp,
        _now: u64,
    ) -> u32 {
        let graves = match proto {
            Proto::Tcp => &self.tcp_graves,
            Proto::Udp => &self.udp_graves,
        };
        if let Some(tomb) = graves.get(&key) {
            return tomb.stream;
        }
        let stream = match proto {
            Proto::Tcp => self.new_tcp_stream(),
            Proto::Udp => {
                self.next_udp += 1;
                self.next_udp - 1
            }
        };
        let mut tomb = table::Tomb::new(stream);
        tomb.first_is_a = src == key.0;
        tomb.client_is_a = tomb.first_is_a;
        match proto {
            Proto::Tcp => self.tcp_graves.bury(key, tomb),
            Proto::Udp => self.udp_graves.bury(key, tomb),
        }
        stream
    }
}
