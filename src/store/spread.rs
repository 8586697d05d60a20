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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Label, Verdict};
    use crate::store::classifications::tests::{classification, item};
    use crate::store::parse_time;

    #[test]
    fn each_flagged_item_once_in_its_first_flagged_wording_and_verdicts_win() {
        let mut s = Store::open_in_memory().unwrap();
        let t = |x: &str| parse_time(x).unwrap();
        let at = t("2025-06-10T06:00:00Z");
        let seed = |s: &mut Store, title: &str| {
            s.seed_item("A", None, &item(title, "2025-06-09T08:00:00Z"), at)
                .unwrap()
        };
        let corrected = seed(&mut s, "visas one");
        let rejected = seed(&mut s, "visas two");
        let confirmed = seed(&mut s, "visas three");
        let quiet = seed(&mut s, "park opens");
        let flag = classification(Label::Misleading, 0.9, true);
        let calm = classification(Label::Accurate, 0.9, false);
        s.insert_classifications(
            "m",
            &[
                (corrected, flag.clone()),
                (rejected, flag.clone()),
                (confirmed, calm.clone()),
                (quiet, calm.clone()),
            ],
            at,
        )
        .unwrap();
        let v2 = s
            .seed_version(corrected, "border rules", t("2025-06-11T06:00:00Z"))
            .unwrap();
        s.insert_version_classifications("m", &[(v2, calm)], at)
            .unwrap();
        for (item_id, label) in [(rejected, Label::Accurate), (confirmed, Label::Misleading)] {
            s.insert_review(&Verdict {
                item_id,
                label,
                reviewer: None,
                note: None,
                reviewed_at: at,
            })
            .unwrap();
        }
        let got: Vec<(i64, String)> = s
            .flagged_headlines(t("2025-06-12T00:00:00Z"))
            .unwrap()
            .into_iter()
            .map(|h| (h.item_id, h.title))
            .collect();
        assert_eq!(
            got,
            vec![
                (corrected, "visas one".to_string()),
                (confirmed, "visas three".to_string())
            ]
        );
        // Before the items were first seen, nothing.
        assert!(s
            .flagged_headlines(t("2025-06-01T00:00:00Z"))
            .unwrap()
            .is_empty());
    }
}
