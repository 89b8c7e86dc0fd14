//! The `handshake-viz` binary: parse arguments, resolve them with the environment into plain
//! configuration, run, and map the outcome to an exit code.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;
use std::time::Duration;

use clap::{CommandFactory, Parser};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use handshake_viz::capture::live::list_interfaces;
use handshake_viz::cli::{Cli, ColorChoice, Command, Environment, LiveArgs, LiveRequest};
use handshake_viz::live::report_live;
use handshake_viz::progress;
use handshake_viz::read::{ReadOptions, read_file};
use handshake_viz::render::words::lesson::demo_list;
use handshake_viz::text::escape_str;
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
            eprintln!("handshake-viz: {}", escape_str(&e.to_string()));
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

/// What the environment says about the output: colour, locale, widths.
fn environment(color: ColorChoice) -> Environment {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    Environment {
        color: use_color(color),
        locale: var("LC_ALL")
            .or_else(|| var("LC_MESSAGES"))
            .or_else(|| var("LANG")),
        terminal_width: io::stdout()
            .is_terminal()
            .then(|| terminal_size::terminal_size().map(|(w, _)| w.0))
            .flatten(),
        columns: var("COLUMNS").and_then(|c| c.trim().parse().ok()),
        terminal: io::stdout().is_terminal(),
    }
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Read(args) => {
            let view = args
                .view
                .to_config(&environment(args.view.color))
                .map_err(Error::Usage)?;
            // The bar goes to a terminal on stderr, when stdout does not show the report
            // as it is made (it is redirected, or only the end is written).
            let quiet_until_end = args.view.summary_only
                || matches!(args.view.view, handshake_viz::cli::ViewArg::Ladder);
            let options = ReadOptions {
                filter: args.filter.clone(),
                limits: args.limits.to_limits(),
                progress: (!view.json
                    && io::stderr().is_terminal()
                    && (!io::stdout().is_terminal() || quiet_until_end))
                    .then_some(progress_delay()?),
            };
            let stdout = io::stdout();
            let mut out = io::BufWriter::new(stdout.lock());
            let json = view.json;
            let counts = read_file(&args.file, view, &options, &mut out)?;
            out.flush()?;
            // The text totals say it; JSON records say it one by one: say it once here too.
            if json && counts.tracker.evicted > 0 {
                eprintln!(
                    "handshake-viz: {} conversations evicted past --max-connections {} (their \
                     records say \"retired\":\"evicted\")",
                    counts.tracker.evicted, counts.tracker.cap
                );
            }
            Ok(())
        }
        Command::Live(args) => live(args),
        Command::Completions { shell } => {
            let mut cmd = Cli::command();
            let mut out = io::stdout().lock();
            clap_complete::generate(shell, &mut cmd, "handshake-viz", &mut out);
            Ok(())
        }
        Command::Man { dir: None } => {
            let mut out = io::stdout().lock();
            clap_mangen::Man::new(Cli::command()).render(&mut out)?;
            Ok(())
        }
        Command::Man { dir: Some(dir) } => write_man_pages(&dir),
        Command::Interfaces => {
            let stdout = io::stdout();
            let mut out = stdout.lock();
            for (i, iface) in list_interfaces()?.iter().enumerate() {
                let mut line = format!("{}. {}", i + 1, escape_str(&iface.name));
                if let Some(desc) = &iface.description {
                    line.push_str(&format!(" ({})", escape_str(desc)));
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

/// Writes the manual pages: the command's and one per subcommand.
fn write_man_pages(dir: &std::path::Path) -> Result<()> {
    let write_error = |path: &std::path::Path, e: io::Error| Error::Write {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    let cmd = Cli::command();
    let mut pages = vec![("handshake-viz".to_string(), cmd.clone())];
    for sub in cmd.get_subcommands() {
        let name = format!("handshake-viz-{}", sub.get_name());
        pages.push((name.clone(), sub.clone().name(name)));
    }
    for (name, page) in pages {
        let path = dir.join(format!("{name}.1"));
        let mut text = Vec::new();
        clap_mangen::Man::new(page).render(&mut text)?;
        std::fs::write(&path, text).map_err(|e| write_error(&path, e))?;
    }
    Ok(())
}

fn live(args: LiveArgs) -> Result<()> {
    let view = args
        .view
        .to_config(&environment(args.view.color))
        .map_err(Error::Usage)?;
    let cfg = match args.to_config().map_err(Error::Usage)? {
        LiveRequest::List => {
            let mut out = io::stdout().lock();
            out.write_all(demo_list(view.lang.words()).as_bytes())?;
            return Ok(());
        }
        LiveRequest::Capture(cfg) => *cfg,
    };

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
        eprintln!("handshake-viz: demo: {}", escape_str(problem));
    }
    Ok(())
}

/// How long a read goes before its progress bar appears ([`progress::DELAY_VARIABLE`]).
fn progress_delay() -> Result<Duration> {
    let value = std::env::var(progress::DELAY_VARIABLE).ok();
    progress::delay_from(value.as_deref()).map_err(Error::Usage)
}
