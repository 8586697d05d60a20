//! A `kill -9` in the middle of a crawl leaves a database that passes `PRAGMA integrity_check`, and the
//! next crawl completes and stores everything.

mod crawl_support;

use crawl_support::*;
use std::time::Duration;

const SOURCES: usize = 40;
const ITEMS: usize = 20;

#[test]
fn kill_9_mid_crawl_then_clean_run() {
    let server = Server::start(|req| {
        let base = format!("https://kill.example{}", req.path);
        Response::xml(rss(&req.path, &base, ITEMS, "")).delayed(Duration::from_millis(60))
    });
    let names: Vec<(String, String)> = (0..SOURCES)
        .map(|i| (format!("s{i:02}"), server.url(&format!("/f{i}"))))
        .collect();
    let refs: Vec<(&str, &str, &str)> = names
        .iter()
        .map(|(n, u)| (n.as_str(), u.as_str(), ""))
        .collect();
    let s = setup(&refs, "concurrency = 2\nper_host_concurrency = 2\n");

    let mut child = bin()
        .arg("--config")
        .arg(&s.config)
        .arg("crawl")
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    // Wait until some sources are stored, then SIGKILL (std's kill sends SIGKILL on Unix).
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        std::thread::sleep(Duration::from_millis(50));
        let stored = s.db.exists()
            && rusqlite::Connection::open(&s.db)
                .and_then(|c| {
                    c.query_row("SELECT count(*) FROM fetches", [], |r| r.get::<_, i64>(0))
                })
                .unwrap_or(0)
                > 2;
        if stored || std::time::Instant::now() > deadline {
            break;
        }
    }
    child.kill().expect("kill -9");
    let status = child.wait().expect("wait");
    assert!(
        !status.success(),
        "the crawl finished before it could be killed; slow the server down"
    );

    let conn = db(&s.db);
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let partial = count(&conn, "SELECT count(*) FROM fetches");
    assert!(
        partial < SOURCES as i64,
        "{partial} fetches before the kill"
    );
    // Each stored fetch came with all of its items (one transaction per source).
    assert_eq!(
        count(&conn, "SELECT count(*) FROM items"),
        partial * ITEMS as i64
    );
    drop(conn);

    let r = crawl(&s, &[]);
    assert!(r.code == 0 || r.code == 2, "{}", r.stderr);
    let conn = db(&s.db);
    assert_eq!(
        count(&conn, "SELECT count(*) FROM items"),
        (SOURCES * ITEMS) as i64
    );
    assert_eq!(
        count(
            &conn,
            "SELECT count(DISTINCT source_id) FROM fetches WHERE outcome IN ('ok', 'unchanged')"
        ),
        SOURCES as i64
    );
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
}
