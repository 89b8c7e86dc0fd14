//! The tshark side and our side of the per-packet oracle (tests/oracle.rs,
//! tests/oracle_corpus.rs): the `tshark -T fields` command and the parsing of its lines, the
//! parsing of our `read FILE --json --no-summary` output, and the comparison of one frame.
//!
//! How tshark is asked, and the tshark 4.0 behaviour the comparison relies on:
//! * `-o ip.defragment:FALSE -o ipv6.defragment:FALSE`: without them tshark
//!   shows a fragmented datagram's UDP/TCP header on the frame that completes
//!   the reassembly, not on the frame that carries it. With them, the first
//!   fragment shows the header and later fragments are plain data.
//! * `-o tcp.desegment_tcp_streams:FALSE` only saves time; header fields do
//!   not depend on it. Relative sequence numbers and sequence analysis are
//!   forced on (the defaults) so a user profile cannot change them.
//! * `-E occurrence=a`: all occurrences of a field, comma separated. An ICMP
//!   error quotes an inner IP + UDP/TCP header and tshark reports the inner
//!   ports too (`udp.srcport` has a value on the ICMP frame), and a tunnel
//!   has several IP layers. So the layer that matters is picked from
//!   `frame.protocols`: the protocol of a frame is the first of tcp, udp,
//!   icmp, icmpv6 and arp in that list ("other" if none), and its addresses are
//!   those of the IP layer just before that protocol. ICMP/ICMPv6 frames are
//!   compared on `proto` only.
//! * `tcp.flags` is printed as hex (`0x0012`) and has 12 bits. Only the eight
//!   flags in our `flags` array (CWR..FIN, mask 0xFF) are compared.
//! * With the ACK flag clear, tshark 4.0 still fills `tcp.ack`, with the raw
//!   acknowledgment number (not a relative one; a SYN shows 0, a crafted SYN
//!   with ack 12345 shows 12345). Our `ack` must be null then, and our
//!   `ack_raw` must still equal the raw field (`tcp.ack_raw`).
//! * tshark's relative numbers need no SYN: the first segment seen in a
//!   direction without a SYN becomes relative 1 (raw - 1 is the base). For
//!   example, the RST/ACK answering a SYN to a closed port has raw seq 0 and
//!   shows `Seq=1 Ack=1`.
//! * `tcp.len` comes from the IP length, so it is the length on the wire even
//!   when the snaplen cut the payload. Our `len` for UDP is
//!   `udp.length - 8` (the length field, not the captured bytes).
//! * Linux cooked v2 (`LINUX_SLL2`) is shown by tshark as protocol `sll`,
//!   like v1. Only `frame.encap_type` (210 instead of 25) tells them apart.

#![allow(dead_code)] // each including crate uses a different subset

use crate::common::{Run, bin, env_flag, run_bounded};
use serde_json::Value;
use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

// --------------------------------------------------------------------------
// tshark side

pub const FIELDS: &[&str] = &[
    "frame.number",
    "frame.protocols",
    "ip.src",
    "ip.dst",
    "ipv6.src",
    "ipv6.dst",
    "tcp.srcport",
    "tcp.dstport",
    "tcp.flags",
    "tcp.seq",
    "tcp.ack",
    "tcp.seq_raw",
    "tcp.ack_raw",
    "tcp.len",
    "tcp.stream",
    "udp.srcport",
    "udp.dstport",
    "udp.length",
    "udp.stream",
    "icmp.type",
    "icmpv6.type",
];

pub const PREFERENCES: &[&str] = &[
    "ip.defragment:FALSE",
    "ipv6.defragment:FALSE",
    "tcp.desegment_tcp_streams:FALSE",
    "tcp.relative_sequence_numbers:TRUE",
    "tcp.analyze_sequence_numbers:TRUE",
];

pub fn tshark_args(file: &Path) -> Vec<String> {
    let mut a: Vec<String> = vec!["-n".into(), "-r".into(), file.display().to_string()];
    for p in PREFERENCES {
        a.push("-o".into());
        a.push((*p).into());
    }
    for opt in ["separator=/t", "occurrence=a", "aggregator=,", "quote=n"] {
        a.push("-E".into());
        a.push(opt.into());
    }
    a.push("-T".into());
    a.push("fields".into());
    for f in FIELDS {
        a.push("-e".into());
        a.push((*f).into());
    }
    a
}

pub fn tshark_command(file: &Path) -> Command {
    let mut cmd = Command::new("tshark");
    cmd.args(tshark_args(file));
    cmd
}

/// tshark's first version line, or a failed test saying how to install it.
/// `None` when it is missing and HANDSHAKE_VIZ_SKIP_ORACLE=1.
pub fn tshark_version() -> Option<String> {
    match Command::new("tshark").arg("--version").output() {
        Ok(out) if out.status.success() => Some(
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .next()
                .unwrap_or("tshark")
                .to_string(),
        ),
        result => {
            if env_flag("HANDSHAKE_VIZ_SKIP_ORACLE") {
                eprintln!("tshark not usable; oracle test skipped (HANDSHAKE_VIZ_SKIP_ORACLE=1)");
                return None;
            }
            let why = match result {
                Ok(out) => format!("`tshark --version` failed: {}", out.status),
                Err(e) => format!("cannot run tshark: {e}"),
            };
            panic!(
                "{why}\nThe oracle test compares our decoding with tshark's: install it with \
                 `apt-get install -y tshark` (or set HANDSHAKE_VIZ_SKIP_ORACLE=1 to skip it)."
            );
        }
    }
}

/// One frame as tshark decoded it, reduced to the fields we compare.
#[derive(Debug)]
pub struct Expected {
    pub frame: u64,
    pub proto: &'static str,
    /// Field name -> normalised value, for the fields compared on this frame.
    pub fields: BTreeMap<&'static str, Value>,
    /// tshark saw TCP/UDP but not a complete enough header to compare with.
    pub incomplete: bool,
}

pub fn nth(col: &str, i: usize) -> Option<&str> {
    col.split(',').nth(i).filter(|s| !s.is_empty())
}

pub fn first(col: &str) -> Option<&str> {
    nth(col, 0)
}

pub fn num(s: Option<&str>) -> Option<u64> {
    let s = s?;
    match s.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => s.parse().ok(),
    }
}

pub fn ip_value(s: Option<&str>) -> Value {
    match s.and_then(|s| s.parse::<IpAddr>().ok()) {
        Some(ip) => Value::String(ip.to_string()),
        None => Value::Null,
    }
}

pub fn opt(v: Option<u64>) -> Value {
    v.map_or(Value::Null, Value::from)
}

pub fn parse_tshark_line(line: &str) -> Option<Expected> {
    let c: Vec<&str> = line.split('\t').collect();
    if c.len() != FIELDS.len() {
        return None;
    }
    let col = |name: &str| c[FIELDS.iter().position(|f| *f == name).unwrap()];
    let frame = num(first(col("frame.number")))?;
    let protos: Vec<&str> = col("frame.protocols").split(':').collect();
    let at = protos
        .iter()
        .position(|p| matches!(*p, "tcp" | "udp" | "icmp" | "icmpv6" | "arp"));
    let proto = match at.map(|i| protos[i]) {
        Some("tcp") => "tcp",
        Some("udp") => "udp",
        Some("icmp") => "icmp",
        Some("icmpv6") => "icmpv6",
        Some("arp") => "arp",
        _ => "other",
    };
    let mut fields = BTreeMap::new();
    fields.insert("proto", Value::from(proto));
    let mut incomplete = false;
    if proto == "tcp" || proto == "udp" {
        // The IP layer that carries the transport: the last "ip"/"ipv6"
        // before it, and which occurrence of that protocol it is.
        let before = &protos[..at.unwrap()];
        let v4 = before.iter().filter(|p| **p == "ip").count();
        let v6 = before.iter().filter(|p| **p == "ipv6").count();
        let last_ip = before.iter().rev().find(|p| matches!(**p, "ip" | "ipv6"));
        let (src, dst) = match last_ip {
            Some(&"ip") => (nth(col("ip.src"), v4 - 1), nth(col("ip.dst"), v4 - 1)),
            Some(_) => (nth(col("ipv6.src"), v6 - 1), nth(col("ipv6.dst"), v6 - 1)),
            None => (None, None),
        };
        fields.insert("src", ip_value(src));
        fields.insert("dst", ip_value(dst));
    }
    if proto == "tcp" {
        let sport = num(first(col("tcp.srcport")));
        let dport = num(first(col("tcp.dstport")));
        let flags = num(first(col("tcp.flags"))).map(|f| f & 0xFF);
        let seq = num(first(col("tcp.seq")));
        let seq_raw = num(first(col("tcp.seq_raw")));
        let ack_raw = num(first(col("tcp.ack_raw")));
        let len = num(first(col("tcp.len")));
        let stream = num(first(col("tcp.stream")));
        let ack = match flags {
            Some(f) if f & 0x10 != 0 => num(first(col("tcp.ack"))),
            _ => None, // tshark shows the raw value here; ours must be null
        };
        // A header the capture cut after the ports: tshark shows the ports and nothing
        // else, and so must we. Without even the ports, tshark could not decode it.
        let cut = sport.is_some() && dport.is_some() && flags.is_none();
        incomplete = !cut
            && ([sport, dport, flags, seq, seq_raw, ack_raw, len, stream]
                .iter()
                .any(|v| v.is_none())
                || flags.is_some_and(|f| f & 0x10 != 0) && ack.is_none());
        for (k, v) in [
            ("sport", sport),
            ("dport", dport),
            ("flags", flags),
            ("seq", seq),
            ("ack", ack),
            ("seq_raw", seq_raw),
            ("ack_raw", ack_raw),
            ("len", len),
            ("stream", stream),
        ] {
            fields.insert(k, opt(v));
        }
    } else if proto == "udp" {
        let sport = num(first(col("udp.srcport")));
        let dport = num(first(col("udp.dstport")));
        let length = num(first(col("udp.length")));
        let stream = num(first(col("udp.stream")));
        let cut = sport.is_some() && dport.is_some() && length.is_none();
        incomplete = !cut && [sport, dport, length, stream].iter().any(|v| v.is_none());
        fields.insert("sport", opt(sport));
        fields.insert("dport", opt(dport));
        // a length field below 8 is itself an error: nothing to subtract from
        fields.insert("len", opt(length.and_then(|l| l.checked_sub(8))));
        fields.insert("stream", opt(stream));
    }
    Some(Expected {
        frame,
        proto,
        fields,
        incomplete,
    })
}

pub fn parse_tshark(out: &[u8]) -> Vec<Expected> {
    String::from_utf8_lossy(out)
        .lines()
        .filter_map(parse_tshark_line)
        .collect()
}

// --------------------------------------------------------------------------
// our side

pub const FLAG_BITS: &[(&str, u64)] = &[
    ("CWR", 0x80),
    ("ECE", 0x40),
    ("URG", 0x20),
    ("ACK", 0x10),
    ("PSH", 0x08),
    ("RST", 0x04),
    ("SYN", 0x02),
    ("FIN", 0x01),
    ("NS", 0x100),
];

/// Our packet objects by frame number, plus any problem with the output.
pub struct Ours {
    pub packets: BTreeMap<u64, Value>,
    pub problems: Vec<String>,
}

pub fn parse_ours(out: &[u8]) -> Ours {
    let mut packets = BTreeMap::new();
    let mut problems = Vec::new();
    for (i, line) in String::from_utf8_lossy(out).lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(line) {
            Ok(v) if v.get("type").and_then(Value::as_str) == Some("packet") => {
                match v.get("frame").and_then(Value::as_u64) {
                    Some(n) => {
                        if packets.insert(n, v).is_some() {
                            problems.push(format!("frame {n} appears twice"));
                        }
                    }
                    None => problems.push(format!("output line {}: packet without frame", i + 1)),
                }
            }
            Ok(_) => {}
            Err(e) => problems.push(format!("output line {} is not JSON: {e}", i + 1)),
        }
    }
    Ours { packets, problems }
}

/// Our value of `field`, normalised like the tshark side.
pub fn our_field(p: &Value, field: &str) -> Value {
    let v = p.get(field).cloned().unwrap_or(Value::Null);
    match field {
        // A TCP header cut before its flags has no TCP numbers at all.
        "flags" if p.get("seq_raw").is_some_and(Value::is_null) => Value::Null,
        "flags" => match v.as_array() {
            Some(names) => {
                let mut mask = 0;
                for n in names {
                    match FLAG_BITS.iter().find(|(f, _)| Some(*f) == n.as_str()) {
                        Some((_, bit)) => mask |= bit,
                        None => return Value::String(format!("unknown flag {n}")),
                    }
                }
                // Only the eight flags CWR..FIN are compared (see the module doc).
                Value::from(mask & 0xFF)
            }
            None => v,
        },
        "src" | "dst" => match v.as_str().and_then(|s| s.parse::<IpAddr>().ok()) {
            Some(ip) => Value::String(ip.to_string()),
            None => v,
        },
        _ => v,
    }
}

pub fn show(v: &Value) -> String {
    match (v, v.as_u64()) {
        (_, Some(n)) if v.is_number() => n.to_string(),
        (Value::String(s), _) => s.clone(),
        _ => v.to_string(),
    }
}

/// One disagreement.
pub struct Mismatch {
    pub frame: u64,
    pub field: String,
    pub ours: String,
    pub tshark: String,
}

/// Compare one frame; empty when it agrees.
pub fn compare_frame(exp: &Expected, ours: Option<&Value>) -> Vec<Mismatch> {
    let Some(p) = ours else {
        return vec![Mismatch {
            frame: exp.frame,
            field: "packet".into(),
            ours: "(missing)".into(),
            tshark: exp.proto.into(),
        }];
    };
    exp.fields
        .iter()
        .filter_map(|(k, want)| {
            let got = our_field(p, k);
            (got != *want).then(|| Mismatch {
                frame: exp.frame,
                field: (*k).to_string(),
                ours: show(&got),
                tshark: show(want),
            })
        })
        .collect()
}

pub fn run_ours(file: &Path, timeout: Duration) -> Run {
    let mut cmd = Command::new(bin());
    cmd.arg("read").arg(file).arg("--json").arg("--no-summary");
    run_bounded(cmd, timeout, true).unwrap_or_else(|e| panic!("cannot run {}: {e}", bin()))
}
