//! The committed model (`models/visa-regime.json`): it loads, it was trained on the corpus in `corpus/`
//! (same hash), and a model trained afresh on that corpus with the committed model's C and temperature
//! agrees with it within tolerance. Skipped when the model or the corpus is not in this checkout.
//! Also: corrupted and outdated model files give clear errors, not panics.

use headline_watch::classify::{corpus, train, Model};
use std::path::Path;

#[test]
fn committed_model_matches_a_fresh_training() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let model_path = root.join("models/visa-regime.json");
    let corpus_dir = root.join("corpus");
    if !model_path.exists() || corpus::corpus_files(&corpus_dir).map_or(true, |f| f.is_empty()) {
        eprintln!("models/visa-regime.json or corpus/*.tsv missing; skipped");
        return;
    }
    let committed = Model::load(&model_path).unwrap_or_else(|e| panic!("{e}"));
    let rows = corpus::load_dir(&corpus_dir).unwrap_or_else(|e| panic!("{e}"));
    committed
        .check_corpus(&corpus::corpus_hash(&rows), &model_path)
        .unwrap_or_else(|e| panic!("{e}"));
    // No C search here: one fit with the committed C keeps this test fast in a debug build.
    let p = train::prepare(&rows);
    let opts = train::TrainOptions::default();
    let file = train::fit_final(
        &rows,
        &p,
        committed.file.c,
        committed.file.temperature,
        None,
        &opts,
    )
    .unwrap();
    let fresh = Model::from_file(file, Path::new("fresh")).unwrap();
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
    assert!(agree >= 0.98, "labels agree on only {agree:.3} of rows");
    assert!(mean_diff <= 0.02, "mean |Δ p(misleading)| = {mean_diff:.4}");
}

#[test]
fn corrupted_truncated_and_outdated_files_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let rows =
        corpus::load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/classify"))
            .unwrap();
    let p = train::prepare(&rows);
    let file =
        train::fit_final(&rows, &p, 10.0, 1.0, None, &train::TrainOptions::default()).unwrap();
    let good = dir.path().join("good.json");
    Model::save(&file, &good).unwrap();
    let m = Model::load(&good).unwrap();
    m.check_corpus(&corpus::corpus_hash(&rows), &good).unwrap();
    let e = m.check_corpus("0000", &good).unwrap_err().to_string();
    assert!(
        e.contains("different corpus") && e.contains("headline-watch train"),
        "{e}"
    );

    let bytes = std::fs::read(&good).unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "truncated",
            bytes[..bytes.len() / 2].to_vec(),
            "corrupt model file",
        ),
        (
            "garbage",
            b"\x00\x01not json".to_vec(),
            "corrupt model file",
        ),
        (
            "old",
            String::from_utf8(bytes.clone())
                .unwrap()
                .replacen("\"format_version\":1", "\"format_version\":0", 1)
                .into_bytes(),
            "format version",
        ),
        (
            "mismatch",
            String::from_utf8(bytes.clone())
                .unwrap()
                .replacen("\"idf\":[", "\"idf\":[1.0,", 1)
                .into_bytes(),
            "corrupt model",
        ),
    ];
    for (name, body, want) in cases {
        let path = dir.path().join(format!("{name}.json"));
        std::fs::write(&path, body).unwrap();
        let e = Model::load(&path)
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
