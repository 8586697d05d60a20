//! `headline-watch train`: cross-validates on `corpus/*.tsv` (choosing the regularisation and the
//! calibration; figures on every row and on the real rows alone, folds grouped by outlet), fits the final
//! model on the whole corpus, writes it (with those figures) to `models/` and prints the metrics. It is the
//! one command that regenerates everything committed about the model.

use super::{Context, Outcome};
use crate::cli::TrainArgs;
use anyhow::{Context as _, Result};
use headline_watch::classify::{corpus, metrics, train, Model};
use std::time::Instant;

pub fn run(ctx: &Context, args: TrainArgs) -> Result<Outcome> {
    let nc = &ctx.config.narrative_config;
    let dir = args.corpus.clone().unwrap_or_else(|| nc.corpus.clone());
    let output = args.output.clone().unwrap_or_else(|| nc.model_output());
    let started = Instant::now();
    let rows = corpus::load(&dir)?;
    tracing::info!("training on {} rows from {}", rows.len(), dir.display());
    let opts = train::TrainOptions {
        folds: args.folds,
        ..Default::default()
    };
    let (model, cv) = train::train(&rows, &ctx.config.narrative, &opts)?;
    Model::save(&model, &output)?;
    let figures = format!(
        "{}-fold cross-validation (near-duplicates and outlets grouped), C = {} (grid: {}), temperature {:.3}\n{}",
        opts.folds.max(2),
        cv.c,
        cv.grid
            .iter()
            .map(|(c, f)| format!("{c}: {f:.4}"))
            .collect::<Vec<_>>()
            .join(", "),
        cv.temperature,
        metrics::report(&cv.metrics, cv.metrics_real.as_ref())
    );
    // Beside the model, so the committed figures are regenerated with it (README quotes them).
    let figures_path = output.with_extension("metrics.txt");
    let header =
        format!(
        "# Cross-validated figures of {} (corpus {}, {} rows), written by `headline-watch train`\n",
        output.file_name().map_or(String::new(), |n| n.to_string_lossy().into_owned()),
        &model.corpus_hash[..12],
        model.corpus_rows
    );
    std::fs::write(&figures_path, header + &figures)
        .with_context(|| format!("writing {}", figures_path.display()))?;
    print!("{figures}");
    println!(
        "model written to {} and its figures to {} ({} n-gram features, {} structure features, corpus {}), {:.1} s",
        output.display(),
        figures_path.display(),
        model.vocabulary.len(),
        model.feature_ids.len(),
        &model.corpus_hash[..12],
        started.elapsed().as_secs_f64()
    );
    Ok(Outcome::Success)
}
