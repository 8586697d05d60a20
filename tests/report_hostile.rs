//! Hostile headline text must come out inert in every format: a `<script>` tag, an HTML attribute
//! injection, Markdown link/image syntax, a formula, and a `javascript:` link.

mod report_support;

use headline_watch::domain::{Classification, Label, NewItem};
use headline_watch::report::{csv, html, json, markdown, ReportModel};
use headline_watch::store::Store;
use report_support::*;

const SCRIPT: &str = "<script>alert('x')</script> Russia brings in visas";
const ATTR: &str = "\"><img src=x onerror=alert(1)> visas for Kazakhs";
const MDLINK: &str = "[Visas for Kazakhs](javascript:alert(1)) ![img](https://evil.example/x.png)";
const FORMULA: &str = "=HYPERLINK(\"https://evil.example\",\"visa regime\")";
const PLUS: &str = "+7 visas -1 @SUM(A1)";

fn hostile_model() -> ReportModel {
    let mut store = Store::open_in_memory().unwrap();
    let fetched = t("2025-06-10T06:00:00Z");
    let titles = [
        (SCRIPT, "https://ok.example/1"),
        (ATTR, "javascript:alert(document.cookie)"),
        (MDLINK, "https://ok.example/3?a=(b)"),
        (FORMULA, "https://ok.example/4"),
        (PLUS, "data:text/html,<script>alert(1)</script>"),
    ];
    let mut batch = Vec::new();
    for (i, (title, url)) in titles.iter().enumerate() {
        let id = store
            .seed_item(
                "<b>Outlet</b> =cmd|' /C calc'!A0",
                Some("en"),
                &NewItem {
                    title: title.to_string(),
                    url: Some(url.to_string()),
                    canonical_url: Some(format!("x{i}")),
                    guid: None,
                    summary: None,
                    published_at: t("2025-06-09T08:00:00Z"),
                    published_estimated: false,
                    lang: Some("en".into()),
                },
                fetched,
            )
            .unwrap();
        batch.push((
            id,
            Classification {
                label: Label::Misleading,
                scores: [0.9, 0.05, 0.03, 0.02],
                flagged: true,
                reasons: vec!["<i>reason</i>".into()],
            },
        ));
    }
    store.insert_classifications("m", &batch, fetched).unwrap();
    ReportModel::build(
        &store,
        &config(),
        t("2025-06-09T00:00:00Z"),
        t("2025-06-11T00:00:00Z"),
        fetched,
        None,
    )
    .unwrap()
}

#[test]
fn html_is_inert() {
    let h = html::render(&hostile_model()).unwrap();
    assert!(!h.contains("<script"), "raw script tag");
    assert!(!h.contains("<img"), "raw img tag");
    assert!(!h.contains("<b>Outlet"), "raw outlet markup");
    assert!(!h.contains("<i>reason"), "raw reason markup");
    assert!(!h.contains("href=\"javascript"), "javascript link");
    assert!(!h.contains("href=\"data:"), "data link");
    assert!(h.contains("&lt;script&gt;"));
    assert!(h.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    // The only URLs in href are http(s), besides the report's own in-page anchors (`#position`).
    for part in h.split("href=\"").skip(1) {
        let part = part.replace("&#x2f;", "/");
        assert!(
            part.starts_with("http://") || part.starts_with("https://") || part.starts_with('#'),
            "{}",
            &part[..40.min(part.len())]
        );
    }
    // Self-contained: no external resources.
    assert!(!h.contains("<link"));
    assert!(!h.contains("src=\"http"));
}

#[test]
fn markdown_is_inert() {
    let md = markdown::render(&hostile_model());
    assert!(!md.contains("<script"));
    assert!(!md.contains("<img"));
    assert!(!md.contains("<b>"));
    assert!(!md.contains("](javascript"));
    assert!(!md.contains("](data:"));
    assert!(md.contains("\\[Visas for Kazakhs\\]\\(javascript:alert\\(1\\)\\)"));
    assert!(md.contains("\\!\\[img\\]"));
    // A javascript: link is shown as code text, never as a link target.
    // (`.` inside a word is escaped too, so GFM cannot autolink `document.cookie` as a domain.)
    assert!(md.contains("not linked): javascript:alert\\(document\\.cookie\\)"));
}

#[test]
fn csv_neutralises_formulas() {
    let c = csv::render(&hostile_model());
    assert!(c.starts_with('\u{feff}'));
    assert!(c.contains("\"'=HYPERLINK(\"\"https://evil.example\"\",\"\"visa regime\"\")\""));
    assert!(c.contains(",'+7 visas -1 @SUM(A1),"));
    assert!(c.contains(",\"'=cmd|' /C calc'!A0\"") || c.contains("<b>Outlet</b> =cmd"));
    for line in c.lines().skip(1) {
        for cell in line.split(',') {
            let cell = cell.trim_start_matches('"');
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "live formula cell {cell:?} in {line}"
            );
        }
    }
}

#[test]
fn json_keeps_titles_as_plain_strings() {
    let m = hostile_model();
    let v: serde_json::Value = serde_json::from_str(&json::render(&m)).unwrap();
    let titles: Vec<&str> = v["flagged"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["title"].as_str().unwrap())
        .collect();
    for t in [SCRIPT, ATTR, MDLINK, FORMULA, PLUS] {
        assert!(titles.contains(&t), "{t} round-trips exactly");
    }
    // `appearance` is this headline, exactly as published.
    let own = v["flagged"][0]["title"].as_str().unwrap();
    assert_eq!(
        v["flagged"][0]["claim_review"]["itemReviewed"]["appearance"]["headline"].as_str(),
        Some(own)
    );
}
