//! The crawler: fetch (reqwest, conditional GET, per-host politeness, redirects, size/time caps), charset
//! detection, feed parsing (feed-rs), HTML page sources (scraper) and scheduling. [`crawl`] fetches a list
//! of [`Job`]s concurrently and hands each source's [`SourceResult`] to a callback as soon as it is done,
//! so the caller can store it at once (a kill loses at most the sources in flight). Nothing here touches
//! the database or prints.

pub mod charset;
pub mod feed;
pub mod fetch;
pub mod links;
pub mod page;
pub mod politeness;

use crate::config::CrawlConfig;
use crate::domain::{NewItem, Source, SourceKind};
use crate::error::Error;
use chrono::{DateTime, Utc};
use fetch::{FetchError, Fetched, Fetcher, Validators};
use page::Robots;
use politeness::Politeness;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::OnceCell;
use tokio::time::Instant;
use url::Url;

/// One source to fetch, with what the store remembers about it.
#[derive(Debug, Clone)]
pub struct Job {
    pub source_id: i64,
    pub source: Source,
    /// The URL to fetch now (the configured one, or where a 301/308 moved it).
    pub url: String,
    pub validators: Validators,
    /// BLAKE3 of the last body that parsed, to skip re-parsing when servers ignore validators.
    pub body_hash: Option<String>,
}

/// How a source's fetch ended (the `fetches.outcome` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FetchOutcome {
    /// Fetched and parsed.
    Ok,
    /// 304 Not Modified.
    NotModified,
    /// 200 with the same body as last time: not parsed again.
    Unchanged,
    /// Any error; stored and retried with backoff.
    Failed,
    /// 410 Gone.
    Gone,
    /// Not attempted: its host asked (Retry-After) to be left alone beyond this crawl's deadline.
    Skipped,
}

impl FetchOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            FetchOutcome::Ok => "ok",
            FetchOutcome::NotModified => "not_modified",
            FetchOutcome::Unchanged => "unchanged",
            FetchOutcome::Failed => "failed",
            FetchOutcome::Gone => "gone",
            FetchOutcome::Skipped => "skipped",
        }
    }
}

/// Everything the caller needs to store about one source's fetch.
#[derive(Debug)]
pub struct SourceResult {
    pub job: Job,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    /// The URL finally fetched.
    pub url: String,
    pub http_status: Option<u16>,
    pub outcome: FetchOutcome,
    pub error: Option<String>,
    pub bytes: Option<u64>,
    pub items: Vec<NewItem>,
    /// Entries (feed) or selector matches (page) in the document.
    pub items_seen: usize,
    pub feed_title: Option<String>,
    /// Validators to store (from this response; unchanged ones are carried over by the caller).
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub body_hash: Option<String>,
    /// New permanent URL: a 301/308 chain, or a feed discovered on a page given as a feed.
    pub moved_to: Option<String>,
    /// When the host said we may come back (Retry-After).
    pub retry_at: Option<DateTime<Utc>>,
}

/// Exponential backoff after `failures` consecutive failures: `base * 2^(failures-1)`, capped at `max`.
pub fn backoff(failures: u32, base: Duration, max: Duration) -> Duration {
    let shift = failures.saturating_sub(1).min(30);
    base.saturating_mul(1u32 << shift).min(max)
}

struct Shared {
    fetcher: Fetcher,
    cfg: CrawlConfig,
    robots: Mutex<HashMap<String, Arc<OnceCell<Robots>>>>,
}

impl Shared {
    /// The parts one crawl (or one check of page links, [`links`]) shares: the HTTP client, politeness,
    /// the fetcher with its body cap, redirect limit, deadline and Retry-After cap, and the robots.txt
    /// cache. Returns them with the run's deadline.
    fn for_run(cfg: &CrawlConfig) -> crate::error::Result<(Arc<Shared>, Instant)> {
        let client = fetch::build_client(
            &cfg.user_agent,
            Duration::from_secs(cfg.request_timeout_secs.max(1)),
            Duration::from_secs(cfg.connect_timeout_secs.max(1)),
        )
        .map_err(|e| Error::Other(format!("cannot build the HTTP client: {e}")))?;
        let deadline = Instant::now()
            .checked_add(Duration::from_secs(cfg.deadline_secs.max(1)))
            .unwrap_or_else(Instant::now);
        let politeness = Arc::new(Politeness::new(
            cfg.concurrency,
            cfg.per_host_concurrency,
            Duration::from_millis(cfg.per_host_interval_ms),
        ));
        let shared = Arc::new(Shared {
            fetcher: Fetcher::new(
                client,
                politeness,
                cfg.max_body_bytes,
                cfg.max_redirects,
                deadline,
            )
            .with_max_retry_after(Duration::from_secs(cfg.max_retry_after_secs)),
            cfg: cfg.clone(),
            robots: Mutex::new(HashMap::new()),
        });
        Ok((shared, deadline))
    }
}

/// Fetches every job concurrently (bounded globally and per host) and calls `on_result` on the calling
/// thread for each source as it finishes. Returns when all are done or the overall deadline has passed
/// (sources still running then are reported as failed).
pub fn crawl(
    jobs: Vec<Job>,
    cfg: &CrawlConfig,
    mut on_result: impl FnMut(SourceResult),
) -> crate::error::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Other(format!("cannot start the async runtime: {e}")))?;
    let result = runtime.block_on(async move {
        let (shared, deadline) = Shared::for_run(cfg)?;
        let mut set = tokio::task::JoinSet::new();
        // A task that panics still names its source: it is stored and counted as a failure.
        let mut running: HashMap<tokio::task::Id, (Job, DateTime<Utc>)> = HashMap::new();
        for job in jobs {
            let shared = shared.clone();
            let key = job.clone();
            let handle = set.spawn(async move {
                let started_at = Utc::now();
                let fallback = job.clone();
                match tokio::time::timeout_at(deadline, crawl_one(&shared, job, started_at)).await {
                    Ok(r) => r,
                    Err(_) => failed(
                        fallback,
                        started_at,
                        None,
                        "overall crawl deadline reached".into(),
                    ),
                }
            });
            running.insert(handle.id(), (key, Utc::now()));
        }
        drain(set, running, &mut on_result).await;
        Ok(())
    });
    // A blocking read still running after the deadline must not hold the process: leave it behind.
    runtime.shutdown_background();
    result
}

/// Hands every finished task's result to `on_result`; a task that panicked (or was cancelled) becomes a
/// failed result for its source, so it is stored and counted like any other failure.
async fn drain(
    mut set: tokio::task::JoinSet<SourceResult>,
    mut running: HashMap<tokio::task::Id, (Job, DateTime<Utc>)>,
    on_result: &mut impl FnMut(SourceResult),
) {
    while let Some(joined) = set.join_next_with_id().await {
        match joined {
            Ok((id, result)) => {
                running.remove(&id);
                on_result(result)
            }
            Err(e) => {
                let Some((job, started_at)) = running.remove(&e.id()) else {
                    tracing::error!("a crawl task ended abnormally: {e}");
                    continue;
                };
                let why = if e.is_panic() {
                    format!("internal error while crawling (panic: {})", panic_text(e))
                } else {
                    "crawl task cancelled".to_string()
                };
                on_result(failed(job, started_at, None, why));
            }
        }
    }
}

/// The message a panic carried, if it was text.
fn panic_text(e: tokio::task::JoinError) -> String {
    let payload = e.into_panic();
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".into())
}

fn failed(job: Job, started_at: DateTime<Utc>, status: Option<u16>, error: String) -> SourceResult {
    let url = job.url.clone();
    SourceResult {
        job,
        started_at,
        finished_at: Utc::now(),
        url,
        http_status: status,
        outcome: FetchOutcome::Failed,
        error: Some(error),
        bytes: None,
        items: Vec::new(),
        items_seen: 0,
        feed_title: None,
        etag: None,
        last_modified: None,
        body_hash: None,
        moved_to: None,
        retry_at: None,
    }
}

async fn crawl_one(shared: &Shared, job: Job, started_at: DateTime<Utc>) -> SourceResult {
    let url = match Url::parse(&job.url) {
        Ok(u) => u,
        Err(e) => return failed(job, started_at, None, format!("bad URL: {e}")),
    };
    // robots.txt is an HTTP convention: a configured file:// page has none to obey.
    if job.source.kind == SourceKind::Page
        && shared.cfg.respect_robots_txt
        && matches!(url.scheme(), "http" | "https")
    {
        if let Err(e) = check_robots(shared, &url).await {
            return failed(job, started_at, None, e.to_string());
        }
    }
    let fetched = match shared
        .fetcher
        .fetch_source(&url, &job.source.url, &job.validators)
        .await
    {
        Ok(f) => f,
        Err(FetchError::HostBlocked(until)) => {
            let mut r = failed(
                job,
                started_at,
                None,
                format!("skipped: host asks us to come back at {until}"),
            );
            r.outcome = FetchOutcome::Skipped;
            r.retry_at = Some(until);
            return r;
        }
        Err(e) => {
            let retry_at = match &e {
                FetchError::Status {
                    retry_after: Some(d),
                    ..
                } => chrono::Duration::from_std(*d).ok().map(|d| Utc::now() + d),
                _ => None,
            };
            let mut r = failed(job, started_at, e.status(), e.to_string());
            r.retry_at = retry_at;
            return r;
        }
    };
    let mut result = SourceResult {
        url: fetched.final_url.to_string(),
        http_status: Some(fetched.status),
        outcome: FetchOutcome::Ok,
        error: None,
        bytes: Some(fetched.body.len() as u64),
        items: Vec::new(),
        items_seen: 0,
        feed_title: None,
        etag: fetched.etag.clone(),
        last_modified: fetched.last_modified.clone(),
        body_hash: None,
        moved_to: fetched.moved_to.clone(),
        retry_at: None,
        started_at,
        finished_at: started_at,
        job,
    };
    if fetched.gone() {
        result.outcome = FetchOutcome::Gone;
        result.error =
            Some("HTTP 410 Gone: the publisher removed this feed; fix or remove the source".into());
    } else if fetched.not_modified() {
        result.outcome = FetchOutcome::NotModified;
    } else {
        let hash = blake3::hash(&fetched.body).to_hex().to_string();
        if result.job.body_hash.as_deref() == Some(hash.as_str()) {
            result.outcome = FetchOutcome::Unchanged;
            result.body_hash = Some(hash);
        } else {
            match parse_body(shared, &mut result, &fetched).await {
                Ok(()) => result.body_hash = Some(hash),
                Err(e) => {
                    result.outcome = FetchOutcome::Failed;
                    result.error = Some(e);
                }
            }
        }
    }
    result.finished_at = Utc::now();
    result
}

/// Parses a fetched body into `result` according to the source kind; a page given as a feed is searched
/// for a linked feed, which is fetched and parsed instead.
async fn parse_body(
    shared: &Shared,
    result: &mut SourceResult,
    fetched: &Fetched,
) -> Result<(), String> {
    let source = result.job.source.clone();
    let http_cs = fetched
        .content_type
        .as_deref()
        .and_then(charset::http_charset);
    let now = Utc::now();
    let max = shared.cfg.max_items_per_source;
    let base = fetched.final_url.as_str();
    if source.kind == SourceKind::Page {
        let (utf8, _, _) =
            charset::to_utf8(&fetched.body, source.encoding.as_deref(), http_cs, true);
        let html = String::from_utf8_lossy(&utf8);
        let selector = source.selector.as_deref().unwrap_or("a");
        let (matched, items) =
            page::extract_links(&html, base, selector, source.lang.as_deref(), now, max)?;
        if matched == 0 {
            return Err(format!(
                "CSS selector {selector:?} matched nothing on the page"
            ));
        }
        result.items_seen = matched;
        result.items = items;
        return Ok(());
    }
    let (utf8, enc, decided) =
        charset::to_utf8(&fetched.body, source.encoding.as_deref(), http_cs, false);
    tracing::debug!(source = %source.name, charset = enc.name(), by = ?decided, "charset");
    match feed::parse(&utf8, base, source.lang.as_deref(), now, max) {
        Ok(parsed) => {
            result.items_seen = parsed.entries.min(max);
            result.feed_title = parsed.title;
            result.items = parsed.items;
            Ok(())
        }
        Err(e) if page::looks_like_html(&utf8) => {
            let html = String::from_utf8_lossy(&utf8);
            let Some(feed_url) = page::discover_feeds(&html, base).into_iter().next() else {
                return Err(format!(
                    "{e}; the URL is an HTML page that links to no feed"
                ));
            };
            tracing::info!(source = %source.name, feed = %feed_url, "discovered a feed on the page");
            let url = Url::parse(&feed_url)
                .map_err(|e| format!("discovered feed URL {feed_url}: {e}"))?;
            // `fetch` speaks http(s) only: a page cannot point the crawler at a local file.
            let inner = shared
                .fetcher
                .fetch(&url, &Validators::default())
                .await
                .map_err(|e| format!("discovered feed {feed_url}: {e}"))?;
            let http_cs = inner
                .content_type
                .as_deref()
                .and_then(charset::http_charset);
            let (utf8, _, _) =
                charset::to_utf8(&inner.body, source.encoding.as_deref(), http_cs, false);
            let parsed = feed::parse(
                &utf8,
                inner.final_url.as_str(),
                source.lang.as_deref(),
                now,
                max,
            )
            .map_err(|e| format!("discovered feed {feed_url}: {e}"))?;
            result.items_seen = parsed.entries.min(max);
            result.feed_title = parsed.title;
            result.items = parsed.items;
            result.moved_to = Some(inner.final_url.to_string());
            result.url = inner.final_url.to_string();
            // The page's validators would be wrong for the feed: store the feed's.
            result.etag = inner.etag;
            result.last_modified = inner.last_modified;
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// Fetches (once per host per crawl) and applies robots.txt. Per RFC 9309 a 4xx robots.txt allows
/// everything, and an unreachable one or a 5xx disallows everything for now.
async fn check_robots(shared: &Shared, url: &Url) -> Result<(), FetchError> {
    let key = fetch::host_key(url);
    let cell = {
        let mut map = shared.robots.lock().unwrap_or_else(|p| p.into_inner());
        map.entry(key).or_default().clone()
    };
    let robots = cell
        .get_or_init(|| async {
            let Ok(robots_url) = url.join("/robots.txt") else {
                return Robots::default();
            };
            match shared.fetcher.fetch(&robots_url, &Validators::default()).await {
                Ok(f) if f.status == 200 => {
                    Robots::parse(&String::from_utf8_lossy(&f.body), &shared.cfg.user_agent)
                }
                Ok(_) => Robots::default(),
                Err(FetchError::Status { status, .. }) if (400..500).contains(&status) => Robots::default(),
                Err(e) => {
                    tracing::warn!(url = %robots_url, "robots.txt unavailable ({e}); not fetching pages from this host");
                    Robots::parse("User-agent: *\nDisallow: /", "")
                }
            }
        })
        .await;
    let mut path = url.path().to_string();
    if let Some(q) = url.query() {
        path.push('?');
        path.push_str(q);
    }
    if robots.allowed(&path) {
        Ok(())
    } else {
        Err(FetchError::Robots)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panicking_task_is_a_failed_source() {
        let job = Job {
            source_id: 7,
            source: Source {
                name: "boom".into(),
                url: "http://x.example/".into(),
                kind: SourceKind::Feed,
                lang: None,
                selector: None,
                encoding: None,
            },
            url: "http://x.example/".into(),
            validators: Validators::default(),
            body_hash: None,
        };
        let mut set = tokio::task::JoinSet::new();
        let handle = set.spawn(async { panic!("overflow when adding duration to instant") });
        let mut running = HashMap::new();
        running.insert(handle.id(), (job, Utc::now()));
        let mut results = Vec::new();
        drain(set, running, &mut |r| results.push(r)).await;
        assert_eq!(results.len(), 1);
        assert_eq!(results[0].outcome, FetchOutcome::Failed);
        assert_eq!(results[0].job.source_id, 7);
        let error = results[0].error.as_deref().unwrap_or("");
        assert!(error.contains("overflow when adding"), "{error}");
    }

    #[test]
    fn backoff_doubles_and_caps() {
        let base = Duration::from_secs(300);
        let max = Duration::from_secs(3600);
        assert_eq!(backoff(1, base, max), base);
        assert_eq!(backoff(2, base, max), base * 2);
        assert_eq!(backoff(3, base, max), base * 4);
        assert_eq!(backoff(10, base, max), max);
        assert_eq!(backoff(1000, base, max), max);
    }
}
