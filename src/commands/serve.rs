//! `headline-watch serve`: the review desk in a browser (the library's `serve` module), or with
//! `--hash-password` an argon2 hash of a password read from stdin for `[[serve.users]]`.
//!
//! It prints `listening on http://ADDR:PORT/` on stderr once it accepts connections (CONTRACT.md), so a
//! script or test can wait for that line; `--listen 127.0.0.1:0` picks a free port.

use super::report::write_report;
use super::{Context, Outcome};
use crate::cli::{ReportFormat, ServeArgs};
use anyhow::{Context as _, Result};
use chrono::Utc;
use headline_watch::report::period;
use headline_watch::serve::{self, Desk};
use headline_watch::store::Store;
use std::io::{BufRead, Write};
use std::net::SocketAddr;
use std::sync::Arc;

pub fn run(ctx: &Context, args: ServeArgs) -> Result<Outcome> {
    if args.hash_password {
        return hash_password();
    }
    let listen = args
        .listen
        .unwrap_or_else(|| ctx.config.serve.listen.clone());
    let addr: SocketAddr = listen
        .trim()
        .parse()
        .with_context(|| format!("--listen {listen:?} is not ADDR:PORT (e.g. 127.0.0.1:8080)"))?;
    let store = Store::open(&ctx.db_path)?;
    let report_ctx = Context {
        config: ctx.config.clone(),
        config_path: ctx.config_path.clone(),
        db_path: ctx.db_path.clone(),
    };
    let writer: serve::ReportWriter = Box::new(move |format: &str| {
        write_today(&report_ctx, format)
            .map_err(|e| headline_watch::error::Error::Other(format!("{e:#}")))
    });
    let desk = Desk::new(store, ctx.config.clone(), writer)?;
    serve::check_exposure(addr, desk.requires_login())?;
    if !addr.ip().is_loopback() && !ctx.config.serve.secure_cookie {
        tracing::warn!(
            "the desk is reachable beyond this machine and its session cookie is not marked Secure: \
             put it behind HTTPS and set [serve] secure_cookie = true"
        );
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        let bound = listener.local_addr().context("reading the bound address")?;
        // The line CONTRACT.md promises; scripts wait for it.
        eprintln!("listening on http://{bound}/");
        serve::run(listener, Arc::new(desk)).await?;
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(Outcome::Success)
}

/// `report` with no arguments, in `format`: the period since the previous report (else 24 hours), into
/// `[report] dir`.
fn write_today(ctx: &Context, format: &str) -> Result<std::path::PathBuf> {
    let format = match format {
        "md" => ReportFormat::Md,
        "json" => ReportFormat::Json,
        "csv" => ReportFormat::Csv,
        _ => ReportFormat::Html,
    };
    let store = Store::open(&ctx.db_path)?;
    let now = Utc::now();
    let previous = store.previous_report_until(false)?;
    let (since, until) = period::resolve(None, None, previous, now).map_err(anyhow::Error::msg)?;
    write_report(ctx, &store, since, until, now, format, None)?
        .context("the report was not written to a file")
}

/// Reads one line from stdin and prints its hash on stdout.
fn hash_password() -> Result<Outcome> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password from stdin")?;
    let password = line.trim_end_matches(['\r', '\n']);
    if password.is_empty() {
        anyhow::bail!("no password on stdin (give it as one line)");
    }
    let hash = serve::auth::hash_password(password)?;
    writeln!(std::io::stdout().lock(), "{hash}")?;
    Ok(Outcome::Success)
}
