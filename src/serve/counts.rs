//! The queue's totals, remembered between page loads. Counting the flags that await a verdict is the
//! queue's costly query (every flag is checked); its answer only changes when someone writes. SQLite's
//! `PRAGMA data_version` tells when another connection (cron's `run`, `review mark`) has committed, and
//! the desk forgets the totals itself whenever it records or undoes a verdict, so a total is never stale.

use std::collections::HashMap;
use std::sync::Mutex;

/// Totals by filter, valid for one `data_version`.
#[derive(Debug, Default)]
pub struct Totals {
    inner: Mutex<(Option<i64>, HashMap<String, i64>)>,
}

/// Filters remembered at most (any more and the oldest answers are simply dropped).
const MAX_KEYS: usize = 256;

impl Totals {
    /// The total remembered for `key` while the database is at `version`.
    pub fn get(&self, version: i64, key: &str) -> Option<i64> {
        let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if g.0 != Some(version) {
            g.0 = Some(version);
            g.1.clear();
        }
        g.1.get(key).copied()
    }

    /// Remembers a total counted at `version`.
    pub fn put(&self, version: i64, key: String, total: i64) {
        let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if g.0 != Some(version) || g.1.len() >= MAX_KEYS {
            g.0 = Some(version);
            g.1.clear();
        }
        g.1.insert(key, total);
    }

    /// Forgets every total (after this desk wrote: its own commits do not change `data_version`).
    pub fn forget(&self) {
        let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        g.1.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_and_forgetting() {
        let t = Totals::default();
        assert_eq!(t.get(1, "a"), None);
        t.put(1, "a".into(), 5);
        assert_eq!(t.get(1, "a"), Some(5));
        assert_eq!(t.get(2, "a"), None, "another connection wrote");
        t.put(2, "a".into(), 6);
        t.forget();
        assert_eq!(t.get(2, "a"), None, "this desk wrote");
    }
}
