//! README.md stays true: its example timeline and JSON are the real output, and its test
//! command is the one CI runs.

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
        readme.contains("\nsudo bash .ci/run\n"),
        "README's quick start runs the tests through .ci/run"
    );
    assert!(
        readme.contains("`cargo test --locked` (what CI runs"),
        "README gives the test command"
    );
    assert!(ci.contains("TEST_CMD=(cargo test --locked)"), "CI runs it");
}

#[test]
fn readme_json_example_is_the_real_output() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let start = readme.find("```json\n").expect("README shows JSON") + "```json\n".len();
    let block = &readme[start..];
    let block = &block[..block.find("```").unwrap()];
    let out = Command::new(env!("CARGO_BIN_EXE_handshake-viz"))
        .args(["read", "fixtures/tcp-echo.pcap", "--json"])
        .output()
        .unwrap();
    let out = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    for example in block.lines() {
        assert!(
            lines.contains(&example),
            "README's JSON line is not in the output:\n{example}"
        );
    }
    assert_eq!(block.lines().count(), 2, "a packet and a connection");
}

/// The ```text block that follows `heading` in README.md.
fn block_after(readme: &str, heading: &str) -> String {
    let at = readme
        .find(heading)
        .unwrap_or_else(|| panic!("README has {heading}"));
    let rest = &readme[at..];
    let start = rest.find("```text\n").expect("a text block follows") + "```text\n".len();
    let block = &rest[start..];
    block[..block.find("```").unwrap()].to_string()
}

/// The lines of `block` appear, in order and one after another, in the output of `args`.
fn assert_excerpt_of(block: &str, args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_handshake-viz"))
        .args(args)
        .env("TZ", "UTC")
        .output()
        .unwrap();
    let out = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    let want: Vec<&str> = block.lines().collect();
    assert!(
        lines.windows(want.len()).any(|w| w == want.as_slice()),
        "README's excerpt is not in the output of {args:?}:\n{block}\n--- output:\n{out}"
    );
}

#[test]
fn readme_view_examples_are_real_output() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let echo = "fixtures/tcp-echo.pcap";
    assert_excerpt_of(
        &block_after(&readme, "### Timeline and width"),
        &["read", echo, "--color", "never", "--width", "80"],
    );
    assert_excerpt_of(
        &block_after(&readme, "### Ladder (`--view ladder`)"),
        &[
            "read",
            "fixtures/demo-tcp.pcapng",
            "--color",
            "never",
            "--width",
            "80",
            "--view",
            "ladder",
        ],
    );
    assert_excerpt_of(
        &block_after(&readme, "### 中文 (`--lang zh`)"),
        &[
            "read", echo, "--color", "never", "--width", "100", "--lang", "zh",
        ],
    );
}
