//! The shipped model on the held-out sets (holdout/*.tsv): headlines written from the labelling guide
//! alone by people who saw neither the corpus nor the model's output, which `train` never reads. The real
//! binary scores each with `evaluate --corpus FILE`, from a folder with no config, so the built-in model
//! is the one scored.

use headline_watch::classify::corpus;
use headline_watch::text::normalize_for_model;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_headline-watch");

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The held-out sets in `holdout/<dir>`.
fn holdout_files(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("holdout").join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "tsv"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no holdout/*.tsv");
    files
}

#[test]
fn no_held_out_headline_is_in_the_training_corpus() {
    let trained: HashSet<String> = corpus::load(&root().join("corpus"))
        .unwrap()
        .iter()
        .map(|r| normalize_for_model(&r.text))
        .collect();
    for f in holdout_files("")
        .into_iter()
        .chain(holdout_files("below-target"))
    {
        for r in corpus::load(&f).unwrap() {
            let norm = normalize_for_model(&r.text);
            assert!(
                !trained.contains(&norm),
                "{}: {} is in corpus/",
                f.display(),
                r.text
            );
        }
    }
}

#[test]
fn the_shipped_model_meets_the_targets_on_every_held_out_set() {
    for f in holdout_files("") {
        let dir = tempfile::tempdir().unwrap();
        let out = Command::new(BIN)
            .current_dir(dir.path())
            .args(["-q", "evaluate", "--format", "json", "--corpus"])
            .arg(&f)
            .output()
            .unwrap();
        let name = f.display();
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let m = &v["metrics"];
        let class = |label: &str| {
            let classes = m["classes"].as_array().unwrap();
            classes
                .iter()
                .find(|c| c["label"] == label)
                .unwrap()
                .clone()
        };
        let misleading = class("misleading");
        let support = misleading["support"].as_f64().unwrap();
        let not_misleading = m["rows"].as_f64().unwrap() - support;
        let flagged = v["flags"]["flagged"].as_f64().unwrap();
        let false_flags = flagged * (1.0 - v["flags"]["precision"].as_f64().unwrap());
        let false_flag_rate = false_flags / not_misleading;
        // The targets for real rows, except false flags: these sets are built of hard negatives.
        assert!(
            false_flag_rate <= 0.02,
            "{name}: false flags {false_flag_rate:.3}"
        );
        let recall = |label: &str| class(label)["recall"].as_f64().unwrap();
        assert!(
            recall("misleading") >= 0.9,
            "{name}: misleading recall {}",
            recall("misleading")
        );
        assert!(
            recall("rebuttal") >= 0.9,
            "{name}: rebuttal recall {}",
            recall("rebuttal")
        );
        let macro_f1 = m["macro_f1"].as_f64().unwrap();
        assert!(macro_f1 >= 0.9, "{name}: macro-F1 {macro_f1:.3}");
    }
}
