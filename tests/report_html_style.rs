//! The HTML report as a reader sees it (issue 12's review of the 1280 px and 390 px screenshots):
//! numbers right-aligned under right-aligned headers, chart labels large enough to read, rebuttals not in
//! the misleading red, `lang` on every title, human-readable times, and the official position reachable
//! from the top of the page.

mod report_support;

use headline_watch::report::html;
use headline_watch::store::Store;
use report_support::*;

fn rendered() -> String {
    let mut store = Store::open_in_memory().unwrap();
    seed(&mut store);
    html::render(&seeded_model(&store)).unwrap()
}

#[test]
fn numbers_and_their_headers_align_right() {
    let h = rendered();
    assert!(h.contains(
        "<th scope=\"col\">Outlet</th><th scope=\"col\" class=\"n\">Headlines</th><th scope=\"col\" class=\"n\">Flagged</th>"
    ));
    assert!(h.contains("th.n, td.n { text-align:right;"));
    // Every table, the follow-up sections' too: a right-aligned number column has a right-aligned header.
    let doc = scraper::Html::parse_document(&h);
    let table = scraper::Selector::parse("table").unwrap();
    let th = scraper::Selector::parse("thead th").unwrap();
    let row = scraper::Selector::parse("tbody tr").unwrap();
    let td = scraper::Selector::parse("td, th").unwrap();
    let mut checked = 0;
    for t in doc.select(&table) {
        let heads: Vec<bool> = t
            .select(&th)
            .map(|e| {
                e.value()
                    .has_class("n", scraper::CaseSensitivity::CaseSensitive)
            })
            .collect();
        for r in t.select(&row) {
            for (i, cell) in r.select(&td).enumerate() {
                if cell
                    .value()
                    .has_class("n", scraper::CaseSensitivity::CaseSensitive)
                {
                    assert_eq!(
                        heads.get(i),
                        Some(&true),
                        "column {i} of a table: {}",
                        t.html()
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(
        checked > 10,
        "the seeded report has number columns ({checked})"
    );
}

#[test]
fn chart_labels_are_readable() {
    let h = rendered();
    // 15 SVG units: about 12 px even when a 390 px phone scales the chart down to its width.
    assert!(h.contains(".chart { width:100%; max-width:36rem; height:auto; font:15px"));
    assert!(!h.contains("font:11px"));
}

#[test]
fn rebuttals_are_not_red() {
    let h = rendered();
    let rebuttals = &h[h.find("id=\"rebuttals\"").unwrap()..];
    assert!(rebuttals.contains("<span class=\"score rebuttal\">rebuttal"));
    assert!(
        h.contains(".score.misleading { color:var(--flag); } .score.rebuttal { color:var(--ok); }")
    );
    assert!(h.contains(".score { font-weight:600; color:var(--muted); }"));
}

#[test]
fn titles_carry_their_language() {
    let h = rendered();
    assert!(h.contains("<div class=\"title\" lang=\"ru\">"));
    assert!(h.contains("<div class=\"title\" lang=\"kk\">"));
    assert!(h.contains("<div class=\"title\" lang=\"en\">"));
}

#[test]
fn times_are_for_people() {
    let h = rendered();
    assert!(h.contains(
        "published <time datetime=\"2025-06-09T07:00:00Z\">9 Jun 2025, 07:00 UTC</time>"
    ));
    assert!(
        h.contains("Period <time datetime=\"2025-06-09T00:00:00Z\">9 Jun 2025, 00:00 UTC</time>")
    );
}

#[test]
fn the_official_position_is_reachable_from_the_top() {
    let h = rendered();
    let summary = h.find("id=\"summary\"").unwrap();
    let link = h.find("href=\"#position\"").unwrap();
    let lead = h.find("<strong>Official position:</strong>").unwrap();
    assert!(
        link < summary && lead < summary,
        "link and lead come before the summary"
    );
    assert!(h[lead..summary].contains("Aibek Smadiyarov"));
    assert!(h.contains("<h2 id=\"position\">The official position</h2>"));
    assert!(h.contains("<h3 id=\"facts\">The facts</h3>"));
}
