//! `headline-watch run`, what cron calls: take the run lock, crawl every due source, classify every
//! headline wording (new items and new versions of edited headlines) the current model has not classified, write the report for the period since the previous run's
//! report, record the run, and print one summary line on stderr.
//!
//! The lock is an exclusive OS file lock on `<database>.lock`, held for the whole run and released by the
//! OS when the process ends (even when killed), so a stale lock file never blocks the next run. A second
//! run started meanwhile exits 1 at once without touching the database.

use super::crawl::CountsExt;
use super::{crawl, report, Context, Outcome};
use crate::cli::RunArgs;
use anyhow::{Context as _, Result};
use chrono::Utc;
use headline_watch::classify::Model;
use headline_watch::report::period;
use headline_watch::store::runs::RunRecord;
use headline_watch::store::Store;
use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

/// Items classified per database transaction.
const CLASSIFY_BATCH: usize = 500;

/// The lock file of a database: `<database>.lock`, beside the database's real file (symlinks resolved),
/// so two paths to one database (a symlink, `..` components) take the same lock.
pub fn lock_path(db: &Path) -> PathBuf {
    let real = std::fs::canonicalize(db).unwrap_or_else(|_| {
        // Not created yet: resolve the folder, keep the name.
        let parent = db
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        match (std::fs::canonicalize(parent), db.file_name()) {
            (Ok(p), Some(name)) => p.join(name),
            _ => db.to_path_buf(),
        }
    });
    let mut name = real.into_os_string();
    name.push(".lock");
    PathBuf::from(name)
}

/// Takes the run lock or fails at once with a message naming the lock file.
fn acquire_lock(db: &Path) -> Result<File> {
    let path = lock_path(db);
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
    }
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("opening the lock file {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(TryLockError::WouldBlock) => anyhow::bail!(
            "another headline-watch run is in progress (lock {} held)",
            path.display()
        ),
        Err(TryLockError::Error(e)) => {
            Err(e).with_context(|| format!("locking {}", path.display()))
        }
    }
}

pub fn run(ctx: &Context, args: RunArgs) -> Result<Outcome> {
    let _lock = acquire_lock(&ctx.db_path)?;
    // Fail before crawling when there is no model to classify with.
    let source = ctx.config.narrative_config.model_source();
    let model = Model::load(&source, &ctx.config.narrative).with_context(|| {
        format!(
            "loading the model {} ([narrative] model in {})",
            source.display(),
            ctx.config_path.display()
        )
    })?;
    let mut store = Store::open(&ctx.db_path)?;
    let run_id = crawl::begin_run(&store, "run", true)?;
    let mut record = RunRecord::default();
    let mut totals = Default::default();
    let result = run_stages(
        ctx,
        &args,
        &mut store,
        run_id,
        &model,
        &mut record,
        &mut totals,
    );
    let partial = totals.any_failing();
    record.outcome = match &result {
        Err(_) => "failed",
        Ok(_) if partial => "partial",
        Ok(_) => "ok",
    }
    .to_string();
    if let Err(e) = &result {
        record.message = Some(format!("{e:#}"));
    }
    store.finish_run(run_id, Utc::now(), &record)?;
    result?;
    if tracing::enabled!(tracing::Level::INFO) {
        eprintln!(
            "headline-watch run {run_id}: {} sources ({} ok, {} not modified, {} failed, {} held back), {} items seen, {} new, {} classified, {} flagged; report {}",
            record.sources_ok
                + record.sources_not_modified
                + record.sources_failed
                + totals.sources_held_back as i64,
            record.sources_ok,
            record.sources_not_modified,
            record.sources_failed,
            totals.sources_held_back,
            record.items_seen,
            record.items_new,
            record.items_classified,
            record.items_flagged,
            record.report_path.as_deref().unwrap_or("written to stdout"),
        );
    }
    Ok(if partial {
        Outcome::Partial
    } else {
        Outcome::Success
    })
}

/// Flagged headlines of page sources first fetched in this long are checked for 404/410 on every run.
const PAGE_LINK_DAYS: i64 = 30;

/// Marks flagged page-source headlines whose own URL now answers 404 or 410 as gone (noted in reports,
/// never a correction). A failure here is logged, not fatal: the report matters more.
fn check_page_links(ctx: &Context, store: &Store) {
    let since = Utc::now() - chrono::Duration::days(PAGE_LINK_DAYS);
    let result = store
        .page_links_to_check(since)
        .and_then(|links| headline_watch::crawl::links::gone(links, &ctx.config.crawl))
        .and_then(|gone| store.mark_gone(&gone, Utc::now()));
    match result {
        Ok(0) => {}
        Ok(n) => tracing::info!("{n} flagged page headline(s) now answer 404/410: noted as gone"),
        Err(e) => tracing::warn!("checking flagged page headlines for 404/410: {e}"),
    }
}

fn run_stages(
    ctx: &Context,
    args: &RunArgs,
    store: &mut Store,
    run_id: i64,
    model: &Model,
    record: &mut RunRecord,
    counts: &mut headline_watch::store::crawl::RunCounts,
) -> Result<()> {
    let totals = crawl::crawl_into(ctx, store, run_id, &[], false).context("crawling")?;
    *counts = totals;
    record.sources_ok = totals.sources_ok as i64;
    record.sources_not_modified = totals.sources_not_modified as i64;
    record.sources_failed = totals.sources_failed as i64;
    record.items_new = totals.items_new as i64;
    record.items_seen = totals.items_seen as i64;

    let version = model.version();
    let threshold = ctx.config.narrative.threshold;
    let pending = store.unclassified_items(&version)?;
    for chunk in pending.chunks(CLASSIFY_BATCH) {
        let batch: Vec<_> = chunk
            .iter()
            .map(|p| (p.version_id, model.classify(&p.title, threshold)))
            .collect();
        record.items_flagged += batch.iter().filter(|(_, c)| c.flagged).count() as i64;
        record.items_classified +=
            store.insert_version_classifications(&version, &batch, Utc::now())? as i64;
    }

    check_page_links(ctx, store);

    let until = period::ceil_to_second(Utc::now());
    let since = period::default_since(store.previous_report_until(true)?, until, true);
    let path = report::write_report(
        ctx,
        store,
        since,
        until,
        until,
        args.format,
        args.output.as_deref(),
    )?;
    record.report_path = Some(
        path.map(|p| p.display().to_string())
            .unwrap_or_else(|| "-".into()),
    );
    Ok(())
}
