//! English words of the byte map.

mod fields;
mod meaning;

use super::English;
use crate::bytemap::{
    ChecksumCheck, ChecksumKind, CutBy, ExtHeader, LayerId, LayerNote, Meaning, ModelLayer,
    Unverified, Verdict,
};
use crate::decode::DecodeStop;
use crate::render::words::DecodeWords;
use crate::render::words::bytes::{ByteWords, Label, Osi};
use crate::wire::FieldId;

impl ByteWords for English {
    fn field(&self, id: FieldId) -> &'static str {
        fields::name(id)
    }

    fn layer(&self, id: LayerId) -> &'static str {
        match id {
            LayerId::Ethernet => "Ethernet II",
            LayerId::Vlan8021q => "802.1Q VLAN tag",
            LayerId::Vlan8021ad => "802.1ad service tag",
            LayerId::Macsec => "MACsec",
            LayerId::Sll => "Linux cooked (SLL)",
            LayerId::Sll2 => "Linux cooked v2 (SLL2)",
            LayerId::NullLoopback => "BSD loopback",
            LayerId::OpenbsdLoopback => "OpenBSD loopback",
            LayerId::Arp => "ARP",
            LayerId::Ipv4 => "IPv4",
            LayerId::Ipv6 => "IPv6",
            LayerId::Ipv6Ext(ext) => match ext {
                ExtHeader::HopByHop => "IPv6 hop-by-hop options",
                ExtHeader::Routing => "IPv6 routing header",
                ExtHeader::Fragment => "IPv6 fragment header",
                ExtHeader::DestOptions => "IPv6 destination options",
                ExtHeader::Auth => "IPsec authentication header",
                ExtHeader::Other(_) => "IPv6 extension header",
            },
            LayerId::Ipv6Extensions => "IPv6 extensions",
            LayerId::Tcp => "TCP",
            LayerId::Udp => "UDP",
            LayerId::Icmp => "ICMP",
            LayerId::Icmpv6 => "ICMPv6",
            LayerId::Payload => "payload",
            LayerId::Undecoded => "undecoded data",
            LayerId::QuotedData => "quoted data",
            LayerId::Padding => "padding",
            LayerId::Trailer => "trailer",
            LayerId::LinkHeader(header) => header.name(),
            LayerId::Tunnel(name) => name,
        }
    }

    fn quoted(&self, name: &str) -> String {
        format!("{name} (quoted)")
    }

    fn model(&self, model: ModelLayer) -> &'static str {
        match model {
            ModelLayer::Link => "link",
            ModelLayer::Network => "network",
            ModelLayer::Transport => "transport",
            ModelLayer::Application => "application",
        }
    }

    fn osi(&self, osi: Osi) -> String {
        match osi {
            Osi::Layer(n) => format!("OSI {n}"),
            Osi::Upper => "OSI 5-7".into(),
            Osi::Between2And3 => "between OSI 2 and 3".into(),
            Osi::Tunnel => "tunnel inside OSI 3".into(),
            Osi::PseudoHeader => "capture pseudo-header".into(),
        }
    }

    fn meaning(&self, m: &Meaning) -> String {
        meaning::text(m)
    }

    fn cut(&self, by: CutBy, got: usize, of: usize) -> String {
        let by = match by {
            CutBy::Snaplen => "snaplen",
            CutBy::IcmpQuote => "the ICMP quote",
        };
        format!("(cut by {by}: {got} of {of} bytes)")
    }

    fn note(&self, note: &LayerNote) -> String {
        match note {
            LayerNote::Cooked => "pseudo-header written by libpcap on Linux \"any\" captures; \
                                  not sent on any wire"
                .into(),
            LayerNote::LoopbackPseudo => "pseudo-header written by the capture on a loopback \
                                          interface; not sent on any wire"
                .into(),
            LayerNote::Tunnel => "a tunnel: the packet after it travels inside this one".into(),
            LayerNote::IpHeaderCut { full, kept } => {
                format!("the header is at least {full} bytes; the snaplen cut it after {kept}")
            }
            LayerNote::TcpHeaderCut { declared, kept, by } => {
                let by = match by {
                    CutBy::Snaplen => "the snaplen",
                    CutBy::IcmpQuote => "the ICMP quote",
                };
                format!("the header is {declared} bytes; {by} cut the rest after {kept} bytes")
            }
            LayerNote::AfterIp => "bytes after the end of the IP packet, not part of it".into(),
            LayerNote::Undecoded(stop) => self.decode_stop(stop),
        }
    }

    fn checksum_kind(&self, kind: ChecksumKind) -> &'static str {
        match kind {
            ChecksumKind::Ipv4Header => "IPv4 header",
            ChecksumKind::Tcp => "TCP",
            ChecksumKind::Udp => "UDP",
            ChecksumKind::Icmp => "ICMP",
            ChecksumKind::Icmpv6 => "ICMPv6",
        }
    }

    fn verdict(&self, verdict: Verdict) -> &'static str {
        verdict.code()
    }

    fn checksum_explanation(&self, check: &ChecksumCheck) -> String {
        let header = check.kind == ChecksumKind::Ipv4Header;
        match check.verdict {
            Verdict::Good if header => "correct".into(),
            Verdict::Good if check.kind == ChecksumKind::Icmp => {
                "correct (over the ICMP message)".into()
            }
            Verdict::Good => "correct (over the pseudo-header, header and payload)".into(),
            Verdict::Offloaded {
                computed,
                pseudo_sum,
            } => format!(
                "not filled in yet{}: the NIC/kernel computes it after capture (checksum \
                 offload); should be 0x{computed:04x}",
                if pseudo_sum {
                    " (it holds the pseudo-header sum the kernel prepared)"
                } else {
                    ""
                }
            ),
            Verdict::Bad { computed } => format!(
                "wrong: should be 0x{computed:04x}; the {} was damaged",
                if header { "header" } else { "packet" }
            ),
            Verdict::Absent => {
                "0: the sender did not compute one (allowed for UDP over IPv4)".into()
            }
            Verdict::Unverifiable(why) => match why {
                Unverified::Malformed => "not verified: the header is malformed or cut".into(),
                Unverified::Fragment => {
                    "not verified: a fragment; the checksum covers the reassembled datagram".into()
                }
                Unverified::Cut { kept, covers } => {
                    format!("not verified: the capture kept {kept} of the {covers} bytes it covers")
                }
                Unverified::Lengths => "not verified: the length fields do not agree".into(),
            },
        }
    }

    fn label(&self, label: Label) -> &'static str {
        match label {
            Label::Offset => "off",
            Label::Len => "len",
            Label::Hex => "hex",
            Label::Field => "field",
            Label::Wireshark => "wireshark",
            Label::Value => "value",
            Label::Checksums => "checksums",
            Label::HexDump => "hex dump (| marks the first byte of a layer)",
            Label::Legend => "legend: ",
            Label::At => "at",
        }
    }

    fn title(&self, frame: u64, captured: usize, wire: usize, linktype: &str) -> String {
        format!("frame {frame} · {captured} bytes captured of {wire} on the wire · {linktype}")
    }

    fn size(&self, bytes: usize) -> String {
        format!("{bytes} B")
    }

    fn total(&self, captured: usize, wire: usize) -> String {
        if captured < wire {
            format!("{captured} bytes captured of {wire} on the wire")
        } else {
            format!("{captured} bytes")
        }
    }

    fn model_part(&self, name: &str, model: &str, osi: &str) -> String {
        format!("{name}: {model} ({osi})")
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
            "{name} · {} layer ({osi}) · bytes {at}-{last} ({len} B)",
            self.model(model)
        )
    }

    fn stopped(&self, stop: &DecodeStop) -> String {
        format!("decoding stopped: {}", self.decode_stop(stop))
    }

    fn legend_entry(&self, tag: &str, name: &str, model: ModelLayer) -> String {
        format!("{tag} = {name} ({})", self.model(model))
    }
}
