//! Shared helpers of the review desk tests: a seeded database (written with the store's seeding helpers),
//! a config built from the shipped `config.toml` (from `[report]` on, so the official position is the real
//! one), the real binary started as `serve` on a free loopback port, and a small HTTP client with a
//! cookie.
#![allow(dead_code)]

use chrono::{DateTime, Utc};
use headline_watch::domain::{Classification, Label, NewItem};
use headline_watch::store::{parse_time, Store};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

pub fn t(s: &str) -> DateTime<Utc> {
    parse_time(s).unwrap()
}

pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_headline-watch"));
    c.env_remove("HEADLINE_WATCH_CONFIG")
        .env_remove("HEADLINE_WATCH_DB")
        .env_remove("HEADLINE_WATCH_LOG");
    c
}

/// A headline that tries every trick: a script tag, an event attribute, and a `javascript:` link.
pub const HOSTILE_TITLE: &str =
    "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\"> визовый режим для Казахстана";
pub const HOSTILE_URL: &str = "javascript:window.__pwned=3";

/// What `seed` wrote: item ids by role.
pub struct Seeded {
    pub db: PathBuf,
    /// Flagged, newest first as the queue shows them: [Russian, hostile, English].
    pub flagged: Vec<i64>,
    /// Not flagged; its title contains "Almaty".
    pub missed: i64,
}

fn item(title: &str, url: &str, published: &str, lang: &str) -> NewItem {
    NewItem {
        title: title.into(),
        url: Some(url.into()),
        canonical_url: Some(url.trim_start_matches("https://").into()),
        guid: None,
        summary: None,
        published_at: t(published),
        published_estimated: false,
        lang: Some(lang.into()),
    }
}

pub fn cls(label: Label, p: f64, flagged: bool) -> Classification {
    let reasons = vec![
        "visa wording".into(),
        "n-grams: \"визовый режим\", \"regime\"".into(),
    ];
    Classification::with_probability(label, p, flagged, reasons)
}

/// Three flagged headlines (one hostile) and one the model did not flag.
pub fn seed(dir: &Path) -> Seeded {
    let db = dir.join("db.sqlite");
    let mut s = Store::open(&db).unwrap();
    let at = t("2025-06-10T06:00:00Z");
    let en = s
        .seed_item(
            "Example Times",
            Some("en"),
            &item(
                "Russia brings in visas for Kazakhs from June 30",
                "https://times.example/a1",
                "2025-06-09T07:00:00Z",
                "en",
            ),
            at,
        )
        .unwrap();
    let mut hostile = item(
        HOSTILE_TITLE,
        "https://x.example/h",
        "2025-06-09T08:00:00Z",
        "ru",
    );
    hostile.url = Some(HOSTILE_URL.into());
    let hostile = s
        .seed_item("Evil <b>Outlet</b>", Some("ru"), &hostile, at)
        .unwrap();
    let ru = s
        .seed_item(
            "Пример-Новости",
            Some("ru"),
            &item(
                "Россия вводит визовый режим для казахстанцев",
                "https://novosti.example/b1",
                "2025-06-09T09:30:00Z",
                "ru",
            ),
            at,
        )
        .unwrap();
    let missed = s
        .seed_item(
            "Example Times",
            Some("en"),
            &item(
                "Almaty travellers will need visas for Russia, officials say",
                "https://times.example/a2",
                "2025-06-09T10:00:00Z",
                "en",
            ),
            at,
        )
        .unwrap();
    s.insert_classifications(
        "seed-model",
        &[
            (en, cls(Label::Misleading, 0.93, true)),
            (hostile, cls(Label::Misleading, 0.81, true)),
            (ru, cls(Label::Misleading, 0.88, true)),
            (missed, cls(Label::Unrelated, 0.6, false)),
        ],
        at,
    )
    .unwrap();
    Seeded {
        db,
        flagged: vec![ru, hostile, en],
        missed,
    }
}

/// The shipped `[report]` and later sections (narrative, positions, facts), with `[storage]`, `[report]
/// dir` pointed into `dir`, plus `extra` (e.g. `[[serve.users]]`), written to `dir/config.toml`.
pub fn write_config(dir: &Path, db: &Path, extra: &str) -> PathBuf {
    let shipped =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("config.toml")).unwrap();
    let start = shipped
        .find("\n[report]")
        .expect("config.toml has [report]");
    let mut fragment = shipped[start + 1..].to_string();
    // The shipped [serve] section (if any) is replaced by the test's own.
    if let Some(i) = fragment.find("\n[serve]") {
        let rest = &fragment[i + 1..];
        let end = rest[1..]
            .find("\n[")
            .map(|e| i + 2 + e)
            .unwrap_or(fragment.len());
        fragment.replace_range(i + 1..end, "");
    }
    // The narrative, model and corpus are the repository's (the config's paths are relative to it).
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut fragment = fragment.replace(
        "dir = \"reports\"",
        &format!("dir = {:?}", dir.join("reports").display().to_string()),
    );
    for (key, rel) in [
        ("file", "narratives/visa-regime.toml"),
        ("model", "models/visa-regime.json"),
        ("corpus", "corpus"),
    ] {
        fragment = fragment.replace(
            &format!("{key} = {rel:?}"),
            &format!("{key} = {:?}", repo.join(rel).display().to_string()),
        );
    }
    let text = format!(
        "[storage]\ndatabase = {:?}\n\n{fragment}\n{extra}\n",
        db.display().to_string()
    );
    let path = dir.join("config.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// A running `headline-watch serve`; killed when dropped.
pub struct Server {
    child: Child,
    pub base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `serve --listen 127.0.0.1:0` with `config` and waits for its "listening on" line.
pub fn start(config: &Path) -> Server {
    let mut child = bin()
        .arg("--config")
        .arg(config)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(rest) = line.strip_prefix("listening on ") {
                let _ = tx.send(Ok(rest.trim_end_matches('/').to_string()));
            } else {
                let _ = tx.send(Err(line));
            }
            // Keep draining so the server never blocks on a full pipe.
        }
    });
    // Lines before the listening line are kept for the failure message (a config error, say).
    let mut said = Vec::new();
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    let base = loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match rx.recv_timeout(left) {
            Ok(Ok(b)) => break b,
            Ok(Err(line)) => said.push(line),
            Err(_) => {
                let _ = child.kill();
                panic!(
                    "serve did not print its listening line; it said: {}",
                    said.join(" | ")
                );
            }
        }
    };
    Server { child, base }
}

/// A seeded database in a temporary folder, its config (`extra` appended) and a desk serving it; the
/// server is stopped before the folder is removed.
pub struct Desk {
    pub server: Server,
    pub seeded: Seeded,
    pub config: PathBuf,
    pub dir: tempfile::TempDir,
}

pub fn desk(extra: &str) -> Desk {
    let dir = tempfile::tempdir().unwrap();
    let seeded = seed(dir.path());
    let config = write_config(dir.path(), &seeded.db, extra);
    let server = start(&config);
    Desk {
        server,
        seeded,
        config,
        dir,
    }
}

/// A cookie-keeping HTTP client that does not follow redirects.
pub struct Browser {
    pub client: reqwest::Client,
    pub cookie: Option<String>,
    pub base: String,
}

/// A response's parts the tests look at.
pub struct Page {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Page {
    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    }

    /// The value of the first `name="csrf"` hidden field.
    pub fn csrf(&self) -> String {
        let at = self
            .body
            .find("name=\"csrf\" value=\"")
            .expect("the page has a form token");
        let rest = &self.body[at + "name=\"csrf\" value=\"".len()..];
        rest[..rest.find('"').unwrap()].to_string()
    }
}

impl Browser {
    pub fn new(base: &str) -> Browser {
        let _ = rustls::crypto::ring::default_provider().install_default();
        Browser {
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookie: None,
            base: base.to_string(),
        }
    }

    async fn finish(&mut self, r: reqwest::Response) -> Page {
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        if let Some(c) = headers.get("set-cookie").and_then(|v| v.to_str().ok()) {
            let pair = c.split(';').next().unwrap_or("").to_string();
            if pair.ends_with('=') {
                self.cookie = None;
            } else {
                self.cookie = Some(pair);
            }
        }
        Page {
            status,
            headers,
            body: r.text().await.unwrap_or_default(),
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let mut req = self.client.get(format!("{}{path}", self.base));
        if let Some(c) = &self.cookie {
            req = req.header("cookie", c);
        }
        let r = req.send().await.unwrap();
        self.finish(r).await
    }

    /// Posts a form with extra headers (e.g. `Origin`).
    pub async fn post(
        &mut self,
        path: &str,
        form: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Page {
        let mut body = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in form {
            body.append_pair(k, v);
        }
        let mut req = self
            .client
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.finish());
        if let Some(c) = &self.cookie {
            req = req.header("cookie", c);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let r = req.send().await.unwrap();
        self.finish(r).await
    }

    /// Posts the sign-in form as user "aigerim" with `password` and the form `token` (plus `extra` fields).
    pub async fn sign_in(&mut self, token: &str, password: &str, extra: &[(&str, &str)]) -> Page {
        let mut form = vec![
            ("csrf", token),
            ("username", "aigerim"),
            ("password", password),
        ];
        form.extend_from_slice(extra);
        self.post("/login", &form, &[]).await
    }
}

/// (item id, label) of every item's live verdict, as `review export` would write them.
pub fn verdicts(db: &Path) -> Vec<(i64, Label)> {
    Store::open(db)
        .unwrap()
        .reviewed_items()
        .unwrap()
        .into_iter()
        .map(|r| (r.item_id, r.label))
        .collect()
}

/// Rows in `reviews` and in `review_undos`: verdicts are only ever appended.
pub fn review_rows(db: &Path) -> (i64, i64) {
    let c = rusqlite::Connection::open(db).unwrap();
    let n = |sql: &str| c.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    (
        n("SELECT COUNT(*) FROM reviews"),
        n("SELECT COUNT(*) FROM review_undos"),
    )
}
