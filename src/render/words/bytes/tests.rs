//! Every field of every table, and every remark and verdict, has words in every language:
//! a missing or untranslated name fails here.

use super::*;
use crate::bytemap::{
    AddrKind, ExtHeader, IcmpCode, MacKind, OptionProblem, PortKind, Unverified, WindowMeaning,
};
use crate::capture::LinkType;
use crate::decode::{IcmpKind, LinkHeader, Unreachable};
use crate::wire::{self, FieldId};

fn has_cjk(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

fn every_field_id() -> Vec<FieldId> {
    let mut ids = FieldId::UNTABLED.to_vec();
    wire::each_field(|_, spec| ids.push(spec.id));
    ids
}

#[test]
fn every_field_of_every_table_has_a_name_in_both_languages() {
    let ids = every_field_id();
    assert!(ids.len() > 100, "{} fields", ids.len());
    for id in ids {
        let en = Lang::En.byte_words().field(id);
        let zh = Lang::Zh.byte_words().field(id);
        assert!(
            !en.is_empty() && !has_cjk(en),
            "English name of {id:?}: {en:?}"
        );
        assert!(
            has_cjk(zh),
            "Chinese name of {id:?} is not translated: {zh:?}"
        );
    }
}

#[test]
fn field_names_tell_fields_of_one_table_apart() {
    for lang in Lang::ALL {
        let words = lang.byte_words();
        for (table, specs) in wire::TABLES {
            let mut names: Vec<&str> = specs.iter().map(|s| words.field(s.id)).collect();
            let n = names.len();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), n, "{lang:?} {table}: two fields share a name");
        }
    }
}

fn layers() -> Vec<LayerId> {
    let mut ids = vec![
        LayerId::Ethernet,
        LayerId::Vlan8021q,
        LayerId::Vlan8021ad,
        LayerId::Macsec,
        LayerId::Sll,
        LayerId::Sll2,
        LayerId::NullLoopback,
        LayerId::OpenbsdLoopback,
        LayerId::Arp,
        LayerId::Ipv4,
        LayerId::Ipv6,
        LayerId::Ipv6Extensions,
        LayerId::Tcp,
        LayerId::Udp,
        LayerId::Icmp,
        LayerId::Icmpv6,
        LayerId::Payload,
        LayerId::Undecoded,
        LayerId::QuotedData,
        LayerId::Padding,
        LayerId::Trailer,
        LayerId::LinkHeader(LinkHeader::Ppp),
        LayerId::Tunnel("GRE"),
    ];
    for ext in [
        ExtHeader::HopByHop,
        ExtHeader::Routing,
        ExtHeader::Fragment,
        ExtHeader::DestOptions,
        ExtHeader::Auth,
        ExtHeader::Other(135),
    ] {
        ids.push(LayerId::Ipv6Ext(ext));
    }
    ids
}

#[test]
fn layers_models_and_notes_have_words() {
    let notes = [
        LayerNote::Cooked,
        LayerNote::LoopbackPseudo,
        LayerNote::Tunnel,
        LayerNote::IpHeaderCut { full: 20, kept: 9 },
        LayerNote::TcpHeaderCut {
            declared: 32,
            kept: 8,
            by: CutBy::IcmpQuote,
        },
        LayerNote::AfterIp,
        LayerNote::Undecoded(DecodeStop::EmptyFrame),
    ];
    for lang in Lang::ALL {
        let w = lang.byte_words();
        for id in layers() {
            assert!(!w.layer(id).is_empty(), "{lang:?} {id:?}");
        }
        for model in [
            ModelLayer::Link,
            ModelLayer::Network,
            ModelLayer::Transport,
            ModelLayer::Application,
        ] {
            assert_eq!(has_cjk(w.model(model)), lang == Lang::Zh, "{model:?}");
        }
        for note in &notes {
            assert_eq!(
                has_cjk(&w.note(note)),
                lang == Lang::Zh,
                "{lang:?} {note:?}"
            );
        }
        for osi in [Osi::Layer(2), Osi::Upper, Osi::Between2And3, Osi::Tunnel] {
            assert!(w.osi(osi).contains("OSI"), "{lang:?} {osi:?}");
        }
    }
    let zh = Lang::Zh.byte_words();
    let models: Vec<&str> = [
        ModelLayer::Link,
        ModelLayer::Network,
        ModelLayer::Transport,
        ModelLayer::Application,
    ]
    .into_iter()
    .map(|m| zh.model(m))
    .collect();
    assert_eq!(models, ["链路层", "网络层", "传输层", "应用层"]);
}

#[test]
fn every_checksum_verdict_is_explained() {
    let verdicts = [
        Verdict::Good,
        Verdict::Offloaded {
            computed: 0xba00,
            pseudo_sum: true,
        },
        Verdict::Bad { computed: 1 },
        Verdict::Absent,
        Verdict::Unverifiable(Unverified::Malformed),
        Verdict::Unverifiable(Unverified::Fragment),
        Verdict::Unverifiable(Unverified::Cut {
            kept: 3,
            covers: 40,
        }),
        Verdict::Unverifiable(Unverified::Lengths),
    ];
    for lang in Lang::ALL {
        let w = lang.byte_words();
        for verdict in verdicts {
            for kind in [
                ChecksumKind::Ipv4Header,
                ChecksumKind::Tcp,
                ChecksumKind::Udp,
                ChecksumKind::Icmp,
                ChecksumKind::Icmpv6,
            ] {
                let check = ChecksumCheck {
                    kind,
                    offset: 24,
                    stored: 0,
                    computed: None,
                    verdict,
                };
                let text = w.checksum_explanation(&check);
                assert_eq!(
                    has_cjk(&text),
                    lang == Lang::Zh,
                    "{lang:?} {verdict:?}: {text}"
                );
            }
            let short = w.meaning(&Meaning::Checksum(verdict));
            assert_eq!(has_cjk(&short), lang == Lang::Zh, "{lang:?} {verdict:?}");
            assert!(!w.verdict(verdict).is_empty());
        }
    }
}

#[test]
fn meanings_have_words_in_both_languages() {
    let meanings = [
        Meaning::Mac(MacKind::Zero),
        Meaning::Mac(MacKind::Local),
        Meaning::Mac(MacKind::Global {
            oui: [0, 0x1b, 0x21],
        }),
        Meaning::LgBit(MacKind::Broadcast),
        Meaning::LgBit(MacKind::Zero),
        Meaning::IgBit(MacKind::Ipv6Multicast),
        Meaning::EtherType(0x0500),
        Meaning::EtherType(0x1234),
        Meaning::Llc8023Length,
        Meaning::PacketType(3),
        Meaning::AddressFamily {
            family: 99,
            network_order: false,
        },
        Meaning::ArpOperation(1),
        Meaning::ArpTargetUnknown,
        Meaning::Flag(true),
        Meaning::Words4(5),
        Meaning::Dscp(0),
        Meaning::FragmentOffset(0),
        Meaning::HopsLeft,
        Meaning::Addr(AddrKind::Private),
        Meaning::Port(PortKind::Ephemeral),
        Meaning::Seq { isn: true },
        Meaning::Ack { used: false },
        Meaning::TcpFlags(0),
        Meaning::Window(WindowMeaning::UnknownScale),
        Meaning::UrgentUnused,
        Meaning::OptionKind(200),
        Meaning::OptionProblem(OptionProblem::BadLength(2)),
        Meaning::Mss,
        Meaning::SackBlocks(2),
        Meaning::OptionPadding,
        Meaning::UdpLength(13),
        Meaning::IcmpType(IcmpKind::Unreachable(Unreachable::Port)),
        Meaning::IcmpCode(IcmpCode::Unreachable(Unreachable::Port)),
        Meaning::IcmpCode(IcmpCode::TtlExceeded { v6: true }),
        Meaning::IcmpCode(IcmpCode::NoSubtype),
        Meaning::EchoMatch,
        Meaning::AppData(5),
        Meaning::EthPadding,
        Meaning::Fcs { ok: false },
    ];
    for lang in Lang::ALL {
        let w = lang.byte_words();
        for m in &meanings {
            let text = w.meaning(m);
            assert_eq!(has_cjk(&text), lang == Lang::Zh, "{lang:?} {m:?}: {text}");
        }
        assert!(
            w.title(4, 60, 1514, &LinkType::ETHERNET.to_string())
                .contains("1514")
        );
        assert_eq!(has_cjk(&w.cut(CutBy::Snaplen, 2, 4)), lang == Lang::Zh);
    }
}

#[test]
fn the_mac_bits_say_nothing_false() {
    let en = Lang::En.byte_words();
    let zero = en.meaning(&Meaning::LgBit(MacKind::Zero));
    assert!(
        !zero.contains("factory") && !zero.contains("globally unique"),
        "{zero}"
    );
    let broadcast = en.meaning(&Meaning::LgBit(MacKind::Broadcast));
    assert!(!broadcast.contains("locally administered"), "{broadcast}");
    let global = en.meaning(&Meaning::Mac(MacKind::Global {
        oui: [0x00, 0x1b, 0x21],
    }));
    assert!(
        global.contains("00:1b:21") && global.contains("OUI"),
        "{global}"
    );
    let icmp = en.meaning(&Meaning::IcmpType(IcmpKind::Unreachable(Unreachable::Port)));
    assert_eq!(icmp, "destination unreachable");
    let code = en.meaning(&Meaning::IcmpCode(IcmpCode::Unreachable(Unreachable::Port)));
    assert_eq!(code, "port unreachable");
}
