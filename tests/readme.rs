//! README.md stays true: its example timeline is the real output, and its test command is the
//! one CI runs.

use std::process::Command;

#[test]
fn readme_timeline_example_is_the_real_output() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let start = readme
        .find("```text\nfixtures/tcp-echo.pcap")
        .expect("README shows the tcp-echo timeline");
    let block = &readme[start + "```text\n".len()..];
    let block = &block[..block.find("```").unwrap()];
    let out = Command::new(env!("CARGO_BIN_EXE_handshake-viz"))
        .args(["read", "fixtures/tcp-echo.pcap", "--color", "never"])
        .env("TZ", "UTC")
        .output()
        .unwrap();
    assert_eq!(block, String::from_utf8(out.stdout).unwrap());
}

#[test]
fn readme_and_ci_run_the_same_tests() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let ci = std::fs::read_to_string(".ci/run").unwrap();
    assert!(
        readme.contains("\ncargo test --locked\n"),
        "README gives the test command"
    );
    assert!(ci.contains("TEST_CMD=(cargo test --locked)"), "CI runs it");
}
