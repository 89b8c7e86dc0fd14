//! The frame of a report: titles, headings, totals, close kinds, states, capture statistics.

use super::Chinese;
use crate::analysis::{ConnState, HistoryKind, TcpState};
use crate::capture::live::{CaptureStats, StopReason};
use crate::flow::{CloseKind, Side};
use crate::render::PacketCount;
use crate::render::words::{FindingCount, ReportWords, SummaryHeadings, TimelineHeadings};
impl ReportWords for Chinese {
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
            what_narrow: "发生了什么 [状态变化]",
        }
    }

    fn state_changes(&self, changes: &[(Side, TcpState)]) -> String {
        if changes.is_empty() {
            return String::new();
        }
        let parts: Vec<String> = changes
            .iter()
            .map(|(side, state)| {
                let who = match side {
                    Side::Client => "客户端",
                    Side::Server => "服务器",
                };
                format!("{who}\u{a0}{state}")
            })
            .collect();
        format!("[{}]", parts.join("，"))
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
            findings: "分析发现",
            ack_rtt: "ACK RTT\n最小 / 中位 / 最大",
            history: "历史",
        }
    }

    fn finding_count(&self, count: FindingCount, n: u64) -> String {
        let what = match count {
            FindingCount::Retransmitted => "重传",
            FindingCount::Fast => "快速",
            FindingCount::Spurious => "虚假",
            FindingCount::OutOfOrder => "乱序",
            FindingCount::DuplicateAcks => "重复确认",
            FindingCount::NotCaptured => "未抓到",
            FindingCount::ZeroWindows => "零窗口",
        };
        format!("{what} {n}")
    }

    fn retransmission_kinds(&self, kinds: &[String]) -> String {
        format!("（{}）", kinds.join("，"))
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

    fn options_label(&self) -> &'static str {
        "选项："
    }

    fn options_cut(&self) -> &'static str {
        "……（其余部分被 snaplen 截断）"
    }

    fn truncated(&self, out: &mut String, kept: usize, wire: u32) {
        put!(
            out,
            "被抓包的 snaplen 截断：保留了 ",
            kept,
            " / ",
            wire,
            " 字节"
        )
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
            PacketCount::AtEnd(size) => {
                format!("{}，分组数在最后给出", crate::text::file_size(size))
            }
            PacketCount::Unknown => "分组数在最后给出".into(),
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

    fn legend_headings(&self) -> [&'static str; 5] {
        [
            "图例",
            "各列",
            "TCP 状态（RFC 9293）",
            "状态：连接的经过（Zeek conn_state）",
            "历史：双方依次做了什么（Zeek；大写：客户端，小写：服务器）",
        ]
    }

    fn legend_columns(&self) -> [(&'static str, &'static str); 5] {
        [
            ("C>S, S>C", "方向：客户端到服务器，服务器到客户端"),
            (
                "seq, ack",
                "相对序号和确认号：从各方 SYN 起按字节从 0 计数，与 Wireshark 显示的相同",
            ),
            ("长度", "报文段或数据报的载荷字节数"),
            (
                "窗口",
                "接收窗口，单位字节（原始字段 × 2^扩大因子）；没看到握手、不知道扩大因子时显示为 64?",
            ),
            ("[客户端 …]", "这一方因这个分组而进入的状态（窄版式）"),
        ]
    }

    fn history_meaning(&self, kind: HistoryKind) -> &'static str {
        match kind {
            HistoryKind::Syn => "不带 ACK 的 SYN：请求连接",
            HistoryKind::SynAck => "SYN/ACK：接受连接",
            HistoryKind::Ack => "纯 ACK",
            HistoryKind::Data => "带数据的分组",
            HistoryKind::Fin => "FIN：数据发送完毕",
            HistoryKind::Rst => "RST：中止或拒绝",
            HistoryKind::Retransmission => "重传",
            HistoryKind::ZeroWindow => "零窗口",
            HistoryKind::SynFin => "SYN 与 FIN 同时出现（少见）",
        }
    }

    fn ladder_left_out(&self, count: u64, kept: usize) -> String {
        format!(
            "…… 另有 {count} 个分组未画出：一张梯形图只保留前 {kept} 行\
             （用 --stream N 和 --filter 画出其中一部分）"
        )
    }

    fn html_hint(&self) -> &'static str {
        "把鼠标指向一个箭头，可以看到该分组的每个字段；点击可以固定显示。"
    }
}
