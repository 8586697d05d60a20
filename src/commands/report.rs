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
    // The file is claimed before rendering: its address is the ClaimReview's `url`, and a second report
    // written meanwhile (another `report`, a `run`) gets the next name instead of the same one.
    let claim = match output {
        None => Some(claim_default_path(&ctx.config.report.dir, until, format)?),
        Some(_) => None,
    };
    let target = match output {
        Some(p) if p == Path::new("-") => None,
        Some(p) => Some((p.to_path_buf(), false)),
        None => claim.as_ref().map(|c| (c.path.clone(), true)),
    };
    rm.report_url = report_url(&ctx.config.report.base_url, target.as_ref().map(|t| &t.0));
    let text = match render(&rm, format) {
        Ok(t) => t,
        Err(e) => {
            release(target.as_ref());
            return Err(e);
        }
    };
    let Some((path, _)) = &target else {
        std::io::stdout()
            .lock()
            .write_all(text.as_bytes())
            .context("writing the report to stdout")?;
        return Ok(None);
    };
    if let Err(e) = write_atomically(path, text.as_bytes()) {
        release(target.as_ref());
        return Err(e);
    }
    store.insert_report(
        now,
        since,
        until,
        format.extension(),
        &path.display().to_string(),
    )?;
    Ok(Some(path.clone()))
}

fn render(rm: &ReportModel, format: ReportFormat) -> Result<String> {
    Ok(match format {
        ReportFormat::Md => report::markdown::render(rm),
        ReportFormat::Html => report::html::render(rm)?,
        ReportFormat::Json => report::json::render(rm),
        ReportFormat::Csv => report::csv::render(rm),
    })
}

/// Removes a default-named file claimed for a report that was then not written.
fn release(target: Option<&(PathBuf, bool)>) {
    if let Some((path, true)) = target {
        let _ = std::fs::remove_file(path);
    }
}

/// The report's own address: `[report] base_url` joined with the file name, else the file's `file://`
/// URL; on stdout, the base URL alone (or nothing).
fn report_url(base_url: &str, path: Option<&PathBuf>) -> Option<String> {
    let base = base_url.trim();
    let name = path.and_then(|p| p.file_name()).and_then(|n| n.to_str());
    if !base.is_empty() {
        let base = url::Url::parse(base).ok()?;
        return Some(match name {
            Some(n) => base.join(n).ok()?.to_string(),
            None => base.to_string(),
        });
    }
    let abs = std::path::absolute(path?).ok()?;
    url::Url::from_file_path(abs).ok().map(|u| u.to_string())
}

/// A report file name claimed by [`claim_default_path`]: the empty placeholder, locked for as long as
/// this value lives, so that nobody takes the name while the report is rendered and written.
pub struct Claim {
    pub path: PathBuf,
    /// Holds the placeholder's lock; dropped after the report replaced the placeholder.
    _lock: std::fs::File,
}

/// Claims `DIR/YYYY-MM-DD.EXT` (by the period's end) by creating it, empty and locked, only if it does
/// not exist; when it does (a second report the same day, or another process's report), `-2`, `-3`, ...:
/// two reports never get the same name and none is overwritten. An empty placeholder that nobody holds
/// locked was left by a report killed before it wrote (a whole report is never empty): its name is
/// taken again instead of being skipped.
pub fn claim_default_path(dir: &Path, until: DateTime<Utc>, format: ReportFormat) -> Result<Claim> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("creating the report folder {}", dir.display()))?;
    let day = until.format("%Y-%m-%d").to_string();
    let ext = format.extension();
    // The placeholder is created and locked under a name of this process's own, then linked to the
    // report's name: it appears there already locked, so nobody can take it for an abandoned one.
    // The counter keeps two claims of one process apart (the desk may write two reports at once).
    static CLAIMS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = CLAIMS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let own = dir.join(format!(
        "{day}.{ext}.claim{n}{TMP_MARK}{}",
        std::process::id()
    ));
    let claimed = claim_by_link(dir, &day, ext, &own);
    let _ = std::fs::remove_file(&own);
    claimed?.ok_or_else(|| anyhow::anyhow!("{}: no free report name for {day}", dir.display()))
}

fn claim_by_link(dir: &Path, day: &str, ext: &str, own: &Path) -> Result<Option<Claim>> {
    let file = std::fs::File::create(own).with_context(|| format!("creating {}", own.display()))?;
    file.try_lock()
        .with_context(|| format!("locking {}", own.display()))?;
    for n in 1..=10_000 {
        let path = if n == 1 {
            dir.join(format!("{day}.{ext}"))
        } else {
            dir.join(format!("{day}-{n}.{ext}"))
        };
        match std::fs::hard_link(own, &path) {
            Ok(()) => return Ok(Some(Claim { path, _lock: file })),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                if let Some(held) = abandoned(&path) {
                    return Ok(Some(Claim { path, _lock: held }));
                }
            }
            // A file system without hard links: create the name itself, then lock it (a report
            // claiming at the same instant could take it for abandoned in between).
            Err(_) => match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(f) if f.try_lock().is_ok() => return Ok(Some(Claim { path, _lock: f })),
                Ok(_) => continue,
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e).with_context(|| format!("creating {}", path.display())),
            },
        }
    }
    Ok(None)
}

/// The placeholder at `path`, locked, when it is one a killed report left: empty, unlocked, and still
/// the file at `path` once locked (a report that finished meanwhile replaced it with a new file).
#[cfg(unix)]
fn abandoned(path: &Path) -> Option<std::fs::File> {
    use std::os::unix::fs::MetadataExt;
    let file = std::fs::OpenOptions::new().write(true).open(path).ok()?;
    file.try_lock().ok()?;
    let (held, now) = (file.metadata().ok()?, std::fs::metadata(path).ok()?);
    (held.len() == 0 && held.ino() == now.ino() && held.dev() == now.dev()).then_some(file)
}

/// Without inode numbers to compare, a name once claimed is never taken again.
#[cfg(not(unix))]
fn abandoned(_path: &Path) -> Option<std::fs::File> {
    None
}

/// Suffix of the temporary files [`write_atomically`] writes beside their target.
const TMP_MARK: &str = ".tmp";

/// Writes to a temporary file beside `path`, then renames it over `path`: a reader never sees half a
/// report. Temporary files left beside it by a killed write (their process is gone) are removed first.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)
        .with_context(|| format!("creating the report folder {}", parent.display()))?;
    remove_stale_temps(parent);
    let tmp = path.with_extension(format!(
        "{}{TMP_MARK}{}",
        path.extension().and_then(|e| e.to_str()).unwrap_or(""),
        std::process::id()
    ));
    let written = std::fs::write(&tmp, bytes)
        .with_context(|| format!("writing {}", tmp.display()))
        .and_then(|()| {
            std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))
        });
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// Removes `*.tmp<PID>` files in `dir` whose writing process no longer runs (a write killed half way,
/// which can leave hundreds of megabytes). On systems without `/proc`, those older than a day.
fn remove_stale_temps(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let me = std::process::id().to_string();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(pid) = name
            .rsplit_once(TMP_MARK)
            .map(|(_, pid)| pid)
            .filter(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
        else {
            continue;
        };
        if pid == me || !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let gone = if Path::new("/proc/self").exists() {
            !Path::new("/proc").join(pid).exists()
        } else {
            entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > std::time::Duration::from_secs(24 * 3600))
        };
        if gone {
            match std::fs::remove_file(entry.path()) {
                Ok(()) => tracing::info!(
                    "removed {}, left by a write that was killed",
                    entry.path().display()
                ),
                // Another report being written at the same time may have removed it first.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => tracing::warn!("cannot remove {}: {e}", entry.path().display()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_made_at_once_in_one_process_get_their_own_names() {
        let dir = tempfile::tempdir().unwrap();
        let until = chrono::DateTime::parse_from_rfc3339("2025-06-10T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let claims: Vec<Claim> = std::thread::scope(|s| {
            let threads: Vec<_> = (0..8)
                .map(|_| s.spawn(|| claim_default_path(dir.path(), until, ReportFormat::Md)))
                .collect();
            threads
                .into_iter()
                .map(|t| t.join().unwrap().unwrap())
                .collect()
        });
        let mut names: Vec<_> = claims.iter().map(|c| c.path.clone()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), 8, "{names:?}");
        // Only the claimed names are left: no private placeholder name stays behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 8);
    }
}
