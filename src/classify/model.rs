//! The model: a multinomial logistic regression over TF-IDF n-gram features plus structure features, its
//! versioned JSON file, and sparse prediction.
//!
//! # Prediction
//! A headline's n-grams ([`super::features`]) are looked up in the vocabulary (a hash map from n-gram to
//! column); term frequencies are sublinear (`1 + ln tf`), multiplied by the stored IDF and L2-normalised;
//! structure features are binary, scaled by `feature_scale`. The four class logits are dot products with
//! the learned coefficients, divided by the calibration temperature and soft-maxed. Training builds its
//! design matrix through the same [`Linear::terms`].
//!
//! # The model file and its checks
//! JSON with `format` / `format_version`, the narrative id and the hash of the lexicon it was trained with,
//! the vocabulary, IDF, coefficients, structure feature ids, corpus hash, training date, crate version, the
//! chosen regularisation and the cross-validated metrics (all rows, and real rows alone).
//! - A file that is not JSON of this shape, of another format version, of another feature set, or trained
//!   with another lexicon is an error that says to run `headline-watch train`, never a panic.
//! - The corpus hash is *not* checked when classifying (a fresh clone or a cron job classifies without the
//!   corpus); [`Model::check_corpus`] compares it where the corpus matters (evaluation, the model test).

use super::features::{display_ngram, for_each_ngram, is_number_only, Gram, Scratch};
use super::metrics::Metrics;
use super::structure::{self, Structure, N_FEATURES};
use crate::domain::Label;
use crate::error::{Error, Result};
use crate::narrative::{ModelSource, Narrative, SHIPPED_MODEL};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::path::{Path, PathBuf};

/// The model file's `format` field.
pub const FORMAT: &str = "headline-watch-classifier";
/// Bumped whenever features or the file layout change; an older file must be retrained.
pub const FORMAT_VERSION: u32 = 2;
/// Most n-grams named in a headline's reasons.
pub const TOP_NGRAMS: usize = 3;

/// The serialised model (field order is the file's).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelFile {
    pub format: String,
    pub format_version: u32,
    pub crate_version: String,
    pub trained_at: String,
    pub narrative_id: String,
    /// [`crate::narrative::Lexicon::hash`] of the lexicon the structure features were read with.
    pub lexicon_hash: String,
    pub corpus_hash: String,
    pub corpus_rows: usize,
    /// Class order of every `[f32; 4]` below (misleading, accurate, rebuttal, unrelated).
    pub labels: Vec<Label>,
    /// Inverse L2 strength (alpha = 1 / c) chosen by cross-validation.
    pub c: f64,
    /// Softmax temperature fitted on out-of-fold logits.
    pub temperature: f64,
    pub feature_scale: f64,
    pub feature_ids: Vec<String>,
    pub feature_weights: Vec<[f32; 4]>,
    pub intercept: [f64; 4],
    /// N-gram strings (`w:`, `b:`, `c:` prefixes), one per column.
    pub vocabulary: Vec<String>,
    pub idf: Vec<f32>,
    pub weights: Vec<[f32; 4]>,
    /// Other words in two or more training rows: listed in [`Linear::known`] too (speed only).
    #[serde(default)]
    pub frequent_words: Vec<String>,
    /// Cross-validated metrics on every row (calibrated).
    pub metrics: Option<Metrics>,
    /// Cross-validated metrics on the real published rows alone (folds grouped by outlet).
    pub metrics_real: Option<Metrics>,
}

/// The part of the model prediction needs, in memory.
#[derive(Debug, Clone)]
pub struct Linear {
    /// N-gram text → column, one map per [`Gram`] kind (so a lookup hashes a slice, no prefix to add).
    pub vocab: [FxHashMap<String, u32>; 3],
    pub idf: Vec<f32>,
    pub weights: Vec<[f32; 4]>,
    pub feature_weights: Vec<[f32; 4]>,
    pub intercept: [f64; 4],
    pub feature_scale: f64,
    /// For each vocabulary word and [`ModelFile::frequent_words`] entry, the columns of the word and its
    /// character n-grams (with repeats), listed once at load: a headline word found here costs one
    /// lookup instead of ~30. Empty in training; a test checks that the counts are the same either way.
    pub known: FxHashMap<String, Vec<u32>>,
}

/// The vocabulary maps of `entries` (`"w:визы"`, …) in column order; `Err` names an entry without a
/// known prefix or one given twice.
pub fn vocab_maps<'a>(
    entries: impl Iterator<Item = &'a str>,
) -> std::result::Result<[FxHashMap<String, u32>; 3], &'a str> {
    let mut maps: [FxHashMap<String, u32>; 3] = Default::default();
    for (c, e) in entries.enumerate() {
        let (k, text) = Gram::split(e).ok_or(e)?;
        if maps[k as usize]
            .insert(text.to_string(), c as u32)
            .is_some()
        {
            return Err(e);
        }
    }
    Ok(maps)
}

impl Linear {
    /// The headline's weighted n-gram columns, ascending: `(column, L2-normalised 1 + ln tf × idf)`.
    pub fn terms(&self, norm: &str, s: &mut Scratch, terms: &mut Vec<(u32, f64)>) {
        let mut cols = std::mem::take(&mut s.cols);
        cols.clear();
        for_each_ngram(norm, s, |k, g| {
            if k == Gram::Word {
                if let Some(list) = self.known.get(g) {
                    cols.extend(list);
                    return true;
                }
            }
            cols.extend(self.vocab[k as usize].get(g));
            false
        });
        cols.sort_unstable();
        terms.clear();
        let mut norm2 = 0.0;
        for run in cols.chunk_by(|a, b| a == b) {
            let v = (1.0 + (run.len() as f64).ln()) * f64::from(self.idf[run[0] as usize]);
            norm2 += v * v;
            terms.push((run[0], v));
        }
        let inv = if norm2 > 0.0 { 1.0 / norm2.sqrt() } else { 0.0 };
        for t in terms.iter_mut() {
            t.1 *= inv;
        }
        s.cols = cols;
    }

    /// Fills [`Linear::known`] from the vocabulary's words and `more` (frequent words of the corpus).
    pub fn list_known_words(&mut self, more: &[String]) {
        let mut s = Scratch::default();
        let mut known = FxHashMap::default();
        for word in self.vocab[Gram::Word as usize].keys().chain(more) {
            let (mut cols, mut words) = (Vec::new(), 0);
            for_each_ngram(word, &mut s, |k, g| {
                words += usize::from(k == Gram::Word);
                cols.extend(self.vocab[k as usize].get(g));
                false
            });
            // Only an entry that is exactly one word as the tokeniser reads it.
            if words == 1 {
                known.insert(word.clone(), cols);
            }
        }
        self.known = known;
    }

    /// Class logits from the terms and the structure features.
    pub fn logits(&self, terms: &[(u32, f64)], features: &[bool]) -> [f64; 4] {
        let mut z = self.intercept;
        for &(c, v) in terms {
            let w = &self.weights[c as usize];
            for k in 0..4 {
                z[k] += v * f64::from(w[k]);
            }
        }
        for (_, w) in features
            .iter()
            .zip(&self.feature_weights)
            .filter(|(on, _)| **on)
        {
            for k in 0..4 {
                z[k] += self.feature_scale * f64::from(w[k]);
            }
        }
        z
    }
}

/// Softmax of `z / temperature`.
pub fn softmax(z: &[f64; 4], temperature: f64) -> [f64; 4] {
    let t = if temperature > 0.0 { temperature } else { 1.0 };
    let m = z.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let mut p = z.map(|v| ((v - m) / t).exp());
    let sum: f64 = p.iter().sum();
    for v in &mut p {
        *v /= sum;
    }
    p
}

/// Index of the largest value (first on ties).
pub fn argmax(p: &[f64; 4]) -> usize {
    (1..4).fold(0, |best, k| if p[k] > p[best] { k } else { best })
}

/// A headline in model form, n-gram scratch and terms, reused by [`Model::predict`].
type Buffers = (String, Scratch, Vec<(u32, f64)>);

/// One headline's prediction with what reasons need.
#[derive(Debug, Clone)]
pub struct Prediction {
    pub label: Label,
    pub probs: [f64; 4],
    pub features: [bool; N_FEATURES],
    /// Vocabulary columns that pushed hardest towards `label`, strongest first.
    pub top_ngrams: Vec<u32>,
}

/// A loaded model, ready to classify.
pub struct Model {
    pub file: ModelFile,
    pub linear: Linear,
    structure: Structure,
    /// How reasons show each column (`"визовый режим"`, `"…виз…"`), and its core (`визовый режим`).
    names: Vec<(String, String)>,
    /// Per column: (a number-only n-gram, never a reason; a character n-gram, named only when no word
    /// n-gram pushed).
    kinds: Vec<(bool, bool)>,
}

impl Model {
    /// Builds the in-memory model from its file form for `narrative`, checking that the parts fit.
    pub fn from_file(file: ModelFile, narrative: &Narrative, path: &Path) -> Result<Model> {
        let bad = |message: String| Error::Model {
            path: path.to_path_buf(),
            message: format!("{message}; run `headline-watch train` to rebuild it"),
        };
        if file.format != FORMAT || file.format_version != FORMAT_VERSION {
            return Err(bad(format!(
                "model format version {} of {:?} is not what this build reads (version {FORMAT_VERSION} of {FORMAT:?})",
                file.format_version, file.format
            )));
        }
        if file.feature_ids != structure::ids() {
            return Err(bad(
                "the model's structure features differ from this build's".into(),
            ));
        }
        if file.lexicon_hash != narrative.lexicon.hash() {
            return Err(bad(format!(
                "the model was trained with another lexicon than narrative {:?}'s (model {}, narrative {})",
                narrative.id,
                short(&file.lexicon_hash),
                short(&narrative.lexicon.hash())
            )));
        }
        let n = file.vocabulary.len();
        if file.idf.len() != n
            || file.weights.len() != n
            || file.feature_weights.len() != N_FEATURES
            || file.labels != Label::ALL
        {
            return Err(bad("corrupt model: the parts' sizes do not match".into()));
        }
        let finite = file
            .weights
            .iter()
            .chain(&file.feature_weights)
            .flatten()
            .all(|w| w.is_finite())
            && file.idf.iter().all(|v| v.is_finite())
            && file.intercept.iter().all(|v| v.is_finite());
        if !finite {
            return Err(bad("corrupt model: non-finite numbers".into()));
        }
        let vocab = vocab_maps(file.vocabulary.iter().map(String::as_str)).map_err(|g| {
            bad(format!(
                "corrupt model: the vocabulary repeats {g:?} or it has no w:, b: or c: prefix"
            ))
        })?;
        let mut linear = Linear {
            vocab,
            idf: file.idf.clone(),
            weights: file.weights.clone(),
            feature_weights: file.feature_weights.clone(),
            intercept: file.intercept,
            feature_scale: file.feature_scale,
            known: FxHashMap::default(),
        };
        linear.list_known_words(&file.frequent_words);
        Ok(Model {
            linear,
            structure: Structure::new(&narrative.lexicon),
            names: file
                .vocabulary
                .iter()
                .map(|g| {
                    let d = display_ngram(g);
                    let core = d.trim_matches(['"', '…']).to_string();
                    (d, core)
                })
                .collect(),
            kinds: file
                .vocabulary
                .iter()
                .map(|g| (is_number_only(g), g.starts_with("c:")))
                .collect(),
            file,
        })
    }

    /// Loads the model `source` names for `narrative`. Missing, unreadable, corrupt, outdated or
    /// mismatched files are errors naming the path and saying to run `train`.
    pub fn load(source: &ModelSource, narrative: &Narrative) -> Result<Model> {
        let path = PathBuf::from(source.display());
        let owned;
        let bytes: &[u8] = match source {
            ModelSource::Shipped => SHIPPED_MODEL,
            ModelSource::File(p) => {
                owned = std::fs::read(p).map_err(|e| Error::Model {
                    path: p.clone(),
                    message: if e.kind() == std::io::ErrorKind::NotFound {
                        "no model file; run `headline-watch train` to create it".into()
                    } else {
                        format!("cannot read the model file: {e}")
                    },
                })?;
                &owned
            }
        };
        let file: ModelFile = serde_json::from_slice(bytes).map_err(|e| {
            // An older file of ours may not fit today's shape: say "outdated", not "corrupt".
            let head: Option<serde_json::Value> = serde_json::from_slice(bytes).ok();
            let message = match head.and_then(|h| h.get("format_version")?.as_u64()) {
                Some(v) if v != u64::from(FORMAT_VERSION) => format!(
                    "model format version {v} is not the version this build reads ({FORMAT_VERSION}); run `headline-watch train` to rebuild it"
                ),
                _ => format!("corrupt model file ({e}); run `headline-watch train` to rebuild it"),
            };
            Error::Model { path: path.clone(), message }
        })?;
        Model::from_file(file, narrative, &path)
    }

    /// Writes the model as JSON (atomically: a temporary file renamed into place).
    pub fn save(file: &ModelFile, path: &Path) -> Result<()> {
        let io = |e: std::io::Error| Error::Model {
            path: path.to_path_buf(),
            message: format!("cannot write the model file: {e}"),
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let json = serde_json::to_vec(file).map_err(|e| io(e.into()))?;
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, json).map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)
    }

    /// Errors unless the model was trained on a corpus with this hash.
    pub fn check_corpus(&self, corpus_hash: &str, path: &Path) -> Result<()> {
        if self.file.corpus_hash == corpus_hash {
            return Ok(());
        }
        Err(Error::Model {
            path: path.to_path_buf(),
            message: format!(
                "the model was trained on a different corpus (model {}, corpus {}); the loop is `review export` → `train` → commit the model: run `headline-watch train`",
                short(&self.file.corpus_hash),
                short(corpus_hash)
            ),
        })
    }

    /// The structure features of a headline in model form (training uses the model's own reading).
    pub fn structure(&self) -> &Structure {
        &self.structure
    }

    /// Classifies one headline (raw text; normalised here).
    pub fn predict(&self, raw: &str) -> Prediction {
        thread_local! {
            // Buffers reused from one headline to the next (`classify` calls this per line).
            static BUF: RefCell<Buffers> = RefCell::default();
        }
        BUF.with(|b| {
            let (norm, scratch, terms) = &mut *b.borrow_mut();
            crate::text::normalize_for_model_into(raw, norm);
            let features = self.structure.features(norm);
            self.linear.terms(norm, scratch, terms);
            let probs = softmax(&self.linear.logits(terms, &features), self.file.temperature);
            let best = argmax(&probs);
            Prediction {
                label: Label::ALL[best],
                probs,
                features,
                top_ngrams: self.top_ngrams(terms, best),
            }
        })
    }

    /// The n-grams whose weighted value pushed hardest towards class `k` against the mean of the others,
    /// skipping number-only n-grams and those that merely overlap a stronger one (`…станц…` after
    /// `казахстанцев`). Word n-grams first (readable); character n-grams when no word n-gram pushed.
    fn top_ngrams(&self, terms: &[(u32, f64)], k: usize) -> Vec<u32> {
        let push = |&(c, v): &(u32, f64)| {
            let w = &self.linear.weights[c as usize];
            (v * f64::from(4.0 * w[k] - w.iter().sum::<f32>()) / 3.0, c)
        };
        let usable = |&(p, c): &(f64, u32)| p > 0.0 && !self.kinds[c as usize].0;
        let mut cands: Vec<(f64, u32)> = terms
            .iter()
            .map(push)
            .filter(usable)
            .filter(|&(_, c)| !self.kinds[c as usize].1)
            .collect();
        if cands.is_empty() {
            cands = terms.iter().map(push).filter(usable).collect();
        }
        cands.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let core = |c: u32| self.names[c as usize].1.as_str();
        let mut out: Vec<u32> = Vec::new();
        for (_, c) in cands {
            if !out
                .iter()
                .any(|&o| core(o).contains(core(c)) || core(c).contains(core(o)))
            {
                out.push(c);
            }
            if out.len() == TOP_NGRAMS {
                break;
            }
        }
        out
    }

    /// How reasons show vocabulary column `c` (`"визовый режим"`, `"…виз…"`).
    pub fn display(&self, c: u32) -> &str {
        &self.names[c as usize].0
    }
}

fn short(h: &str) -> &str {
    &h[..h.len().min(12)]
}
