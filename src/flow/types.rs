//! The vocabulary of conversations: endpoints, protocols, directions, sides and roles.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::net::IpAddr;

/// An IP address and port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Endpoint {
    /// Address.
    pub ip: IpAddr,
    /// Port.
    pub port: u16,
}

impl Endpoint {
    /// The source and destination of the packet an ICMP error quotes, when the quote
    /// reaches the ports.
    pub fn quoted(q: &crate::decode::QuotedFlow) -> Option<(Endpoint, Endpoint)> {
        let (sport, dport) = q.ports?;
        Some((
            Endpoint {
                ip: q.src,
                port: sport,
            },
            Endpoint {
                ip: q.dst,
                port: dport,
            },
        ))
    }

    /// Appends the endpoint as `Display` writes it: `10.0.0.1:80`, `[::1]:80`.
    pub fn push_to(&self, out: &mut String) {
        if self.ip.is_ipv6() {
            out.push('[');
        }
        crate::text::push_ip(out, self.ip);
        out.push_str(if self.ip.is_ipv6() { "]:" } else { ":" });
        out.push_str(itoa::Buffer::new().format(self.port));
    }
}

/// Hashed as one word for an IPv4 endpoint (two for IPv6): the tracker hashes two endpoints
/// for every packet, and the derived hash writes the address's variant and bytes one by one.
/// Equal endpoints hash alike; an IPv4 and an IPv6 endpoint may too, and differ all the same.
impl Hash for Endpoint {
    fn hash<H: Hasher>(&self, state: &mut H) {
        match self.ip {
            IpAddr::V4(ip) => state.write_u64(u64::from(ip.to_bits()) << 16 | u64::from(self.port)),
            IpAddr::V6(ip) => {
                state.write_u128(ip.to_bits());
                state.write_u16(self.port);
            }
        }
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.ip {
            IpAddr::V4(ip) => write!(f, "{ip}:{}", self.port),
            IpAddr::V6(ip) => write!(f, "[{ip}]:{}", self.port),
        }
    }
}

/// Transport protocol of a conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Proto {
    /// TCP.
    Tcp,
    /// UDP.
    Udp,
}

impl Proto {
    /// "tcp" or "udp".
    pub fn as_str(self) -> &'static str {
        match self {
            Proto::Tcp => "tcp",
            Proto::Udp => "udp",
        }
    }
}

/// Which way a packet travels within its conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// From the client to the server.
    ClientToServer,
    /// From the server to the client.
    ServerToClient,
}

impl Direction {
    /// "c2s" or "s2c".
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::ClientToServer => "c2s",
            Direction::ServerToClient => "s2c",
        }
    }

    /// The side that sends in this direction.
    pub fn sender(self) -> Side {
        match self {
            Direction::ClientToServer => Side::Client,
            Direction::ServerToClient => Side::Server,
        }
    }
}

/// One end of a conversation by role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The side that opened the conversation.
    Client,
    /// The side that answered.
    Server,
}

impl Side {
    /// "client" or "server".
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Client => "client",
            Side::Server => "server",
        }
    }

    /// The other side.
    pub fn peer(self) -> Side {
        match self {
            Side::Client => Side::Server,
            Side::Server => Side::Client,
        }
    }
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How the client and server roles were decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleBasis {
    /// The client sent the first SYN.
    Syn,
    /// The SYN was not captured; the SYN/ACK shows who answered.
    SynAck,
    /// Both sides sent a SYN (simultaneous open); the first SYN's sender is called client.
    SimultaneousOpen,
    /// No SYN was captured: the server is guessed as the side with the lower port.
    PortGuess,
    /// UDP: the client is the side that sent the first datagram.
    FirstDatagram,
}
