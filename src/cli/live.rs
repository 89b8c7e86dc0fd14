//! `live` arguments resolved into the capture and demo configuration.

use super::{DemoArg, LiveArgs};
use crate::capture::live::LiveOptions;
use crate::demo::{DemoConfig, DemoKind};
use crate::live::LiveConfig;
use crate::privileges::PrivilegePlan;

/// What `live` was asked to do.
#[derive(Debug, Clone, PartialEq)]
pub enum LiveRequest {
    /// `--demo list`: print the demos.
    List,
    /// Capture (with a demo or not).
    Capture(Box<LiveConfig>),
}

/// `--loss`: `10%` or `0.1`.
pub fn parse_loss(text: &str) -> Result<f64, String> {
    let bad = || format!("'{text}': give a fraction like 0.1 or a percentage like 10%");
    let value = match text.trim().strip_suffix('%') {
        Some(percent) => percent.trim().parse::<f64>().map_err(|_| bad())? / 100.0,
        None => {
            let v: f64 = text.trim().parse().map_err(|_| bad())?;
            if v > 1.0 {
                return Err(format!(
                    "'{text}': a fraction is at most 1; for percent write {v}%"
                ));
            }
            v
        }
    };
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(bad())
    }
}

impl LiveArgs {
    /// The capture and demo configuration these arguments ask for.
    pub fn to_config(&self) -> Result<LiveRequest, String> {
        let kind = match self.demo {
            Some(DemoArg::List) => return Ok(LiveRequest::List),
            Some(arg) => arg.kind(),
            None => None,
        };
        let demo = kind.map(|kind| self.demo_config(kind)).transpose()?;
        let iface = match (&self.interface, &demo) {
            (Some(iface), _) => iface.clone(),
            (None, Some(demo)) => demo.default_interface(),
            (None, None) => {
                return Err(
                    "give an interface to capture on (lo, eth0, any; see `handshake-viz \
                     interfaces`), or a --demo (see `handshake-viz live --demo list`)"
                        .into(),
                );
            }
        };
        let mut capture = LiveOptions::new(iface);
        capture.filter = self.filter.clone();
        capture.snaplen = self.snaplen;
        capture.count = self.count;
        capture.duration = match self.duration {
            Some(secs) if secs.is_finite() && secs > 0.0 => {
                Some(std::time::Duration::from_secs_f64(secs))
            }
            Some(secs) => {
                return Err(format!(
                    "--duration {secs}: give a positive number of seconds"
                ));
            }
            None => None,
        };
        capture.write = self.write.clone();
        let mut privileges =
            PrivilegePlan::new(self.user.as_deref(), &|name| std::env::var(name).ok())
                .map_err(|e| e.to_string())?;
        privileges.outputs.extend(self.write.clone());
        privileges.outputs.extend(self.view.svg.clone());
        privileges.outputs.extend(self.view.html.clone());
        let mut cfg = LiveConfig::new(capture);
        cfg.demo = demo;
        cfg.privileges = privileges;
        cfg.limits = self.limits.to_limits();
        Ok(LiveRequest::Capture(Box::new(cfg)))
    }

    /// The demo of `kind` with the options given; options that do not apply to it are
    /// refused rather than ignored.
    fn demo_config(&self, kind: DemoKind) -> Result<DemoConfig, String> {
        let name = kind.name();
        let not_for = |option: &str, for_what: &str| {
            Err(format!("{option} is for {for_what}, not for --demo {name}"))
        };
        let mut demo = DemoConfig::new(kind);
        if !self.message.is_empty() {
            if !kind.takes_messages() {
                return not_for(
                    "--message",
                    "--demo tcp, udp, sticky, framing, udp-boundaries",
                );
            }
            demo.messages = self.message.clone();
        }
        if self.ipv6 {
            demo.ipv6 = true;
        }
        if let Some(port) = self.port {
            if kind == DemoKind::Refused {
                return not_for("--port", "the demos with a server");
            }
            demo.port = Some(port);
        }
        if let Some(clients) = self.clients {
            if kind != DemoKind::Concurrent {
                return not_for("--clients", "--demo concurrent");
            }
            demo.clients = clients;
        }
        if self.loss.is_some() || self.seed.is_some() {
            if kind != DemoKind::Lossy {
                return not_for("--loss and --seed", "--demo lossy");
            }
            demo.loss = self.loss.unwrap_or(demo.loss);
            demo.seed = self.seed.unwrap_or(demo.seed);
        }
        demo.netns_prefix = self.netns_prefix.clone();
        demo.validate().map_err(|e| e.to_string())?;
        Ok(demo)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Cli, Command};
    use super::*;
    use clap::Parser;

    fn live(args: &[&str]) -> Result<LiveRequest, String> {
        let mut argv = vec!["handshake-viz", "live"];
        argv.extend_from_slice(args);
        match Cli::try_parse_from(argv)
            .map_err(|e| e.to_string())?
            .command
        {
            Command::Live(args) => args.to_config(),
            _ => unreachable!("a live command"),
        }
    }

    fn capture(args: &[&str]) -> LiveConfig {
        match live(args) {
            Ok(LiveRequest::Capture(cfg)) => *cfg,
            other => panic!("{args:?}: {other:?}"),
        }
    }

    #[test]
    fn max_connections_reaches_the_tracker_limits() {
        assert_eq!(capture(&["lo"]).limits, crate::flow::Limits::default());
        let cfg = capture(&["lo", "--max-connections", "500"]);
        assert_eq!(cfg.limits, crate::flow::Limits::with_max_connections(500));
        assert_eq!(cfg.limits.max_connections, 500);
    }

    #[test]
    fn loss_takes_percentages_and_fractions() {
        assert_eq!(parse_loss("10%"), Ok(0.1));
        assert_eq!(parse_loss("0.1"), Ok(0.1));
        assert_eq!(parse_loss(" 25 % "), Ok(0.25));
        assert_eq!(parse_loss("0"), Ok(0.0));
        assert!(parse_loss("10").unwrap_err().contains("10%"));
        assert!(parse_loss("-1%").is_err());
        assert!(parse_loss("x").is_err());
        assert!(parse_loss("nan").is_err());
    }

    #[test]
    fn demos_pick_their_interface_and_options_apply_where_they_mean_something() {
        assert_eq!(live(&["--demo", "list"]), Ok(LiveRequest::List));
        assert_eq!(capture(&["--demo", "two-hosts"]).capture.iface, "hvz-a");
        assert_eq!(capture(&["--demo", "sticky"]).capture.iface, "lo");
        assert_eq!(capture(&["eth0", "--demo", "tcp"]).capture.iface, "eth0");
        let lossy = capture(&["--demo", "lossy", "--loss", "20%", "--seed", "7"]);
        let demo = lossy.demo.unwrap();
        assert_eq!((demo.loss, demo.seed), (0.2, 7));
        let c = capture(&["--demo", "concurrent", "--clients", "5"]);
        assert_eq!(c.demo.unwrap().clients, 5);
        assert_eq!(
            capture(&["--demo", "close-4way"]).demo.unwrap().kind,
            DemoKind::Close4Way
        );
        assert!(live(&[]).unwrap_err().contains("interface"));
        assert!(
            live(&["--demo", "tcp", "--clients", "2"])
                .unwrap_err()
                .contains("concurrent")
        );
        assert!(
            live(&["--demo", "sticky", "--seed", "2"])
                .unwrap_err()
                .contains("lossy")
        );
        assert!(
            live(&["--demo", "refused", "-m", "x"])
                .unwrap_err()
                .contains("--message")
        );
        assert!(
            live(&["--demo", "tcp", "-m", ""])
                .unwrap_err()
                .contains("EOF")
        );
        assert!(live(&["--demo", "lossy", "--loss", "90%"]).is_err());
        assert!(live(&["--demo", "concurrent", "--clients", "99"]).is_err());
        assert!(live(&["lo", "--duration", "-1"]).is_err());
    }
}
