//! Reports as their readers and their tools meet them: Markdown whose numbered list holds from item 10 on
//! and in which no title or error text becomes a link under GitHub-flavoured Markdown (rendered with a
//! real GFM renderer, comrak with its autolink extension); JSON whose per-day series counts the day's
//! headlines, whose ClaimReview carries the report's address and only http(s) appearances; a reviewer's
//! `misleading` on a headline the model let through is a miss; default report names are claimed
//! atomically (concurrent reports never share a file) and a killed write's temporary file is removed.

mod report_support;

use headline_watch::domain::{Classification, Label};
use headline_watch::store::Store;
use report_support::*;
use std::path::{Path, PathBuf};

const DAY: &str = "2025-06-09";

fn cls(label: Label, p: f64, flagged: bool) -> Classification {
    let reasons = vec!["see https://reason.evil.example".into()];
    Classification::with_probability(label, p, flagged, reasons)
}

/// `n` flagged headlines with hostile titles, `unflagged` accurate ones, all published on [`DAY`], and a
/// failed fetch whose error quotes a URL and an address. Returns the ids (flagged first).
fn seed_hostile(db: &Path, n: usize, unflagged: usize) -> Vec<i64> {
    let mut store = Store::open(db).unwrap();
    let fetched = t("2025-06-09T20:00:00Z");
    let titles = [
        "Visas for Kazakhs? See https://evil.example/x now",
        "Write to mail@evil.example about visas",
        "Read www.evil.example for the visa regime",
        "xmpp:spy@evil.example and mailto:spy@evil.example say visas",
    ];
    let mut ids = Vec::new();
    let mut batch = Vec::new();
    for i in 0..n + unflagged {
        let flagged = i < n;
        let url = if i == 0 {
            "javascript:alert(1)".to_string()
        } else {
            format!("https://outlet.example/{i}")
        };
        let title = format!("{} #{i}", titles[i % titles.len()]);
        let id = store
            .seed_item(
                "Outlet",
                Some("en"),
                &item(&title, &url, &format!("{DAY}T{:02}:00:00Z", i % 20), "en"),
                fetched,
            )
            .unwrap();
        let c = if flagged {
            cls(Label::Misleading, 0.9, true)
        } else {
            cls(Label::Accurate, 0.8, false)
        };
        batch.push((id, c));
        ids.push(id);
    }
    store.insert_classifications("m1", &batch, fetched).unwrap();
    store
        .seed_fetch(
            "Broken outlet",
            "failed",
            Some("see http://evil.example/err or admin@evil.example"),
            t("2025-06-09T20:00:00Z"),
        )
        .unwrap();
    ids
}

fn setup() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let model = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("models/visa-regime.json");
    let config = write_config(dir.path(), &model, "");
    let db = dir.path().join("db.sqlite");
    (dir, config, db)
}

fn report(config: &Path, extra: &[&str]) -> String {
    let mut args = vec!["report", "--since", DAY, "--until", "2025-06-10"];
    args.extend_from_slice(extra);
    let out = hw(config, &args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    String::from_utf8(out.stdout).unwrap()
}

fn gfm(md: &str) -> String {
    let mut o = comrak::Options::default();
    o.extension.autolink = true;
    o.extension.table = true;
    o.extension.strikethrough = true;
    comrak::markdown_to_html(md, &o)
}

#[test]
fn markdown_lists_hold_past_item_10_and_nothing_autolinks_under_gfm() {
    let (_dir, config, db) = setup();
    seed_hostile(&db, 12, 0);
    let md = report(&config, &["--format", "md", "--output", "-"]);
    let html = gfm(&md);
    let flagged = html
        .split("<h2>Flagged headlines</h2>")
        .nth(1)
        .and_then(|s| s.split("<h2>").next())
        .expect("a flagged section");
    assert_eq!(flagged.matches("<ol").count(), 1, "one list:\n{flagged}");
    let items: Vec<&str> = flagged
        .split("<li>")
        .skip(1)
        .filter(|s| s.contains("#"))
        .collect();
    assert_eq!(items.len(), 12, "12 items:\n{flagged}");
    for (i, li) in items.iter().enumerate() {
        assert!(
            li.contains("<ul>"),
            "item {} lost its details:\n{li}",
            i + 1
        );
    }
    assert!(
        !html.contains("<pre>") && !html.contains("<code>"),
        "no code block:\n{html}"
    );
    for href in html.split("href=\"").skip(1) {
        let target = href.split('"').next().unwrap_or("");
        assert!(
            !target.contains("evil"),
            "a title or error became a link: {target}"
        );
    }
    assert!(
        html.contains("evil.example/err"),
        "the error text is still shown"
    );
}

#[test]
fn json_per_day_counts_the_days_headlines_and_claim_review_urls_are_safe() {
    let (dir, config, db) = setup();
    seed_hostile(&db, 11, 21);
    let json: serde_json::Value =
        serde_json::from_str(&report(&config, &["--format", "json", "--output", "-"])).unwrap();
    let day = json["summary"]["per_day"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == DAY)
        .expect("the day is in per_day")
        .clone();
    assert_eq!(day["items"], 32, "{day}");
    assert_eq!(day["flagged"], 11, "{day}");
    for f in json["flagged"].as_array().unwrap() {
        let url = &f["claim_review"]["itemReviewed"]["appearance"]["url"];
        assert!(
            url.is_null() || url.as_str().unwrap().starts_with("https://"),
            "{url}"
        );
    }
    // Written to a file: the ClaimReview's url is the report's own address...
    report(&config, &["--format", "json"]);
    let written = dir.path().join("reports/2025-06-10.json");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&written).unwrap()).unwrap();
    let url = json["flagged"][0]["claim_review"]["url"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        url.starts_with("file:///") && url.ends_with("/reports/2025-06-10.json"),
        "{url}"
    );
    // ... or, with `[report] base_url`, where it is published.
    let text = std::fs::read_to_string(&config).unwrap().replace(
        "base_url = \"\"",
        "base_url = \"https://factcheck.example/reports/\"",
    );
    std::fs::write(&config, text).unwrap();
    report(&config, &["--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("reports/2025-06-10-2.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        json["flagged"][0]["claim_review"]["url"],
        "https://factcheck.example/reports/2025-06-10-2.json"
    );
}

#[test]
fn misleading_verdict_on_an_unflagged_headline_is_a_miss() {
    let (_dir, config, db) = setup();
    let ids = seed_hostile(&db, 1, 1);
    let out = hw(
        &config,
        &[
            "review",
            "mark",
            &ids[1].to_string(),
            "--label",
            "misleading",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("missed"), "{said}");
    assert!(!said.contains("flag confirmed"), "{said}");
    let json: serde_json::Value =
        serde_json::from_str(&report(&config, &["--format", "json", "--output", "-"])).unwrap();
    assert_eq!(json["summary"]["missed"], 1);
    assert_eq!(json["summary"]["confirmed"], 0);
    let missed = json["flagged"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["item_id"] == ids[1])
        .expect("listed with the flags");
    assert_eq!(missed["review"]["status"], "missed");
    let md = report(&config, &["--format", "md", "--output", "-"]);
    assert!(
        md.contains("review: missed (the model did not flag it)"),
        "{md}"
    );
}

#[test]
fn concurrent_reports_never_share_a_name_and_killed_writes_are_cleaned() {
    let (dir, config, db) = setup();
    seed_hostile(&db, 300, 0);
    let reports = dir.path().join("reports");
    std::fs::create_dir_all(&reports).unwrap();
    // A temporary file of a write killed earlier (no such process).
    let stale = reports.join("2025-06-09.md.tmp4000000000");
    std::fs::write(&stale, "half a report").unwrap();
    let children: Vec<_> = (0..6)
        .map(|_| {
            bin()
                .arg("--config")
                .arg(&config)
                .args(["report", "--since", DAY, "--until", "2025-06-10"])
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    let mut names: Vec<String> = std::fs::read_dir(&reports)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 6, "{names:?}");
    for n in &names {
        let text = std::fs::read_to_string(reports.join(n)).unwrap();
        assert!(
            text.contains("## Flagged headlines"),
            "{n} is a whole report"
        );
    }
    assert!(
        !stale.exists(),
        "the killed write's temporary file is removed"
    );
    let rows: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT COUNT(DISTINCT path) FROM reports", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 6);
}

#[test]
fn a_name_left_empty_by_a_killed_report_is_taken_again_and_a_held_one_is_not() {
    let (dir, config, db) = setup();
    seed_hostile(&db, 3, 0);
    let reports = dir.path().join("reports");
    std::fs::create_dir_all(&reports).unwrap();
    // A report killed after claiming its name and before writing leaves the empty placeholder.
    let first = reports.join("2025-06-10.md");
    std::fs::write(&first, "").unwrap();
    report(&config, &[]);
    let text = std::fs::read_to_string(&first).unwrap();
    assert!(text.contains("## Flagged headlines"), "{text}");
    assert!(!reports.join("2025-06-10-2.md").exists());
    // A placeholder whose report is still being written (its lock held) keeps its name.
    let held = reports.join("2025-06-10-2.md");
    let lock = std::fs::File::create(&held).unwrap();
    lock.lock().unwrap();
    report(&config, &[]);
    assert_eq!(
        std::fs::metadata(&held).unwrap().len(),
        0,
        "the held name is left alone"
    );
    let third = std::fs::read_to_string(reports.join("2025-06-10-3.md")).unwrap();
    assert!(third.contains("## Flagged headlines"));
    // A whole report is never taken: its name stays as written.
    assert_eq!(std::fs::read_to_string(&first).unwrap(), text);
    drop(lock);
}
