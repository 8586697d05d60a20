//! The crawl's SQL: syncing configured sources into `sources`, reading what each needs for a conditional
//! GET, and writing one source's fetch (its new items, its `fetches` log row and its updated state) in one
//! transaction; plus the `runs` rows of a crawl.

use super::{fmt_time, parse_time, versions, Store};
use crate::domain::{NewItem, Source};
use crate::error::Result;
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};

/// What the store remembers about a source.
#[derive(Debug, Clone)]
pub struct SourceRow {
    pub id: i64,
    pub name: String,
    pub url: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub body_hash: Option<String>,
    pub gone: bool,
    pub failure_count: u32,
    pub last_error: Option<String>,
    pub next_fetch_at: Option<DateTime<Utc>>,
}

/// One fetch as stored: the `fetches` row and the source's new state.
#[derive(Debug, Clone)]
pub struct FetchLog<'a> {
    pub run_id: Option<i64>,
    pub source_id: i64,
    pub url: &'a str,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub http_status: Option<u16>,
    /// ok | not_modified | unchanged | failed | gone | skipped
    pub outcome: &'a str,
    pub error: Option<&'a str>,
    pub bytes: Option<u64>,
    pub items_seen: usize,
    /// Validators and body hash to keep (`None` keeps the stored value).
    pub etag: Option<&'a str>,
    pub last_modified: Option<&'a str>,
    pub body_hash: Option<&'a str>,
    pub moved_to: Option<&'a str>,
    pub feed_title: Option<&'a str>,
    /// The failure count after this fetch (0 on success).
    pub failure_count: u32,
    pub next_fetch_at: Option<DateTime<Utc>>,
}

/// Totals of a crawl, for its `runs` row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunCounts {
    pub sources_ok: usize,
    pub sources_not_modified: usize,
    pub sources_failed: usize,
    /// Not fetched: backoff after failures, or a host's Retry-After.
    pub sources_held_back: usize,
    /// Of those, held back because they had failed before (counted like failures in the exit code).
    pub sources_held_back_failing: usize,
    pub items_new: usize,
    pub items_seen: usize,
}

const SOURCE_COLUMNS: &str = "id, name, url, etag, last_modified, body_hash, status, failure_count, last_error, next_fetch_at";

fn source_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SourceRow> {
    Ok(SourceRow {
        id: r.get(0)?,
        name: r.get(1)?,
        url: r.get(2)?,
        etag: r.get(3)?,
        last_modified: r.get(4)?,
        body_hash: r.get(5)?,
        gone: r.get::<_, String>(6)? == "gone",
        failure_count: r.get::<_, i64>(7)?.max(0) as u32,
        last_error: r.get(8)?,
        next_fetch_at: r
            .get::<_, Option<String>>(9)?
            .as_deref()
            .and_then(parse_time),
    })
}

impl Store {
    /// Makes the `sources` table match the configured sources (by name) and returns their rows in the
    /// given order. A source whose configured URL changed starts afresh (URL, validators, failures).
    /// Sources removed from the configuration keep their rows (their items still reference them).
    pub fn sync_sources(
        &mut self,
        sources: &[Source],
        now: DateTime<Utc>,
    ) -> Result<Vec<SourceRow>> {
        let tx = self.conn.transaction()?;
        let mut rows = Vec::with_capacity(sources.len());
        {
            let mut find = tx.prepare(&format!(
                "SELECT {SOURCE_COLUMNS}, configured_url FROM sources WHERE name = ?1"
            ))?;
            for s in sources {
                let existing = find
                    .query_row([&s.name], |r| Ok((source_row(r)?, r.get::<_, String>(10)?)))
                    .optional()?;
                match existing {
                    Some((_, configured)) if configured == s.url => {
                        tx.execute(
                            "UPDATE sources SET kind = ?2, lang = ?3 WHERE name = ?1",
                            params![s.name, s.kind.as_str(), s.lang],
                        )?;
                    }
                    Some(_) => {
                        tx.execute(
                            "UPDATE sources SET configured_url = ?2, url = ?2, kind = ?3, lang = ?4, etag = NULL,
                             last_modified = NULL, body_hash = NULL, status = 'active', failure_count = 0,
                             next_fetch_at = NULL WHERE name = ?1",
                            params![s.name, s.url, s.kind.as_str(), s.lang],
                        )?;
                    }
                    None => {
                        tx.execute(
                            "INSERT INTO sources (name, configured_url, url, kind, lang, created_at)
                             VALUES (?1, ?2, ?2, ?3, ?4, ?5)",
                            params![s.name, s.url, s.kind.as_str(), s.lang, fmt_time(now)],
                        )?;
                    }
                }
                rows.push(find.query_row([&s.name], source_row)?);
            }
        }
        tx.commit()?;
        Ok(rows)
    }

    /// Stores one source's fetch in one transaction: the `fetches` row, its listed items (new ones
    /// inserted; a known one, by canonical URL or by GUID within the source, bumps its wording's
    /// `last_seen` or, reworded, gains a version: see [`super::versions`]), the disappearance rule, and
    /// the source's new state. Returns the number of new items.
    pub fn record_fetch(&mut self, log: &FetchLog<'_>, items: &[NewItem]) -> Result<usize> {
        let tx = self.conn.transaction()?;
        let fetched_at = fmt_time(log.finished_at);
        // The fetch row first, so each new wording can name the fetch it came from.
        tx.execute(
            "INSERT INTO fetches (source_id, run_id, url, started_at, finished_at, http_status, outcome, error,
             bytes, items_new, items_seen, duration_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0, ?10, ?11)",
            params![
                log.source_id,
                log.run_id,
                log.url,
                fmt_time(log.started_at),
                fetched_at,
                log.http_status,
                log.outcome,
                log.error,
                log.bytes.map(|b| b as i64),
                log.items_seen as i64,
                (log.finished_at - log.started_at).num_milliseconds()
            ],
        )?;
        let fetch_id = tx.last_insert_rowid();
        let mut new = 0;
        let mut listed = Vec::with_capacity(items.len());
        for it in items {
            let seen = versions::store_listed(&tx, log.source_id, fetch_id, it, &fetched_at)?;
            if matches!(seen, versions::Seen::New(_)) {
                new += 1;
            }
            listed.extend(seen.item_id());
        }
        if new > 0 {
            tx.execute(
                "UPDATE fetches SET items_new = ?2 WHERE id = ?1",
                params![fetch_id, new as i64],
            )?;
        }
        versions::mark_disappeared(&tx, log.source_id, &listed, &fetched_at)?;
        let success = matches!(log.outcome, "ok" | "not_modified" | "unchanged");
        tx.execute(
            "UPDATE sources SET
               url = COALESCE(?2, url),
               etag = COALESCE(?3, etag),
               last_modified = COALESCE(?4, last_modified),
               body_hash = COALESCE(?5, body_hash),
               feed_title = COALESCE(?6, feed_title),
               status = CASE WHEN ?7 = 'gone' THEN 'gone' WHEN ?8 THEN 'active' ELSE status END,
               failure_count = ?9,
               last_error = CASE WHEN ?8 THEN NULL ELSE ?10 END,
               last_fetch_at = ?11,
               last_success_at = CASE WHEN ?8 THEN ?11 ELSE last_success_at END,
               next_fetch_at = ?12
             WHERE id = ?1",
            params![
                log.source_id,
                log.moved_to,
                log.etag,
                log.last_modified,
                log.body_hash,
                log.feed_title,
                log.outcome,
                success,
                log.failure_count as i64,
                log.error,
                fetched_at,
                log.next_fetch_at.map(fmt_time)
            ],
        )?;
        tx.commit()?;
        Ok(new)
    }

    /// A source's row by name (tests and diagnostics).
    pub fn source_by_name(&self, name: &str) -> Result<Option<SourceRow>> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {SOURCE_COLUMNS} FROM sources WHERE name = ?1"),
                [name],
                source_row,
            )
            .optional()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::SourceKind;

    fn source(name: &str, url: &str) -> Source {
        Source {
            name: name.into(),
            url: url.into(),
            kind: SourceKind::Feed,
            lang: None,
            selector: None,
            encoding: None,
        }
    }

    fn item(url: &str, guid: &str) -> NewItem {
        NewItem {
            title: format!("t {guid}"),
            url: Some(url.into()),
            canonical_url: crate::text::canonical_url(url),
            guid: Some(guid.into()),
            summary: None,
            published_at: Utc::now(),
            published_estimated: false,
            lang: None,
        }
    }

    fn log(source_id: i64) -> FetchLog<'static> {
        let now = Utc::now();
        FetchLog {
            run_id: None,
            source_id,
            url: "http://a.example/rss",
            started_at: now,
            finished_at: now,
            http_status: Some(200),
            outcome: "ok",
            error: None,
            bytes: Some(10),
            items_seen: 2,
            etag: Some("\"e1\""),
            last_modified: None,
            body_hash: Some("h"),
            moved_to: None,
            feed_title: Some("A"),
            failure_count: 0,
            next_fetch_at: None,
        }
    }

    #[test]
    fn items_dedup_by_canonical_url_and_guid() {
        let mut s = Store::open_in_memory().unwrap();
        let rows = s
            .sync_sources(
                &[
                    source("a", "http://a.example/rss"),
                    source("b", "http://b.example/rss"),
                ],
                Utc::now(),
            )
            .unwrap();
        let (a, b) = (rows[0].id, rows[1].id);
        let n = s
            .record_fetch(
                &log(a),
                &[
                    item("http://x.example/1", "g1"),
                    item("http://x.example/2", "g2"),
                ],
            )
            .unwrap();
        assert_eq!(n, 2);
        // Same canonical URL from another source, same GUID in the same source: nothing new.
        let n = s
            .record_fetch(&log(b), &[item("http://x.example/1", "zz")])
            .unwrap();
        assert_eq!(n, 0);
        let n = s
            .record_fetch(&log(a), &[item("http://x.example/3", "g1")])
            .unwrap();
        assert_eq!(n, 0);
        let row = s.source_by_name("a").unwrap().unwrap();
        assert_eq!(row.etag.as_deref(), Some("\"e1\""));
    }

    #[test]
    fn changed_configured_url_resets_state() {
        let mut s = Store::open_in_memory().unwrap();
        let rows = s
            .sync_sources(&[source("a", "http://a.example/rss")], Utc::now())
            .unwrap();
        let mut l = log(rows[0].id);
        l.moved_to = Some("http://a.example/new");
        s.record_fetch(&l, &[]).unwrap();
        let rows = s
            .sync_sources(&[source("a", "http://a.example/rss")], Utc::now())
            .unwrap();
        assert_eq!(rows[0].url, "http://a.example/new");
        let rows = s
            .sync_sources(&[source("a", "http://a.example/other")], Utc::now())
            .unwrap();
        assert_eq!(rows[0].url, "http://a.example/other");
        assert_eq!(rows[0].etag, None);
    }
}
