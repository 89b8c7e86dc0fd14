//! The fix for sticky packets: every message travels behind a 4-byte big-endian length prefix
//! (what Python's `struct.pack('!I', len)` writes). The client sends all messages back to back;
//! the server reads late, when they are all glued in its buffer, and still recovers each one:
//! it reads exactly 4 bytes, then exactly as many bytes as they announce.
//!
//! [`FramingDecoder`] finds the same prefixes and messages in the captured TCP payloads, so the
//! views can show them on the wire.

use std::net::{SocketAddr, TcpListener};

use super::calls::{accept, close, connect, recv, recv_exact, send_as, wait_for_bytes};
use super::plan::{Plan, server_and_client};
use super::{CloseReason, DemoConfig, Detail, Flags, Log, Payload, PeerResult};
use crate::Result;

/// Bytes of the length prefix.
pub const PREFIX: usize = 4;

/// The server and the client.
pub(super) fn plan(config: &DemoConfig) -> Result<Plan> {
    server_and_client(config, server, client)
}

/// `message` behind its 4-byte big-endian length.
pub fn frame(message: &[u8]) -> Vec<u8> {
    let len = u32::try_from(message.len()).unwrap_or(u32::MAX);
    let mut out = len.to_be_bytes().to_vec();
    out.extend_from_slice(message);
    out
}

fn client(addr: SocketAddr, config: &DemoConfig, flags: &Flags, log: &Log) -> PeerResult {
    let (mut stream, local) = connect(addr, config, log)?;
    let log = &log.on(local);
    for message in &config.messages {
        if flags.raised() {
            break;
        }
        let detail = Detail::SendingFramed {
            data: Payload::of(message.as_bytes()),
        };
        send_as(&mut stream, &frame(message.as_bytes()), log, detail)?;
    }
    close(stream, log, CloseReason::ClientFirst);
    Ok(())
}

fn server(listener: TcpListener, config: &DemoConfig, flags: &Flags, log: &Log) -> PeerResult {
    let (mut stream, peer) = accept(&listener, config, flags, log)?;
    drop(listener);
    let log = &log.on(peer);
    let total: usize = config.messages.iter().map(|m| PREFIX + m.len()).sum();
    // Read late on purpose: every message is in the buffer, glued to the next.
    wait_for_bytes(&stream, total.min(1 << 16), config, flags, log)?;
    for (i, want) in config.messages.iter().enumerate() {
        let prefix = recv_exact(
            &mut stream,
            PREFIX,
            Detail::ReadingPrefix,
            config,
            flags,
            log,
        )?;
        let len = u32::from_be_bytes([prefix[0], prefix[1], prefix[2], prefix[3]]) as usize;
        let message = recv_exact(
            &mut stream,
            len,
            Detail::ReadingMessage(len),
            config,
            flags,
            log,
        )?;
        if message != want.as_bytes() {
            return Err(format!("message {} was not recovered", i + 1));
        }
    }
    let eof = recv(&mut stream, 4096, config, flags, log)?;
    if !eof.is_empty() {
        return Err("bytes after the last message".into());
    }
    close(stream, log, CloseReason::AfterEof);
    Ok(())
}

/// A piece of the framing found in one TCP payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FramePart {
    /// Length-prefix bytes at `at..at + bytes.len()` of the payload; `value` once all four
    /// bytes are known (they may span segments).
    Prefix {
        /// Offset in the payload.
        at: usize,
        /// The prefix bytes in this payload.
        bytes: Vec<u8>,
        /// The length the whole prefix announces.
        value: Option<u32>,
    },
    /// Message bytes at `at..at + data.len` of the payload.
    Message {
        /// Offset in the payload.
        at: usize,
        /// 1-based number of the message in its direction.
        index: usize,
        /// The message's bytes in this payload.
        data: Payload,
        /// The whole message's length.
        total: u32,
        /// The message ends in this payload.
        complete: bool,
    },
}

#[derive(Debug, Clone, Default)]
enum State {
    #[default]
    Prefix,
    Message {
        total: u32,
        left: u32,
    },
}

/// Finds length prefixes and messages in the bytes of one direction of a TCP stream, fed in
/// order. A segment that is not the next expected one (a retransmission, or a gap) is skipped;
/// after a gap the decoder stops, since it lost the message boundaries.
#[derive(Debug, Clone, Default)]
pub struct FramingDecoder {
    next: u64,
    lost: bool,
    prefix: Vec<u8>,
    state: State,
    messages: usize,
}

impl FramingDecoder {
    /// A decoder at the start of a stream.
    pub fn new() -> FramingDecoder {
        FramingDecoder::default()
    }

    /// The framing in `payload`, which starts at byte `offset` of the stream (0 = the first
    /// data byte, the relative sequence number minus one).
    pub fn feed(&mut self, offset: u64, payload: &[u8]) -> Vec<FramePart> {
        if self.lost || payload.is_empty() || offset + (payload.len() as u64) <= self.next {
            return Vec::new();
        }
        if offset > self.next {
            self.lost = true;
            return Vec::new();
        }
        let skip = (self.next - offset) as usize;
        self.next = offset + payload.len() as u64;
        let mut parts = Vec::new();
        let mut at = skip;
        while at < payload.len() {
            match self.state {
                State::Prefix => {
                    let take = (PREFIX - self.prefix.len()).min(payload.len() - at);
                    let bytes = payload[at..at + take].to_vec();
                    self.prefix.extend_from_slice(&bytes);
                    let value = (self.prefix.len() == PREFIX).then(|| {
                        let v = u32::from_be_bytes([
                            self.prefix[0],
                            self.prefix[1],
                            self.prefix[2],
                            self.prefix[3],
                        ]);
                        self.prefix.clear();
                        v
                    });
                    parts.push(FramePart::Prefix { at, bytes, value });
                    at += take;
                    if let Some(total) = value {
                        self.messages += 1;
                        self.state = State::Message { total, left: total };
                        if total == 0 {
                            self.state = State::Prefix;
                        }
                    }
                }
                State::Message { total, left } => {
                    let take = (left as usize).min(payload.len() - at);
                    let left = left - take as u32;
                    parts.push(FramePart::Message {
                        at,
                        index: self.messages,
                        data: Payload::of(&payload[at..at + take]),
                        total,
                        complete: left == 0,
                    });
                    at += take;
                    self.state = if left == 0 {
                        State::Prefix
                    } else {
                        State::Message { total, left }
                    };
                }
            }
        }
        parts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_and_messages_are_found_across_segments() {
        let mut wire = frame(b"hello");
        wire.extend(frame(b"how are you today?"));
        let mut d = FramingDecoder::new();
        // Segments cut inside the second prefix.
        let first = d.feed(0, &wire[..11]);
        assert_eq!(
            first,
            vec![
                FramePart::Prefix {
                    at: 0,
                    bytes: vec![0, 0, 0, 5],
                    value: Some(5)
                },
                FramePart::Message {
                    at: 4,
                    index: 1,
                    data: Payload::of(b"hello"),
                    total: 5,
                    complete: true
                },
                FramePart::Prefix {
                    at: 9,
                    bytes: vec![0, 0],
                    value: None
                },
            ]
        );
        assert!(d.feed(0, &wire[..11]).is_empty(), "a resend adds nothing");
        let second = d.feed(11, &wire[11..]);
        assert_eq!(
            second[0],
            FramePart::Prefix {
                at: 0,
                bytes: vec![0, 18],
                value: Some(18)
            }
        );
        assert!(matches!(
            &second[1],
            FramePart::Message { index: 2, total: 18, complete: true, data, .. }
                if data.preview == b"how are you today?"
        ));
        assert!(d.feed(100, b"x").is_empty(), "a gap stops the decoder");
        assert!(d.feed(wire.len() as u64, b"\0\0\0\x01x").is_empty());
    }
}
