//! Whether flagged headlines of page sources still exist: a page source gives no publication dates, so
//! the feed rule for disappearance ([`crate::store::versions`]) cannot apply; instead each such headline's
//! own URL is asked for, with the crawl's politeness and robots.txt, and a 404 or 410 means the outlet
//! took the page down. That is noted, never treated as a correction. Anything else (200, a redirect, an
//! error, a timeout) says nothing and changes nothing.

use super::fetch::{FetchError, Validators};
use super::{check_robots, Shared};
use crate::config::CrawlConfig;
use url::Url;

/// Asks for each `(item id, url)` and returns the ids whose URL answered 404 or 410.
pub fn gone(links: Vec<(i64, String)>, cfg: &CrawlConfig) -> crate::error::Result<Vec<i64>> {
    if links.is_empty() {
        return Ok(Vec::new());
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| crate::error::Error::Other(format!("cannot start the async runtime: {e}")))?;
    let result = runtime.block_on(async move {
        let (shared, deadline) = Shared::for_run(cfg)?;
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
    });
    // As in the crawl: a task still blocked (a slow server past the deadline) must not hold the process.
    runtime.shutdown_background();
    result
}
