//! Edited headlines end to end: the real binary's `run` against a loopback feed whose titles change
//! between runs. One flagged headline is corrected (reworded, no longer misleading), one edited (reworded,
//! still misleading), one stays as it was, two unrelated headlines stay, and one flagged headline vanishes
//! from the feed while older ones stay (noted as disappeared, never as a correction). Checked in the
//! store and in every report format; then a run that re-reads the same titles adds nothing.
//! Headlines written for this test.

mod crawl_support;
mod report_support;

use crawl_support::{Response, Server};
use report_support::{hw, manifest_dir, report_stdout, stderr, write_config};
use std::sync::{Arc, Mutex};

const CORRECTED_BEFORE: &str = "Russia introduces visa regime for Kazakhstan citizens from June 30";
const CORRECTED_AFTER: &str =
    "Foreigners entering Russia must give fingerprints and a face photo from June 30";
const EDITED_BEFORE: &str = "Казахстанцам понадобятся визы для въезда в Россию";
const EDITED_AFTER: &str = "Казахстанцам понадобятся визы для въезда в Россию уже с 30 июня";
const UNCHANGED: &str = "Россия вводит визовый режим для граждан Казахстана с 30 июня";
const UNRELATED: &str = "В Алматы открылся новый парк";
const VANISHES: &str = "Ресей Қазақстан азаматтары үшін визалық режим енгізеді";
const OLDEST: &str = "Шымкентте жаңа мектеп ашылды";

/// An RSS feed of (guid, title, hour of 9 June 2025) with a description that lets a test change the
/// body without changing any title.
fn feed(items: &[(&str, &str, u32)], description: &str) -> String {
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>Loopback</title>\
         <link>http://loopback.test/</link><description>{description}</description>\n"
    );
    for (guid, title, hour) in items {
        s.push_str(&format!(
            "<item><title>{title}</title><link>http://loopback.test/{guid}</link><guid>{guid}</guid>\
             <pubDate>Mon, 09 Jun 2025 {hour:02}:00:00 GMT</pubDate></item>\n"
        ));
    }
    s.push_str("</channel></rss>\n");
    s
}

fn count(db: &rusqlite::Connection, sql: &str) -> i64 {
    db.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn corrected_edited_unchanged_and_vanished_headlines_through_run_and_every_report() {
    let body = Arc::new(Mutex::new(feed(
        &[
            ("c", UNCHANGED, 11),
            ("b", EDITED_BEFORE, 10),
            ("a", CORRECTED_BEFORE, 9),
            ("e", VANISHES, 8),
            ("d", UNRELATED, 7),
            ("f", OLDEST, 6),
        ],
        "first",
    )));
    let served = body.clone();
    let server = Server::start(move |_| Response::xml(served.lock().unwrap().clone()));
    let dir = tempfile::tempdir().unwrap();
    let model = manifest_dir().join("models/visa-regime.json");
    let sources = format!(
        "[[sources]]\nname = \"Loopback Daily\"\nurl = \"{}\"\n",
        server.url("/rss.xml")
    );
    let config = write_config(dir.path(), &model, &sources);
    let out = hw(&config, &["run"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    // The outlet corrects one headline, edits another, drops a third.
    *body.lock().unwrap() = feed(
        &[
            ("c", UNCHANGED, 11),
            ("b", EDITED_AFTER, 10),
            ("a", CORRECTED_AFTER, 9),
            ("d", UNRELATED, 7),
            ("f", OLDEST, 6),
        ],
        "second",
    );
    let out = hw(&config, &["run"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let db = rusqlite::Connection::open(dir.path().join("db.sqlite")).unwrap();
    assert_eq!(count(&db, "SELECT COUNT(*) FROM items"), 6);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM title_versions"), 8);
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM classifications"),
        8,
        "every wording classified once"
    );
    let titles = |guid: &str| -> Vec<String> {
        let mut st = db
            .prepare(
                "SELECT v.title FROM title_versions v JOIN items i ON i.id = v.item_id
                 WHERE i.guid = ?1 ORDER BY v.version",
            )
            .unwrap();
        st.query_map([guid], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    };
    assert_eq!(titles("a"), vec![CORRECTED_BEFORE, CORRECTED_AFTER]);
    assert_eq!(titles("b"), vec![EDITED_BEFORE, EDITED_AFTER]);
    assert_eq!(titles("c"), vec![UNCHANGED]);
    assert_eq!(titles("d"), vec![UNRELATED]);
    let current: String = db
        .query_row("SELECT title FROM items WHERE guid = 'a'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        current, CORRECTED_AFTER,
        "the item's title is the latest wording"
    );
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM items WHERE gone_at IS NOT NULL"),
        1
    );
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM items WHERE guid = 'e' AND gone_at IS NOT NULL"
        ),
        1,
        "the newer flagged headline vanished while older ones stayed"
    );

    let v: serde_json::Value = serde_json::from_str(&report_stdout(&config, "json")).unwrap();
    let corrections = v["corrections"].as_array().unwrap();
    assert_eq!(corrections.len(), 2, "{corrections:#?}");
    let by_before = |t: &str| {
        corrections
            .iter()
            .find(|c| c["before"] == t)
            .unwrap_or_else(|| panic!("no correction of {t}"))
    };
    let a = by_before(CORRECTED_BEFORE);
    assert_eq!(a["status"], "corrected");
    assert_eq!(a["after"], CORRECTED_AFTER);
    assert_eq!(a["source"], "Loopback Daily");
    assert_eq!(a["url"], "http://loopback.test/a");
    assert!(a["changed_at"].as_str().unwrap() > "2026-01-01");
    assert!(a["hours_to_correction"].as_f64().unwrap() > 0.0);
    assert_eq!(a["versions"].as_array().unwrap().len(), 2);
    let b = by_before(EDITED_BEFORE);
    assert_eq!(b["status"], "edited");
    assert_eq!(b["after"], EDITED_AFTER);
    let flagged: Vec<&str> = v["flagged"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["title"].as_str().unwrap())
        .collect();
    assert!(flagged.contains(&EDITED_AFTER) && flagged.contains(&UNCHANGED));
    assert!(!flagged.contains(&CORRECTED_AFTER) && !flagged.contains(&CORRECTED_BEFORE));
    let edited = v["flagged"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["title"] == EDITED_AFTER)
        .unwrap();
    assert_eq!(
        edited["versions"][0]["title"], EDITED_BEFORE,
        "title history"
    );
    assert_eq!(v["disappeared"][0]["title"], VANISHES);
    let outlet = &v["corrections_by_outlet"][0];
    assert_eq!(outlet["outlet"], "Loopback Daily");
    assert_eq!(
        (
            &outlet["flagged"],
            &outlet["corrected"],
            &outlet["edited"],
            &outlet["disappeared"]
        ),
        (
            &serde_json::json!(4),
            &serde_json::json!(1),
            &serde_json::json!(1),
            &serde_json::json!(1)
        )
    );

    for format in ["md", "html", "csv"] {
        let text = report_stdout(&config, format);
        for t in [
            CORRECTED_BEFORE,
            CORRECTED_AFTER,
            EDITED_BEFORE,
            EDITED_AFTER,
        ] {
            assert!(text.contains(t), "{format} shows {t}");
        }
        assert!(
            text.contains("corrected") && text.contains("edited"),
            "{format}"
        );
        if format != "csv" {
            assert!(text.contains("Corrections and edits"), "{format}");
            assert!(
                text.contains(VANISHES) && text.contains("disappeared"),
                "{format}"
            );
        }
    }

    // The same titles again in a changed body (so the feed is parsed): nothing is added.
    *body.lock().unwrap() = feed(
        &[
            ("c", UNCHANGED, 11),
            ("b", EDITED_AFTER, 10),
            ("a", CORRECTED_AFTER, 9),
            ("d", UNRELATED, 7),
            ("f", OLDEST, 6),
        ],
        "third",
    );
    let out = hw(&config, &["run"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(count(&db, "SELECT COUNT(*) FROM items"), 6);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM title_versions"), 8);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM classifications"), 8);
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM fetches WHERE outcome = 'ok'"),
        3,
        "the third body was parsed, not skipped as unchanged"
    );
}

/// A page source (no dates): a flagged headline whose own URL starts answering 410 is noted as gone on
/// the next run, and reported as disappeared, not as a correction; one whose URL still answers 200 is not.
#[test]
fn a_flagged_page_headline_whose_url_answers_410_is_noted_as_gone() {
    let taken_down = Arc::new(Mutex::new(false));
    let down = taken_down.clone();
    let server = Server::start(move |req| match req.path.as_str() {
        "/news" => Response::bytes(
            200,
            "text/html; charset=utf-8",
            format!(
                "<html><body><a class=\"h\" href=\"/story/1\">{UNCHANGED}</a>\
                 <a class=\"h\" href=\"/story/2\">{EDITED_BEFORE}</a>\
                 <a class=\"h\" href=\"/story/3\">{UNRELATED}</a></body></html>"
            ),
        ),
        "/story/1" if *down.lock().unwrap() => Response::status(410),
        "/story/1" | "/story/2" | "/story/3" => {
            Response::bytes(200, "text/html", "<html><body>story</body></html>")
        }
        _ => Response::status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let model = manifest_dir().join("models/visa-regime.json");
    let sources = format!(
        "[[sources]]\nname = \"Loopback Page\"\nurl = \"{}\"\nkind = \"page\"\nselector = \"a.h\"\nlang = \"ru\"\n",
        server.url("/news")
    );
    let config = write_config(dir.path(), &model, &sources);
    let out = hw(&config, &["run"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let db = rusqlite::Connection::open(dir.path().join("db.sqlite")).unwrap();
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM items WHERE gone_at IS NOT NULL"),
        0
    );
    assert!(
        server.hits("/story/1") >= 1,
        "flagged page headlines are checked"
    );
    assert_eq!(server.hits("/story/3"), 0, "unflagged ones are not");

    *taken_down.lock().unwrap() = true;
    let out = hw(&config, &["run"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let gone: Vec<String> = db
        .prepare("SELECT title FROM items WHERE gone_at IS NOT NULL")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(gone, vec![UNCHANGED.to_string()]);
    let v: serde_json::Value = serde_json::from_str(&report_stdout(&config, "json")).unwrap();
    assert_eq!(v["disappeared"][0]["title"], UNCHANGED);
    assert_eq!(
        v["corrections"].as_array().unwrap().len(),
        0,
        "not a correction"
    );
    // The page still links to it: the next run keeps it noted as gone.
    let out = hw(&config, &["run"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM items WHERE gone_at IS NOT NULL"),
        1
    );
}
