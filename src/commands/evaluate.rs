//! `headline-watch evaluate`: without `--corpus`, stratified k-fold cross-validation on the corpus folder
//! (near-duplicates kept in one fold, the same procedure as `train`); with `--corpus FILE`, scores that
//! labelled file with the shipped model. Prints per-class and per-language figures, the confusion matrix
//! and the misclassified rows; `--format json` gives the same as one JSON object, with every row's fold
//! (so external baselines can use the same folds).

use super::{Context, Outcome};
use crate::cli::{EvalFormat, EvaluateArgs};
use anyhow::Result;
use headline_watch::classify::metrics::{self, Metrics};
use headline_watch::classify::{corpus, train, Model};
use headline_watch::domain::Label;
use serde::Serialize;

#[derive(Serialize)]
struct RowOut<'a> {
    file: String,
    line: usize,
    lang: &'a str,
    label: Label,
    predicted: Label,
    score: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    fold: Option<usize>,
    text: &'a str,
}

/// Precision and recall of `flagged` (label misleading and p >= threshold).
#[derive(Serialize)]
struct FlagFigures {
    threshold: f64,
    flagged: usize,
    precision: f64,
    recall: f64,
}

#[derive(Serialize)]
struct Report<'a> {
    mode: &'static str,
    source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    folds: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    c: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    temperature: Option<f64>,
    metrics: &'a Metrics,
    flags: &'a FlagFigures,
    misclassified: Vec<&'a RowOut<'a>>,
    rows: &'a [RowOut<'a>],
}

pub fn run(ctx: &Context, args: EvaluateArgs) -> Result<Outcome> {
    let (mode, source, rows) = match &args.corpus {
        Some(f) => ("model", f.clone(), corpus::load(f)?),
        None => {
            let d = ctx.config.narrative.corpus.clone();
            ("cross-validation", d.clone(), corpus::load(&d)?)
        }
    };
    let (predicted, probs, folds, c, temperature, m) = if mode == "model" {
        let path = args
            .model
            .clone()
            .unwrap_or_else(|| ctx.config.narrative.model.clone());
        let model = Model::load(&path)?;
        let preds: Vec<_> = rows.iter().map(|r| model.predict(&r.text)).collect();
        let predicted: Vec<Label> = preds.iter().map(|p| p.label).collect();
        let probs: Vec<[f64; 4]> = preds.iter().map(|p| p.probs).collect();
        let truth: Vec<Label> = rows.iter().map(|r| r.label).collect();
        let langs: Vec<String> = rows.iter().map(|r| r.lang.clone()).collect();
        let m = metrics::compute(&truth, &predicted, &langs, Some(&probs));
        (predicted, probs, None, None, None, m)
    } else {
        let opts = train::TrainOptions {
            folds: args.folds,
            ..Default::default()
        };
        let p = train::prepare(&rows);
        let cv = train::cross_validate(&p, &opts)?;
        (
            cv.predicted,
            cv.probs,
            Some(cv.folds),
            Some(cv.c),
            Some(cv.temperature),
            cv.metrics,
        )
    };
    let out: Vec<RowOut> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| RowOut {
            file: r.file.display().to_string(),
            line: r.line,
            lang: &r.lang,
            label: r.label,
            predicted: predicted[i],
            score: probs[i][predicted[i].index()],
            fold: folds.as_ref().map(|f| f[i]),
            text: &r.text,
        })
        .collect();
    let wrong: Vec<&RowOut> = out.iter().filter(|r| r.label != r.predicted).collect();
    // What a press office sees: headlines flagged at the configured threshold.
    let threshold = ctx.config.narrative.threshold;
    let flagged: Vec<bool> = predicted
        .iter()
        .zip(&probs)
        .map(|(l, p)| *l == Label::Misleading && p[0] >= threshold)
        .collect();
    let true_flags = rows
        .iter()
        .zip(&flagged)
        .filter(|(r, f)| **f && r.label == Label::Misleading)
        .count();
    let n_flagged = flagged.iter().filter(|f| **f).count();
    let n_misleading = rows.iter().filter(|r| r.label == Label::Misleading).count();
    let flags = FlagFigures {
        threshold,
        flagged: n_flagged,
        precision: true_flags as f64 / n_flagged.max(1) as f64,
        recall: true_flags as f64 / n_misleading.max(1) as f64,
    };
    match args.format {
        EvalFormat::Json => {
            let report = Report {
                mode,
                source: source.display().to_string(),
                folds: folds.as_ref().map(|_| args.folds.max(2)),
                c,
                temperature,
                metrics: &m,
                flags: &flags,
                misclassified: wrong,
                rows: &out,
            };
            println!("{}", serde_json::to_string_pretty(&report)?);
        }
        EvalFormat::Text => {
            match c {
                Some(c) => println!(
                    "{}-fold cross-validation on {} (near-duplicates grouped), C = {c}",
                    args.folds.max(2),
                    source.display()
                ),
                None => println!("{} scored with the shipped model", source.display()),
            }
            print!("{}", metrics::table(&m));
            println!(
                "flagged at threshold {}: {} headlines, precision {:.3}, recall {:.3}",
                flags.threshold, flags.flagged, flags.precision, flags.recall
            );
            println!("misclassified ({}):", wrong.len());
            for r in wrong {
                println!(
                    "  {}:{} [{}] {} -> {} ({:.2})  {}",
                    r.file, r.line, r.lang, r.label, r.predicted, r.score, r.text
                );
            }
        }
    }
    Ok(Outcome::Success)
}
