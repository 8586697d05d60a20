//! The JSON report (CONTRACT.md): `generated_at`, `since`, `until`, `narrative`, `summary`, `flagged` (each
//! with a schema.org `ClaimReview` under `claim_review` and its review status), `rebuttals`, `positions`,
//! `facts`, `failed_sources`, `held_back_sources` and `model`. serde_json escapes every string, so titles are inert.

use super::claim_spread::{self, SpreadGroup};
use super::corrections::{Correction, Disappeared, OutletFigures, VersionInfo};
use super::{Count, Entry, ModelInfo, ReportModel, ReviewStatus};
use crate::config::{Fact, Position};
use crate::store::held_back::HeldBackSource;
use crate::store::reports::FailedSource;
use serde::Serialize;

#[derive(Serialize)]
struct Report<'a> {
    generated_at: &'a str,
    since: &'a str,
    until: &'a str,
    narrative: Narrative<'a>,
    summary: Summary<'a>,
    model: Option<&'a ModelInfo>,
    flagged: Vec<Flagged<'a>>,
    rebuttals: Vec<Item<'a>>,
    positions: &'a [Position],
    facts: &'a [Fact],
    failed_sources: &'a [FailedSource],
    held_back_sources: &'a [HeldBackSource],
    /// Flagged headlines reworded in the period (CONTRACT.md: url, source, before, after, changed_at,
    /// status), each with its title history.
    corrections: &'a [Correction],
    /// Flagged headlines removed from their feed in the period (not corrections).
    disappeared: &'a [Disappeared],
    /// Per outlet: the period's flagged headlines, corrected, edited, disappeared, median hours to correction.
    corrections_by_outlet: &'a [OutletFigures],
    /// How the claim spread: near-identical flagged headlines, first appearance first.
    spread: &'a [SpreadGroup],
}

#[derive(Serialize)]
struct Narrative<'a> {
    id: &'a str,
    claim: &'a str,
    threshold: f64,
}

#[derive(Serialize)]
struct Summary<'a> {
    sources_crawled: i64,
    sources_failed: i64,
    sources_held_back: i64,
    items_seen: i64,
    items_classified: i64,
    items_flagged: i64,
    confirmed: i64,
    missed: i64,
    corrected: i64,
    unreviewed: i64,
    rebuttals: i64,
    by_outlet: &'a [Count],
    by_language: &'a [Count],
    per_day: &'a [Count],
    model_versions: &'a [String],
}

#[derive(Serialize)]
struct Item<'a> {
    item_id: i64,
    title: &'a str,
    url: Option<&'a str>,
    source: &'a str,
    lang: Option<&'a str>,
    published_at: &'a str,
    published_estimated: bool,
    fetched_at: &'a str,
    label: &'a str,
    score: f64,
    p_misleading: f64,
    reasons: &'a [String],
    model_version: &'a str,
    review: &'a ReviewStatus,
    /// The title history, oldest first (flagged headlines only).
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    versions: &'a [VersionInfo],
}

#[derive(Serialize)]
struct Flagged<'a> {
    #[serde(flatten)]
    item: Item<'a>,
    claim_review: ClaimReview<'a>,
}

/// schema.org ClaimReview (https://schema.org/ClaimReview), as fact-check aggregators read it.
#[derive(Serialize)]
struct ClaimReview<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    /// The page that carries this review (Google's fact-check markup requires it).
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(rename = "claimReviewed")]
    claim_reviewed: &'a str,
    #[serde(rename = "itemReviewed")]
    item_reviewed: Claim<'a>,
    #[serde(rename = "reviewRating")]
    review_rating: Rating<'a>,
    author: Org<'a>,
    #[serde(rename = "datePublished")]
    date_published: &'a str,
}

#[derive(Serialize)]
struct Claim<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    /// This headline (its URL only when http(s)). An object, as callers of the earlier report read it;
    /// the claim's whole group is in the report's `spread`.
    appearance: Appearance<'a>,
    /// The first appearance of the claim's group of near-identical flagged headlines (this headline when
    /// it was not repeated, or was first).
    #[serde(rename = "firstAppearance")]
    first_appearance: Appearance<'a>,
    #[serde(rename = "datePublished")]
    date_published: &'a str,
    author: Org<'a>,
}

#[derive(Serialize)]
struct Appearance<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    /// Only http(s): never a javascript:, data: or file: URL from a feed.
    url: Option<String>,
    headline: &'a str,
    #[serde(rename = "datePublished")]
    date_published: &'a str,
}

#[derive(Serialize)]
struct Rating<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "alternateName")]
    alternate_name: &'a str,
    #[serde(rename = "ratingExplanation")]
    rating_explanation: &'a str,
}

#[derive(Serialize)]
struct Org<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

fn item(e: &Entry) -> Item<'_> {
    Item {
        item_id: e.item_id,
        title: &e.title,
        url: e.url.as_deref(),
        source: &e.source,
        lang: e.lang.as_deref(),
        published_at: &e.published_at,
        published_estimated: e.published_estimated,
        fetched_at: &e.fetched_at,
        label: e.label.as_str(),
        score: e.score,
        p_misleading: e.p_misleading,
        reasons: &e.reasons,
        model_version: &e.model_version,
        review: &e.review,
        versions: &e.versions,
    }
}

fn own_appearance(e: &Entry) -> Appearance<'_> {
    Appearance {
        kind: "CreativeWork",
        url: e.href.clone(),
        headline: &e.title,
        date_published: &e.published_at,
    }
}

fn creative_work(a: &claim_spread::Appearance) -> Appearance<'_> {
    Appearance {
        kind: "CreativeWork",
        url: a.url.as_deref().and_then(super::safe_url),
        headline: &a.title,
        date_published: &a.published_at,
    }
}

/// Renders the report as pretty-printed JSON.
pub fn render(m: &ReportModel) -> String {
    let groups = claim_spread::by_item(&m.followup.spread);
    let date_published = m.generated_at.get(..10).unwrap_or(&m.generated_at);
    let report = Report {
        generated_at: &m.generated_at,
        since: &m.since,
        until: &m.until,
        narrative: Narrative {
            id: &m.narrative_id,
            claim: &m.claim,
            threshold: m.threshold,
        },
        summary: Summary {
            sources_crawled: m.summary.sources_crawled,
            sources_failed: m.summary.sources_failed,
            sources_held_back: m.summary.sources_held_back,
            items_seen: m.summary.items_seen,
            items_classified: m.summary.items_classified,
            items_flagged: m.summary.items_flagged,
            confirmed: m.summary.confirmed,
            missed: m.summary.missed,
            corrected: m.summary.corrected,
            unreviewed: m.summary.unreviewed,
            rebuttals: m.summary.rebuttals,
            by_outlet: &m.summary.by_outlet,
            by_language: &m.summary.by_language,
            per_day: &m.per_day,
            model_versions: &m.model_versions,
        },
        model: m.model.as_ref(),
        flagged: m
            .flagged
            .iter()
            .map(|e| Flagged {
                item: item(e),
                claim_review: ClaimReview {
                    context: "https://schema.org",
                    kind: "ClaimReview",
                    url: m.report_url.as_deref(),
                    claim_reviewed: &m.claim,
                    item_reviewed: Claim {
                        kind: "Claim",
                        appearance: own_appearance(e),
                        first_appearance: match groups.get(&e.item_id) {
                            Some(g) => creative_work(&g.first),
                            None => own_appearance(e),
                        },
                        date_published: &e.published_at,
                        author: Org {
                            kind: "Organization",
                            name: &e.source,
                            url: None,
                        },
                    },
                    review_rating: Rating {
                        kind: "Rating",
                        alternate_name: &m.rating,
                        rating_explanation: &m.rating_explanation,
                    },
                    author: Org {
                        kind: "Organization",
                        name: &m.author_name,
                        url: Some(&m.author_url),
                    },
                    date_published,
                },
            })
            .collect(),
        rebuttals: m.rebuttals.iter().map(item).collect(),
        positions: &m.positions,
        facts: &m.facts,
        failed_sources: &m.failed_sources,
        held_back_sources: &m.held_back_sources,
        corrections: &m.followup.corrections,
        disappeared: &m.followup.disappeared,
        corrections_by_outlet: &m.followup.outlets,
        spread: &m.followup.spread,
    };
    let mut s =
        serde_json::to_string_pretty(&report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
