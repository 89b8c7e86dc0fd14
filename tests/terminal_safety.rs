//! Terminal safety: bytes from a capture never reach the terminal raw. Captures built here
//! carry ESC sequences, BEL, NUL, CR, the C1 CSI byte and U+202E in every place a capture can
//! hold text (payloads, ICMP quotes, unknown TCP options, ARP, pcapng option strings, the
//! file's name); every view of the real binary must print only `\n` as a control byte and,
//! with `--color always`, only its own SGR sequences.

#[path = "support/terminal.rs"]
mod terminal;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use etherparse::{PacketBuilder, TcpHeader};

/// Hostile text: an SGR sequence no renderer writes, BEL, C1 CSI, CR, NUL, a bidi override,
/// an OSC title change, a clear-screen and a DEL.
const EVIL: &[u8] =
    b"\x1b[0;7;31;42;5mred\x07bel\x9b2Jcsi\r\x00nul\xe2\x80\xaeRLO\x1b]0;title\x07\x1b[2J\x7f!";
/// The same threats as UTF-8 text, as pcapng option strings must be: C1 CSI is U+009B.
const EVIL_UTF8: &str =
    "\x1b[0;7;31;42;5mred\x07bel\u{9b}2Jcsi\r\x00nul\u{202e}RLO\x1b]0;title\x07\x1b[2J\x7f!";
/// The capture's own SGR sequence: it must never appear in the output, even with colour on.
const EVIL_SGR: &[u8] = b"\x1b[0;7;31;42;5m";

const MAC_A: [u8; 6] = [2, 0, 0, 0, 0, 1];
const MAC_B: [u8; 6] = [2, 0, 0, 0, 0, 2];

fn eth() -> etherparse::PacketBuilderStep<etherparse::Ethernet2Header> {
    PacketBuilder::ethernet2(MAC_A, MAC_B)
}

fn tcp_frame(flags_syn: bool, options: &[u8], payload: &[u8]) -> Vec<u8> {
    let mut h = TcpHeader::new(40000, 80, 1000, 64240);
    h.syn = flags_syn;
    h.ack = !flags_syn;
    h.psh = !payload.is_empty();
    h.acknowledgment_number = if flags_syn { 0 } else { 5000 };
    h.set_options_raw(options).expect("options fit");
    let mut out = Vec::new();
    eth()
        .ipv4([10, 0, 0, 1], [10, 0, 0, 2], 64)
        .tcp_header(h)
        .write(&mut out, payload)
        .expect("TCP frame");
    out
}

fn udp_frame(payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    eth()
        .ipv6([0xfd; 16], [0xfe; 16], 64)
        .udp(5353, 53)
        .write(&mut out, payload)
        .expect("UDP frame");
    out
}

/// ICMP port unreachable quoting a UDP datagram whose payload is hostile.
fn icmp_error_frame() -> Vec<u8> {
    let mut quoted = Vec::new();
    PacketBuilder::ipv4([10, 0, 0, 2], [10, 0, 0, 1], 64)
        .udp(33000, 9)
        .write(&mut quoted, EVIL)
        .expect("quoted datagram");
    let mut out = Vec::new();
    eth()
        .ipv4([10, 0, 0, 1], [10, 0, 0, 2], 64)
        .icmpv4_raw(3, 3, [0; 4])
        .write(&mut out, &quoted)
        .expect("ICMP frame");
    out
}

/// Ethernet + ARP with hostile hardware and protocol addresses; `ipv4` picks a normal
/// protocol type, otherwise an unknown one with 6-byte protocol addresses.
fn arp_frame(ipv4: bool) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&MAC_B);
    out.extend_from_slice(&MAC_A);
    out.extend_from_slice(&[0x08, 0x06, 0x00, 0x01]);
    let (ptype, plen): ([u8; 2], usize) = if ipv4 { ([8, 0], 4) } else { ([0x9b, 0x1b], 6) };
    out.extend_from_slice(&ptype);
    out.extend_from_slice(&[6, plen as u8, 0x1b, 0x07]); // operation 0x1b07
    for _ in 0..2 {
        out.extend_from_slice(b"\x1b[31m\x07"); // hardware address
        out.extend_from_slice(&b"\x9b\x1b[2J\x00\x0d"[..plen]); // protocol address
    }
    out
}

/// TCP options of unknown kinds whose bytes are control characters.
const EVIL_OPTIONS: [u8; 12] = [0x1b, 6, b'[', b'3', b'1', b'm', 0x9b, 3, 0x07, 0x07, 4, 0];

fn frames() -> Vec<Vec<u8>> {
    vec![
        tcp_frame(true, &EVIL_OPTIONS, &[]),
        tcp_frame(false, &[], EVIL),
        udp_frame(EVIL),
        icmp_error_frame(),
        arp_frame(true),
        arp_frame(false),
    ]
}

/// A classic pcap (µs, Ethernet) of the frames.
fn pcap(frames: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&0xa1b2_c3d4u32.to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&4u16.to_le_bytes());
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&262_144u32.to_le_bytes());
    out.extend_from_slice(&1u32.to_le_bytes());
    for (i, f) in frames.iter().enumerate() {
        for v in [
            1_700_000_000,
            i as u32 * 1000,
            f.len() as u32,
            f.len() as u32,
        ] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(f);
    }
    out
}

/// pcapng options: (code, value) each padded to 4 bytes, then opt_endofopt.
fn options(opts: &[(u16, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for (code, value) in opts {
        out.extend_from_slice(&code.to_le_bytes());
        out.extend_from_slice(&(value.len() as u16).to_le_bytes());
        out.extend_from_slice(value);
        out.resize(out.len().div_ceil(4) * 4, 0);
    }
    out.extend_from_slice(&[0; 4]);
    out
}

fn block(kind: u32, body: &[u8]) -> Vec<u8> {
    let len = (12 + body.len()) as u32;
    let mut out = Vec::new();
    out.extend_from_slice(&kind.to_le_bytes());
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(body);
    out.extend_from_slice(&len.to_le_bytes());
    out
}

/// A pcapng whose section, interfaces and packets carry the option strings `text`. With
/// `mixed`, the second interface is raw IPv4 and gets packets too, so the file mixes link
/// types and is read by the pure-Rust pcapng reader after the first packet.
fn pcapng(frames: &[Vec<u8>], mixed: bool, text: &[u8]) -> Vec<u8> {
    let mut shb = Vec::new();
    shb.extend_from_slice(&0x1a2b_3c4du32.to_le_bytes());
    shb.extend_from_slice(&1u16.to_le_bytes());
    shb.extend_from_slice(&0u16.to_le_bytes());
    shb.extend_from_slice(&u64::MAX.to_le_bytes());
    shb.extend(options(&[(1, text), (2, text), (3, text), (4, text)]));
    let mut out = block(0x0a0d_0d0a, &shb);
    for linktype in [1u16, if mixed { 228 } else { 1 }] {
        let mut idb = Vec::new();
        idb.extend_from_slice(&linktype.to_le_bytes());
        idb.extend_from_slice(&0u16.to_le_bytes());
        idb.extend_from_slice(&0u32.to_le_bytes());
        idb.extend(options(&[(1, text), (2, text), (3, text)]));
        out.extend(block(1, &idb));
    }
    for (i, f) in frames.iter().enumerate() {
        // The second interface (raw IPv4) gets the IP packet of every other frame.
        let (iface, data): (u32, &[u8]) = if mixed && i % 2 == 1 && f[12..14] == [8, 0] {
            (1, &f[14..])
        } else {
            (0, f)
        };
        let ts = 1_700_000_000_000_000u64 + i as u64 * 1000;
        let mut epb = Vec::new();
        epb.extend_from_slice(&iface.to_le_bytes());
        epb.extend_from_slice(&((ts >> 32) as u32).to_le_bytes());
        epb.extend_from_slice(&(ts as u32).to_le_bytes());
        epb.extend_from_slice(&(data.len() as u32).to_le_bytes());
        epb.extend_from_slice(&(data.len() as u32).to_le_bytes());
        epb.extend_from_slice(data);
        epb.resize(epb.len().div_ceil(4) * 4, 0);
        epb.extend(options(&[(1, text)]));
        out.extend(block(6, &epb));
    }
    out
}

/// Every view the binary has.
const VIEWS: &[&[&str]] = &[
    &[],
    &["--json"],
    &["--bytes"],
    &["--json", "--bytes"],
    &["--summary-only"],
    &["--color", "always"],
    &["--color", "always", "--bytes"],
    &["--color", "always", "--summary-only"],
    &["--view", "ladder", "--legend", "always"],
    &["--view", "ladder", "--lang", "zh", "--width", "80"],
    &["--lang", "zh", "--bytes", "--legend", "always"],
    &["--lang", "zh", "--width", "80", "--color", "always"],
];

/// Runs the binary and checks both streams; returns the exit code and stderr.
fn run_checked(args: &[&std::ffi::OsStr], what: &str) -> (Option<i32>, Vec<u8>) {
    let out = Command::cargo_bin("handshake-viz")
        .expect("binary")
        .args(args)
        .env_remove("NO_COLOR")
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .expect("runs");
    let colour = args.iter().any(|a| a.to_str() == Some("always"));
    for (name, stream) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        if let Err(e) = terminal::check(stream, colour) {
            panic!("{what}: {name}: {e}");
        }
        assert!(
            !stream.windows(EVIL_SGR.len()).any(|w| w == EVIL_SGR),
            "{what}: {name} carries the capture's SGR sequence"
        );
    }
    (out.status.code(), out.stderr)
}

fn read_all_views(path: &Path, expect_frames: bool) {
    for view in VIEWS {
        let mut args: Vec<&std::ffi::OsStr> = vec!["read".as_ref(), path.as_os_str()];
        args.extend(view.iter().map(|a| std::ffi::OsStr::new(*a)));
        let what = format!("read {} {}", path.display(), view.join(" "));
        let (code, stderr) = run_checked(&args, &what);
        if expect_frames {
            assert_eq!(
                code,
                Some(0),
                "{what}: {}",
                String::from_utf8_lossy(&stderr)
            );
        }
    }
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write capture");
    path
}

#[test]
fn hostile_frames_in_pcap_are_escaped_in_every_view() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "hostile.pcap", &pcap(&frames()));
    read_all_views(&path, true);
}

#[test]
fn hostile_pcapng_option_strings_are_escaped_in_every_view() {
    let dir = tempfile::tempdir().unwrap();
    let text = EVIL_UTF8.as_bytes();
    let one = write(
        dir.path(),
        "options.pcapng",
        &pcapng(&frames(), false, text),
    );
    read_all_views(&one, true);
    let mixed = write(dir.path(), "mixed.pcapng", &pcapng(&frames(), true, text));
    read_all_views(&mixed, true);
    // Strings that are not UTF-8 break the format: an error, but a safe one.
    let bad = write(
        dir.path(),
        "bad-utf8.pcapng",
        &pcapng(&frames(), true, EVIL),
    );
    read_all_views(&bad, false);
}

#[test]
fn hostile_file_names_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let name = "name\x1b[0;7;31;42;5m\x07\r\u{202e}.pcap";
    let good = write(dir.path(), name, &pcap(&frames()));
    read_all_views(&good, true);
    // Damaged after its first frame: partial output, then an error naming the file.
    let mut cut = pcap(&frames());
    cut.truncate(24 + 16 + frames()[0].len() + 20);
    let truncated = write(dir.path(), &format!("cut-{name}"), &cut);
    read_all_views(&truncated, false);
    // Not a capture, and missing: errors name the file.
    let junk = write(dir.path(), &format!("junk-{name}"), b"not a capture\x1b[2J");
    read_all_views(&junk, false);
    read_all_views(&dir.path().join(format!("missing-{name}")), false);
}

#[test]
fn hostile_filter_expressions_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "f.pcap", &pcap(&frames()));
    let expr = "tcp port \x1b[0;7;31;42;5m\x07\u{202e}";
    let args: Vec<&std::ffi::OsStr> = vec![
        "read".as_ref(),
        path.as_os_str(),
        "-f".as_ref(),
        expr.as_ref(),
    ];
    let (code, stderr) = run_checked(&args, "read -f <hostile expression>");
    assert_eq!(code, Some(2), "{}", String::from_utf8_lossy(&stderr));
}

#[test]
fn hostile_interface_names_give_a_one_line_escaped_error() {
    for name in ["lo\x1b[31m", "lo\n\x1b[2Jx\u{202e}"] {
        let args: Vec<&std::ffi::OsStr> =
            vec!["live".as_ref(), name.as_ref(), "-c".as_ref(), "1".as_ref()];
        let what = format!("live {name:?}");
        let (code, stderr) = run_checked(&args, &what);
        assert_ne!(code, Some(0), "{what} succeeded");
        let text = String::from_utf8_lossy(&stderr);
        assert_eq!(
            text.matches('\n').count(),
            1,
            "{what}: not one line: {text:?}"
        );
        assert!(
            text.contains("\\x1b["),
            "{what}: the name is not shown escaped: {text:?}"
        );
    }
}
