//! `headline-watch report`: resolve the period, build the report model, render one format, write it
//! (atomically) into `[report] dir` named by date, to `--output FILE`, or to stdout with `--output -`.
//! Reports written to a file are recorded in the `reports` table; the next report starts where the
//! latest one ended.

use super::{Context, Outcome};
use crate::cli::{ReportArgs, ReportFormat};
use anyhow::{Context as _, Result};
use chrono::{DateTime, Utc};
use headline_watch::classify::Model;
use headline_watch::report::{self, period, ModelInfo, ReportModel};
use headline_watch::store::Store;
use std::io::Write;
use std::path::{Path, PathBuf};

pub fn run(ctx: &Context, args: ReportArgs) -> Result<Outcome> {
    let store = Store::open(&ctx.db_path)?;
    let now = Utc::now();
    let previous = store.previous_report_until(false)?;
    let (since, until) =
        period::resolve(args.since.as_deref(), args.until.as_deref(), previous, now)
            .map_err(anyhow::Error::msg)?;
    let written = write_report(
        ctx,
        &store,
        since,
        until,
        now,
        args.format,
        args.output.as_deref(),
    )?;
    if let Some(path) = written {
        tracing::info!("report written to {}", path.display());
    }
    Ok(Outcome::Success)
}

/// What the report says about the model file configured now.
pub fn model_info(ctx: &Context) -> Option<ModelInfo> {
    let source = ctx.config.narrative_config.model_source();
    let shown = source.display();
    match Model::load(&source, &ctx.config.narrative) {
        Ok(m) => {
            let metrics = m.metrics_summary();
            let real = metrics.as_ref().and_then(|x| x.real.as_ref());
            Some(ModelInfo {
                version: m.version(),
                path: shown,
                macro_f1: metrics.as_ref().map(|x| x.macro_f1),
                misleading_precision: metrics.as_ref().map(|x| x.misleading_precision),
                misleading_recall: metrics.as_ref().map(|x| x.misleading_recall),
                real_rows: real.map(|r| {
                    format!(
                        "false flags {:.1} %, rebuttal recall {:.0} %, misleading recall {:.0} % ({} headlines, cross-validated, folds grouped by outlet)",
                        100.0 * r.false_flag_rate,
                        100.0 * r.rebuttal_recall,
                        100.0 * r.misleading_recall,
                        r.rows
                    )
                }),
                note: None,
            })
        }
        Err(e) => Some(ModelInfo {
            version: "unknown".into(),
            path: shown,
            macro_f1: None,
            misleading_precision: None,
            misleading_recall: None,
            real_rows: None,
            note: Some(format!("The model file could not be read: {e}.")),
        }),
    }
}

/// Builds, renders and writes one report; returns the file written (`None` for stdout).
pub fn write_report(
    ctx: &Context,
    store: &Store,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
    now: DateTime<Utc>,
    format: ReportFormat,
    output: Option<&Path>,
) -> Result<Option<PathBuf>> {
    let mut model = model_info(ctx);
    let mut rm = ReportModel::build(store, &ctx.config, since, until, now, model.take())?;
    if let Some(mi) = rm.model.as_mut() {
        if !rm.model_versions.is_empty() && !rm.model_versions.contains(&mi.version) {
            mi.note = Some(format!(
                "{}The headlines below were classified by model version(s) {}, not by the current model file.",
                mi.note.as_deref().map(|n| format!("{n} ")).unwrap_or_default(),
                rm.model_versions.join(", ")
            ));
        }
    }
    let text = match format {
        ReportFormat::Md => report::markdown::render(&rm),
        ReportFormat::Html => report::html::render(&rm)?,
        ReportFormat::Json => report::json::render(&rm),
        ReportFormat::Csv => report::csv::render(&rm),
    };
    if output == Some(Path::new("-")) {
        std::io::stdout()
            .lock()
            .write_all(text.as_bytes())
            .context("writing the report to stdout")?;
        return Ok(None);
    }
    let path = match output {
        Some(p) => p.to_path_buf(),
        None => default_path(&ctx.config.report.dir, until, format),
    };
    write_atomically(&path, text.as_bytes())?;
    store.insert_report(
        now,
        since,
        until,
        format.extension(),
        &path.display().to_string(),
    )?;
    Ok(Some(path))
}

/// `DIR/YYYY-MM-DD.EXT` by the period's end; when that file exists (a second report the same day),
/// `DIR/YYYY-MM-DD-2.EXT`, `-3`, ...: reports are never overwritten by default.
pub fn default_path(dir: &Path, until: DateTime<Utc>, format: ReportFormat) -> PathBuf {
    let day = until.format("%Y-%m-%d").to_string();
    let ext = format.extension();
    let mut path = dir.join(format!("{day}.{ext}"));
    let mut n = 2;
    while path.exists() {
        path = dir.join(format!("{day}-{n}.{ext}"));
        n += 1;
    }
    path
}

/// Writes to a temporary file beside `path`, then renames it over `path`: a reader never sees half a
/// report.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating the report folder {}", parent.display()))?;
    }
    let tmp = path.with_extension(format!(
        "{}.tmp{}",
        path.extension().and_then(|e| e.to_str()).unwrap_or(""),
        std::process::id()
    ));
    std::fs::write(&tmp, bytes).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}
