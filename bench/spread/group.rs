//! Spread benchmark: reads every stored flagged headline (`Store::flagged_headlines`) and groups them
//! (`spread::group`), the work behind a report's "How the claim spread". Prints the counts and the time
//! of each step. Usage: `cargo run --release --example spread-bench -- DB`.

use headline_watch::store::Store;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let db = std::env::args().nth(1).ok_or("usage: spread-bench DB")?;
    let t0 = Instant::now();
    let store = Store::open(std::path::Path::new(&db))?;
    let headlines = store.flagged_headlines(chrono::Utc::now())?;
    let t1 = Instant::now();
    let groups = headline_watch::spread::group(&headlines);
    let t2 = Instant::now();
    let grouped: usize = groups.iter().map(Vec::len).sum();
    let largest = groups.iter().map(Vec::len).max().unwrap_or(0);
    println!(
        "stored {} headlines, {} flagged; {} groups holding {} headlines (largest {}); read {:.3} s, grouped {:.3} s",
        store.item_count()?,
        headlines.len(),
        groups.len(),
        grouped,
        largest,
        (t1 - t0).as_secs_f64(),
        (t2 - t1).as_secs_f64()
    );
    Ok(())
}
