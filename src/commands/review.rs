//! `headline-watch review`.

use super::{Context, Outcome};
use crate::cli::ReviewArgs;
use anyhow::Result;

pub fn run(_ctx: &Context, _args: ReviewArgs) -> Result<Outcome> {
    anyhow::bail!("`review` is not implemented yet")
}
