//! What a report reads (the items of a period with their latest classification and latest verdict,
//! counts per outlet and language, the period's failed sources) and the `reports` table that records each
//! report written, so the next one starts where the previous one ended.
//!
//! An item belongs to a period when it was published in it or first fetched in it: a daily report then
//! also shows an old headline the crawler met for the first time today, and a report over a past month
//! shows what was published in that month.

use super::reviews::label_of;
use super::{fmt_time, Store, ITEMS_WITH_LATEST_VERDICTS};
use crate::domain::Label;
use crate::error::Result;
use chrono::{DateTime, Utc};
use rusqlite::params;

const IN_PERIOD: &str = "((i.published_at >= ?1 AND i.published_at < ?2)
                          OR (i.fetched_at >= ?1 AND i.fetched_at < ?2))";

/// One item of interest to a report (flagged, a rebuttal, or reviewed as either).
#[derive(Debug, Clone, PartialEq)]
pub struct ReportRow {
    pub item_id: i64,
    pub source: String,
    pub title: String,
    pub url: Option<String>,
    pub published_at: String,
    pub published_estimated: bool,
    pub fetched_at: String,
    pub lang: Option<String>,
    pub model_version: String,
    pub label: Label,
    pub score: f64,
    pub p_misleading: f64,
    pub flagged: bool,
    pub reasons: Vec<String>,
    pub review_label: Option<Label>,
    pub reviewer: Option<String>,
    pub review_note: Option<String>,
    pub reviewed_at: Option<String>,
}

/// Items of the period per outlet and language.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemCount {
    pub source: String,
    pub lang: String,
    pub items: i64,
    pub classified: i64,
}

/// A source whose latest fetch in the period failed.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FailedSource {
    pub source: String,
    pub at: String,
    pub error: String,
}

/// The fetches of a period.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FetchSummary {
    /// Distinct sources fetched (any outcome but `skipped`: a held-back source was not crawled).
    pub sources_crawled: i64,
    pub failed: Vec<FailedSource>,
}

impl Store {
    /// Items of the period whose latest classification is flagged or a rebuttal, or whose latest verdict is
    /// `misleading` or `rebuttal`.
    pub fn report_rows(
        &self,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<ReportRow>> {
        let sql = format!(
            "SELECT i.id, s.name, i.title, i.url, i.published_at, i.published_estimated, i.fetched_at,
                    COALESCE(i.lang, s.lang), c.model_version, c.label, c.score, c.p_misleading,
                    c.flagged, c.reasons, r.label, r.reviewer, r.note, r.reviewed_at
             {ITEMS_WITH_LATEST_VERDICTS}
             WHERE {IN_PERIOD}
               AND (c.flagged = 1 OR c.label = 'rebuttal' OR r.label IN ('misleading', 'rebuttal'))
             ORDER BY i.id"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(params![fmt_time(since), fmt_time(until)], |r| {
            let reasons: String = r.get(13)?;
            Ok(ReportRow {
                item_id: r.get(0)?,
                source: r.get(1)?,
                title: r.get(2)?,
                url: r.get(3)?,
                published_at: r.get(4)?,
                published_estimated: r.get(5)?,
                fetched_at: r.get(6)?,
                lang: r.get(7)?,
                model_version: r.get(8)?,
                label: label_of(r.get(9)?)?,
                score: r.get(10)?,
                p_misleading: r.get(11)?,
                flagged: r.get(12)?,
                reasons: serde_json::from_str(&reasons).unwrap_or_default(),
                review_label: r.get::<_, Option<String>>(14)?.map(label_of).transpose()?,
                reviewer: r.get(15)?,
                review_note: r.get(16)?,
                reviewed_at: r.get(17)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Items of the period (and how many are classified) per outlet and language.
    pub fn item_counts(
        &self,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<ItemCount>> {
        let sql = format!(
            "SELECT s.name, COALESCE(i.lang, s.lang, ''), COUNT(*),
                    SUM(EXISTS (SELECT 1 FROM classifications c WHERE c.item_id = i.id))
             FROM items i JOIN sources s ON s.id = i.source_id
             WHERE {IN_PERIOD}
             GROUP BY 1, 2 ORDER BY 1, 2"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(params![fmt_time(since), fmt_time(until)], |r| {
            Ok(ItemCount {
                source: r.get(0)?,
                lang: r.get(1)?,
                items: r.get(2)?,
                classified: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Sources fetched in the period, and those whose latest fetch in it failed.
    pub fn fetch_summary(
        &self,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<FetchSummary> {
        let (since, until) = (fmt_time(since), fmt_time(until));
        let sources_crawled = self.conn.query_row(
            "SELECT COUNT(DISTINCT source_id) FROM fetches
             WHERE started_at >= ?1 AND started_at < ?2 AND outcome != 'skipped'",
            params![since, until],
            |r| r.get(0),
        )?;
        let mut stmt = self.conn.prepare(
            "SELECT s.name, f.started_at, COALESCE(f.error, f.outcome)
             FROM fetches f JOIN sources s ON s.id = f.source_id
             WHERE f.id IN (SELECT MAX(id) FROM fetches
                            WHERE started_at >= ?1 AND started_at < ?2 GROUP BY source_id)
               AND f.outcome IN ('failed', 'gone')
             ORDER BY s.name",
        )?;
        let failed = stmt
            .query_map(params![since, until], |r| {
                Ok(FailedSource {
                    source: r.get(0)?,
                    at: r.get(1)?,
                    error: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(FetchSummary {
            sources_crawled,
            failed,
        })
    }

    /// Records a report written to a file.
    pub fn insert_report(
        &self,
        generated_at: DateTime<Utc>,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
        format: &str,
        path: &str,
    ) -> Result<i64> {
        self.conn.execute(
            "INSERT INTO reports (generated_at, since, until, format, path) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                fmt_time(generated_at),
                fmt_time(since),
                fmt_time(until),
                format,
                path
            ],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// The end of the latest recorded report; with `run_only`, of the latest report a `run` wrote
    /// (so a manual `report` does not move the window of the daily series).
    pub fn previous_report_until(&self, run_only: bool) -> Result<Option<DateTime<Utc>>> {
        let until: Option<String> = self.conn.query_row(
            "SELECT MAX(until) FROM reports p
             WHERE NOT ?1 OR EXISTS (SELECT 1 FROM runs r WHERE r.report_path = p.path)",
            [run_only],
            |r| r.get(0),
        )?;
        Ok(until.as_deref().and_then(super::parse_time))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Verdict;
    use crate::store::classifications::tests::{classification, item};
    use crate::store::parse_time;

    #[test]
    fn period_rows_counts_and_failures() {
        let mut s = Store::open_in_memory().unwrap();
        let t = |x: &str| parse_time(x).unwrap();
        let fetched = t("2025-06-10T06:00:00Z");
        let a = s
            .seed_item("A", Some("ru"), &item("m", "2025-06-09T08:00:00Z"), fetched)
            .unwrap();
        let b = s
            .seed_item("A", Some("ru"), &item("r", "2025-06-09T09:00:00Z"), fetched)
            .unwrap();
        let c = s
            .seed_item("B", Some("en"), &item("u", "2025-06-09T10:00:00Z"), fetched)
            .unwrap();
        s.seed_item(
            "B",
            Some("en"),
            &item("old", "2025-05-01T10:00:00Z"),
            t("2025-05-01T11:00:00Z"),
        )
        .unwrap();
        s.insert_classifications(
            "m1",
            &[
                (a, classification(Label::Misleading, 0.9, true)),
                (b, classification(Label::Rebuttal, 0.7, false)),
                (c, classification(Label::Unrelated, 0.9, false)),
            ],
            fetched,
        )
        .unwrap();
        s.insert_review(&Verdict {
            item_id: c,
            label: Label::Misleading,
            reviewer: None,
            note: Some("missed".into()),
            reviewed_at: fetched,
        })
        .unwrap();
        let (since, until) = (t("2025-06-09T00:00:00Z"), t("2025-06-11T00:00:00Z"));
        let rows = s.report_rows(since, until).unwrap();
        assert_eq!(
            rows.iter().map(|r| r.item_id).collect::<Vec<_>>(),
            vec![a, b, c]
        );
        assert_eq!(rows[2].review_label, Some(Label::Misleading));
        let counts = s.item_counts(since, until).unwrap();
        assert_eq!(counts.iter().map(|c| c.items).sum::<i64>(), 3);
        s.seed_fetch("A", "failed", Some("timed out"), t("2025-06-10T05:00:00Z"))
            .unwrap();
        s.seed_fetch("B", "failed", Some("403"), t("2025-06-10T05:00:00Z"))
            .unwrap();
        s.seed_fetch("B", "ok", None, t("2025-06-10T05:30:00Z"))
            .unwrap();
        let f = s.fetch_summary(since, until).unwrap();
        assert_eq!(f.sources_crawled, 2);
        assert_eq!(f.failed.len(), 1);
        assert_eq!(f.failed[0].error, "timed out");
        assert_eq!(s.previous_report_until(false).unwrap(), None);
        s.insert_report(until, since, until, "md", "reports/x.md")
            .unwrap();
        assert_eq!(s.previous_report_until(false).unwrap(), Some(until));
        assert_eq!(s.previous_report_until(true).unwrap(), None);
    }
}
