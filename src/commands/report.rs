//! `headline-watch report`.

use super::{Context, Outcome};
use crate::cli::ReportArgs;
use anyhow::Result;

pub fn run(_ctx: &Context, _args: ReportArgs) -> Result<Outcome> {
    anyhow::bail!("`report` is not implemented yet")
}
