//! Headline versions: what the crawler does when it meets an item it already knows, what disappears from
//! a feed, and reading an item's title history with each wording's verdicts.
//!
//! # Rules
//! - A known item (its canonical URL, or its GUID within the same source) listed by **its own source**
//!   with a different wording (a different [`crate::text::title_hash`], so case, quotes and spacing do
//!   not count) gets a new version; the item's `title` becomes the new wording. The same wording only
//!   moves its version's `last_seen`. Another source listing the same URL under its own wording (an
//!   aggregator) changes nothing: that is not the outlet editing its headline.
//! - **Disappearance** (noted, never a correction): after a feed fetch that listed items, an item of that
//!   source that was not listed, has a real publication date (not estimated) and is newer than at least
//!   [`MIN_OLDER_LISTED`] items still listed has been removed out of order, not pushed out by newer
//!   stories; its `gone_at` is set. Listed again later, it is cleared. Feeds list newest first, so the per-source item cap only
//!   drops older items, which this rule ignores. Page sources' items have estimated dates and are never
//!   marked by this rule; instead `run` asks for each flagged page headline's own URL
//!   ([`crate::crawl::links`]) and a 404 or 410 marks it gone ([`Store::mark_gone`]).

use super::{fmt_time, Store, ITEMS_WITH_LATEST_VERDICTS};
use crate::domain::{Label, NewItem};
use crate::error::Result;
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Transaction};

/// How many listed items older than a missing one show it was removed rather than pushed out: more than
/// one, so a single old item pinned to the top of a feed does not make every story that rolls off "gone".
pub const MIN_OLDER_LISTED: usize = 2;

/// What storing one listed item did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    /// A new item (its version 1).
    New(i64),
    /// A known item, same wording.
    Same(i64),
    /// A known item with a new wording: a new version.
    Changed(i64),
    /// Known under another source: left alone.
    OtherSource,
}

impl Seen {
    /// The item of this source the listing refers to.
    pub fn item_id(self) -> Option<i64> {
        match self {
            Seen::New(id) | Seen::Same(id) | Seen::Changed(id) => Some(id),
            Seen::OtherSource => None,
        }
    }
}

/// Stores one listed item of `source_id` seen at `at` by fetch `fetch_id` (inside the fetch's
/// transaction): inserts it, or moves `last_seen`, or adds a version.
pub(crate) fn store_listed(
    tx: &Transaction<'_>,
    source_id: i64,
    fetch_id: i64,
    it: &NewItem,
    at: &str,
) -> Result<Seen> {
    let hash = crate::text::title_hash(&it.title);
    let inserted = tx
        .prepare_cached(
            "INSERT OR IGNORE INTO items (source_id, url, canonical_url, guid, title, title_hash, summary,
             published_at, published_estimated, fetched_at, lang)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?
        .execute(params![
            source_id,
            it.url,
            it.canonical_url,
            it.guid,
            it.title,
            hash,
            it.summary,
            fmt_time(it.published_at),
            it.published_estimated,
            at,
            it.lang
        ])?;
    if inserted == 1 {
        let id = tx.last_insert_rowid();
        // The trigger made version 1; it came from this fetch.
        tx.prepare_cached(
            "UPDATE title_versions SET fetch_id = ?2 WHERE id = (SELECT version_id FROM items WHERE id = ?1)",
        )?
        .execute(params![id, fetch_id])?;
        return Ok(Seen::New(id));
    }
    // The GUID within this source identifies the story best; then the canonical URL.
    let known: Option<(i64, i64, Option<i64>)> = tx
        .prepare_cached(
            "SELECT id, source_id, version_id FROM items
             WHERE (source_id = ?1 AND guid = ?2) OR canonical_url = ?3
             ORDER BY (source_id = ?1 AND guid = ?2) DESC LIMIT 1",
        )?
        .query_row(params![source_id, it.guid, it.canonical_url], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    let Some((item_id, owner, Some(version_id))) = known else {
        return Ok(Seen::OtherSource);
    };
    if owner != source_id {
        return Ok(Seen::OtherSource);
    }
    let (current_hash, version): (String, i64) = tx
        .prepare_cached("SELECT title_hash, version FROM title_versions WHERE id = ?1")?
        .query_row([version_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    if current_hash == hash {
        tx.prepare_cached(
            "UPDATE title_versions SET last_seen = MAX(last_seen, ?2) WHERE id = ?1",
        )?
        .execute(params![version_id, at])?;
        // Listed again: no longer gone by the feed rule. (A page headline's own URL answering 404/410
        // is not undone by the page still linking to it.)
        tx.prepare_cached(
            "UPDATE items SET gone_at = NULL
             WHERE id = ?1 AND gone_at IS NOT NULL AND published_estimated = 0",
        )?
        .execute([item_id])?;
        return Ok(Seen::Same(item_id));
    }
    tx.prepare_cached(
        "INSERT INTO title_versions (item_id, version, title, title_hash, first_seen, last_seen, fetch_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6)",
    )?
    .execute(params![item_id, version + 1, it.title, hash, at, fetch_id])?;
    let new_version = tx.last_insert_rowid();
    tx.prepare_cached(
        "UPDATE items SET title = ?2, title_hash = ?3, version_id = ?4,
             gone_at = CASE WHEN published_estimated = 0 THEN NULL ELSE gone_at END
         WHERE id = ?1",
    )?
    .execute(params![item_id, it.title, hash, new_version])?;
    Ok(Seen::Changed(item_id))
}

/// Applies the disappearance rule (module docs) after a fetch of `source_id` at `at` that listed the
/// items `listed` (ids of this source). Returns how many items were newly marked gone.
pub(crate) fn mark_disappeared(
    tx: &Transaction<'_>,
    source_id: i64,
    listed: &[i64],
    at: &str,
) -> Result<usize> {
    if listed.is_empty() {
        return Ok(0);
    }
    let ids = serde_json::to_string(listed).unwrap_or_else(|_| "[]".into());
    let n = tx.execute(
        "UPDATE items SET gone_at = ?3
         WHERE source_id = ?1 AND gone_at IS NULL AND published_estimated = 0
           AND id NOT IN (SELECT value FROM json_each(?2))
           AND published_at > (SELECT published_at FROM items
                               WHERE id IN (SELECT value FROM json_each(?2)) AND published_estimated = 0
                               ORDER BY published_at LIMIT 1 OFFSET ?4)",
        params![source_id, ids, at, MIN_OLDER_LISTED as i64 - 1],
    )?;
    Ok(n)
}

/// One wording of an item, with the verdicts on it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct VersionRow {
    pub item_id: i64,
    pub version: i64,
    pub title: String,
    pub first_seen: String,
    pub last_seen: String,
    /// The latest classification of this wording (any model), if classified.
    pub label: Option<Label>,
    pub p_misleading: Option<f64>,
    pub model_flagged: Option<bool>,
    /// The latest reviewer verdict on this wording, if any.
    pub review_label: Option<Label>,
}

impl VersionRow {
    /// Whether this wording counts as flagged: a reviewer's verdict wins over the model's flag.
    pub fn flagged(&self) -> bool {
        match self.review_label {
            Some(l) => l == Label::Misleading,
            None => self.model_flagged.unwrap_or(false),
        }
    }
}

/// An item whose wording was flagged at some point, with its whole title history.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    pub item_id: i64,
    pub source: String,
    pub url: Option<String>,
    pub lang: Option<String>,
    pub published_at: String,
    pub fetched_at: String,
    pub gone_at: Option<String>,
    /// Oldest first.
    pub versions: Vec<VersionRow>,
}

const VERSION_COLUMNS: &str = "v.item_id, v.version, v.title, v.first_seen, v.last_seen,
       c.label, c.p_misleading, c.flagged, r.label";
const VERSION_JOINS: &str = "LEFT JOIN classifications c
         ON c.id = (SELECT MAX(c2.id) FROM classifications c2 WHERE c2.version_id = v.id)
       LEFT JOIN reviews r
         ON r.id = (SELECT MAX(r2.id) FROM reviews r2 WHERE r2.version_id = v.id)";

fn version_row(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<VersionRow> {
    let label = |i| -> rusqlite::Result<Option<Label>> {
        r.get::<_, Option<String>>(i)?
            .map(super::reviews::label_of)
            .transpose()
    };
    Ok(VersionRow {
        item_id: r.get(at)?,
        version: r.get(at + 1)?,
        title: r.get(at + 2)?,
        first_seen: r.get(at + 3)?,
        last_seen: r.get(at + 4)?,
        label: label(at + 5)?,
        p_misleading: r.get(at + 6)?,
        model_flagged: r.get(at + 7)?,
        review_label: label(at + 8)?,
    })
}

impl Store {
    /// The title history of each item in `item_ids` (oldest wording first), keyed by item id.
    pub fn title_histories(
        &self,
        item_ids: &[i64],
    ) -> Result<std::collections::HashMap<i64, Vec<VersionRow>>> {
        let ids = serde_json::to_string(item_ids).unwrap_or_else(|_| "[]".into());
        let sql = format!(
            "SELECT {VERSION_COLUMNS} FROM title_versions v {VERSION_JOINS}
             WHERE v.item_id IN (SELECT value FROM json_each(?1))
             ORDER BY v.item_id, v.version"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let mut out: std::collections::HashMap<i64, Vec<VersionRow>> = Default::default();
        for row in stmt.query_map([ids], |r| version_row(r, 0))? {
            let row = row?;
            out.entry(row.item_id).or_default().push(row);
        }
        Ok(out)
    }

    /// Items with a wording first seen before `until` that was flagged (by the model or a reviewer) and
    /// that either belong to the period (published or first fetched in it) or have a wording first seen
    /// in it, or vanished in it: what the report's corrections and per-outlet figures are computed from.
    /// Only versions first seen before `until` are returned, so a past period reads as it was then.
    pub fn flagged_histories(
        &self,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<History>> {
        let sql = format!(
            "WITH ever AS (
                 SELECT DISTINCT c.item_id AS id FROM classifications c
                 JOIN title_versions v ON v.id = c.version_id
                 WHERE c.flagged = 1 AND v.first_seen < ?2
                 UNION
                 SELECT DISTINCT r.item_id FROM reviews r
                 JOIN title_versions v ON v.id = r.version_id
                 WHERE r.label = 'misleading' AND v.first_seen < ?2)
             SELECT i.id, s.name, i.url, COALESCE(i.lang, s.lang), i.published_at, i.fetched_at,
                    i.gone_at, {VERSION_COLUMNS}
             FROM ever e JOIN items i ON i.id = e.id JOIN sources s ON s.id = i.source_id
             JOIN title_versions v ON v.item_id = i.id AND v.first_seen < ?2
             {VERSION_JOINS}
             WHERE (i.published_at >= ?1 AND i.published_at < ?2)
                OR (i.fetched_at >= ?1 AND i.fetched_at < ?2)
                OR (i.gone_at >= ?1 AND i.gone_at < ?2)
                OR EXISTS (SELECT 1 FROM title_versions w WHERE w.item_id = i.id
                           AND w.first_seen >= ?1 AND w.first_seen < ?2)
             ORDER BY i.id, v.version"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let mut out: Vec<History> = Vec::new();
        let rows = stmt.query_map(params![fmt_time(since), fmt_time(until)], |r| {
            Ok((
                History {
                    item_id: r.get(0)?,
                    source: r.get(1)?,
                    url: r.get(2)?,
                    lang: r.get(3)?,
                    published_at: r.get(4)?,
                    fetched_at: r.get(5)?,
                    gone_at: r.get(6)?,
                    versions: Vec::new(),
                },
                version_row(r, 7)?,
            ))
        })?;
        for row in rows {
            let (h, v) = row?;
            match out.last_mut() {
                Some(last) if last.item_id == h.item_id => last.versions.push(v),
                _ => out.push(History {
                    versions: vec![v],
                    ..h
                }),
            }
        }
        Ok(out)
    }

    /// Flagged headlines of page sources (their current wording flagged by the model or a reviewer), not
    /// yet gone, first fetched at or after `since`, with an http(s)-looking URL: what `run` asks for to
    /// see whether the outlet took the page down.
    pub fn page_links_to_check(&self, since: DateTime<Utc>) -> Result<Vec<(i64, String)>> {
        let sql = format!(
            "SELECT i.id, i.url {ITEMS_WITH_LATEST_VERDICTS}
             WHERE s.kind = 'page' AND i.gone_at IS NULL AND i.fetched_at >= ?1
               AND (i.url LIKE 'http://%' OR i.url LIKE 'https://%')
               AND COALESCE(r.label = 'misleading', c.flagged = 1)
             ORDER BY i.id"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([fmt_time(since)], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Notes that these items' pages are gone (404/410) at `at`. Returns how many were marked.
    pub fn mark_gone(&self, item_ids: &[i64], at: DateTime<Utc>) -> Result<usize> {
        let ids = serde_json::to_string(item_ids).unwrap_or_else(|_| "[]".into());
        Ok(self.conn.execute(
            "UPDATE items SET gone_at = ?2
             WHERE gone_at IS NULL AND id IN (SELECT value FROM json_each(?1))",
            params![ids, fmt_time(at)],
        )?)
    }

    /// Seeding for tests and benchmarks only (the crawler is the real writer): adds a new wording of
    /// `item_id` first seen at `at`, making it the item's current one. Returns the version's id.
    #[doc(hidden)]
    pub fn seed_version(&self, item_id: i64, title: &str, at: DateTime<Utc>) -> Result<i64> {
        let at = fmt_time(at);
        let hash = crate::text::title_hash(title);
        self.conn.execute(
            "INSERT INTO title_versions (item_id, version, title, title_hash, first_seen, last_seen)
             SELECT ?1, MAX(version) + 1, ?2, ?3, ?4, ?4 FROM title_versions WHERE item_id = ?1",
            params![item_id, title, hash, at],
        )?;
        let id = self.conn.last_insert_rowid();
        self.conn.execute(
            "UPDATE items SET title = ?2, title_hash = ?3, version_id = ?4 WHERE id = ?1",
            params![item_id, title, hash, id],
        )?;
        Ok(id)
    }

    /// Number of stored headline wordings (all versions of all items).
    pub fn version_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM title_versions", [], |r| r.get(0))?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Source, SourceKind};
    use crate::store::crawl::FetchLog;
    use crate::store::parse_time;

    fn source(name: &str) -> Source {
        Source {
            name: name.into(),
            url: format!("http://{name}.example/rss"),
            kind: SourceKind::Feed,
            lang: None,
            selector: None,
            encoding: None,
        }
    }

    fn item(n: u32, title: &str, published: &str) -> NewItem {
        NewItem {
            title: title.into(),
            url: Some(format!("http://x.example/{n}")),
            canonical_url: Some(format!("x.example/{n}")),
            guid: Some(format!("g{n}")),
            summary: None,
            published_at: parse_time(published).unwrap(),
            published_estimated: false,
            lang: None,
        }
    }

    fn fetch(s: &mut Store, source_id: i64, at: &str, items: &[NewItem]) -> usize {
        let t = parse_time(at).unwrap();
        let log = FetchLog {
            run_id: None,
            source_id,
            url: "http://a.example/rss",
            started_at: t,
            finished_at: t,
            http_status: Some(200),
            outcome: "ok",
            error: None,
            bytes: Some(1),
            items_seen: items.len(),
            etag: None,
            last_modified: None,
            body_hash: None,
            moved_to: None,
            feed_title: None,
            failure_count: 0,
            next_fetch_at: None,
        };
        s.record_fetch(&log, items).unwrap()
    }

    fn titles(s: &Store, item: i64) -> Vec<(i64, String, String, String)> {
        let mut st = s
            .conn
            .prepare("SELECT version, title, first_seen, last_seen FROM title_versions WHERE item_id = ?1 ORDER BY version")
            .unwrap();
        st.query_map([item], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    }

    #[test]
    fn a_reworded_item_gains_a_version_and_the_same_wording_only_moves_last_seen() {
        let mut s = Store::open_in_memory().unwrap();
        let rows = s
            .sync_sources(&[source("a"), source("b")], Utc::now())
            .unwrap();
        let (a, b) = (rows[0].id, rows[1].id);
        let v1 = item(
            1,
            "Russia brings in visas for Kazakhs",
            "2025-06-09T08:00:00Z",
        );
        assert_eq!(
            fetch(&mut s, a, "2025-06-09T09:00:00Z", std::slice::from_ref(&v1)),
            1
        );
        // Same wording up to case and quotes: no version, last_seen moves.
        let mut same = v1.clone();
        same.title = "RUSSIA brings in visas for Kazakhs".into();
        assert_eq!(fetch(&mut s, a, "2025-06-09T10:00:00Z", &[same]), 0);
        let id: i64 = s
            .conn
            .query_row("SELECT id FROM items", [], |r| r.get(0))
            .unwrap();
        assert_eq!(
            titles(&s, id),
            vec![(
                1,
                v1.title.clone(),
                "2025-06-09T09:00:00Z".into(),
                "2025-06-09T10:00:00Z".into()
            )]
        );
        // Reworded: version 2, and the item's title is the new wording.
        let mut v2 = v1.clone();
        v2.title = "New border rules for Kazakhs entering Russia".into();
        assert_eq!(
            fetch(&mut s, a, "2025-06-10T09:00:00Z", std::slice::from_ref(&v2)),
            0
        );
        // Another source listing the same URL under its own wording changes nothing.
        let mut aggregator = v1.clone();
        aggregator.guid = Some("zz".into());
        aggregator.title = "Aggregated: something else entirely".into();
        assert_eq!(fetch(&mut s, b, "2025-06-10T10:00:00Z", &[aggregator]), 0);
        let h = titles(&s, id);
        assert_eq!(h.len(), 2);
        assert_eq!(h[1].0, 2);
        assert_eq!(h[1].1, v2.title);
        assert_eq!(h[1].2, "2025-06-10T09:00:00Z");
        assert_eq!(h[0].1, v1.title, "the first wording is kept as it was");
        let (title, fetch_id): (String, Option<i64>) = s
            .conn
            .query_row(
                "SELECT i.title, v.fetch_id FROM items i JOIN title_versions v ON v.id = i.version_id",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(title, v2.title);
        assert!(fetch_id.is_some(), "a version names the fetch it came from");
        // The same fetch again adds nothing.
        assert_eq!(fetch(&mut s, a, "2025-06-10T11:00:00Z", &[v2]), 0);
        assert_eq!(s.version_count().unwrap(), 2);
    }

    #[test]
    fn versions_are_classified_separately_and_reviews_stay_with_the_wording_seen() {
        let mut s = Store::open_in_memory().unwrap();
        let a = s.sync_sources(&[source("a")], Utc::now()).unwrap()[0].id;
        let v1 = item(
            1,
            "Russia brings in visas for Kazakhs",
            "2025-06-09T08:00:00Z",
        );
        fetch(&mut s, a, "2025-06-09T09:00:00Z", std::slice::from_ref(&v1));
        let pending = s.unclassified_items("m").unwrap();
        assert_eq!(pending.len(), 1);
        let flag =
            crate::store::classifications::tests::classification(Label::Misleading, 0.9, true);
        s.insert_version_classifications("m", &[(pending[0].version_id, flag)], Utc::now())
            .unwrap();
        s.insert_review(&crate::domain::Verdict {
            item_id: pending[0].item_id,
            label: Label::Misleading,
            reviewer: None,
            note: None,
            reviewed_at: Utc::now(),
        })
        .unwrap();
        let mut v2 = v1.clone();
        v2.title = "Russia: new border rules from June 30".into();
        fetch(&mut s, a, "2025-06-10T09:00:00Z", std::slice::from_ref(&v2));
        let pending2 = s.unclassified_items("m").unwrap();
        assert_eq!(pending2.len(), 1, "only the new wording waits");
        assert_eq!(pending2[0].title, v2.title);
        let ok = crate::store::classifications::tests::classification(Label::Accurate, 0.8, false);
        s.insert_version_classifications("m", &[(pending2[0].version_id, ok)], Utc::now())
            .unwrap();
        // The current wording is unflagged and unreviewed: off the review queue.
        assert!(s.review_list(true).unwrap().is_empty());
        let h = s.title_histories(&[pending[0].item_id]).unwrap();
        let h = &h[&pending[0].item_id];
        assert_eq!(h.len(), 2);
        assert!(h[0].flagged() && h[0].review_label == Some(Label::Misleading));
        assert!(!h[1].flagged() && h[1].label == Some(Label::Accurate));
        // The export keeps the wording the reviewer saw.
        assert_eq!(s.reviewed_items().unwrap()[0].title, v1.title);
    }

    #[test]
    fn an_item_removed_out_of_order_is_marked_gone_and_cleared_when_back() {
        let mut s = Store::open_in_memory().unwrap();
        let a = s.sync_sources(&[source("a")], Utc::now()).unwrap()[0].id;
        let pinned = item(0, "pinned: subscribe to our feed", "2024-01-01T08:00:00Z");
        let old = item(1, "old story", "2025-06-01T08:00:00Z");
        let mid = item(2, "middle story", "2025-06-05T08:00:00Z");
        let new = item(3, "new story", "2025-06-09T08:00:00Z");
        let all = [pinned.clone(), new.clone(), mid.clone(), old.clone()];
        fetch(&mut s, a, "2025-06-09T09:00:00Z", &all);
        // The oldest story rolls off under a pinned item: one older item listed is not enough, not gone.
        let without_old = [pinned.clone(), new.clone(), mid.clone()];
        fetch(&mut s, a, "2025-06-09T10:00:00Z", &without_old);
        let gone_now: i64 = s
            .conn
            .query_row(
                "SELECT COUNT(*) FROM items WHERE gone_at IS NOT NULL",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(gone_now, 0, "rolled off under a pinned item: not gone");
        // The middle one vanishes while two older ones stay: gone.
        let without_mid = [pinned.clone(), new.clone(), old.clone()];
        fetch(&mut s, a, "2025-06-09T11:00:00Z", &without_mid);
        let gone = |s: &Store, n: &str| -> Option<String> {
            s.conn
                .query_row("SELECT gone_at FROM items WHERE guid = ?1", [n], |r| {
                    r.get(0)
                })
                .unwrap()
        };
        assert_eq!(gone(&s, "g2").as_deref(), Some("2025-06-09T11:00:00Z"));
        assert_eq!(gone(&s, "g3"), None);
        fetch(&mut s, a, "2025-06-09T12:00:00Z", &all);
        assert_eq!(gone(&s, "g2"), None, "listed again: no longer gone");
        assert_eq!(gone(&s, "g1"), None);
    }

    #[test]
    fn a_version_1_database_is_backfilled() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v1.sqlite");
        {
            let c = rusqlite::Connection::open(&path).unwrap();
            c.execute_batch(include_str!("schema_v1.sql")).unwrap();
            c.execute_batch(
                "PRAGMA user_version = 1;
                 INSERT INTO sources (id, name, configured_url, url, created_at)
                     VALUES (1, 'A', 'http://a/', 'http://a/', '2025-06-01T00:00:00Z');
                 INSERT INTO items (id, source_id, canonical_url, title, title_hash, published_at, fetched_at)
                     VALUES (7, 1, 'a/1', 'visa headline', 'h', '2025-06-09T08:00:00Z', '2025-06-09T09:00:00Z');
                 INSERT INTO classifications (item_id, model_version, label, score, p_misleading, p_accurate,
                     p_rebuttal, p_unrelated, flagged, reasons, classified_at)
                     VALUES (7, 'm1', 'misleading', 0.9, 0.9, 0.05, 0.03, 0.02, 1, '[]', '2025-06-09T09:00:00Z');
                 INSERT INTO reviews (item_id, label, reviewed_at) VALUES (7, 'misleading', '2025-06-09T10:00:00Z');",
            )
            .unwrap();
        }
        let s = Store::open(&path).unwrap();
        let h = s.title_histories(&[7]).unwrap();
        let v = &h[&7];
        assert_eq!(v.len(), 1);
        assert_eq!(
            (v[0].version, v[0].title.as_str(), v[0].first_seen.as_str()),
            (1, "visa headline", "2025-06-09T09:00:00Z")
        );
        assert_eq!(v[0].label, Some(Label::Misleading));
        assert_eq!(v[0].review_label, Some(Label::Misleading));
        assert_eq!(s.review_list(true).unwrap().len(), 1);
        assert!(s.unclassified_items("m1").unwrap().is_empty());
    }
}
