//! Golden files of every report format (`tests/fixtures/report/golden.*`), compared after filtering the
//! volatile fields (generation and fetch times). `UPDATE_GOLDEN=1 cargo test --test report_golden`
//! rewrites them; review the diff before committing.

mod report_support;

use headline_watch::report::{csv, html, json, markdown};
use headline_watch::store::Store;
use regex::Regex;
use report_support::*;

fn filter(s: &str) -> String {
    let re = Regex::new(
        r#"(?m)(generated_at|fetched_at|"generated_at"|Generated|generated|fetched)(["\s:]*)\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"#,
    )
    .unwrap();
    let s = re.replace_all(s, "${1}${2}{TIME}");
    // The HTML report shows times as `<time datetime="ISO">9 Jun 2025, 08:30 UTC</time>`.
    let html = Regex::new(
        r#"(generated|fetched) <time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ">[^<]*</time>"#,
    )
    .unwrap();
    html.replace_all(&s, r#"${1} <time datetime="{TIME}">{TIME}</time>"#)
        .into_owned()
}

fn check(name: &str, actual: &str) {
    let path = manifest_dir().join("tests/fixtures/report").join(name);
    let actual = filter(actual);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with UPDATE_GOLDEN=1 to create)",
            path.display()
        )
    });
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "{name} differs from the golden file at line {}:\n  expected: {:?}\n  actual:   {:?}\n(UPDATE_GOLDEN=1 regenerates)",
            line + 1,
            expected.lines().nth(line),
            actual.lines().nth(line)
        );
    }
}

#[test]
fn every_format_matches_its_golden_file() {
    let mut store = Store::open_in_memory().unwrap();
    seed(&mut store);
    let m = seeded_model(&store);
    check("golden.md", &markdown::render(&m));
    check("golden.html", &html::render(&m).unwrap());
    check("golden.json", &json::render(&m));
    check("golden.csv", &csv::render(&m));
}

#[test]
fn seeded_report_content() {
    let mut store = Store::open_in_memory().unwrap();
    let ids = seed(&mut store);
    let m = seeded_model(&store);
    // Most probable first; the reviewer-rejected flag last.
    let order: Vec<i64> = m.flagged.iter().map(|e| e.item_id).collect();
    assert_eq!(order, vec![ids[0], ids[1], ids[2], ids[6]]);
    assert_eq!(m.summary.items_flagged, 3);
    assert_eq!(m.summary.confirmed, 1);
    assert_eq!(m.summary.corrected, 1);
    assert_eq!(m.summary.unreviewed, 2);
    assert_eq!(m.rebuttals.len(), 1);
    assert_eq!(m.summary.items_seen, 7);
    assert_eq!(m.summary.sources_crawled, 3);
    assert_eq!(m.failed_sources.len(), 1);
    assert_eq!(m.per_day.len(), 2);
    assert_eq!(m.per_day[0].flagged, 2);
    let md = markdown::render(&m);
    assert!(md.contains("We have a visa-free regime with the Russian Federation"));
    assert!(md.contains("Sources differ:"));
    assert!(md.contains("connection refused"));
    let v: serde_json::Value = serde_json::from_str(&json::render(&m)).unwrap();
    let cr = &v["flagged"][0]["claim_review"];
    assert_eq!(cr["@type"], "ClaimReview");
    assert_eq!(cr["itemReviewed"]["@type"], "Claim");
    assert_eq!(
        cr["itemReviewed"]["appearance"]["url"],
        "https://times.example/a1"
    );
    assert_eq!(cr["reviewRating"]["alternateName"], "Misleading");
    assert!(cr["reviewRating"]["ratingExplanation"]
        .as_str()
        .unwrap()
        .contains("Aibek Smadiyarov"));
    assert_eq!(v["flagged"][0]["review"]["status"], "confirmed");
    assert_eq!(v["positions"][0]["speaker"], "Aibek Smadiyarov");
    assert_eq!(v["summary"]["sources_failed"], 1);
}

#[test]
fn a_day_with_nothing_flagged_says_so() {
    let mut store = Store::open_in_memory().unwrap();
    seed(&mut store);
    let m = headline_watch::report::ReportModel::build(
        &store,
        &config(),
        t("2025-07-01T00:00:00Z"),
        t("2025-07-02T00:00:00Z"),
        t("2025-07-02T06:00:00Z"),
        None,
    )
    .unwrap();
    assert!(markdown::render(&m).contains("Nothing was flagged in this period."));
    assert!(html::render(&m)
        .unwrap()
        .contains("Nothing was flagged in this period."));
    let v: serde_json::Value = serde_json::from_str(&json::render(&m)).unwrap();
    assert_eq!(v["flagged"].as_array().unwrap().len(), 0);
    assert_eq!(csv::render(&m).lines().count(), 1, "header only");
}
