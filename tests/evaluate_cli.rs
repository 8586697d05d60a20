//! The real binary's `evaluate`: cross-validation on the sanity fixture, and `--repeats N`, which
//! cross-validates again over other arrangements of the folds and reports how far the figures move.

use headline_watch::classify::{corpus, folds::assign_folds};
use headline_watch::text::normalize_for_model;
use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_headline-watch");

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/classify/sanity.tsv")
}

fn evaluate(args: &[&str]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    Command::new(BIN)
        .current_dir(dir.path())
        .args(["-q", "evaluate", "--folds", "3"])
        .args(args)
        .output()
        .unwrap()
}

/// `evaluate` cross-validates the configured corpus folder: a config naming the fixture's folder.
fn config_for_fixture(dir: &Path) -> PathBuf {
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::copy(fixture(), corpus.join("sanity.tsv")).unwrap();
    let config = dir.join("config.toml");
    std::fs::write(
        &config,
        format!("[narrative]\ncorpus = {:?}\n", corpus.display().to_string()),
    )
    .unwrap();
    config
}

#[test]
fn repeats_report_each_arrangement_the_first_being_the_plain_run() {
    let dir = tempfile::tempdir().unwrap();
    let config = config_for_fixture(dir.path());
    let config = config.to_str().unwrap();
    let plain = evaluate(&["--config", config, "--format", "json"]);
    assert!(
        plain.status.success(),
        "{}",
        String::from_utf8_lossy(&plain.stderr)
    );
    let plain: serde_json::Value = serde_json::from_slice(&plain.stdout).unwrap();
    assert!(plain.get("repeats").is_none(), "no repeats unless asked");

    let out = evaluate(&["--config", config, "--format", "json", "--repeats", "3"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let reps = v["repeats"].as_array().expect("repeats");
    let seeds: Vec<u64> = reps
        .iter()
        .map(|r| r["fold_seed"].as_u64().unwrap())
        .collect();
    assert_eq!(seeds, [0, 1, 2]);
    // The first arrangement is the one the rest of the report (and `train`) uses.
    assert_eq!(reps[0]["macro_f1"], v["metrics"]["macro_f1"]);
    assert_eq!(v["metrics"], plain["metrics"]);
    for r in reps {
        let f = r["macro_f1"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&f), "{r}");
        // The fixture has no real (URL) rows: no real-row figures, rather than zeros.
        assert!(r["real_rebuttal_recall"].is_null(), "{r}");
    }

    let text = evaluate(&["--config", config, "--repeats", "2"]);
    assert!(text.status.success());
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("2 arrangements of the folds:"), "{text}");
    assert!(text.contains("folds 1: C = "), "{text}");
    assert!(text.contains("macro-F1: mean "), "{text}");
}

#[test]
fn repeats_with_a_scored_file_or_out_of_range_are_usage_errors() {
    let file = fixture();
    let file = file.to_str().unwrap();
    for args in [
        vec!["--corpus", file, "--repeats", "2"],
        vec!["--repeats", "0"],
    ] {
        let out = evaluate(&args);
        assert_eq!(out.status.code(), Some(64), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("--repeats"),
            "{args:?}"
        );
    }
}

#[test]
fn other_seeds_arrange_the_folds_otherwise_and_keep_their_rules() {
    let rows = corpus::load_file(&fixture()).unwrap();
    let norms: Vec<String> = rows.iter().map(|r| normalize_for_model(&r.text)).collect();
    let texts: Vec<&str> = norms.iter().map(String::as_str).collect();
    let labels: Vec<_> = rows.iter().map(|r| r.label).collect();
    // Two rows of one outlet must share a fold under every seed.
    let mut outlets = vec![None; rows.len()];
    outlets[0] = Some("a.example".to_string());
    outlets[40] = Some("a.example".to_string());
    let zero = assign_folds(&texts, &labels, &outlets, 3, 0);
    assert_eq!(
        zero,
        assign_folds(&texts, &labels, &outlets, 3, 0),
        "deterministic"
    );
    let mut differ = 0;
    for seed in 1..4 {
        let f = assign_folds(&texts, &labels, &outlets, 3, seed);
        assert_eq!(f[0], f[40], "seed {seed}: one outlet, one fold");
        differ += usize::from(f != zero);
        // Balanced: each fold holds about a third of the rows.
        for fold in 0..3 {
            assert!(
                f.iter().filter(|&&x| x == fold).count() >= rows.len() / 3 - 3,
                "seed {seed}"
            );
        }
    }
    assert!(differ >= 2, "other seeds give other arrangements");
}
