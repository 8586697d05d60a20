//! Training: feature selection, IDF, the linfa multinomial logistic regression, cross-validation over the
//! regularisation grid, and temperature calibration on out-of-fold logits.
//!
//! # Why a dense matrix here and a sparse dot product elsewhere
//! linfa-logistic takes a dense `Array2` only (STACK.md), so the trained feature space is bounded: n-grams
//! seen in at least `min_df` training headlines, ranked by their best per-class χ² and cut at
//! `max_features`. Vocabulary, IDF and χ² are fitted on each fold's training rows only, so the
//! cross-validated figures are honest. Prediction then uses the coefficients sparsely ([`super::model`]).
//!
//! # Cross-validation
//! Folds keep near-duplicates together and put every real row of one outlet (the URL's host) in one fold
//! ([`super::folds`]), so the figures on real rows say how the model does on an outlet it has never seen.
//! They are reported on every row and on the real rows alone. Folds run on parallel threads; within a fold
//! the C grid is fitted in ascending order, each fit warm-started from the previous one.

use super::calibrate::fit_temperature;
use super::corpus::{corpus_hash, Row};
use super::features::{for_each_ngram, Gram, Scratch};
use super::folds::assign_folds;
use super::metrics::{compute, Metrics};
use super::model::{argmax, softmax, vocab_maps, Linear, ModelFile, FORMAT, FORMAT_VERSION};
use super::structure::{self, Structure, N_FEATURES};
use crate::domain::Label;
use crate::error::{Error, Result};
use crate::narrative::Narrative;
use crate::text::normalize_for_model;
use linfa::prelude::*;
use linfa_logistic::MultiLogisticRegression;
use ndarray::{Array1, Array2, Axis, ShapeBuilder};
use rustc_hash::{FxHashMap, FxHashSet};

/// The float type of the design matrix: f32 halves the memory traffic that dominates linfa's L-BFGS.
type F = f32;

/// Knobs of a training run. Defaults are what `headline-watch train` uses.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    pub folds: usize,
    /// Inverse L2 strengths tried by cross-validation (alpha = 1 / C on the summed log-loss).
    pub c_grid: Vec<f64>,
    pub max_features: usize,
    pub min_df: u32,
    pub max_iterations: u64,
    /// Stop when the gradient norm of the summed loss is below this times the number of rows.
    pub gradient_tolerance: f64,
    /// Value of a structure feature that fires (the n-gram block is L2-normalised to 1).
    pub feature_scale: f64,
    pub threads: usize,
    /// Which arrangement of folds ([`assign_folds`]'s `seed`; 0 for `train`).
    pub fold_seed: u64,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            folds: 5,
            // CV macro-F1 was flat from 3 to 30 (0.894, 0.893, 0.893); 30 cost a third of the time.
            c_grid: vec![3.0, 10.0],
            max_features: 8000,
            min_df: 2,
            max_iterations: 100,
            gradient_tolerance: 1e-3,
            feature_scale: 1.0,
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            fold_seed: 0,
        }
    }
}

/// The corpus turned into features once, shared by every fold.
pub struct Prepared {
    pub labels: Vec<Label>,
    pub langs: Vec<String>,
    pub norms: Vec<String>,
    /// Per row, the ids (into `grams`) of its distinct n-grams, for document frequencies.
    pub distinct: Vec<Vec<u32>>,
    /// Every n-gram of the corpus, by id.
    pub grams: Vec<String>,
    pub features: Vec<[bool; N_FEATURES]>,
    /// Per row, its outlet (the URL's host) when it is a real published headline.
    pub outlets: Vec<Option<String>>,
}

/// Normalises and featurises the rows, the structure features read with `structure`.
pub fn prepare(rows: &[Row], structure: &Structure) -> Prepared {
    let mut ids: [FxHashMap<String, u32>; 3] = Default::default();
    let mut p = Prepared {
        labels: Vec::with_capacity(rows.len()),
        langs: Vec::with_capacity(rows.len()),
        norms: Vec::with_capacity(rows.len()),
        distinct: Vec::with_capacity(rows.len()),
        grams: Vec::new(),
        features: Vec::with_capacity(rows.len()),
        outlets: Vec::with_capacity(rows.len()),
    };
    let mut scratch = Scratch::default();
    for r in rows {
        let norm = normalize_for_model(&r.text);
        let mut d = Vec::new();
        for_each_ngram(&norm, &mut scratch, |k, g| {
            let id = match ids[k as usize].get(g) {
                Some(&id) => id,
                None => {
                    let id = p.grams.len() as u32;
                    p.grams.push(format!("{}{g}", Gram::PREFIXES[k as usize]));
                    ids[k as usize].insert(g.to_string(), id);
                    id
                }
            };
            d.push(id);
            false
        });
        d.sort_unstable();
        d.dedup();
        p.distinct.push(d);
        p.features.push(structure.features(&norm));
        p.labels.push(r.label);
        p.langs.push(r.lang.clone());
        p.outlets.push(r.outlet());
        p.norms.push(norm);
    }
    p
}

/// Vocabulary selection and IDF on the rows `idx`: the n-grams (ids) and their IDF, in column order.
fn select(p: &Prepared, idx: &[usize], opts: &TrainOptions) -> (Vec<u32>, Vec<f32>) {
    let mut df: FxHashMap<u32, [u32; 4]> = FxHashMap::default();
    let mut class_n = [0u32; 4];
    for &i in idx {
        let k = p.labels[i].index();
        class_n[k] += 1;
        for g in &p.distinct[i] {
            df.entry(*g).or_default()[k] += 1;
        }
    }
    let n = idx.len() as f64;
    let mut scored: Vec<(f64, u32, u32)> = df
        .iter()
        .filter(|(_, c)| c.iter().sum::<u32>() >= opts.min_df)
        .map(|(&g, c)| {
            let total: u32 = c.iter().sum();
            let chi2 = (0..4)
                .map(|k| {
                    let a = f64::from(c[k]);
                    let b = f64::from(total) - a;
                    let cc = f64::from(class_n[k]) - a;
                    let d = n - a - b - cc;
                    let den = (a + cc) * (b + d) * (a + b) * (cc + d);
                    if den > 0.0 {
                        n * (a * d - b * cc).powi(2) / den
                    } else {
                        0.0
                    }
                })
                .fold(0.0, f64::max);
            (chi2, g, total)
        })
        .collect();
    // Highest χ² first; ties by the n-gram's text so the result does not depend on HashMap order.
    let text = |g: u32| &p.grams[g as usize];
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| text(a.1).cmp(text(b.1))));
    scored.truncate(opts.max_features);
    let idf = scored
        .iter()
        .map(|s| (((1.0 + n) / (1.0 + f64::from(s.2))).ln() + 1.0) as f32)
        .collect();
    (scored.iter().map(|s| s.1).collect(), idf)
}

/// The dense design matrix of rows `idx` (TF-IDF, then structure), through the [`Linear::terms`] prediction
/// uses; column-major, as linfa's gradient multiplies by its transpose (training 18 % faster).
fn design(p: &Prepared, idx: &[usize], lin: &Linear) -> Array2<F> {
    let nv = lin.idf.len();
    let mut x = Array2::<F>::zeros((idx.len(), nv + N_FEATURES).f());
    let mut terms = Vec::new();
    let mut scratch = Scratch::default();
    for (r, &i) in idx.iter().enumerate() {
        lin.terms(&p.norms[i], &mut scratch, &mut terms);
        let mut row = x.row_mut(r);
        for &(c, v) in &terms {
            row[c as usize] = v as F;
        }
        for (j, on) in p.features[i].iter().enumerate() {
            if *on {
                row[nv + j] = lin.feature_scale as F;
            }
        }
    }
    x
}

/// A model fitted on some rows: its vocabulary (n-gram ids) and linear part.
#[derive(Debug, Clone)]
struct Fitted {
    vocab: Vec<u32>,
    linear: Linear,
    /// linfa's parameters (features + intercept row) for warm starts.
    params: Array2<F>,
    classes: usize,
}

/// Fits on rows `idx` for each C in `grid` (ascending, warm-started); one [`Fitted`] per C.
fn fit_grid(p: &Prepared, idx: &[usize], grid: &[f64], opts: &TrainOptions) -> Result<Vec<Fitted>> {
    let (vocab, idf) = select(p, idx, opts);
    let nv = vocab.len();
    let maps = vocab_maps(vocab.iter().map(|&g| p.grams[g as usize].as_str()))
        .map_err(|g| Error::Other(format!("n-gram {g:?} selected twice")))?;
    let base = Linear {
        vocab: maps,
        idf,
        weights: vec![[0.0; 4]; nv],
        feature_weights: vec![[0.0; 4]; N_FEATURES],
        intercept: [0.0; 4],
        feature_scale: opts.feature_scale,
        known: FxHashMap::default(),
    };
    let x = design(p, idx, &base);
    let y: Array1<usize> = idx.iter().map(|&i| p.labels[i].index()).collect();
    let ds = Dataset::new(x, y);
    let mut out: Vec<Fitted> = Vec::new();
    for &c in grid {
        let mut params = MultiLogisticRegression::<F>::default()
            .alpha((1.0 / c) as F)
            .gradient_tolerance((opts.gradient_tolerance * idx.len() as f64) as F)
            .max_iterations(opts.max_iterations);
        // Warm starts need the same class set.
        if let Some(prev) = out.last() {
            params = params.initial_params(prev.params.clone());
        }
        let fit = params
            .fit(&ds)
            .map_err(|e| Error::Other(format!("training failed (C = {c}): {e}")))?;
        let classes: Vec<usize> = fit.classes().to_vec();
        let (w, b) = (fit.params(), fit.intercept());
        let mut lin = base.clone();
        // A class absent from these rows is never predicted.
        lin.intercept = [-30.0; 4];
        for (col, &k) in classes.iter().enumerate() {
            lin.intercept[k] = f64::from(b[col]);
            for f in 0..nv {
                lin.weights[f][k] = w[[f, col]];
            }
            for j in 0..N_FEATURES {
                lin.feature_weights[j][k] = w[[nv + j, col]];
            }
        }
        let full = ndarray::concatenate(Axis(0), &[w.view(), b.view().insert_axis(Axis(0))])
            .map_err(|e| Error::Other(format!("training failed (C = {c}): {e}")))?;
        out.push(Fitted {
            vocab: vocab.clone(),
            linear: lin,
            params: full,
            classes: classes.len(),
        });
    }
    Ok(out)
}

/// The outcome of cross-validation.
#[derive(Debug, Clone)]
pub struct CvResult {
    pub c: f64,
    pub temperature: f64,
    /// Fold of each row.
    pub folds: Vec<usize>,
    /// Calibrated out-of-fold probabilities of each row (for the chosen C).
    pub probs: Vec<[f64; 4]>,
    pub predicted: Vec<Label>,
    /// Every row.
    pub metrics: Metrics,
    /// The real published rows alone (`None` when the corpus has none).
    pub metrics_real: Option<Metrics>,
    /// Macro-F1 per C tried.
    pub grid: Vec<(f64, f64)>,
    /// Fits on every row, one per C, when asked for: [`train`] takes the chosen one as the model.
    final_fits: Vec<Fitted>,
}

/// K-fold cross-validation over the C grid (folds from [`assign_folds`]). With `with_final`, the fits on
/// every row run as one more work item beside the folds (on 2 cores, while the other thread ends its
/// third fold), so that `train` does not fit again after cross-validation.
pub fn cross_validate(p: &Prepared, opts: &TrainOptions, with_final: bool) -> Result<CvResult> {
    let n = p.labels.len();
    let k = opts.folds.max(2);
    if n < k * 2 {
        return Err(Error::Other(format!(
            "the corpus has {n} rows, too few for {k}-fold cross-validation"
        )));
    }
    let texts: Vec<&str> = p.norms.iter().map(String::as_str).collect();
    let folds = assign_folds(&texts, &p.labels, &p.outlets, k, opts.fold_seed);
    let mut grid = opts.c_grid.clone();
    grid.sort_by(f64::total_cmp);
    grid.dedup();
    if grid.is_empty() {
        grid.push(10.0);
    }
    // Each thread takes every `t`-th work item (fold `k` is every row); out-of-fold logits come back as
    // (C index, row, logits).
    let t = opts.threads.clamp(1, k);
    let items = k + usize::from(with_final);
    type Out = (Vec<(usize, usize, [f64; 4])>, Vec<Fitted>);
    let outs = std::thread::scope(|s| {
        let fold_logits = |first: usize| -> Result<Out> {
            let (mut local, mut terms, mut scratch) = (Vec::new(), Vec::new(), Scratch::default());
            let mut final_fits = Vec::new();
            for f in (first..items).step_by(t) {
                let train: Vec<usize> = (0..n).filter(|&i| folds[i] != f).collect();
                if f == k {
                    final_fits = fit_grid(p, &train, &grid, opts)?;
                    continue;
                }
                for (ci, fit) in fit_grid(p, &train, &grid, opts)?.iter().enumerate() {
                    for i in (0..n).filter(|&i| folds[i] == f) {
                        fit.linear.terms(&p.norms[i], &mut scratch, &mut terms);
                        local.push((ci, i, fit.linear.logits(&terms, &p.features[i])));
                    }
                }
            }
            Ok((local, final_fits))
        };
        let handles: Vec<_> = (0..t)
            .map(|first| s.spawn(move || fold_logits(first)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect::<Result<Vec<_>>>()
    })?;
    let (mut logits, mut final_fits) = (vec![vec![[0.0f64; 4]; n]; grid.len()], Vec::new());
    for (local, fits) in outs {
        for (ci, i, z) in local {
            logits[ci][i] = z;
        }
        final_fits.extend(fits);
    }
    let scores: Vec<(f64, f64)> = logits
        .iter()
        .zip(&grid)
        .map(|(z, &c)| {
            let pred: Vec<Label> = z.iter().map(|z| Label::ALL[argmax(z)]).collect();
            (c, compute(&p.labels, &pred, &p.langs, None).macro_f1)
        })
        .collect();
    // Best macro-F1; on a tie the stronger regularisation (smaller C).
    let best = (0..grid.len())
        .max_by(|&a, &b| scores[a].1.total_cmp(&scores[b].1).then(b.cmp(&a)))
        .unwrap_or(0);
    let z = &logits[best];
    let temperature = fit_temperature(z, &p.labels);
    let probs: Vec<[f64; 4]> = z.iter().map(|z| softmax(z, temperature)).collect();
    let predicted: Vec<Label> = probs.iter().map(|q| Label::ALL[argmax(q)]).collect();
    let metrics = compute(&p.labels, &predicted, &p.langs, Some(&probs));
    let real: Vec<usize> = (0..n).filter(|&i| p.outlets[i].is_some()).collect();
    let pick = |v: &[Label]| real.iter().map(|&i| v[i]).collect::<Vec<_>>();
    let langs: Vec<String> = real.iter().map(|&i| p.langs[i].clone()).collect();
    let pr: Vec<[f64; 4]> = real.iter().map(|&i| probs[i]).collect();
    let metrics_real =
        (!real.is_empty()).then(|| compute(&pick(&p.labels), &pick(&predicted), &langs, Some(&pr)));
    Ok(CvResult {
        c: grid[best],
        temperature,
        folds,
        probs,
        predicted,
        metrics,
        metrics_real,
        grid: scores,
        final_fits,
    })
}

/// Fits the final model on every row with regularisation `c` and calibration `temperature`.
pub fn fit_final(
    rows: &[Row],
    p: &Prepared,
    narrative: &Narrative,
    c: f64,
    temperature: f64,
    cv: Option<&CvResult>,
    opts: &TrainOptions,
) -> Result<ModelFile> {
    let idx: Vec<usize> = (0..p.labels.len()).collect();
    let fit = fit_grid(p, &idx, &[c], opts)?
        .pop()
        .ok_or_else(|| Error::Other("no fit".into()))?;
    Ok(model_file(rows, p, narrative, fit, c, temperature, cv))
}

/// The model file of `fit` (fitted on every row with regularisation `c`).
fn model_file(
    rows: &[Row],
    p: &Prepared,
    narrative: &Narrative,
    fit: Fitted,
    c: f64,
    temperature: f64,
    cv: Option<&CvResult>,
) -> ModelFile {
    if fit.classes < 4 {
        tracing::warn!("the corpus lacks some labels; the model will never predict them");
    }
    ModelFile {
        format: FORMAT.to_string(),
        format_version: FORMAT_VERSION,
        crate_version: env!("CARGO_PKG_VERSION").to_string(),
        trained_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        narrative_id: narrative.id.clone(),
        lexicon_hash: narrative.lexicon.hash(),
        corpus_hash: corpus_hash(rows),
        corpus_rows: rows.len(),
        labels: Label::ALL.to_vec(),
        c,
        temperature,
        feature_scale: fit.linear.feature_scale,
        feature_ids: structure::ids(),
        feature_weights: fit.linear.feature_weights,
        intercept: fit.linear.intercept,
        vocabulary: fit
            .vocab
            .iter()
            .map(|&g| p.grams[g as usize].clone())
            .collect(),
        idf: fit.linear.idf,
        weights: fit.linear.weights,
        frequent_words: frequent_words(p, &fit.vocab),
        metrics: cv.map(|cv| cv.metrics.clone()),
        metrics_real: cv.and_then(|cv| cv.metrics_real.clone()),
    }
}

/// Words in at least two rows that are not vocabulary words, sorted ([`ModelFile::frequent_words`]).
fn frequent_words(p: &Prepared, vocab: &[u32]) -> Vec<String> {
    let vocab: FxHashSet<u32> = vocab.iter().copied().collect();
    let mut df: FxHashMap<&str, u32> = FxHashMap::default();
    for g in p.distinct.iter().flatten().filter(|g| !vocab.contains(g)) {
        if let Some(w) = p.grams[*g as usize].strip_prefix("w:") {
            *df.entry(w).or_default() += 1;
        }
    }
    let mut out: Vec<String> = df
        .into_iter()
        .filter(|e| e.1 >= 2)
        .map(|e| e.0.to_string())
        .collect();
    out.sort_unstable();
    out
}

/// Cross-validates (choosing C and the temperature), then fits the final model on all rows.
pub fn train(
    rows: &[Row],
    narrative: &Narrative,
    opts: &TrainOptions,
) -> Result<(ModelFile, CvResult)> {
    let p = prepare(rows, &Structure::new(&narrative.lexicon));
    let mut cv = cross_validate(&p, opts, true)?;
    let chosen = cv.grid.iter().position(|g| g.0 == cv.c);
    let fit = std::mem::take(&mut cv.final_fits)
        .into_iter()
        .nth(chosen.unwrap_or(usize::MAX))
        .ok_or_else(|| Error::Other("no fit on every row".into()))?;
    let model = model_file(rows, &p, narrative, fit, cv.c, cv.temperature, Some(&cv));
    Ok((model, cv))
}
