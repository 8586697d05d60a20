//! `headline-watch evaluate`: without `--corpus`, stratified k-fold cross-validation on the corpus folder
//! (near-duplicates kept in one fold, real rows grouped by outlet: the same procedure as `train`), with the
//! figures on the real published rows first; with `--corpus FILE`, scores that labelled file with the
//! configured model. Prints per-class and per-language figures, the confusion matrix
//! and the misclassified rows; `--format json` gives the same as one JSON object, with every row's fold
//! (so external baselines can use the same folds).

use super::{Context, Outcome};
use crate::cli::{EvalFormat, EvaluateArgs};
use anyhow::Result;
use headline_watch::classify::metrics::{self, Metrics};
use headline_watch::classify::structure::Structure;
use headline_watch::classify::{corpus, train, Model};
use headline_watch::domain::Label;
use headline_watch::narrative::ModelSource;
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

/// One cross-validation's headline figures (`--repeats`): every row's macro-F1, then the real rows'.
#[derive(Serialize)]
struct Repeat {
    fold_seed: u64,
    c: f64,
    macro_f1: f64,
    real_false_flag_rate: Option<f64>,
    real_rebuttal_recall: Option<f64>,
    real_misleading_recall: Option<f64>,
}

impl Repeat {
    fn of(fold_seed: u64, cv: &train::CvResult) -> Repeat {
        let real = cv.metrics_real.as_ref();
        let recall = |l: Label| real.and_then(|m| m.class(l)).map(|c| c.recall);
        Repeat {
            fold_seed,
            c: cv.c,
            macro_f1: cv.metrics.macro_f1,
            real_false_flag_rate: real.map(Metrics::false_flag_rate),
            real_rebuttal_recall: recall(Label::Rebuttal),
            real_misleading_recall: recall(Label::Misleading),
        }
    }

    fn line(&self) -> String {
        let pct = |v: Option<f64>| v.map_or("-".into(), |v| format!("{:.1} %", 100.0 * v));
        format!(
            "folds {}: C = {}, macro-F1 {:.4}; real rows: false flags {}, rebuttal recall {}, misleading recall {}",
            self.fold_seed,
            self.c,
            self.macro_f1,
            pct(self.real_false_flag_rate),
            pct(self.real_rebuttal_recall),
            pct(self.real_misleading_recall)
        )
    }
}

/// Mean, lowest and highest of the figures that are there.
fn spread(v: impl Iterator<Item = Option<f64>>) -> Option<(f64, f64, f64)> {
    let v: Vec<f64> = v.flatten().collect();
    let (lo, hi) = v
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), &x| (a.min(x), b.max(x)));
    (!v.is_empty()).then(|| (v.iter().sum::<f64>() / v.len() as f64, lo, hi))
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
    /// The real published rows alone (rows whose source is an http(s) URL).
    #[serde(skip_serializing_if = "Option::is_none")]
    metrics_real: Option<&'a Metrics>,
    flags: &'a FlagFigures,
    /// With `--repeats N`: the figures of each fold arrangement (the first is the one reported above).
    #[serde(skip_serializing_if = "<[Repeat]>::is_empty")]
    repeats: &'a [Repeat],
    misclassified: Vec<&'a RowOut<'a>>,
    rows: &'a [RowOut<'a>],
}

pub fn run(ctx: &Context, args: EvaluateArgs) -> Result<Outcome> {
    let (mode, source, rows) = match &args.corpus {
        Some(f) => ("model", f.clone(), corpus::load(f)?),
        None => {
            let d = ctx.config.narrative_config.corpus.clone();
            ("cross-validation", d.clone(), corpus::load(&d)?)
        }
    };
    let narrative = &ctx.config.narrative;
    let mut repeats = Vec::new();
    let (predicted, probs, folds, c, temperature, m, m_real) = if mode == "model" {
        let source = args.model.clone().map_or_else(
            || ctx.config.narrative_config.model_source(),
            ModelSource::File,
        );
        let model = Model::load(&source, narrative)?;
        let preds: Vec<_> = rows.iter().map(|r| model.predict(&r.text)).collect();
        let predicted: Vec<Label> = preds.iter().map(|p| p.label).collect();
        let probs: Vec<[f64; 4]> = preds.iter().map(|p| p.probs).collect();
        let truth: Vec<Label> = rows.iter().map(|r| r.label).collect();
        let langs: Vec<String> = rows.iter().map(|r| r.lang.clone()).collect();
        let m = metrics::compute(&truth, &predicted, &langs, Some(&probs));
        let real: Vec<usize> = (0..rows.len())
            .filter(|&i| rows[i].outlet().is_some())
            .collect();
        let m_real = (!real.is_empty()).then(|| {
            let pick = |v: &[Label]| real.iter().map(|&i| v[i]).collect::<Vec<_>>();
            let langs: Vec<String> = real.iter().map(|&i| langs[i].clone()).collect();
            metrics::compute(&pick(&truth), &pick(&predicted), &langs, None)
        });
        (predicted, probs, None, None, None, m, m_real)
    } else {
        let opts = train::TrainOptions {
            folds: args.folds,
            ..Default::default()
        };
        let p = train::prepare(&rows, &Structure::new(&narrative.lexicon));
        let cv = train::cross_validate(&p, &opts, false)?;
        if args.repeats > 1 {
            repeats.push(Repeat::of(0, &cv));
            for fold_seed in 1..args.repeats {
                tracing::info!("cross-validation {} of {}", fold_seed + 1, args.repeats);
                let opts = train::TrainOptions {
                    fold_seed,
                    ..opts.clone()
                };
                repeats.push(Repeat::of(
                    fold_seed,
                    &train::cross_validate(&p, &opts, false)?,
                ));
            }
        }
        (
            cv.predicted,
            cv.probs,
            Some(cv.folds),
            Some(cv.c),
            Some(cv.temperature),
            cv.metrics,
            cv.metrics_real,
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
    let threshold = narrative.threshold;
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
                metrics_real: m_real.as_ref(),
                flags: &flags,
                repeats: &repeats,
                misclassified: wrong,
                rows: &out,
            };
            println!("{}", serde_json::to_string_pretty(&report)?);
        }
        EvalFormat::Text => {
            match c {
                Some(c) => println!(
                    "{}-fold cross-validation on {} (near-duplicates and outlets grouped), C = {c}",
                    args.folds.max(2),
                    source.display()
                ),
                None => println!("{} scored with the shipped model", source.display()),
            }
            print!("{}", metrics::report(&m, m_real.as_ref()));
            println!(
                "flagged at threshold {}: {} headlines, precision {:.3}, recall {:.3}",
                flags.threshold, flags.flagged, flags.precision, flags.recall
            );
            if !repeats.is_empty() {
                println!("{} arrangements of the folds:", repeats.len());
                for r in &repeats {
                    println!("  {}", r.line());
                }
                type Figure = fn(&Repeat) -> Option<f64>;
                let figures: [(&str, Figure, f64); 4] = [
                    ("macro-F1", |r| Some(r.macro_f1), 1.0),
                    ("real false flags (%)", |r| r.real_false_flag_rate, 100.0),
                    (
                        "real rebuttal recall (%)",
                        |r| r.real_rebuttal_recall,
                        100.0,
                    ),
                    (
                        "real misleading recall (%)",
                        |r| r.real_misleading_recall,
                        100.0,
                    ),
                ];
                for (name, figure, scale) in figures {
                    if let Some((mean, lo, hi)) = spread(repeats.iter().map(figure)) {
                        let (mean, lo, hi) = (mean * scale, lo * scale, hi * scale);
                        let d = if scale > 1.0 { 1 } else { 4 };
                        println!("  {name}: mean {mean:.d$}, lowest {lo:.d$}, highest {hi:.d$}");
                    }
                }
            }
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
