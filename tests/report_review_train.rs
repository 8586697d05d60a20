//! The review loop: mark flagged items, export them into a corpus folder beside a tiny fixture corpus,
//! and `train` on that folder picks the exported rows up.

mod report_support;

use headline_watch::store::Store;
use report_support::*;

#[test]
fn review_export_train_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::copy(
        manifest_dir().join("tests/fixtures/report/corpus/tiny.tsv"),
        corpus.join("tiny.tsv"),
    )
    .unwrap();
    let model = dir.path().join("model.json");
    let config = write_config(dir.path(), &model, "");
    let ids = seed(&mut Store::open(&dir.path().join("db.sqlite")).unwrap());
    let ok = |args: &[&str]| {
        let out = hw(&config, args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        String::from_utf8_lossy(&out.stdout).into_owned() + &stderr(&out)
    };
    ok(&[
        "review",
        "mark",
        &ids[1].to_string(),
        "--label",
        "misleading",
    ]);
    ok(&[
        "review",
        "mark",
        &ids[5].to_string(),
        "--label",
        "unrelated",
    ]);
    let tsv = corpus.join("reviews.tsv");
    ok(&["review", "export", "--output", tsv.to_str().unwrap()]);
    assert!(std::fs::read_to_string(&tsv)
        .unwrap()
        .contains(&format!("review:{}", ids[1])));
    let out = ok(&[
        "train",
        "--corpus",
        corpus.to_str().unwrap(),
        "--output",
        model.to_str().unwrap(),
        "--folds",
        "2",
    ]);
    assert!(model.exists(), "{out}");
    // 32 fixture rows + 4 reviewed (2 seeded verdicts + 2 marked here).
    let meta = std::fs::read_to_string(&model).unwrap();
    assert!(
        meta.contains("36") || out.contains("36"),
        "train counted the exported rows:\n{out}"
    );
}
