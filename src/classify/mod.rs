//! The classifier: n-gram features, structure features read from the narrative's lexicon, the
//! linfa-trained multinomial logistic regression, its versioned model file, evaluation and explanations.
//! A pure function of text, narrative and model: no database, no network.
//!
//! # Architecture
//! - [`corpus`]: the labelled TSV files, their hash, the near-duplicate key, which rows are real.
//! - [`features`]: word and character n-grams over [`crate::text::normalize_for_model`].
//! - [`structure`]: target, actor, action and modality features from the lexicon.
//! - [`train`]: χ²-selected vocabulary, IDF, linfa fit, cross-validated C, calibration.
//! - [`folds`]: k-fold assignment (near-duplicates together, real rows grouped by outlet);
//!   [`metrics`]: P/R/F1, per language, false flags.
//! - [`calibrate`]: temperature scaling; [`model`]: the file and sparse prediction; [`explain`]: reasons.

pub mod calibrate;
pub mod corpus;
pub mod explain;
pub mod features;
pub mod folds;
pub mod metrics;
pub mod model;
pub mod structure;
pub mod train;

use crate::domain::{Classification, Label};
use crate::error::Result;
use crate::narrative::{ModelSource, Narrative};
pub use model::Model;

/// A loaded model with the narrative's flag threshold.
pub struct Classifier {
    pub model: Model,
    pub threshold: f64,
}

impl Classifier {
    /// Loads the model `source` names for `narrative`.
    pub fn load(source: &ModelSource, narrative: &Narrative, threshold: f64) -> Result<Classifier> {
        Ok(Classifier {
            model: Model::load(source, narrative)?,
            threshold,
        })
    }

    /// Classifies one headline.
    pub fn classify(&self, text: &str) -> Classification {
        self.model.classify(text, self.threshold)
    }
}

/// Cross-validated figures stored with a model, for the report's "how far to trust a flag": on the real
/// published rows first (when the model has them), then on every row.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricsSummary {
    pub macro_f1: f64,
    pub misleading_precision: f64,
    pub misleading_recall: f64,
    /// Real rows: how many, the share of non-misleading ones predicted misleading, rebuttal and misleading
    /// recall.
    pub real: Option<RealSummary>,
}

/// The real-row figures of [`MetricsSummary`].
#[derive(Debug, Clone, PartialEq)]
pub struct RealSummary {
    pub rows: usize,
    pub false_flag_rate: f64,
    pub rebuttal_recall: f64,
    pub misleading_recall: f64,
    pub macro_f1: f64,
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
        let mis = m.class(Label::Misleading)?;
        Some(MetricsSummary {
            macro_f1: m.macro_f1,
            misleading_precision: mis.precision,
            misleading_recall: mis.recall,
            real: self.file.metrics_real.as_ref().map(|r| RealSummary {
                rows: r.rows,
                false_flag_rate: r.false_flag_rate(),
                rebuttal_recall: r.class(Label::Rebuttal).map_or(0.0, |c| c.recall),
                misleading_recall: r.class(Label::Misleading).map_or(0.0, |c| c.recall),
                macro_f1: r.macro_f1,
            }),
        })
    }

    /// Classifies one headline with the narrative's flag threshold.
    pub fn classify(&self, text: &str, threshold: f64) -> Classification {
        let p = self.predict(text);
        Classification {
            label: p.label,
            scores: p.probs,
            flagged: p.label == Label::Misleading
                && p.probs[Label::Misleading.index()] >= threshold,
            reasons: explain::reasons(self, &p),
        }
    }
}
