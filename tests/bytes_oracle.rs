//! Checks the byte map against Wireshark: every field we give a Wireshark name must sit where
//! `tshark -T pdml` puts that field (`pos` and `size`), on the fixtures and on a sample of the
//! tcpdump test corpus. Also maps every frame of the corpus to prove no input panics.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use handshake_viz::bytemap::{FrameMap, MapContext, MapField, map_frame};
use handshake_viz::capture::{FileSource, FrameSource, LinkType};
use handshake_viz::decode::decode;
use handshake_viz::render::Theme;
use handshake_viz::render::bytes::{tag, write_frame_map};
use handshake_viz::render::json_bytes::bytes_record;
use handshake_viz::render::words::Lang;
use handshake_viz::text::display_width;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");
const CORPUS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/corpus/tcpdump-tests"
);

/// Frames read per corpus file (tshark is told the same).
const CORPUS_FRAMES: usize = 200;
/// Corpus files compared with tshark.
const CORPUS_SAMPLE: usize = 170;

// No exceptions are needed on the fixtures. On the corpus sample the few differences are
// malformed packets whose length fields disagree with the captured bytes: tshark then stretches
// `udp.payload` / `tcp.payload` / `eth.trailer` over what was captured, while the byte map
// follows the length field and calls the rest a trailer: 6 of 86030 named fields.

/// One `<field>` of tshark's PDML: name, position and size in the frame.
#[derive(Debug, Clone, PartialEq, Eq)]
struct TsField {
    pos: usize,
    size: usize,
}

type TsFrame = HashMap<String, Vec<TsField>>;

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

/// A minimal PDML scanner: per packet, the fields outside ICMP-quoted headers.
fn parse_pdml(xml: &str) -> Vec<TsFrame> {
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

fn tshark_frames(path: &Path, limit: Option<usize>) -> Result<Vec<TsFrame>, String> {
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

fn tshark_available() -> bool {
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

fn maps(path: &Path, limit: Option<usize>) -> Vec<FrameMap> {
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

fn named_fields<'a>(fields: &'a [MapField], out: &mut Vec<&'a MapField>) {
    for f in fields {
        if f.wireshark.is_some() {
            out.push(f);
        }
        named_fields(&f.fields, out);
    }
}

/// Fields every mapped layer of this kind must have where tshark has them.
fn essential(tag: &str) -> &'static [&'static str] {
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
struct Score {
    named: usize,
    matched: usize,
    essential: usize,
    essential_matched: usize,
    mismatches: Vec<String>,
}

impl Score {
    fn add(&mut self, other: Score) {
        self.named += other.named;
        self.matched += other.matched;
        self.essential += other.essential;
        self.essential_matched += other.essential_matched;
        self.mismatches.extend(other.mismatches);
    }

    fn pct(a: usize, b: usize) -> f64 {
        if b == 0 {
            100.0
        } else {
            100.0 * a as f64 / b as f64
        }
    }
}

fn compare_file(path: &Path, limit: Option<usize>) -> Result<Score, String> {
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

/// Runs `job` over `items` on two threads.
fn parallel<T: Sync, R: Send>(items: &[T], job: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let results = Mutex::new(Vec::new());
    let next = Mutex::new(0usize);
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                loop {
                    let i = {
                        let mut n = next.lock().unwrap();
                        let i = *n;
                        *n += 1;
                        i
                    };
                    let Some(item) = items.get(i) else { break };
                    let r = job(item);
                    results.lock().unwrap().push((i, r));
                }
            });
        }
    });
    let mut r = results.into_inner().unwrap();
    r.sort_by_key(|(i, _)| *i);
    r.into_iter().map(|(_, r)| r).collect()
}

fn files_in(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| {
        p.extension()
            .is_some_and(|e| e == "pcap" || e == "pcapng" || e == "cap")
    });
    files.sort();
    files
}

fn report(title: &str, score: &Score) {
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

#[test]
fn fixtures_match_tshark_field_positions() {
    if !tshark_available() {
        return;
    }
    let files = files_in(FIXTURES);
    assert!(
        !files.is_empty(),
        "no fixtures in {FIXTURES}: the capture fixtures are needed"
    );
    let results = parallel(&files, |f| compare_file(f, None));
    let mut total = Score::default();
    for r in results {
        total.add(r.expect("tshark ran"));
    }
    report("fixtures", &total);
    for m in total.mismatches.iter().take(60) {
        eprintln!("  {m}");
    }
    assert!(total.named > 0, "no named fields compared");
    assert!(
        total.mismatches.is_empty(),
        "{} fields differ from tshark on the fixtures",
        total.mismatches.len()
    );
}

const SAMPLE_LINKTYPES: [LinkType; 9] = [
    LinkType::ETHERNET,
    LinkType::LINUX_SLL,
    LinkType::LINUX_SLL2,
    LinkType::NULL,
    LinkType::LOOP,
    LinkType::RAW,
    LinkType::RAW_DLT,
    LinkType::IPV4,
    LinkType::IPV6,
];

/// Corpus files with a sampled link type and some TCP or UDP over IP.
fn corpus_candidates() -> Vec<PathBuf> {
    let files = files_in(CORPUS);
    let keep = parallel(&files, |path| {
        let Ok(mut src) = FileSource::open(path) else {
            return false;
        };
        let mut n = 0;
        while let Ok(Some(frame)) = src.next_frame() {
            if !SAMPLE_LINKTYPES.contains(&frame.linktype) {
                return false;
            }
            let p = decode(&frame);
            if p.tcp().is_some() || p.udp().is_some() {
                return true;
            }
            n += 1;
            if n >= CORPUS_FRAMES {
                break;
            }
        }
        false
    });
    files
        .into_iter()
        .zip(keep)
        .filter_map(|(f, k)| k.then_some(f))
        .collect()
}

#[test]
fn corpus_sample_matches_tshark_field_positions() {
    if !tshark_available() {
        return;
    }
    if !Path::new(CORPUS).is_dir() {
        panic!("the tcpdump test corpus is missing at {CORPUS}");
    }
    let candidates = corpus_candidates();
    // Evenly spread over the alphabet, not just the first names.
    let step = (candidates.len() as f64 / CORPUS_SAMPLE as f64).max(1.0);
    let sample: Vec<PathBuf> = (0..CORPUS_SAMPLE)
        .map(|i| (i as f64 * step) as usize)
        .filter_map(|i| candidates.get(i).cloned())
        .collect::<Vec<_>>();
    let mut sample = sample;
    sample.dedup();
    assert!(
        sample.len() >= 150,
        "only {} corpus files qualify for the sample",
        sample.len()
    );
    let results = parallel(&sample, |f| compare_file(f, Some(CORPUS_FRAMES)));
    let mut total = Score::default();
    let mut per_file: Vec<String> = Vec::new();
    for (path, r) in sample.iter().zip(results) {
        let s = r.expect("tshark ran");
        if !s.mismatches.is_empty() {
            per_file.push(format!(
                "{}: {} mismatches, e.g. {}",
                path.file_name().unwrap_or_default().to_string_lossy(),
                s.mismatches.len(),
                s.mismatches[0]
            ));
        }
        total.add(s);
    }
    report(&format!("corpus sample of {} files", sample.len()), &total);
    for line in &per_file {
        eprintln!("  {line}");
    }
    let named = Score::pct(total.matched, total.named);
    let essential = Score::pct(total.essential_matched, total.essential);
    assert!(
        named >= 99.99,
        "only {named:.3}% of named fields match tshark"
    );
    assert!(
        essential >= 99.99,
        "only {essential:.2}% of essential fields are mapped at tshark's offsets"
    );
}

/// Every frame of the corpus maps and renders without a panic, and at 80 columns no line of
/// its byte map is wider than 80 (in 中文 or English).
#[test]
fn every_corpus_frame_maps_and_renders_without_panicking() {
    let mut files = files_in(CORPUS);
    files.extend(files_in(FIXTURES));
    let counts = parallel(&files, |path| {
        let Ok(mut src) = FileSource::open(path) else {
            return 0;
        };
        let mut n = 0usize;
        while let Ok(Some(frame)) = src.next_frame() {
            let packet = decode(&frame);
            // Each language once, with and without a known window scale; at 80 columns.
            for (scale, lang) in [(None, Lang::Zh), (Some(14), Lang::En)] {
                let map = map_frame(
                    &frame,
                    &packet,
                    &MapContext {
                        window_scale: scale,
                    },
                );
                let mut sink = Vec::new();
                write_frame_map(&mut sink, &map, &Theme::colored(), lang, Some(80))
                    .expect("render");
                let text = String::from_utf8(sink).expect("UTF-8");
                if let Some(line) = text.lines().find(|l| display_width(l) > 80) {
                    panic!(
                        "{} frame {} {lang:?}: wider than 80 columns: {line}",
                        path.display(),
                        frame.index
                    );
                }
                let _ = bytes_record(&map);
            }
            n += 1;
        }
        n
    });
    let total: usize = counts.iter().sum();
    eprintln!("mapped {total} frames of {} files", files.len());
    assert!(total > 1000);
}

/// Every prefix of every fixture frame, and bytes flipped at every position, under every
/// supported link type: hostile and cut packets must map and render without a panic.
#[test]
fn cut_and_corrupted_frames_never_panic() {
    use handshake_viz::capture::Frame;
    let mut frames = Vec::new();
    for path in files_in(FIXTURES) {
        let Ok(mut src) = FileSource::open(&path) else {
            continue;
        };
        for _ in 0..12 {
            match src.next_frame() {
                Ok(Some(f)) => frames.push(f),
                _ => break,
            }
        }
    }
    assert!(!frames.is_empty(), "no fixture frames");
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut jobs: Vec<Frame> = Vec::new();
    for f in &frames {
        for cut in 0..f.data.len() {
            let mut g = f.clone();
            g.data.truncate(cut);
            jobs.push(g);
        }
        for _ in 0..40 {
            let mut g = f.clone();
            if g.data.is_empty() {
                break;
            }
            let at = (next() as usize) % g.data.len();
            g.data[at] = next() as u8;
            let lt = LinkType::SUPPORTED[(next() as usize) % LinkType::SUPPORTED.len()];
            g.linktype = lt;
            jobs.push(g);
        }
    }
    let done = parallel(&jobs, |frame| {
        let packet = decode(frame);
        let map = map_frame(
            frame,
            &packet,
            &MapContext {
                window_scale: Some(7),
            },
        );
        let mut sink = Vec::new();
        write_frame_map(&mut sink, &map, &Theme::plain(), Lang::En, Some(40)).expect("render");
        let _ = bytes_record(&map);
        1usize
    });
    assert_eq!(done.len(), jobs.len());
}
