//! 中文 (Simplified Chinese), in the terms of the Chinese networking textbooks: 三次握手,
//! 四次挥手, 半关闭, 重传, 窗口, 报文段, 首部. RFC state names and flag names stay as they are
//! (SYN-SENT, FIN, ACK), so students recognise them in Wireshark.

mod app;
mod bytes;
mod decode;
mod lesson;
mod points;
mod report;

use super::{EventWords, arp_ip};
use crate::analysis::Finding;
use crate::decode::{ArpInfo, IpInfo};
use crate::flow::event::{ArpOp, FinKind, ProbeAnswer, Resend, SynKind, TcpEvent, UdpEvent};
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
        let s = self.side(sender);
        let p = self.side(sender.peer());
        match *event {
            TcpEvent::Reset { refused: true } => put!(out, "复位：连接被拒绝（该端口无人监听）"),
            TcpEvent::Reset { refused: false } => put!(out, "复位：", s, "中止连接（RST）"),
            TcpEvent::Syn(SynKind::Again) => put!(out, "握手 1/3 重发：SYN 重传（尚无应答）"),
            TcpEvent::Syn(SynKind::Simultaneous) => {
                put!(out, "同时打开：", s, "也发送了自己的 SYN")
            }
            TcpEvent::Syn(SynKind::First) => put!(out, "握手 1/3：", s, "请求建立连接（SYN）"),
            TcpEvent::SynAck(SynKind::Again) => put!(out, "握手 2/3 重发：SYN/ACK 重传"),
            TcpEvent::SynAck(SynKind::Simultaneous) => {
                put!(out, "同时打开：", s, "确认", p, "的 SYN（SYN/ACK）")
            }
            TcpEvent::SynAck(SynKind::First) => {
                put!(out, "握手 2/3：", s, "接受连接并确认 SYN（SYN/ACK）")
            }
            TcpEvent::HandshakeAck { bytes: 0 } => put!(out, "握手 3/3：连接建立"),
            TcpEvent::HandshakeAck { bytes } => {
                put!(out, "握手 3/3：连接建立，并携带 ", bytes, " 字节数据")
            }
            TcpEvent::Fin(kind) => match kind {
                FinKind::AnswersPeer => {
                    put!(out, "挥手：", s, "确认", p, "的 FIN，并同时关闭（FIN）")
                }
                FinKind::DoneToo => put!(out, "挥手：", s, "也发送完毕（FIN）"),
                FinKind::Simultaneous => {
                    put!(
                        out,
                        "挥手：",
                        s,
                        "在看到",
                        p,
                        "的 FIN 之前发出 FIN（同时关闭）"
                    )
                }
                FinKind::WithData(n) => put!(out, "挥手：", s, "发送最后 ", n, " 字节并发出 FIN"),
                FinKind::First => put!(out, "挥手：", s, "没有数据要发送了（FIN）"),
            },
            TcpEvent::FinAgain => put!(out, "挥手：", s, "再次发送 FIN（重传）"),
            TcpEvent::KeepAlive {
                peer_window_zero: true,
            } => put!(out, "窗口探测：", s, "询问", p, "的零窗口是否已打开"),
            TcpEvent::KeepAlive {
                peer_window_zero: false,
            } => put!(out, "保活：", s, "检查空闲的连接是否仍在"),
            TcpEvent::KeepAliveAck(ProbeAnswer::StillZero) => {
                put!(out, s, "回应探测：其窗口仍为 0")
            }
            TcpEvent::KeepAliveAck(ProbeAnswer::WindowOpened(w)) => {
                put!(out, "窗口更新：", s, "回应探测，其窗口现为 ", w, " 字节")
            }
            TcpEvent::KeepAliveAck(ProbeAnswer::Alive) => {
                put!(out, "保活确认：", s, "回应自己仍在")
            }
            TcpEvent::ZeroWindowProbe => {
                put!(out, "零窗口探测：", s, "询问", p, "的窗口是否已打开")
            }
            TcpEvent::Data {
                bytes,
                resend,
                fills_window,
                peer_finished,
                acks_peer_fin,
            } => {
                match resend {
                    None => put!(out, "数据：", s, "发送 ", bytes, " 字节"),
                    Some(Resend::Retransmission) => {
                        put!(out, "重传：", s, "再次发送 ", bytes, " 字节")
                    }
                    Some(Resend::Fast { dup_acks: 0 }) => {
                        put!(
                            out,
                            "快速重传：",
                            s,
                            "收到重复确认后重发 ",
                            bytes,
                            " 字节，不等超时"
                        )
                    }
                    Some(Resend::Fast { dup_acks }) => put!(
                        out,
                        "快速重传：",
                        s,
                        "收到 ",
                        dup_acks,
                        " 个重复确认后重发 ",
                        bytes,
                        " 字节，不等超时"
                    ),
                    Some(Resend::Spurious) => {
                        put!(
                            out,
                            "虚假重传：",
                            s,
                            "重发 ",
                            bytes,
                            " 字节，但",
                            p,
                            "早已确认过这些数据"
                        )
                    }
                    Some(Resend::OutOfOrder {
                        overtaken_by: Some(f),
                    }) => put!(
                        out,
                        "乱序：",
                        s,
                        "的 ",
                        bytes,
                        " 字节在第 ",
                        f,
                        " 帧之前发出，却在它之后到达（是延迟，不是丢失）"
                    ),
                    Some(Resend::OutOfOrder { overtaken_by: None }) => {
                        put!(
                            out,
                            "乱序：",
                            s,
                            "的 ",
                            bytes,
                            " 字节在后面的数据之后到达（是延迟，不是丢失）"
                        )
                    }
                };
                if fills_window {
                    put!(
                        out,
                        "；窗口已满：",
                        p,
                        "的接收窗口已被填满，",
                        s,
                        "必须等待确认"
                    );
                }
                if peer_finished {
                    put!(out, "（半关闭：", p, "已发送完毕）");
                }
                if acks_peer_fin {
                    put!(out, "，并确认", p, "的 FIN");
                }
            }
            TcpEvent::AckPeerFin { own_fin_sent: true } => {
                put!(out, "挥手：", s, "确认", p, "的 FIN")
            }
            TcpEvent::AckPeerFin {
                own_fin_sent: false,
            } => put!(
                out,
                "挥手：",
                s,
                "确认",
                p,
                "的 FIN；",
                s,
                "仍可发送数据（半关闭）"
            ),
            TcpEvent::ZeroWindow => put!(out, "零窗口：", s, "的接收缓冲区已满，", p, "必须等待"),
            TcpEvent::WindowUpdate { window } => match window {
                Some(w) => put!(out, "窗口更新：", s, "的接收窗口现为 ", w, " 字节"),
                None => put!(out, "窗口更新：", s, "的接收窗口已改变"),
            },
            TcpEvent::DuplicateAck { number, of_frame } => {
                put!(
                    out,
                    "重复确认 #",
                    number,
                    "（重复第 ",
                    of_frame,
                    " 帧）：",
                    s,
                    "仍在等待同一个字节"
                )
            }
            TcpEvent::NoAck => put!(out, s, "发送了一个不带 ACK 的空报文段"),
            TcpEvent::Ack { new_bytes: Some(n) } => {
                put!(out, "确认：", s, "确认已收到 ", n, " 字节")
            }
            TcpEvent::Ack { new_bytes: None } => put!(out, "确认：", s, "发出确认（没有新数据）"),
        }
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
        proto: Proto,
        stream: u32,
        client: &str,
        server: &str,
        tail: &str,
    ) -> String {
        format!(
            "── {}：客户端 {client} → 服务器 {server} · {tail}",
            self.stream_title(proto, stream)
        )
    }
}
