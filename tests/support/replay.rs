//! The code paths of the `read_file` and `decode` fuzz targets, shared with
//! `tests/fuzz_regressions.rs` so a saved input replays exactly as the fuzzer ran it.

#![allow(dead_code)] // each including crate uses a different subset

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use handshake_viz::bytemap::{MapContext, map_frame};
use handshake_viz::capture::{Frame, LinkType, Timestamp};
use handshake_viz::config::{FrameSelection, TimeMode, ViewConfig};
use handshake_viz::decode::decode_bytes;
use handshake_viz::read::{ReadOptions, read_file};
use handshake_viz::render::Theme;
use handshake_viz::render::bytes::write_frame_map;
use handshake_viz::render::json_bytes as map_json;
use handshake_viz::render::words::Lang;

#[path = "terminal.rs"]
mod terminal;

/// A `decode` input: byte 0 picks `LinkType::SUPPORTED[b % len]`; byte 1 is the context:
/// its low nibble is the window-scale shift (15: unknown), its high nibble `h` sets the
/// length on the wire (`h` < 15: captured length + 64·h; 15: half the captured length).
/// The rest is the frame.
pub fn frame_input(data: &[u8]) -> Option<(Frame, MapContext)> {
    let (&link, rest) = data.split_first()?;
    let (&ctx, bytes) = rest.split_first()?;
    let linktype = LinkType::SUPPORTED[usize::from(link) % LinkType::SUPPORTED.len()];
    let window_scale = (ctx & 0x0f != 0x0f).then_some(ctx & 0x0f);
    let len = bytes.len() as u32;
    let orig_len = match ctx >> 4 {
        15 => len / 2,
        h => len + 64 * u32::from(h),
    };
    let frame = Frame {
        index: 1,
        ts: Timestamp::new(1_700_000_000, 0),
        linktype,
        orig_len,
        data: bytes.to_vec(),
    };
    Some((frame, MapContext { window_scale }))
}

/// The `decode` target: decode, map every byte, write the byte map as text (plain and
/// coloured) and as JSON. Panics when the text view could disturb a terminal.
pub fn decode_input(data: &[u8]) {
    let Some((frame, ctx)) = frame_input(data) else {
        return;
    };
    let packet = decode_bytes(frame.linktype, &frame.data, frame.orig_len as usize);
    let map = map_frame(&frame, &packet, &ctx);
    let mut out = Vec::new();
    for (lang, width) in [(Lang::En, None), (Lang::Zh, Some(80))] {
        out.clear();
        write_frame_map(&mut out, &map, &Theme::plain(), lang, width).expect("writing to memory");
        if let Err(e) = terminal::check(&out, false) {
            panic!("byte map: {e}");
        }
        out.clear();
        write_frame_map(&mut out, &map, &Theme::colored(), lang, width).expect("writing to memory");
        if let Err(e) = terminal::check(&out, true) {
            panic!("coloured byte map: {e}");
        }
    }
    let text = map_json::bytes_record(&map).to_string();
    if let Err(e) = terminal::check(text.as_bytes(), false) {
        panic!("byte map JSON: {e}");
    }
}

static NEXT_FILE: AtomicU64 = AtomicU64::new(0);

/// A temporary capture file, removed when dropped.
struct TempCapture(PathBuf);

impl Drop for TempCapture {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The views `read_file` renders each input with.
fn views() -> [ViewConfig; 3] {
    let timeline = ViewConfig::default();
    let json = ViewConfig {
        json: true,
        bytes: Some(FrameSelection::all()),
        ..ViewConfig::default()
    };
    let colour_bytes = ViewConfig {
        color: true,
        time: TimeMode::Delta,
        bytes: Some(FrameSelection::all()),
        ..ViewConfig::default()
    };
    [timeline, json, colour_bytes]
}

/// The `read_file` target: the bytes as a capture file, read and rendered as the timeline
/// with the summary, as JSON with every byte map, and in colour with every byte map.
/// Errors are expected; panics are not, nor output that could disturb a terminal.
pub fn read_file_input(data: &[u8]) {
    let n = NEXT_FILE.fetch_add(1, Ordering::Relaxed);
    let file = TempCapture(
        std::env::temp_dir().join(format!("handshake-viz-fuzz-{}-{n}.cap", std::process::id())),
    );
    std::fs::write(&file.0, data).expect("writing the temporary capture");
    for view in views() {
        let colour = view.color;
        let mut out = Vec::new();
        let _ = read_file(&file.0, view, &ReadOptions::default(), &mut out);
        if let Err(e) = terminal::check(&out, colour) {
            panic!("read output: {e}");
        }
    }
}
