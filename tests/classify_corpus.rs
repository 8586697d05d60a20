//! The corpus duplicate check (corpus/README.md): no two rows of `corpus/*.tsv` may be exact or
//! near-duplicates (equal model normalisation once digits, numbers and dates are masked). Also checks
//! that every corpus file loads and the test fixture is clean. A missing corpus is a failure.

use headline_watch::classify::corpus::{self, duplicates, load_dir, load_file, near_duplicate_key};
use headline_watch::classify::corpus::{corpus_hash, Row};
use headline_watch::domain::Label;
use std::io::Write;
use std::path::{Path, PathBuf};

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

// The loader, the corpus hash and the near-duplicate rule (src/classify/corpus.rs).
fn write(dir: &Path, name: &str, body: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::File::create(&p)
        .unwrap()
        .write_all(body.as_bytes())
        .unwrap();
    p
}

#[test]
fn loads_rows_and_reports_file_and_line() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "a.tsv",
        "label\tlang\ttext\tsource\tnote\nmisleading\tru\tРоссия вводит визы\twritten:a\t\n\naccurate\ten\tFingerprints from June 30\t\t\n",
    );
    let rows = load_dir(d.path()).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1].line, 4);
    assert_eq!(rows[0].source.as_deref(), Some("written:a"));
    let p = write(
        d.path(),
        "b.tsv",
        "label\tlang\ttext\nmisleading\tru\tok\nfalse\tru\tx\n",
    );
    let e = load_file(&p).unwrap_err().to_string();
    assert!(e.contains("b.tsv:3:") && e.contains("unknown label"), "{e}");
    let p = write(d.path(), "c.tsv", "lang\tlabel\ttext\n");
    assert!(load_file(&p).unwrap_err().to_string().contains("c.tsv:1:"));
}

fn row(label: Label, text: &str) -> Row {
    Row {
        label,
        lang: "ru".into(),
        text: text.into(),
        source: None,
        file: PathBuf::new(),
        line: 1,
    }
}

#[test]
fn real_rows_are_those_with_an_http_source_and_their_outlet_is_the_host() {
    let mut r = row(Label::Unrelated, "x");
    assert_eq!(r.outlet(), None);
    for (src, want) in [
        ("https://www.kt.kz/rus/a", Some("kt.kz")),
        ("http://amp.tsargrad.tv/news/x", Some("tsargrad.tv")),
        ("https://ernur.kz./a", Some("ernur.kz")),
        ("written:ru-written.tsv:wire", None),
        ("review:12", None),
        ("conformance:tass.xml", None),
    ] {
        r.source = Some(src.into());
        assert_eq!(r.outlet().as_deref(), want, "{src}");
    }
}

#[test]
fn hash_ignores_order_and_typography() {
    let a = vec![
        row(Label::Misleading, "Россия вводит «визы»"),
        row(Label::Rebuttal, "МИД — нет"),
    ];
    let b = vec![
        row(Label::Rebuttal, "мид - нет"),
        row(Label::Misleading, "Россия вводит \"визы\""),
    ];
    assert_eq!(corpus_hash(&a), corpus_hash(&b));
    let c = vec![row(Label::Accurate, "Россия вводит «визы»"), a[1].clone()];
    assert_ne!(corpus_hash(&a), corpus_hash(&c));
}

#[test]
fn a_changed_place_is_a_duplicate_a_changed_label_is_a_contrast() {
    let rows = vec![
        row(
            Label::Accurate,
            "В Омске жителей предупредили о новых правилах въезда",
        ),
        row(
            Label::Accurate,
            "В Оренбурге жителей предупредили о новых правилах въезда",
        ),
        row(
            Label::Misleading,
            "Россия вводит визы для граждан Казахстана",
        ),
        row(
            Label::Rebuttal,
            "Россия не вводит визы для граждан Казахстана",
        ),
        row(
            Label::Rebuttal,
            "МИД: Россия отменяет визы для граждан Казахстана",
        ),
        row(Label::Misleading, "Визы для казахов"),
        row(Label::Misleading, "Визы для киргизов"),
        row(Label::Unrelated, "С 30 июня — визы в Англию!"),
        row(Label::Unrelated, "с 1 июля визы в англию"),
    ];
    // The place pair and the date pair; not the contrast pairs, not the three-word headlines.
    assert_eq!(duplicates(&rows), vec![(0, 1), (7, 8)]);
}

#[test]
fn near_duplicates_mask_numbers_and_dates() {
    assert_eq!(
        near_duplicate_key("С 30 июня — визы!"),
        near_duplicate_key("с 1 июля визы")
    );
    assert_ne!(near_duplicate_key("визы"), near_duplicate_key("безвиз"));
}
