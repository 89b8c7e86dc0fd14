//! 各个演示讲的内容（中文）。

use super::Chinese;
use crate::demo::lesson::Point;
use crate::demo::{DemoKind, FramePart};
use crate::render::words::LessonWords;
use crate::render::words::en::hex;
use crate::render::words::lesson::quoted;

impl LessonWords for Chinese {
    fn demo_summary(&self, kind: DemoKind) -> &'static str {
        match kind {
            DemoKind::Tcp => "TCP 回显：三次握手、双向数据、关闭（三段还是四段，以及原因）",
            DemoKind::Udp => "UDP 时间服务器：数据报，没有握手，也没有关闭",
            DemoKind::Sticky => {
                "粘包与拆包：几次 send() 由一次 recv() 读出，一次 send() 由几次 recv() 读出"
            }
            DemoKind::Framing => "解决粘包：每条消息前加 4 字节长度前缀，每条消息都完整取回",
            DemoKind::UdpBoundaries => {
                "一次 sendto() = 一个数据报 = 一次 recvfrom()；缓冲区太小时数据报被截断"
            }
            DemoKind::Refused => {
                "无人监听：TCP 收到 RST/ACK 和 ECONNREFUSED，UDP 收到 ICMP 端口不可达"
            }
            DemoKind::HalfClose => {
                "shutdown(SHUT_WR) 半关闭：一个方向 FIN，另一个方向仍在发数据（CLOSE-WAIT 还能发送）"
            }
            DemoKind::Close4Way => "教科书上的四次挥手，对照 Linux 常见的三段关闭，以及 TIME-WAIT",
            DemoKind::Concurrent => {
                "多线程服务器同时服务 N 个客户端：一个端口，N 个四元组（--clients N）"
            }
            DemoKind::TwoHosts => {
                "/24 子网上的两个命名空间：SYN 之前的 ARP、子网掩码按位与、真实 MAC、MSS"
            }
            DemoKind::Lossy => {
                "经过丢包中继的两台主机（--loss、--seed）：重传、重复 ACK、丢失的数据报"
            }
        }
    }

    fn lesson_heading(&self, kind: DemoKind) -> String {
        format!("── 本课：{kind} — {}", self.demo_summary(kind))
    }

    fn lesson_point(&self, point: &Point) -> Vec<String> {
        super::points::sentences(self, point)
    }

    fn framing_heading(&self, payload_start: usize) -> String {
        format!("TCP 载荷中的长度前缀分帧（载荷第 0 字节即帧的第 {payload_start} 字节）：")
    }

    fn framing_part(&self, part: &FramePart) -> String {
        match part {
            FramePart::Prefix {
                at,
                bytes,
                value: Some(v),
            } => format!(
                "载荷 {at}–{}：长度前缀 {} = {v}",
                at + bytes.len().saturating_sub(1),
                hex(bytes)
            ),
            FramePart::Prefix {
                at,
                bytes,
                value: None,
                ..
            } => format!(
                "载荷 {at}–{}：长度前缀的开头（{}），下一个报文段继续",
                at + bytes.len().saturating_sub(1),
                hex(bytes)
            ),
            FramePart::Message {
                at,
                index,
                data,
                total,
                complete,
            } => {
                let end = if *complete {
                    ""
                } else {
                    "（下一个报文段继续）"
                };
                format!(
                    "载荷 {at}–{}：消息 {index}（{total} 字节）{}{end}",
                    at + data.len.saturating_sub(1),
                    quoted(data)
                )
            }
        }
    }
}
