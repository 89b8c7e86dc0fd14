//! The sentences of each lesson point, in Chinese.

use super::Chinese;
use crate::demo::lesson::{Expected, LostWay, Point, network};
use crate::render::words::EventWords;
use crate::render::words::en::hex;
use crate::render::words::lesson::{call_list, frame_list, mask_text, quoted, sizes};
use crate::text::Mac;

/// The sentences of one lesson point.
pub(super) fn sentences(w: &Chinese, point: &Point) -> Vec<String> {
    match point {
        Point::Handshake { frames: [a, b, c] } => vec![format!(
            "帧 {a}、{b}、{c}：三次握手（SYN、SYN/ACK、ACK）。收到 SYN/ACK 后 connect() 返回；\
             accept() 只交出已完成握手的连接。"
        )],
        Point::Close {
            stream,
            frames,
            first,
        } => {
            let (f, p) = (w.side(*first), w.side(first.peer()));
            let list = frame_list(frames);
            if frames.len() == 3 {
                vec![format!(
                    "流 {stream} 用 3 个报文段关闭（帧 {list}）：{f}的 FIN，然后{p}的 ACK 和 \
                     FIN 合在一个报文段里，最后是 ACK。Linux 会把对 FIN 的确认推迟几十毫秒，\
                     等应用程序也关闭；{p}及时关闭了，所以两者一起发出。"
                )]
            } else {
                vec![format!(
                    "流 {stream} 用 {} 个报文段关闭（帧 {list}），就是教科书上的四次挥手：\
                     {f}的 FIN、{p}的 ACK、稍后{p}的 FIN、最后的 ACK。{p}在延迟确认单独发出\
                     之后才关闭。",
                    frames.len()
                )]
            }
        }
        Point::TimeWait { side, frame } => vec![format!(
            "帧 {frame} 之后，先关闭的{}进入 TIME-WAIT：内核把连接保留 2MSL（Linux 上为 60 秒），\
             这样对方的 FIN 重发时还能再发最后的 ACK，迟到的报文段也不会被当成相同四元组的新连接\
             的数据。{}则立即进入 CLOSED。",
            w.side(*side),
            w.side(side.peer())
        )],
        Point::Datagrams {
            sends,
            frames,
            reads,
        } => vec![format!(
            "{sends} 次 sendto()，{} 个数据报（帧 {}），{reads} 次 recvfrom()，每次恰好读到一个\
             数据报：UDP 保留消息边界。之前没有握手，之后没有 FIN：UDP 没有连接。",
            frames.len(),
            frame_list(frames)
        )],
        Point::Boundaries {
            sends: s,
            segments,
            reads,
        } => vec![
            "同样的字节，三种切法（客户端到服务器）：".into(),
            format!(
                "send()：  {}（{} 次调用）",
                sizes(s.iter().map(|n| n.to_string())),
                s.len()
            ),
            format!(
                "线路上：  {}（{} 个报文段）",
                sizes(
                    segments
                        .iter()
                        .map(|g| format!("{} (帧 {})", g.len, g.frame))
                ),
                segments.len()
            ),
            format!(
                "recv()：  {}（{} 次调用）",
                sizes(reads.iter().map(|n| n.to_string())),
                reads.len()
            ),
        ],
        Point::Glued { read, bytes, sends } => vec![format!(
            "第 {read} 次 recv() 返回 {bytes} 字节：send() {} 的字节粘在了一起（粘包）。TCP \
             传送的是字节流，不是消息：服务器读得晚，这些字节都已在接收缓冲区里，recv() 返回\
             缓冲区里现有的全部字节，最多到缓冲区大小。",
            call_list(sends)
        )],
        Point::Split {
            send,
            bytes,
            reads,
            buffer,
        } => vec![format!(
            "第 {send} 次 send()（{bytes} 字节）由 recv() {} 读回（拆包）：{buffer} 字节的缓冲区\
             每次最多取 {buffer} 字节，其余的等下一次 recv()。",
            call_list(reads)
        )],
        Point::Nagle { frame, sends, ack } => {
            let ack = ack.map(|a| format!("（帧 {a}）")).unwrap_or_default();
            vec![format!(
                "帧 {frame} 在一个报文段里带着 send() {} 的数据：Nagle 算法在先前数据未被确认时\
                 暂存小块写入，等 ACK 到达{ack}后一起发出。（服务器关闭了 TCP_QUICKACK，推迟确认。）",
                call_list(sends)
            )]
        }
        Point::Framed {
            index,
            len,
            message,
            frame,
        } => vec![format!(
            "消息 {index}：长度 {len} → 消息 {}（前缀 {} 在帧 {frame}）。服务器先恰好读 4 字节，\
             再恰好读 {len} 字节：无论字节怎样粘在一起，每条消息都完整取回。",
            quoted(message),
            hex(&len.to_be_bytes())
        )],
        Point::Truncated { frame, full, kept } => vec![format!(
            "帧 {frame} 携带一个 {full} 字节的数据报；用 {kept} 字节缓冲区的 recvfrom() 返回 \
             {kept} 字节并带 MSG_TRUNC：其余 {} 字节丢失。数据报要么整个读出，要么被截断，\
             不会由下一次调用接着读。",
            full.saturating_sub(*kept)
        )],
        Point::Refused {
            syn,
            rst,
            econnrefused,
        } => {
            let app = if *econnrefused {
                "connect() 失败，错误为 ECONNREFUSED（连接被拒绝）。"
            } else {
                "这次 connect() 没有报告 ECONNREFUSED。"
            };
            vec![format!(
                "帧 {syn}：SYN 发往无人监听的端口；帧 {rst}：内核回应 RST/ACK。{app}"
            )]
        }
        Point::Unreachable {
            datagram,
            icmp,
            connected,
            told,
        } => {
            let socket = if *connected { "已连接" } else { "未连接" };
            let app = match (connected, told) {
                (true, true) => "内核把错误转交给应用：下一次 recv() 失败，错误为 ECONNREFUSED。",
                (false, false) => {
                    "未连接的套接字收不到通知：recvfrom() 一直等到超时。UDP 本身从不告诉你对方\
                     是否收到了数据报。"
                }
                (true, false) => "但应用程序没有得到通知。",
                (false, true) => "应用程序得到了通知。",
            };
            vec![format!(
                "帧 {datagram}：{socket}的 UDP 套接字向关闭的端口发出数据报；帧 {icmp}：ICMP \
                 端口不可达，其中引用了该数据报（地址和端口）；{app}"
            )]
        }
        Point::HalfClose {
            fin,
            states,
            data,
            server_fin,
        } => {
            let mut text = format!(
                "帧 {fin}：客户端调用 shutdown(SHUT_WR) 半关闭：它的 FIN 表示不再发送，但仍继续接收。"
            );
            if !data.is_empty() {
                text.push_str(&format!(
                    "帧 {}：在这个 FIN 之后服务器仍在发送——处于 CLOSE-WAIT 的一方仍然可以发送。",
                    frame_list(data)
                ));
            }
            if let Some(s) = states {
                text.push_str(&format!(
                    "从帧 {s} 起：客户端 FIN-WAIT-2，服务器 CLOSE-WAIT。"
                ));
            }
            if let Some(f) = server_fin {
                text.push_str(&format!(
                    "只有服务器自己的 close() 才结束它的方向（帧 {f}）。"
                ));
            }
            vec![text]
        }
        Point::Streams {
            server,
            conns,
            switches,
        } => {
            let mut lines = vec![format!(
                "一个监听端口（{server}），同时 {} 个连接，服务器为每个连接开一个线程。区分连接的\
                 是四元组——客户端 IP 和端口、服务器 IP 和端口：",
                conns.len()
            )];
            for c in conns {
                lines.push(format!(
                    "流 {}：{} ↔ {server}（帧 {}–{}）",
                    c.stream, c.client, c.frames.0, c.frames.1
                ));
            }
            lines.push(format!(
                "每个客户端 bind() 时用端口 0，由内核选一个空闲端口；各个流在线路上交错出现\
                 （在流之间切换 {switches} 次），TCP 按四元组把它们分开。"
            ));
            lines
        }
        Point::Arp {
            request,
            reply,
            target,
            mac,
            syn,
        } => {
            let syn = syn
                .map(|s| format!("然后才是第一个 SYN（帧 {s}）。"))
                .unwrap_or_default();
            vec![format!(
                "帧 {request}：ARP 询问 {target} 是谁，广播到 ff:ff:ff:ff:ff:ff（ARP 缓存是空的）；\
                 帧 {reply}：{target} 在 {}。{syn}在以太网上发送之前，IP 需要下一跳的 MAC 地址。",
                Mac(mac)
            )]
        }
        Point::OnLink { own, dst, prefix } => {
            let mask = mask_text(*prefix);
            vec![format!(
                "为什么直接 ARP 询问 {dst} 而不是路由器：{own} AND {mask}（子网掩码）= {}，\
                 {dst} AND {mask} = {}：同一网络（/{prefix}），所以 {dst} 在本链路上，可以直接到达。",
                network(*own, *prefix),
                network(*dst, *prefix)
            )]
        }
        Point::Macs { a, b } => vec![format!(
            "真实的 MAC 地址：主机 a {}，主机 b {}。首字节 02 的本地管理位（0x02）为 1：地址由软件\
             分配，不含厂商的 OUI；组播位（0x01）为 0：单播。",
            Mac(a),
            Mac(b)
        )],
        Point::Mss {
            syn,
            mss,
            full,
            frames,
        } => vec![format!(
            "SYN（帧 {syn}）通告 MSS {mss}：MTU {} − 20（IP 首部）− 20（TCP 首部）。再减去 {} \
             字节的 TCP 选项（时间戳），满长报文段携带 {full} 字节数据：帧 {}。",
            u32::from(*mss) + 40,
            u32::from(*mss).saturating_sub(*full),
            frame_list(frames)
        )],
        Point::Loss {
            loss,
            seed,
            tcp,
            udp,
        } => vec![format!(
            "两台主机之间的中继丢弃 {:.0}% 的新 TCP 数据报文段和 UDP 数据报，由种子 {seed} 决定\
             （--seed {seed} 会再丢同样的）：这次丢了 {tcp} 个 TCP 报文段、{udp} 个数据报。",
            loss * 100.0
        )],
        Point::Resent {
            seq,
            len,
            first,
            again,
        } => {
            let again = again
                .map(|a| format!("帧 {a} 重传了同样的字节"))
                .unwrap_or_else(|| "抓包期间没有重传".into());
            vec![match first {
                Some(f) => format!(
                    "客户端的报文段 seq={seq}（{len} 字节，帧 {f}）在抓包点之后被丢弃；{again}：\
                     TCP 发现了缺口并重传。"
                ),
                None => format!(
                    "服务器的报文段 seq={seq}（{len} 字节）在到达客户端之前丢失；{again}\
                     （客户端看到的唯一一份）。"
                ),
            }]
        }
        Point::DupAcks { ack, frames } => vec![format!(
            "帧 {}：服务器的重复 ACK，每个都还在要字节 {ack}：缺口之后的报文段先到了（乱序），\
             每到一个，接收方就重复一次 ACK，并用 SACK 块说明已经收到的部分。",
            frame_list(frames)
        )],
        Point::UdpLost { frame, nth, way } => {
            let what = match way {
                LostWay::Request => format!("数据报 {nth}（帧 {frame}）在去服务器的路上被丢弃"),
                LostWay::Answer => {
                    format!("对数据报 {nth}（帧 {frame}）的应答在返回途中被丢弃")
                }
            };
            vec![format!(
                "{what}：recvfrom() 超时，也没有谁会重发——UDP 没有确认，也没有重传，应用程序\
                 必须自己处理。"
            )]
        }
        Point::Missing { what } => vec![
            match what {
                Expected::Handshake => "没有抓到完整的三次握手。",
                Expected::Close => "没有抓到完整的关闭过程。",
                Expected::Data => "没有抓到演示的数据。",
                Expected::Arp => "没有抓到 ARP 请求和应答。",
                Expected::Reset => "没有抓到回应 SYN 的 RST。",
                Expected::PortUnreachable => "没有抓到 ICMP 端口不可达。",
                Expected::TcpLoss => "这个种子没有丢弃 TCP 报文段：换一个 --seed 试试。",
                Expected::UdpLoss => "这个种子没有丢弃 UDP 数据报：换一个 --seed 试试。",
            }
            .to_string(),
        ],
    }
}
