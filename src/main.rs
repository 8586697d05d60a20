//! The binary: parse the command line, set up logging, run one command, map its result to an exit code
//! (docs/CONTRACT.md: 0 success, 1 failure, 2 completed with some sources failed, 64 usage error).

mod cli;
mod commands;

use clap::Parser;
use std::process::ExitCode;

/// A command line that cannot be parsed (sysexits.h `EX_USAGE`). Not clap's default 2, which cron and
/// systemd read as "the run completed, some sources failed".
const EXIT_USAGE: u8 = 64;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // `--help` and `--version` are answers on stdout, not errors.
            let _ = err.print();
            return if err.use_stderr() {
                ExitCode::from(EXIT_USAGE)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    init_logging(cli.verbose, cli.quiet);
    match commands::dispatch(cli) {
        Ok(outcome) => outcome.exit_code(),
        Err(err) => {
            // One line: what failed and where (anyhow's `{:#}` joins the context chain).
            eprintln!("headline-watch: error: {err:#}");
            ExitCode::from(1)
        }
    }
}

fn init_logging(verbose: u8, quiet: bool) {
    let default = if quiet {
        "error"
    } else {
        match verbose {
            0 => "info",
            1 => "debug",
            _ => "trace",
        }
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("HEADLINE_WATCH_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    // Colours only for a person at a terminal: cron and systemd logs get plain text.
    use std::io::IsTerminal;
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .with_target(false)
        .without_time()
        .init();
}
