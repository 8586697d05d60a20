//! `headline-watch serve` over HTTP: the real binary on a loopback port, a real SQLite file, a client
//! that keeps the session cookie. Verdicts are checked in the database and through `review list` /
//! `review export`; cross-site posts must change nothing; hostile headlines must stay text.

mod serve_support;

use headline_watch::domain::Label;
use serve_support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verdict_is_review_mark_and_undo_restores() {
    let d = desk("");
    let mut b = Browser::new(&d.server.base);

    let queue = b.get("/").await;
    assert_eq!(queue.status, 200);
    let cookie = queue.header("set-cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "not configured: {cookie}");
    assert!(queue
        .body
        .contains("Russia brings in visas for Kazakhs from June 30"));
    assert!(queue.body.contains("lang=\"ru\""));
    assert!(queue
        .body
        .contains("<strong>3</strong> flagged headlines awaiting a verdict"));
    // Newest first: the Russian headline, then the hostile one, then the English one.
    let order: Vec<usize> = d
        .seeded
        .flagged
        .iter()
        .map(|id| queue.body.find(&format!("id=\"item-{id}\"")).unwrap())
        .collect();
    assert!(order[0] < order[1] && order[1] < order[2], "{order:?}");
    assert!(!queue
        .body
        .contains(&format!("id=\"item-{}\"", d.seeded.missed)));
    // The model's words are highlighted in the title.
    assert!(queue.body.contains("<mark>визовый режим</mark>"));

    let en = d.seeded.flagged[2].to_string();
    let token = queue.csrf();
    let r = b
        .post(
            "/verdict",
            &[
                ("csrf", &token),
                ("item_id", &en),
                ("label", "accurate"),
                ("note", "reports the rules"),
                ("reviewer", "A. Nurlanova"),
                ("return", "/?sort=confidence"),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let location = r.header("location");
    assert!(
        location.starts_with("/?sort=confidence&done="),
        "{location}"
    );
    assert_eq!(
        verdicts(&d.seeded.db),
        vec![(d.seeded.flagged[2], Label::Accurate)]
    );

    // `review list` and `review export` see the desk's verdict.
    let out = bin()
        .arg("--config")
        .arg(&d.config)
        .args(["review", "list", "--all", "--format", "json"])
        .output()
        .unwrap();
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let row = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == d.seeded.flagged[2])
        .unwrap();
    assert_eq!(row["review"]["label"], "accurate");
    assert_eq!(row["review"]["reviewer"], "A. Nurlanova");
    assert_eq!(row["review"]["note"], "reports the rules");
    let export = d.dir.path().join("reviews.tsv");
    let out = bin()
        .arg("--config")
        .arg(&d.config)
        .args(["review", "export", "--output"])
        .arg(&export)
        .output()
        .unwrap();
    assert!(out.status.success());
    let tsv = std::fs::read_to_string(&export).unwrap();
    assert!(
        tsv.contains(&format!(
            "accurate\ten\tRussia brings in visas for Kazakhs from June 30\treview:{en}"
        )),
        "{tsv}"
    );

    // The reviewed card left the queue; the confirmation line offers undo.
    let after = b.get(&location).await;
    assert!(!after.body.contains(&format!("id=\"item-{en}\"")));
    assert!(after.body.contains("<strong>2</strong> flagged headlines"));
    assert!(after.body.contains("marked <strong>accurate</strong>"));
    let review_id = location.rsplit('=').next().unwrap().to_string();
    let r = b
        .post(
            "/undo",
            &[("csrf", &token), ("review_id", &review_id), ("return", "/")],
            &[
                ("origin", &d.server.base),
                ("sec-fetch-site", "same-origin"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(
        verdicts(&d.seeded.db).is_empty(),
        "undo restores 'unreviewed'"
    );
    assert_eq!(review_rows(&d.seeded.db), (1, 1), "history is kept");
    let out = bin()
        .arg("--config")
        .arg(&d.config)
        .args(["review", "export", "--output"])
        .arg(&export)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        std::fs::read_to_string(&export).unwrap(),
        "label\tlang\ttext\tsource\n"
    );
    assert!(b.get("/").await.body.contains(&format!("id=\"item-{en}\"")));

    // The script's path: JSON instead of a redirect.
    let r = b
        .post(
            "/verdict",
            &[("csrf", &token), ("item_id", &en), ("label", "misleading")],
            &[("x-requested-with", "desk")],
        )
        .await;
    assert_eq!(r.status, 200);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["item_id"], d.seeded.flagged[2]);
    assert_eq!(v["label"], "misleading");
    assert_eq!(
        verdicts(&d.seeded.db),
        vec![(d.seeded.flagged[2], Label::Misleading)]
    );
    // Killed (SIGKILL) right after answering: the verdict was committed before the answer.
    drop(d.server);
    assert_eq!(
        verdicts(&d.seeded.db),
        vec![(d.seeded.flagged[2], Label::Misleading)]
    );
    assert_eq!(review_rows(&d.seeded.db), (2, 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_and_tokenless_posts_change_nothing() {
    let d = desk("");
    let mut b = Browser::new(&d.server.base);
    let token = b.get("/").await.csrf();
    let id = d.seeded.flagged[0].to_string();
    let good = [
        ("csrf", token.as_str()),
        ("item_id", id.as_str()),
        ("label", "accurate"),
    ];
    for headers in [
        vec![("origin", "http://evil.example")],
        vec![("origin", "null")],
        vec![("sec-fetch-site", "cross-site")],
        vec![("sec-fetch-site", "same-site")],
    ] {
        let r = b.post("/verdict", &good, &headers).await;
        assert_eq!(r.status, 403, "{headers:?}");
        assert!(r.body.contains("nothing was changed"), "{}", r.body);
    }
    // Without the form's token, with another token, or without the session cookie.
    let r = b.post("/verdict", &good[1..], &[]).await;
    assert_eq!(r.status, 403);
    let wrong = [
        ("csrf", "0".repeat(64)),
        ("item_id", id.clone()),
        ("label", "accurate".into()),
    ];
    let wrong: Vec<(&str, &str)> = wrong.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(b.post("/verdict", &wrong, &[]).await.status, 403);
    let mut stranger = Browser::new(&d.server.base);
    assert_eq!(stranger.post("/verdict", &good, &[]).await.status, 403);
    assert_eq!(
        b.post("/undo", &[("csrf", "x"), ("review_id", "1")], &[])
            .await
            .status,
        403
    );
    assert_eq!(review_rows(&d.seeded.db), (0, 0));
    // A bad label or item is refused with a message, and records nothing.
    let r = b
        .post(
            "/verdict",
            &[("csrf", &token), ("item_id", &id), ("label", "fake")],
            &[],
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("unknown label"), "{}", r.body);
    let r = b
        .post(
            "/verdict",
            &[
                ("csrf", &token),
                ("item_id", "999999"),
                ("label", "accurate"),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("no item with id 999999"), "{}", r.body);
    assert_eq!(review_rows(&d.seeded.db), (0, 0));
    // The same post from the desk itself is accepted.
    let r = b
        .post(
            "/verdict",
            &good,
            &[
                ("origin", &d.server.base),
                ("sec-fetch-site", "same-origin"),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(review_rows(&d.seeded.db), (1, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_headlines_stay_text_and_pages_are_locked_down() {
    let d = desk("");
    let mut b = Browser::new(&d.server.base);
    for path in [
        "/",
        "/search?q=%D0%B2%D0%B8%D0%B7%D0%BE%D0%B2%D1%8B%D0%B9",
        "/outlets",
    ] {
        let p = b.get(path).await;
        assert_eq!(p.status, 200, "{path}");
        assert!(!p.body.contains("<script>window"), "{path}");
        assert!(!p.body.contains("<img src=x"), "{path}");
        assert!(!p.body.contains("javascript:"), "{path}");
        assert!(!p.body.contains("<b>Outlet</b>"), "{path}");
        assert!(p.body.contains("&lt;b&gt;Outlet&lt;"), "{path}");
        let csp = p.header("content-security-policy");
        assert!(
            csp.contains("default-src 'none'") && csp.contains("script-src 'self'"),
            "{csp}"
        );
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert_eq!(p.header("x-frame-options"), "DENY");
        // Only the desk's own script and stylesheet are referenced.
        assert!(p
            .body
            .contains("<script src=\"/static/desk.js\" defer></script>"));
        assert_eq!(p.body.matches("<script").count(), 1, "{path}");
    }
    let q = b.get("/").await;
    assert!(q.body.contains("&lt;script&gt;window.__pwned=1&lt;"));
    let js = b.get("/static/desk.js").await;
    assert_eq!(js.status, 200);
    assert!(js.header("content-type").starts_with("text/javascript"));
    assert!(
        !js.body.contains("innerHTML"),
        "the script never parses text as HTML"
    );
    for css in ["/static/style.css", "/static/desk.css"] {
        let c = b.get(css).await;
        assert_eq!(c.status, 200, "{css}");
        assert!(c.header("content-type").starts_with("text/css"), "{css}");
    }
    assert!(b
        .get("/static/style.css")
        .await
        .body
        .contains("th.n, td.n { text-align:right;"));
    assert_eq!(b.get("/static/../Cargo.toml").await.status, 404);
    assert_eq!(b.get("/nowhere").await.status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_finds_a_missed_headline_and_filters_apply() {
    let d = desk("");
    let mut b = Browser::new(&d.server.base);
    let p = b.get("/search?q=almat").await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains("Almaty travellers will need visas"));
    assert!(p.body.contains("not flagged"));
    let id = d.seeded.missed.to_string();
    let r = b
        .post(
            "/verdict",
            &[
                ("csrf", &p.csrf()),
                ("item_id", &id),
                ("label", "misleading"),
                ("return", "/search?q=almat"),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, 303);
    assert!(r.header("location").starts_with("/search?q=almat&done="));
    assert_eq!(
        verdicts(&d.seeded.db),
        vec![(d.seeded.missed, Label::Misleading)]
    );
    let again = b.get("/search?q=almat").await;
    assert!(again.body.contains("verdict: misleading"));

    // Search: Cyrillic prefixes and case; typed operators are only words.
    let p = b.get("/search?q=%D0%92%D0%98%D0%97%D0%9E%D0%92").await; // "ВИЗОВ"
    assert!(p
        .body
        .contains(&format!("id=\"item-{}\"", d.seeded.flagged[0])));
    let p = b.get("/search?q=visas+OR+nothing").await;
    assert!(p.body.contains("No stored headline matches."));
    // Queue filters: outlet, language, dates (a bad date is named and ignored).
    let p = b.get("/?outlet=Example+Times").await;
    assert!(p
        .body
        .contains("<strong>1</strong> flagged headline awaiting"));
    let p = b.get("/?lang=ru").await;
    assert!(p.body.contains("<strong>2</strong> flagged headlines"));
    let p = b
        .get("/?since=2025-06-09&until=2025-06-09&sort=uncertainty")
        .await;
    assert!(p.body.contains("<strong>3</strong> flagged headlines"));
    let p = b.get("/?since=2025-06-10").await;
    assert!(p.body.contains("<strong>0</strong> flagged headlines"));
    let p = b.get("/?since=yesterday").await;
    assert!(p.body.contains("is not a date (YYYY-MM-DD); ignored"));
    assert!(p.body.contains("<strong>3</strong> flagged headlines"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_flags_appear_on_the_next_load_beside_a_run() {
    let d = desk("");
    let mut b = Browser::new(&d.server.base);
    assert!(b.get("/").await.body.contains("<strong>3</strong>"));
    // What `run` does while the desk is open: a new item and its flag, in another connection.
    {
        let mut s = headline_watch::store::Store::open(&d.seeded.db).unwrap();
        let now = chrono::Utc::now();
        let id = s
            .seed_item(
                "Example Times",
                Some("en"),
                &headline_watch::domain::NewItem {
                    title: "Fresh: visa regime for Kazakhstan".into(),
                    url: Some("https://times.example/fresh".into()),
                    canonical_url: Some("times.example/fresh".into()),
                    guid: None,
                    summary: None,
                    published_at: now,
                    published_estimated: false,
                    lang: Some("en".into()),
                },
                now,
            )
            .unwrap();
        let c = headline_watch::domain::Classification {
            label: Label::Misleading,
            scores: [0.9, 0.05, 0.03, 0.02],
            flagged: true,
            reasons: vec![],
        };
        s.insert_classifications("seed-model-2", &[(id, c)], now)
            .unwrap();
    }
    let p = b.get("/").await;
    assert!(p.body.contains("<strong>4</strong>"));
    assert!(p.body.contains("Fresh: visa regime for Kazakhstan"));
    // The run lock is not the desk's: it stays free while the desk runs.
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(d.dir.path().join("db.sqlite.lock"))
        .unwrap();
    lock.try_lock()
        .expect("the desk does not hold the run lock");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outlets_position_and_reports_pages() {
    let dir = tempfile::tempdir().unwrap();
    let seeded = seed(dir.path());
    // Пример-Новости rewords its flagged headline 30 hours after publication, no longer misleading.
    {
        let mut s = headline_watch::store::Store::open(&seeded.db).unwrap();
        let ru = seeded.flagged[0];
        let v = s
            .seed_version(
                ru,
                "Россия вводит биометрию на границе с 30 июня",
                t("2025-06-10T15:30:00Z"),
            )
            .unwrap();
        s.insert_version_classifications(
            "seed-model",
            &[(v, cls(Label::Accurate, 0.9, false))],
            t("2025-06-10T15:30:00Z"),
        )
        .unwrap();
    }
    let config = write_config(dir.path(), &seeded.db, "");
    let server = start(&config);
    let mut b = Browser::new(&server.base);
    let p = b.get("/outlets").await;
    assert!(p.body.contains("Пример-Новости"));
    let row = p
        .body
        .split("<tr>")
        .find(|r| r.contains("Пример-Новости"))
        .unwrap();
    assert!(
        row.contains("<td class=\"n\">1</td><td class=\"n\">0</td><td class=\"n\">0</td><td class=\"n\">30.0 h</td>"),
        "corrected 1, edited 0, disappeared 0, median 30 h: {row}"
    );
    assert!(
        p.body.contains("<td class=\"n\">2</td>"),
        "Example Times: 2 headlines"
    );
    let p = b.get("/position").await;
    assert!(
        p.body.contains("Smadiyarov"),
        "the shipped position is quoted"
    );
    assert!(p.body.contains("Source:"));
    // Every page links to the position.
    for path in ["/", "/search", "/outlets", "/reports"] {
        assert!(
            b.get(path).await.body.contains("href=\"/position\""),
            "{path}"
        );
    }
    let reports = b.get("/reports").await;
    assert!(reports.body.contains("No report written yet."));
    let r = b
        .post(
            "/reports/new",
            &[("csrf", &reports.csrf()), ("format", "md")],
            &[],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(
        r.header("location").starts_with("/reports?written="),
        "{}",
        r.header("location")
    );
    let list = b.get("/reports").await;
    let at = list
        .body
        .find("href=\"/reports/")
        .expect("the report is listed");
    let id: String = list.body[at + "href=\"/reports/".len()..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    let file = b.get(&format!("/reports/{id}?download=1")).await;
    assert_eq!(file.status, 200);
    assert!(file
        .header("content-disposition")
        .starts_with("attachment; filename=\""));
    assert!(
        file.body.starts_with("# headline-watch report"),
        "{}",
        file.body
    );
    assert_eq!(b.get("/reports/99999").await.status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_sign_in_and_failures_are_rate_limited() {
    let dir = tempfile::tempdir().unwrap();
    let seeded = seed(dir.path());
    // A hash made by the binary's own helper.
    let mut child = bin()
        .args(["serve", "--hash-password"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"s3cret desk\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let hash = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    let config = write_config(
        dir.path(),
        &seeded.db,
        &format!("[serve]\nsecure_cookie = true\n\n[[serve.users]]\nname = \"aigerim\"\npassword_hash = \"{hash}\"\n"),
    );
    let server = start(&config);
    let mut b = Browser::new(&server.base);
    let r = b.get("/?lang=ru").await;
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), "/login?next=%2F%3Flang%3Dru");
    assert!(r.header("set-cookie").contains("Secure"));
    assert_eq!(b.get("/search?q=visa").await.status, 303);
    let token = b.get("/login").await.csrf();
    // Not signed in: a post is refused even with the token.
    let id = seeded.flagged[0].to_string();
    let r = b
        .post(
            "/verdict",
            &[("csrf", &token), ("item_id", &id), ("label", "accurate")],
            &[],
        )
        .await;
    assert_eq!(r.status, 401);
    let r = b
        .sign_in(&token, "s3cret desk", &[("next", "/?lang=ru")])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), "/?lang=ru");
    let page = b.get("/?lang=ru").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Sign out aigerim"));
    // The signed-in user is the default reviewer.
    let r = b
        .post(
            "/verdict",
            &[
                ("csrf", &page.csrf()),
                ("item_id", &id),
                ("label", "accurate"),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, 303);
    let out = bin()
        .arg("--config")
        .arg(&config)
        .args(["review", "list", "--all", "--format", "json"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"reviewer\": \"aigerim\""));

    // Wrong passwords: refused, then the limiter answers 429 even for the right one.
    let mut m = Browser::new(&server.base);
    let token = m.get("/login").await.csrf();
    for _ in 0..5 {
        let r = m.sign_in(&token, "guess", &[]).await;
        assert_eq!(r.status, 401);
        assert!(r.body.contains("Wrong user name or password."));
    }
    let r = m.sign_in(&token, "s3cret desk", &[]).await;
    assert_eq!(r.status, 429);
    assert!(r.body.contains("Too many failed sign-ins"));
    assert!(!r.header("retry-after").is_empty());
}

#[test]
fn refuses_to_serve_beyond_loopback_without_users() {
    let dir = tempfile::tempdir().unwrap();
    let seeded = seed(dir.path());
    let config = write_config(dir.path(), &seeded.db, "");
    let out = bin()
        .arg("--config")
        .arg(&config)
        .args(["serve", "--listen", "0.0.0.0:0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("refusing to serve the review desk on 0.0.0.0:0 without credentials"),
        "{err}"
    );
    assert!(err.contains("--hash-password"), "{err}");
    let bad = write_config(
        dir.path(),
        &seeded.db,
        "[[serve.users]]\nname = \"x\"\npassword_hash = \"plain\"\n",
    );
    let out = bin()
        .arg("--config")
        .arg(&bad)
        .args(["serve"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an argon2 PHC string"));
}
