//! 中文 for what decoding found: ICMP messages, link payloads, why decoding stopped.

use etherparse::err::Layer;

use super::Chinese;
use crate::decode::{
    ARPHRD_NETLINK, DecodeStop, HeaderProblem, IcmpInfo, IcmpKind, Link, LinkHeader, PppControl,
    TcpOptionKind, Unreachable, WifiFrame,
};
use crate::render::words::{DecodeWords, ethertype_label};

/// An ICMP message in words.
pub(super) fn icmp(info: &IcmpInfo) -> String {
    let echo = |what: &str| match info.echo {
        Some((id, seq)) => format!("{what} id {id} seq {seq}"),
        None => what.into(),
    };
    let unreachable = |why: &str| format!("目的不可达：{why}");
    match info.kind {
        IcmpKind::EchoRequest => echo("回显请求"),
        IcmpKind::EchoReply => echo("回显应答"),
        IcmpKind::Unreachable(u) => match u {
            Unreachable::Network => unreachable("网络不可达"),
            Unreachable::Host => unreachable("主机不可达"),
            Unreachable::Protocol => unreachable("协议不可达"),
            Unreachable::Port => unreachable("端口不可达"),
            Unreachable::FragmentationNeeded(mtu) => {
                unreachable(&format!("需要分片（下一跳 MTU {mtu}）"))
            }
            Unreachable::Prohibited => unreachable("被管理策略禁止"),
            Unreachable::NoRoute => unreachable("没有路由"),
            Unreachable::Address => unreachable("地址不可达"),
            Unreachable::Other(code) => format!("目的不可达（代码 {code}）"),
        },
        IcmpKind::PacketTooBig(mtu) => format!("分组太大（MTU {mtu}）"),
        IcmpKind::TtlExceeded if info.v6 => "超时：跳数限制耗尽".into(),
        IcmpKind::TtlExceeded => "超时：TTL 在传输途中耗尽".into(),
        IcmpKind::ReassemblyExceeded => "超时：分片重组超时".into(),
        IcmpKind::SourceQuench => "源点抑制".into(),
        IcmpKind::Redirect => "重定向".into(),
        IcmpKind::RouterAdvertisement => "路由器通告".into(),
        IcmpKind::RouterSolicitation => "路由器询问".into(),
        IcmpKind::ParameterProblem => "参数问题".into(),
        IcmpKind::TimestampRequest => "时间戳请求".into(),
        IcmpKind::TimestampReply => "时间戳应答".into(),
        IcmpKind::MulticastListener => "组播侦听者报文".into(),
        IcmpKind::NeighborSolicitation => "邻居请求（谁有这个地址？）".into(),
        IcmpKind::NeighborAdvertisement => "邻居通告（这个地址在……）".into(),
        IcmpKind::Other => format!(
            "{} 类型 {} 代码 {}",
            if info.v6 { "ICMPv6" } else { "ICMP" },
            info.icmp_type,
            info.code
        ),
    }
}

/// What a link header carries, when no network layer was decoded.
pub(super) fn link_payload(link: &Link) -> String {
    match link {
        Link::Ethernet { ethertype, .. } if *ethertype < 0x0600 => {
            format!("802.3 帧（长度 {ethertype}）")
        }
        Link::Ethernet { ethertype, .. } => ethertype_label(*ethertype),
        Link::Sll {
            protocol, hatype, ..
        }
        | Link::Sll2 {
            protocol, hatype, ..
        } => {
            if *hatype == ARPHRD_NETLINK {
                format!("netlink 消息（协议 {protocol}）")
            } else if *protocol < 0x0600 {
                format!("非 IP 帧（Linux 协议 0x{protocol:04x}）")
            } else {
                ethertype_label(*protocol)
            }
        }
        Link::Loopback { family } => format!("地址族 {family}"),
        Link::Raw => "不是 IP 分组".into(),
        Link::Wifi(frame) => format!("802.11 {}", wifi_frame(*frame)),
        Link::Encapsulated { header, protocol } => {
            format!("{} 协议 0x{protocol:04x} 未解码", header.name())
        }
        Link::Unknown(lt) => format!("链路类型 {} 未解码", lt.name()),
    }
}

/// Why decoding stopped.
pub(super) fn decode_stop(stop: &DecodeStop) -> String {
    match *stop {
        DecodeStop::LinkTooShort {
            link,
            have,
            need: Some(need),
        } => format!(
            "帧太短，放不下 {} 首部：只有 {have} 字节，需要 {need} 字节",
            link.name()
        ),
        DecodeStop::LinkTooShort {
            link,
            have,
            need: None,
        } => format!("帧太短，放不下 {} 首部：只有 {have} 字节", link.name()),
        DecodeStop::EmptyFrame => "空帧".into(),
        DecodeStop::NotIp { version } => {
            format!("原始分组的 IP 版本为 {version}，不是 4 或 6")
        }
        DecodeStop::NotIpFamily {
            link: LinkHeader::Loopback,
            family,
        } => format!("回环地址族 {family} 不是 IP"),
        DecodeStop::NotIpFamily { link, family } => {
            format!("{} 地址族 {family} 未解码", link.name())
        }
        DecodeStop::NotEtherType { protocol } => {
            format!("协议 0x{protocol:04x} 不是 EtherType")
        }
        DecodeStop::CookedNotIp { protocol } => {
            format!("非 IP 帧（Linux 协议 0x{protocol:04x}）")
        }
        DecodeStop::Netlink { protocol } => {
            format!("netlink 消息（协议 {protocol}），不是网络分组")
        }
        DecodeStop::LinkProtocol {
            link: LinkHeader::Ppp,
            protocol,
        } => format!("PPP 协议 0x{protocol:04x} 未解码"),
        DecodeStop::LinkProtocol { link, protocol } => {
            format!("{} 协议 {protocol} 未解码", link.name())
        }
        DecodeStop::PppControl(control) => match control {
            PppControl::Lcp => "PPP 链路控制（LCP）",
            PppControl::Ipcp => "PPP IP 控制（IPCP）",
            PppControl::Ipv6cp => "PPP IPv6 控制（IPV6CP）",
            PppControl::Pap => "PPP 口令认证（PAP）",
            PppControl::Chap => "PPP 挑战握手认证（CHAP）",
        }
        .into(),
        DecodeStop::NflogNoPacket => "NFLOG 消息中没有分组".into(),
        DecodeStop::Radiotap { len } => format!("radiotap 长度 {len} 与帧不符"),
        DecodeStop::WifiNoPacket => "其中没有 IP 分组".into(),
        DecodeStop::WifiNoPayload => "没有载荷".into(),
        DecodeStop::WifiEncrypted => "受 WEP/WPA 保护：内容不可见".into(),
        DecodeStop::WifiNotSnap => "数据不是 LLC/SNAP 封装".into(),
        DecodeStop::WifiReserved => "未解码".into(),
        DecodeStop::UnsupportedLink(lt) => format!(
            "链路类型 {} 未解码（支持：{}）",
            lt.name(),
            crate::capture::LinkType::supported_list()
        ),
        DecodeStop::Short { layer, have, need } => format!(
            "{}不完整：只有 {have} 字节，需要 {need} 字节",
            layer_name(layer)
        ),
        DecodeStop::BadHeader { layer, problem } => {
            let layer = layer_name(layer);
            match problem {
                HeaderProblem::Version(v) => format!("{layer}：版本号 {v} 在此无效"),
                HeaderProblem::HeaderLength(ihl) => format!(
                    "{layer}：首部长度 {ihl} × 4 = {} 字节，小于 20",
                    u32::from(ihl) * 4
                ),
                HeaderProblem::DataOffset(off) => format!(
                    "{layer}：数据偏移 {off} × 4 = {} 字节，小于 20",
                    u32::from(off) * 4
                ),
                HeaderProblem::Other => format!("{layer}格式错误"),
            }
        }
        DecodeStop::Truncated { kept, wire } => {
            format!("帧被抓包截断：保留了 {kept} / {wire} 字节")
        }
        DecodeStop::FirstFragment => {
            "第一个分片：传输层首部在这里，数据报的其余部分在其他分片中".into()
        }
        DecodeStop::Fragment { offset, more } => format!(
            "IP 分片，偏移 {offset}{}：传输层首部在第一个分片中",
            if more {
                "，后面还有"
            } else {
                "，最后一片"
            }
        ),
        DecodeStop::UdpLength { udp, ip } => {
            format!("UDP 长度 {udp} 与 IP 承载的 {ip} 字节不符")
        }
    }
}

/// An 802.11 frame's kind in words.
fn wifi_frame(frame: WifiFrame) -> String {
    match frame {
        WifiFrame::Management(subtype) => {
            let name = match subtype {
                0 => "关联请求",
                1 => "关联响应",
                2 => "重关联请求",
                3 => "重关联响应",
                4 => "探测请求",
                5 => "探测响应",
                8 => "信标",
                9 => "ATIM",
                10 => "解除关联",
                11 => "认证",
                12 => "解除认证",
                13 => "动作",
                _ => "管理帧",
            };
            format!("管理帧：{name}")
        }
        WifiFrame::Control(subtype) => {
            let name = match subtype {
                8 => "块确认请求",
                9 => "块确认",
                10 => "PS-Poll",
                11 => "RTS（请求发送）",
                12 => "CTS（允许发送）",
                13 => "ACK",
                14 | 15 => "CF-End",
                _ => "控制帧",
            };
            format!("控制帧：{name}")
        }
        WifiFrame::Data => "数据帧".into(),
        WifiFrame::NullData => "空数据帧（电源管理）".into(),
        WifiFrame::Encrypted => "加密的数据帧".into(),
        WifiFrame::Reserved => "保留类型 3 的帧".into(),
        WifiFrame::TooShort => "帧太短，放不下其首部".into(),
        WifiFrame::DamagedRadiotap => "radiotap 首部损坏的帧".into(),
    }
}

/// A header or packet etherparse names.
fn layer_name(layer: Layer) -> &'static str {
    match layer {
        Layer::LinuxSllHeader => "Linux cooked (SLL) 首部",
        Layer::Ethernet2Header => "以太网首部",
        Layer::EtherPayload => "EtherType 载荷",
        Layer::VlanHeader => "VLAN 标签",
        Layer::MacsecHeader => "MACsec 首部",
        Layer::MacsecPacket => "MACsec 分组",
        Layer::IpHeader => "IP 首部",
        Layer::Ipv4Header => "IPv4 首部",
        Layer::Ipv4Packet => "IPv4 分组",
        Layer::IpAuthHeader => "IP 认证首部",
        Layer::Ipv6Header => "IPv6 首部",
        Layer::Ipv6Packet => "IPv6 分组",
        Layer::Ipv6ExtHeader => "IPv6 扩展首部",
        Layer::Ipv6HopByHopHeader => "IPv6 逐跳选项首部",
        Layer::Ipv6DestOptionsHeader => "IPv6 目的选项首部",
        Layer::Ipv6RouteHeader => "IPv6 路由首部",
        Layer::Ipv6FragHeader => "IPv6 分片首部",
        Layer::UdpHeader => "UDP 首部",
        Layer::UdpPayload => "UDP 载荷",
        Layer::TcpHeader => "TCP 首部",
        Layer::Icmpv4 => "ICMP 报文",
        Layer::Icmpv4Timestamp => "ICMP 时间戳",
        Layer::Icmpv4TimestampReply => "ICMP 时间戳应答",
        Layer::Icmpv6 => "ICMPv6 报文",
        Layer::Igmp => "IGMP 报文",
        Layer::Arp => "ARP 分组",
    }
}

impl DecodeWords for Chinese {
    fn icmp(&self, info: &IcmpInfo) -> String {
        icmp(info)
    }

    fn link_payload(&self, link: &Link) -> String {
        link_payload(link)
    }

    fn decode_stop(&self, stop: &DecodeStop) -> String {
        decode_stop(stop)
    }

    fn tcp_option(&self, out: &mut String, option: &TcpOptionKind, sack: &[(u32, u32)]) {
        let name = |kind: u8| match kind {
            2 => "MSS".to_string(),
            3 => "窗口扩大".into(),
            4 => "允许 SACK".into(),
            5 => "SACK".into(),
            8 => "时间戳".into(),
            19 => "MD5 签名".into(),
            28 => "用户超时".into(),
            29 => "TCP-AO".into(),
            30 => "MPTCP".into(),
            34 => "TCP 快速打开 cookie".into(),
            other => format!("种类 {other}"),
        };
        match option {
            TcpOptionKind::EndOfList => out.push_str("EOL"),
            TcpOptionKind::Nop => out.push_str("NOP"),
            TcpOptionKind::Mss(v) => put!(out, "MSS ", *v),
            TcpOptionKind::WindowScale(s) => {
                put!(out, "窗口扩大 ", *s, "（×", 1u64 << (*s).min(14), "）")
            }
            TcpOptionKind::SackPermitted => out.push_str("允许 SACK"),
            TcpOptionKind::Sack(_) => {
                out.push_str("SACK ");
                super::super::push_sack_blocks(out, sack);
            }
            TcpOptionKind::Timestamp(v, e) => put!(out, "时间戳 ", *v, "/", *e),
            TcpOptionKind::Unknown { kind } => match kind {
                2..=5 | 8 => put!(out, name(*kind), "（格式错误）"),
                _ => put!(out, "选项 ", name(*kind)),
            },
            TcpOptionKind::Cut { kind } => put!(out, name(*kind), "（被 snaplen 截断）"),
        }
    }
}
