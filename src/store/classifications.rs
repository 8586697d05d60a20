//! Classifications: which items still need the current model, storing the model's verdicts (one row per
//! item and model version, so re-classifying never overwrites history), and the seeding helpers that tests
//! and the report benchmark use to put items in a database without the crawler.

use super::{fmt_time, Store};
use crate::domain::{Classification, NewItem};
use crate::error::Result;
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};

/// A headline wording (an item's version) waiting for the current model.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    pub item_id: i64,
    /// The `title_versions` row this wording is.
    pub version_id: i64,
    pub title: String,
}

const INSERT_CLASSIFICATION: &str = "INSERT INTO classifications (item_id, version_id, model_version, label,
         score, p_misleading, p_accurate, p_rebuttal, p_unrelated, flagged, reasons, classified_at)
     SELECT v.item_id, v.id, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11 FROM title_versions v WHERE v.id = ?1
     ON CONFLICT (version_id, model_version) DO NOTHING";

impl Store {
    /// Headline wordings (every version of every item, so an edited headline is classified too) that have
    /// no classification from `model_version`, oldest first.
    pub fn unclassified_items(&self, model_version: &str) -> Result<Vec<Pending>> {
        let mut stmt = self.conn.prepare(
            "SELECT v.item_id, v.id, v.title FROM title_versions v
             WHERE NOT EXISTS (SELECT 1 FROM classifications c
                               WHERE c.version_id = v.id AND c.model_version = ?1)
             ORDER BY v.id",
        )?;
        let rows = stmt.query_map([model_version], |r| {
            Ok(Pending {
                item_id: r.get(0)?,
                version_id: r.get(1)?,
                title: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Stores a batch of classifications of items' current wordings in one transaction (the seeding
    /// path of tests and benchmarks; `run` uses [`Store::insert_version_classifications`]). A (version,
    /// model version) pair already stored is left as it is. Returns the number of rows written.
    pub fn insert_classifications(
        &mut self,
        model_version: &str,
        batch: &[(i64, Classification)],
        at: DateTime<Utc>,
    ) -> Result<usize> {
        let tx = self.conn.transaction()?;
        let mut with_versions = Vec::with_capacity(batch.len());
        {
            let mut current = tx.prepare("SELECT version_id FROM items WHERE id = ?1")?;
            for (item_id, c) in batch {
                let v: Option<i64> = current.query_row([item_id], |r| r.get(0)).optional()?;
                if let Some(v) = v {
                    with_versions.push((v, c));
                }
            }
        }
        let written = insert_batch(&tx, model_version, &with_versions, at)?;
        tx.commit()?;
        Ok(written)
    }

    /// Stores a batch of classifications, each of the wording (`title_versions` id) it was computed on,
    /// in one transaction. A (version, model version) pair already stored is left as it is, so a repeated
    /// or concurrent classification adds nothing. Returns the number of rows written.
    pub fn insert_version_classifications(
        &mut self,
        model_version: &str,
        batch: &[(i64, Classification)],
        at: DateTime<Utc>,
    ) -> Result<usize> {
        let tx = self.conn.transaction()?;
        let refs: Vec<(i64, &Classification)> = batch.iter().map(|(v, c)| (*v, c)).collect();
        let written = insert_batch(&tx, model_version, &refs, at)?;
        tx.commit()?;
        Ok(written)
    }

    /// Number of classification rows (all model versions).
    pub fn classification_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM classifications", [], |r| r.get(0))?)
    }

    /// Number of stored items.
    pub fn item_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM items", [], |r| r.get(0))?)
    }

    /// Seeding for tests and the report benchmark only: the crawler's store functions are the real writers
    /// of sources and items. Creates the source if needed and inserts the item; returns its id.
    #[doc(hidden)]
    pub fn seed_item(
        &self,
        source: &str,
        source_lang: Option<&str>,
        item: &NewItem,
        fetched_at: DateTime<Utc>,
    ) -> Result<i64> {
        let source_id = self.seed_source(source, source_lang)?;
        self.conn.execute(
            "INSERT INTO items (source_id, url, canonical_url, guid, title, title_hash, summary,
                 published_at, published_estimated, fetched_at, lang)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                source_id,
                item.url,
                item.canonical_url,
                item.guid,
                item.title,
                crate::text::title_hash(&item.title),
                item.summary,
                fmt_time(item.published_at),
                item.published_estimated,
                fmt_time(fetched_at),
                item.lang
            ],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Seeding for tests only: one row in `fetches` for `source` (outcome `ok`, `failed`, ...).
    #[doc(hidden)]
    pub fn seed_fetch(
        &self,
        source: &str,
        outcome: &str,
        error: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let source_id = self.seed_source(source, None)?;
        self.conn.execute(
            "INSERT INTO fetches (source_id, url, started_at, finished_at, outcome, error)
             VALUES (?1, 'http://seed.invalid/', ?2, ?2, ?3, ?4)",
            params![source_id, fmt_time(at), outcome, error],
        )?;
        Ok(())
    }

    /// Seeding for the benchmark only: runs `f` inside one transaction (100,000 single-row commits
    /// would measure the disk, not the report).
    #[doc(hidden)]
    pub fn seed_in_transaction(&self, f: impl FnOnce(&Store) -> Result<()>) -> Result<()> {
        self.conn.execute_batch("BEGIN")?;
        match f(self) {
            Ok(()) => Ok(self.conn.execute_batch("COMMIT")?),
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }

    pub(crate) fn seed_source(&self, name: &str, lang: Option<&str>) -> Result<i64> {
        let found: Option<i64> = self
            .conn
            .query_row("SELECT id FROM sources WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .optional()?;
        if let Some(id) = found {
            return Ok(id);
        }
        self.conn.execute(
            "INSERT INTO sources (name, configured_url, url, lang, created_at)
             VALUES (?1, 'http://seed.invalid/', 'http://seed.invalid/', ?2, ?3)",
            params![name, lang, fmt_time(Utc::now())],
        )?;
        Ok(self.conn.last_insert_rowid())
    }
}

fn insert_batch(
    tx: &rusqlite::Transaction<'_>,
    model_version: &str,
    batch: &[(i64, &Classification)],
    at: DateTime<Utc>,
) -> Result<usize> {
    let mut stmt = tx.prepare_cached(INSERT_CLASSIFICATION)?;
    let at = fmt_time(at);
    let mut written = 0;
    for (version_id, c) in batch {
        let reasons = serde_json::to_string(&c.reasons).unwrap_or_else(|_| "[]".into());
        written += stmt.execute(params![
            version_id,
            model_version,
            c.label.as_str(),
            c.score(),
            c.scores[0],
            c.scores[1],
            c.scores[2],
            c.scores[3],
            c.flagged,
            reasons,
            at
        ])?;
    }
    Ok(written)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::Label;

    pub fn item(title: &str, published: &str) -> NewItem {
        let t = super::super::parse_time(published).unwrap();
        NewItem {
            title: title.into(),
            url: Some(format!(
                "https://news.example/{}",
                crate::text::title_hash(title)
            )),
            canonical_url: Some(format!("news.example/{}", crate::text::title_hash(title))),
            guid: None,
            summary: None,
            published_at: t,
            published_estimated: false,
            lang: Some("en".into()),
        }
    }

    pub fn classification(label: Label, p: f64, flagged: bool) -> Classification {
        Classification::with_probability(label, p, flagged, vec!["visa-regime wording".into()])
    }

    #[test]
    fn pending_items_and_idempotent_insert() {
        let mut s = Store::open_in_memory().unwrap();
        let now = Utc::now();
        let a = s
            .seed_item("A", Some("en"), &item("one", "2025-06-09T08:00:00Z"), now)
            .unwrap();
        let b = s
            .seed_item("A", Some("en"), &item("two", "2025-06-09T09:00:00Z"), now)
            .unwrap();
        assert_eq!(s.unclassified_items("m1").unwrap().len(), 2);
        let batch = vec![(a, classification(Label::Misleading, 0.9, true))];
        assert_eq!(s.insert_classifications("m1", &batch, now).unwrap(), 1);
        assert_eq!(s.insert_classifications("m1", &batch, now).unwrap(), 0);
        let pending = s.unclassified_items("m1").unwrap();
        assert_eq!(
            pending,
            vec![Pending {
                item_id: b,
                version_id: pending[0].version_id,
                title: "two".into()
            }]
        );
        assert_eq!(s.unclassified_items("m2").unwrap().len(), 2);
    }
}
