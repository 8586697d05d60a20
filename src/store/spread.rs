//! The stored flagged headlines the spread grouping ([`crate::spread`]) reads: each item that had a
//! flagged wording first seen before a time, in its first flagged wording (the one that spread).

use super::{fmt_time, Store};
use crate::error::Result;
use crate::spread::Headline;
use chrono::{DateTime, Utc};
use rusqlite::params;

impl Store {
    /// Items with a wording first seen before `until` that was flagged (a reviewer's verdict on that
    /// wording wins over the model's flag), each once, in its first flagged wording.
    pub fn flagged_headlines(&self, until: DateTime<Utc>) -> Result<Vec<Headline>> {
        let mut stmt = self.conn.prepare(
            "SELECT i.id, s.name, v.title, i.url, i.published_at, i.fetched_at, v.version
             FROM classifications f
             JOIN title_versions v ON v.id = f.version_id
             JOIN items i ON i.id = v.item_id
             JOIN sources s ON s.id = i.source_id
             LEFT JOIN classifications c
               ON c.id = (SELECT MAX(c2.id) FROM classifications c2 WHERE c2.version_id = v.id)
             LEFT JOIN reviews r
               ON r.id = (SELECT MAX(r2.id) FROM reviews r2 WHERE r2.version_id = v.id)
             WHERE f.flagged = 1 AND v.first_seen < ?1
               AND COALESCE(r.label = 'misleading', c.flagged = 1)
             UNION
             SELECT i.id, s.name, v.title, i.url, i.published_at, i.fetched_at, v.version
             FROM reviews r
             JOIN title_versions v ON v.id = r.version_id
             JOIN items i ON i.id = v.item_id
             JOIN sources s ON s.id = i.source_id
             WHERE r.label = 'misleading' AND v.first_seen < ?1
               AND r.id = (SELECT MAX(r2.id) FROM reviews r2 WHERE r2.version_id = v.id)
             ORDER BY 1, 7",
        )?;
        let rows = stmt.query_map(params![fmt_time(until)], |r| {
            Ok(Headline {
                item_id: r.get(0)?,
                source: r.get(1)?,
                title: r.get(2)?,
                url: r.get(3)?,
                published_at: r.get(4)?,
                fetched_at: r.get(5)?,
            })
        })?;
        let mut out: Vec<Headline> = Vec::new();
        for row in rows {
            let h = row?;
            // The first flagged wording of an item is the one that spread; later rewordings are edits.
            if out.last().is_some_and(|l| l.item_id == h.item_id) {
                continue;
            }
            out.push(h);
        }
        Ok(out)
    }
}
