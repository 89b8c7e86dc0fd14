//! Any bytes as a capture file (pcap, pcap with nanoseconds, pcapng, mixed link types),
//! read and rendered in every view.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/support/replay.rs"]
mod replay;

fuzz_target!(|data: &[u8]| replay::read_file_input(data));
