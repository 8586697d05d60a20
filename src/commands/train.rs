//! `headline-watch train`.

use super::{Context, Outcome};
use crate::cli::TrainArgs;
use anyhow::Result;

pub fn run(_ctx: &Context, _args: TrainArgs) -> Result<Outcome> {
    anyhow::bail!("`train` is not implemented yet")
}
