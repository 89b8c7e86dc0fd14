//! Live capture errors (root or CAP_NET_RAW; HANDSHAKE_VIZ_SKIP_LIVE=1 skips them): a
//! nonexistent interface lists the real ones, a bad filter is a filter error with libpcap's
//! reason, an unwritable path fails before capturing, a demo on a non-loopback interface is a
//! usage error, and without capture permission (checked as an unprivileged user) opening lo is
//! a permission error.

#[path = "support/live_run.rs"]
mod live_run;

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use handshake_viz::Error;
use handshake_viz::capture::live::{self, LiveOptions, LiveSource};
use handshake_viz::demo::DemoKind;
use handshake_viz::live::run_live;
use live_run::{demo_config, live_enabled};

#[test]
fn nonexistent_interface_lists_the_real_ones() {
    if !live_enabled() {
        return;
    }
    let err = LiveSource::open(&LiveOptions::new("nosuch0")).unwrap_err();
    let Error::NoSuchInterface { iface, available } = &err else {
        panic!("expected NoSuchInterface, got {err:?}");
    };
    assert_eq!(iface, "nosuch0");
    assert!(available.split(", ").any(|n| n == "lo"), "{available}");
    assert!(err.to_string().contains("nosuch0"));
}

#[test]
fn bad_filter_is_a_filter_error_with_libpcap_reason() {
    if !live_enabled() {
        return;
    }
    let mut options = LiveOptions::new("lo");
    options.filter = Some("tcp port".into());
    let err = LiveSource::open(&options).unwrap_err();
    let Error::Filter { filter, reason } = &err else {
        panic!("expected Filter, got {err:?}");
    };
    assert_eq!(filter, "tcp port");
    assert!(reason.contains("syntax error"), "{reason}");

    // A bad user filter with a demo names the whole combined expression.
    let mut cfg = demo_config(DemoKind::Tcp, false);
    cfg.capture.filter = Some("port 99999".into());
    let err = run_live(&cfg, Arc::new(AtomicBool::new(false)), &mut |_| Ok(())).unwrap_err();
    assert!(
        matches!(&err, Error::Filter { reason, .. } if reason.contains("99999")),
        "{err:?}"
    );
}

#[test]
fn unwritable_path_fails_before_capturing() {
    if !live_enabled() {
        return;
    }
    let mut options = LiveOptions::new("lo");
    options.write = Some("/nonexistent/dir/x.pcap".into());
    let err = LiveSource::open(&options).unwrap_err();
    assert!(matches!(err, Error::Write { .. }), "{err:?}");
    assert!(err.to_string().contains("/nonexistent/dir/x.pcap"));
    // Checked before the interface is even opened.
    options.iface = "nosuch0".into();
    let err = LiveSource::open(&options).unwrap_err();
    assert!(matches!(err, Error::Write { .. }), "{err:?}");
    // And before any demo traffic.
    let mut cfg = demo_config(DemoKind::Tcp, false);
    cfg.capture.write = options.write.clone();
    let mut items = 0;
    let err = run_live(&cfg, Arc::new(AtomicBool::new(false)), &mut |_| {
        items += 1;
        Ok(())
    })
    .unwrap_err();
    assert!(matches!(err, Error::Write { .. }), "{err:?}");
    assert_eq!(items, 0);
}

#[test]
fn demo_on_a_non_loopback_interface_is_a_usage_error() {
    if !live_enabled() {
        return;
    }
    let interfaces = live::list_interfaces().unwrap();
    assert!(interfaces.iter().any(|i| i.name == "lo" && i.loopback));
    let other = interfaces
        .iter()
        .find(|i| !i.sees_loopback())
        .expect("a non-loopback capture interface (eth0, nflog, ...) to test with");
    let mut cfg = demo_config(DemoKind::Tcp, false);
    cfg.capture.iface = other.name.clone();
    let err = run_live(&cfg, Arc::new(AtomicBool::new(false)), &mut |_| Ok(())).unwrap_err();
    let Error::Usage(message) = &err else {
        panic!("expected Usage, got {err:?}");
    };
    assert!(
        message.contains(&other.name) && message.contains("lo"),
        "{message}"
    );
}

const PERMISSION_CHILD_ENV: &str = "HANDSHAKE_VIZ_TEST_PERMISSION_CHILD";

/// Runs only as the child of `no_capture_permission_is_a_permission_error`, without
/// CAP_NET_RAW: reports what opening lo returns.
#[test]
#[ignore = "helper process for no_capture_permission_is_a_permission_error"]
fn permission_probe_child() {
    if std::env::var(PERMISSION_CHILD_ENV).is_err() {
        return;
    }
    match LiveSource::open(&LiveOptions::new("lo")) {
        Ok(_) => println!("RESULT opened"),
        Err(e @ Error::Permission { .. }) => println!("RESULT Permission: {e}"),
        Err(e) => println!("RESULT other: {e:?}"),
    }
}

#[test]
fn no_capture_permission_is_a_permission_error() {
    if !live_enabled() {
        return;
    }
    let exe = std::env::current_exe().unwrap();
    let args = [
        "--exact",
        "permission_probe_child",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ];
    // Drop to nobody (no capabilities); fall back to dropping CAP_NET_RAW with capsh.
    let output = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(&exe)
        .args(args)
        .env(PERMISSION_CHILD_ENV, "1")
        .stdin(Stdio::null())
        .output()
        .or_else(|_| {
            let command = format!("'{}' {}", exe.display(), args.join(" "));
            Command::new("capsh")
                .args(["--drop=cap_net_raw", "--", "-c", &command])
                .env(PERMISSION_CHILD_ENV, "1")
                .stdin(Stdio::null())
                .output()
        })
        .expect("setpriv or capsh (util-linux / libcap2-bin) to drop capture rights");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let result = stdout
        .lines()
        .find_map(|l| l.find("RESULT").map(|at| &l[at..]))
        .unwrap_or_else(|| {
            panic!(
                "the unprivileged child said nothing: {stdout}{}",
                String::from_utf8_lossy(&output.stderr)
            )
        });
    assert!(result.starts_with("RESULT Permission: "), "{result}");
    assert!(
        result.contains("'lo'") && result.contains("setcap"),
        "{result}"
    );
}
