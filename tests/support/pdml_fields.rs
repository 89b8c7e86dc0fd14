//! The byte map compared with `tshark -T pdml`: a minimal PDML scanner, our maps of a file,
//! and the score of one file (every field we give a Wireshark name must sit at tshark's `pos`
//! and `size`, and the essential fields of each layer must be mapped), shared by
//! tests/bytes_oracle.rs and tests/bytes_oracle_corpus.rs.

#![allow(dead_code)] // each including crate uses a different subset

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use handshake_viz::bytemap::{FrameMap, MapContext, MapField, map_frame};
use handshake_viz::capture::{FileSource, FrameSource};
use handshake_viz::decode::decode;
use handshake_viz::render::bytes::tag;

/// One `<field>` of tshark's PDML: name, position and size in the frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TsField {
    pub pos: usize,
    pub size: usize,
}

pub type TsFrame = HashMap<String, Vec<TsField>>;

pub fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

/// A minimal PDML scanner: per packet, the fields outside ICMP-quoted headers.
pub fn parse_pdml(xml: &str) -> Vec<TsFrame> {
    let mut frames = Vec::new();
    let mut current: Option<TsFrame> = None;
    let mut protos: Vec<String> = Vec::new();
    let mut rest = xml;
    while let Some(lt) = rest.find('<') {
        rest = &rest[lt + 1..];
        let Some(gt) = rest.find('>') else { break };
        let tag = &rest[..gt];
        rest = &rest[gt + 1..];
        let self_closing = tag.ends_with('/');
        if tag.starts_with("packet") {
            current = Some(HashMap::new());
            protos.clear();
        } else if tag.starts_with("/packet") {
            frames.extend(current.take());
        } else if let Some(body) = tag.strip_prefix("proto ") {
            if !self_closing {
                protos.push(attr(&format!(" {body}"), "name").unwrap_or("").to_string());
            }
        } else if tag.starts_with("/proto") {
            protos.pop();
        } else if tag.starts_with("field ") {
            let quoted = protos
                .iter()
                .take(protos.len().saturating_sub(1))
                .any(|p| p == "icmp" || p == "icmpv6");
            let (Some(name), Some(pos), Some(size)) =
                (attr(tag, "name"), attr(tag, "pos"), attr(tag, "size"))
            else {
                continue;
            };
            if quoted || name.is_empty() {
                continue;
            }
            let (Ok(pos), Ok(size)) = (pos.parse(), size.parse()) else {
                continue;
            };
            if let Some(frame) = current.as_mut() {
                frame
                    .entry(name.to_string())
                    .or_default()
                    .push(TsField { pos, size });
            }
        }
    }
    frames
}

pub fn tshark_frames(path: &Path, limit: Option<usize>) -> Result<Vec<TsFrame>, String> {
    let mut cmd = Command::new("tshark");
    cmd.arg("-r").arg(path).args(["-T", "pdml", "-n"]);
    if let Some(n) = limit {
        cmd.args(["-c", &n.to_string()]);
    }
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run tshark: {e}"))?;
    Ok(parse_pdml(&String::from_utf8_lossy(&out.stdout)))
}

pub fn tshark_available() -> bool {
    if Command::new("tshark").arg("--version").output().is_ok() {
        return true;
    }
    if std::env::var("HANDSHAKE_VIZ_SKIP_ORACLE").as_deref() == Ok("1") {
        eprintln!("tshark not found: oracle skipped (HANDSHAKE_VIZ_SKIP_ORACLE=1)");
        return false;
    }
    panic!(
        "tshark is required for the byte-map oracle (apt-get install tshark); \
         set HANDSHAKE_VIZ_SKIP_ORACLE=1 to skip"
    );
}

pub fn maps(path: &Path, limit: Option<usize>) -> Vec<FrameMap> {
    let Ok(mut src) = FileSource::open(path) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    while let Ok(Some(frame)) = src.next_frame() {
        let packet = decode(&frame);
        out.push(map_frame(&frame, &packet, &MapContext::default()));
        if limit.is_some_and(|n| out.len() >= n) {
            break;
        }
    }
    out
}

pub fn named_fields<'a>(fields: &'a [MapField], out: &mut Vec<&'a MapField>) {
    for f in fields {
        if f.wireshark.is_some() {
            out.push(f);
        }
        named_fields(&f.fields, out);
    }
}

/// Fields every mapped layer of this kind must have where tshark has them.
pub fn essential(tag: &str) -> &'static [&'static str] {
    match tag {
        "eth" => &["eth.dst", "eth.src", "eth.type"],
        "ip" => &[
            "ip.version",
            "ip.hdr_len",
            "ip.dsfield",
            "ip.len",
            "ip.id",
            "ip.flags",
            "ip.frag_offset",
            "ip.ttl",
            "ip.proto",
            "ip.checksum",
            "ip.src",
            "ip.dst",
        ],
        "ip6" => &[
            "ipv6.version",
            "ipv6.tclass",
            "ipv6.flow",
            "ipv6.plen",
            "ipv6.nxt",
            "ipv6.hlim",
            "ipv6.src",
            "ipv6.dst",
        ],
        "tcp" => &[
            "tcp.srcport",
            "tcp.dstport",
            "tcp.seq_raw",
            "tcp.ack_raw",
            "tcp.hdr_len",
            "tcp.flags",
            "tcp.window_size_value",
            "tcp.checksum",
            "tcp.urgent_pointer",
        ],
        "udp" => &["udp.srcport", "udp.dstport", "udp.length", "udp.checksum"],
        "arp" => &[
            "arp.hw.type",
            "arp.proto.type",
            "arp.hw.size",
            "arp.proto.size",
            "arp.opcode",
            "arp.src.hw_mac",
            "arp.src.proto_ipv4",
            "arp.dst.hw_mac",
            "arp.dst.proto_ipv4",
        ],
        "icmp" => &["icmp.type", "icmp.code", "icmp.checksum"],
        "icmp6" => &["icmpv6.type", "icmpv6.code", "icmpv6.checksum"],
        "sll" | "sll2" => &["sll.pkttype", "sll.hatype", "sll.halen"],
        _ => &[],
    }
}

#[derive(Debug, Default)]
pub struct Score {
    pub named: usize,
    pub matched: usize,
    pub essential: usize,
    pub essential_matched: usize,
    pub mismatches: Vec<String>,
}

impl Score {
    pub fn add(&mut self, other: Score) {
        self.named += other.named;
        self.matched += other.matched;
        self.essential += other.essential;
        self.essential_matched += other.essential_matched;
        self.mismatches.extend(other.mismatches);
    }

    pub fn pct(a: usize, b: usize) -> f64 {
        if b == 0 {
            100.0
        } else {
            100.0 * a as f64 / b as f64
        }
    }
}

pub fn compare_file(path: &Path, limit: Option<usize>) -> Result<Score, String> {
    let file = path
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .to_string();
    let ours = maps(path, limit);
    let theirs = tshark_frames(path, limit)?;
    let mut score = Score::default();
    for (map, ts) in ours.iter().zip(&theirs) {
        for layer in map.layers.iter().filter(|l| !l.quoted) {
            let mut named = Vec::new();
            named_fields(&layer.fields, &mut named);
            for f in &named {
                let name = f.wireshark.unwrap_or("");
                let Some(places) = ts.get(name) else { continue };
                score.named += 1;
                if places.iter().any(|p| p.pos == f.offset && p.size == f.len) {
                    score.matched += 1;
                } else {
                    score.mismatches.push(format!(
                        "{file} frame {}: {name} ours {}+{} tshark {:?}",
                        map.index, f.offset, f.len, places
                    ));
                }
            }
            for name in essential(&tag(layer)) {
                let Some(places) = ts.get(*name) else {
                    continue;
                };
                score.essential += 1;
                let ok = named.iter().any(|f| {
                    f.wireshark == Some(*name)
                        && places.iter().any(|p| p.pos == f.offset && p.size == f.len)
                });
                if ok {
                    score.essential_matched += 1;
                } else if !named.iter().any(|f| f.wireshark == Some(*name)) {
                    score.mismatches.push(format!(
                        "{file} frame {}: essential {name} not mapped (tshark {:?})",
                        map.index, places
                    ));
                }
            }
        }
    }
    Ok(score)
}

pub fn report(title: &str, score: &Score) {
    eprintln!(
        "{title}: {}/{} named fields at tshark's offsets ({:.2}%), {}/{} essential fields \
         ({:.2}%)",
        score.matched,
        score.named,
        Score::pct(score.matched, score.named),
        score.essential_matched,
        score.essential,
        Score::pct(score.essential_matched, score.essential)
    );
}
