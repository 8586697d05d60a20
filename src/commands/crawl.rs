//! `headline-watch crawl`.

use super::{Context, Outcome};
use crate::cli::CrawlArgs;
use anyhow::Result;
use headline_watch::store::Store;

pub fn run(_ctx: &Context, _args: CrawlArgs) -> Result<Outcome> {
    anyhow::bail!("`crawl` is not implemented yet")
}

// STAND-IN: replaced by the crawler branch at merge. The seam `run` calls.

/// What one crawl of every due source did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CrawlTotals {
    pub sources_ok: usize,
    pub sources_not_modified: usize,
    pub sources_failed: usize,
    pub items_new: usize,
    pub items_seen: usize,
}

/// Fetches every due source once, storing items, fetches (with `run_id`) and source failures.
/// A source's failure is recorded and counted, never returned as an error.
pub fn crawl_all(_ctx: &Context, _store: &mut Store, _run_id: Option<i64>) -> Result<CrawlTotals> {
    tracing::warn!("crawler not merged on this branch: no source was fetched");
    Ok(CrawlTotals::default())
}
