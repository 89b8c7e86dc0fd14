//! Segment scripts with ICMP errors quoting their packets and IP fragments mixed in,
//! through the tracker, checking what ties them (stated in tests/support/tracker_mixed.rs).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/support/tracker_model.rs"]
mod tracker_model;
#[path = "../../tests/support/tracker_mixed.rs"]
mod tracker_mixed;

fuzz_target!(|mixed: tracker_mixed::Mixed| {
    if let Err(violation) = tracker_mixed::run(&mixed) {
        panic!("tracker tie broken: {violation}");
    }
});
