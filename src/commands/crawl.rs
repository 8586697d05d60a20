//! `headline-watch crawl`.

use super::{Context, Outcome};
use crate::cli::CrawlArgs;
use anyhow::Result;

pub fn run(_ctx: &Context, _args: CrawlArgs) -> Result<Outcome> {
    anyhow::bail!("`crawl` is not implemented yet")
}
