//! The report's "How the claim spread": groups of near-identical flagged headlines ([`crate::spread`])
//! with at least one headline in the period, each with its first appearance and the headlines that
//! repeated it, in order. The groups are computed over every stored flagged headline up to the period's
//! end, so a first appearance before the period is still found.

use crate::spread::{self, Headline};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::HashMap;

/// One headline in a group.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Appearance {
    pub item_id: i64,
    pub source: String,
    pub title: String,
    pub url: Option<String>,
    /// `url` when it is http(s): the only form a renderer links.
    pub href: Option<String>,
    pub published_at: String,
    pub fetched_at: String,
}

/// A claim's headline and where it went.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SpreadGroup {
    pub first: Appearance,
    /// The headlines that repeated it, in order of appearance.
    pub repeats: Vec<Appearance>,
    /// Distinct outlets in order of their first headline in the group.
    pub outlets: Vec<String>,
}

impl SpreadGroup {
    /// Every headline of the group, first appearance first.
    pub fn all(&self) -> impl Iterator<Item = &Appearance> {
        std::iter::once(&self.first).chain(&self.repeats)
    }
}

fn appearance(h: &Headline) -> Appearance {
    Appearance {
        item_id: h.item_id,
        source: h.source.clone(),
        title: h.title.clone(),
        url: h.url.clone(),
        href: h.url.as_deref().and_then(super::safe_url),
        published_at: h.published_at.clone(),
        fetched_at: h.fetched_at.clone(),
    }
}

/// Groups `headlines` and keeps the groups with a headline published or first fetched in the period.
pub fn build(
    headlines: &[Headline],
    since: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Vec<SpreadGroup> {
    let (since, until) = (crate::store::fmt_time(since), crate::store::fmt_time(until));
    let in_period = |t: &str| t >= since.as_str() && t < until.as_str();
    spread::group(headlines)
        .into_iter()
        .filter(|g| {
            g.iter().any(|&i| {
                in_period(&headlines[i].published_at) || in_period(&headlines[i].fetched_at)
            })
        })
        .map(|g| {
            let mut outlets: Vec<String> = Vec::new();
            for &i in &g {
                if !outlets.contains(&headlines[i].source) {
                    outlets.push(headlines[i].source.clone());
                }
            }
            SpreadGroup {
                first: appearance(&headlines[g[0]]),
                repeats: g[1..].iter().map(|&i| appearance(&headlines[i])).collect(),
                outlets,
            }
        })
        .collect()
}

/// Each grouped item's group, for the ClaimReview records.
pub fn by_item(groups: &[SpreadGroup]) -> HashMap<i64, &SpreadGroup> {
    groups
        .iter()
        .flat_map(|g| g.all().map(move |a| (a.item_id, g)))
        .collect()
}
