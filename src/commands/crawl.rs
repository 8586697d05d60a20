//! `headline-watch crawl`: fetch every due source once and store new items. Each source's items, fetch
//! log row and state are written in one transaction as soon as that source is done; a progress bar shows
//! on a terminal only; the summary and each failure (with the source's name) go to stderr. A source held
//! back (backoff after failing, or a host's Retry-After) is logged as a `skipped` fetch with why and until
//! when, and counted. Exit 2 when any source failed or is held back after failing (docs/CONTRACT.md).

use super::failures::FailureLog;
use super::{Context, Outcome};
use crate::cli::CrawlArgs;
use anyhow::{Context as _, Result};
use chrono::Utc;
use headline_watch::crawl::{self, fetch::Validators, FetchOutcome, Job, SourceResult};
use headline_watch::store::crawl::{FetchLog, RunCounts, SourceRow};
use headline_watch::store::runs::RunRecord;
use headline_watch::store::Store;
use headline_watch::text::collapse_whitespace as shown;
use std::io::IsTerminal;
use std::time::Duration;

pub fn run(ctx: &Context, args: CrawlArgs) -> Result<Outcome> {
    let counts = crawl_sources(ctx, &args.sources, args.force)?;
    Ok(if counts.any_failing() {
        Outcome::Partial
    } else {
        Outcome::Success
    })
}

/// `crawl`: opens the store, records a `runs` row, crawls, and prints the summary line.
pub fn crawl_sources(ctx: &Context, only: &[String], force: bool) -> Result<RunCounts> {
    let mut store = Store::open(&ctx.db_path)?;
    let run_id = begin_run(&store, "crawl", false)?;
    let counts = match crawl_into(ctx, &mut store, run_id, only, force) {
        Ok(c) => c,
        Err(e) => {
            let failed = RunRecord {
                outcome: "failed".to_string(),
                message: Some(format!("{e:#}")),
                ..RunRecord::default()
            };
            let _ = store.finish_run(run_id, Utc::now(), &failed);
            return Err(e);
        }
    };
    let record = RunRecord {
        outcome: if counts.any_failing() {
            "partial"
        } else {
            "ok"
        }
        .to_string(),
        sources_ok: counts.sources_ok as i64,
        sources_not_modified: counts.sources_not_modified as i64,
        sources_failed: counts.sources_failed as i64,
        items_new: counts.items_new as i64,
        items_seen: counts.items_seen as i64,
        ..RunRecord::default()
    };
    store.finish_run(run_id, Utc::now(), &record)?;
    if tracing::enabled!(tracing::Level::INFO) {
        eprintln!(
            "crawl: sources {} ok, {} not modified, {} failed, {} held back; items {} new, {} seen",
            counts.sources_ok,
            counts.sources_not_modified,
            counts.sources_failed,
            counts.sources_held_back,
            counts.items_new,
            counts.items_seen
        );
    }
    Ok(counts)
}

/// Opens a `runs` row (noting this process's id) and marks earlier rows whose process died as
/// `interrupted`. `holds_lock`: the caller holds the run lock, so no other `run` can be in progress.
pub fn begin_run(store: &Store, command: &str, holds_lock: bool) -> Result<i64> {
    let now = Utc::now();
    let id = store.start_run(command, now)?;
    store.note_run_pid(id, std::process::id())?;
    let n = store.mark_interrupted(id, now, holds_lock, process_alive)?;
    if n > 0 {
        tracing::warn!(
            "{n} earlier run(s) never finished (killed?): marked `interrupted` in the runs table"
        );
    }
    Ok(id)
}

/// Whether process `pid` runs; where that cannot be told (no `/proc`), it is assumed to.
fn process_alive(pid: u32) -> bool {
    let proc = std::path::Path::new("/proc");
    !proc.join("self").exists() || proc.join(pid.to_string()).exists()
}

/// Exit-code questions about a crawl's totals.
pub trait CountsExt {
    /// A source failed, or was held back because it had failed before: the run is partial (exit 2).
    fn any_failing(&self) -> bool;
}

impl CountsExt for RunCounts {
    fn any_failing(&self) -> bool {
        self.sources_failed > 0 || self.sources_held_back_failing > 0
    }
}

/// Why a source is not fetched now, for the log, the `fetches` row and the report.
fn held_back_reason(row: &SourceRow) -> String {
    let until = row
        .next_fetch_at
        .map(headline_watch::store::fmt_time)
        .unwrap_or_default();
    if row.failure_count > 0 {
        format!(
            "held back until {until} after {} failure(s) in a row (last error: {}); --force fetches now",
            row.failure_count,
            row.last_error.as_deref().unwrap_or("unknown")
        )
    } else {
        format!("held back until {until}: the host asked for a pause (Retry-After); --force fetches now")
    }
}

/// Crawls the due sources (or the named ones) into `store`, logging every fetch under `run_id`, and returns
/// the totals. A source's failure is stored and counted, never returned as an error. Used by `crawl` and `run`.
pub fn crawl_into(
    ctx: &Context,
    store: &mut Store,
    run_id: i64,
    only: &[String],
    force: bool,
) -> Result<RunCounts> {
    let mut sources = ctx.config.sources();
    if let Some(unknown) = only.iter().find(|n| !sources.iter().any(|s| &s.name == *n)) {
        anyhow::bail!(
            "{}: no source named {unknown:?} (see [[sources]] name)",
            ctx.config_path.display()
        );
    }
    if !only.is_empty() {
        sources.retain(|s| only.contains(&s.name));
    }
    if sources.is_empty() {
        tracing::warn!("no sources configured in {}", ctx.config_path.display());
    }
    let now = Utc::now();
    let rows = store
        .sync_sources(&sources, now)
        .with_context(|| format!("database {}", ctx.db_path.display()))?;
    let mut jobs = Vec::new();
    let mut counts = RunCounts::default();
    let mut log = FailureLog::default();
    let mut states = std::collections::HashMap::new();
    for (source, row) in sources.into_iter().zip(rows) {
        let due = force || row.next_fetch_at.is_none_or(|t| t <= now);
        if row.gone {
            tracing::warn!(
                "{}: answered 410 Gone ({}); fix or remove it in config.toml",
                shown(&row.name),
                shown(row.last_error.as_deref().unwrap_or("gone"))
            );
        }
        if !due {
            let reason = held_back_reason(&row);
            log.held_back(&row.name, &reason);
            store
                .record_held_back(run_id, row.id, &row.url, now, &reason)
                .with_context(|| format!("database {}", ctx.db_path.display()))?;
            counts.sources_held_back += 1;
            if row.failure_count > 0 {
                counts.sources_held_back_failing += 1;
            }
            continue;
        }
        jobs.push(Job {
            source_id: row.id,
            url: row.url.clone(),
            validators: Validators {
                etag: row.etag.clone(),
                last_modified: row.last_modified.clone(),
            },
            body_hash: row.body_hash.clone(),
            source,
        });
        states.insert(row.id, row);
    }
    let progress = progress_bar(jobs.len() as u64);
    let cfg = &ctx.config.crawl;
    let mut store_error: Option<anyhow::Error> = None;
    crawl::crawl(jobs, cfg, |result| {
        let Some(row) = states.get(&result.job.source_id) else {
            return;
        };
        match store_result(store, run_id, row, &result, cfg) {
            Ok(new) => {
                tally(&mut counts, &result, row, new);
                if let Some(err) = result
                    .error
                    .as_deref()
                    .filter(|_| result.outcome != FetchOutcome::Skipped)
                {
                    log.failed(&result.job.source.name, err);
                } else if result.outcome == FetchOutcome::Skipped {
                    log.held_back(
                        &result.job.source.name,
                        result.error.as_deref().unwrap_or("skipped"),
                    );
                }
            }
            Err(e) => {
                if store_error.is_none() {
                    store_error = Some(e.context(format!("database {}", ctx.db_path.display())));
                }
            }
        }
        progress.inc(1);
    })?;
    progress.finish_and_clear();
    // Printed once the crawl is done, so that many sources failing alike make one line, not a screenful.
    let attempted = counts.sources_ok
        + counts.sources_not_modified
        + counts.sources_failed
        + counts.sources_held_back;
    let (errors, warnings) = log.lines(attempted);
    for line in errors {
        eprintln!("{line}");
    }
    for line in warnings {
        tracing::warn!("{line}");
    }
    if let Some(e) = store_error {
        return Err(e);
    }
    Ok(counts)
}

fn tally(counts: &mut RunCounts, r: &SourceResult, row: &SourceRow, new: usize) {
    match r.outcome {
        FetchOutcome::Ok => counts.sources_ok += 1,
        FetchOutcome::NotModified | FetchOutcome::Unchanged => counts.sources_not_modified += 1,
        FetchOutcome::Failed | FetchOutcome::Gone => counts.sources_failed += 1,
        FetchOutcome::Skipped => {
            counts.sources_held_back += 1;
            if row.failure_count > 0 {
                counts.sources_held_back_failing += 1;
            }
        }
    }
    counts.items_new += new;
    counts.items_seen += r.items_seen;
}

/// Writes one result; failures move `next_fetch_at` by exponential backoff (or the host's Retry-After).
fn store_result(
    store: &mut Store,
    run_id: i64,
    row: &SourceRow,
    r: &SourceResult,
    cfg: &headline_watch::config::CrawlConfig,
) -> Result<usize> {
    let failed = matches!(r.outcome, FetchOutcome::Failed | FetchOutcome::Gone);
    let failure_count = if failed {
        row.failure_count.saturating_add(1)
    } else if r.outcome == FetchOutcome::Skipped {
        row.failure_count
    } else {
        0
    };
    let backoff_until = failed.then(|| {
        let wait = if r.outcome == FetchOutcome::Gone {
            Duration::from_secs(cfg.backoff_max_secs)
        } else {
            crawl::backoff(
                failure_count,
                Duration::from_secs(cfg.backoff_base_secs),
                Duration::from_secs(cfg.backoff_max_secs),
            )
        };
        r.finished_at
            + chrono::Duration::from_std(wait).unwrap_or_else(|_| chrono::Duration::days(1))
    });
    let next_fetch_at = match (backoff_until, r.retry_at) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    let log = FetchLog {
        run_id: Some(run_id),
        source_id: row.id,
        url: &r.url,
        started_at: r.started_at,
        finished_at: r.finished_at,
        http_status: r.http_status,
        outcome: r.outcome.as_str(),
        error: r.error.as_deref(),
        bytes: r.bytes,
        items_seen: r.items_seen,
        etag: r.etag.as_deref(),
        last_modified: r.last_modified.as_deref(),
        body_hash: r.body_hash.as_deref(),
        moved_to: r.moved_to.as_deref(),
        feed_title: r.feed_title.as_deref(),
        failure_count,
        next_fetch_at,
    };
    Ok(store.record_fetch(&log, &r.items)?)
}

fn progress_bar(len: u64) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("crawl {bar:30} {pos}/{len} sources {elapsed}")
    {
        bar.set_style(style);
    }
    bar
}
