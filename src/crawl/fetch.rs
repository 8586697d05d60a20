//! One HTTP (or `file://`) fetch: conditional GET with the stored validators, redirects followed by hand
//! (so a 301/308 can move the stored URL while a 302/307 does not, and a loop is an error rather than a
//! hang), a body-size cap enforced while streaming, and every request passing through [`Politeness`].
//!
//! The local machine is reachable only on purpose: [`Fetcher::fetch`] speaks http(s) only, so nothing a
//! remote server sends (a redirect, a `<link rel="alternate">`) can make it read a file; only
//! [`Fetcher::fetch_source`], given a source the configuration itself names as `file://`, reads one, and
//! then only a regular file, under the same body cap.

use super::politeness::{parse_retry_after, Politeness};
use reqwest::header::{
    HeaderMap, CONTENT_TYPE, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED, LOCATION,
    RETRY_AFTER,
};
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;
use url::Url;

/// Why a fetch failed; each message is short enough for one log line and the `fetches.error` column.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("HTTP {status}")]
    Status {
        status: u16,
        /// From `Retry-After` on a 429/503: the whole host is left alone this long.
        retry_after: Option<Duration>,
    },
    #[error("more than {0} redirects")]
    TooManyRedirects(usize),
    #[error("redirect loop back to {0}")]
    RedirectLoop(String),
    #[error("redirect without a usable Location header")]
    BadRedirect,
    #[error("body larger than the limit of {0} bytes")]
    TooLarge(u64),
    #[error("timed out")]
    Timeout,
    #[error("{0}")]
    Network(String),
    #[error("cannot read {path}: {message}")]
    File { path: String, message: String },
    #[error("refused to follow a redirect to {0}: only http and https are followed")]
    RedirectScheme(String),
    #[error("refused to fetch {0}: only http and https URLs are fetched for a remote source")]
    Scheme(String),
    #[error("host asked us to come back at {0} (Retry-After)")]
    HostBlocked(chrono::DateTime<chrono::Utc>),
    #[error("disallowed by robots.txt")]
    Robots,
}

impl FetchError {
    /// The HTTP status that caused the error, if any.
    pub fn status(&self) -> Option<u16> {
        match self {
            FetchError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// A completed fetch.
#[derive(Debug)]
pub struct Fetched {
    /// 200-ish, 304 or 410.
    pub status: u16,
    /// The URL the body came from (after redirects).
    pub final_url: Url,
    /// Set when every redirect on the way was permanent (301/308): the source's new stored URL.
    pub moved_to: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub content_type: Option<String>,
    /// Empty for 304 and 410.
    pub body: Vec<u8>,
}

impl Fetched {
    pub fn not_modified(&self) -> bool {
        self.status == 304
    }
    pub fn gone(&self) -> bool {
        self.status == 410
    }
}

/// Stored validators sent back verbatim.
#[derive(Debug, Default, Clone)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// Fetch settings shared by every request of a crawl.
pub struct Fetcher {
    client: reqwest::Client,
    politeness: Arc<Politeness>,
    max_body: u64,
    max_redirects: usize,
    deadline: Instant,
    /// A host's `Retry-After` is obeyed up to this long; longer asks are cut to it.
    max_retry_after: Duration,
}

/// Builds the HTTP client. Installs the ring crypto provider first: reqwest is built with
/// `rustls-no-provider` and panics without one (STACK.md).
pub fn build_client(
    user_agent: &str,
    request_timeout: Duration,
    connect_timeout: Duration,
) -> Result<reqwest::Client, FetchError> {
    // Err means a provider is already installed, which is what we want.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .user_agent(user_agent)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(request_timeout)
        .connect_timeout(connect_timeout)
        .pool_idle_timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| FetchError::Network(format!("cannot build the HTTP client: {e}")))
}

impl Fetcher {
    pub fn new(
        client: reqwest::Client,
        politeness: Arc<Politeness>,
        max_body: u64,
        max_redirects: usize,
        deadline: Instant,
    ) -> Fetcher {
        Fetcher {
            client,
            politeness,
            max_body,
            max_redirects,
            deadline,
            max_retry_after: Duration::from_secs(crate::config::DEFAULT_MAX_RETRY_AFTER_SECS),
        }
    }

    /// Caps how long a host's `Retry-After` is obeyed (`[crawl] max_retry_after_secs`).
    pub fn with_max_retry_after(mut self, max: Duration) -> Fetcher {
        self.max_retry_after = max;
        self
    }

    /// Fetches a configured source's URL: `file://` is read from disk only when `configured` (the URL
    /// the configuration names) is that same `file://` URL; anything else goes through [`Self::fetch`].
    pub async fn fetch_source(
        &self,
        url: &Url,
        configured: &str,
        validators: &Validators,
    ) -> Result<Fetched, FetchError> {
        // Compared parsed: the configuration may spell the same URL differently (`/./`, `%41`).
        if url.scheme() == "file" && Url::parse(configured).ok().as_ref() == Some(url) {
            return self.fetch_file(url).await;
        }
        self.fetch(url, validators).await
    }

    /// Fetches an http(s) `url`, sending `validators` as `If-None-Match` / `If-Modified-Since`. Any other
    /// scheme is refused, and so is a redirect to one.
    pub async fn fetch(&self, url: &Url, validators: &Validators) -> Result<Fetched, FetchError> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(FetchError::Scheme(url.to_string()));
        }
        let mut current = url.clone();
        let mut seen = vec![current.as_str().to_string()];
        let mut all_permanent = true;
        let mut redirects = 0;
        loop {
            let host = host_key(&current);
            let _permit = self
                .politeness
                .acquire(&host, self.deadline)
                .await
                .map_err(|b| FetchError::HostBlocked(b.until))?;
            let mut req = self.client.get(current.clone()).header(
                reqwest::header::ACCEPT,
                "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5",
            );
            if let Some(etag) = &validators.etag {
                req = req.header(IF_NONE_MATCH, etag);
            }
            if let Some(lm) = &validators.last_modified {
                req = req.header(IF_MODIFIED_SINCE, lm);
            }
            let resp = req.send().await.map_err(network_error)?;
            let status = resp.status().as_u16();
            let headers = resp.headers().clone();
            match status {
                301 | 302 | 303 | 307 | 308 => {
                    redirects += 1;
                    if redirects > self.max_redirects {
                        return Err(FetchError::TooManyRedirects(self.max_redirects));
                    }
                    let next = header_str(&headers, LOCATION)
                        .and_then(|loc| current.join(&loc).ok())
                        .ok_or(FetchError::BadRedirect)?;
                    if !matches!(next.scheme(), "http" | "https") {
                        return Err(FetchError::RedirectScheme(next.to_string()));
                    }
                    if seen.iter().any(|s| s == next.as_str()) {
                        return Err(FetchError::RedirectLoop(next.to_string()));
                    }
                    all_permanent &= matches!(status, 301 | 308);
                    seen.push(next.to_string());
                    current = next;
                }
                304 | 410 => {
                    return Ok(self.done(
                        status,
                        current,
                        url,
                        all_permanent,
                        &headers,
                        Vec::new(),
                    ));
                }
                200..=299 => {
                    let body = self.read_capped(resp).await?;
                    return Ok(self.done(status, current, url, all_permanent, &headers, body));
                }
                _ => {
                    let retry_after = if matches!(status, 429 | 503) {
                        header_str(&headers, RETRY_AFTER)
                            .and_then(|v| parse_retry_after(&v, chrono::Utc::now()))
                            .map(|d| d.min(self.max_retry_after))
                    } else {
                        None
                    };
                    if let Some(wait) = retry_after {
                        self.politeness.block_host(&host, wait);
                    }
                    return Err(FetchError::Status {
                        status,
                        retry_after,
                    });
                }
            }
        }
    }

    fn done(
        &self,
        status: u16,
        final_url: Url,
        original: &Url,
        all_permanent: bool,
        headers: &HeaderMap,
        body: Vec<u8>,
    ) -> Fetched {
        let moved_to = (all_permanent && final_url != *original).then(|| final_url.to_string());
        Fetched {
            status,
            final_url,
            moved_to,
            etag: header_str(headers, ETAG),
            last_modified: header_str(headers, LAST_MODIFIED),
            content_type: header_str(headers, CONTENT_TYPE),
            body,
        }
    }

    /// Reads the (already gunzipped) body chunk by chunk, failing as soon as it passes the limit, so a
    /// huge or endless response costs at most `max_body` bytes of memory.
    async fn read_capped(&self, mut resp: reqwest::Response) -> Result<Vec<u8>, FetchError> {
        if resp.content_length().is_some_and(|n| n > self.max_body) {
            return Err(FetchError::TooLarge(self.max_body));
        }
        let mut body = Vec::with_capacity(
            resp.content_length()
                .unwrap_or(16 * 1024)
                .min(self.max_body) as usize,
        );
        while let Some(chunk) = resp.chunk().await.map_err(network_error)? {
            if (body.len() + chunk.len()) as u64 > self.max_body {
                return Err(FetchError::TooLarge(self.max_body));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    async fn fetch_file(&self, url: &Url) -> Result<Fetched, FetchError> {
        let path = url.to_file_path().map_err(|_| FetchError::File {
            path: url.to_string(),
            message: "not a local file path".into(),
        })?;
        let file_err = |e: std::io::Error| FetchError::File {
            path: path.display().to_string(),
            message: e.to_string(),
        };
        let meta = tokio::fs::metadata(&path).await.map_err(file_err)?;
        if !meta.is_file() {
            // A FIFO, a device (/dev/zero, /dev/stdin) or a folder: endless, blocking or not a feed.
            return Err(FetchError::File {
                path: path.display().to_string(),
                message: "not a regular file".into(),
            });
        }
        if meta.len() > self.max_body {
            return Err(FetchError::TooLarge(self.max_body));
        }
        // The cap holds while reading too: the file may grow after the size check.
        use tokio::io::AsyncReadExt;
        let file = tokio::fs::File::open(&path).await.map_err(file_err)?;
        let mut body = Vec::with_capacity(meta.len() as usize);
        file.take(self.max_body + 1)
            .read_to_end(&mut body)
            .await
            .map_err(file_err)?;
        if body.len() as u64 > self.max_body {
            return Err(FetchError::TooLarge(self.max_body));
        }
        Ok(Fetched {
            status: 200,
            final_url: url.clone(),
            moved_to: None,
            etag: None,
            last_modified: None,
            content_type: None,
            body,
        })
    }
}

/// The politeness key of a URL: host and port (loopback addresses on different ports are different
/// servers in tests, and the same host on two ports is rare in the wild).
pub fn host_key(url: &Url) -> String {
    match (url.host_str(), url.port_or_known_default()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_string(),
        _ => String::new(),
    }
}

fn header_str(headers: &HeaderMap, name: reqwest::header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.to_string())
}

fn network_error(e: reqwest::Error) -> FetchError {
    if e.is_timeout() {
        return FetchError::Timeout;
    }
    // reqwest's Display hides the cause ("error sending request"); the chain says what happened.
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    if let Some(url) = e.url() {
        msg = msg.replace(&format!(" ({url})"), "");
    }
    FetchError::Network(msg)
}
