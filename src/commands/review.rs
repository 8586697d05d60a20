//! `headline-watch review`: list flagged items (unreviewed first), record a person's verdict, and export
//! the verdicts as corpus rows (source `review:<item id>`) that `train` reads with the rest of the corpus.

use super::{Context, Outcome};
use crate::cli::{EvalFormat, ReviewArgs, ReviewCommand};
use anyhow::{Context as _, Result};
use chrono::Utc;
use headline_watch::domain::{Label, Verdict};
use headline_watch::store::Store;
use std::io::Write;
use std::path::Path;

/// File written by `review export` without `--output`, inside `[narrative] corpus`.
pub const DEFAULT_EXPORT_FILE: &str = "reviews.tsv";

pub fn run(ctx: &Context, args: ReviewArgs) -> Result<Outcome> {
    let store = Store::open(&ctx.db_path)?;
    let mut out = std::io::stdout().lock();
    match args.command {
        ReviewCommand::List { all, format } => {
            let rows = store.review_list(all)?;
            match format {
                EvalFormat::Json => {
                    let v: Vec<_> = rows
                        .iter()
                        .map(|r| {
                            serde_json::json!({
                                "id": r.item_id, "source": r.source, "title": r.title, "url": r.url,
                                "published_at": r.published_at, "score": r.score,
                                "review": r.review,
                            })
                        })
                        .collect();
                    writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
                }
                EvalFormat::Text => {
                    if rows.is_empty() {
                        writeln!(
                            out,
                            "No {}flagged headlines.",
                            if all { "" } else { "unreviewed " }
                        )?;
                    }
                    for r in &rows {
                        let status = match &r.review {
                            None => "unreviewed".to_string(),
                            Some(v) => format!("reviewed: {}", v.label),
                        };
                        writeln!(
                            out,
                            "{:>6}  {:>3.0}%  {}  {}  [{}]  {}",
                            r.item_id,
                            r.score * 100.0,
                            r.published_at,
                            one_line(&r.source),
                            status,
                            one_line(&r.title)
                        )?;
                    }
                }
            }
        }
        ReviewCommand::Mark {
            id,
            label,
            note,
            reviewer,
        } => {
            let label: Label = label.parse().map_err(anyhow::Error::msg)?;
            let flagged = store.item_flagged(id)?.unwrap_or(false);
            store.insert_review(&Verdict {
                item_id: id,
                label,
                reviewer,
                note,
                reviewed_at: Utc::now(),
            })?;
            let what = match (label == Label::Misleading, flagged) {
                (true, true) => "flag confirmed",
                (true, false) => "a missed headline: the model did not flag it; reports now list it as flagged, missed by the model",
                (false, true) => "flag corrected",
                (false, false) => "not flagged, and the verdict agrees",
            };
            writeln!(out, "item {id}: marked {label} ({what})")?;
        }
        ReviewCommand::Export { output } => {
            let path = output
                .unwrap_or_else(|| ctx.config.narrative_config.corpus.join(DEFAULT_EXPORT_FILE));
            let n = export(&store, &path)?;
            writeln!(out, "{n} reviewed headlines written to {}", path.display())?;
        }
    }
    Ok(Outcome::Success)
}

/// Writes every reviewed item's latest verdict as a corpus TSV (CONTRACT.md) and returns the row count.
fn export(store: &Store, path: &Path) -> Result<usize> {
    let rows = store.reviewed_items()?;
    let mut text = String::from("label\tlang\ttext\tsource\n");
    let mut n = 0;
    for r in &rows {
        let title = one_line(&r.title);
        if title.is_empty() {
            continue;
        }
        let lang = r
            .lang
            .as_deref()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.trim().to_ascii_lowercase())
            .unwrap_or_else(|| guess_lang(&title).to_string());
        text.push_str(&format!(
            "{}\t{}\t{}\treview:{}\n",
            r.label, lang, title, r.item_id
        ));
        n += 1;
    }
    super::report::write_atomically(path, text.as_bytes())
        .with_context(|| format!("exporting reviews to {}", path.display()))?;
    Ok(n)
}

/// A corpus text holds no tab or line break.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// For items stored without a language: Kazakh-specific letters mean `kk`, other Cyrillic `ru`, else `en`.
fn guess_lang(s: &str) -> &'static str {
    if s.chars().any(|c| "әғқңөұүһіӘҒҚҢӨҰҮҺІ".contains(c)) {
        "kk"
    } else if s.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c)) {
        "ru"
    } else {
        "en"
    }
}
