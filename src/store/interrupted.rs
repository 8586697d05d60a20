//! Runs that never finished: a `runs` row is opened with the process id in `message`; the next `run` or
//! `crawl` marks every row still without an outcome whose process is gone as `interrupted`, so the
//! `runs` table never shows a killed run as still running.

use super::{fmt_time, Store};
use crate::error::Result;
use chrono::{DateTime, Utc};
use rusqlite::params;

/// `message` of a run in progress.
fn running_note(pid: u32) -> String {
    format!("running (pid {pid})")
}

impl Store {
    /// Notes in run `id`'s row which process runs it.
    pub fn note_run_pid(&self, id: i64, pid: u32) -> Result<()> {
        self.conn.execute(
            "UPDATE runs SET message = ?2 WHERE id = ?1",
            params![id, running_note(pid)],
        )?;
        Ok(())
    }

    /// Marks as `interrupted` (finished at `now`) every run other than `current` that has no outcome and
    /// whose process is not alive; a row without a recorded process counts as dead when `holds_lock`
    /// (the caller holds the run lock, so no other `run` is going on). Returns how many were marked.
    pub fn mark_interrupted(
        &self,
        current: i64,
        now: DateTime<Utc>,
        holds_lock: bool,
        alive: impl Fn(u32) -> bool,
    ) -> Result<usize> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, command, message FROM runs WHERE outcome IS NULL AND id != ?1")?;
        let open: Vec<(i64, String, Option<String>)> = stmt
            .query_map([current], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut marked = 0;
        for (id, command, message) in open {
            let pid = message
                .as_deref()
                .and_then(|m| m.strip_prefix("running (pid "))
                .and_then(|m| m.strip_suffix(')'))
                .and_then(|p| p.parse::<u32>().ok());
            let dead = match pid {
                Some(p) => !alive(p),
                None => holds_lock && command == "run",
            };
            if dead {
                marked += self.conn.execute(
                    "UPDATE runs SET outcome = 'interrupted', finished_at = ?2,
                         message = 'interrupted: the process ended before the run finished (killed?)'
                     WHERE id = ?1 AND outcome IS NULL",
                    params![id, fmt_time(now)],
                )?;
            }
        }
        Ok(marked)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_runs_of_dead_processes_are_marked() {
        let s = Store::open_in_memory().unwrap();
        let now = Utc::now();
        let dead = s.start_run("run", now).unwrap();
        s.note_run_pid(dead, 11).unwrap();
        let alive = s.start_run("crawl", now).unwrap();
        s.note_run_pid(alive, 22).unwrap();
        let old = s.start_run("run", now).unwrap();
        let current = s.start_run("run", now).unwrap();
        let n = s.mark_interrupted(current, now, true, |p| p == 22).unwrap();
        assert_eq!(n, 2);
        let outcome = |id: i64| -> Option<String> {
            s.conn
                .query_row("SELECT outcome FROM runs WHERE id = ?1", [id], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(outcome(dead).as_deref(), Some("interrupted"));
        assert_eq!(outcome(old).as_deref(), Some("interrupted"));
        assert_eq!(outcome(alive), None);
        assert_eq!(outcome(current), None);
    }
}
