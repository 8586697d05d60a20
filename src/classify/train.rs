//! Training: feature selection, IDF, the linfa multinomial logistic regression, cross-validation over the
//! regularisation grid, and temperature calibration on out-of-fold logits.
//!
//! # Why a dense matrix here and a sparse dot product elsewhere
//! linfa-logistic takes a dense `Array2` only (STACK.md), so the trained feature space is bounded: n-grams
//! seen in at least `min_df` training headlines, ranked by their best per-class χ² and cut at
//! `max_features`. Vocabulary, IDF and χ² are fitted on each fold's training rows only, so the
//! cross-validated figures are honest. Prediction then uses the coefficients sparsely ([`super::model`]).
//!
//! Folds run on parallel threads; within a fold the C grid is fitted in ascending order, each fit warm-
//! started from the previous one.

use super::calibrate::fit_temperature;
use super::corpus::{corpus_hash, Row};
use super::cues::{Cues, N_CUES};
use super::features::{for_each_ngram_hash_or_word, hash_str, ngram_strings, Fnv, Gram};
use super::folds::assign_folds;
use super::metrics::{compute, Metrics};
use super::model::{argmax, softmax, Index, Linear, ModelFile, FORMAT, FORMAT_VERSION};
use crate::domain::Label;
use crate::error::{Error, Result};
use crate::text::normalize_for_model;
use linfa::prelude::*;
use linfa_logistic::MultiLogisticRegression;
use ndarray::{Array1, Array2};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

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
    pub cue_scale: f64,
    pub threads: usize,
}

/// Default C grid.
pub const DEFAULT_C_GRID: &[f64] = &[3.0, 10.0, 30.0];
/// Default bound on the n-gram vocabulary.
pub const DEFAULT_MAX_FEATURES: usize = 12000;

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            folds: 5,
            c_grid: DEFAULT_C_GRID.to_vec(),
            max_features: DEFAULT_MAX_FEATURES,
            min_df: 2,
            max_iterations: 100,
            gradient_tolerance: 1e-3,
            cue_scale: 0.25,
            threads: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1),
        }
    }
}

/// The corpus turned into features once, shared by every fold.
pub struct Prepared {
    pub labels: Vec<Label>,
    pub langs: Vec<String>,
    pub norms: Vec<String>,
    /// Hashes of every n-gram occurrence, per row.
    pub grams: Vec<Vec<u64>>,
    pub cues: Vec<[bool; N_CUES]>,
    /// Hashes of the word unigrams and bigrams among `grams` (the rest are character n-grams).
    pub word_grams: std::collections::HashSet<u64>,
}

/// Normalises and featurises the rows.
pub fn prepare(rows: &[Row]) -> Prepared {
    let cues = Cues::new();
    let mut chars = Vec::new();
    let mut spans = Vec::new();
    let mut p = Prepared {
        labels: Vec::with_capacity(rows.len()),
        langs: Vec::with_capacity(rows.len()),
        norms: Vec::with_capacity(rows.len()),
        grams: Vec::with_capacity(rows.len()),
        cues: Vec::with_capacity(rows.len()),
        word_grams: Default::default(),
    };
    for r in rows {
        let norm = normalize_for_model(&r.text);
        let mut g = Vec::new();
        for_each_ngram_hash_or_word::<Fnv>(&norm, &mut chars, &mut spans, |h, kind| {
            g.push(h);
            if kind != Gram::Chars {
                p.word_grams.insert(h);
            }
            false
        });
        p.cues.push(cues.fire(&norm));
        p.grams.push(g);
        p.labels.push(r.label);
        p.langs.push(r.lang.clone());
        p.norms.push(norm);
    }
    p
}

/// A model fitted on some rows: its vocabulary (as hashes) and linear part.
pub struct Fitted {
    pub vocab: Vec<u64>,
    pub linear: Linear,
    /// linfa's parameters (features + intercept row) for warm starts.
    params: Array2<F>,
    classes: Vec<usize>,
}

/// Vocabulary selection and IDF on the rows `idx`.
fn select(p: &Prepared, idx: &[usize], opts: &TrainOptions) -> (Vec<u64>, Vec<f32>) {
    let mut df: HashMap<u64, [u32; 4]> = HashMap::new();
    let mut class_n = [0u32; 4];
    let mut seen: Vec<u64> = Vec::new();
    for &i in idx {
        let k = p.labels[i].index();
        class_n[k] += 1;
        seen.clear();
        seen.extend_from_slice(&p.grams[i]);
        seen.sort_unstable();
        seen.dedup();
        for h in &seen {
            df.entry(*h).or_default()[k] += 1;
        }
    }
    let n = idx.len() as f64;
    let mut scored: Vec<(f64, u64, u32, bool)> = df
        .iter()
        .filter_map(|(&h, c)| {
            let total: u32 = c.iter().sum();
            if total < opts.min_df {
                return None;
            }
            let mut best = 0.0f64;
            for k in 0..4 {
                let a = f64::from(c[k]);
                let b = f64::from(total) - a;
                let cc = f64::from(class_n[k]) - a;
                let d = n - a - b - cc;
                let den = (a + cc) * (b + d) * (a + b) * (cc + d);
                if den > 0.0 {
                    best = best.max(n * (a * d - b * cc).powi(2) / den);
                }
            }
            Some((best, h, total, !p.word_grams.contains(&h)))
        })
        .collect();
    // Highest χ² first; ties by hash so the result does not depend on HashMap order.
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.truncate(opts.max_features);
    // Word n-grams first (reasons look at them first: prediction finds them as a prefix of its sorted
    // columns), then character n-grams; each in descending document frequency (ties by hash): the
    // n-grams most headlines have sit together, so prediction's per-column reads (counts, IDF,
    // weights) mostly hit a few cache lines.
    scored.sort_by(|a, b| a.3.cmp(&b.3).then(b.2.cmp(&a.2)).then(a.1.cmp(&b.1)));
    let vocab = scored.iter().map(|s| s.1).collect();
    let idf = scored
        .iter()
        .map(|s| (((1.0 + n) / (1.0 + f64::from(s.2))).ln() + 1.0) as f32)
        .collect();
    (vocab, idf)
}

fn index_of(vocab: &[u64]) -> Index {
    Index::new(vocab)
}

/// The dense design matrix of rows `idx` (TF-IDF block then cue block), computed through the same
/// sparse code path that prediction uses.
fn design(p: &Prepared, idx: &[usize], lin: &Linear) -> Array2<F> {
    let nv = lin.idf.len();
    let mut x = Array2::<F>::zeros((idx.len(), nv + N_CUES));
    let mut cols = Vec::new();
    let mut terms = Vec::new();
    for (r, &i) in idx.iter().enumerate() {
        columns(p, i, &lin.index, &mut cols);
        lin.logits_from_columns(&mut cols, &[], &mut terms);
        let mut row = x.row_mut(r);
        for &(c, v) in &terms {
            row[c as usize] = v as F;
        }
        for (j, on) in p.cues[i].iter().enumerate() {
            if *on {
                row[nv + j] = lin.cue_scale as F;
            }
        }
    }
    x
}

fn columns(p: &Prepared, i: usize, index: &Index, cols: &mut Vec<u32>) {
    cols.clear();
    cols.extend(p.grams[i].iter().filter_map(|&h| index.get(h)));
}

/// Fits on rows `idx` for each C in `grid` (ascending, warm-started); one [`Fitted`] per C.
fn fit_grid(p: &Prepared, idx: &[usize], grid: &[f64], opts: &TrainOptions) -> Result<Vec<Fitted>> {
    let (vocab, idf) = select(p, idx, opts);
    let nv = vocab.len();
    let base = Linear {
        index: index_of(&vocab),
        idf,
        weights: vec![[0.0; 4]; nv],
        cue_weights: vec![[0.0; 4]; N_CUES],
        intercept: [0.0; 4],
        cue_scale: opts.cue_scale,
        known_words: Default::default(),
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
        if let Some(prev) = out.last() {
            params = params.initial_params(prev.params.clone());
        }
        let fit = params
            .fit(&ds)
            .map_err(|e| Error::Other(format!("training failed (C = {c}): {e}")))?;
        let classes: Vec<usize> = fit.classes().to_vec();
        let w = fit.params();
        let b = fit.intercept();
        let mut lin = base.clone();
        lin.intercept = [-30.0; 4];
        for (col, &k) in classes.iter().enumerate() {
            lin.intercept[k] = f64::from(b[col]);
            for f in 0..nv {
                lin.weights[f][k] = w[[f, col]];
            }
            for j in 0..N_CUES {
                lin.cue_weights[j][k] = w[[nv + j, col]];
            }
        }
        let mut full = Array2::<F>::zeros((w.nrows() + 1, w.ncols()));
        for (r, row) in w.rows().into_iter().enumerate() {
            full.row_mut(r).assign(&row);
        }
        full.row_mut(w.nrows()).assign(b);
        // Warm starts need the same class set; a fold missing a class cannot seed the next.
        out.push(Fitted {
            vocab: vocab.clone(),
            linear: lin,
            params: full,
            classes,
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
    pub metrics: Metrics,
    /// Macro-F1 per C tried.
    pub grid: Vec<(f64, f64)>,
}

/// Stratified, near-duplicate-grouped k-fold cross-validation over the C grid.
pub fn cross_validate(p: &Prepared, opts: &TrainOptions) -> Result<CvResult> {
    let n = p.labels.len();
    let k = opts.folds.max(2);
    if n < k * 2 {
        return Err(Error::Other(format!(
            "the corpus has {n} rows, too few for {k}-fold cross-validation"
        )));
    }
    let texts: Vec<&str> = p.norms.iter().map(String::as_str).collect();
    let folds = assign_folds(&texts, &p.labels, k);
    let mut grid = opts.c_grid.clone();
    grid.sort_by(f64::total_cmp);
    grid.dedup();
    if grid.is_empty() {
        grid.push(10.0);
    }
    // logits[c][row]
    let logits = Mutex::new(vec![vec![[0.0f64; 4]; n]; grid.len()]);
    let next = AtomicUsize::new(0);
    let failure: Mutex<Option<Error>> = Mutex::new(None);
    std::thread::scope(|s| {
        for _ in 0..opts.threads.clamp(1, k) {
            s.spawn(|| loop {
                let f = next.fetch_add(1, Ordering::SeqCst);
                if f >= k {
                    break;
                }
                let train: Vec<usize> = (0..n).filter(|&i| folds[i] != f).collect();
                let test: Vec<usize> = (0..n).filter(|&i| folds[i] == f).collect();
                match fit_grid(p, &train, &grid, opts) {
                    Ok(fits) => {
                        let mut cols = Vec::new();
                        let mut terms = Vec::new();
                        let mut local = Vec::new();
                        for (ci, fit) in fits.iter().enumerate() {
                            for &i in &test {
                                columns(p, i, &fit.linear.index, &mut cols);
                                let z = fit
                                    .linear
                                    .logits_from_columns(&mut cols, &p.cues[i], &mut terms);
                                local.push((ci, i, z));
                            }
                        }
                        let mut l = logits.lock().unwrap_or_else(|e| e.into_inner());
                        for (ci, i, z) in local {
                            l[ci][i] = z;
                        }
                    }
                    Err(e) => {
                        *failure.lock().unwrap_or_else(|e| e.into_inner()) = Some(e);
                    }
                }
            });
        }
    });
    if let Some(e) = failure.into_inner().unwrap_or_else(|e| e.into_inner()) {
        return Err(e);
    }
    let logits = logits.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut scores = Vec::new();
    for (ci, z) in logits.iter().enumerate() {
        let pred: Vec<Label> = z.iter().map(|z| Label::ALL[argmax(z)]).collect();
        let m = compute(&p.labels, &pred, &p.langs, None);
        scores.push((grid[ci], m.macro_f1));
    }
    // Best macro-F1; on a tie the stronger regularisation (smaller C).
    let best = (0..grid.len())
        .max_by(|&a, &b| scores[a].1.total_cmp(&scores[b].1).then(b.cmp(&a)))
        .unwrap_or(0);
    let z = &logits[best];
    let temperature = fit_temperature(z, &p.labels);
    let probs: Vec<[f64; 4]> = z.iter().map(|z| softmax(z, temperature)).collect();
    let predicted: Vec<Label> = probs.iter().map(|q| Label::ALL[argmax(q)]).collect();
    let metrics = compute(&p.labels, &predicted, &p.langs, Some(&probs));
    Ok(CvResult {
        c: grid[best],
        temperature,
        folds,
        probs,
        predicted,
        metrics,
        grid: scores,
    })
}

/// Fits the final model on every row with regularisation `c` and calibration `temperature`.
pub fn fit_final(
    rows: &[Row],
    p: &Prepared,
    c: f64,
    temperature: f64,
    metrics: Option<Metrics>,
    opts: &TrainOptions,
) -> Result<ModelFile> {
    let idx: Vec<usize> = (0..p.labels.len()).collect();
    let mut fits = fit_grid(p, &idx, &[c], opts)?;
    let fit = fits.pop().ok_or_else(|| Error::Other("no fit".into()))?;
    if fit.classes.len() < 4 {
        tracing::warn!("the corpus lacks some labels; the model will never predict them");
    }
    // Vocabulary strings: the n-grams of the corpus whose hash is in the vocabulary.
    let wanted: std::collections::HashSet<u64> = fit.vocab.iter().copied().collect();
    let mut names: HashMap<u64, String> = HashMap::with_capacity(fit.vocab.len());
    for norm in &p.norms {
        for g in ngram_strings(norm) {
            let h = hash_str(&g);
            if wanted.contains(&h) {
                names.entry(h).or_insert(g);
            }
        }
    }
    let vocabulary = fit
        .vocab
        .iter()
        .map(|h| names.get(h).cloned().unwrap_or_default())
        .collect();
    Ok(ModelFile {
        format: FORMAT.to_string(),
        format_version: FORMAT_VERSION,
        crate_version: env!("CARGO_PKG_VERSION").to_string(),
        trained_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        corpus_hash: corpus_hash(rows),
        corpus_rows: rows.len(),
        labels: Label::ALL.to_vec(),
        c,
        temperature,
        cue_scale: fit.linear.cue_scale,
        cue_ids: Cues::ids(),
        cue_weights: fit.linear.cue_weights,
        intercept: fit.linear.intercept,
        vocabulary,
        idf: fit.linear.idf,
        weights: fit.linear.weights,
        metrics,
    })
}

/// Cross-validates (choosing C and the temperature), then fits the final model on all rows.
pub fn train(rows: &[Row], opts: &TrainOptions) -> Result<(ModelFile, CvResult)> {
    let p = prepare(rows);
    let cv = cross_validate(&p, opts)?;
    let model = fit_final(
        rows,
        &p,
        cv.c,
        cv.temperature,
        Some(cv.metrics.clone()),
        opts,
    )?;
    Ok((model, cv))
}
