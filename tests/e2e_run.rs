//! End to end: the real binary's `run` against a loopback server with feeds in English, Russian and
//! Kazakh (RSS and Atom) holding misleading, accurate, rebuttal and unrelated headlines written for this
//! test; then the database, the report in every format, and a second run that adds nothing. And a run
//! with no network: every source fails, the run exits 2, and the report says which sources failed.

mod report_support;

use headline_watch::store::Store;
use report_support::*;

const MISLEADING: &[&str] = &[
    "Russia introduces visa regime for Kazakhstan citizens from June 30",
    "Россия вводит визовый режим для граждан Казахстана с 30 июня",
    "Ресей Қазақстан азаматтары үшін визалық режим енгізеді",
];
const NOT_FLAGGED: &[&str] = &[
    "Foreigners entering Russia must give fingerprints and a face photo from June 30",
    "МИД Казахстана: безвизовый режим с Россией сохранится",
    "Astana hosts regional football final on Saturday",
    "Шымкентте жаңа мектеп ашылды",
];

fn sources(base: &str) -> String {
    format!(
        "[[sources]]\nname = \"Loopback Post\"\nurl = \"{base}/en.xml\"\nlang = \"en\"\n\n\
         [[sources]]\nname = \"Петля-Новости\"\nurl = \"{base}/ru.xml\"\nlang = \"ru\"\n\n\
         [[sources]]\nname = \"Тұзақ Ақпарат\"\nurl = \"{base}/kk.xml\"\nlang = \"kk\"\n"
    )
}

#[test]
fn run_crawls_classifies_reports_and_a_second_run_adds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let base = serve(manifest_dir().join("tests/fixtures/report/e2e"));
    let model = manifest_dir().join("models/visa-regime.json");
    let config = write_config(dir.path(), &model, &sources(&base));
    let db = dir.path().join("db.sqlite");

    let out = hw(&config, &["run"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let store = Store::open(&db).unwrap();
    let items = store.item_count().unwrap();
    assert_eq!(items, 15, "five headlines per feed");
    assert_eq!(store.classification_count().unwrap(), items);
    assert_eq!(
        std::fs::read_dir(dir.path().join("reports"))
            .unwrap()
            .count(),
        1
    );

    for format in ["md", "html", "json", "csv"] {
        let text = report_stdout(&config, format);
        for m in MISLEADING {
            assert!(text.contains(m), "{format} lists {m}");
        }
        if format != "csv" {
            assert!(
                text.contains("Smadiyarov"),
                "{format} cites the official position"
            );
        }
    }
    let v: serde_json::Value = serde_json::from_str(&report_stdout(&config, "json")).unwrap();
    let flagged: Vec<&str> = v["flagged"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["title"].as_str().unwrap())
        .collect();
    for n in NOT_FLAGGED {
        assert!(!flagged.contains(n), "{n} is not flagged");
    }
    assert_eq!(v["summary"]["sources_crawled"], 3);

    let out = hw(&config, &["run"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        store.item_count().unwrap(),
        items,
        "second run adds no item"
    );
    assert_eq!(
        store.classification_count().unwrap(),
        items,
        "nor a classification"
    );
}

#[test]
fn run_without_network_records_failures_and_still_reports() {
    let dir = tempfile::tempdir().unwrap();
    let base = format!("http://127.0.0.1:{}", closed_port());
    let model = manifest_dir().join("models/visa-regime.json");
    let config = write_config(dir.path(), &model, &sources(&base));
    let out = hw(&config, &["run"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let reports: Vec<_> = std::fs::read_dir(dir.path().join("reports"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(reports.len(), 1);
    let md = std::fs::read_to_string(&reports[0]).unwrap();
    assert!(md.contains("Sources that failed"), "{md}");
    assert!(
        md.contains("Loopback Post") && md.contains("Петля-Новости"),
        "{md}"
    );
    assert!(md.contains("Nothing was flagged in this period."));
}

#[test]
fn loopback_server_serves_the_fixture_feeds() {
    use std::io::{Read, Write};
    let base = serve(manifest_dir().join("tests/fixtures/report/e2e"));
    let addr = base.trim_start_matches("http://");
    for (path, expect) in [("/kk.xml", "200 OK"), ("/nope.xml", "404")] {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        write!(s, "GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut resp = String::new();
        s.read_to_string(&mut resp).unwrap();
        assert!(resp.starts_with(&format!("HTTP/1.1 {expect}")), "{resp}");
    }
}
