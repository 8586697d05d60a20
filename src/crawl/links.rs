//! Whether flagged headlines of page sources still exist: a page source gives no publication dates, so
//! the feed rule for disappearance ([`crate::store::versions`]) cannot apply; instead each such headline's
//! own URL is asked for, with the crawl's politeness and robots.txt, and a 404 or 410 means the outlet
//! took the page down. That is noted, never treated as a correction. Anything else (200, a redirect, an
//! error, a timeout) says nothing and changes nothing.

use super::fetch::{build_client, FetchError, Fetcher, Validators};
use super::politeness::Politeness;
use super::{check_robots, Shared};
use crate::config::CrawlConfig;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;
use url::Url;

/// Asks for each `(item id, url)` and returns the ids whose URL answered 404 or 410.
pub fn gone(links: Vec<(i64, String)>, cfg: &CrawlConfig) -> Result<Vec<i64>, String> {
    if links.is_empty() {
        return Ok(Vec::new());
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    runtime.block_on(async move {
        let client = build_client(
            &cfg.user_agent,
            Duration::from_secs(cfg.request_timeout_secs.max(1)),
            Duration::from_secs(cfg.connect_timeout_secs.max(1)),
        )
        .map_err(|e| e.to_string())?;
        let deadline = Instant::now() + Duration::from_secs(cfg.deadline_secs.max(1));
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
            ),
            cfg: cfg.clone(),
            robots: Mutex::new(HashMap::new()),
        });
        let mut set = tokio::task::JoinSet::new();
        for (id, link) in links {
            let shared = shared.clone();
            set.spawn(async move {
                let url = Url::parse(&link).ok()?;
                if shared.cfg.respect_robots_txt && check_robots(&shared, &url).await.is_err() {
                    return None;
                }
                let answer = tokio::time::timeout_at(
                    deadline,
                    shared.fetcher.fetch(&url, &Validators::default()),
                )
                .await
                .ok()?;
                let gone = match answer {
                    Ok(f) => f.gone(),
                    Err(FetchError::Status { status, .. }) => status == 404,
                    Err(_) => false,
                };
                gone.then_some(id)
            });
        }
        let mut out = Vec::new();
        while let Some(joined) = set.join_next().await {
            if let Ok(Some(id)) = joined {
                out.push(id);
            }
        }
        out.sort_unstable();
        Ok(out)
    })
}
