//! The `handshake-viz` binary: parse arguments, resolve them with the environment into plain
//! configuration, run, and map the outcome to an exit code.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use handshake_viz::cli::{Cli, ColorChoice, Command};
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
            eprintln!("handshake-viz: {e}");
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
    }
}
