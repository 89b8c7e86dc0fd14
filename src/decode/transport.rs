//! The transport layer of an IP packet: TCP, UDP, ICMP, a tunnel, or a fragment's bytes.

use etherparse::{IpNumber, LaxIpPayloadSlice, LaxSlicedPacket, TransportSlice};

use super::decoder::{Decoder, MAX_TUNNEL_DEPTH};
use super::tunnel::tunnel;
use super::{CutPorts, DecodeStop, IcmpInfo, LayerKind, Net, TcpInfo, Transport, UdpInfo};

impl Decoder<'_, '_> {
    pub(super) fn ip_payload(
        &mut self,
        payload: &LaxIpPayloadSlice<'_>,
        sliced: &LaxSlicedPacket<'_>,
    ) {
        let ip_payload_len = match &self.packet.net {
            Some(Net::Ip(ip)) => ip.payload_len,
            _ => 0,
        };
        let ip_fragment = self.packet.ip().and_then(|ip| ip.fragment);
        let start = self.offset_of(payload.payload);
        let end = start + payload.payload.len();
        match &sliced.transport {
            Some(TransportSlice::Tcp(tcp)) => {
                let spare = std::mem::take(&mut self.spare_options);
                let info = TcpInfo::decode_with(tcp.header_slice(), spare);
                self.span(LayerKind::Tcp, tcp.header_slice());
                if let Some(info) = info {
                    self.packet.payload_wire_len = ip_payload_len.saturating_sub(info.header_len);
                    self.packet.transport = Some(Transport::Tcp(info));
                }
                self.set_payload(tcp.payload());
            }
            Some(TransportSlice::Udp(udp)) => {
                self.span(LayerKind::Udp, udp.header_slice());
                let length = udp.length();
                let from_header = usize::from(length).checked_sub(8);
                self.packet.payload_wire_len =
                    from_header.unwrap_or(ip_payload_len.saturating_sub(8));
                self.packet.transport = Some(Transport::Udp(UdpInfo {
                    sport: udp.source_port(),
                    dport: udp.destination_port(),
                    length,
                    checksum: udp.checksum(),
                }));
                self.set_payload(udp.payload());
            }
            Some(TransportSlice::Icmpv4(icmp)) => {
                let header_len = icmp.header_len().min(icmp.slice().len());
                self.span(LayerKind::Icmpv4, &icmp.slice()[..header_len]);
                self.packet.transport = Some(Transport::Icmp(IcmpInfo::from_v4(icmp)));
                self.set_payload(icmp.payload());
            }
            Some(TransportSlice::Icmpv6(icmp)) => {
                let header_len = icmp.header_len().min(icmp.slice().len());
                self.span(LayerKind::Icmpv6, &icmp.slice()[..header_len]);
                self.packet.transport = Some(Transport::Icmp(IcmpInfo::from_v6(icmp)));
                self.set_payload(icmp.payload());
            }
            _ => {
                let bytes = payload.payload;
                let first = ip_fragment.is_none_or(|(off, _)| off == 0);
                if first
                    && ip_fragment.is_none()
                    && let Some((header_len, name, inner)) = tunnel(payload.ip_number.0, bytes)
                    && self.depth < MAX_TUNNEL_DEPTH
                {
                    self.enter(LayerKind::Tunnel(name), &bytes[..header_len], &inner, end);
                    return;
                }
                if first
                    && payload.ip_number == IpNumber::TCP
                    && let Some(info) = TcpInfo::decode(bytes)
                {
                    // A header cut by the snaplen, or the start of a fragmented segment.
                    let header_len = info.header_len.clamp(20, bytes.len().max(20));
                    let header_len = header_len.min(bytes.len());
                    self.span(LayerKind::Tcp, &bytes[..header_len]);
                    self.packet.payload_wire_len = ip_payload_len.saturating_sub(info.header_len);
                    self.packet.transport = Some(Transport::Tcp(info));
                    self.set_payload(&bytes[header_len..]);
                    if ip_fragment.is_some() {
                        self.packet.stop = Some(DecodeStop::FirstFragment);
                    }
                } else if first
                    && payload.ip_number == IpNumber::UDP
                    && bytes.len() >= 8
                    && let Ok(udp) = etherparse::UdpHeaderSlice::from_slice(&bytes[..8])
                {
                    // A datagram whose length field disagrees with IP, or a first fragment.
                    self.span(LayerKind::Udp, &bytes[..8]);
                    let length = udp.length();
                    self.packet.payload_wire_len = usize::from(length)
                        .checked_sub(8)
                        .unwrap_or(ip_payload_len.saturating_sub(8));
                    self.packet.transport = Some(Transport::Udp(UdpInfo {
                        sport: udp.source_port(),
                        dport: udp.destination_port(),
                        length,
                        checksum: udp.checksum(),
                    }));
                    self.set_payload(&bytes[8..]);
                    self.packet.stop = Some(if ip_fragment.is_some() {
                        DecodeStop::FirstFragment
                    } else {
                        DecodeStop::UdpLength {
                            udp: length,
                            ip: ip_payload_len,
                        }
                    });
                } else {
                    // A TCP or UDP header the snaplen cut before its fixed part ends: its
                    // ports are still there, and tshark shows them.
                    if first
                        && matches!(payload.ip_number, IpNumber::TCP | IpNumber::UDP)
                        && bytes.len() >= 4
                    {
                        self.packet.cut_ports = Some(CutPorts {
                            protocol: payload.ip_number.0,
                            sport: u16::from_be_bytes([bytes[0], bytes[1]]),
                            dport: u16::from_be_bytes([bytes[2], bytes[3]]),
                        });
                    }
                    if let Some((offset, more)) = ip_fragment {
                        self.packet
                            .stop
                            .get_or_insert(DecodeStop::Fragment { offset, more });
                    }
                    self.packet.payload = start..end;
                    if end > start {
                        self.span(LayerKind::Payload, payload.payload);
                    }
                }
            }
        }
        self.trailer_from(end);
    }
}
