//! Classic pcap files are read without libpcap (in large blocks, one copy per record): every
//! fixture and every capture of tcpdump's test suite must give exactly the frames libpcap
//! gives — number, time, lengths, bytes, link type — and stop with libpcap's own message at
//! the same place on a damaged file.

mod common;

use std::path::{Path, PathBuf};

use common::{corpus_dir, env_flag, files_in};
use handshake_viz::Error;
use handshake_viz::capture::{FileSource, Frame, LinkType, Timestamp};

/// What libpcap reads: the frames, then the error that stopped it (None at a clean end).
fn with_libpcap(path: &Path) -> Option<(Vec<Frame>, Option<String>)> {
    let mut cap = pcap::Capture::from_file_with_precision(path, pcap::Precision::Nano).ok()?;
    let linktype = LinkType(cap.get_datalink().0);
    let mut frames = Vec::new();
    loop {
        match cap.next_packet() {
            Ok(p) => {
                #[allow(clippy::unnecessary_cast)]
                let (secs, frac) = (p.header.ts.tv_sec as i64, p.header.ts.tv_usec.max(0) as u64);
                frames.push(Frame {
                    index: frames.len() as u64 + 1,
                    ts: Timestamp::new(secs, frac),
                    linktype,
                    orig_len: p.header.len,
                    data: p.data.to_vec(),
                });
            }
            Err(pcap::Error::NoMorePackets) => return Some((frames, None)),
            Err(pcap::Error::PcapError(e)) => {
                let prefix = format!("{}: ", path.display());
                let e = e.strip_prefix(&prefix).unwrap_or(&e).to_string();
                return Some((frames, Some(e)));
            }
            Err(e) => return Some((frames, Some(e.to_string()))),
        }
    }
}

/// What handshake-viz's file source reads.
fn with_source(path: &Path) -> Option<(Vec<Frame>, Option<String>)> {
    let mut source = FileSource::open(path).ok()?;
    let mut frames = Vec::new();
    let mut frame = Frame::empty();
    loop {
        match source.next_into(&mut frame) {
            Ok(true) => frames.push(frame.clone()),
            Ok(false) => return Some((frames, None)),
            Err(Error::Truncated { reason, .. } | Error::Corrupt { reason, .. }) => {
                return Some((frames, Some(reason)));
            }
            Err(e) => return Some((frames, Some(e.to_string()))),
        }
    }
}

/// Classic pcap files (by magic) among `files`.
fn classic(files: Vec<PathBuf>) -> Vec<PathBuf> {
    files
        .into_iter()
        .filter(|p| {
            let Ok(bytes) = std::fs::read(p) else {
                return false;
            };
            matches!(
                bytes.get(..4),
                Some([0xa1, 0xb2, 0xc3, 0xd4] | [0xd4, 0xc3, 0xb2, 0xa1])
                    | Some([0xa1, 0xb2, 0x3c, 0x4d] | [0x4d, 0x3c, 0xb2, 0xa1])
            )
        })
        .collect()
}

fn compare(files: &[PathBuf]) -> (usize, Vec<String>) {
    let mut compared = 0;
    let mut problems = Vec::new();
    for path in files {
        let (Some(theirs), Some(ours)) = (with_libpcap(path), with_source(path)) else {
            continue;
        };
        compared += 1;
        let name = path.display();
        if theirs.0.len() != ours.0.len() {
            problems.push(format!(
                "{name}: {} frames, libpcap {}",
                ours.0.len(),
                theirs.0.len()
            ));
        } else if let Some((a, b)) = ours.0.iter().zip(&theirs.0).find(|(a, b)| a != b) {
            problems.push(format!("{name}: frame {} differs: {a:?} vs {b:?}", a.index));
        }
        if theirs.1 != ours.1 {
            problems.push(format!(
                "{name}: stops with {:?}, libpcap {:?}",
                ours.1, theirs.1
            ));
        }
    }
    (compared, problems)
}

#[test]
fn fixtures_read_as_libpcap_reads_them() {
    let (compared, problems) = compare(&classic(files_in(Path::new("fixtures"))));
    assert!(compared >= 20, "{compared} fixtures");
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn damaged_records_stop_as_libpcap_stops() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read("fixtures/tcp-echo.pcap").unwrap();
    let mut files = Vec::new();
    for cut in [10, 24, 30, 40, 100, bytes.len() - 1] {
        let path = dir.path().join(format!("cut-{cut}.pcap"));
        std::fs::write(&path, &bytes[..cut]).unwrap();
        files.push(path);
    }
    // A record longer than the snapshot length (cut to it) and one past the maximum.
    for (snaplen, caplen) in [(40u32, 74u32), (65535, 300_000)] {
        let mut b = bytes.clone();
        b[16..20].copy_from_slice(&snaplen.to_le_bytes());
        b[24 + 8..24 + 12].copy_from_slice(&caplen.to_le_bytes());
        let path = dir.path().join(format!("caplen-{caplen}.pcap"));
        std::fs::write(&path, &b).unwrap();
        files.push(path);
    }
    let (compared, problems) = compare(&files);
    assert!(compared >= 6, "{compared} files");
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn corpus_reads_as_libpcap_reads_it() {
    if env_flag("HANDSHAKE_VIZ_SKIP_CORPUS") {
        return;
    }
    let Some(dir) = corpus_dir() else {
        return;
    };
    let files = classic(files_in(&dir));
    let (compared, problems) = compare(&files);
    assert!(compared >= 300, "{compared} corpus files");
    assert!(problems.is_empty(), "{problems:#?}");
}
