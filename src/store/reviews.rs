//! Reviews: a person's verdicts on items. Rows are only ever added (the latest per item wins), and they
//! hang on the item id, which the crawler keeps stable across re-crawls and which re-classification never
//! touches, so a verdict is never lost. Each also names the wording the person saw (`version_id`): when an
//! outlet edits the headline, the verdict stays with the old wording and the new one awaits review.

use super::{fmt_time, parse_time, Store, ITEMS_WITH_LATEST_VERDICTS};
use crate::domain::{Label, Verdict};
use crate::error::{Error, Result};
use rusqlite::{params, OptionalExtension};

/// A flagged item as `review list` shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewListRow {
    pub item_id: i64,
    pub source: String,
    pub title: String,
    pub url: Option<String>,
    pub published_at: String,
    pub score: f64,
    /// The latest verdict, if any.
    pub review: Option<Verdict>,
}

/// A reviewed item as exported to the corpus.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewedItem {
    pub item_id: i64,
    pub label: Label,
    pub lang: Option<String>,
    pub title: String,
}

/// A stored label (the schema's CHECK keeps them valid) as a [`Label`].
pub(crate) fn label_of(s: String) -> rusqlite::Result<Label> {
    s.parse::<Label>().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
    })
}

impl Store {
    /// Records a verdict. Fails with a clear message when the item does not exist.
    pub fn insert_review(&self, v: &Verdict) -> Result<i64> {
        let exists: Option<i64> = self
            .conn
            .query_row("SELECT id FROM items WHERE id = ?1", [v.item_id], |r| {
                r.get(0)
            })
            .optional()?;
        if exists.is_none() {
            return Err(Error::Other(format!(
                "no item with id {} (see `headline-watch review list`)",
                v.item_id
            )));
        }
        // The verdict is on the wording shown now: the item's current version.
        self.conn.execute(
            "INSERT INTO reviews (item_id, label, reviewer, note, reviewed_at, version_id)
             SELECT ?1, ?2, ?3, ?4, ?5, version_id FROM items WHERE id = ?1",
            params![
                v.item_id,
                v.label.as_str(),
                v.reviewer,
                v.note,
                fmt_time(v.reviewed_at)
            ],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Items whose latest classification is flagged, unreviewed first, then most probable first.
    /// Without `all`, only unreviewed items.
    pub fn review_list(&self, all: bool) -> Result<Vec<ReviewListRow>> {
        let sql = format!(
            "SELECT i.id, s.name, i.title, i.url, i.published_at, c.score,
                    r.label, r.reviewer, r.note, r.reviewed_at
             {ITEMS_WITH_LATEST_VERDICTS}
             WHERE c.flagged = 1 AND (?1 OR r.id IS NULL)
             ORDER BY (r.id IS NOT NULL), c.score DESC, i.id"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([all], |r| {
            let item_id: i64 = r.get(0)?;
            let review = match r.get::<_, Option<String>>(6)? {
                Some(label) => Some(Verdict {
                    item_id,
                    label: label_of(label)?,
                    reviewer: r.get(7)?,
                    note: r.get(8)?,
                    reviewed_at: parse_time(&r.get::<_, String>(9)?).unwrap_or_default(),
                }),
                None => None,
            };
            Ok(ReviewListRow {
                item_id,
                source: r.get(1)?,
                title: r.get(2)?,
                url: r.get(3)?,
                published_at: r.get(4)?,
                score: r.get(5)?,
                review,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every reviewed item with its latest verdict (undone verdicts do not count) and the wording that
    /// verdict was on, by item id.
    pub fn reviewed_items(&self) -> Result<Vec<ReviewedItem>> {
        let mut stmt = self.conn.prepare(
            "SELECT i.id, r.label, COALESCE(i.lang, s.lang), COALESCE(v.title, i.title)
             FROM items i
             JOIN sources s ON s.id = i.source_id
             JOIN reviews r
               ON r.id = (SELECT MAX(r2.id) FROM reviews r2 WHERE r2.item_id = i.id
                            AND r2.id NOT IN (SELECT u.review_id FROM review_undos u))
             LEFT JOIN title_versions v ON v.id = r.version_id
             ORDER BY i.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(ReviewedItem {
                item_id: r.get(0)?,
                label: label_of(r.get(1)?)?,
                lang: r.get(2)?,
                title: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::classifications::tests::{classification, item};
    use chrono::Utc;

    #[test]
    fn list_mark_and_survive_reclassification() {
        let mut s = Store::open_in_memory().unwrap();
        let now = Utc::now();
        let a = s
            .seed_item("A", None, &item("visa a", "2025-06-09T08:00:00Z"), now)
            .unwrap();
        let b = s
            .seed_item("A", None, &item("visa b", "2025-06-09T09:00:00Z"), now)
            .unwrap();
        let flag = classification(Label::Misleading, 0.8, true);
        s.insert_classifications("m1", &[(a, flag.clone()), (b, flag)], now)
            .unwrap();
        assert_eq!(s.review_list(false).unwrap().len(), 2);
        let v = Verdict {
            item_id: a,
            label: Label::Accurate,
            reviewer: Some("Aigerim".into()),
            note: None,
            reviewed_at: now,
        };
        s.insert_review(&v).unwrap();
        assert_eq!(s.review_list(false).unwrap().len(), 1);
        let all = s.review_list(true).unwrap();
        assert_eq!(all[0].item_id, b, "unreviewed first");
        // A new model version flags both again: the verdict stays.
        let flag = classification(Label::Misleading, 0.9, true);
        s.insert_classifications("m2", &[(a, flag.clone()), (b, flag)], now)
            .unwrap();
        let all = s.review_list(true).unwrap();
        assert_eq!(all[1].review.as_ref().unwrap().label, Label::Accurate);
        let exported = s.reviewed_items().unwrap();
        assert_eq!(exported.len(), 1);
        assert_eq!(exported[0].label, Label::Accurate);
        assert!(s
            .insert_review(&Verdict { item_id: 999, ..v })
            .unwrap_err()
            .to_string()
            .contains("no item with id 999"));
    }
}
