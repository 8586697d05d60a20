//! What happened to flagged headlines after they were flagged: corrected (the latest wording is no longer
//! flagged), edited (reworded, still flagged) or disappeared (removed from the feed: noted, never a
//! correction), and per outlet how many of the period's flagged headlines were corrected and how fast.
//!
//! # Definitions
//! - A wording is flagged when a reviewer said `misleading`, or, with no verdict on it, the model
//!   flagged it (its latest classification).
//! - An item is **corrected** when a later wording than a flagged one is not flagged, at the time that
//!   wording (the first of the trailing unflagged run) was first seen; **edited** when its latest wording
//!   came after a flagged one and is still flagged.
//! - **Time to correction**: from the first flagged wording's appearance (the publication time for the
//!   first wording, else when the crawler first saw it) to the correction. It is an upper bound: the
//!   crawler sees a change only when it next fetches.
//! - The corrections list holds the items whose latest wording was first seen in the period; the
//!   per-outlet figures count the period's flagged items (published or first fetched in it) and what
//!   became of them by the period's end.

use crate::domain::Label;
use crate::store::parse_time;
use crate::store::versions::{History, VersionRow};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::BTreeMap;

/// One wording in a title history.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct VersionInfo {
    pub version: i64,
    pub title: String,
    pub first_seen: String,
    pub last_seen: String,
    pub label: Option<Label>,
    pub p_misleading: Option<f64>,
    /// Flagged by the model, or by a reviewer's `misleading` (a verdict wins).
    pub flagged: bool,
}

impl From<&VersionRow> for VersionInfo {
    fn from(v: &VersionRow) -> Self {
        VersionInfo {
            version: v.version,
            title: v.title.clone(),
            first_seen: v.first_seen.clone(),
            last_seen: v.last_seen.clone(),
            label: v.review_label.or(v.label),
            p_misleading: v.p_misleading,
            flagged: v.flagged(),
        }
    }
}

/// What became of a flagged headline that changed.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The latest wording is no longer flagged.
    Corrected,
    /// Reworded, still flagged.
    Edited,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Corrected => "corrected",
            Status::Edited => "edited",
        }
    }
}

/// A flagged headline whose wording changed in the period.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Correction {
    pub item_id: i64,
    pub url: Option<String>,
    /// `url` when it is http(s): the only form a renderer links.
    pub href: Option<String>,
    pub source: String,
    pub lang: Option<String>,
    pub published_at: String,
    /// The flagged wording (the last flagged one before the latest).
    pub before: String,
    /// The latest wording.
    pub after: String,
    /// When the latest wording was first seen.
    pub changed_at: String,
    pub status: Status,
    /// For a correction: when the first unflagged wording of the trailing run was first seen.
    pub corrected_at: Option<String>,
    pub hours_to_correction: Option<f64>,
    /// The whole title history, oldest first.
    pub versions: Vec<VersionInfo>,
}

/// A flagged headline that vanished from its feed in the period.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Disappeared {
    pub item_id: i64,
    pub url: Option<String>,
    pub href: Option<String>,
    pub source: String,
    pub title: String,
    pub published_at: String,
    pub gone_at: String,
}

/// Per outlet: the period's flagged headlines and what became of them by the period's end.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OutletFigures {
    pub outlet: String,
    pub flagged: i64,
    pub corrected: i64,
    pub edited: i64,
    pub disappeared: i64,
    pub median_hours_to_correction: Option<f64>,
}

/// The follow-up part of a report.
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct Followup {
    pub corrections: Vec<Correction>,
    pub disappeared: Vec<Disappeared>,
    /// Outlets with flagged headlines in the period, most flagged first.
    pub outlets: Vec<OutletFigures>,
    /// How the claim spread: groups of near-identical flagged headlines ([`super::claim_spread`]).
    pub spread: Vec<super::claim_spread::SpreadGroup>,
}

/// Where an item stands by the end of its history.
struct Outcome {
    status: Option<Status>,
    /// Index of the last flagged wording before the latest.
    before: usize,
    corrected_at: Option<String>,
    hours: Option<f64>,
}

fn hours_between(a: &str, b: &str) -> Option<f64> {
    let (a, b) = (parse_time(a)?, parse_time(b)?);
    Some(((b - a).num_seconds() as f64 / 3600.0 * 10.0).round() / 10.0)
}

fn outcome(h: &History) -> Option<Outcome> {
    let v = &h.versions;
    let first_flagged = v.iter().position(|x| x.flagged())?;
    let last = v.len() - 1;
    if last == first_flagged {
        return Some(Outcome {
            status: None,
            before: first_flagged,
            corrected_at: None,
            hours: None,
        });
    }
    let before = v[..last].iter().rposition(|x| x.flagged())?;
    if v[last].flagged() {
        return Some(Outcome {
            status: Some(Status::Edited),
            before,
            corrected_at: None,
            hours: None,
        });
    }
    // The first wording of the trailing unflagged run.
    let start = v.iter().rposition(|x| x.flagged()).map_or(0, |i| i + 1);
    let corrected_at = v[start].first_seen.clone();
    let appeared = if first_flagged == 0 {
        &h.published_at
    } else {
        &v[first_flagged].first_seen
    };
    Some(Outcome {
        status: Some(Status::Corrected),
        before,
        hours: hours_between(appeared, &corrected_at),
        corrected_at: Some(corrected_at),
    })
}

fn in_period(t: &str, since: &str, until: &str) -> bool {
    t >= since && t < until
}

fn median(xs: &mut [f64]) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    Some(if n % 2 == 1 {
        xs[n / 2]
    } else {
        ((xs[n / 2 - 1] + xs[n / 2]) / 2.0 * 10.0).round() / 10.0
    })
}

/// Builds the follow-up part from [`crate::store::Store::flagged_histories`] of the period.
pub fn build(histories: &[History], since: DateTime<Utc>, until: DateTime<Utc>) -> Followup {
    let (since, until) = (crate::store::fmt_time(since), crate::store::fmt_time(until));
    let mut out = Followup::default();
    let mut outlets: BTreeMap<String, (OutletFigures, Vec<f64>)> = BTreeMap::new();
    for h in histories {
        // A past period reads as it was then: wordings first seen after it do not exist yet.
        let kept = h
            .versions
            .iter()
            .take_while(|v| v.first_seen.as_str() < until.as_str())
            .count();
        let truncated;
        let h = if kept < h.versions.len() {
            truncated = History {
                versions: h.versions[..kept].to_vec(),
                ..h.clone()
            };
            &truncated
        } else {
            h
        };
        let Some(o) = outcome(h) else { continue };
        let href = h.url.as_deref().and_then(super::safe_url);
        let latest = &h.versions[h.versions.len() - 1];
        let gone = h.gone_at.as_deref().filter(|g| *g < until.as_str());
        if let Some(status) = o.status {
            if in_period(&latest.first_seen, &since, &until) {
                out.corrections.push(Correction {
                    item_id: h.item_id,
                    url: h.url.clone(),
                    href: href.clone(),
                    source: h.source.clone(),
                    lang: h.lang.clone(),
                    published_at: h.published_at.clone(),
                    before: h.versions[o.before].title.clone(),
                    after: latest.title.clone(),
                    changed_at: latest.first_seen.clone(),
                    status,
                    corrected_at: o.corrected_at.clone(),
                    hours_to_correction: o.hours,
                    versions: h.versions.iter().map(VersionInfo::from).collect(),
                });
            }
        }
        if let Some(g) = gone.filter(|g| in_period(g, &since, &until)) {
            out.disappeared.push(Disappeared {
                item_id: h.item_id,
                url: h.url.clone(),
                href,
                source: h.source.clone(),
                title: latest.title.clone(),
                published_at: h.published_at.clone(),
                gone_at: g.to_string(),
            });
        }
        let belongs =
            in_period(&h.published_at, &since, &until) || in_period(&h.fetched_at, &since, &until);
        if belongs {
            let (f, hours) = outlets.entry(h.source.clone()).or_insert_with(|| {
                (
                    OutletFigures {
                        outlet: h.source.clone(),
                        flagged: 0,
                        corrected: 0,
                        edited: 0,
                        disappeared: 0,
                        median_hours_to_correction: None,
                    },
                    Vec::new(),
                )
            });
            f.flagged += 1;
            match o.status {
                Some(Status::Corrected) => {
                    f.corrected += 1;
                    hours.extend(o.hours);
                }
                Some(Status::Edited) => f.edited += 1,
                None => {}
            }
            if gone.is_some() {
                f.disappeared += 1;
            }
        }
    }
    out.corrections.sort_by(|a, b| {
        a.changed_at
            .cmp(&b.changed_at)
            .then(a.item_id.cmp(&b.item_id))
    });
    out.disappeared
        .sort_by(|a, b| a.gone_at.cmp(&b.gone_at).then(a.item_id.cmp(&b.item_id)));
    out.outlets = outlets
        .into_values()
        .map(|(mut f, mut hours)| {
            f.median_hours_to_correction = median(&mut hours);
            f
        })
        .collect();
    out.outlets.sort_by(|a, b| {
        b.flagged
            .cmp(&a.flagged)
            .then_with(|| a.outlet.cmp(&b.outlet))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(version: i64, title: &str, seen: &str, flagged: bool) -> VersionRow {
        VersionRow {
            item_id: 1,
            version,
            title: title.into(),
            first_seen: seen.into(),
            last_seen: seen.into(),
            label: Some(if flagged {
                Label::Misleading
            } else {
                Label::Accurate
            }),
            p_misleading: Some(if flagged { 0.9 } else { 0.1 }),
            model_flagged: Some(flagged),
            review_label: None,
        }
    }

    fn history(id: i64, source: &str, versions: Vec<VersionRow>) -> History {
        History {
            item_id: id,
            source: source.into(),
            url: Some(format!("https://x.example/{id}")),
            lang: Some("en".into()),
            published_at: "2025-06-09T08:00:00Z".into(),
            fetched_at: "2025-06-09T09:00:00Z".into(),
            gone_at: None,
            versions,
        }
    }

    fn t(s: &str) -> DateTime<Utc> {
        parse_time(s).unwrap()
    }

    #[test]
    fn corrected_edited_unchanged_and_gone() {
        let corrected = history(
            1,
            "A",
            vec![
                v(1, "visas!", "2025-06-09T09:00:00Z", true),
                v(2, "visas?!", "2025-06-09T20:00:00Z", true),
                v(3, "border rules", "2025-06-10T08:00:00Z", false),
            ],
        );
        let edited = history(
            2,
            "A",
            vec![
                v(1, "visas", "2025-06-09T09:00:00Z", true),
                v(2, "visas now", "2025-06-10T09:00:00Z", true),
            ],
        );
        let unchanged = history(3, "B", vec![v(1, "visas", "2025-06-09T09:00:00Z", true)]);
        let mut gone = history(4, "B", vec![v(1, "visas", "2025-06-09T09:00:00Z", true)]);
        gone.gone_at = Some("2025-06-10T10:00:00Z".into());
        // A reviewer rejected the flag on the only wording: not a flagged item at all.
        let mut rejected = history(5, "B", vec![v(1, "visas", "2025-06-09T09:00:00Z", true)]);
        rejected.versions[0].review_label = Some(Label::Accurate);
        let f = build(
            &[corrected, edited, unchanged, gone, rejected],
            t("2025-06-09T00:00:00Z"),
            t("2025-06-11T00:00:00Z"),
        );
        assert_eq!(f.corrections.len(), 2);
        let c = &f.corrections[0];
        assert_eq!(c.status, Status::Corrected);
        assert_eq!(
            (c.before.as_str(), c.after.as_str()),
            ("visas?!", "border rules")
        );
        assert_eq!(c.corrected_at.as_deref(), Some("2025-06-10T08:00:00Z"));
        assert_eq!(
            c.hours_to_correction,
            Some(24.0),
            "from publication at 08:00"
        );
        assert_eq!(c.versions.len(), 3);
        let e = &f.corrections[1];
        assert_eq!(e.status, Status::Edited);
        assert_eq!(
            (e.before.as_str(), e.after.as_str()),
            ("visas", "visas now")
        );
        assert_eq!(e.hours_to_correction, None);
        assert_eq!(f.disappeared.len(), 1);
        assert_eq!(f.disappeared[0].item_id, 4);
        let a = &f.outlets.iter().find(|o| o.outlet == "A").unwrap();
        assert_eq!((a.flagged, a.corrected, a.edited), (2, 1, 1));
        assert_eq!(a.median_hours_to_correction, Some(24.0));
        let b = &f.outlets.iter().find(|o| o.outlet == "B").unwrap();
        assert_eq!((b.flagged, b.corrected, b.disappeared), (2, 0, 1));
        assert_eq!(b.median_hours_to_correction, None);
    }

    #[test]
    fn a_change_outside_the_period_is_not_listed() {
        let h = history(
            1,
            "A",
            vec![
                v(1, "visas", "2025-06-09T09:00:00Z", true),
                v(2, "rules", "2025-06-12T09:00:00Z", false),
            ],
        );
        let f = build(&[h], t("2025-06-09T00:00:00Z"), t("2025-06-11T00:00:00Z"));
        assert!(f.corrections.is_empty());
        assert_eq!(f.outlets[0].flagged, 1);
        assert_eq!(
            f.outlets[0].corrected, 0,
            "not yet corrected by the period's end"
        );
    }
}
