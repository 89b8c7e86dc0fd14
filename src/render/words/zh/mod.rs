//! 中文 (Simplified Chinese), in the terms of the Chinese networking textbooks: 三次握手,
//! 四次挥手, 半关闭, 重传, 窗口, 报文段, 首部. RFC state names and flag names stay as they are
//! (SYN-SENT, FIN, ACK), so students recognise them in Wireshark.

mod app;
mod bytes;
mod decode;
mod lesson;
mod points;
mod report;
mod tcp;

use super::{EventWords, arp_ip};
use crate::analysis::Finding;
use crate::decode::{ArpInfo, IpInfo};
use crate::flow::event::{ArpOp, TcpEvent, UdpEvent};
use crate::flow::{Endpoint, Proto, RoleBasis, Side};
use crate::text::Mac;
use crate::time::Nanos;

/// 中文.
#[derive(Debug, Clone, Copy, Default)]
pub struct Chinese;

/// "TCP 流" / "UDP 流", before a stream's number.
fn stream_kind(proto: Proto) -> &'static str {
    match proto {
        Proto::Tcp => "TCP 流",
        Proto::Udp => "UDP 流",
    }
}

impl EventWords for Chinese {
    fn side(&self, side: Side) -> &'static str {
        match side {
            Side::Client => "客户端",
            Side::Server => "服务器",
        }
    }

    fn tcp_event(&self, out: &mut String, event: &TcpEvent, sender: Side) {
        tcp::event(out, event, tcp::Who(sender), tcp::Who(sender.peer()));
    }

    fn acks(&self, out: &mut String, frame: u64, after: Option<Nanos>) {
        match after {
            Some(after) => put!(out, " · 确认第 ", frame, " 帧，用时 ", after),
            None => put!(out, " · 确认第 ", frame, " 帧"),
        }
    }

    fn udp_event(&self, out: &mut String, event: &UdpEvent, sender: Side) {
        let s = self.side(sender);
        match *event {
            UdpEvent::Request { bytes, first: true } => {
                put!(
                    out,
                    "数据报：",
                    s,
                    "发送 ",
                    bytes,
                    " 字节（没有握手：UDP 直接发送）"
                )
            }
            UdpEvent::Request { bytes, .. } | UdpEvent::Unpaired { bytes } => {
                put!(out, "数据报：", s, "发送 ", bytes, " 字节")
            }
            UdpEvent::Response {
                bytes,
                request,
                delay_ns,
            } => put!(
                out,
                "数据报：",
                s,
                "在 ",
                Nanos(delay_ns),
                " 后回应 #",
                request,
                "，",
                bytes,
                " 字节"
            ),
        }
    }

    fn icmp_answers(
        &self,
        icmp: &str,
        proto: Proto,
        stream: u32,
        (src, dst): (Endpoint, Endpoint),
    ) -> String {
        let proto = match proto {
            Proto::Tcp => "TCP",
            Proto::Udp => "UDP",
        };
        format!("{icmp}：回应 {proto} 流 {stream}（{src} > {dst}）")
    }

    fn arp(&self, op: ArpOp, arp: &ArpInfo) -> String {
        let mac = Mac(arp.sender_mac.as_bytes());
        match op {
            ArpOp::Announcement => {
                format!("ARP 通告：{} 在 {mac}（免费 ARP）", arp_ip(&arp.sender_ip))
            }
            ArpOp::Request => format!(
                "ARP 请求：谁有 {}？请告诉 {}（{mac}）",
                arp_ip(&arp.target_ip),
                arp_ip(&arp.sender_ip)
            ),
            ArpOp::Reply => format!("ARP 应答：{} 在 {mac}", arp_ip(&arp.sender_ip)),
            ArpOp::Other(code) => format!("ARP 操作 {code}"),
        }
    }

    fn fragment(&self, ip: &IpInfo, protocol: &str) -> String {
        match ip.fragment {
            Some((offset, more)) if offset > 0 => format!(
                "IPv{} 分片（{protocol}），偏移 {offset}{}",
                ip.version,
                if more {
                    "（后面还有）"
                } else {
                    "（最后一片）"
                }
            ),
            _ => format!("IPv{} 的第一个分片（{protocol}，后面还有）", ip.version),
        }
    }

    fn other(&self, label: &str, stop: Option<&str>) -> String {
        match stop {
            Some(stop) => format!("{label}（{stop}）"),
            None => label.to_string(),
        }
    }

    fn finding(&self, finding: Finding) -> &'static str {
        match finding {
            Finding::ReusedPorts => "端口重用",
            Finding::Retransmission => "重传",
            Finding::FastRetransmission => "快速重传",
            Finding::SpuriousRetransmission => "虚假重传",
            Finding::OutOfOrder => "乱序",
            Finding::LostSegment => "前一报文段未被抓到",
            Finding::AckLostSegment => "确认了未抓到的报文段",
            Finding::WindowFull => "窗口已满",
            Finding::WindowUpdate => "窗口更新",
            Finding::KeepAlive => "保活",
            Finding::KeepAliveAck => "保活确认",
            Finding::DuplicateAck => "重复确认",
            Finding::ZeroWindow => "零窗口",
            Finding::ZeroWindowProbe => "零窗口探测",
            Finding::ZeroWindowProbeAck => "零窗口探测确认",
        }
    }

    fn role_basis(&self, basis: RoleBasis) -> &'static str {
        match basis {
            RoleBasis::Syn => "客户端发送了第一个 SYN",
            RoleBasis::SynAck => "未抓到 SYN；角色由 SYN/ACK 判断",
            RoleBasis::SimultaneousOpen => "同时打开：双方都发送了 SYN",
            RoleBasis::PortGuess => "未抓到 SYN（抓包始于连接中途）；角色按端口推测",
            RoleBasis::FirstDatagram => "客户端发送了第一个数据报",
        }
    }

    fn udp_intro(&self) -> &'static str {
        "UDP 没有握手也没有挥手：每个数据报各自独立"
    }

    fn stream_continued(&self, out: &mut String, proto: Proto, stream: u32) {
        put!(out, "── ", stream_kind(proto), " ", stream, "（续）")
    }

    fn outside_streams(&self) -> &'static str {
        "── 不属于任何 TCP 或 UDP 会话的分组"
    }

    fn stream_title(&self, proto: Proto, stream: u32) -> String {
        format!("{} {stream}", stream_kind(proto))
    }

    fn stream_intro(
        &self,
        out: &mut String,
        proto: Proto,
        stream: u32,
        (client, server): (&str, &str),
        tail: &str,
    ) {
        put!(
            out,
            "── ",
            stream_kind(proto),
            " ",
            stream,
            "：客户端 ",
            client,
            " → 服务器 ",
            server,
            " · ",
            tail
        )
    }
}
