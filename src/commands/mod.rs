//! One file per subcommand, each with a `run` that joins the library's stages. This is the only place
//! that writes results to stdout.

mod classify;
mod crawl;
mod evaluate;
mod failures;
mod letters;
mod report;
mod review;
mod run;
mod serve;
mod train;

use crate::cli::{Cli, Command};
use anyhow::Result;
use headline_watch::config::Config;
use std::path::PathBuf;
use std::process::ExitCode;

/// How a command that did not fail ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0.
    Success,
    /// Exit 2: the run completed but some sources failed.
    Partial,
}

impl Outcome {
    pub fn exit_code(self) -> ExitCode {
        match self {
            Outcome::Success => ExitCode::SUCCESS,
            Outcome::Partial => ExitCode::from(2),
        }
    }
}

/// What every command gets: the loaded configuration and the resolved paths.
pub struct Context {
    pub config: Config,
    pub config_path: PathBuf,
    /// `--db` / `HEADLINE_WATCH_DB`, else `[storage] database`.
    pub db_path: PathBuf,
}

pub fn dispatch(cli: Cli) -> Result<Outcome> {
    let required = cli.config.is_some();
    let config_path = cli.config.unwrap_or_else(|| PathBuf::from("config.toml"));
    let config = Config::load(&config_path, required)?;
    // Paths from the file are already absolute (resolved against its folder); `--db` is relative to
    // the current folder, made absolute so every message names the file actually tried.
    let db_path = match cli.db {
        Some(db) => std::path::absolute(&db).unwrap_or(db),
        None => config.storage.database.clone(),
    };
    let ctx = Context {
        config,
        config_path,
        db_path,
    };
    match cli.command {
        Command::Run(args) => run::run(&ctx, args),
        Command::Crawl(args) => crawl::run(&ctx, args),
        Command::Classify(args) => classify::run(&ctx, args),
        Command::Train(args) => train::run(&ctx, args),
        Command::Evaluate(args) => evaluate::run(&ctx, args),
        Command::Report(args) => report::run(&ctx, args),
        Command::Review(args) => review::run(&ctx, args),
        Command::Letters(args) => letters::run(&ctx, args),
        Command::Serve(args) => serve::run(&ctx, args),
    }
}
