//! Reports: one report model built from the store, one renderer per format (Markdown, HTML, JSON with
//! ClaimReview records, CSV). Headline text is untrusted and is escaped by every renderer.
//!
//! # Architecture
//! - [`ReportModel::build`] reads the period's rows from the store and decides everything a reader sees:
//!   which items are flagged (model flag, or a reviewer's `misleading`), their order (reviewer-rejected
//!   flags last, then most probable first), the rebuttals, the counts and the chart series.
//! - [`markdown`], [`html`] (minijinja template, autoescaped), [`json`] and [`csv`] only render it;
//!   [`svg`] draws the chart; [`period`] parses and defaults the period.

pub mod claim_spread;
pub mod corrections;
pub mod csv;
pub mod followup_md;
pub mod html;
pub mod json;
pub mod markdown;
pub mod period;
pub mod svg;

use crate::config::{Config, Fact, Position};
use crate::domain::Label;
use crate::error::Result;
use crate::store::held_back::HeldBackSource;
use crate::store::reports::{FailedSource, ReportRow};
use crate::store::{fmt_time, Store};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use std::collections::BTreeMap;

/// A day-by-day chart covers at most this many days; longer periods show only days with flags.
pub const MAX_CHART_DAYS: i64 = 62;

/// What the report says about the model, so a reader knows how far to trust a flag.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ModelInfo {
    /// The model file's version (hash) as stored with each classification.
    pub version: String,
    pub path: String,
    pub macro_f1: Option<f64>,
    pub misleading_precision: Option<f64>,
    pub misleading_recall: Option<f64>,
    /// The cross-validated figures on real published headlines (folds grouped by outlet), as one
    /// sentence: quoted before the all-row figures.
    pub real_rows: Option<String>,
    /// Anything the reader should know (e.g. the model file could not be read).
    pub note: Option<String>,
}

/// A person's verdict as the report shows it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ReviewStatus {
    /// `unreviewed`, `confirmed` (verdict `misleading` on a model flag), `missed` (verdict `misleading` on
    /// a headline the model did not flag) or `corrected` (any other verdict).
    pub status: &'static str,
    pub label: Option<Label>,
    pub reviewer: Option<String>,
    pub note: Option<String>,
    pub reviewed_at: Option<String>,
}

/// One headline in the report.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Entry {
    pub item_id: i64,
    pub title: String,
    /// As stored (untrusted).
    pub url: Option<String>,
    /// `url` when it is an http(s) URL, else `None`: the only form any renderer puts in a link.
    pub href: Option<String>,
    pub source: String,
    pub lang: Option<String>,
    pub published_at: String,
    pub published_estimated: bool,
    pub fetched_at: String,
    pub label: Label,
    /// Probability of `label`.
    pub score: f64,
    pub p_misleading: f64,
    pub flagged_by_model: bool,
    pub reasons: Vec<String>,
    pub model_version: String,
    pub review: ReviewStatus,
    /// The title history (oldest first) of a flagged headline; empty for rebuttals.
    pub versions: Vec<corrections::VersionInfo>,
}

/// A count under a name (outlet, language, day).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Count {
    pub name: String,
    pub items: i64,
    pub flagged: i64,
}

/// The summary block.
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct Summary {
    pub sources_crawled: i64,
    pub sources_failed: i64,
    /// Not crawled in the period: held back by backoff after failing, or by a host's Retry-After.
    pub sources_held_back: i64,
    pub items_seen: i64,
    pub items_classified: i64,
    /// Flagged headlines not rejected by a reviewer.
    pub items_flagged: i64,
    pub confirmed: i64,
    /// Headlines the model did not flag that a reviewer marked misleading.
    pub missed: i64,
    pub corrected: i64,
    pub unreviewed: i64,
    pub rebuttals: i64,
    pub by_outlet: Vec<Count>,
    pub by_language: Vec<Count>,
}

/// Everything a report shows, in the order it shows it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ReportModel {
    pub generated_at: String,
    pub since: String,
    pub until: String,
    pub narrative_id: String,
    pub claim: String,
    pub threshold: f64,
    pub rating: String,
    pub rating_explanation: String,
    pub author_name: String,
    pub author_url: String,
    /// Where this report can be read (`[report] base_url` and the file name, else the file's own
    /// `file://` URL; `None` on stdout without a base URL): each ClaimReview's `url`.
    pub report_url: Option<String>,
    pub summary: Summary,
    pub model: Option<ModelInfo>,
    /// Model versions behind the listed classifications (more than one after a retrain).
    pub model_versions: Vec<String>,
    pub flagged: Vec<Entry>,
    pub rebuttals: Vec<Entry>,
    pub failed_sources: Vec<FailedSource>,
    pub held_back_sources: Vec<HeldBackSource>,
    pub positions: Vec<Position>,
    pub facts: Vec<Fact>,
    /// Flagged headlines per day (`YYYY-MM-DD`, by publication date) over the period.
    pub per_day: Vec<Count>,
    /// Corrections, edits and disappearances of flagged headlines, and per-outlet figures.
    pub followup: corrections::Followup,
}

/// Returns `raw` if it is an absolute http or https URL with a host, as the url crate serialises it.
pub fn safe_url(raw: &str) -> Option<String> {
    let u = url::Url::parse(raw.trim()).ok()?;
    if matches!(u.scheme(), "http" | "https") && u.host().is_some() {
        Some(u.to_string())
    } else {
        None
    }
}

/// Formats a probability as a percentage with no decimals.
pub fn percent(p: f64) -> String {
    format!("{:.0}%", p * 100.0)
}

/// The model's verdict in words: `misleading 93%`, or `rebuttal 90% (misleading 3%)`.
pub fn score_text(e: &Entry) -> String {
    if e.label == Label::Misleading {
        format!("misleading {}", percent(e.p_misleading))
    } else {
        format!(
            "{} {} (misleading {})",
            e.label,
            percent(e.score),
            percent(e.p_misleading)
        )
    }
}

/// The citation that backs a rating: who said it, in what role, where, when, reported by whom.
pub fn cite(p: &Position) -> String {
    let by = match &p.as_quoted_by {
        Some(q) => format!("as quoted by {q}: {}", p.source_name),
        None => format!("reported by {}", p.source_name),
    };
    format!(
        "{}, {} {}, {} ({}), {by}",
        p.organisation, p.role, p.speaker, p.venue, p.date
    )
}

/// Untrusted text as any report shows it: on one line, with control characters (terminal escapes, BEL)
/// removed, so neither a browser, a terminal nor a Markdown renderer ever sees them.
pub fn shown(s: &str) -> String {
    crate::text::collapse_whitespace(s)
}

fn review_status(row: &ReportRow) -> ReviewStatus {
    ReviewStatus {
        status: match row.review_label {
            None => "unreviewed",
            Some(Label::Misleading) if row.flagged => "confirmed",
            Some(Label::Misleading) => "missed",
            Some(_) => "corrected",
        },
        label: row.review_label,
        reviewer: row.reviewer.as_deref().map(shown),
        note: row.review_note.as_deref().map(shown),
        reviewed_at: row.reviewed_at.clone(),
    }
}

fn entry(row: ReportRow) -> Entry {
    Entry {
        item_id: row.item_id,
        href: row.url.as_deref().and_then(safe_url),
        review: review_status(&row),
        title: shown(&row.title),
        url: row.url.as_deref().map(shown),
        source: shown(&row.source),
        lang: row.lang,
        published_at: row.published_at,
        published_estimated: row.published_estimated,
        fetched_at: row.fetched_at,
        label: row.label,
        score: row.score,
        p_misleading: row.p_misleading,
        flagged_by_model: row.flagged,
        reasons: row.reasons.iter().map(|r| shown(r)).collect(),
        model_version: row.model_version,
        versions: Vec::new(),
    }
}

impl ReportModel {
    /// Builds the report for `[since, until)` from the store.
    pub fn build(
        store: &Store,
        config: &Config,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
        generated_at: DateTime<Utc>,
        model: Option<ModelInfo>,
    ) -> Result<ReportModel> {
        let rows = store.report_rows(since, until)?;
        let counts = store.item_counts(since, until)?;
        let mut fetches = store.fetch_summary(since, until)?;
        for f in &mut fetches.failed {
            f.source = shown(&f.source);
            f.error = shown(&f.error);
        }
        let mut held_back = store.held_back_sources(since, until)?;
        for h in &mut held_back {
            h.source = shown(&h.source);
            h.reason = shown(&h.reason);
        }

        let mut flagged = Vec::new();
        let mut rebuttals = Vec::new();
        for row in rows {
            let effective = row.review_label.unwrap_or(row.label);
            if row.flagged || row.review_label == Some(Label::Misleading) {
                flagged.push(entry(row));
            } else if effective == Label::Rebuttal {
                rebuttals.push(entry(row));
            }
        }
        // Reviewer-rejected flags go last: they stay visible (the press office sees the tool's mistakes)
        // but never above a live flag.
        flagged.sort_by(|a, b| {
            (a.review.status == "corrected")
                .cmp(&(b.review.status == "corrected"))
                .then(b.p_misleading.total_cmp(&a.p_misleading))
                .then(a.item_id.cmp(&b.item_id))
        });
        rebuttals.sort_by(|a, b| {
            b.published_at
                .cmp(&a.published_at)
                .then(a.item_id.cmp(&b.item_id))
        });
        let histories = store.flagged_histories(since, until)?;
        let by_item: std::collections::HashMap<i64, &crate::store::versions::History> =
            histories.iter().map(|h| (h.item_id, h)).collect();
        for e in &mut flagged {
            if let Some(h) = by_item.get(&e.item_id) {
                e.versions = h.versions.iter().map(Into::into).collect();
            }
        }
        let mut followup = corrections::build(&histories, since, until);
        followup.spread = claim_spread::build(&store.flagged_headlines(until)?, since, until);
        let live: Vec<&Entry> = flagged
            .iter()
            .filter(|e| e.review.status != "corrected")
            .collect();

        let mut by_outlet: BTreeMap<String, Count> = BTreeMap::new();
        let mut by_language: BTreeMap<String, Count> = BTreeMap::new();
        let mut summary = Summary::default();
        for c in &counts {
            summary.items_seen += c.items;
            summary.items_classified += c.classified;
            for (map, name) in [(&mut by_outlet, &c.source), (&mut by_language, &c.lang)] {
                let name = if name.is_empty() { "unknown" } else { name };
                map.entry(name.to_string())
                    .or_insert_with(|| Count {
                        name: name.to_string(),
                        items: 0,
                        flagged: 0,
                    })
                    .items += c.items;
            }
        }
        // Day → (headlines published that day, live flags published that day).
        let mut per_day: BTreeMap<String, (i64, i64)> = BTreeMap::new();
        if until - since <= Duration::days(MAX_CHART_DAYS) {
            let mut d = since.date_naive();
            while d <= (until - Duration::seconds(1)).date_naive() {
                per_day.insert(d.to_string(), (0, 0));
                d = d.succ_opt().unwrap_or(d);
                if per_day.len() as i64 > MAX_CHART_DAYS + 1 {
                    break;
                }
            }
        }
        for e in &live {
            if let Some(c) = by_outlet.get_mut(&e.source) {
                c.flagged += 1;
            }
            let lang = e.lang.clone().unwrap_or_else(|| "unknown".into());
            if let Some(c) = by_language.get_mut(&lang) {
                c.flagged += 1;
            }
            per_day
                .entry(e.published_at.get(..10).unwrap_or("").to_string())
                .or_default()
                .1 += 1;
        }
        for (day, items) in store.items_per_day(since, until)? {
            // Long periods chart only the days with flags; short ones every day of the period.
            if let Some(c) = per_day.get_mut(&day) {
                c.0 = items;
            }
        }
        summary.items_flagged = live.len() as i64;
        summary.confirmed = flagged
            .iter()
            .filter(|e| e.review.status == "confirmed")
            .count() as i64;
        summary.missed = flagged
            .iter()
            .filter(|e| e.review.status == "missed")
            .count() as i64;
        summary.corrected = (flagged.len() - live.len()) as i64;
        summary.unreviewed = summary.items_flagged - summary.confirmed - summary.missed;
        summary.rebuttals = rebuttals.len() as i64;
        summary.sources_crawled = fetches.sources_crawled;
        summary.sources_failed = fetches.failed.len() as i64;
        summary.sources_held_back = held_back.len() as i64;
        summary.by_outlet = by_outlet.into_values().collect();
        // Outlets that published flagged headlines first: that is what a press office reads the table for.
        summary
            .by_outlet
            .sort_by(|a, b| b.flagged.cmp(&a.flagged).then_with(|| a.name.cmp(&b.name)));
        summary.by_language = by_language.into_values().collect();

        let mut model_versions: Vec<String> = flagged
            .iter()
            .chain(&rebuttals)
            .map(|e| e.model_version.clone())
            .collect();
        model_versions.sort();
        model_versions.dedup();

        let n = &config.narrative;
        let mut rating_explanation = n.explanation.trim().to_string();
        if let Some(p) = n.positions.first() {
            let quote = p.quote_en.as_deref().unwrap_or(&p.quote);
            if !rating_explanation.is_empty() {
                rating_explanation.push(' ');
            }
            rating_explanation.push_str(&format!("“{quote}” ({})", cite(p)));
        }
        Ok(ReportModel {
            generated_at: fmt_time(generated_at),
            since: fmt_time(since),
            until: fmt_time(until),
            narrative_id: n.id.clone(),
            claim: n.claim.clone(),
            threshold: n.threshold,
            rating: n.rating.clone(),
            rating_explanation,
            author_name: config.report.author_name.clone(),
            author_url: config.report.author_url.clone(),
            report_url: None,
            summary,
            model,
            model_versions,
            flagged,
            rebuttals,
            failed_sources: fetches.failed,
            held_back_sources: held_back,
            positions: n.positions.clone(),
            facts: n.facts.clone(),
            per_day: per_day
                .into_iter()
                .map(|(name, (items, flagged))| Count {
                    name,
                    items,
                    flagged,
                })
                .collect(),
            followup,
        })
    }

    /// Entries a reader should act on: flagged and not rejected by a reviewer.
    pub fn live_flags(&self) -> impl Iterator<Item = &Entry> {
        self.flagged
            .iter()
            .filter(|e| e.review.status != "corrected")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_urls_are_links() {
        assert!(safe_url("https://a.example/x?y=1").is_some());
        assert!(safe_url("http://a.example").is_some());
        assert_eq!(safe_url("javascript:alert(1)"), None);
        assert_eq!(safe_url("data:text/html,<script>"), None);
        assert_eq!(safe_url("/relative"), None);
        assert_eq!(safe_url("file:///etc/passwd"), None);
    }
}
