//! `headline-watch letters`: for the period (default: the 30 days before now), one correction request
//! per outlet with unresolved flagged headlines, written atomically as Markdown into `--output DIR`
//! (default `[report] dir/letters/`) as `YYYY-MM-DD-<outlet>.<lang>.md` (the period's end date; a
//! letter written again for the same outlet, date and language replaces the earlier draft). Each path is
//! printed on stdout, one a line.

use super::report::write_atomically;
use super::{Context, Outcome};
use crate::cli::{LetterLang, LettersArgs};
use anyhow::Result;
use chrono::{Duration, Utc};
use headline_watch::letters::{self, Lang, Options};
use headline_watch::report::{period, ReportModel};
use headline_watch::store::Store;
use std::collections::HashSet;
use std::io::Write;

/// Default period: this many days before `--until`.
pub const DEFAULT_DAYS: i64 = 30;

pub fn run(ctx: &Context, args: LettersArgs) -> Result<Outcome> {
    let store = Store::open(&ctx.db_path)?;
    let now = Utc::now();
    let until = match args.until.as_deref() {
        Some(u) => period::parse_bound(u).map_err(|e| anyhow::anyhow!("--until: {e}"))?,
        None => period::ceil_to_second(now),
    };
    let since = match args.since.as_deref() {
        Some(s) => period::parse_bound(s).map_err(|e| anyhow::anyhow!("--since: {e}"))?,
        None => until - Duration::days(DEFAULT_DAYS),
    };
    if since >= until {
        anyhow::bail!("the period is empty: --since is not before --until");
    }
    let m = ReportModel::build(&store, &ctx.config, since, until, now, None)?;
    let opts = Options {
        outlets: args.outlets.clone(),
        lang: args.lang.map(|l| match l {
            LetterLang::Ru => Lang::Ru,
            LetterLang::En => Lang::En,
            LetterLang::Kk => Lang::Kk,
        }),
        templates: ctx.config.letters.templates.clone(),
        signature: ctx.config.letters.signature.trim_end().to_string(),
        date: now.format("%Y-%m-%d").to_string(),
    };
    let written = letters::build(&m, &opts)?;
    for name in &args.outlets {
        if !written.iter().any(|l| &l.outlet == name) {
            tracing::warn!("letters: {name}: no unresolved flagged headline in the period");
        }
    }
    let dir = args
        .output
        .unwrap_or_else(|| ctx.config.report.dir.join("letters"));
    let day = until.format("%Y-%m-%d");
    let mut used = HashSet::new();
    let mut stdout = std::io::stdout().lock();
    for l in &written {
        let mut slug = letters::slug(&l.outlet);
        // Two outlets whose names differ only in punctuation get distinct files.
        let base = slug.clone();
        let mut n = 2;
        while !used.insert(slug.clone()) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        let path = dir.join(format!("{day}-{slug}.{}.md", l.lang.as_str()));
        write_atomically(&path, l.text.as_bytes())?;
        writeln!(stdout, "{}", path.display())?;
    }
    tracing::info!(
        "letters: {} written ({} headlines)",
        written.len(),
        written.iter().map(|l| l.headlines).sum::<usize>()
    );
    Ok(Outcome::Success)
}
