//! Shared helpers of the report tests: a seeded database (written with the store's seeding helpers, so
//! these tests do not need the crawler), a config built from the shipped `config.toml` (from `[report]` on), and the
//! binary.
#![allow(dead_code)]

use chrono::{DateTime, Utc};
use headline_watch::config::Config;
use headline_watch::domain::{Classification, Label, NewItem, Verdict};
use headline_watch::report::{ModelInfo, ReportModel};
use headline_watch::store::{parse_time, Store};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shipped `config.toml` from its `[report]` section on (the report and narrative settings, without
/// the real sources).
pub fn narrative_fragment() -> String {
    let text = std::fs::read_to_string(manifest_dir().join("config.toml")).unwrap();
    let start = text
        .find("\n[report]")
        .expect("config.toml has a [report] section");
    text[start + 1..].to_string()
}

/// The shipped `[report]` and `[narrative]` settings with `[report] dir`, the model path and `[storage]` pointed into `dir`, plus
/// `extra` (e.g. `[[sources]]`).
pub fn write_config(dir: &Path, model: &Path, extra: &str) -> PathBuf {
    let fragment = narrative_fragment();
    let text = fragment
        .replace(
            "dir = \"reports\"",
            &format!("dir = {:?}", dir.join("reports").display().to_string()),
        )
        .replace(
            "model = \"models/visa-regime.json\"",
            &format!("model = {:?}", model.display().to_string()),
        )
        .replace(
            "file = \"narratives/visa-regime.toml\"",
            &format!(
                "file = {:?}",
                manifest_dir()
                    .join("narratives/visa-regime.toml")
                    .display()
                    .to_string()
            ),
        );
    let text = format!(
        "[storage]\ndatabase = {:?}\n\n{text}\n{extra}\n",
        dir.join("db.sqlite").display().to_string()
    );
    let path = dir.join("config.toml");
    std::fs::write(&path, text).unwrap();
    path
}

pub fn config() -> Config {
    Config::parse(&narrative_fragment(), Path::new("config.toml")).unwrap()
}

pub fn item(title: &str, url: &str, published: &str, lang: &str) -> NewItem {
    NewItem {
        title: title.into(),
        url: Some(url.into()),
        canonical_url: Some(url.into()),
        guid: None,
        summary: None,
        published_at: t(published),
        published_estimated: false,
        lang: Some(lang.into()),
    }
}

/// A flagged `misleading` (true) or an unflagged `accurate` (false) classification, without reasons.
pub fn flag_cls(flagged: bool) -> Classification {
    let (label, scores) = if flagged {
        (Label::Misleading, [0.9, 0.05, 0.03, 0.02])
    } else {
        (Label::Accurate, [0.05, 0.9, 0.03, 0.02])
    };
    Classification {
        label,
        scores,
        flagged,
        reasons: vec![],
    }
}

/// Seeds `rows` (outlet, lang, title, url, published) fetched at `fetched`, each flagged by model "m";
/// their item ids in order.
pub fn seed_flagged(
    store: &mut Store,
    rows: &[(&str, &str, &str, &str, &str)],
    fetched: DateTime<Utc>,
) -> Vec<i64> {
    let ids: Vec<i64> = rows
        .iter()
        .map(|&(outlet, lang, title, url, published)| {
            let it = item(title, url, published, lang);
            store.seed_item(outlet, Some(lang), &it, fetched).unwrap()
        })
        .collect();
    let batch: Vec<_> = ids.iter().map(|&id| (id, flag_cls(true))).collect();
    store.insert_classifications("m", &batch, fetched).unwrap();
    ids
}

fn cls(label: Label, p: f64, threshold: f64, reasons: &[&str]) -> Classification {
    let flagged = label == Label::Misleading && p >= threshold;
    let reasons = reasons.iter().map(|r| r.to_string()).collect();
    Classification::with_probability(label, p, flagged, reasons)
}

/// The model version the seeded classifications carry.
pub const SEED_MODEL: &str = "seed-model-0001";

/// Headlines written for these tests (not from the corpus): (outlet, lang, title, url, published, label, p).
pub const SEED: &[(&str, &str, &str, &str, &str, Label, f64)] = &[
    (
        "Example Times",
        "en",
        "Russia brings in visas for Kazakhs from June 30",
        "https://times.example/a1",
        "2025-06-09T07:00:00Z",
        Label::Misleading,
        0.93,
    ),
    (
        "Пример-Новости",
        "ru",
        "Россия вводит визовый режим для казахстанцев",
        "https://novosti.example/b1",
        "2025-06-09T09:30:00Z",
        Label::Misleading,
        0.88,
    ),
    (
        "Мысал Ақпарат",
        "kk",
        "Ресей қазақстандықтарға виза енгізеді",
        "https://aqparat.example/c1",
        "2025-06-10T04:00:00Z",
        Label::Misleading,
        0.71,
    ),
    (
        "Example Times",
        "en",
        "Foreigners entering Russia to give fingerprints from June 30",
        "https://times.example/a2",
        "2025-06-09T10:00:00Z",
        Label::Accurate,
        0.85,
    ),
    (
        "Пример-Новости",
        "ru",
        "МИД Казахстана: безвизовый режим с Россией сохраняется",
        "https://novosti.example/b2",
        "2025-06-09T12:00:00Z",
        Label::Rebuttal,
        0.9,
    ),
    (
        "Example Times",
        "en",
        "Kazakhstan extends visa-free entry for 54 countries",
        "https://times.example/a3",
        "2025-06-09T13:00:00Z",
        Label::Unrelated,
        0.8,
    ),
    (
        "Example Times",
        "en",
        "Is Russia closing the door to Kazakh travellers?",
        "https://times.example/a4",
        "2025-06-10T05:00:00Z",
        Label::Misleading,
        0.62,
    ),
];

/// Seeds the headlines above (fetched 2025-06-10T06:00:00Z), their classifications, a reviewer's
/// confirmation of the first, a rejection of the last, and a failed fetch. Returns the item ids.
pub fn seed(store: &mut Store) -> Vec<i64> {
    let fetched = t("2025-06-10T06:00:00Z");
    let threshold = 0.5;
    let mut ids = Vec::new();
    let mut batch = Vec::new();
    for (outlet, lang, title, url, published, label, p) in SEED {
        let id = store
            .seed_item(
                outlet,
                Some(lang),
                &item(title, url, published, lang),
                fetched,
            )
            .unwrap();
        batch.push((
            id,
            cls(
                *label,
                *p,
                threshold,
                &["visa-regime wording", "names Kazakhstan"],
            ),
        ));
        ids.push(id);
    }
    store
        .insert_classifications(SEED_MODEL, &batch, fetched)
        .unwrap();
    store
        .insert_review(&Verdict {
            item_id: ids[0],
            label: Label::Misleading,
            reviewer: Some("press office".into()),
            note: Some("calls biometrics a visa".into()),
            reviewed_at: t("2025-06-10T07:00:00Z"),
        })
        .unwrap();
    store
        .insert_review(&Verdict {
            item_id: ids[6],
            label: Label::Unrelated,
            reviewer: Some("press office".into()),
            note: None,
            reviewed_at: t("2025-06-10T07:05:00Z"),
        })
        .unwrap();
    store
        .seed_fetch("Example Times", "ok", None, t("2025-06-10T05:59:00Z"))
        .unwrap();
    store
        .seed_fetch("Пример-Новости", "ok", None, t("2025-06-10T05:59:00Z"))
        .unwrap();
    store
        .seed_fetch(
            "Мысал Ақпарат",
            "failed",
            Some("connection refused"),
            t("2025-06-10T05:59:00Z"),
        )
        .unwrap();
    ids
}

pub fn model_info() -> ModelInfo {
    ModelInfo {
        version: SEED_MODEL.into(),
        path: "models/visa-regime.json".into(),
        macro_f1: Some(0.87),
        misleading_precision: Some(0.9),
        misleading_recall: Some(0.8),
        real_rows: None,
        note: None,
    }
}

/// The report model of the seeded database over 9–11 June 2025, generated at a fixed time.
pub fn seeded_model(store: &Store) -> ReportModel {
    ReportModel::build(
        store,
        &config(),
        t("2025-06-09T00:00:00Z"),
        t("2025-06-11T00:00:00Z"),
        t("2025-06-11T06:00:00Z"),
        Some(model_info()),
    )
    .unwrap()
}

/// A loopback HTTP/1.1 server answering `GET /NAME` with `dir/NAME` (404 otherwise), one thread, until
/// the test process ends. Returns its base URL.
pub fn serve(dir: PathBuf) -> String {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok() && line.trim() != "" {
                line.clear();
            }
            let path = request.split_whitespace().nth(1).unwrap_or("/");
            let file = dir.join(path.trim_start_matches('/'));
            let (status, body, kind) = match std::fs::read(&file) {
                Ok(b) if !path.contains("..") => {
                    let kind = if path.ends_with(".xml") && b.windows(5).any(|w| w == b"<feed") {
                        "application/atom+xml; charset=utf-8"
                    } else {
                        "application/rss+xml; charset=utf-8"
                    };
                    ("200 OK", b, kind)
                }
                _ => ("404 Not Found", b"not found".to_vec(), "text/plain"),
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(&body);
        }
    });
    base
}

/// A port on which nothing listens (bound, then released).
pub fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// Runs the binary with `--config config` and `args`.
/// `report --since 2025-06-01 --format FORMAT --output -`: the report on stdout (the run must succeed).
pub fn report_stdout(config: &Path, format: &str) -> String {
    let out = hw(
        config,
        &[
            "report",
            "--since",
            "2025-06-01",
            "--format",
            format,
            "--output",
            "-",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    String::from_utf8(out.stdout).unwrap()
}

pub fn hw(config: &Path, args: &[&str]) -> Output {
    bin()
        .arg("--config")
        .arg(config)
        .args(args)
        .output()
        .unwrap()
}
