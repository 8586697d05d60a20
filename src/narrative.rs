//! A narrative as data (`narratives/*.toml`, layout in narratives/README.md): the claim and its ClaimReview
//! rating, the flag threshold, the official positions and facts reports cite (each with its source), and the
//! lexicon the classifier's structure features are built from.
//!
//! The shipped narrative (`narratives/visa-regime.toml`) and its trained model (`models/visa-regime.json`)
//! are embedded in the binary: a config that names no narrative file, run from any folder, still classifies
//! and still cites the official position. A model records the hash of the lexicon it was trained with
//! ([`Lexicon::hash`]); the classifier refuses a model whose lexicon differs (see `classify::model`).

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The shipped narrative file, as built into the binary.
pub const SHIPPED_NARRATIVE: &str = include_str!("../narratives/visa-regime.toml");
/// Where the shipped narrative lives in the repository (for messages).
pub const SHIPPED_NARRATIVE_PATH: &str = "narratives/visa-regime.toml";
/// The shipped narrative's trained model, as built into the binary.
pub const SHIPPED_MODEL: &[u8] = include_bytes!("../models/visa-regime.json");
/// Where `train` writes and the repository keeps the shipped model.
pub const SHIPPED_MODEL_PATH: &str = "models/visa-regime.json";

/// One narrative: what it claims, how to rate it, what to cite, and the words its features look for.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Narrative {
    pub id: String,
    /// The misleading claim, in one sentence (ClaimReview `claimReviewed`).
    pub claim: String,
    /// ClaimReview `reviewRating.alternateName` for a flagged headline.
    pub rating: String,
    /// Opening of every ClaimReview's `ratingExplanation` (the first position's citation follows it).
    pub explanation: String,
    /// A `misleading` prediction is flagged when its probability is at or above this.
    pub threshold: f64,
    #[serde(default)]
    pub positions: Vec<Position>,
    #[serde(default)]
    pub facts: Vec<Fact>,
    pub lexicon: Lexicon,
}

/// An official statement, quoted verbatim with who said it, when and where, and who published the words.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Position {
    pub speaker: String,
    pub role: String,
    pub organisation: String,
    /// ISO date, `YYYY-MM-DD`.
    pub date: String,
    /// The quote in the language it was published in.
    pub quote: String,
    pub quote_lang: String,
    /// English rendering (may equal `quote` when the source is English).
    #[serde(default)]
    pub quote_en: Option<String>,
    /// Where it was said (a briefing, a statement).
    pub venue: String,
    /// Who published it, and the article.
    pub source_name: String,
    pub source_url: String,
    /// Whose wording the quote is ("Tsargrad"): a quote is never presented as the speaker's own transcript
    /// when an outlet's rendering is all there is.
    #[serde(default)]
    pub as_quoted_by: Option<String>,
}

/// A fact about the rules, with its source. `note` records disagreement between sources.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    pub statement: String,
    pub source_name: String,
    pub source_url: String,
    pub date: String,
    #[serde(default)]
    pub note: Option<String>,
}

/// Word lists by category, then by language (ISO 639-1): `lexicon.visa.ru = ["виз*"]`. The categories are
/// fixed by the classifier ([`crate::classify::structure::CATEGORIES`]); the words are the narrative's.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(transparent)]
pub struct Lexicon(pub BTreeMap<String, BTreeMap<String, Vec<String>>>);

impl Lexicon {
    /// Every entry of `category`, all languages together (features do not depend on a headline's language).
    pub fn entries(&self, category: &str) -> impl Iterator<Item = &str> {
        self.0
            .get(category)
            .into_iter()
            .flat_map(|langs| langs.values().flatten().map(String::as_str))
    }

    /// BLAKE3 (hex) of the lexicon's canonical JSON: a model records it, and a model trained with another
    /// lexicon is refused.
    pub fn hash(&self) -> String {
        let json = serde_json::to_vec(&self.0).unwrap_or_default();
        blake3::hash(&json).to_hex().to_string()
    }
}

impl Narrative {
    /// The shipped narrative, built into the binary.
    pub fn shipped() -> Narrative {
        // The embedded text is part of the build, not outside input; a test parses it.
        Narrative::parse(SHIPPED_NARRATIVE, Path::new(SHIPPED_NARRATIVE_PATH))
            .unwrap_or_else(|e| panic!("the shipped narrative does not parse: {e}"))
    }

    /// Reads a narrative file.
    pub fn load(path: &Path) -> Result<Narrative> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Narrative {
            path: path.to_path_buf(),
            message: format!("cannot read the narrative file: {e}"),
        })?;
        Narrative::parse(&text, path)
    }

    /// Parses and checks a narrative; `path` is used in messages only.
    pub fn parse(text: &str, path: &Path) -> Result<Narrative> {
        let err = |message: String| Error::Narrative {
            path: path.to_path_buf(),
            message,
        };
        let n: Narrative = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            let msg = e.message().trim().replace('\n', " ");
            err(match line {
                Some(l) => format!("line {l}: {msg}"),
                None => msg,
            })
        })?;
        if !(0.0..=1.0).contains(&n.threshold) {
            return Err(err(format!(
                "threshold {} must be between 0 and 1",
                n.threshold
            )));
        }
        crate::classify::structure::check_lexicon(&n.lexicon, path)?;
        Ok(n)
    }
}

impl Default for Narrative {
    fn default() -> Self {
        Narrative::shipped()
    }
}

/// Where a classifier's model comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum ModelSource {
    /// The model built into the binary (the shipped narrative's).
    Shipped,
    /// A model file named in the config or on the command line.
    File(PathBuf),
}

impl ModelSource {
    /// How messages name it.
    pub fn display(&self) -> String {
        match self {
            ModelSource::Shipped => format!("{SHIPPED_MODEL_PATH} (built into the binary)"),
            ModelSource::File(p) => p.display().to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_narrative_parses_and_cites_the_tass_article() {
        let n = Narrative::shipped();
        assert_eq!(n.id, "ru-kz-visa-regime");
        assert!(!n.positions.is_empty() && !n.facts.is_empty());
        assert!(n
            .positions
            .iter()
            .chain(std::iter::empty())
            .all(|p| p.source_url.starts_with("https://") && p.source_url != "https://tass.com/"));
        assert!(n
            .facts
            .iter()
            .all(|f| f.source_url == "https://tass.com/world/1970939"));
        // The Russian wording is attributed to the outlet that quoted it.
        let ru = n.positions.iter().find(|p| p.quote_lang == "ru").unwrap();
        assert!(ru.as_quoted_by.as_deref().unwrap().contains("Tsargrad"));
        assert!(ru.source_url.contains("tsargrad.tv"));
        assert!(!SHIPPED_NARRATIVE.contains("to be confirmed"));
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let bad = SHIPPED_NARRATIVE.replacen("threshold = 0.5", "threshold = 1.5", 1);
        let e = Narrative::parse(&bad, Path::new("n.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("narrative n.toml:") && e.contains("threshold"),
            "{e}"
        );
        let bad = SHIPPED_NARRATIVE.replacen("[lexicon.visa]", "[lexicon.vissa]", 1);
        let e = Narrative::parse(&bad, Path::new("n.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("vissa"), "{e}");
        let bad = SHIPPED_NARRATIVE.replacen("claim =", "claims =", 1);
        let e = Narrative::parse(&bad, Path::new("n.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("line ") && e.contains("claims"), "{e}");
    }

    #[test]
    fn the_lexicon_hash_follows_the_words() {
        let n = Narrative::shipped();
        let mut m = n.lexicon.clone();
        assert_eq!(m.hash(), n.lexicon.hash());
        m.0.get_mut("visa")
            .unwrap()
            .insert("de".into(), vec!["visum".into()]);
        assert_ne!(m.hash(), n.lexicon.hash());
    }
}
