//! The shipped narrative and model are built into the binary: run from an empty folder with no config,
//! `classify` works and `report` cites the official position (the TASS article and the Russian wording as
//! quoted by Tsargrad). A narrative file whose lexicon differs from the model's is a clear error saying to
//! run `train`. Reasons never name number-only n-grams ("00" from "30 июня").

use headline_watch::classify::features::is_number_only;
use headline_watch::classify::{corpus, Model};
use headline_watch::narrative::{ModelSource, Narrative, SHIPPED_NARRATIVE};
use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_headline-watch");

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .current_dir(dir)
        .env_remove("HEADLINE_WATCH_CONFIG")
        .env_remove("HEADLINE_WATCH_DB")
        .args(args)
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn with_no_config_the_built_in_narrative_classifies_and_the_report_cites_the_position() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(
        dir.path(),
        &[
            "classify",
            "--format",
            "jsonl",
            "Россия вводит визы для казахстанцев с 30 июня",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["label"], "misleading", "{v}");

    let out = run_in(
        dir.path(),
        &[
            "--db",
            "db.sqlite",
            "report",
            "--format",
            "md",
            "--output",
            "-",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let md = text(&out.stdout);
    assert!(md.contains("Smadiyarov"), "{md}");
    assert!(md.contains("https://tass.com/world/1970939"), "{md}");
    assert!(md.contains("as quoted by Tsargrad"), "{md}");
    assert!(md.contains("У нас с РФ безвизовый режим"), "{md}");
    assert!(!md.contains("to be confirmed"), "{md}");
}

#[test]
fn a_narrative_whose_lexicon_changed_needs_a_retrained_model() {
    let dir = tempfile::tempdir().unwrap();
    let changed =
        SHIPPED_NARRATIVE.replacen("[lexicon.visa]\n", "[lexicon.visa]\nde = [\"visum\"]\n", 1);
    assert_ne!(changed, SHIPPED_NARRATIVE);
    std::fs::write(dir.path().join("n.toml"), changed).unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        "[narrative]\nfile = \"n.toml\"\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["classify", "Визы для казахстанцев"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("another lexicon") && err.contains("headline-watch train"),
        "{err}"
    );
}

#[test]
fn reasons_never_name_number_only_ngrams() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let model = Model::load(&ModelSource::Shipped, &Narrative::shipped()).unwrap();
    let rows = corpus::load_dir(&root.join("corpus")).unwrap();
    let dated: Vec<&str> = rows
        .iter()
        .map(|r| r.text.as_str())
        .filter(|t| t.contains("30 ию") || t.contains("June 30") || t.contains("30 June"))
        .collect();
    assert!(
        dated.len() > 20,
        "dated headlines in the corpus: {}",
        dated.len()
    );
    for t in dated {
        let p = model.predict(t);
        for &c in &p.top_ngrams {
            let g = &model.file.vocabulary[c as usize];
            assert!(!is_number_only(g), "{t}: reason {g}");
        }
    }
}
