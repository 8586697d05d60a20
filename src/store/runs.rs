//! The `runs` table: one row per `run` (started, finished, outcome, counts, report path), so the
//! `sqlite3` shell shows what cron did and when. A row left with no outcome is a run that was killed.

use super::{fmt_time, Store};
use crate::error::Result;
use chrono::{DateTime, Utc};
use rusqlite::params;

/// What a finished run records.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunRecord {
    /// `ok`, `partial` (some sources failed) or `failed`.
    pub outcome: String,
    pub sources_ok: i64,
    pub sources_not_modified: i64,
    pub sources_failed: i64,
    pub items_new: i64,
    pub items_seen: i64,
    pub items_classified: i64,
    pub items_flagged: i64,
    pub report_path: Option<String>,
    pub message: Option<String>,
}

impl Store {
    /// Opens a run row and returns its id.
    pub fn start_run(&self, command: &str, at: DateTime<Utc>) -> Result<i64> {
        self.conn.execute(
            "INSERT INTO runs (command, started_at) VALUES (?1, ?2)",
            params![command, fmt_time(at)],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Closes a run row with its outcome and counts.
    pub fn finish_run(&self, id: i64, at: DateTime<Utc>, r: &RunRecord) -> Result<()> {
        self.conn.execute(
            "UPDATE runs SET finished_at = ?2, outcome = ?3, sources_ok = ?4, sources_not_modified = ?5,
                 sources_failed = ?6, items_new = ?7, items_seen = ?8, items_classified = ?9,
                 items_flagged = ?10, report_path = ?11, message = ?12
             WHERE id = ?1",
            params![
                id,
                fmt_time(at),
                r.outcome,
                r.sources_ok,
                r.sources_not_modified,
                r.sources_failed,
                r.items_new,
                r.items_seen,
                r.items_classified,
                r.items_flagged,
                r.report_path,
                r.message
            ],
        )?;
        Ok(())
    }

    /// Number of runs recorded (any outcome).
    pub fn run_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM runs", [], |r| r.get(0))?)
    }
}
