//! What the benchmark seeders (`bench/{report,serve,spread}/seed.rs`) share: a fresh database, the stored
//! item of headline `i` at one of `outlets` example outlets, a classification from its top label, and
//! writing a batch of classifications in chunks. Each seeder includes this file with `#[path]`.
#![allow(dead_code)] // each seeder uses only some of these

use chrono::{DateTime, Utc};
use headline_watch::domain::{Classification, Label, NewItem};
use headline_watch::store::Store;

/// The seeder's arguments `DB [N1 N2 ...]`: the database path and the numbers, each `defaults[k]` when
/// left out; `usage` is the error when DB is missing.
pub fn args<const K: usize>(
    usage: &str,
    defaults: [usize; K],
) -> Result<(String, [usize; K]), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let db = args.next().ok_or(usage)?;
    let mut out = defaults;
    for (slot, a) in out.iter_mut().zip(args) {
        *slot = a.parse()?;
    }
    Ok((db, out))
}

/// Removes `db` if present and opens a fresh store there.
pub fn fresh_store(db: &str) -> Result<Store, Box<dyn std::error::Error>> {
    let _ = std::fs::remove_file(db);
    Ok(Store::open(std::path::Path::new(db))?)
}

/// Headline `i` as a feed would give it: URL, canonical URL and GUID from `i` and its outlet `i % outlets`.
pub fn news_item(
    i: usize,
    outlets: usize,
    lang: &str,
    title: String,
    published: DateTime<Utc>,
) -> NewItem {
    NewItem {
        url: Some(format!("https://outlet{}.example/news/{i}", i % outlets)),
        canonical_url: Some(format!("outlet{}.example/news/{i}", i % outlets)),
        guid: Some(i.to_string()),
        title,
        summary: None,
        published_at: published,
        published_estimated: false,
        lang: Some(lang.into()),
    }
}

/// A classification with probability `p` on `label` and the rest shared evenly by the other three.
pub fn classification(label: Label, p: f64, flagged: bool, reasons: Vec<String>) -> Classification {
    Classification::with_probability(label, p, flagged, reasons)
}

/// Stores `batch` (item id, classification) as model `bench-model`, 10,000 rows a transaction.
pub fn insert_classifications(
    store: &mut Store,
    batch: &[(i64, Classification)],
) -> Result<(), Box<dyn std::error::Error>> {
    for chunk in batch.chunks(10_000) {
        store.insert_classifications("bench-model", chunk, Utc::now())?;
    }
    Ok(())
}
