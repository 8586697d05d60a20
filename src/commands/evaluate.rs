//! `headline-watch evaluate`.

use super::{Context, Outcome};
use crate::cli::EvaluateArgs;
use anyhow::Result;

pub fn run(_ctx: &Context, _args: EvaluateArgs) -> Result<Outcome> {
    anyhow::bail!("`evaluate` is not implemented yet")
}
