//! The classifier: features (word and character n-grams, cue regexes), the linfa-trained multinomial
//! logistic regression, its versioned model file, evaluation and explanations. A pure function of text and
//! model: no database, no network.

// STAND-IN: replaced by the classifier branch at merge. Only the API the `run` and `report` commands
// call is here (Model::load, version, classify, metrics_summary); the keyword rules below exist only so
// the report branch's tests have something to classify with.

use crate::domain::{Classification, Label};
use crate::error::{Error, Result};
use std::path::Path;

/// Cross-validated figures stored with a model, for the report's "how far to trust a flag".
#[derive(Debug, Clone, PartialEq)]
pub struct MetricsSummary {
    pub macro_f1: f64,
    pub misleading_precision: f64,
    pub misleading_recall: f64,
}

/// A loaded model.
#[derive(Debug, Clone)]
pub struct Model {
    version: String,
    metrics: Option<MetricsSummary>,
}

impl Model {
    /// Loads a model file.
    pub fn load(path: &Path) -> Result<Model> {
        let bytes = std::fs::read(path).map_err(|e| Error::Model {
            path: path.to_path_buf(),
            message: format!("cannot read the model ({e}); run `headline-watch train`"),
        })?;
        let json: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
        let f = |k: &str| json["metrics"][k].as_f64();
        let metrics = match (
            f("macro_f1"),
            f("misleading_precision"),
            f("misleading_recall"),
        ) {
            (Some(a), Some(b), Some(c)) => Some(MetricsSummary {
                macro_f1: a,
                misleading_precision: b,
                misleading_recall: c,
            }),
            _ => None,
        };
        Ok(Model {
            version: blake3::hash(&bytes).to_hex()[..16].to_string(),
            metrics,
        })
    }

    /// Identifies the model file (stored with every classification).
    pub fn version(&self) -> String {
        self.version.clone()
    }

    /// The model's evaluation figures, when it carries them.
    pub fn metrics_summary(&self) -> Option<MetricsSummary> {
        self.metrics.clone()
    }

    /// Classifies one headline.
    pub fn classify(&self, text: &str, threshold: f64) -> Classification {
        let t = text.to_lowercase();
        let (label, p, reason) = if ["visa-free", "безвиз", "визасыз"]
            .iter()
            .any(|w| t.contains(w))
        {
            (Label::Rebuttal, 0.8, "visa-free wording")
        } else if ["visa", "виз"].iter().any(|w| t.contains(w)) {
            (Label::Misleading, 0.9, "visa-regime wording")
        } else if ["fingerprint", "отпечат", "биометр", "biometric"]
            .iter()
            .any(|w| t.contains(w))
        {
            (Label::Accurate, 0.8, "biometrics wording")
        } else {
            (Label::Unrelated, 0.9, "no cue")
        };
        let mut scores = [(1.0 - p) / 3.0; 4];
        scores[label.index()] = p;
        Classification {
            label,
            scores,
            flagged: label == Label::Misleading && p >= threshold,
            reasons: vec![reason.to_string()],
        }
    }
}
