//! The classifier: features (word and character n-grams, cue regexes), the linfa-trained multinomial
//! logistic regression, its versioned model file, evaluation and explanations. A pure function of text and
//! model: no database, no network.
//!
//! # Architecture
//! - [`corpus`]: the labelled TSV files, their hash, the near-duplicate key.
//! - [`features`]: tokeniser and n-gram hashing over [`crate::text::normalize_for_model`].
//! - [`cues`]: regex cue families (visa, visa-free, denial, official, border rules, countries...).
//! - [`train`]: χ²-selected vocabulary, IDF, linfa fit, cross-validated C, calibration.
//! - [`folds`]: stratified k-fold with near-duplicate groups; [`metrics`]: P/R/F1, per language.
//! - [`calibrate`]: temperature scaling; [`model`]: the file and sparse prediction; [`explain`]: reasons.
//!
//! See [`model`] for when the model file's format and corpus hash are checked.

pub mod calibrate;
pub mod corpus;
pub mod cues;
pub mod explain;
pub mod features;
pub mod folds;
pub mod metrics;
pub mod model;
pub mod train;

use crate::domain::{Classification, Label};
use crate::error::Result;
pub use model::Model;
use std::path::Path;

/// A loaded model with the narrative's flag threshold.
pub struct Classifier {
    pub model: Model,
    pub threshold: f64,
}

impl Classifier {
    /// Loads the model at `path`.
    pub fn load(path: &Path, threshold: f64) -> Result<Classifier> {
        Ok(Classifier {
            model: Model::load(path)?,
            threshold,
        })
    }

    /// A short identifier of the loaded model for storing beside classifications:
    /// `v<format>-<first 12 hex digits of the corpus hash>-<training time>`.
    pub fn model_version(&self) -> String {
        let f = &self.model.file;
        format!(
            "v{}-{}-{}",
            f.format_version,
            &f.corpus_hash[..f.corpus_hash.len().min(12)],
            f.trained_at
        )
    }

    /// Classifies one headline.
    pub fn classify(&self, text: &str) -> Classification {
        let p = self.model.predict(text);
        let reasons = explain::reasons(&self.model, &p);
        Classification {
            label: p.label,
            scores: p.probs,
            flagged: p.label == Label::Misleading && p.probs[0] >= self.threshold,
            reasons,
        }
    }
}
