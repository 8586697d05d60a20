//! The database and its lock as cron meets them: a symlinked `--db` takes the same run lock as the real
//! path; a database from a newer version is refused before anything in it changes; a killed run's row
//! is marked `interrupted` by the next run instead of looking like it is still going.

mod crawl_support;

use crawl_support::*;
use std::fs::File;
use std::time::{Duration, Instant};

fn hw(args: &[&str], cwd: &std::path::Path) -> std::process::Output {
    bin()
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("run binary")
}

#[cfg(unix)]
#[test]
fn a_symlinked_db_takes_the_real_databases_lock() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.sqlite");
    headline_watch::store::Store::open(&real).unwrap();
    let link = dir.path().join("link.sqlite");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let lock = File::create(format!("{}.lock", real.display())).unwrap();
    lock.try_lock().unwrap();
    let model = concat!(env!("CARGO_MANIFEST_DIR"), "/models/visa-regime.json");
    std::fs::write(
        dir.path().join("config.toml"),
        format!("[narrative]\nmodel = {model:?}\n"),
    )
    .unwrap();
    let start = Instant::now();
    let out = hw(&["--db", "link.sqlite", "run"], dir.path());
    assert!(start.elapsed() < Duration::from_secs(10));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("another headline-watch run is in progress"),
        "{err}"
    );
    assert!(err.contains("real.sqlite.lock"), "{err}");
}

#[test]
fn a_newer_database_is_refused_before_anything_changes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.sqlite");
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch("CREATE TABLE t (x); PRAGMA user_version = 99;")
            .unwrap();
    }
    let out = hw(&["--db", "future.sqlite", "crawl"], dir.path());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("newer") && err.contains("future.sqlite"),
        "{err}"
    );
    let c = rusqlite::Connection::open(&path).unwrap();
    let mode: String = c
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "delete", "the journal mode was changed");
    assert!(!dir.path().join("future.sqlite-wal").exists());
}

#[test]
fn a_killed_runs_row_is_marked_interrupted_by_the_next_run() {
    let server = Server::start(|req| {
        if req.path == "/slow" {
            Response {
                status: 200,
                headers: vec![("Content-Type".into(), "application/rss+xml".into())],
                body: Body::Stall {
                    head: b"<rss".to_vec(),
                    declared: 1000,
                    pause: Duration::from_secs(20),
                },
                delay: Duration::ZERO,
            }
        } else {
            Response::xml(rss("Fine", "http://fine.example", 1, ""))
        }
    });
    let s = setup(
        &[
            ("slow", &server.url("/slow"), ""),
            ("fine", &server.url("/fine"), ""),
        ],
        "request_timeout_secs = 30\n",
    );
    let mut child = bin()
        .arg("--config")
        .arg(&s.config)
        .arg("crawl")
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let deadline = Instant::now() + Duration::from_secs(20);
    while server.hits("/slow") == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(200));
    child.kill().expect("kill -9");
    child.wait().unwrap();
    let open = count(
        &db(&s.db),
        "SELECT count(*) FROM runs WHERE outcome IS NULL",
    );
    assert_eq!(open, 1, "the killed crawl left its row open");
    let r = crawl(&s, &["--source", "fine"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let conn = db(&s.db);
    let (outcome, finished): (Option<String>, Option<String>) = conn
        .query_row(
            "SELECT outcome, finished_at FROM runs ORDER BY id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(outcome.as_deref(), Some("interrupted"));
    assert!(finished.is_some());
    assert_eq!(
        count(&conn, "SELECT count(*) FROM runs WHERE outcome IS NULL"),
        0
    );
}
