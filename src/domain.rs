//! The types the stages exchange: sources, items, labels, classifications and review verdicts.
//! Nothing here knows about HTTP, SQL or the model; every stage depends on this module and on no other stage.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The four classes a headline can take, relative to the narrative (DESIGN.md, "Labels").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Label {
    Misleading,
    Accurate,
    Rebuttal,
    Unrelated,
}

impl Label {
    /// All labels in their canonical order (the order of score vectors and model rows).
    pub const ALL: [Label; 4] = [
        Label::Misleading,
        Label::Accurate,
        Label::Rebuttal,
        Label::Unrelated,
    ];

    /// The label's name as written in the corpus, the database and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Misleading => "misleading",
            Label::Accurate => "accurate",
            Label::Rebuttal => "rebuttal",
            Label::Unrelated => "unrelated",
        }
    }

    /// Position in [`Label::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Label {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "misleading" => Ok(Label::Misleading),
            "accurate" => Ok(Label::Accurate),
            "rebuttal" => Ok(Label::Rebuttal),
            "unrelated" => Ok(Label::Unrelated),
            other => Err(format!(
                "unknown label {other:?} (expected misleading, accurate, rebuttal or unrelated)"
            )),
        }
    }
}

/// What kind of document a source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// RSS 0.9x/1.0/2.0, Atom or JSON Feed (or an HTML page that links to one).
    #[default]
    Feed,
    /// An HTML page whose headline links are picked by a CSS selector.
    Page,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Feed => "feed",
            SourceKind::Page => "page",
        }
    }
}

/// A news source as configured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub name: String,
    pub url: String,
    pub kind: SourceKind,
    pub lang: Option<String>,
    pub selector: Option<String>,
    pub encoding: Option<String>,
}

/// A headline as parsed from a feed or page, normalised, before it is stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewItem {
    /// Title after [`crate::text::clean_title`].
    pub title: String,
    /// Link as published (absolute), if any.
    pub url: Option<String>,
    /// [`crate::text::canonical_url`] of `url`.
    pub canonical_url: Option<String>,
    /// The feed's GUID / Atom id, if any.
    pub guid: Option<String>,
    pub summary: Option<String>,
    /// Publication time in UTC; the fetch time when the feed gave none (see `published_estimated`).
    pub published_at: DateTime<Utc>,
    /// True when `published_at` is not the publisher's date (missing, or clamped from the future).
    pub published_estimated: bool,
    pub lang: Option<String>,
}

/// A stored item, as the report and the classifier see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub id: i64,
    pub source: String,
    pub title: String,
    pub url: Option<String>,
    pub published_at: DateTime<Utc>,
    pub fetched_at: DateTime<Utc>,
    pub lang: Option<String>,
}

/// The classifier's output for one headline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Classification {
    pub label: Label,
    /// Probabilities in [`Label::ALL`] order, summing to 1.
    pub scores: [f64; 4],
    /// True when `label` is misleading and its probability is at or above the narrative's threshold.
    pub flagged: bool,
    /// Short, readable reasons: cue families that fired and the top-weighted n-grams.
    pub reasons: Vec<String>,
}

impl Classification {
    /// A classification with probability `p` on `label` and the rest shared evenly by the other three
    /// (stored classifications in tests and benchmarks).
    pub fn with_probability(label: Label, p: f64, flagged: bool, reasons: Vec<String>) -> Self {
        let mut scores = [(1.0 - p) / 3.0; 4];
        scores[label.index()] = p;
        Classification {
            label,
            scores,
            flagged,
            reasons,
        }
    }

    /// Probability of the predicted label.
    pub fn score(&self) -> f64 {
        self.scores[self.label.index()]
    }
}

/// A person's verdict on an item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    pub item_id: i64,
    pub label: Label,
    pub reviewer: Option<String>,
    pub note: Option<String>,
    pub reviewed_at: DateTime<Utc>,
}
