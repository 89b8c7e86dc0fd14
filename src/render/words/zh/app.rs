//! What the demo peers' socket calls do.

use super::Chinese;
use crate::demo::{CloseReason, Detail, Failure, OsError, Payload, SockOpt};
use crate::render::words::AppWords;
impl AppWords for Chinese {
    fn app_detail(&self, detail: &Detail) -> String {
        let payload = |data: &Payload| crate::render::words::payload_text(data, "字节");
        match detail {
            Detail::Address(a) if a.port() == 0 => format!("{a}（端口 0：由内核选一个空闲端口）"),
            Detail::Address(a) => a.to_string(),
            Detail::Connecting(a) => format!("连接 {a}（阻塞，直到三次握手完成）"),
            Detail::WaitingForConnection(a) => format!("在 {a} 上等待连接"),
            Detail::ReadingUpTo(n) => format!("最多读 {n} 字节"),
            Detail::WaitingForEcho(n) => format!("等待 {n} 字节的回显"),
            Detail::WaitingForRequest => "等待请求".into(),
            Detail::WaitingForAnswer(a) => format!("等待 {a} 的应答"),
            Detail::Sending { data, to, echo } => {
                let mut text = payload(data);
                if let Some(to) = to {
                    text.push_str(&format!("，发往 {to}"));
                }
                if *echo {
                    text.push_str("（回显）");
                }
                text
            }
            Detail::Closing(reason) => match reason {
                CloseReason::ClientFirst => "客户端先关闭：发出 FIN",
                CloseReason::AfterEof => "读到 EOF 后关闭：发出 FIN",
                CloseReason::Stopped => "提前停止",
                CloseReason::TooManyReads => "读的次数太多",
                CloseReason::Udp => "不发送分组：UDP 没有连接可关闭",
                CloseReason::ServerDone => "数据已全部发出：发出 FIN",
            }
            .into(),
            Detail::Listening { addr, backlog } => {
                format!("返回：在 {addr} 上监听（bind + listen，backlog {backlog}）")
            }
            Detail::Bound(a) => format!("返回：已绑定 {a}，可以收数据报"),
            Detail::Connected { local, peer } => {
                format!("返回：连接已建立（{local} -> {peer}）")
            }
            Detail::Accepted(peer) => format!("返回：接受来自 {peer} 的连接（三次握手早已完成）"),
            Detail::Queued(n) => format!("返回：{n} 字节已放入发送缓冲区"),
            Detail::SentDatagram(n) => format!("返回：{n} 字节作为一个数据报发出"),
            Detail::Received { data, from } => match from {
                Some(from) => format!("{}，来自 {from}", payload(data)),
                None => payload(data),
            },
            Detail::Eof => "0 字节：对方已关闭（EOF）".into(),
            Detail::Closed => "返回：套接字已关闭".into(),
            Detail::Failed(failure) => format!("失败：{}", failure_text(failure)),
            Detail::SettingOption(option) => match option {
                SockOpt::NoDelay(true) => "TCP_NODELAY 开：关闭 Nagle 算法".into(),
                SockOpt::NoDelay(false) => "TCP_NODELAY 关：启用 Nagle 算法".into(),
                SockOpt::QuickAck(true) => "TCP_QUICKACK 开：立即确认".into(),
                SockOpt::QuickAck(false) => {
                    "TCP_QUICKACK 关：延迟确认（像准备回复的程序那样）".into()
                }
            },
            Detail::OptionSet => "返回：选项已设置".into(),
            Detail::WaitingForBytes(n) => format!("FIONREAD：故意晚读，等到有 {n} 字节"),
            Detail::BytesWaiting(n) => format!("返回：接收缓冲区里有 {n} 字节"),
            Detail::Sleeping(t) => format!("{} 毫秒：忙别的，不调用套接字", t.as_millis()),
            Detail::Woke => "返回".into(),
            Detail::ShuttingDownWrite => "SHUT_WR：不再发送（FIN），仍可接收".into(),
            Detail::WriteShut => "返回：FIN 已排队，套接字仍能接收".into(),
            Detail::Truncated { data, full, from } => {
                let mut text = format!(
                    "{}，共 {full} 字节（MSG_TRUNC）：数据报其余 {} 字节丢失",
                    payload(data),
                    full.saturating_sub(data.len)
                );
                if let Some(from) = from {
                    text.push_str(&format!("，来自 {from}"));
                }
                text
            }
            Detail::PortPicked(a) => format!("返回：已绑定 {a}（端口 {} 由内核选定）", a.port()),
            Detail::Associating(a) => format!("{a}：UDP 只记下默认目的地址，不发送任何分组"),
            Detail::Associated { local, peer } => {
                format!("返回：{local} 此后发往 {peer}，也只收它的数据报")
            }
            Detail::ReadingPrefix => "恰好 4 字节：长度前缀".into(),
            Detail::ReadingMessage(n) => format!("恰好 {n} 字节：消息本身"),
            Detail::ClientDone => "不再有请求：客户端已结束".into(),
            Detail::SendingFramed { data } => {
                format!("4 字节长度 {} + {}", data.len, payload(data))
            }
        }
    }
}

/// Why a call failed, in words: the errno name first, as C programmers know it.
fn failure_text(failure: &Failure) -> String {
    match *failure {
        Failure::Os { kind, errno } => {
            let what = match kind {
                OsError::ConnectionRefused => "连接被拒绝",
                OsError::ConnectionReset => "连接被对方复位",
                OsError::ConnectionAborted => "连接被中止",
                OsError::TimedOut => "超时",
                OsError::AddrInUse => "地址已被占用",
                OsError::BrokenPipe => "管道已断开（对方已关闭）",
                OsError::PermissionDenied => "没有权限",
                OsError::HostUnreachable => "主机不可达",
                OsError::NetworkUnreachable => "网络不可达",
                OsError::MessageSize => "消息太长",
                OsError::Other => "系统错误",
            };
            match errno {
                Some(n) => match crate::render::words::errno_name(n) {
                    Some(name) => format!("{name}：{what}"),
                    None => format!("{what}（errno {n}）"),
                },
                None => what.to_string(),
            }
        }
        Failure::TimedOut(t) => format!("{:.1} 秒内没有结果，超时", t.as_secs_f64()),
        Failure::Stopped => "会话结束前被停止".into(),
    }
}
