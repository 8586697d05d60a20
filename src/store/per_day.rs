//! Headlines of a report's period counted per day of publication (`YYYY-MM-DD`, UTC), for the report's
//! per-day series; the same period rule as every other report query (published or first fetched in it).

use super::{fmt_time, Store};
use crate::error::Result;
use chrono::{DateTime, Utc};
use rusqlite::params;

impl Store {
    /// `(day, items)` for every publication day of the period's items, by day.
    pub fn items_per_day(
        &self,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<(String, i64)>> {
        let mut stmt = self.conn.prepare(
            "SELECT substr(i.published_at, 1, 10), COUNT(*) FROM items i
             WHERE (i.published_at >= ?1 AND i.published_at < ?2)
                OR (i.fetched_at >= ?1 AND i.fetched_at < ?2)
             GROUP BY 1 ORDER BY 1",
        )?;
        let rows = stmt.query_map(params![fmt_time(since), fmt_time(until)], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
