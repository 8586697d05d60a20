//! Benchmark seeder: writes N items (default 100,000) with classifications and a few reviews into a
//! fresh database, spread over 30 days, 30 outlets and three languages (about 3% flagged, 2% rebuttals).
//! Usage: `cargo run --release --example report-bench-seed -- DB [N]`.

use chrono::{Duration, TimeZone, Utc};
use headline_watch::domain::{Label, Verdict};

#[path = "../seeding.rs"]
mod seeding;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (db, [n]) = seeding::args("usage: report-bench-seed DB [N]", [100_000])?;
    let mut store = seeding::fresh_store(&db)?;
    let start = Utc
        .with_ymd_and_hms(2025, 6, 1, 0, 0, 0)
        .single()
        .ok_or("date")?;
    let langs = ["en", "ru", "kk"];
    let titles = [
        "Russia introduces a visa regime for Kazakhstan citizens",
        "Россия вводит визовый режим для граждан Казахстана",
        "Ресей Қазақстан азаматтары үшін визалық режим енгізеді",
    ];
    let mut batch = Vec::with_capacity(n);
    store.seed_in_transaction(|s| {
        for i in 0..n {
            let lang = langs[i % 3];
            let outlet = format!("Outlet {:02} ({lang})", i % 30);
            let published = start + Duration::seconds((i as i64 * 30 * 86_400) / n as i64);
            let title = format!("{} #{i}", titles[i % 3]);
            let item = seeding::news_item(i, 30, lang, title, published);
            let id = s.seed_item(&outlet, Some(lang), &item, published + Duration::minutes(5))?;
            let (label, p) = match i % 100 {
                0..=2 => (Label::Misleading, 0.6 + (i % 37) as f64 / 100.0),
                3..=4 => (Label::Rebuttal, 0.8),
                5..=20 => (Label::Accurate, 0.7),
                _ => (Label::Unrelated, 0.9),
            };
            batch.push((
                id,
                seeding::classification(
                    label,
                    p,
                    label == Label::Misleading,
                    vec!["visa-regime wording".into(), "names Kazakhstan".into()],
                ),
            ));
            if i % 500 == 0 {
                s.insert_review(&Verdict {
                    item_id: id,
                    label: Label::Misleading,
                    reviewer: Some("bench".into()),
                    note: None,
                    reviewed_at: published + Duration::hours(1),
                })?;
            }
        }
        Ok(())
    })?;
    seeding::insert_classifications(&mut store, &batch)?;
    println!("seeded {n} items into {db}");
    Ok(())
}
