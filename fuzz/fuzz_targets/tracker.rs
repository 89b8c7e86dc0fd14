//! Segment sequences over two to four conversations through the tracker, checking its
//! invariants (stated in tests/support/tracker_check.rs).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/support/tracker_model.rs"]
mod tracker_model;

fuzz_target!(|script: tracker_model::Script| {
    if let Err(violation) = tracker_model::run(&script) {
        panic!("tracker invariant violated: {violation}");
    }
});
