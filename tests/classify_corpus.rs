//! The corpus duplicate check (corpus/README.md): no two rows of `corpus/*.tsv` may be exact or
//! near-duplicates (equal model normalisation once digits, numbers and dates are masked). Also checks
//! that every corpus file loads and the test fixture is clean. A missing corpus is a failure.

use headline_watch::classify::corpus::{self, Row};
use std::path::Path;

fn check(rows: &[Row]) -> Result<(), String> {
    let dups = corpus::duplicates(rows);
    if dups.is_empty() {
        return Ok(());
    }
    let mut msg = format!("{} near-duplicate pair(s):\n", dups.len());
    for (a, b) in dups.iter().take(50) {
        let (a, b) = (&rows[*a], &rows[*b]);
        msg.push_str(&format!(
            "  {}:{} {:?}\n  {}:{} {:?}\n\n",
            a.file.display(),
            a.line,
            a.text,
            b.file.display(),
            b.line,
            b.text
        ));
    }
    Err(msg)
}

#[test]
fn corpus_has_no_duplicates() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let files = corpus::corpus_files(&dir).unwrap_or_else(|e| panic!("{e}"));
    assert!(!files.is_empty(), "no corpus/*.tsv in {}", dir.display());
    let mut rows = Vec::new();
    for f in files {
        rows.extend(corpus::load_file(&f).unwrap_or_else(|e| panic!("{e}")));
    }
    if let Err(m) = check(&rows) {
        panic!("{m}");
    }
}

#[test]
fn fixture_has_no_duplicates_and_the_check_catches_them() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/classify");
    let mut rows = corpus::load_dir(&dir).unwrap();
    check(&rows).unwrap();
    let src = rows
        .iter()
        .find(|r| r.text.contains("54 countries"))
        .expect("fixture row")
        .clone();
    let mut twin = src.clone();
    twin.text = src.text.replace("54", "60").to_uppercase();
    twin.line = 999;
    rows.push(twin);
    let err = check(&rows).unwrap_err();
    assert!(err.contains(":999"), "{err}");
}
