//! The classifier: features (word and character n-grams, cue regexes), the linfa-trained multinomial
//! logistic regression, its versioned model file, evaluation and explanations. A pure function of text and
//! model: no database, no network.
//!
//! # Architecture
//! - [`corpus`]: the labelled TSV files, their hash, the near-duplicate key.
//! - [`features`]: tokeniser and n-gram hashing over [`crate::text::normalize_for_model`].
//! - [`cues`]: regex cue families (visa, visa-free, denial, official, border rules, countries...);
//!   [`needles`]: the one-pass search for their literals.
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
pub mod needles;
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

    /// Classifies one headline.
    pub fn classify(&self, text: &str) -> Classification {
        self.model.classify(text, self.threshold)
    }

    /// [`Classifier::classify`] into `out`, reusing its reason strings.
    pub fn classify_into(&self, text: &str, out: &mut Classification) {
        self.model.classify_into(text, self.threshold, out)
    }
}

/// Cross-validated figures stored with a model, for the report's "how far to trust a flag".
#[derive(Debug, Clone, PartialEq)]
pub struct MetricsSummary {
    pub macro_f1: f64,
    pub misleading_precision: f64,
    pub misleading_recall: f64,
}

impl Model {
    /// A short identifier of the trained model, stored beside every classification (so a retrained model
    /// classifies items again): `v<format>-<first 12 hex digits of the corpus hash>-<training time>`.
    pub fn version(&self) -> String {
        let f = &self.file;
        format!(
            "v{}-{}-{}",
            f.format_version,
            f.corpus_hash.get(..12).unwrap_or(&f.corpus_hash),
            f.trained_at
        )
    }

    /// The model's cross-validation figures, when the file carries them.
    pub fn metrics_summary(&self) -> Option<MetricsSummary> {
        let m = self.file.metrics.as_ref()?;
        let mis = m.classes.iter().find(|c| c.label == Label::Misleading)?;
        Some(MetricsSummary {
            macro_f1: m.macro_f1,
            misleading_precision: mis.precision,
            misleading_recall: mis.recall,
        })
    }

    /// Classifies one headline with the narrative's flag threshold.
    pub fn classify(&self, text: &str, threshold: f64) -> Classification {
        let mut c = Classification {
            label: Label::Unrelated,
            scores: [0.0; 4],
            flagged: false,
            reasons: Vec::new(),
        };
        self.classify_into(text, threshold, &mut c);
        c
    }

    /// [`Model::classify`] into `out`, reusing its reason strings (no allocation per headline).
    pub fn classify_into(&self, text: &str, threshold: f64, out: &mut Classification) {
        let p = self.predict(text);
        explain::reasons_into(self, &p, &mut out.reasons);
        out.label = p.label;
        out.scores = p.probs;
        out.flagged =
            p.label == Label::Misleading && p.probs[Label::Misleading.index()] >= threshold;
    }
}
