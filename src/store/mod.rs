//! The SQLite store: opening (WAL, busy timeout, foreign keys), migrations by `PRAGMA user_version`, and
//! typed queries. No SQL lives anywhere else in the crate. Times are stored as ISO-8601 UTC text so the file
//! reads cleanly in the `sqlite3` shell.

pub mod crawl;

use crate::error::{Error, Result};
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub mod classifications;
pub mod desk;
pub mod flag_state;
pub mod held_back;
pub mod interrupted;
pub mod per_day;
pub mod reports;
pub mod reviews;
pub mod runs;
pub mod spread;
pub mod versions;

/// Ordered migrations; migration `i` takes the schema from `user_version = i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    include_str!("schema_v1.sql"),
    include_str!("schema_v2.sql"),
    include_str!("schema_v3.sql"),
];

/// The literal of [`LATEST_LIVE_REVIEW`], so that [`ITEMS_WITH_LATEST_VERDICTS`] can be built from it.
macro_rules! latest_live_review {
    () => {
        "(SELECT MAX(r2.id) FROM reviews r2 WHERE r2.version_id = i.version_id
                 AND r2.id NOT IN (SELECT u.review_id FROM review_undos u))"
    };
}

/// The id of the latest verdict on item `i`'s current wording (`i.version_id`) that has not been undone
/// (schema v3's `review_undos`), or NULL: a verdict on a wording the outlet has since changed does not
/// carry over.
pub(crate) const LATEST_LIVE_REVIEW: &str = latest_live_review!();

/// Items with their source (`s`), latest classification (`c`) and latest review (`r`, may be NULL): the
/// join behind the report's flagged list and `review list`. Later rows win, so re-classifying or
/// re-reviewing never loses history and the newest verdict (not undone) counts. Both are those of the
/// item's current wording (`i.version_id`).
pub(crate) const ITEMS_WITH_LATEST_VERDICTS: &str = concat!(
    "FROM items i
             JOIN sources s ON s.id = i.source_id
             JOIN classifications c
               ON c.id = (SELECT MAX(c2.id) FROM classifications c2 WHERE c2.version_id = i.version_id)
             LEFT JOIN reviews r
               ON r.id = ",
    latest_live_review!()
);

/// How long a writer waits for another process's lock before failing.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// An open database.
pub struct Store {
    pub(crate) conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (creating it and its parent folder if needed) and migrates the database at `path`.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| Error::Io {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        let db_err = |source| Error::Database {
            path: path.to_path_buf(),
            source,
        };
        let conn = Connection::open(path).map_err(db_err)?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store.configure().map_err(db_err)?;
        store.migrate().map_err(db_err)?;
        Ok(store)
    }

    /// An in-memory database with the full schema (for unit tests).
    pub fn open_in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory()?;
        let mut store = Store {
            conn,
            path: PathBuf::from(":memory:"),
        };
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    /// The file this store was opened from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn configure(&self) -> rusqlite::Result<()> {
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        // A database from a newer build is refused before anything in it changes (not even its
        // journal mode, which an older build's WAL switch would otherwise leave behind).
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version as usize > MIGRATIONS.len() {
            return Err(rusqlite::Error::InvalidParameterName(format!(
                "schema version {version} is newer than this build knows ({}); upgrade headline-watch",
                MIGRATIONS.len()
            )));
        }
        // journal_mode returns a row, so it is queried rather than executed.
        let _mode: String = self
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        self.conn.execute_batch(
            "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY;",
        )?;
        Ok(())
    }

    fn migrate(&mut self) -> rusqlite::Result<()> {
        let version: usize =
            self.conn
                .query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))? as usize;
        if version > MIGRATIONS.len() {
            return Err(rusqlite::Error::InvalidParameterName(format!(
                "schema version {version} is newer than this build knows ({}); upgrade headline-watch",
                MIGRATIONS.len()
            )));
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
            tx.commit()?;
        }
        Ok(())
    }

    /// `PRAGMA integrity_check`, returning its first line (`ok` when healthy).
    pub fn integrity_check(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }
}

/// Formats a time as stored: ISO-8601 UTC with seconds, `Z` suffix.
pub fn fmt_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Parses a stored time; tolerant of fractional seconds and offsets.
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_and_reopens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/db.sqlite");
        {
            let s = Store::open(&path).unwrap();
            assert_eq!(s.integrity_check().unwrap(), "ok");
        }
        let s = Store::open(&path).unwrap();
        let v: i64 = s
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v as usize, MIGRATIONS.len());
        let mode: String = s
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }

    #[test]
    fn times_round_trip() {
        let t = parse_time("2025-06-09T08:30:00Z").unwrap();
        assert_eq!(fmt_time(t), "2025-06-09T08:30:00Z");
    }
}
