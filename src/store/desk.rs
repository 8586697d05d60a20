//! What the review desk (`headline-watch serve`) reads and writes: the queue of flagged headlines awaiting
//! a verdict, full-text search over every stored headline (schema v3's `items_fts`), undoing a verdict
//! (an appended `review_undos` row, never a deletion), outlets with their flags and feed health, and the
//! reports already written. Each page is one query or a few; every query starts from an index (flagged
//! classifications, the FTS index, sources) rather than from all items.

use super::reviews::label_of;
use super::{fmt_time, Store, LATEST_LIVE_REVIEW};
use crate::domain::Label;
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, OptionalExtension, Row};

/// The order of the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QueueSort {
    /// Newest classification first: the latest run's flags on top, the most recently stored first.
    #[default]
    Newest,
    /// Most probably misleading first.
    Confidence,
    /// Smallest margin between `misleading` and the runner-up first: the verdicts that teach the model
    /// most (margin sampling).
    Uncertainty,
}

/// Filters shared by the queue and the search. Times are stored-format UTC text (`fmt_time`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeskFilter {
    pub outlet: Option<String>,
    pub lang: Option<String>,
    /// Published at or after.
    pub since: Option<String>,
    /// Published before.
    pub until: Option<String>,
}

/// An item's live verdict (the latest one not undone).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DeskReview {
    pub review_id: i64,
    pub label: Label,
    pub reviewer: Option<String>,
    pub note: Option<String>,
    pub reviewed_at: String,
}

/// The model's latest classification of an item.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DeskClassification {
    pub label: Label,
    /// Probability of `label`.
    pub score: f64,
    /// Probabilities in [`Label::ALL`] order.
    pub p: [f64; 4],
    pub flagged: bool,
    pub reasons: Vec<String>,
    pub model_version: String,
    pub classified_at: String,
}

/// One headline as the desk shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DeskItem {
    pub item_id: i64,
    pub source: String,
    pub title: String,
    /// As stored (untrusted; the desk links only http(s) URLs).
    pub url: Option<String>,
    pub lang: Option<String>,
    pub published_at: String,
    pub published_estimated: bool,
    pub fetched_at: String,
    pub classification: Option<DeskClassification>,
    pub review: Option<DeskReview>,
}

/// A page of the queue and how many items the filters leave in all.
#[derive(Debug, Clone, PartialEq)]
pub struct QueuePage {
    pub items: Vec<DeskItem>,
    pub total: i64,
}

/// A verdict that was just recorded or undone, for the desk's confirmation line.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ReviewRef {
    pub review_id: i64,
    pub item_id: i64,
    pub label: Label,
    pub title: String,
    pub undone: bool,
}

/// One outlet with its flags and its feed's health.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct OutletRow {
    pub source_id: i64,
    pub name: String,
    pub url: String,
    /// `active` or `gone`.
    pub status: String,
    pub last_fetch_at: Option<String>,
    pub last_success_at: Option<String>,
    pub failure_count: i64,
    pub last_error: Option<String>,
    /// Not fetched before this (backoff, Retry-After).
    pub next_fetch_at: Option<String>,
    pub items: i64,
    /// Headlines whose latest classification is flagged.
    pub flagged: i64,
    /// Of those, confirmed by a reviewer (`misleading`).
    pub confirmed: i64,
    /// Of those, rejected by a reviewer (any other verdict).
    pub rejected: i64,
}

/// Flags of one outlet on one publication day (`YYYY-MM-DD`).
#[derive(Debug, Clone, PartialEq)]
pub struct FlagDay {
    pub source_id: i64,
    pub day: String,
    pub flagged: i64,
    pub confirmed: i64,
    pub rejected: i64,
}

/// A report written to a file (the `reports` table).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ReportFile {
    pub id: i64,
    pub generated_at: String,
    pub since: String,
    pub until: String,
    pub format: String,
    pub path: String,
}

const ITEM_COLUMNS: &str = "i.id, s.name, i.title, i.url, COALESCE(i.lang, s.lang), i.published_at,
       i.published_estimated, i.fetched_at,
       c.label, c.score, c.p_misleading, c.p_accurate, c.p_rebuttal, c.p_unrelated, c.flagged,
       c.reasons, c.model_version, c.classified_at,
       r.id, r.label, r.reviewer, r.note, r.reviewed_at";

/// The filters that are set, as `AND ...` conditions over `i` and `s` with `?` placeholders, and their
/// values in order. Only set filters appear, so SQLite can use an index for them (an outlet's items, a
/// date range) instead of testing every row.
fn filter_sql(f: &DeskFilter) -> (String, Vec<Value>) {
    let mut sql = String::new();
    let mut args = Vec::new();
    let conditions = [
        (&f.outlet, " AND s.name = ?"),
        (&f.lang, " AND COALESCE(i.lang, s.lang) = ?"),
        (&f.since, " AND i.published_at >= ?"),
        (&f.until, " AND i.published_at < ?"),
    ];
    for (value, condition) in conditions {
        if let Some(v) = value {
            sql.push_str(condition);
            args.push(Value::Text(v.clone()));
        }
    }
    (sql, args)
}

/// `FROM ... WHERE ...` of the flagged headlines awaiting a verdict under `f`, and its arguments.
/// `index` names the partial index to walk when the scan starts from the classifications (SQLite's
/// planner would rather take the older `(flagged, item_id)` index and sort every flag).
fn awaiting_sql(f: &DeskFilter, index: Option<&str>) -> (String, Vec<Value>) {
    let (filters, args) = filter_sql(f);
    let indexed = index
        .map(|i| format!(" INDEXED BY {i}"))
        .unwrap_or_default();
    // Where the scan starts (CROSS JOIN fixes SQLite's loop order): an outlet's items, else the items of
    // a date range (the desk's date filters are a day or a week, not the whole store), else the flagged
    // classifications in the page's order.
    let from = if f.outlet.is_some() {
        "sources s CROSS JOIN items i ON i.source_id = s.id
         CROSS JOIN classifications c ON c.item_id = i.id"
            .to_string()
    } else if f.since.is_some() || f.until.is_some() {
        "items i CROSS JOIN sources s ON s.id = i.source_id
         CROSS JOIN classifications c ON c.item_id = i.id"
            .to_string()
    } else if f.lang.is_some() {
        format!(
            "classifications c{indexed} JOIN items i ON i.id = c.item_id
             JOIN sources s ON s.id = i.source_id"
        )
    } else {
        format!("classifications c{indexed}")
    };
    let sql = format!(
        "FROM {from}
         WHERE c.flagged = 1
           AND c.id = (SELECT MAX(c2.id) FROM classifications c2 WHERE c2.item_id = c.item_id)
           AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.version_id = c.version_id
               AND NOT EXISTS (SELECT 1 FROM review_undos u WHERE u.review_id = r.id))
           {filters}"
    );
    (sql, args)
}

fn desk_item(r: &Row<'_>) -> rusqlite::Result<DeskItem> {
    let classification = match r.get::<_, Option<String>>(8)? {
        Some(label) => {
            let reasons: String = r.get(15)?;
            Some(DeskClassification {
                label: label_of(label)?,
                score: r.get(9)?,
                p: [r.get(10)?, r.get(11)?, r.get(12)?, r.get(13)?],
                flagged: r.get(14)?,
                reasons: serde_json::from_str(&reasons).unwrap_or_default(),
                model_version: r.get(16)?,
                classified_at: r.get(17)?,
            })
        }
        None => None,
    };
    let review = match r.get::<_, Option<i64>>(18)? {
        Some(review_id) => Some(DeskReview {
            review_id,
            label: label_of(r.get(19)?)?,
            reviewer: r.get(20)?,
            note: r.get(21)?,
            reviewed_at: r.get(22)?,
        }),
        None => None,
    };
    Ok(DeskItem {
        item_id: r.get(0)?,
        source: r.get(1)?,
        title: r.get(2)?,
        url: r.get(3)?,
        lang: r.get(4)?,
        published_at: r.get(5)?,
        published_estimated: r.get(6)?,
        fetched_at: r.get(7)?,
        classification,
        review,
    })
}

/// Turns what a person typed into an FTS5 query: every word becomes a quoted prefix term (so `виз`
/// finds визы, визовый; operators and quotes typed by the user are only text), all required. `ё` is
/// folded to `е` as in the index. `None` when nothing searchable is left.
pub fn fts_query(typed: &str) -> Option<String> {
    let terms: Vec<String> = typed
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(12)
        .map(|w| format!("\"{}\"*", w.replace('ё', "е").replace('Ё', "Е")))
        .collect();
    if terms.is_empty() {
        None
    } else {
        Some(terms.join(" "))
    }
}

impl Store {
    /// Flagged headlines (by their latest classification) with no live verdict, filtered and sorted, one
    /// page of them, and how many there are in all ([`Store::desk_queue_total`] and
    /// [`Store::desk_queue_page`]).
    pub fn desk_queue(
        &self,
        f: &DeskFilter,
        sort: QueueSort,
        limit: usize,
        offset: usize,
    ) -> Result<QueuePage> {
        Ok(QueuePage {
            total: self.desk_queue_total(f)?,
            items: self.desk_queue_page(f, sort, limit, offset)?,
        })
    }

    /// How many flagged headlines await a verdict under the filters. This is the queue's costly query
    /// (it checks every flag); the desk keeps its answer until [`Store::data_version`] says another
    /// connection wrote, or it writes itself.
    pub fn desk_queue_total(&self, f: &DeskFilter) -> Result<i64> {
        let (awaiting, args) = awaiting_sql(f, None);
        Ok(self
            .conn
            .prepare_cached(&format!("SELECT COUNT(*) {awaiting}"))?
            .query_row(params_from_iter(&args), |r| r.get(0))?)
    }

    /// One page of the queue. Without filters (or with only a language) the page is found by walking a
    /// partial index of flagged classifications in the chosen order (schema v3) and stops after the page;
    /// then the page's rows are read by id.
    pub fn desk_queue_page(
        &self,
        f: &DeskFilter,
        sort: QueueSort,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<DeskItem>> {
        // Each order is the key of one partial index of schema v3.
        let (order, index) = match sort {
            QueueSort::Newest => ("c.id DESC", "classifications_flagged_newest"),
            QueueSort::Confidence => (
                "c.p_misleading DESC, c.id DESC",
                "classifications_flagged_confidence",
            ),
            QueueSort::Uncertainty => (
                "c.p_misleading - max(c.p_accurate, c.p_rebuttal, c.p_unrelated) ASC, c.id ASC",
                "classifications_flagged_margin",
            ),
        };
        let (awaiting, mut args) = awaiting_sql(f, Some(index));
        args.push(Value::Integer(limit as i64));
        args.push(Value::Integer(offset as i64));
        let ids: Vec<i64> = self
            .conn
            .prepare_cached(&format!(
                "SELECT c.id {awaiting} ORDER BY {order} LIMIT ? OFFSET ?"
            ))?
            .query_map(params_from_iter(&args), |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        // The page's rows (no live verdict by construction: the review columns are NULL).
        let sql = format!(
            "SELECT {ITEM_COLUMNS}, c.id
             FROM classifications c
             JOIN items i ON i.id = c.item_id
             JOIN sources s ON s.id = i.source_id
             LEFT JOIN reviews r ON r.id = NULL
             WHERE c.id IN (SELECT value FROM json_each(?1))"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let json = serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into());
        let mut rows: Vec<(i64, DeskItem)> = stmt
            .query_map([json], |r| Ok((r.get(23)?, desk_item(r)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let position: std::collections::HashMap<i64, usize> =
            ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        rows.sort_by_key(|(id, _)| position.get(id).copied().unwrap_or(usize::MAX));
        Ok(rows.into_iter().map(|(_, item)| item).collect())
    }

    /// SQLite's `PRAGMA data_version`: changes whenever another connection (cron's `run`, `review mark`)
    /// has committed since the last call on this one; this connection's own writes do not change it.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// Every stored headline matching `fts` (built by [`fts_query`]) and the filters, most recently stored
    /// first (the FTS index is walked in rowid order and stops at `limit`), with its latest classification
    /// and live verdict.
    pub fn desk_search(&self, fts: &str, f: &DeskFilter, limit: usize) -> Result<Vec<DeskItem>> {
        // The matching ids are chosen first (FTS index, then items by rowid); the classification and
        // verdict lookups then run for the page only.
        let (filters, mut args) = filter_sql(f);
        args.insert(0, Value::Text(fts.to_string()));
        args.push(Value::Integer(limit as i64));
        let sql = format!(
            "WITH hits AS (
                SELECT i.id FROM items_fts x
                JOIN items i ON i.id = x.rowid
                JOIN sources s ON s.id = i.source_id
                WHERE items_fts MATCH ? {filters}
                ORDER BY x.rowid DESC
                LIMIT ?)
             SELECT {ITEM_COLUMNS}
             FROM hits h
             JOIN items i ON i.id = h.id
             JOIN sources s ON s.id = i.source_id
             LEFT JOIN classifications c
               ON c.id = (SELECT MAX(c2.id) FROM classifications c2 WHERE c2.item_id = i.id)
             LEFT JOIN reviews r ON r.id = {LATEST_LIVE_REVIEW}
             ORDER BY i.id DESC"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(&args), desk_item)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Outlet names and languages for the filter menus (languages: those of the sources, plus the three
    /// the crawler guesses).
    pub fn desk_filter_options(&self) -> Result<(Vec<String>, Vec<String>)> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT name FROM sources ORDER BY name")?;
        let outlets = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT lang FROM sources WHERE lang IS NOT NULL AND lang <> ''
             UNION SELECT 'en' UNION SELECT 'kk' UNION SELECT 'ru' ORDER BY 1",
        )?;
        let langs = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok((outlets, langs))
    }

    /// A verdict with its item's title (for the confirmation line), or `None`.
    pub fn desk_review(&self, review_id: i64) -> Result<Option<ReviewRef>> {
        Ok(self
            .conn
            .query_row(
                "SELECT r.id, r.item_id, r.label, i.title,
                        EXISTS (SELECT 1 FROM review_undos u WHERE u.review_id = r.id)
                 FROM reviews r JOIN items i ON i.id = r.item_id WHERE r.id = ?1",
                [review_id],
                |r| {
                    Ok(ReviewRef {
                        review_id: r.get(0)?,
                        item_id: r.get(1)?,
                        label: label_of(r.get(2)?)?,
                        title: r.get(3)?,
                        undone: r.get(4)?,
                    })
                },
            )
            .optional()?)
    }

    /// Undoes a verdict by appending a `review_undos` row: the item's previous verdict (or none) counts
    /// again, for the desk, `review list`, `review export` and reports alike. Undoing twice is harmless.
    pub fn undo_review(
        &self,
        review_id: i64,
        reviewer: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<ReviewRef> {
        let Some(found) = self.desk_review(review_id)? else {
            return Err(Error::Other(format!("no verdict with id {review_id}")));
        };
        self.conn.execute(
            "INSERT INTO review_undos (review_id, reviewer, undone_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (review_id) DO NOTHING",
            params![review_id, reviewer, fmt_time(at)],
        )?;
        Ok(ReviewRef {
            undone: true,
            ..found
        })
    }

    /// Every outlet with its item count and its feed's health; the flag counts are left at zero for
    /// [`Store::desk_flag_days`] to fill in.
    pub fn desk_outlets(&self) -> Result<Vec<OutletRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.id, s.name, s.url, s.status, s.last_fetch_at, s.last_success_at, s.failure_count,
                    s.last_error, s.next_fetch_at, (SELECT COUNT(*) FROM items WHERE source_id = s.id)
             FROM sources s ORDER BY s.name",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(OutletRow {
                source_id: r.get(0)?,
                name: r.get(1)?,
                url: r.get(2)?,
                status: r.get(3)?,
                last_fetch_at: r.get(4)?,
                last_success_at: r.get(5)?,
                failure_count: r.get(6)?,
                last_error: r.get(7)?,
                next_fetch_at: r.get(8)?,
                items: r.get(9)?,
                flagged: 0,
                confirmed: 0,
                rejected: 0,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Flagged headlines (by their latest classification) per outlet and publication day, with how many
    /// of them a reviewer confirmed (`misleading`) or rejected (any other live verdict): one pass over the
    /// flags for the whole outlets page.
    pub fn desk_flag_days(&self) -> Result<Vec<FlagDay>> {
        let mut stmt = self.conn.prepare_cached(
            "WITH verdicts AS (
                SELECT r.item_id, r.label FROM reviews r
                WHERE r.id = (SELECT MAX(r2.id) FROM reviews r2 WHERE r2.item_id = r.item_id
                    AND NOT EXISTS (SELECT 1 FROM review_undos u WHERE u.review_id = r2.id)))
             SELECT i.source_id, substr(i.published_at, 1, 10) AS day, COUNT(*),
                    COALESCE(SUM(v.label = 'misleading'), 0),
                    COALESCE(SUM(v.label IS NOT NULL AND v.label <> 'misleading'), 0)
             FROM classifications c
             JOIN items i ON i.id = c.item_id
             LEFT JOIN verdicts v ON v.item_id = c.item_id
             WHERE c.flagged = 1
               AND c.id = (SELECT MAX(c2.id) FROM classifications c2 WHERE c2.item_id = c.item_id)
             GROUP BY i.source_id, day",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(FlagDay {
                source_id: r.get(0)?,
                day: r.get(1)?,
                flagged: r.get(2)?,
                confirmed: r.get(3)?,
                rejected: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Reports written to files, newest first (at most `limit`).
    pub fn report_files(&self, limit: usize) -> Result<Vec<ReportFile>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, generated_at, since, until, format, path FROM reports
             WHERE path IS NOT NULL ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], report_file)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One report written to a file, by id.
    pub fn report_file(&self, id: i64) -> Result<Option<ReportFile>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, generated_at, since, until, format, path FROM reports
                 WHERE id = ?1 AND path IS NOT NULL",
                [id],
                report_file,
            )
            .optional()?)
    }
}

fn report_file(r: &Row<'_>) -> rusqlite::Result<ReportFile> {
    Ok(ReportFile {
        id: r.get(0)?,
        generated_at: r.get(1)?,
        since: r.get(2)?,
        until: r.get(3)?,
        format: r.get(4)?,
        path: r.get(5)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Verdict;
    use crate::store::classifications::tests::{classification, item};

    fn verdict(item_id: i64, label: Label) -> Verdict {
        Verdict {
            item_id,
            label,
            reviewer: Some("A".into()),
            note: None,
            reviewed_at: Utc::now(),
        }
    }

    #[test]
    fn queue_undo_and_search() {
        let mut s = Store::open_in_memory().unwrap();
        let now = Utc::now();
        let a = s
            .seed_item(
                "A",
                Some("ru"),
                &item("Россия вводит визы", "2025-06-09T08:00:00Z"),
                now,
            )
            .unwrap();
        let b = s
            .seed_item(
                "B",
                Some("en"),
                &item("Visa regime café", "2025-06-09T09:00:00Z"),
                now,
            )
            .unwrap();
        let c = s
            .seed_item(
                "B",
                Some("en"),
                &item("Weather in Almaty", "2025-06-09T10:00:00Z"),
                now,
            )
            .unwrap();
        let flag = classification(Label::Misleading, 0.8, true);
        let calm = classification(Label::Unrelated, 0.9, false);
        s.insert_classifications("m1", &[(a, flag.clone()), (b, flag), (c, calm)], now)
            .unwrap();
        let all = DeskFilter::default();
        let q = s.desk_queue(&all, QueueSort::Newest, 50, 0).unwrap();
        assert_eq!(q.total, 2);
        assert_eq!(q.items[0].item_id, b, "the latest classified first");
        let only_a = DeskFilter {
            outlet: Some("A".into()),
            ..Default::default()
        };
        assert_eq!(
            s.desk_queue(&only_a, QueueSort::Newest, 50, 0)
                .unwrap()
                .total,
            1
        );

        // A verdict takes the item out of the queue; undoing it brings it back, and export agrees.
        let first = s.insert_review(&verdict(a, Label::Accurate)).unwrap();
        let second = s.insert_review(&verdict(a, Label::Rebuttal)).unwrap();
        assert_eq!(
            s.desk_queue(&all, QueueSort::Newest, 50, 0).unwrap().total,
            1
        );
        s.undo_review(second, Some("A"), now).unwrap();
        assert_eq!(s.reviewed_items().unwrap()[0].label, Label::Accurate);
        s.undo_review(first, None, now).unwrap();
        s.undo_review(first, None, now).unwrap();
        assert!(s.reviewed_items().unwrap().is_empty());
        assert_eq!(
            s.desk_queue(&all, QueueSort::Newest, 50, 0).unwrap().total,
            2
        );
        let rows: i64 = s
            .conn
            .query_row("SELECT COUNT(*) FROM reviews", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 2, "undo deletes nothing");
        assert!(s.undo_review(999, None, now).is_err());

        // A verdict is on the wording the person saw, as in `review list`: when the outlet rewords a
        // reviewed headline and the new wording is flagged too, it is back in the queue.
        s.insert_review(&verdict(b, Label::Misleading)).unwrap();
        assert_eq!(
            s.desk_queue(&all, QueueSort::Newest, 50, 0).unwrap().total,
            1
        );
        let v2 = s.seed_version(b, "Visa regime café, updated", now).unwrap();
        s.insert_version_classifications(
            "m1",
            &[(v2, classification(Label::Misleading, 0.8, true))],
            now,
        )
        .unwrap();
        let q = s.desk_queue(&all, QueueSort::Newest, 50, 0).unwrap();
        assert_eq!(q.total, 2);
        assert!(q.items.iter().any(|i| i.item_id == b));
        assert_eq!(s.review_list(false).unwrap().len(), 2, "review list agrees");

        // Search: prefixes, case, Latin accents, operators typed as text.
        let hits = |q: &str| -> Vec<i64> {
            s.desk_search(&fts_query(q).unwrap(), &all, 50)
                .unwrap()
                .iter()
                .map(|i| i.item_id)
                .collect()
        };
        assert_eq!(hits("ВИЗ"), vec![a]);
        assert_eq!(hits("cafe"), vec![b]);
        assert_eq!(hits("almaty"), vec![c]);
        assert_eq!(hits("visa OR almaty"), Vec::<i64>::new());
        assert_eq!(hits("\"weather"), vec![c]);
        assert!(fts_query(" \"*() ").is_none());
        let found = s
            .desk_search(&fts_query("weather").unwrap(), &all, 50)
            .unwrap();
        assert!(!found[0].classification.as_ref().unwrap().flagged);
    }

    #[test]
    fn queue_orders_filters_and_pages() {
        let mut s = Store::open_in_memory().unwrap();
        let now = Utc::now();
        let mut ids = Vec::new();
        for (i, p) in [0.7, 0.9, 0.55].into_iter().enumerate() {
            let id = s
                .seed_item(
                    if i == 1 { "B" } else { "A" },
                    Some("en"),
                    &item(
                        &format!("visa {i}"),
                        &format!("2025-06-0{}T08:00:00Z", i + 1),
                    ),
                    now,
                )
                .unwrap();
            s.insert_classifications(
                "m1",
                &[(id, classification(Label::Misleading, p, true))],
                now,
            )
            .unwrap();
            ids.push(id);
        }
        let all = DeskFilter::default();
        let order = |sort| -> Vec<i64> {
            s.desk_queue(&all, sort, 10, 0)
                .unwrap()
                .items
                .iter()
                .map(|i| i.item_id)
                .collect()
        };
        assert_eq!(order(QueueSort::Newest), vec![ids[2], ids[1], ids[0]]);
        assert_eq!(order(QueueSort::Confidence), vec![ids[1], ids[0], ids[2]]);
        assert_eq!(order(QueueSort::Uncertainty), vec![ids[2], ids[0], ids[1]]);
        let page = s.desk_queue(&all, QueueSort::Confidence, 1, 1).unwrap();
        assert_eq!((page.total, page.items[0].item_id), (3, ids[0]));
        let f = DeskFilter {
            outlet: Some("A".into()),
            since: Some("2025-06-02T00:00:00Z".into()),
            ..Default::default()
        };
        let page = s.desk_queue(&f, QueueSort::Newest, 10, 0).unwrap();
        assert_eq!(page.total, 1);
        assert_eq!(page.items[0].item_id, ids[2]);
        let past = s.desk_queue(&all, QueueSort::Newest, 10, 10).unwrap();
        assert_eq!((past.total, past.items.len()), (3, 0));
        // The outlets page's counts: B's flag confirmed; A's first rejected then undone, its third rejected.
        s.insert_review(&verdict(ids[1], Label::Misleading))
            .unwrap();
        let r = s.insert_review(&verdict(ids[0], Label::Unrelated)).unwrap();
        s.undo_review(r, None, now).unwrap();
        s.insert_review(&verdict(ids[2], Label::Accurate)).unwrap();
        let mut days: Vec<(String, i64, i64, i64)> = s
            .desk_flag_days()
            .unwrap()
            .into_iter()
            .map(|d| {
                let name = if d.source_id == 1 { "A" } else { "B" };
                (
                    format!("{name} {}", d.day),
                    d.flagged,
                    d.confirmed,
                    d.rejected,
                )
            })
            .collect();
        days.sort();
        assert_eq!(
            days,
            vec![
                ("A 2025-06-01".into(), 1, 0, 0),
                ("A 2025-06-03".into(), 1, 0, 1),
                ("B 2025-06-02".into(), 1, 1, 0),
            ]
        );
        assert_eq!(s.desk_outlets().unwrap().len(), 2);
    }

    #[test]
    fn search_index_follows_items_and_backfills() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite");
        let s = Store::open(&path).unwrap();
        let now = Utc::now();
        let id = s
            .seed_item(
                "A",
                None,
                &item("Ёлка у границы", "2025-06-09T08:00:00Z"),
                now,
            )
            .unwrap();
        let f = DeskFilter::default();
        assert_eq!(
            s.desk_search(&fts_query("елка").unwrap(), &f, 5)
                .unwrap()
                .len(),
            1
        );
        s.conn
            .execute("UPDATE items SET title = 'Граница' WHERE id = ?1", [id])
            .unwrap();
        assert!(s
            .desk_search(&fts_query("елка").unwrap(), &f, 5)
            .unwrap()
            .is_empty());
        assert_eq!(
            s.desk_search(&fts_query("границ").unwrap(), &f, 5)
                .unwrap()
                .len(),
            1
        );
        // A database from before version 3: the migration indexes the items already stored.
        s.conn
            .execute_batch(
                "DROP TRIGGER items_fts_insert; DROP TRIGGER items_fts_delete;
                 DROP TRIGGER items_fts_update; DROP TABLE items_fts; DROP TABLE review_undos;
                 DROP INDEX classifications_flagged_newest;
                 DROP INDEX classifications_flagged_confidence;
                 DROP INDEX classifications_flagged_margin;
                 PRAGMA user_version = 2;",
            )
            .unwrap();
        drop(s);
        let s = Store::open(&path).unwrap();
        assert_eq!(
            s.desk_search(&fts_query("граница").unwrap(), &f, 5)
                .unwrap()
                .len(),
            1
        );
    }
}
