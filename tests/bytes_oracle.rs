//! Checks the byte map against Wireshark on the fixtures: every field we give a Wireshark name
//! must sit where `tshark -T pdml` puts that field (`pos` and `size`), with no exception.
//! tests/bytes_oracle_corpus.rs does the same on a sample of the tcpdump test corpus.

#[path = "support/capture_files.rs"]
mod capture_files;
#[path = "support/pdml_fields.rs"]
mod pdml_fields;

use capture_files::{FIXTURES, files_in, parallel};
use pdml_fields::{Score, compare_file, report, tshark_available};

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
