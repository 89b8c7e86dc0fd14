//! 中文: what a TCP segment does.

use super::Chinese;
use crate::flow::Side;
use crate::flow::event::{FinKind, ProbeAnswer, Resend, SynKind, TcpEvent};
use crate::render::words::{EventWords, Put};

/// "客户端" or "服务器" as a piece of a sentence: both words have the same length, so
/// appending one is a fixed-size copy.
#[derive(Debug, Clone, Copy)]
pub(super) struct Who(pub(super) Side);

impl Put for Who {
    #[inline]
    fn put(&self, out: &mut String) {
        out.push_str(Chinese.side(self.0));
    }
}

/// The event of a segment sent by `s` to its peer `p` ("client" / "server"), appended.
pub(super) fn event(out: &mut String, event: &TcpEvent, s: Who, p: Who) {
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
