//! The views through the command line: language from the locale, width from COLUMNS, the
//! ladder, the legend, shell completions and the manual page.

use std::process::Command;

use handshake_viz::text::display_width;

fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_handshake-viz"));
    for var in ["LC_ALL", "LC_MESSAGES", "LANG", "COLUMNS", "NO_COLOR"] {
        cmd.env_remove(var);
    }
    cmd.env("TZ", "UTC");
    cmd
}

fn stdout(cmd: &mut Command) -> String {
    let out = cmd.output().expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn the_locale_chooses_chinese_and_lang_overrides_it() {
    let zh = stdout(
        bin()
            .env("LANG", "zh_CN.UTF-8")
            .args(["read", "fixtures/tcp-echo.pcap"]),
    );
    assert!(zh.contains("握手 1/3") && zh.contains("挥手"), "{zh}");
    let zh = stdout(
        bin()
            .env("LC_ALL", "zh_TW")
            .args(["read", "fixtures/tcp-echo.pcap"]),
    );
    assert!(zh.contains("握手 1/3"));
    let en = stdout(bin().env("LANG", "zh_CN.UTF-8").args([
        "read",
        "fixtures/tcp-echo.pcap",
        "--lang",
        "en",
    ]));
    assert!(en.contains("handshake 1/3") && !en.contains("握手"));
    let c = stdout(
        bin()
            .env("LANG", "C")
            .args(["read", "fixtures/tcp-echo.pcap"]),
    );
    assert!(c.contains("handshake 1/3"));
}

#[test]
fn columns_sets_the_width_and_width_overrides_it() {
    let text = stdout(
        bin()
            .env("COLUMNS", "80")
            .args(["read", "fixtures/tcp-lossy.pcap"]),
    );
    assert!(text.lines().all(|l| display_width(l) <= 80));
    assert!(
        text.contains("retransmission"),
        "the explanation is on screen"
    );
    let text = stdout(bin().env("COLUMNS", "80").args([
        "read",
        "fixtures/tcp-lossy.pcap",
        "--width",
        "120",
    ]));
    assert!(text.lines().all(|l| display_width(l) <= 120));
    assert!(text.lines().any(|l| display_width(l) > 80));
    let unlimited = stdout(bin().args(["read", "fixtures/tcp-lossy.pcap"]));
    assert!(
        unlimited.lines().any(|l| display_width(l) > 120),
        "piped: one line per packet"
    );
}

#[test]
fn ladder_view_draws_lanes_and_arrows_within_the_width() {
    let text = stdout(bin().args([
        "read",
        "fixtures/tcp-echo.pcap",
        "--view",
        "ladder",
        "--width",
        "80",
        "--lang",
        "zh",
    ]));
    assert!(text.lines().all(|l| display_width(l) <= 80));
    assert_eq!(text.matches("▶").count() + text.matches("◀").count(), 10);
    for state in [
        "SYN-SENT",
        "SYN-RECEIVED",
        "ESTABLISHED",
        "TIME-WAIT",
        "LISTEN",
    ] {
        assert!(text.contains(state), "{state}");
    }
    assert!(text.contains("客户端") && text.contains("服务器"));
}

#[test]
fn legend_explains_only_what_appears() {
    let text = stdout(bin().args(["read", "fixtures/tcp-echo.pcap", "--legend", "always"]));
    let legend = &text[text.rfind("\nlegend\n").expect("a legend")..];
    assert!(legend.contains("SYN-SENT") && legend.contains("TIME-WAIT"));
    assert!(!legend.contains("CLOSING"), "no state that did not appear");
    assert!(legend.contains("SF ") && !legend.contains("REJ"));
    let none = stdout(bin().args(["read", "fixtures/tcp-echo.pcap", "--legend", "never"]));
    assert!(!none.contains("\nlegend\n"));
    let piped = stdout(bin().args(["read", "fixtures/tcp-echo.pcap"]));
    assert!(!piped.contains("\nlegend\n"), "auto: no legend when piped");
}

#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish"] {
        let script = stdout(bin().args(["completions", shell]));
        assert!(script.contains("handshake-viz"), "{shell}");
        let (view, lang) = if shell == "fish" {
            ("-l view", "-l lang")
        } else {
            ("--view", "--lang")
        };
        assert!(script.contains(view) && script.contains(lang), "{shell}");
    }
    let man = stdout(bin().arg("man"));
    assert!(
        man.starts_with(".ie") || man.contains(".TH handshake-viz"),
        "{man}"
    );
    let dir = tempfile::tempdir().unwrap();
    stdout(bin().args(["man", "--dir"]).arg(dir.path()));
    for page in [
        "handshake-viz.1",
        "handshake-viz-read.1",
        "handshake-viz-live.1",
    ] {
        let text = std::fs::read_to_string(dir.path().join(page)).expect(page);
        assert!(text.contains(".TH"), "{page}");
    }
}
