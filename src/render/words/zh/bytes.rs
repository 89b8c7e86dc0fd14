//! 字节图的中文：字段名、各层名称、取值的含义、说明和校验和结论。协议名、RFC 状态名、标志名和
//! Wireshark 字段名保持原样。

mod fields;
mod meaning;

use super::Chinese;
use crate::bytemap::{
    ChecksumCheck, ChecksumKind, CutBy, ExtHeader, LayerId, LayerNote, Meaning, ModelLayer,
    Unverified, Verdict,
};
use crate::decode::DecodeStop;
use crate::render::words::DecodeWords;
use crate::render::words::bytes::{ByteWords, Label, Osi};
use crate::wire::FieldId;

impl ByteWords for Chinese {
    fn field(&self, id: FieldId) -> &'static str {
        fields::name(id)
    }

    fn layer(&self, id: LayerId) -> &'static str {
        match id {
            LayerId::Ethernet => "Ethernet II",
            LayerId::Vlan8021q => "802.1Q VLAN 标签",
            LayerId::Vlan8021ad => "802.1ad 服务标签",
            LayerId::Macsec => "MACsec",
            LayerId::Sll => "Linux cooked (SLL)",
            LayerId::Sll2 => "Linux cooked v2 (SLL2)",
            LayerId::NullLoopback => "BSD 环回",
            LayerId::OpenbsdLoopback => "OpenBSD 环回",
            LayerId::Arp => "ARP",
            LayerId::Ipv4 => "IPv4",
            LayerId::Ipv6 => "IPv6",
            LayerId::Ipv6Ext(ext) => match ext {
                ExtHeader::HopByHop => "IPv6 逐跳选项首部",
                ExtHeader::Routing => "IPv6 路由首部",
                ExtHeader::Fragment => "IPv6 分片首部",
                ExtHeader::DestOptions => "IPv6 目的选项首部",
                ExtHeader::Auth => "IPsec 认证首部",
                ExtHeader::Other(_) => "IPv6 扩展首部",
            },
            LayerId::Ipv6Extensions => "IPv6 扩展首部",
            LayerId::Tcp => "TCP",
            LayerId::Udp => "UDP",
            LayerId::Icmp => "ICMP",
            LayerId::Icmpv6 => "ICMPv6",
            LayerId::Payload => "载荷",
            LayerId::Undecoded => "未解码的数据",
            LayerId::QuotedData => "被引用的数据",
            LayerId::Padding => "填充",
            LayerId::Trailer => "尾部",
            LayerId::LinkHeader(header) => header.name(),
            LayerId::Tunnel(name) => name,
        }
    }

    fn quoted(&self, name: &str) -> String {
        format!("{name}（被引用）")
    }

    fn model(&self, model: ModelLayer) -> &'static str {
        match model {
            ModelLayer::Link => "链路层",
            ModelLayer::Network => "网络层",
            ModelLayer::Transport => "传输层",
            ModelLayer::Application => "应用层",
        }
    }

    fn osi(&self, osi: Osi) -> String {
        match osi {
            Osi::Layer(n) => format!("OSI 第 {n} 层"),
            Osi::Upper => "OSI 第 5-7 层".into(),
            Osi::Between2And3 => "介于 OSI 第 2 层与第 3 层之间".into(),
            Osi::Tunnel => "OSI 第 3 层中的隧道".into(),
            Osi::PseudoHeader => "抓包伪首部".into(),
        }
    }

    fn meaning(&self, m: &Meaning) -> String {
        meaning::text(m)
    }

    fn cut(&self, by: CutBy, got: usize, of: usize) -> String {
        let by = match by {
            CutBy::Snaplen => "snaplen",
            CutBy::IcmpQuote => "ICMP 引用",
        };
        format!("（被 {by} 截断：{of} 字节中只有 {got} 字节）")
    }

    fn note(&self, note: &LayerNote) -> String {
        match note {
            LayerNote::Cooked => {
                "libpcap 在 Linux \"any\" 接口抓包时写入的伪首部；不在任何线路上传输".into()
            }
            LayerNote::LoopbackPseudo => {
                "抓包程序在环回接口上写入的伪首部；不在任何线路上传输".into()
            }
            LayerNote::Tunnel => "隧道：后面的分组封装在这个分组里传输".into(),
            LayerNote::IpHeaderCut { full, kept } => {
                format!("首部至少 {full} 字节；snaplen 在 {kept} 字节处截断了它")
            }
            LayerNote::TcpHeaderCut { declared, kept, by } => {
                let by = match by {
                    CutBy::Snaplen => "snaplen",
                    CutBy::IcmpQuote => "ICMP 引用",
                };
                format!("首部长 {declared} 字节；{by} 在 {kept} 字节之后截断了其余部分")
            }
            LayerNote::AfterIp => "IP 分组结束之后的字节，不属于该分组".into(),
            LayerNote::Undecoded(stop) => self.decode_stop(stop),
        }
    }

    fn checksum_kind(&self, kind: ChecksumKind) -> &'static str {
        match kind {
            ChecksumKind::Ipv4Header => "IPv4 首部",
            ChecksumKind::Tcp => "TCP",
            ChecksumKind::Udp => "UDP",
            ChecksumKind::Icmp => "ICMP",
            ChecksumKind::Icmpv6 => "ICMPv6",
        }
    }

    fn verdict(&self, verdict: Verdict) -> &'static str {
        match verdict {
            Verdict::Good => "正确",
            Verdict::Offloaded { .. } => "卸载",
            Verdict::Bad { .. } => "错误",
            Verdict::Absent => "未使用",
            Verdict::Unverifiable(_) => "无法验证",
        }
    }

    fn checksum_explanation(&self, check: &ChecksumCheck) -> String {
        let header = check.kind == ChecksumKind::Ipv4Header;
        match check.verdict {
            Verdict::Good if header => "正确".into(),
            Verdict::Good if check.kind == ChecksumKind::Icmp => {
                "正确（对整个 ICMP 报文计算）".into()
            }
            Verdict::Good => "正确（对伪首部、首部和数据计算）".into(),
            Verdict::Offloaded {
                computed,
                pseudo_sum,
            } => format!(
                "尚未填入{}：网卡/内核在抓包之后才计算它（校验和卸载）；应为 0x{computed:04x}",
                if pseudo_sum {
                    "（字段里是内核预先算好的伪首部之和）"
                } else {
                    ""
                }
            ),
            Verdict::Bad { computed } => format!(
                "错误：应为 0x{computed:04x}；{}已损坏",
                if header { "首部" } else { "分组" }
            ),
            Verdict::Absent => "0：发送方没有计算（IPv4 上的 UDP 允许这样做）".into(),
            Verdict::Unverifiable(why) => match why {
                Unverified::Malformed => "未验证：首部格式错误或不完整".into(),
                Unverified::Fragment => "未验证：这是一个分片；校验和覆盖的是重组后的数据报".into(),
                Unverified::Cut { kept, covers } => {
                    format!("未验证：它覆盖 {covers} 字节，抓包只保留了 {kept} 字节")
                }
                Unverified::Lengths => "未验证：各长度字段互相矛盾".into(),
            },
        }
    }

    fn label(&self, label: Label) -> &'static str {
        match label {
            Label::Offset => "偏移",
            Label::Len => "长度",
            Label::Hex => "十六进制",
            Label::Field => "字段",
            Label::Wireshark => "wireshark",
            Label::Value => "值",
            Label::Checksums => "校验和",
            Label::HexDump => "十六进制转储（| 标出每一层的第一个字节）",
            Label::Legend => "图例：",
            Label::At => "位于",
        }
    }

    fn title(&self, frame: u64, captured: usize, wire: usize, linktype: &str) -> String {
        format!("第 {frame} 帧 · 捕获 {captured} 字节，线路上 {wire} 字节 · {linktype}")
    }

    fn size(&self, bytes: usize) -> String {
        format!("{bytes} 字节")
    }

    fn total(&self, captured: usize, wire: usize) -> String {
        if captured < wire {
            format!("捕获 {captured} 字节，线路上 {wire} 字节")
        } else {
            format!("{captured} 字节")
        }
    }

    fn model_part(&self, name: &str, model: &str, osi: &str) -> String {
        format!("{name}：{model}（{osi}）")
    }

    fn layer_heading(
        &self,
        name: &str,
        model: ModelLayer,
        osi: &str,
        at: usize,
        len: usize,
    ) -> String {
        let last = (at + len).saturating_sub(1);
        format!(
            "{name} · {}（{osi}）· 字节 {at}-{last}（{len} 字节）",
            self.model(model)
        )
    }

    fn stopped(&self, stop: &DecodeStop) -> String {
        format!("解码停止：{}", self.decode_stop(stop))
    }

    fn legend_entry(&self, tag: &str, name: &str, model: ModelLayer) -> String {
        format!("{tag} = {name}（{}）", self.model(model))
    }
}
