//! One frame of any supported link type: decode, byte map, and its text view.
//!
//! Input: byte 0 picks `LinkType::SUPPORTED[b % len]`, byte 1 is the context
//! (see `replay::frame_input`), the rest is the frame.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/support/replay.rs"]
mod replay;

fuzz_target!(|data: &[u8]| replay::decode_input(data));
