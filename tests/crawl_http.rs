//! The real binary against loopback HTTP servers: conditional GET, redirects, Retry-After, timeouts,
//! size caps, gzip, charsets, entity bombs, dedup, idempotence, page sources, robots.txt, autodiscovery.

mod crawl_support;

use crawl_support::*;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn fixture(name: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/crawl")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// No timed assertions of speed: only "it finished rather than hung", with a very generous bound.
const NO_HANG: Duration = Duration::from_secs(60);

#[test]
fn conditional_get_304_and_idempotent_recrawl() {
    let base = "https://news.example";
    let body = rss("Conditional", base, 3, "");
    let server = Server::start(move |req| {
        if req.path == "/etag" {
            if req.header("If-None-Match") == Some("\"v1\"") {
                return Response::status(304);
            }
            return Response::xml(body.clone()).header("ETag", "\"v1\"");
        }
        if req.path == "/lm" {
            if req.header("If-Modified-Since") == Some("Mon, 09 Jun 2025 08:30:00 GMT") {
                return Response::status(304);
            }
            return Response::xml(rss("LM", "https://lm.example", 2, ""))
                .header("Last-Modified", "Mon, 09 Jun 2025 08:30:00 GMT");
        }
        // No validators at all: the body hash decides.
        Response::xml(rss("Plain", "https://plain.example", 4, ""))
    });
    let s = setup(
        &[
            ("etag", &server.url("/etag"), ""),
            ("lm", &server.url("/lm"), ""),
            ("plain", &server.url("/plain"), ""),
        ],
        "",
    );
    let first = crawl(&s, &[]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(first.stderr.contains("items 9 new"), "{}", first.stderr);
    let second = crawl(&s, &[]);
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert!(
        second.stderr.contains("3 not modified"),
        "{}",
        second.stderr
    );
    assert!(second.stderr.contains("items 0 new"), "{}", second.stderr);
    let conn = db(&s.db);
    assert_eq!(last_fetch(&conn, "etag").0, "not_modified");
    assert_eq!(last_fetch(&conn, "lm").0, "not_modified");
    assert_eq!(last_fetch(&conn, "plain").0, "unchanged");
    assert_eq!(count(&conn, "SELECT count(*) FROM items"), 9);
    assert_eq!(
        count(&conn, "SELECT count(*) FROM runs WHERE outcome = 'ok'"),
        2
    );
    // The validator was sent back verbatim.
    let reqs = server.requests("/etag");
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[1].1.header("If-None-Match"), Some("\"v1\""));
    assert!(reqs[0]
        .1
        .header("User-Agent")
        .unwrap_or("")
        .starts_with("headline-watch/"));
}

#[test]
fn redirect_301_moves_302_keeps_loop_fails() {
    let server = Server::start(|req| match req.path.as_str() {
        "/old-permanent" => Response::redirect(301, "/feed-a"),
        "/old-temporary" => Response::redirect(302, "/feed-b"),
        "/loop-a" => Response::redirect(302, "/loop-b"),
        "/loop-b" => Response::redirect(301, "/loop-a"),
        "/feed-a" => Response::xml(rss("A", "https://a.example", 2, "")),
        "/feed-b" => Response::xml(rss("B", "https://b.example", 2, "")),
        _ => Response::status(404),
    });
    let s = setup(
        &[
            ("perm", &server.url("/old-permanent"), ""),
            ("temp", &server.url("/old-temporary"), ""),
            ("loop", &server.url("/loop-a"), ""),
        ],
        "",
    );
    let started = Instant::now();
    let r = crawl(&s, &[]);
    assert!(started.elapsed() < NO_HANG);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("loop: redirect loop"), "{}", r.stderr);
    let conn = db(&s.db);
    let url = |name: &str| -> String {
        conn.query_row("SELECT url FROM sources WHERE name = ?1", [name], |x| {
            x.get(0)
        })
        .unwrap()
    };
    assert_eq!(url("perm"), server.url("/feed-a"));
    assert_eq!(url("temp"), server.url("/old-temporary"));
    assert_eq!(last_fetch(&conn, "perm").0, "ok");
    assert_eq!(last_fetch(&conn, "temp").0, "ok");
    // The moved source is fetched at its new address next time.
    crawl(&s, &[]);
    assert_eq!(server.hits("/old-permanent"), 1);
    assert_eq!(server.hits("/old-temporary"), 2);
}

#[test]
fn retry_after_429_holds_the_source_and_410_marks_gone() {
    // Three servers: a Retry-After holds off its whole host, so the others must live elsewhere.
    let limited = Server::start(|_| Response::status(429).header("Retry-After", "3600"));
    let gone = Server::start(|_| Response::status(410));
    let broken = Server::start(|_| Response::status(500));
    let s = setup(
        &[
            ("limited", &limited.url("/limited"), ""),
            ("gone", &gone.url("/gone"), ""),
            ("broken", &broken.url("/broken"), ""),
        ],
        "backoff_base_secs = 120\n",
    );
    let r = crawl(&s, &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("limited: HTTP 429"), "{}", r.stderr);
    let conn = db(&s.db);
    let next: String = conn
        .query_row(
            "SELECT next_fetch_at FROM sources WHERE name = 'limited'",
            [],
            |x| x.get(0),
        )
        .unwrap();
    let next = chrono::DateTime::parse_from_rfc3339(&next).unwrap();
    let wait = next.signed_duration_since(chrono::Utc::now()).num_seconds();
    assert!((3500..=3600).contains(&wait), "next fetch in {wait} s");
    let status: String = conn
        .query_row("SELECT status FROM sources WHERE name = 'gone'", [], |x| {
            x.get(0)
        })
        .unwrap();
    assert_eq!(status, "gone");
    let (failures, next): (i64, String) = conn
        .query_row(
            "SELECT failure_count, next_fetch_at FROM sources WHERE name = 'broken'",
            [],
            |x| Ok((x.get(0)?, x.get(1)?)),
        )
        .unwrap();
    assert_eq!(failures, 1);
    let wait = chrono::DateTime::parse_from_rfc3339(&next)
        .unwrap()
        .signed_duration_since(chrono::Utc::now())
        .num_seconds();
    assert!((100..=120).contains(&wait), "backoff {wait} s");
    // Not due: nothing is requested again, and the gone source is still reported (never silently dropped).
    // Held back after failing, the sources still make the run partial (exit 2), never a silent success.
    let again = crawl(&s, &[]);
    assert_eq!(again.code, 2, "{}", again.stderr);
    assert!(
        again.stderr.contains("gone: answered 410 Gone"),
        "{}",
        again.stderr
    );
    assert_eq!(limited.hits("/limited"), 1);
    assert_eq!(broken.hits("/broken"), 1);
    // --force ignores the schedule; a second failure doubles the backoff.
    crawl(&s, &["--force", "--source", "broken"]);
    assert_eq!(broken.hits("/broken"), 2);
    let failures: i64 = conn
        .query_row(
            "SELECT failure_count FROM sources WHERE name = 'broken'",
            [],
            |x| x.get(0),
        )
        .unwrap();
    assert_eq!(failures, 2);
}

#[test]
fn stalled_body_times_out_and_oversized_bodies_are_cut() {
    let server = Server::start(|req| match req.path.as_str() {
        "/stall" => Response {
            status: 200,
            headers: vec![("Content-Type".into(), "application/xml".into())],
            body: Body::Stall {
                head: b"<rss version=\"2.0\"><channel><title>Sta".to_vec(),
                declared: 5000,
                pause: Duration::from_secs(30),
            },
            delay: Duration::ZERO,
        },
        "/huge" => Response {
            status: 200,
            headers: vec![("Content-Type".into(), "application/xml".into())],
            body: Body::Endless {
                total: 1 << 30,
                declared: false,
            },
            delay: Duration::ZERO,
        },
        "/huge-declared" => Response {
            status: 200,
            headers: vec![("Content-Type".into(), "application/xml".into())],
            body: Body::Endless {
                total: 1 << 30,
                declared: true,
            },
            delay: Duration::ZERO,
        },
        _ => Response::xml(rss("Fine", "https://fine.example", 1, "")),
    });
    let s = setup(
        &[
            ("stall", &server.url("/stall"), ""),
            ("huge", &server.url("/huge"), ""),
            ("huge-declared", &server.url("/huge-declared"), ""),
            ("fine", &server.url("/fine"), ""),
        ],
        "request_timeout_secs = 1\nmax_body_bytes = 200000\n",
    );
    let started = Instant::now();
    let r = crawl(&s, &[]);
    assert!(started.elapsed() < NO_HANG);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let conn = db(&s.db);
    let (outcome, error, _) = last_fetch(&conn, "stall");
    assert_eq!(outcome, "failed");
    assert_eq!(error.as_deref(), Some("timed out"));
    for name in ["huge", "huge-declared"] {
        let (outcome, error, _) = last_fetch(&conn, name);
        assert_eq!(outcome, "failed");
        assert!(error
            .unwrap_or_default()
            .contains("larger than the limit of 200000 bytes"));
    }
    assert_eq!(last_fetch(&conn, "fine").0, "ok");
}

#[test]
fn gzip_bodies_are_decoded() {
    let gz = fixture("gzip-feed.xml.gz");
    let server = Server::start(move |req| {
        if req.header("Accept-Encoding").unwrap_or("").contains("gzip") {
            Response::xml(gz.clone()).header("Content-Encoding", "gzip")
        } else {
            Response::status(406)
        }
    });
    let s = setup(&[("gz", &server.url("/feed"), "")], "");
    let r = crawl(&s, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let conn = db(&s.db);
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM items WHERE title LIKE 'Сжатая новость %'"
        ),
        5
    );
}

#[test]
fn billion_laughs_terminates_with_bounded_output() {
    let bomb = fixture("billion-laughs.xml");
    let server = Server::start(move |_| Response::xml(bomb.clone()));
    let s = setup(&[("lol", &server.url("/lol"), "")], "");
    let started = Instant::now();
    let r = crawl(&s, &[]);
    assert!(started.elapsed() < NO_HANG);
    assert!(r.code == 0 || r.code == 2, "{}", r.stderr);
    let conn = db(&s.db);
    let (outcome, error, _) = last_fetch(&conn, "lol");
    assert!(outcome == "ok" || error.is_some(), "{outcome}");
    let longest = count(&conn, "SELECT coalesce(max(length(title)), 0) FROM items");
    assert!(
        longest <= headline_watch::text::MAX_TITLE_CHARS as i64 + 1,
        "{longest}"
    );
}

#[test]
fn duplicates_across_feeds_differing_by_utm_are_one_item() {
    let server = Server::start(|req| match req.path.as_str() {
        "/one" => Response::xml(rss("One", "https://same.example", 5, "")),
        _ => Response::xml(rss(
            "Two",
            "https://same.example",
            5,
            "?utm_source=rss&amp;utm_medium=feed",
        )),
    });
    let s = setup(
        &[
            ("one", &server.url("/one"), ""),
            ("two", &server.url("/two"), ""),
        ],
        "",
    );
    let r = crawl(&s, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("items 5 new, 10 seen"), "{}", r.stderr);
    let conn = db(&s.db);
    assert_eq!(count(&conn, "SELECT count(*) FROM items"), 5);
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM items WHERE canonical_url LIKE '%utm_%'"
        ),
        0
    );
}

const RU_TITLE: &str = "Безвизовый режим с Россией сохраняется";

fn ru_feed(enc: &'static encoding_rs::Encoding, prolog: Option<&str>, path: &str) -> Vec<u8> {
    let mut out = Vec::new();
    if let Some(label) = prolog {
        out.extend(format!("<?xml version=\"1.0\" encoding=\"{label}\"?>\n").as_bytes());
    }
    let body = format!(
        "<rss version=\"2.0\"><channel><title>Новости: {RU_TITLE}</title><item><title>{RU_TITLE}</title><link>https://ru.example{path}</link></item></channel></rss>"
    );
    out.extend(enc.encode(&body).0.iter());
    out
}

#[test]
fn windows_1251_and_koi8_r_by_prolog_header_or_override() {
    use encoding_rs::{KOI8_R, WINDOWS_1251};
    let server = Server::start(|req| {
        let enc = if req.path.contains("koi8") {
            KOI8_R
        } else {
            WINDOWS_1251
        };
        let label = if enc == KOI8_R {
            "koi8-r"
        } else {
            "windows-1251"
        };
        if req.path.ends_with("/prolog") {
            // The server says UTF-8-less nothing: only the declaration knows.
            Response::bytes(200, "application/xml", ru_feed(enc, Some(label), &req.path))
        } else if req.path.ends_with("/header") {
            Response::bytes(
                200,
                &format!("application/rss+xml; charset={label}"),
                ru_feed(enc, None, &req.path),
            )
        } else {
            // Override: the server lies (claims UTF-8) and there is no declaration.
            Response::bytes(
                200,
                "text/xml; charset=utf-8",
                ru_feed(enc, None, &req.path),
            )
        }
    });
    let mut sources = Vec::new();
    for enc in ["cp1251", "koi8"] {
        for how in ["prolog", "header", "override"] {
            let extra = match (enc, how) {
                ("cp1251", "override") => "encoding = \"windows-1251\"",
                ("koi8", "override") => "encoding = \"koi8-r\"",
                _ => "",
            };
            sources.push((
                format!("{enc}-{how}"),
                server.url(&format!("/{enc}/{how}")),
                extra,
            ));
        }
    }
    let refs: Vec<(&str, &str, &str)> = sources
        .iter()
        .map(|(n, u, e)| (n.as_str(), u.as_str(), *e))
        .collect();
    let s = setup(&refs, "");
    let r = crawl(&s, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let conn = db(&s.db);
    for (name, _, _) in &sources {
        let feed_title: String = conn
            .query_row(
                "SELECT feed_title FROM sources WHERE name = ?1",
                [name],
                |x| x.get(0),
            )
            .unwrap();
        assert_eq!(feed_title, format!("Новости: {RU_TITLE}"), "{name}");
        let title: String = conn
            .query_row("SELECT i.title FROM items i JOIN sources s ON s.id = i.source_id WHERE s.name = ?1", [name], |x| x.get(0))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(title, RU_TITLE, "{name}");
    }
}

#[test]
fn page_source_selector_robots_and_autodiscovery() {
    let page = fixture("page.html");
    let discovery = fixture("autodiscovery.html");
    let server = Server::start(move |req| match req.path.as_str() {
        "/robots.txt" => Response::bytes(200, "text/plain", "User-agent: *\nDisallow: /private/\n"),
        "/news/" | "/private/news/" => {
            Response::bytes(200, "text/html; charset=utf-8", page.clone())
        }
        "/outlet/" => Response::bytes(200, "text/html", discovery.clone()),
        "/discovered.xml" => Response::xml(rss("Discovered", "https://disc.example", 3, "")),
        _ => Response::status(404),
    });
    let sel = "kind = \"page\"\nselector = \"h2.headline a\"\nlang = \"ru\"";
    let s = setup(
        &[
            ("page", &server.url("/news/"), sel),
            ("private", &server.url("/private/news/"), sel),
            ("outlet", &server.url("/outlet/"), ""),
        ],
        "",
    );
    let r = crawl(&s, &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("private: disallowed by robots.txt"),
        "{}",
        r.stderr
    );
    assert_eq!(server.hits("/private/news/"), 0);
    assert_eq!(
        server.hits("/robots.txt"),
        1,
        "robots.txt is fetched once per host per crawl"
    );
    let conn = db(&s.db);
    let mut stmt = conn
        .prepare("SELECT i.title, i.canonical_url FROM items i JOIN sources s ON s.id = i.source_id WHERE s.name = 'page' ORDER BY i.id")
        .unwrap();
    let rows: Vec<(String, String)> = stmt
        .query_map([], |x| Ok((x.get(0)?, x.get(1)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(
        rows,
        vec![
            (
                "Казахстан и Россия: безвизовый режим сохраняется".to_string(),
                server.url("/news/1")
            ),
            (
                "Foreigners entering Russia to give fingerprints".to_string(),
                "https://other.example/story/2".to_string()
            ),
            (
                "Шекарадан өту ережелері".to_string(),
                server.url("/news/news/3")
            ),
        ]
    );
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM items WHERE title LIKE 'Story %'"
        ),
        3
    );
    let url: String = conn
        .query_row("SELECT url FROM sources WHERE name = 'outlet'", [], |x| {
            x.get(0)
        })
        .unwrap();
    assert_eq!(url, server.url("/discovered.xml"));
}

#[test]
fn per_host_interval_spaces_requests() {
    const INTERVAL_MS: u64 = 400;
    /// Scheduling slack allowed below the configured interval.
    const TOLERANCE_MS: u128 = 150;
    let server = Server::start(|req| {
        Response::xml(rss(
            &req.path,
            &format!("https://h.example{}", req.path),
            1,
            "",
        ))
    });
    let names: Vec<(String, String)> = (0..3)
        .map(|i| (format!("s{i}"), server.url(&format!("/f{i}"))))
        .collect();
    let refs: Vec<(&str, &str, &str)> = names
        .iter()
        .map(|(n, u)| (n.as_str(), u.as_str(), ""))
        .collect();
    let s = setup(&refs, &format!("per_host_interval_ms = {INTERVAL_MS}\n"));
    let r = crawl(&s, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut times: Vec<Instant> = (0..3)
        .flat_map(|i| server.requests(&format!("/f{i}")))
        .map(|(t, _)| t)
        .collect();
    times.sort();
    assert_eq!(times.len(), 3);
    for w in times.windows(2) {
        let gap = w[1].duration_since(w[0]).as_millis();
        assert!(gap + TOLERANCE_MS >= INTERVAL_MS as u128, "gap {gap} ms");
    }
}

#[test]
fn file_sources_and_config_errors() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/crawl/gzip-feed.xml");
    let url = format!("file://{}", dir.display());
    let s = setup(&[("local", &url, "")], "");
    let r = crawl(&s, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(count(&db(&s.db), "SELECT count(*) FROM items"), 5);
    // Unknown key: one line naming file, line and key; exit 1.
    std::fs::write(&s.config, "[crawl]\nconcurency = 3\n").unwrap();
    let r = crawl(&s, &[]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("config.toml: line 2") && r.stderr.contains("concurency"),
        "{}",
        r.stderr
    );
    // Environment: HEADLINE_WATCH_CONFIG and HEADLINE_WATCH_DB; the command line wins over both.
    std::fs::write(
        &s.config,
        format!("[[sources]]\nname = \"local\"\nurl = {url:?}\n"),
    )
    .unwrap();
    let env_db = s.dir.path().join("env.sqlite");
    let out = bin()
        .env("HEADLINE_WATCH_CONFIG", &s.config)
        .env("HEADLINE_WATCH_DB", &env_db)
        .arg("crawl")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(count(&db(&env_db), "SELECT count(*) FROM items"), 5);
    let cli_db = s.dir.path().join("cli.sqlite");
    let out = bin()
        .env("HEADLINE_WATCH_CONFIG", &s.config)
        .env("HEADLINE_WATCH_DB", &env_db)
        .arg("--db")
        .arg(&cli_db)
        .arg("crawl")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(cli_db.exists());
}

#[test]
fn overall_deadline_stops_slow_sources() {
    let server = Server::start(|req| {
        let r = Response::xml(rss(
            "Slow",
            &format!("https://slow.example{}", req.path),
            1,
            "",
        ));
        if req.path == "/slow" {
            r.delayed(Duration::from_secs(5))
        } else {
            r
        }
    });
    let s = setup(
        &[
            ("slow", &server.url("/slow"), ""),
            ("quick", &server.url("/quick"), ""),
        ],
        "deadline_secs = 1\nrequest_timeout_secs = 30\n",
    );
    let started = Instant::now();
    let r = crawl(&s, &[]);
    assert!(started.elapsed() < NO_HANG);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let conn = db(&s.db);
    assert_eq!(last_fetch(&conn, "quick").0, "ok");
    let (outcome, error, _) = last_fetch(&conn, "slow");
    assert_eq!(outcome, "failed");
    assert_eq!(error.as_deref(), Some("overall crawl deadline reached"));
}

#[test]
fn shipped_config_has_real_sources_in_three_languages() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("config.toml");
    let config =
        headline_watch::config::Config::load(&path, true).expect("shipped config.toml parses");
    let sources = config.sources();
    assert!(sources.len() >= 12, "{} sources", sources.len());
    for lang in ["en", "ru", "kk"] {
        assert!(
            sources.iter().any(|s| s.lang.as_deref() == Some(lang)),
            "no {lang} source"
        );
    }
    assert!(sources.iter().all(|s| s.url.starts_with("https://")));
    let defaults = headline_watch::config::CrawlConfig::default();
    assert_eq!(
        config.crawl.user_agent, defaults.user_agent,
        "shipped user_agent differs from the default"
    );
    assert_eq!(
        config.crawl.per_host_interval_ms,
        defaults.per_host_interval_ms
    );
    assert_eq!(config.crawl.max_body_bytes, defaults.max_body_bytes);
}

#[test]
fn retry_after_holds_off_the_whole_host() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let served = AtomicUsize::new(0);
    // Whichever source asks first is told to come back in an hour; the other must not ask at all.
    let server = Server::start(move |req| {
        if served.fetch_add(1, Ordering::SeqCst) == 0 {
            Response::status(503).header("Retry-After", "3600")
        } else {
            Response::xml(rss(
                "Late",
                &format!("https://late.example{}", req.path),
                1,
                "",
            ))
        }
    });
    let s = setup(
        &[
            ("first", &server.url("/a"), ""),
            ("second", &server.url("/b"), ""),
        ],
        "per_host_concurrency = 1\n",
    );
    let r = crawl(&s, &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(server.hits("/a") + server.hits("/b"), 1);
    let conn = db(&s.db);
    let mut outcomes: Vec<String> = ["first", "second"]
        .iter()
        .map(|n| last_fetch(&conn, n).0)
        .collect();
    outcomes.sort();
    assert_eq!(outcomes, vec!["failed", "skipped"]);
    assert_eq!(count(&conn, "SELECT count(*) FROM sources WHERE next_fetch_at > strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '+3500 seconds')"), 2);
}
