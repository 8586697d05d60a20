//! `headline-watch train`: cross-validates on `corpus/*.tsv` (choosing the regularisation and the
//! calibration), fits the final model on the whole corpus, writes it to `models/` and prints the metrics.

use super::{Context, Outcome};
use crate::cli::TrainArgs;
use anyhow::Result;
use headline_watch::classify::{corpus, metrics, train, Model};
use std::time::Instant;

pub fn run(ctx: &Context, args: TrainArgs) -> Result<Outcome> {
    let dir = args
        .corpus
        .clone()
        .unwrap_or_else(|| ctx.config.narrative.corpus.clone());
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| ctx.config.narrative.model.clone());
    let started = Instant::now();
    let rows = corpus::load(&dir)?;
    tracing::info!("training on {} rows from {}", rows.len(), dir.display());
    let opts = train::TrainOptions {
        folds: args.folds,
        ..Default::default()
    };
    let (model, cv) = train::train(&rows, &opts)?;
    Model::save(&model, &output)?;
    println!(
        "{}-fold cross-validation (near-duplicates grouped), C = {} (grid: {}), temperature {:.3}",
        opts.folds.max(2),
        cv.c,
        cv.grid
            .iter()
            .map(|(c, f)| format!("{c}: {f:.3}"))
            .collect::<Vec<_>>()
            .join(", "),
        cv.temperature
    );
    print!("{}", metrics::table(&cv.metrics));
    println!(
        "model written to {} ({} n-gram features, {} cue features, corpus {}), {:.1} s",
        output.display(),
        model.vocabulary.len(),
        model.cue_ids.len(),
        &model.corpus_hash[..12],
        started.elapsed().as_secs_f64()
    );
    Ok(Outcome::Success)
}
