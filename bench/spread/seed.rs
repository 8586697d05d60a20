//! Spread benchmark seeder: writes N headlines (default 100,000) into a fresh database, of which F
//! (default 10,000) are flagged: C claims (default 500), each re-published F/C times by different outlets
//! with small edits (a lead word added, a word dropped, an ending changed, upper case), published over
//! 30 days. The other headlines are random word strings. Fixed seed: the same database every time.
//! Usage: `cargo run --release --example spread-bench-seed -- DB [N] [F] [C]`.

use chrono::{Duration, TimeZone, Utc};
use headline_watch::domain::{Classification, Label};

#[path = "../seeding.rs"]
mod seeding;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const SYLLABLES: &[&str] = &[
    "ка", "за", "ви", "ро", "ре", "жи", "ми", "но", "ст", "ра", "та", "ль", "ен", "ов", "ый", "ая",
    "ск", "ба", "ды", "қа", "ұл", "ғы", "ті", "ер", "ан", "ol", "ta", "vi", "sa", "re", "mo", "ki",
    "na",
];

fn word(r: &mut Rng) -> String {
    (0..2 + r.below(3))
        .map(|_| SYLLABLES[r.below(SYLLABLES.len())])
        .collect()
}

fn words(r: &mut Rng, n: usize) -> Vec<String> {
    (0..n).map(|_| word(r)).collect()
}

/// A small edit of a claim's words, as outlets re-publish it.
fn variant(r: &mut Rng, claim: &[String]) -> String {
    let mut w = claim.to_vec();
    match r.below(5) {
        0 => w.insert(0, "Срочно:".into()),
        1 => {
            let i = r.below(w.len());
            w.remove(i);
        }
        2 => {
            let i = r.below(w.len());
            let cut: String = w[i]
                .chars()
                .take(w[i].chars().count().saturating_sub(2))
                .collect();
            w[i] = format!("{cut}ом");
        }
        3 => return w.join(" ").to_uppercase(),
        _ => {}
    }
    w.join(" ")
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (db, [n, f, c]) = seeding::args(
        "usage: spread-bench-seed DB [N] [F] [C]",
        [100_000, 10_000, 500],
    )?;
    let mut store = seeding::fresh_store(&db)?;
    let start = Utc
        .with_ymd_and_hms(2025, 6, 1, 0, 0, 0)
        .single()
        .ok_or("date")?;
    let mut r = Rng(0x9e37_79b9_7f4a_7c15);
    let claims: Vec<Vec<String>> = (0..c).map(|_| words(&mut r, 8)).collect();
    let mut batch = Vec::with_capacity(n);
    store.seed_in_transaction(|s| {
        for i in 0..n {
            let flagged = i % (n / f) == 0 && i / (n / f) < f;
            let title = if flagged {
                variant(&mut r, &claims[(i / (n / f)) % c])
            } else {
                let len = 6 + r.below(5);
                words(&mut r, len).join(" ")
            };
            let published = start + Duration::seconds(r.below(30 * 86_400) as i64);
            let outlet = format!("Outlet {:02}", i % 40);
            let item = seeding::news_item(i, 40, "ru", title, published);
            let id = s.seed_item(&outlet, Some("ru"), &item, published + Duration::minutes(5))?;
            let (label, scores) = if flagged {
                (Label::Misleading, [0.9, 0.05, 0.03, 0.02])
            } else {
                (Label::Unrelated, [0.02, 0.05, 0.03, 0.9])
            };
            batch.push((
                id,
                Classification {
                    label,
                    scores,
                    flagged,
                    reasons: vec![],
                },
            ));
        }
        Ok(())
    })?;
    seeding::insert_classifications(&mut store, &batch)?;
    println!("seeded {n} headlines ({f} flagged: {c} claims re-published) into {db}");
    Ok(())
}
