//! The byte map never panics: every frame of the corpus and the fixtures maps and renders,
//! within 80 columns in 中文 and English, and so does every cut or corrupted fixture frame under
//! every supported link type.

#[path = "support/capture_files.rs"]
mod capture_files;

use capture_files::{CORPUS, FIXTURES, files_in, parallel};
use handshake_viz::bytemap::{MapContext, map_frame};
use handshake_viz::capture::{FileSource, FrameSource, LinkType};
use handshake_viz::decode::decode;
use handshake_viz::render::Theme;
use handshake_viz::render::bytes::write_frame_map;
use handshake_viz::render::json_bytes::bytes_record;
use handshake_viz::render::words::Lang;
use handshake_viz::text::display_width;

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
