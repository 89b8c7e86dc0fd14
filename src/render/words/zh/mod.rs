//! 中文 (Simplified Chinese), in the terms of the Chinese networking textbooks: 三次握手,
//! 四次挥手, 半关闭, 重传, 窗口, 报文段, 首部. RFC state names and flag names stay as they are
//! (SYN-SENT, FIN, ACK), so students recognise them in Wireshark.

mod bytes;
mod decode;

use super::{SummaryHeadings, TimelineHeadings, Words, arp_ip};
use crate::analysis::{ConnState, Finding, TcpState};
use crate::capture::live::{CaptureStats, StopReason};
use crate::decode::{ArpInfo, DecodeStop, IcmpInfo, IpInfo, Link};
use crate::flow::event::{ArpOp, FinKind, ProbeAnswer, SynKind, TcpEvent, UdpEvent};
use crate::flow::{CloseKind, Endpoint, Proto, RoleBasis, Side};
use crate::render::PacketCount;
use crate::text::Mac;
use crate::time::format_duration;

/// 中文.
#[derive(Debug, Clone, Copy, Default)]
pub struct Chinese;

impl Words for Chinese {
    fn side(&self, side: Side) -> &'static str {
        match side {
            Side::Client => "客户端",
            Side::Server => "服务器",
        }
    }

    fn tcp_event(&self, event: &TcpEvent, sender: Side) -> String {
        let s = self.side(sender);
        let p = self.side(sender.peer());
        match *event {
            TcpEvent::Reset { refused: true } => "复位：连接被拒绝（该端口无人监听）".into(),
            TcpEvent::Reset { refused: false } => format!("复位：{s}中止连接（RST）"),
            TcpEvent::Syn(SynKind::Again) => "握手 1/3 重发：SYN 重传（尚无应答）".into(),
            TcpEvent::Syn(SynKind::Simultaneous) => {
                format!("同时打开：{s}也发送了自己的 SYN")
            }
            TcpEvent::Syn(SynKind::First) => format!("握手 1/3：{s}请求建立连接（SYN）"),
            TcpEvent::SynAck(SynKind::Again) => "握手 2/3 重发：SYN/ACK 重传".into(),
            TcpEvent::SynAck(SynKind::Simultaneous) => {
                format!("同时打开：{s}确认{p}的 SYN（SYN/ACK）")
            }
            TcpEvent::SynAck(SynKind::First) => {
                format!("握手 2/3：{s}接受连接并确认 SYN（SYN/ACK）")
            }
            TcpEvent::HandshakeAck { bytes: 0 } => "握手 3/3：连接建立".into(),
            TcpEvent::HandshakeAck { bytes } => {
                format!("握手 3/3：连接建立，并携带 {bytes} 字节数据")
            }
            TcpEvent::Fin(kind) => match kind {
                FinKind::AnswersPeer => format!("挥手：{s}确认{p}的 FIN，并同时关闭（FIN）"),
                FinKind::DoneToo => format!("挥手：{s}也发送完毕（FIN）"),
                FinKind::Simultaneous => {
                    format!("挥手：{s}在看到{p}的 FIN 之前发出 FIN（同时关闭）")
                }
                FinKind::WithData(n) => format!("挥手：{s}发送最后 {n} 字节并发出 FIN"),
                FinKind::First => format!("挥手：{s}没有数据要发送了（FIN）"),
            },
            TcpEvent::FinAgain => format!("挥手：{s}再次发送 FIN（重传）"),
            TcpEvent::KeepAlive {
                peer_window_zero: true,
            } => format!("窗口探测：{s}询问{p}的零窗口是否已打开"),
            TcpEvent::KeepAlive {
                peer_window_zero: false,
            } => format!("保活：{s}检查空闲的连接是否仍在"),
            TcpEvent::KeepAliveAck(ProbeAnswer::StillZero) => {
                format!("{s}回应探测：其窗口仍为 0")
            }
            TcpEvent::KeepAliveAck(ProbeAnswer::WindowOpened(w)) => {
                format!("窗口更新：{s}回应探测，其窗口现为 {w} 字节")
            }
            TcpEvent::KeepAliveAck(ProbeAnswer::Alive) => {
                format!("保活确认：{s}回应自己仍在")
            }
            TcpEvent::ZeroWindowProbe => format!("零窗口探测：{s}询问{p}的窗口是否已打开"),
            TcpEvent::Data {
                bytes,
                resent,
                peer_finished,
                acks_peer_fin,
            } => {
                let mut text = if resent {
                    format!("重传：{s}再次发送 {bytes} 字节")
                } else {
                    format!("数据：{s}发送 {bytes} 字节")
                };
                if peer_finished {
                    text.push_str(&format!("（半关闭：{p}已发送完毕）"));
                }
                if acks_peer_fin {
                    text.push_str(&format!("，并确认{p}的 FIN"));
                }
                text
            }
            TcpEvent::AckPeerFin { own_fin_sent: true } => format!("挥手：{s}确认{p}的 FIN"),
            TcpEvent::AckPeerFin {
                own_fin_sent: false,
            } => format!("挥手：{s}确认{p}的 FIN；{s}仍可发送数据（半关闭）"),
            TcpEvent::ZeroWindow => format!("零窗口：{s}的接收缓冲区已满，{p}必须等待"),
            TcpEvent::WindowUpdate { window } => match window {
                Some(w) => format!("窗口更新：{s}的接收窗口现为 {w} 字节"),
                None => format!("窗口更新：{s}的接收窗口已改变"),
            },
            TcpEvent::DuplicateAck => format!("重复确认：{s}仍在等待同一个字节"),
            TcpEvent::NoAck => format!("{s}发送了一个不带 ACK 的空报文段"),
            TcpEvent::Ack { new_bytes: Some(n) } => format!("确认：{s}确认已收到 {n} 字节"),
            TcpEvent::Ack { new_bytes: None } => format!("确认：{s}发出确认（没有新数据）"),
        }
    }

    fn udp_event(&self, event: &UdpEvent, sender: Side) -> String {
        let s = self.side(sender);
        match *event {
            UdpEvent::Request { bytes, first: true } => {
                format!("数据报：{s}发送 {bytes} 字节（没有握手：UDP 直接发送）")
            }
            UdpEvent::Request { bytes, .. } | UdpEvent::Unpaired { bytes } => {
                format!("数据报：{s}发送 {bytes} 字节")
            }
            UdpEvent::Response {
                bytes,
                request,
                delay_ns,
            } => format!(
                "数据报：{s}在 {} 后回应 #{request}，{bytes} 字节",
                format_duration(delay_ns as f64 / 1e9)
            ),
        }
    }

    fn icmp(&self, info: &IcmpInfo) -> String {
        decode::icmp(info)
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

    fn link_payload(&self, link: &Link) -> String {
        decode::link_payload(link)
    }

    fn decode_stop(&self, stop: &DecodeStop) -> String {
        decode::decode_stop(stop)
    }

    fn finding(&self, finding: Finding) -> &'static str {
        match finding {
            Finding::Retransmission => "重传",
            Finding::LostSegment => "前一报文段未被抓到",
            Finding::DuplicateAck => "重复确认",
            Finding::AckLostSegment => "确认了未抓到的报文段",
            Finding::ZeroWindow => "零窗口",
            Finding::ZeroWindowProbe => "零窗口探测",
            Finding::KeepAlive => "保活",
            Finding::KeepAliveAck => "保活确认",
            Finding::WindowUpdate => "窗口更新",
            Finding::ReusedPorts => "端口重用",
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

    fn stream_title(&self, proto: Proto, stream: u32) -> String {
        match proto {
            Proto::Tcp => format!("TCP 流 {stream}"),
            Proto::Udp => format!("UDP 流 {stream}"),
        }
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

    fn close_kind(&self, close: CloseKind) -> &'static str {
        match close {
            CloseKind::Fin4Way => "四次挥手",
            CloseKind::Fin3Way => "三报文段挥手（ACK 与 FIN 合并）",
            CloseKind::Simultaneous => "同时关闭",
            CloseKind::HalfCloseThenClosed => "先半关闭，后关闭",
            CloseKind::HalfClosed => "结束时半关闭",
            CloseKind::Reset => "复位",
            CloseKind::Refused => "被拒绝",
            CloseKind::Unanswered => "SYN 无应答",
            CloseKind::Open => "结束时仍打开",
            CloseKind::NotApplicable => "-（UDP 没有挥手）",
        }
    }

    fn state_meaning(&self, state: TcpState) -> &'static str {
        match state {
            TcpState::Unknown => "未知：抓包始于连接中途",
            TcpState::Listen => "已调用 listen()：等待连接请求",
            TcpState::SynSent => "已调用 connect()：SYN 已发出，等待应答",
            TcpState::SynReceived => "收到 SYN 并以 SYN/ACK 回应，等待 ACK",
            TcpState::Established => "连接已建立：双方都可以发送数据",
            TcpState::FinWait1 => "已调用 close()：FIN 已发出，等待对它的 ACK",
            TcpState::FinWait2 => "自己的 FIN 已被确认：等待对方的 FIN",
            TcpState::CloseWait => "对方已关闭（收到 FIN）；本方仍可发送",
            TcpState::Closing => "双方同时发出 FIN，等待对自己 FIN 的确认",
            TcpState::LastAck => "在对方之后关闭：FIN 已发出，等待最后的 ACK",
            TcpState::TimeWait => "已关闭；等待 2MSL，让本连接迟到的报文段消失",
            TcpState::Closed => "没有连接",
        }
    }

    fn conn_state_meaning(&self, state: ConnState) -> &'static str {
        match state {
            ConnState::S0 => "看到连接请求，没有应答",
            ConnState::S1 => "已建立，未关闭",
            ConnState::SF => "正常建立并正常关闭",
            ConnState::REJ => "连接请求被拒绝",
            ConnState::S2 => "已建立；客户端已关闭，服务器未关闭",
            ConnState::S3 => "已建立；服务器已关闭，客户端未关闭",
            ConnState::RSTO => "已建立；客户端中止连接（RST）",
            ConnState::RSTR => "已建立；服务器中止连接（RST）",
            ConnState::RSTOS0 => "客户端发出 SYN 后又发 RST；未见 SYN/ACK",
            ConnState::RSTRH => "服务器发出 SYN/ACK 后又发 RST；未见 SYN",
            ConnState::SH => "客户端发出 SYN 后又发 FIN；未见 SYN/ACK",
            ConnState::SHR => "服务器发出 SYN/ACK 后又发 FIN；未见 SYN",
            ConnState::OTH => "未见 SYN：从连接中途开始的流量",
        }
    }

    fn timeline_headings(&self) -> TimelineHeadings {
        TimelineHeadings {
            frame: "#",
            time_relative: "时间",
            time_absolute: "时间（本地）",
            time_delta: "间隔",
            stream: "流",
            dir: "方向",
            flags: "标志",
            seq: "seq",
            ack: "ack",
            len: "长度",
            win: "窗口",
            client: "客户端",
            server: "服务器",
            what: "发生了什么",
        }
    }

    fn summary_headings(&self) -> SummaryHeadings {
        SummaryHeadings {
            stream: "流",
            client: "客户端",
            server: "服务器",
            packets: "分组数\nc>s / s>c",
            bytes: "数据字节\nc>s / s>c",
            start: "开始",
            duration: "时长",
            rtt: "握手 RTT\nSYN>SYN/ACK / >ACK",
            close: "关闭方式",
            state: "状态",
            history: "历史",
        }
    }

    fn first_reply(&self, delay: &str) -> String {
        format!("首个应答 {delay}")
    }

    fn totals(&self, read: u64, shown: Option<u64>, tcp: usize, udp: usize) -> String {
        let shown = shown.map(|s| format!("，显示 {s} 个")).unwrap_or_default();
        format!("{read} 个分组{shown} · {tcp} 个 TCP 会话 · {udp} 个 UDP 会话")
    }

    fn no_conversations(&self) -> &'static str {
        "没有 TCP 或 UDP 会话"
    }

    fn options_line(&self, options: &str) -> String {
        format!("选项：{options}")
    }

    fn options_cut(&self) -> &'static str {
        "……（其余部分被 snaplen 截断）"
    }

    fn truncated(&self, kept: usize, wire: u32) -> String {
        format!("被抓包的 snaplen 截断：保留了 {kept} / {wire} 字节")
    }

    fn note(&self, stop: &str) -> String {
        format!("注：{stop}")
    }

    fn file_title(
        &self,
        name: &str,
        format: Option<&str>,
        linktypes: &str,
        count: PacketCount,
    ) -> String {
        let count = match count {
            PacketCount::Exact(n) => format!("{n} 个分组"),
            PacketCount::Damaged(n) => format!("{n} 个可读分组（其后文件已损坏）"),
            PacketCount::AtEnd(size) => format!(
                "{:.1} GiB，分组数在最后给出",
                size as f64 / f64::from(1 << 30)
            ),
            PacketCount::Unknown => "分组数未知".into(),
        };
        let format = format.unwrap_or("抓包文件");
        format!("{name} · {format} · {linktypes} · {count}")
    }

    fn stdin_title(&self, linktype: &str) -> String {
        format!("标准输入 · {linktype} · 分组数在最后给出")
    }

    fn live_title(&self, iface: &str, demo: Option<(&str, &str)>, write: Option<&str>) -> String {
        let mut title = format!("在 {iface} 上实时抓包");
        if let Some((kind, addr)) = demo {
            title.push_str(&format!(" · 演示 {kind}，地址 {addr}"));
        }
        if let Some(path) = write {
            title.push_str(&format!(" · 写入 {path}"));
        }
        title
    }

    fn live_filter(&self, filter: &str) -> String {
        format!(" · 过滤器 '{filter}'")
    }

    fn stop_reason(&self, reason: StopReason) -> &'static str {
        match reason {
            StopReason::Count => "已达到帧数",
            StopReason::Duration => "已到时长",
            StopReason::Stopped => "按请求停止",
            StopReason::DemoFinished => "演示会话结束",
        }
    }

    fn capture_stats(&self, stats: &CaptureStats) -> String {
        let mut text = format!(
            "抓到 {} 帧；libpcap 计数：收到 {}，抓包缓冲区丢弃 {}，网卡丢弃 {}",
            stats.delivered, stats.received, stats.dropped, stats.if_dropped
        );
        if stats.counts_twice {
            text.push_str(
                "（在 lo 和 \"any\" 上 libpcap 把每个回环分组的发出和收到各计一次，\
                 所以“收到”约为帧数的两倍）",
            );
        }
        if stats.dropped > 0 {
            text.push_str("；有分组丢失：请用更小的 --snaplen、更大的缓冲区，或少抓一些");
        }
        text
    }

    fn capture_stopped(&self, reason: &str, stats: &str) -> String {
        format!("抓包停止：{reason} · {stats}")
    }

    fn wrote(&self, frames: u64, path: &str) -> String {
        format!("已把 {frames} 个分组写入 {path}")
    }
}
