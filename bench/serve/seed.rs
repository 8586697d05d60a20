//! Review desk benchmark seeder: N stored headlines (default 100,000) over 60 days, 30 outlets and three
//! languages, one in ten flagged (10,000 flags), a few hundred reviewed, with varied titles so full-text
//! search has real work to do. Usage: `cargo run --release --example serve-bench-seed -- DB [N]`.

use chrono::{Duration, TimeZone, Utc};
use headline_watch::domain::{Label, Verdict};

#[path = "../seeding.rs"]
mod seeding;

const SUBJECTS: [[&str; 6]; 3] = [
    [
        "Russia",
        "Moscow",
        "The Kremlin",
        "Border guards",
        "Kazakhstan",
        "Astana",
    ],
    [
        "Россия",
        "Москва",
        "Кремль",
        "Пограничники",
        "Казахстан",
        "Астана",
    ],
    [
        "Ресей",
        "Мәскеу",
        "Кремль",
        "Шекарашылар",
        "Қазақстан",
        "Астана",
    ],
];
const VERBS: [[&str; 5]; 3] = [
    ["introduces", "announces", "discusses", "denies", "explains"],
    [
        "вводит",
        "объявляет",
        "обсуждает",
        "опровергает",
        "разъясняет",
    ],
    [
        "енгізеді",
        "жариялады",
        "талқылады",
        "жоққа шығарды",
        "түсіндірді",
    ],
];
const OBJECTS: [[&str; 7]; 3] = [
    [
        "a visa regime for Kazakhstan citizens",
        "fingerprinting at the border",
        "new rules for migrants",
        "wheat exports",
        "a gas pipeline deal",
        "the electronic entry application",
        "visa-free travel",
    ],
    [
        "визовый режим для граждан Казахстана",
        "дактилоскопию на границе",
        "новые правила для мигрантов",
        "экспорт пшеницы",
        "газовую сделку",
        "электронное заявление на въезд",
        "безвизовый режим",
    ],
    [
        "Қазақстан азаматтары үшін визалық режим",
        "шекарада саусақ ізін алуды",
        "мигранттарға жаңа ережелерді",
        "бидай экспортын",
        "газ келісімін",
        "электронды өтінішті",
        "визасыз режимді",
    ],
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (db, [n]) = seeding::args("usage: serve-bench-seed DB [N]", [100_000])?;
    let mut store = seeding::fresh_store(&db)?;
    let start = Utc
        .with_ymd_and_hms(2025, 5, 1, 0, 0, 0)
        .single()
        .ok_or("date")?;
    let langs = ["en", "ru", "kk"];
    let mut batch = Vec::with_capacity(n);
    let mut flags = 0;
    store.seed_in_transaction(|s| {
        for i in 0..n {
            let l = i % 3;
            let lang = langs[l];
            let outlet = format!("Outlet {:02} ({lang})", i % 30);
            let published = start + Duration::seconds((i as i64 * 60 * 86_400) / n as i64);
            let title = format!(
                "{} {} {} ({})",
                SUBJECTS[l][(i / 3) % 6],
                VERBS[l][(i / 7) % 5],
                OBJECTS[l][(i / 11) % 7],
                i
            );
            let item = seeding::news_item(i, 30, lang, title, published);
            let id = s.seed_item(&outlet, Some(lang), &item, published + Duration::minutes(5))?;
            // One in ten, spread over every outlet (each outlet's flags fall in a different tenth).
            let flagged = i % 10 == (i / 30) % 10;
            flags += usize::from(flagged);
            let (label, p) = if flagged {
                (Label::Misleading, 0.55 + (i % 43) as f64 / 100.0)
            } else {
                match i % 10 {
                    1 => (Label::Rebuttal, 0.8),
                    2..=4 => (Label::Accurate, 0.7),
                    _ => (Label::Unrelated, 0.9),
                }
            };
            batch.push((
                id,
                seeding::classification(
                    label,
                    p,
                    flagged,
                    vec![
                        "visa wording".into(),
                        "names Kazakhstan".into(),
                        "n-grams: \"визовый режим\", \"visa regime\"".into(),
                    ],
                ),
            ));
            if i % 250 == 0 {
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
    println!("seeded {n} items ({flags} flagged) into {db}");
    Ok(())
}
