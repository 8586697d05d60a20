//! Sources a crawl did not fetch because they are held back (backoff after failures, or a host's
//! `Retry-After`): each is logged as a `fetches` row with outcome `skipped` under the run that held it
//! back, without touching the source's own state, so a report can say which sources were not crawled,
//! why and until when.

use super::{fmt_time, Store};
use crate::error::Result;
use chrono::{DateTime, Utc};
use rusqlite::params;

/// A source whose latest fetch row in a period is `skipped`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct HeldBackSource {
    pub source: String,
    /// When a crawl last held it back.
    pub at: String,
    /// Not fetched before this (the source's `next_fetch_at`), if known.
    pub until: Option<String>,
    /// Consecutive failures behind the backoff (0: held back by a host's Retry-After alone).
    pub failures: i64,
    /// Why: the wait and the last error.
    pub reason: String,
}

impl Store {
    /// Logs that `run_id` held back `source_id` (outcome `skipped`) with `reason`; the source's row is
    /// left as it is (its failures, last error and next fetch time stay what the last real fetch set).
    pub fn record_held_back(
        &self,
        run_id: i64,
        source_id: i64,
        url: &str,
        at: DateTime<Utc>,
        reason: &str,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO fetches (source_id, run_id, url, started_at, finished_at, outcome, error, duration_ms)
             VALUES (?1, ?2, ?3, ?4, ?4, 'skipped', ?5, 0)",
            params![source_id, run_id, url, fmt_time(at), reason],
        )?;
        Ok(())
    }

    /// Sources whose latest fetch row in `[since, until)` is `skipped`, by name.
    pub fn held_back_sources(
        &self,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<HeldBackSource>> {
        let mut stmt = self.conn.prepare(
            "SELECT s.name, f.started_at, s.next_fetch_at, s.failure_count, COALESCE(f.error, 'held back')
             FROM fetches f JOIN sources s ON s.id = f.source_id
             WHERE f.id IN (SELECT MAX(id) FROM fetches
                            WHERE started_at >= ?1 AND started_at < ?2 GROUP BY source_id)
               AND f.outcome = 'skipped'
             ORDER BY s.name",
        )?;
        let rows = stmt.query_map(params![fmt_time(since), fmt_time(until)], |r| {
            Ok(HeldBackSource {
                source: r.get(0)?,
                at: r.get(1)?,
                until: r.get(2)?,
                failures: r.get(3)?,
                reason: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::parse_time;

    #[test]
    fn latest_skipped_fetch_in_the_period_is_held_back() {
        let s = Store::open_in_memory().unwrap();
        let t = |x: &str| parse_time(x).unwrap();
        s.seed_fetch("A", "failed", Some("HTTP 500"), t("2025-06-10T05:00:00Z"))
            .unwrap();
        s.seed_fetch("B", "ok", None, t("2025-06-10T05:00:00Z"))
            .unwrap();
        let run = s.start_run("crawl", t("2025-06-10T06:00:00Z")).unwrap();
        for name in ["A", "B"] {
            let id = s.seed_source(name, None).unwrap();
            s.record_held_back(run, id, "http://x/", t("2025-06-10T06:00:00Z"), "held back")
                .unwrap();
        }
        // B was fetched again later in the period: it is no longer held back.
        s.seed_fetch("B", "ok", None, t("2025-06-10T07:00:00Z"))
            .unwrap();
        let h = s
            .held_back_sources(t("2025-06-10T00:00:00Z"), t("2025-06-11T00:00:00Z"))
            .unwrap();
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].source, "A");
        assert_eq!(h[0].reason, "held back");
        let f = s
            .fetch_summary(t("2025-06-10T00:00:00Z"), t("2025-06-11T00:00:00Z"))
            .unwrap();
        assert_eq!(f.sources_crawled, 2, "a held-back source is not crawled");
        let f = s
            .fetch_summary(t("2025-06-10T05:30:00Z"), t("2025-06-10T06:30:00Z"))
            .unwrap();
        assert_eq!(f.sources_crawled, 0, "a held-back source is not crawled");
    }
}
