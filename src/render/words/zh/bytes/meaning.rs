//! 字段值的含义（中文）。

use super::super::super::bytes::{dscp_code, tcp_flags};
use crate::bytemap::{
    AddrKind, IcmpCode, MacKind, Meaning, OptionProblem, PortKind, Verdict, WindowMeaning,
};
use crate::decode::{IcmpKind, Unreachable, ip_protocol_keyword};
use crate::text::Mac;
use crate::wire::{ethernet, tcp};

/// What a value means.
pub(super) fn text(meaning: &Meaning) -> String {
    match meaning {
        Meaning::Mac(kind) => mac(*kind),
        Meaning::LgBit(kind) => lg_bit(*kind).into(),
        Meaning::IgBit(kind) => match kind {
            MacKind::Broadcast
            | MacKind::Ipv4Multicast
            | MacKind::Ipv6Multicast
            | MacKind::Multicast { .. } => "组地址（多播/广播）",
            MacKind::Zero | MacKind::Local | MacKind::Global { .. } => "单个地址（单播）",
        }
        .into(),
        Meaning::EtherType(t) => ethertype(*t),
        Meaning::Llc8023Length => "字节的 802.2 LLC 数据随后".into(),
        Meaning::PacketType(t) => match t {
            0 => "发给本机",
            1 => "广播",
            2 => "多播",
            3 => "发给其他主机（混杂模式下看到）",
            4 => "外发：本机发送",
            _ => "未知",
        }
        .into(),
        Meaning::Arphrd(t) => match t {
            1 => "ARPHRD_ETHER：以太网",
            772 => "ARPHRD_LOOPBACK：环回接口",
            776 => "ARPHRD_SIT：IPv6-in-IPv4 隧道",
            778 => "ARPHRD_IPGRE：GRE 隧道",
            65534 => "ARPHRD_NONE：没有链路层首部（tun）",
            824 => "ARPHRD_NETLINK：netlink",
            _ => "ARPHRD_ 类型",
        }
        .into(),
        Meaning::LinkAddrLen(n) => format!("{n} 字节的链路层地址"),
        Meaning::InterfaceIndex => "抓包主机上的接口索引".into(),
        Meaning::Priority(p) => match p {
            0 => "尽力而为",
            1 => "背景流量",
            5 => "视频",
            6 => "语音",
            7 => "网络控制",
            _ => "优先级类别",
        }
        .into(),
        Meaning::VlanId(id) => match id {
            0 => "只有优先级标签，不属于任何 VLAN".into(),
            4095 => "保留".into(),
            _ => format!("VLAN {id}"),
        },
        Meaning::AddressFamily {
            family,
            network_order,
        } => {
            let what = match family {
                2 => "AF_INET：IPv4",
                10 => "AF_INET6（Linux）：IPv6",
                24 => "AF_INET6（OpenBSD、NetBSD）：IPv6",
                28 => "AF_INET6（FreeBSD）：IPv6",
                30 => "AF_INET6（macOS）：IPv6",
                _ => "未知地址族",
            };
            if *network_order {
                format!("{what}（网络字节序）")
            } else {
                format!("{what}（抓包主机的字节序）")
            }
        }
        Meaning::ArpHardware(t) => if *t == 1 { "以太网" } else { "硬件类型" }.into(),
        Meaning::HardwareSize(n) => if *n == 6 {
            "字节：一个 MAC 地址"
        } else {
            "字节"
        }
        .into(),
        Meaning::ProtocolSize(n) => if *n == 4 {
            "字节：一个 IPv4 地址"
        } else {
            "字节"
        }
        .into(),
        Meaning::ArpOperation(op) => match op {
            1 => "请求：谁有目标 IP 地址？",
            2 => "应答：发送端 IP 地址对应发送端 MAC 地址",
            3 => "RARP 请求",
            4 => "RARP 应答",
            _ => "未知操作",
        }
        .into(),
        Meaning::ArpTargetUnknown => "尚不知道：这正是请求要问的".into(),
        Meaning::Flag(set) => if *set { "置位" } else { "未置位" }.into(),
        Meaning::IpVersion(v) => match v {
            4 => "IPv4",
            6 => "IPv6",
            _ => "不是 4 或 6：格式错误",
        }
        .into(),
        Meaning::Words4(n) => format!("{n} × 4 = {} 字节", n * 4),
        Meaning::Dscp(d) => match (d, dscp_code(*d)) {
            (0, _) => "默认（尽力而为）".into(),
            (46, _) => "EF：加速转发".into(),
            (_, Some(code)) => code,
            (_, None) => "未分配".into(),
        },
        Meaning::Ecn(e) => match e {
            0 => "Not-ECT：不使用 ECN",
            1 => "ECT(1)",
            2 => "ECT(0)",
            _ => "CE：经历了拥塞",
        }
        .into(),
        Meaning::DsField { dscp, ecn } => format!("DSCP {dscp}，ECN {ecn}"),
        Meaning::TotalLength => "字节：首部 + 数据".into(),
        Meaning::Decimal(n) => n.to_string(),
        Meaning::IpFlags(bits) => {
            let names: Vec<&str> = [(0b100, "保留"), (0b010, "DF"), (0b001, "MF")]
                .iter()
                .filter(|(bit, _)| bits & bit != 0)
                .map(|(_, name)| *name)
                .collect();
            if names.is_empty() {
                "无".into()
            } else {
                names.join("+")
            }
        }
        Meaning::FragmentOffset(0) => "0：第一个（或唯一的）分片".into(),
        Meaning::FragmentOffset(n) => format!("{n} × 8 = {} 字节：在数据报中的位置", n * 8),
        Meaning::HopsLeft => "路由器丢弃该分组之前还剩的跳数".into(),
        Meaning::IpProtocol(p) => ip_protocol_keyword(*p).unwrap_or("未分配").into(),
        Meaning::Addr(kind) => match kind {
            AddrKind::Loopback => "环回地址（本机）",
            AddrKind::Private => "专用地址（RFC 1918）",
            AddrKind::Broadcast => "广播",
            AddrKind::Multicast => "多播",
            AddrKind::LinkLocal => "链路本地地址",
            AddrKind::UniqueLocal => "唯一本地地址",
            AddrKind::Unspecified => "未指明地址",
        }
        .into(),
        Meaning::FlowLabel(set) => if *set { "流标号" } else { "无" }.into(),
        Meaning::Ipv6PayloadLength => "这个 40 字节基本首部之后的字节数".into(),
        Meaning::ExtLength(n) => format!("({n} + 1) × 8 = {} 字节", (n + 1) * 8),
        Meaning::IpOptions(kinds) => {
            let names: Vec<String> = kinds
                .iter()
                .map(|k| format!("{}（{k}）", ip_option(*k)))
                .collect();
            names.join("，")
        }
        Meaning::Port(PortKind::Service(name)) => (*name).into(),
        Meaning::Port(PortKind::Ephemeral) => "临时端口（客户端一方）".into(),
        Meaning::Seq { isn: true } => "初始序号（ISN），随机选取".into(),
        Meaning::Seq { isn: false } => "本报文段第一个数据字节的序号（原始值）".into(),
        Meaning::Ack { used: false } => "未使用：ACK 标志为 0".into(),
        Meaning::Ack { used: true } => "期望收到对方下一个字节的序号（原始值）".into(),
        Meaning::TcpFlags(bits) => tcp_flags(*bits).unwrap_or_else(|| "无标志".into()),
        Meaning::Window(w) => match *w {
            WindowMeaning::Syn => "字节；SYN 中的窗口从不扩大".into(),
            WindowMeaning::Scaled { raw, shift } => {
                format!(
                    "{raw} × 2^{shift} = {} 字节：接收方还能接收的数据量",
                    raw << shift
                )
            }
            WindowMeaning::UnknownScale => "× 窗口扩大因子（未知：没有看到握手）".into(),
        },
        Meaning::UrgentUnused => "未使用：URG 标志为 0".into(),
        Meaning::OptionKind(kind) => option(*kind).into(),
        Meaning::OptionLength => "字节，包括种类和长度两个字节".into(),
        Meaning::OptionProblem(OptionProblem::BadLength(kind)) => {
            format!("{}，格式错误：长度不对", option(*kind))
        }
        Meaning::Mss => "发送方能接收的报文段数据的最大长度（字节）".into(),
        Meaning::WindowShift(n) => {
            format!("这一方的窗口值要 × 2^{n} = {}", 1u64 << (*n).min(14))
        }
        Meaning::TsVal => "发送方的时钟值".into(),
        Meaning::TsEcr => "回显对方最近的时钟值".into(),
        Meaning::SackBlocks(n) => format!("{n} 个块：确认号之后已收到的数据"),
        Meaning::SackEdge => "序号（原始值）".into(),
        Meaning::OptionPadding => "填充到数据偏移处的零字节".into(),
        Meaning::UdpLength(n) => format!("8 字节首部 + {} 字节数据", n.saturating_sub(8)),
        Meaning::IcmpType(kind) => icmp_type(*kind).into(),
        Meaning::IcmpCode(code) => icmp_code(*code),
        Meaning::Mtu => "字节：链路能承载的最大分组".into(),
        Meaning::EchoMatch => "用来把应答和请求对应起来".into(),
        Meaning::Unused => "零".into(),
        Meaning::AppData(n) => format!("{n} 字节的应用数据"),
        Meaning::EthPadding => "把帧填充到以太网的最小长度 60 字节".into(),
        Meaning::Fcs { ok: true } => "对整个帧计算的 CRC-32：正确".into(),
        Meaning::Fcs { ok: false } => "与帧的 CRC-32 不符：是尾部字节，或者帧已损坏".into(),
        Meaning::Checksum(verdict) => checksum_short(*verdict),
    }
}

fn mac(kind: MacKind) -> String {
    match kind {
        MacKind::Zero => "全零：不是真实地址（环回接口没有 MAC 地址）".into(),
        MacKind::Broadcast => "广播".into(),
        MacKind::Ipv4Multicast => "多播：一个 IPv4 多播组（01:00:5e）".into(),
        MacKind::Ipv6Multicast => "多播：一个 IPv6 多播组（33:33）".into(),
        MacKind::Multicast { .. } => "多播".into(),
        MacKind::Local => "单播，本地管理：由软件设置".into(),
        MacKind::Global { oui } => format!("单播；{} 是厂商的 OUI（组织唯一标识符）", Mac(&oui)),
    }
}

fn lg_bit(kind: MacKind) -> &'static str {
    match kind {
        MacKind::Zero => "此处无意义：全零不是真实地址",
        MacKind::Broadcast => "对组地址无意义：广播地址的所有位都是 1",
        MacKind::Ipv6Multicast | MacKind::Multicast { local: true } => "本地管理的组地址",
        MacKind::Ipv4Multicast | MacKind::Multicast { local: false } => "全球管理的组地址",
        MacKind::Local => "本地管理：由软件设置，不是厂商分配的",
        MacKind::Global { .. } => "全球唯一：前 3 字节是厂商的 OUI",
    }
}

fn ethertype(t: u16) -> String {
    if t < ethernet::MIN_ETHERTYPE {
        return "长度（IEEE 802.3）".into();
    }
    match (t, ethernet::ethertype_name(t)) {
        (0x8100 | 0x88a8 | 0x9100, Some(name)) => format!("后面是 {name} 标签"),
        (_, Some(name)) => name.into(),
        (_, None) => "未知的 EtherType".into(),
    }
}

fn ip_option(kind: u8) -> &'static str {
    match kind {
        0 => "选项表结束",
        1 => "NOP",
        7 => "记录路由",
        68 => "时间戳",
        130 => "安全",
        131 => "宽松源路由",
        137 => "严格源路由",
        148 => "路由器告警",
        _ => "选项",
    }
}

fn option(kind: u8) -> &'static str {
    match kind {
        tcp::kind::EOL => "选项表结束（EOL）",
        tcp::kind::NOP => "无操作（NOP）",
        tcp::kind::MSS => "最大报文段长度（MSS）",
        tcp::kind::WSCALE => "窗口扩大",
        tcp::kind::SACK_PERM => "允许选择确认（SACK）",
        tcp::kind::SACK => "选择确认（SACK）",
        tcp::kind::TIMESTAMP => "时间戳",
        253 | 254 => "实验用",
        other => tcp::option_name(other).unwrap_or("未知"),
    }
}

fn icmp_type(kind: IcmpKind) -> &'static str {
    match kind {
        IcmpKind::EchoRequest => "回显请求",
        IcmpKind::EchoReply => "回显应答",
        IcmpKind::Unreachable(_) => "目的不可达",
        IcmpKind::PacketTooBig(_) => "分组太大",
        IcmpKind::TtlExceeded | IcmpKind::ReassemblyExceeded => "超时",
        IcmpKind::SourceQuench => "源点抑制",
        IcmpKind::Redirect => "重定向",
        IcmpKind::RouterAdvertisement => "路由器通告",
        IcmpKind::RouterSolicitation => "路由器询问",
        IcmpKind::ParameterProblem => "参数问题",
        IcmpKind::TimestampRequest => "时间戳请求",
        IcmpKind::TimestampReply => "时间戳应答",
        IcmpKind::MulticastListener => "组播侦听者报文",
        IcmpKind::NeighborSolicitation => "邻居请求",
        IcmpKind::NeighborAdvertisement => "邻居通告",
        IcmpKind::Other => "未解码",
    }
}

fn icmp_code(code: IcmpCode) -> String {
    match code {
        IcmpCode::Unreachable(why) => match why {
            Unreachable::Network => "网络不可达".into(),
            Unreachable::Host => "主机不可达".into(),
            Unreachable::Protocol => "协议不可达".into(),
            Unreachable::Port => "端口不可达".into(),
            Unreachable::FragmentationNeeded(_) => "需要分片，但设置了 DF".into(),
            Unreachable::Prohibited => "被管理策略禁止".into(),
            Unreachable::NoRoute => "没有到目的地的路由".into(),
            Unreachable::Address => "地址不可达".into(),
            Unreachable::Other(c) => format!("代码 {c}"),
        },
        IcmpCode::TtlExceeded { v6: false } => "TTL 在传输途中耗尽".into(),
        IcmpCode::TtlExceeded { v6: true } => "跳数限制在传输途中耗尽".into(),
        IcmpCode::Reassembly => "分片重组超时".into(),
        IcmpCode::NoSubtype => "没有子类型".into(),
    }
}

/// A checksum verdict in a few words, for the field table.
pub(super) fn checksum_short(verdict: Verdict) -> String {
    match verdict {
        Verdict::Good => "正确".into(),
        Verdict::Offloaded { .. } => "尚未填入（校验和卸载）".into(),
        Verdict::Bad { computed } => format!("错误，应为 0x{computed:04x}"),
        Verdict::Absent => "无：发送方没有计算".into(),
        Verdict::Unverifiable(_) => "无法验证（见“校验和”一节）".into(),
    }
}
