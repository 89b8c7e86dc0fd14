//! A decoded frame: its layers' positions and the header fields analysis and the views read.

use std::net::IpAddr;
use std::ops::Range;

use super::{DecodeStop, IcmpInfo, LayerSpan, Link, LinkAddr, TcpInfo};

/// IP-layer facts kept for analysis and display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IpInfo {
    /// 4 or 6.
    pub version: u8,
    /// Source address.
    pub src: IpAddr,
    /// Destination address.
    pub dst: IpAddr,
    /// TTL (IPv4) or hop limit (IPv6).
    pub ttl: u8,
    /// Protocol of the payload (after IPv6 extension headers).
    pub protocol: u8,
    /// IPv4 identification, IPv6 fragment identification when fragmented.
    pub id: Option<u32>,
    /// IPv4 don't-fragment bit.
    pub dont_fragment: bool,
    /// Payload length on the wire according to the IP header (after extension headers).
    pub payload_len: usize,
    /// The payload is a fragment: (offset in bytes, more fragments follow).
    pub fragment: Option<(u32, bool)>,
}

/// ARP facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArpInfo {
    /// 1 = request, 2 = reply, others by number.
    pub operation: u16,
    /// Sender hardware address.
    pub sender_mac: LinkAddr,
    /// Sender protocol address (IPv4 when the packet is Ethernet/IPv4).
    pub sender_ip: Option<IpAddr>,
    /// Target hardware address.
    pub target_mac: LinkAddr,
    /// Target protocol address.
    pub target_ip: Option<IpAddr>,
}

/// UDP header fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UdpInfo {
    /// Source port.
    pub sport: u16,
    /// Destination port.
    pub dport: u16,
    /// Length field (header + payload).
    pub length: u16,
    /// Checksum field (0 = none, IPv4 only).
    pub checksum: u16,
}

/// The network layer of a packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Net {
    /// IPv4 or IPv6.
    Ip(IpInfo),
    /// ARP.
    Arp(ArpInfo),
}

/// The transport layer of a packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transport {
    /// A TCP segment.
    Tcp(TcpInfo),
    /// A UDP datagram.
    Udp(UdpInfo),
    /// ICMP or ICMPv6.
    Icmp(IcmpInfo),
}

/// The ports of a TCP or UDP header the capture cut before its fixed part ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CutPorts {
    /// IP protocol: 6 (TCP) or 17 (UDP).
    pub protocol: u8,
    /// Source port.
    pub sport: u16,
    /// Destination port.
    pub dport: u16,
}

/// A decoded frame: which bytes are which layer, and the fields analysis needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packet {
    /// The link-layer header.
    pub link: Link,
    /// VLAN IDs, outermost first.
    pub vlans: Vec<u16>,
    /// The layers in wire order with their byte positions.
    pub layers: Vec<LayerSpan>,
    /// Network layer, when decoded.
    pub net: Option<Net>,
    /// Transport layer, when decoded.
    pub transport: Option<Transport>,
    /// Captured application payload, as a byte range of the frame.
    pub payload: Range<usize>,
    /// Application payload length on the wire (from the IP/UDP length fields), which the
    /// snaplen may have cut: TCP segment length or UDP payload length.
    pub payload_wire_len: usize,
    /// Why decoding stopped early, if it did.
    pub stop: Option<DecodeStop>,
    /// The ports of a transport header cut before its fixed part ended (no `transport`).
    pub cut_ports: Option<CutPorts>,
}

impl Packet {
    /// The IP layer, if any.
    pub fn ip(&self) -> Option<&IpInfo> {
        match &self.net {
            Some(Net::Ip(ip)) => Some(ip),
            _ => None,
        }
    }

    /// The TCP header, if any.
    pub fn tcp(&self) -> Option<&TcpInfo> {
        match &self.transport {
            Some(Transport::Tcp(t)) => Some(t),
            _ => None,
        }
    }

    /// The UDP header, if any.
    pub fn udp(&self) -> Option<&UdpInfo> {
        match &self.transport {
            Some(Transport::Udp(u)) => Some(u),
            _ => None,
        }
    }
}
