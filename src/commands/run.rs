//! `headline-watch run`.

use super::{Context, Outcome};
use crate::cli::RunArgs;
use anyhow::Result;

pub fn run(_ctx: &Context, _args: RunArgs) -> Result<Outcome> {
    anyhow::bail!("`run` is not implemented yet")
}
