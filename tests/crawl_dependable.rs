//! The crawler as cron and an attacker meet it: sources held back by backoff are counted, explained and
//! reported (and keep the exit code at 2); a huge Retry-After is capped, never a panic; absurd numbers in
//! the config are errors naming the key; a remote source never makes the crawler read a local file
//! (autodiscovery, redirects), and a configured `file://` source reads only regular files under the cap.

mod crawl_support;

use crawl_support::*;
use std::path::Path;
use std::time::{Duration, Instant};

const RSS: &str = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Local</title><item><title>Secret local headline</title><link>http://local.example/1</link></item></channel></rss>";

fn next_fetch_in_secs(conn: &rusqlite::Connection, name: &str) -> i64 {
    let next: String = conn
        .query_row(
            "SELECT next_fetch_at FROM sources WHERE name = ?1",
            [name],
            |x| x.get(0),
        )
        .expect("next_fetch_at");
    chrono::DateTime::parse_from_rfc3339(&next)
        .unwrap()
        .signed_duration_since(chrono::Utc::now())
        .num_seconds()
}

#[test]
fn held_back_sources_are_counted_explained_reported_and_exit_2() {
    let broken = Server::start(|_| Response::status(500));
    let fine = Server::start(|_| Response::xml(rss("Fine", "http://fine.example", 2, "")));
    let s = setup(
        &[
            ("broken", &broken.url("/feed"), ""),
            ("fine", &fine.url("/feed"), ""),
        ],
        "",
    );
    let first = crawl(&s, &[]);
    assert_eq!(first.code, 2, "{}", first.stderr);
    let again = crawl(&s, &[]);
    assert_eq!(broken.hits("/feed"), 1, "held back, not fetched");
    assert_eq!(again.code, 2, "held back after failing: {}", again.stderr);
    assert!(
        again.stderr.contains("1 held back"),
        "the summary counts it: {}",
        again.stderr
    );
    let line = again
        .stderr
        .lines()
        .find(|l| l.contains("broken") && l.contains("held back until"))
        .unwrap_or_else(|| panic!("no line says why and until when: {}", again.stderr));
    assert!(line.contains("HTTP 500"), "{line}");
    let out = bin()
        .arg("--config")
        .arg(&s.config)
        .args(["report", "--output", "-", "--format", "md"])
        .output()
        .unwrap();
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(md.contains("held back: 1"), "{md}");
    assert!(md.contains("### Sources held back"), "{md}");
    assert!(md.contains("broken at "), "{md}");
    let out = bin()
        .arg("--config")
        .arg(&s.config)
        .args(["report", "--output", "-", "--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["summary"]["sources_held_back"], 1);
    assert_eq!(json["held_back_sources"][0]["source"], "broken");
    assert!(json["held_back_sources"][0]["until"].is_string());
    assert_eq!(json["held_back_sources"][0]["failures"], 1);
}

#[test]
fn huge_retry_after_is_capped_and_stored_as_a_failure() {
    for value in ["18446744073709551615", "10000000000000"] {
        let v = value.to_string();
        let limited =
            Server::start(move |_| Response::status(429).header("Retry-After", v.as_str()));
        let s = setup(&[("limited", &limited.url("/feed"), "")], "");
        let r = crawl(&s, &[]);
        assert!(!r.stderr.contains("panicked"), "{value}: {}", r.stderr);
        assert_eq!(r.code, 2, "{value}: {}", r.stderr);
        assert!(r.stderr.contains("1 failed"), "{value}: {}", r.stderr);
        let conn = db(&s.db);
        let (outcome, _, _) = last_fetch(&conn, "limited");
        assert_eq!(outcome, "failed");
        let wait = next_fetch_in_secs(&conn, "limited");
        assert!(
            (86_000..=86_400).contains(&wait),
            "{value}: capped at a day, got {wait} s"
        );
    }
    // The cap is configurable.
    let limited = Server::start(|_| Response::status(429).header("Retry-After", "99999999"));
    let s = setup(
        &[("limited", &limited.url("/feed"), "")],
        "max_retry_after_secs = 3600\nbackoff_base_secs = 60\n",
    );
    assert_eq!(crawl(&s, &[]).code, 2);
    let wait = next_fetch_in_secs(&db(&s.db), "limited");
    assert!(
        (3_500..=3_600).contains(&wait),
        "capped at an hour, got {wait} s"
    );
}

#[test]
fn absurd_config_numbers_are_errors_naming_the_key() {
    for key in [
        "deadline_secs",
        "concurrency",
        "per_host_concurrency",
        "backoff_base_secs",
        "backoff_max_secs",
    ] {
        let s = setup(
            &[("x", "http://127.0.0.1:9/feed", "")],
            &format!("{key} = 9223372036854775807\n"),
        );
        let r = crawl(&s, &[]);
        assert_eq!(r.code, 1, "{key}: {}", r.stderr);
        assert!(
            r.stderr.contains(&format!("crawl.{key}")),
            "{key}: {}",
            r.stderr
        );
        assert!(r.stderr.contains("line "), "{key}: {}", r.stderr);
        assert!(!r.stderr.contains("panicked"), "{key}: {}", r.stderr);
    }
}

fn items(s: &Setup) -> i64 {
    count(&db(&s.db), "SELECT count(*) FROM items")
}

#[test]
fn autodiscovery_and_redirects_never_reach_a_local_file() {
    let dir = tempfile::tempdir().unwrap();
    let local = dir.path().join("local.xml");
    std::fs::write(&local, RSS).unwrap();
    let file_url = format!("file://{}", local.display());
    let page = format!(
        "<html><head><link rel=\"alternate\" type=\"application/rss+xml\" href=\"{file_url}\"></head><body>news</body></html>"
    );
    let fu = file_url.clone();
    let server = Server::start(move |req| match req.path.as_str() {
        "/page" => Response::bytes(200, "text/html", page.clone()),
        _ => Response::redirect(301, &fu),
    });
    let s = setup(
        &[
            ("discovering", &server.url("/page"), ""),
            ("redirecting", &server.url("/moved"), ""),
        ],
        "",
    );
    let r = crawl(&s, &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(items(&s), 0, "nothing read from {file_url}");
    let conn = db(&s.db);
    for name in ["discovering", "redirecting"] {
        let (outcome, error, _) = last_fetch(&conn, name);
        assert_eq!(outcome, "failed", "{name}");
        assert!(
            error
                .as_deref()
                .unwrap_or("")
                .contains("only http and https"),
            "{name}: {error:?}"
        );
        let url: String = conn
            .query_row("SELECT url FROM sources WHERE name = ?1", [name], |x| {
                x.get(0)
            })
            .unwrap();
        assert!(url.starts_with("http://"), "{name} moved to {url}");
    }
}

#[cfg(unix)]
#[test]
fn configured_file_sources_read_only_regular_files_under_the_cap() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo.xml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let big = dir.path().join("big.xml");
    std::fs::write(&big, vec![b' '; 4096]).unwrap();
    let url = |p: &Path| format!("file://{}", p.display());
    let s = setup(
        &[
            ("zero", "file:///dev/zero", ""),
            ("fifo", &url(&fifo), ""),
            ("big", &url(&big), ""),
        ],
        "max_body_bytes = 1024\ndeadline_secs = 20\n",
    );
    let t0 = Instant::now();
    let r = crawl(&s, &[]);
    assert!(t0.elapsed() < Duration::from_secs(15), "{:?}", t0.elapsed());
    assert_eq!(r.code, 2, "{}", r.stderr);
    let conn = db(&s.db);
    for (name, why) in [
        ("zero", "not a regular file"),
        ("fifo", "not a regular file"),
        ("big", "larger than the limit"),
    ] {
        let (outcome, error, _) = last_fetch(&conn, name);
        assert_eq!(outcome, "failed", "{name}");
        assert!(
            error.as_deref().unwrap_or("").contains(why),
            "{name}: {error:?}"
        );
    }
}

#[test]
fn robots_txt_applies_to_http_only() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.html");
    std::fs::write(
        &page,
        "<html><body><h2><a href=\"http://x.example/a\">A headline from a local page</a></h2></body></html>",
    )
    .unwrap();
    // Spelled with `/./`: still the file the configuration names.
    let url = format!("file://{}/./page.html", dir.path().display());
    let s = setup(
        &[("local page", &url, "kind = \"page\"\nselector = \"h2 a\"")],
        "respect_robots_txt = true\n",
    );
    let r = crawl(&s, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(items(&s), 1);
}

#[test]
fn terminal_escapes_from_broken_feeds_reach_neither_stderr_nor_reports() {
    let body = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title><item><title>x</title></item></chan\u{1b}[31mnel\u{7}></rss>";
    let server = Server::start(move |_| Response::xml(body));
    let s = setup(&[("escape", &server.url("/feed"), "")], "");
    let r = crawl(&s, &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("nel"), "the error is shown: {}", r.stderr);
    assert!(
        !r.stderr.contains('\u{1b}') && !r.stderr.contains('\u{7}'),
        "{:?}",
        r.stderr
    );
    for format in ["html", "md", "json"] {
        let out = bin()
            .arg("--config")
            .arg(&s.config)
            .args(["report", "--output", "-", "--format", format])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("nel"), "{format}: the failure is listed");
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{format}: control characters shown"
        );
        assert!(
            !text.contains("\\u001b"),
            "{format}: escaped but still shown"
        );
    }
}
