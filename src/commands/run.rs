//! `headline-watch run`, what cron calls: take the run lock, crawl every due source, classify every item
//! the current model has not classified, write the report for the period since the previous run's
//! report, record the run, and print one summary line on stderr.
//!
//! The lock is an exclusive OS file lock on `<database>.lock`, held for the whole run and released by the
//! OS when the process ends (even when killed), so a stale lock file never blocks the next run. A second
//! run started meanwhile exits 1 at once without touching the database.

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

/// The lock file of a database: `<database>.lock`.
pub fn lock_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
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
    let run_id = store.start_run("run", Utc::now())?;
    let mut record = RunRecord::default();
    let result = run_stages(ctx, &args, &mut store, run_id, &model, &mut record);
    record.outcome = match &result {
        Err(_) => "failed",
        Ok(_) if record.sources_failed > 0 => "partial",
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
            "headline-watch run {run_id}: {} sources ({} ok, {} not modified, {} failed), {} items seen, {} new, {} classified, {} flagged; report {}",
            record.sources_ok + record.sources_not_modified + record.sources_failed,
            record.sources_ok,
            record.sources_not_modified,
            record.sources_failed,
            record.items_seen,
            record.items_new,
            record.items_classified,
            record.items_flagged,
            record.report_path.as_deref().unwrap_or("written to stdout"),
        );
    }
    Ok(if record.sources_failed > 0 {
        Outcome::Partial
    } else {
        Outcome::Success
    })
}

fn run_stages(
    ctx: &Context,
    args: &RunArgs,
    store: &mut Store,
    run_id: i64,
    model: &Model,
    record: &mut RunRecord,
) -> Result<()> {
    let totals = crawl::crawl_into(ctx, store, run_id, &[], false).context("crawling")?;
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
            .map(|p| (p.item_id, model.classify(&p.title, threshold)))
            .collect();
        record.items_flagged += batch.iter().filter(|(_, c)| c.flagged).count() as i64;
        record.items_classified +=
            store.insert_classifications(&version, &batch, Utc::now())? as i64;
    }

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
