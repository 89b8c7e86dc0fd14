//! The `handshake-viz` binary: parse arguments, resolve them with the environment into plain
//! configuration, run, and map the outcome to an exit code.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use handshake_viz::capture::live::{LiveOptions, list_interfaces};
use handshake_viz::cli::{Cli, ColorChoice, Command, DemoArg, LiveArgs};
use handshake_viz::demo::{DemoConfig, DemoKind};
use handshake_viz::error::escape_control;
use handshake_viz::live::{LiveConfig, report_live};
use handshake_viz::read::{ReadOptions, read_file};
use handshake_viz::{Error, Result};

/// Exit code when part of the input was analyzed before an error (a cut capture file).
const EXIT_PARTIAL: u8 = 1;
/// Exit code for errors.
const EXIT_ERROR: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.is_broken_pipe() => ExitCode::SUCCESS,
        Err(e) => {
            let _ = io::stdout().flush();
            eprintln!("handshake-viz: {}", escape_control(&e.to_string()));
            ExitCode::from(if e.is_partial() {
                EXIT_PARTIAL
            } else {
                EXIT_ERROR
            })
        }
    }
}

/// Whether to colour stdout: `auto` follows the terminal, NO_COLOR and CLICOLOR_FORCE.
fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => !matches!(
            anstream::AutoStream::choice(&io::stdout()),
            anstream::ColorChoice::Never
        ),
    }
}

/// Terminal width for wrapping the summary table, when stdout is a terminal.
fn table_width() -> Option<u16> {
    if !io::stdout().is_terminal() {
        return None;
    }
    terminal_size::terminal_size().map(|(w, _)| w.0)
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Read(args) => {
            let view = args
                .view
                .to_config(use_color(args.view.color))
                .map_err(Error::Usage)?;
            let options = ReadOptions {
                filter: args.filter.clone(),
                table_width: table_width(),
            };
            let stdout = io::stdout();
            let mut out = io::BufWriter::new(stdout.lock());
            read_file(&args.file, view, &options, &mut out)?;
            out.flush()?;
            Ok(())
        }
        Command::Live(args) => live(args),
        Command::Interfaces => {
            let stdout = io::stdout();
            let mut out = stdout.lock();
            for (i, iface) in list_interfaces()?.iter().enumerate() {
                let mut line = format!("{}. {}", i + 1, iface.name);
                if let Some(desc) = &iface.description {
                    line.push_str(&format!(" ({desc})"));
                }
                line.push_str(&format!(" [{}]", iface.flags_text()));
                let addrs: Vec<String> =
                    iface.addresses.iter().map(|a| a.addr.to_string()).collect();
                if !addrs.is_empty() {
                    line.push_str(&format!(" {}", addrs.join(", ")));
                }
                writeln!(out, "{line}")?;
            }
            Ok(())
        }
    }
}

fn live(args: LiveArgs) -> Result<()> {
    let view = args
        .view
        .to_config(use_color(args.view.color))
        .map_err(Error::Usage)?;
    let mut capture = LiveOptions::new(&args.interface);
    capture.filter = args.filter.clone();
    capture.snaplen = args.snaplen;
    capture.count = args.count;
    capture.duration = match args.duration {
        Some(secs) if secs.is_finite() && secs > 0.0 => Some(Duration::from_secs_f64(secs)),
        Some(secs) => {
            return Err(Error::Usage(format!(
                "--duration {secs}: give a positive number of seconds"
            )));
        }
        None => None,
    };
    capture.write = args.write.clone();
    let mut cfg = LiveConfig::new(capture);
    cfg.demo = args.demo.map(|kind| {
        let kind = match kind {
            DemoArg::Tcp => DemoKind::Tcp,
            DemoArg::Udp => DemoKind::Udp,
        };
        let mut demo = DemoConfig::new(kind);
        demo.ipv6 = args.ipv6;
        demo.port = args.port;
        if !args.message.is_empty() {
            demo.messages = args.message.clone();
        }
        demo
    });

    // Ctrl-C or SIGTERM stops the capture cleanly; a second one exits at once.
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    ctrlc::set_handler(move || {
        if flag.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
    })
    .map_err(|e| Error::Usage(format!("cannot install the Ctrl-C handler: {e}")))?;

    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let report = report_live(&cfg, view, stop, &mut out)?;
    out.flush()?;
    for problem in &report.demo_errors {
        eprintln!("handshake-viz: demo: {}", escape_control(problem));
    }
    Ok(())
}
