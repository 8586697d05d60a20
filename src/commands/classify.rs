//! `headline-watch classify`.

use super::{Context, Outcome};
use crate::cli::ClassifyArgs;
use anyhow::Result;

pub fn run(_ctx: &Context, _args: ClassifyArgs) -> Result<Outcome> {
    anyhow::bail!("`classify` is not implemented yet")
}
