//! The committed model (`models/visa-regime.json`, also built into the binary): it loads with the shipped
//! narrative, it was trained on the corpus in `corpus/` (same hash), and a model trained afresh on that
//! corpus with the committed model's C and temperature agrees with it. Missing inputs are failures, never a
//! skip. Also: corrupted, outdated and other-lexicon model files give clear errors, not panics.

use headline_watch::classify::structure::Structure;
use headline_watch::classify::{corpus, features, train, Model};
use headline_watch::narrative::{ModelSource, Narrative, SHIPPED_MODEL};
use std::path::Path;

/// What to do when the committed model no longer matches the corpus (README, "The review loop").
const LOOP: &str = "the loop is `review export` → `train` → commit the model";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn committed_model_matches_a_fresh_training() {
    let model_path = root().join("models/visa-regime.json");
    let corpus_dir = root().join("corpus");
    let narrative = Narrative::load(&root().join("narratives/visa-regime.toml"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        narrative,
        Narrative::shipped(),
        "the built-in narrative is the file's"
    );
    let bytes = std::fs::read(&model_path)
        .unwrap_or_else(|e| panic!("{}: {e}; {LOOP}", model_path.display()));
    assert!(
        bytes == SHIPPED_MODEL,
        "the built-in model is the committed file"
    );
    let committed = Model::load(&ModelSource::File(model_path.clone()), &narrative)
        .unwrap_or_else(|e| panic!("{e}; {LOOP}"));
    let rows = corpus::load_dir(&corpus_dir).unwrap_or_else(|e| panic!("{e}"));
    if let Err(e) = committed.check_corpus(&corpus::corpus_hash(&rows), &model_path) {
        panic!("{e}\n{LOOP}");
    }
    // No C search here: one fit with the committed C keeps this test fast in a debug build.
    let p = train::prepare(&rows, &Structure::new(&narrative.lexicon));
    let opts = train::TrainOptions::default();
    let file = train::fit_final(
        &rows,
        &p,
        &narrative,
        committed.file.c,
        committed.file.temperature,
        None,
        &opts,
    )
    .unwrap();
    let fresh = Model::from_file(file, &narrative, Path::new("fresh")).unwrap();
    let mut same = 0;
    let mut diff = 0.0;
    for r in &rows {
        let a = committed.predict(&r.text);
        let b = fresh.predict(&r.text);
        same += usize::from(a.label == b.label);
        diff += (a.probs[0] - b.probs[0]).abs();
    }
    let agree = same as f64 / rows.len() as f64;
    let mean_diff = diff / rows.len() as f64;
    assert!(
        agree >= 0.98,
        "labels agree on only {agree:.3} of rows; {LOOP}"
    );
    assert!(
        mean_diff <= 0.02,
        "mean |Δ p(misleading)| = {mean_diff:.4}; {LOOP}"
    );
    // The model carries the figures the README and the report quote first.
    let m = committed
        .metrics_summary()
        .expect("cross-validated figures");
    assert!(m.real.is_some_and(|r| r.rows > 0), "figures on real rows");
}

#[test]
fn corrupted_truncated_outdated_and_other_lexicon_files_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let narrative = Narrative::shipped();
    let rows = corpus::load_dir(&root().join("tests/fixtures/classify")).unwrap();
    let p = train::prepare(&rows, &Structure::new(&narrative.lexicon));
    let opts = train::TrainOptions::default();
    let file = train::fit_final(&rows, &p, &narrative, 10.0, 1.0, None, &opts).unwrap();
    let good = dir.path().join("good.json");
    Model::save(&file, &good).unwrap();
    let source = |p: &Path| ModelSource::File(p.to_path_buf());
    let m = Model::load(&source(&good), &narrative).unwrap();
    m.check_corpus(&corpus::corpus_hash(&rows), &good).unwrap();
    let e = m.check_corpus("0000", &good).unwrap_err().to_string();
    assert!(e.contains("different corpus") && e.contains(LOOP), "{e}");

    // A narrative whose lexicon changed needs a retrained model.
    let mut changed = narrative.clone();
    changed
        .lexicon
        .0
        .get_mut("visa")
        .unwrap()
        .insert("de".into(), vec!["visum".into()]);
    let e = Model::load(&source(&good), &changed)
        .err()
        .expect("refused")
        .to_string();
    assert!(
        e.contains("another lexicon") && e.contains("headline-watch train"),
        "{e}"
    );

    let text = String::from_utf8(std::fs::read(&good).unwrap()).unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "truncated",
            text.as_bytes()[..text.len() / 2].to_vec(),
            "corrupt model file",
        ),
        (
            "garbage",
            b"\x00\x01not json".to_vec(),
            "corrupt model file",
        ),
        (
            "old",
            text.replacen("\"format_version\":2", "\"format_version\":1", 1)
                .into_bytes(),
            "format version",
        ),
        (
            "mismatch",
            text.replacen("\"idf\":[", "\"idf\":[1.0,", 1).into_bytes(),
            "corrupt model",
        ),
    ];
    for (name, body, want) in cases {
        let path = dir.path().join(format!("{name}.json"));
        std::fs::write(&path, body).unwrap();
        let e = Model::load(&source(&path), &narrative)
            .err()
            .unwrap_or_else(|| panic!("{name} loaded"))
            .to_string();
        assert!(
            e.contains(want) && e.contains("headline-watch train"),
            "{name}: {e}"
        );
        assert!(e.contains(&path.display().to_string()), "{name}: {e}");
    }
}

#[test]
fn listed_words_count_the_same_terms_as_n_gram_by_n_gram() {
    let root = root();
    let model = Model::load(&ModelSource::Shipped, &Narrative::shipped()).unwrap();
    // The corpus's frequent words outside the vocabulary are listed too (their character n-grams).
    let frequent = &model.file.frequent_words;
    assert!(frequent.len() > 500, "{}", frequent.len());
    for w in frequent {
        assert!(model.linear.known.contains_key(w), "{w:?} not listed");
    }
    assert!(
        model.linear.known.len() > frequent.len() + 500,
        "{}",
        model.linear.known.len()
    );
    let mut plain = model.linear.clone();
    plain.known.clear();
    // A model file written before `frequent_words` existed loads and lists only vocabulary words.
    let mut older: serde_json::Value = serde_json::from_slice(SHIPPED_MODEL).unwrap();
    older
        .as_object_mut()
        .unwrap()
        .remove("frequent_words")
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("older.json");
    std::fs::write(&path, older.to_string()).unwrap();
    let older = Model::load(&ModelSource::File(path), &Narrative::shipped()).unwrap();
    assert_eq!(
        older.linear.known.len(),
        model.linear.known.len() - frequent.len()
    );
    let rows = corpus::load_dir(&root.join("corpus")).unwrap();
    let (mut a, mut b, mut c) = (Vec::new(), Vec::new(), Vec::new());
    let mut s = features::Scratch::default();
    for r in &rows {
        let norm = headline_watch::text::normalize_for_model(&r.text);
        model.linear.terms(&norm, &mut s, &mut a);
        plain.terms(&norm, &mut s, &mut b);
        older.linear.terms(&norm, &mut s, &mut c);
        assert_eq!(a, b, "{}", r.text);
        assert_eq!(a, c, "{}", r.text);
    }
}
