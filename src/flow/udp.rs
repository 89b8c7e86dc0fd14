//! One UDP conversation: datagrams paired as request and response. UDP has no handshake, no
//! close and no state.

use super::event::{Event, UdpEvent};
use super::table::{Conn, Tomb};
use super::{
    CloseKind, Conversation, ConversationIntro, Direction, Endpoint, FlowKey, Observation, Proto,
    Retired, RoleBasis,
};
use crate::analysis::{ConnState, Phase};
use crate::capture::{Frame, Timestamp};

/// A UDP conversation. The client is the side that sent the first datagram.
#[derive(Debug)]
pub(super) struct UdpConn {
    stream: u32,
    client: Endpoint,
    server: Endpoint,
    packets: [u64; 2],
    bytes: [u64; 2],
    wire_bytes: [u64; 2],
    start: Timestamp,
    end: Timestamp,
    /// The last client datagram not yet answered: frame number and time.
    pending: Option<(u64, Timestamp)>,
    first_reply: Option<f64>,
    history: String,
    icmp_errors: u32,
    /// An earlier summary of this stream was handed over.
    continued: bool,
    /// A packet of it was shown.
    pub(super) shown: bool,
}

impl UdpConn {
    pub(super) fn new(stream: u32, src: Endpoint, dst: Endpoint, ts: Timestamp) -> UdpConn {
        UdpConn {
            stream,
            client: src,
            server: dst,
            packets: [0; 2],
            bytes: [0; 2],
            wire_bytes: [0; 2],
            start: ts,
            end: ts,
            pending: None,
            first_reply: None,
            history: String::new(),
            icmp_errors: 0,
            continued: false,
            shown: false,
        }
    }

    /// The stream `tomb` remembers, back after it was retired: same number and roles.
    pub(super) fn resumed(tomb: &Tomb, key: FlowKey, ts: Timestamp) -> UdpConn {
        let (client, server) = if tomb.client_is_a {
            (key.0, key.1)
        } else {
            (key.1, key.0)
        };
        let mut conn = UdpConn::new(tomb.stream, client, server, ts);
        conn.continued = tomb.had_packets;
        conn
    }

    /// A packet came after its summary was handed over: it goes on, and its next summary
    /// says it continues an earlier one.
    pub(super) fn continue_after_retirement(&mut self) {
        self.continued = true;
    }

    /// What is remembered once it is retired.
    pub(super) fn tomb(&self, key: FlowKey) -> Tomb {
        let mut tomb = Tomb::new(self.stream);
        tomb.had_packets = self.packets_seen() > 0;
        tomb.client_is_a = self.client == key.0;
        tomb
    }

    pub(super) fn stream(&self) -> u32 {
        self.stream
    }

    pub(super) fn packets_seen(&self) -> u64 {
        self.packets[0] + self.packets[1]
    }

    pub(super) fn note_icmp_error(&mut self) {
        self.icmp_errors += 1;
    }

    pub(super) fn ingest(&mut self, obs: &mut Observation, frame: &Frame, len: u32, src: Endpoint) {
        if self.packets_seen() == 0 {
            // The first real datagram decides the roles, even after an ICMP quote.
            if src != self.client && !self.continued {
                std::mem::swap(&mut self.client, &mut self.server);
            }
            self.start = frame.ts;
            obs.intro = Some(ConversationIntro {
                proto: Proto::Udp,
                stream: self.stream,
                client: self.client,
                server: self.server,
                basis: RoleBasis::FirstDatagram,
            });
        }
        let to_server = src == self.client;
        let d = usize::from(!to_server);
        self.packets[d] += 1;
        self.bytes[d] += u64::from(len);
        self.wire_bytes[d] += u64::from(frame.orig_len);
        self.end = frame.ts;
        let letter = if to_server { 'D' } else { 'd' };
        if !self.history.contains(letter) {
            self.history.push(letter);
        }
        let event = if to_server {
            self.pending = Some((frame.index, frame.ts));
            UdpEvent::Request {
                bytes: len,
                first: self.packets[0] == 1,
            }
        } else if let Some((request, at)) = self.pending.take() {
            self.first_reply.get_or_insert(frame.ts.secs_since(at));
            let delay_ns = i64::try_from(frame.ts.nanos_since(at)).unwrap_or(i64::MAX);
            UdpEvent::Response {
                bytes: len,
                request,
                delay_ns,
            }
        } else {
            UdpEvent::Unpaired { bytes: len }
        };
        obs.event = Event::Udp(event);
        obs.stream = Some(self.stream);
        obs.dir = Some(if to_server {
            Direction::ClientToServer
        } else {
            Direction::ServerToClient
        });
        obs.len = Some(len);
        obs.phase = Phase::Datagram;
    }

    pub(super) fn summary(&self) -> Conversation {
        let conn_state = match (self.packets[0] > 0, self.packets[1] > 0) {
            (true, true) => ConnState::SF,
            (true, false) => ConnState::S0,
            (false, true) => ConnState::SHR,
            (false, false) => ConnState::OTH,
        };
        Conversation {
            proto: Proto::Udp,
            stream: self.stream,
            client: self.client,
            server: self.server,
            basis: RoleBasis::FirstDatagram,
            packets: self.packets,
            bytes: self.bytes,
            wire_bytes: self.wire_bytes,
            start: self.start,
            end: self.end,
            rtt_syn_synack: None,
            rtt_handshake: self.first_reply,
            close: CloseKind::NotApplicable,
            conn_state,
            history: self.history.clone(),
            analysis: None,
            final_states: None,
            retired: Retired::No,
            continued: self.continued,
        }
    }
}

impl Conn for UdpConn {
    fn class(&self) -> usize {
        3
    }
}
