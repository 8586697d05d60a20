//! Shared by the `crawl_*` integration tests: a tiny HTTP/1.1 server on 127.0.0.1 (one thread per
//! connection, `Connection: close`), config and database helpers, and a runner for the real binary.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A parsed request line and headers.
#[derive(Debug, Clone)]
pub struct Request {
    pub path: String,
    pub headers: Vec<(String, String)>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// How the body is sent.
pub enum Body {
    Bytes(Vec<u8>),
    /// Sends `head`, then stalls for `pause` while promising `declared` bytes.
    Stall {
        head: Vec<u8>,
        declared: usize,
        pause: Duration,
    },
    /// Streams zeros up to `total` bytes (or until the client hangs up); `declared` sets Content-Length.
    Endless {
        total: u64,
        declared: bool,
    },
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Body,
    /// Delay before answering.
    pub delay: Duration,
}

impl Response {
    pub fn bytes(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: Body::Bytes(body.into()),
            delay: Duration::ZERO,
        }
    }
    pub fn xml(body: impl Into<Vec<u8>>) -> Response {
        Response::bytes(200, "application/rss+xml", body)
    }
    pub fn status(status: u16) -> Response {
        Response::bytes(status, "text/plain", Vec::new())
    }
    pub fn redirect(status: u16, location: &str) -> Response {
        Response::status(status).header("Location", location)
    }
    pub fn header(mut self, k: &str, v: &str) -> Response {
        self.headers.push((k.into(), v.into()));
        self
    }
    pub fn delayed(mut self, d: Duration) -> Response {
        self.delay = d;
        self
    }
}

type Handler = dyn Fn(&Request) -> Response + Send + Sync;

/// A running server; it lives until the test process ends.
pub struct Server {
    pub addr: SocketAddr,
    log: Arc<Mutex<Vec<(Instant, Request)>>>,
}

impl Server {
    pub fn start(handler: impl Fn(&Request) -> Response + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let log = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let log2 = log.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let handler = handler.clone();
                let log = log2.clone();
                std::thread::spawn(move || serve(stream, &*handler, &log));
            }
        });
        Server { addr, log }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Requests received for `path`.
    pub fn requests(&self, path: &str) -> Vec<(Instant, Request)> {
        self.log
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, r)| r.path == path)
            .cloned()
            .collect()
    }

    pub fn hits(&self, path: &str) -> usize {
        self.requests(path).len()
    }
}

fn serve(stream: TcpStream, handler: &Handler, log: &Mutex<Vec<(Instant, Request)>>) {
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let req = Request { path, headers };
    log.lock().unwrap().push((Instant::now(), req.clone()));
    let resp = handler(&req);
    std::thread::sleep(resp.delay);
    let mut out = stream;
    let mut head = format!("HTTP/1.1 {} X\r\nConnection: close\r\n", resp.status);
    for (k, v) in &resp.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    match resp.body {
        Body::Bytes(b) => {
            head.push_str(&format!("Content-Length: {}\r\n\r\n", b.len()));
            let _ = out.write_all(head.as_bytes());
            let _ = out.write_all(&b);
        }
        Body::Stall {
            head: part,
            declared,
            pause,
        } => {
            head.push_str(&format!("Content-Length: {declared}\r\n\r\n"));
            let _ = out.write_all(head.as_bytes());
            let _ = out.write_all(&part);
            let _ = out.flush();
            std::thread::sleep(pause);
        }
        Body::Endless { total, declared } => {
            if declared {
                head.push_str(&format!("Content-Length: {total}\r\n"));
            }
            head.push_str("\r\n");
            let _ = out.write_all(head.as_bytes());
            let chunk = vec![b' '; 64 * 1024];
            let mut sent = 0u64;
            while sent < total {
                if out.write_all(&chunk).is_err() {
                    break;
                }
                sent += chunk.len() as u64;
            }
        }
    }
    let _ = out.flush();
    // Drain so the client sees an orderly close.
    let _ = out.shutdown(std::net::Shutdown::Write);
    let mut sink = [0u8; 256];
    let _ = reader
        .get_mut()
        .set_read_timeout(Some(Duration::from_millis(200)));
    let _ = reader.read(&mut sink);
}

/// A temporary folder with a config and a database path.
pub struct Setup {
    pub dir: tempfile::TempDir,
    pub config: PathBuf,
    pub db: PathBuf,
}

/// Crawl settings for tests: no politeness delay, short timeouts. `extra` is appended to `[crawl]`.
pub const TEST_CRAWL: &str = "per_host_interval_ms = 0\nrequest_timeout_secs = 2\nconnect_timeout_secs = 2\nconcurrency = 8\nper_host_concurrency = 8\n";

/// A source line set: (name, url, extra TOML lines such as `encoding = "koi8-r"`).
pub fn setup(sources: &[(&str, &str, &str)], extra_crawl: &str) -> Setup {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db.sqlite");
    // Keys in `extra_crawl` replace the test defaults.
    let key = |l: &str| l.split('=').next().unwrap_or("").trim().to_string();
    let overridden: Vec<String> = extra_crawl.lines().map(key).collect();
    let defaults: String = TEST_CRAWL
        .lines()
        .filter(|l| !overridden.contains(&key(l)))
        .map(|l| format!("{l}\n"))
        .collect();
    let mut toml = format!(
        "[storage]\ndatabase = {:?}\n\n[crawl]\n{defaults}{extra_crawl}\n",
        db.display().to_string()
    );
    for (name, url, extra) in sources {
        toml.push_str(&format!(
            "[[sources]]\nname = {name:?}\nurl = {url:?}\n{extra}\n\n"
        ));
    }
    let config = dir.path().join("config.toml");
    std::fs::write(&config, toml).expect("write config");
    Setup { dir, config, db }
}

pub struct Run {
    pub code: i32,
    pub stderr: String,
}

pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_headline-watch"));
    c.env_remove("HEADLINE_WATCH_CONFIG")
        .env_remove("HEADLINE_WATCH_DB")
        .env_remove("HEADLINE_WATCH_LOG");
    c
}

pub fn crawl(s: &Setup, args: &[&str]) -> Run {
    let out = bin()
        .arg("--config")
        .arg(&s.config)
        .arg("crawl")
        .args(args)
        .output()
        .expect("run binary");
    Run {
        code: out.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn db(path: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).expect("open db")
}

pub fn count(conn: &rusqlite::Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).expect(sql)
}

/// Outcome, error and items_seen of the last fetch of source `name`.
pub fn last_fetch(conn: &rusqlite::Connection, name: &str) -> (String, Option<String>, i64) {
    conn.query_row(
        "SELECT f.outcome, f.error, f.items_seen FROM fetches f JOIN sources s ON s.id = f.source_id
         WHERE s.name = ?1 ORDER BY f.id DESC LIMIT 1",
        [name],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .expect("a fetch row")
}

/// An RSS 2.0 feed with `n` items whose links are `{base}/story/{i}{suffix}`.
pub fn rss(title: &str, base: &str, n: usize, suffix: &str) -> String {
    let mut s = format!("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel><title>{title}</title>\n");
    for i in 0..n {
        s.push_str(&format!(
            "<item><title>Story {i}</title><link>{base}/story/{i}{suffix}</link><guid>{base}/story/{i}</guid><pubDate>Mon, 09 Jun 2025 08:30:00 +0000</pubDate></item>\n"
        ));
    }
    s.push_str("</channel></rss>\n");
    s
}
