//! The report's follow-up sections on a seeded database (headlines written for this test): a claim
//! re-published by other outlets with small edits ("How the claim spread", ClaimReview `firstAppearance`
//! and `appearance`), a corrected headline (both wordings, time to correction) and the per-outlet
//! figures, in every format; and hostile text in the new sections stays inert.

mod report_support;

use headline_watch::domain::NewItem;
use headline_watch::report::{csv, html, json, markdown, ReportModel};
use headline_watch::store::Store;
use report_support::*;

const EN_FIRST: &str = "Russia introduces visa regime for Kazakhstan citizens from June 30";
const EN_COPY: &str = "Russia introduces a visa regime for Kazakhstan's citizens from 30 June";
const RU_FIRST: &str = "Россия вводит визовый режим для граждан Казахстана с 30 июня";
const RU_COPY: &str = "Срочно: Россия вводит визовый режим для граждан Казахстана с 30 июня";
const RU_CORRECTED: &str =
    "Россия с 30 июня вводит биометрию на границе: безвизовый режим сохраняется";
const HOSTILE: &str = "<script>alert(1)</script> [visas](javascript:x) =cmd|' /C calc'!A0";
const HOSTILE_COPY: &str = "<script>alert(1)</script> [visas](javascript:x) =cmd|' /C calc'!A0!";

fn seed(store: &mut Store) {
    let fetched = t("2025-06-10T06:00:00Z");
    let rows = [
        (
            "Alpha",
            "en",
            EN_FIRST,
            "https://alpha.example/1",
            "2025-06-09T06:00:00Z",
        ),
        (
            "Bravo",
            "en",
            EN_COPY,
            "https://bravo.example/1",
            "2025-06-09T08:00:00Z",
        ),
        (
            "Гамма",
            "ru",
            RU_FIRST,
            "https://gamma.example/1",
            "2025-06-09T07:00:00Z",
        ),
        (
            "Дельта",
            "ru",
            RU_COPY,
            "https://delta.example/1",
            "2025-06-09T09:00:00Z",
        ),
        (
            "Alpha",
            "en",
            HOSTILE,
            "javascript:alert(2)",
            "2025-06-09T10:00:00Z",
        ),
        (
            "<b>Evil</b>",
            "en",
            HOSTILE_COPY,
            "https://evil.example/1",
            "2025-06-09T11:00:00Z",
        ),
    ];
    let ids = seed_flagged(store, &rows, fetched);
    // Дельта corrects its headline a day after publication.
    let v = store
        .seed_version(ids[3], RU_CORRECTED, t("2025-06-10T09:00:00Z"))
        .unwrap();
    store
        .insert_version_classifications("m", &[(v, flag_cls(false))], fetched)
        .unwrap();
}

fn model() -> ReportModel {
    let mut store = Store::open_in_memory().unwrap();
    seed(&mut store);
    ReportModel::build(
        &store,
        &config(),
        t("2025-06-09T00:00:00Z"),
        t("2025-06-11T00:00:00Z"),
        t("2025-06-11T06:00:00Z"),
        None,
    )
    .unwrap()
}

#[test]
fn spread_groups_and_claim_review_appearances() {
    let m = model();
    let groups: Vec<Vec<&str>> = m
        .followup
        .spread
        .iter()
        .map(|g| g.all().map(|a| a.source.as_str()).collect())
        .collect();
    assert_eq!(
        groups,
        vec![
            vec!["Alpha", "Bravo"],
            vec!["Гамма", "Дельта"],
            vec!["Alpha", "<b>Evil</b>"]
        ]
    );
    // The corrected headline still spread the claim, in the wording it had.
    assert_eq!(m.followup.spread[1].repeats[0].title, RU_COPY);

    let v: serde_json::Value = serde_json::from_str(&json::render(&m)).unwrap();
    let bravo = v["flagged"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["title"] == EN_COPY)
        .unwrap();
    let claim = &bravo["claim_review"]["itemReviewed"];
    assert_eq!(claim["firstAppearance"]["url"], "https://alpha.example/1");
    assert_eq!(claim["firstAppearance"]["headline"], EN_FIRST);
    // `appearance` stays this headline (the object earlier reports gave); the group is in `spread`.
    assert_eq!(claim["appearance"]["url"], "https://bravo.example/1");
    assert_eq!(claim["appearance"]["headline"], EN_COPY);
    assert_eq!(v["spread"].as_array().unwrap().len(), 3);

    let md = markdown::render(&m);
    let h = html::render(&m).unwrap();
    for text in [&md, &h] {
        assert!(text.contains("How the claim spread"));
    }
    assert!(
        md.contains("First: **[Russia introduces visa regime"),
        "{md}"
    );
    assert!(md.contains("then Bravo"));
    assert!(h.contains("then Bravo"));
}

#[test]
fn a_corrected_headline_in_every_format() {
    let m = model();
    let c = &m.followup.corrections;
    assert_eq!(c.len(), 1);
    assert_eq!(
        (c[0].before.as_str(), c[0].after.as_str()),
        (RU_COPY, RU_CORRECTED)
    );
    assert_eq!(c[0].hours_to_correction, Some(24.0));
    let delta = m
        .followup
        .outlets
        .iter()
        .find(|o| o.outlet == "Дельта")
        .unwrap();
    assert_eq!((delta.flagged, delta.corrected), (1, 1));
    assert_eq!(delta.median_hours_to_correction, Some(24.0));
    assert!(
        !m.flagged.iter().any(|e| e.title == RU_CORRECTED),
        "a corrected headline is no longer flagged"
    );

    let v: serde_json::Value = serde_json::from_str(&json::render(&m)).unwrap();
    let j = &v["corrections"][0];
    assert_eq!(j["status"], "corrected");
    assert_eq!(j["before"], RU_COPY);
    assert_eq!(j["after"], RU_CORRECTED);
    assert_eq!(j["source"], "Дельта");
    assert_eq!(j["url"], "https://delta.example/1");
    assert_eq!(j["changed_at"], "2025-06-10T09:00:00Z");
    assert_eq!(v["corrections_by_outlet"].as_array().unwrap().len(), 5);

    let md = markdown::render(&m);
    assert!(md.contains("**corrected** · Дельта"), "{md}");
    assert!(md.contains("corrected after 24.0 h"));
    assert!(md.contains("| Дельта | 1 | 1 | 0 | 0 | 24.0 h |"), "{md}");
    let h = html::render(&m).unwrap();
    assert!(h.contains(RU_COPY) && h.contains(RU_CORRECTED));
    assert!(h.contains("<td>Дельта</td><td class=\"n\">1</td><td class=\"n\">1</td>"));
    let csv = csv::render(&m);
    let row = csv
        .lines()
        .find(|l| l.contains(RU_CORRECTED))
        .expect("a CSV row for the corrected headline");
    assert!(row.contains(",corrected,2025-06-10T09:00:00Z,"), "{row}");
    assert!(
        row.contains(RU_COPY),
        "the title history holds the flagged wording: {row}"
    );
}

#[test]
fn hostile_text_in_the_follow_up_sections_is_inert() {
    let m = model();
    let h = html::render(&m).unwrap();
    assert!(!h.contains("<script"), "raw script tag");
    assert!(!h.contains("<b>Evil"), "raw outlet markup");
    assert!(!h.contains("href=\"javascript"));
    let md = markdown::render(&m);
    let spread = &md[md.find("## How the claim spread").unwrap()..];
    assert!(
        !spread.contains("<script") && !spread.contains("<b>"),
        "{spread}"
    );
    assert!(!spread.contains("](javascript"), "{spread}");
}

#[test]
fn claim_review_of_the_twelfth_repeat_names_itself_and_the_first_appearance() {
    let mut store = Store::open_in_memory().unwrap();
    let fetched = t("2025-06-10T06:00:00Z");
    let mut batch = Vec::new();
    for i in 0..12 {
        let url = format!("https://outlet{i}.example/1");
        let id = store
            .seed_item(
                &format!("Outlet {i:02}"),
                Some("en"),
                &NewItem {
                    title: EN_FIRST.into(),
                    url: Some(url.clone()),
                    canonical_url: Some(url),
                    guid: None,
                    summary: None,
                    published_at: t(&format!("2025-06-09T{i:02}:00:00Z")),
                    published_estimated: false,
                    lang: Some("en".into()),
                },
                fetched,
            )
            .unwrap();
        batch.push((id, flag_cls(true)));
    }
    store.insert_classifications("m", &batch, fetched).unwrap();
    let m = ReportModel::build(
        &store,
        &config(),
        t("2025-06-09T00:00:00Z"),
        t("2025-06-11T00:00:00Z"),
        t("2025-06-11T06:00:00Z"),
        None,
    )
    .unwrap();
    assert_eq!(m.followup.spread.len(), 1);
    assert_eq!(m.followup.spread[0].repeats.len(), 11);
    let v: serde_json::Value = serde_json::from_str(&json::render(&m)).unwrap();
    let last = v["flagged"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["url"] == "https://outlet11.example/1")
        .unwrap();
    assert_eq!(
        last["claim_review"]["itemReviewed"]["appearance"]["url"],
        "https://outlet11.example/1"
    );
    assert_eq!(
        last["claim_review"]["itemReviewed"]["firstAppearance"]["url"],
        "https://outlet0.example/1"
    );
}
