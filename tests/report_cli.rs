//! The real binary: `report` (period defaults, file naming, stdout, errors), `review` (list, mark,
//! export), and `run` (classifies what the current model has not, writes and records the report, and a
//! second run started while one holds the lock exits at once).

mod report_support;

use headline_watch::store::Store;
use report_support::*;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A model file `run` can load: the shipped one once the classifier is merged, else a stand-in file.
fn model_path(dir: &Path) -> PathBuf {
    let shipped = manifest_dir().join("models/visa-regime.json");
    if shipped.exists() {
        return shipped;
    }
    let p = dir.join("model.json");
    std::fs::write(
        &p,
        r#"{"metrics": {"macro_f1": 0.8, "misleading_precision": 0.9, "misleading_recall": 0.7}}"#,
    )
    .unwrap();
    p
}

fn setup() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let model = model_path(dir.path());
    let config = write_config(dir.path(), &model, "");
    let db = dir.path().join("db.sqlite");
    (dir, config, db)
}

#[test]
fn report_writes_dated_files_records_them_and_never_overwrites() {
    let (dir, config, db) = setup();
    seed(&mut Store::open(&db).unwrap());
    let out = hw(
        &config,
        &[
            "report",
            "--since",
            "2025-06-09",
            "--until",
            "2025-06-11T00:00:00Z",
            "--format",
            "html",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let first = dir.path().join("reports/2025-06-11.html");
    let html = std::fs::read_to_string(&first).unwrap();
    assert!(html.contains("Россия вводит визовый режим для казахстанцев"));
    assert!(html.contains("Aibek Smadiyarov"));
    let out = hw(
        &config,
        &[
            "report",
            "--since",
            "2025-06-10",
            "--until",
            "2025-06-11",
            "--format",
            "html",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.path().join("reports/2025-06-11-2.html").exists());
    assert_eq!(
        std::fs::read_to_string(&first).unwrap(),
        html,
        "first report untouched"
    );
    let store = Store::open(&db).unwrap();
    assert_eq!(
        store.previous_report_until(false).unwrap(),
        Some(t("2025-06-11T00:00:00Z"))
    );
}

#[test]
fn report_to_stdout_in_each_format_and_bad_period_is_one_line_error() {
    let (_dir, config, db) = setup();
    seed(&mut Store::open(&db).unwrap());
    for format in ["md", "html", "json", "csv"] {
        let out = hw(
            &config,
            &[
                "report",
                "--since",
                "2025-06-09",
                "--until",
                "2025-06-11",
                "--format",
                format,
                "--output",
                "-",
            ],
        );
        assert!(out.status.success(), "{format}: {}", stderr(&out));
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("Россия вводит визовый режим"), "{format}");
        if format != "csv" {
            assert!(
                text.contains("Smadiyarov"),
                "{format} cites the official position"
            );
        }
    }
    let out = hw(&config, &["report", "--since", "yesterday"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("--since") && err.contains("RFC 3339"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}

#[test]
fn review_list_mark_export() {
    let (dir, config, db) = setup();
    let ids = seed(&mut Store::open(&db).unwrap());
    let run = |args: &[&str]| {
        let out = hw(&config, args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        String::from_utf8(out.stdout).unwrap()
    };
    let list = run(&["review", "list"]);
    assert_eq!(
        list.lines().count(),
        2,
        "two flagged items are unreviewed:\n{list}"
    );
    assert!(list.contains(&format!("{:>6}", ids[1])));
    let all = run(&["review", "list", "--all"]);
    assert_eq!(all.lines().count(), 4);
    assert!(
        all.lines().last().unwrap().contains("reviewed"),
        "unreviewed first:\n{all}"
    );
    let out = run(&[
        "review",
        "mark",
        &ids[1].to_string(),
        "--label",
        "misleading",
        "--reviewer",
        "A. B.",
        "--note",
        "confirmed",
    ]);
    assert!(out.contains("flag confirmed"));
    let out = run(&["review", "mark", &ids[2].to_string(), "--label", "accurate"]);
    assert!(out.contains("flag corrected"));
    assert_eq!(
        run(&["review", "list"]).trim(),
        "No unreviewed flagged headlines."
    );
    let bad = hw(
        &config,
        &["review", "mark", "99999", "--label", "misleading"],
    );
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("no item with id 99999"));
    // An unknown label is a usage error (exit 64), named with the labels allowed.
    let bad = hw(&config, &["review", "mark", "1", "--label", "fake"]);
    assert_eq!(bad.status.code(), Some(64));
    assert!(stderr(&bad).contains("rebuttal"), "{}", stderr(&bad));
    let tsv = dir.path().join("corpus/reviews.tsv");
    run(&["review", "export", "--output", tsv.to_str().unwrap()]);
    let text = std::fs::read_to_string(&tsv).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "label\tlang\ttext\tsource");
    assert_eq!(lines.len(), 5, "{text}");
    assert!(lines.contains(
        &format!(
            "misleading\tru\tРоссия вводит визовый режим для казахстанцев\treview:{}",
            ids[1]
        )
        .as_str()
    ));
    assert!(lines.contains(
        &format!(
            "accurate\tkk\tРесей қазақстандықтарға виза енгізеді\treview:{}",
            ids[2]
        )
        .as_str()
    ));
    // The report shows the verdicts.
    let md = run(&[
        "report",
        "--since",
        "2025-06-09",
        "--until",
        "2025-06-11",
        "--output",
        "-",
    ]);
    assert!(md.contains("review: confirmed as misleading by A. B."));
}

#[test]
fn run_classifies_new_items_once_and_writes_the_report() {
    let (dir, config, db) = setup();
    {
        let mut store = Store::open(&db).unwrap();
        seed(&mut store);
    }
    let out = hw(&config, &["run"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    let summary: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("headline-watch run"))
        .collect();
    assert_eq!(summary.len(), 1, "{err}");
    assert!(summary[0].contains("7 classified"), "{err}");
    let store = Store::open(&db).unwrap();
    assert_eq!(
        store.classification_count().unwrap(),
        14,
        "7 seeded + 7 by the current model"
    );
    assert_eq!(store.run_count().unwrap(), 1);
    let reports: Vec<_> = std::fs::read_dir(dir.path().join("reports"))
        .unwrap()
        .collect();
    assert_eq!(reports.len(), 1);
    // A second run has nothing left to classify and writes the next report in the series.
    let out = hw(&config, &["run"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains(" 0 classified"), "{}", stderr(&out));
    assert_eq!(store.classification_count().unwrap(), 14);
    assert_eq!(
        std::fs::read_dir(dir.path().join("reports"))
            .unwrap()
            .count(),
        2
    );
}

#[test]
fn a_second_run_exits_at_once_while_the_lock_is_held() {
    let (_dir, config, db) = setup();
    let lock = File::create(format!("{}.lock", db.display())).unwrap();
    lock.try_lock().unwrap();
    let start = Instant::now();
    let out = hw(&config, &["run"]);
    assert!(start.elapsed() < Duration::from_secs(10));
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("another headline-watch run is in progress (lock ")
            && err.contains("db.sqlite.lock held)"),
        "{err}"
    );
    assert!(!db.exists(), "the blocked run did not touch the database");
    drop(lock);
    let out = hw(&config, &["run"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}
