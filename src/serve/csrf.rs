//! Cross-site request refusal. Two independent checks, both required for a state change:
//! 1. the browser's own word on where the request comes from: `Sec-Fetch-Site` must be `same-origin` (or
//!    `none`, typed by the user) and `Origin`, when sent, must be this server (scheme-less host:port
//!    compared with `Host`); done for every non-GET request in [`super::auth::layer`];
//! 2. the session's token, which only pages of this desk put in their forms ([`check_token`]).
//!
//! A cross-origin post fails the first check in any current browser and the second in every client;
//! nothing is written before both pass.

use super::auth::Session;
use super::Failure;
use axum::http::header::{HeaderMap, HOST, ORIGIN};
use axum::http::StatusCode;

/// Why a request's origin was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    CrossSite(String),
    ForeignOrigin(String),
}

/// Checks `Sec-Fetch-Site` and `Origin` against `Host`.
pub fn check_origin(headers: &HeaderMap) -> Result<(), Refusal> {
    if let Some(site) = headers.get("sec-fetch-site") {
        let site = site.to_str().unwrap_or("?");
        if site != "same-origin" && site != "none" {
            return Err(Refusal::CrossSite(site.to_string()));
        }
    }
    if let Some(origin) = headers.get(ORIGIN) {
        let origin = origin.to_str().unwrap_or("null");
        let host = headers
            .get(HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("");
        let origin_host = url::Url::parse(origin).ok().and_then(|u| {
            let h = u.host_str()?.to_string();
            Some(match u.port() {
                Some(p) => format!("{h}:{p}"),
                None => h,
            })
        });
        if host.is_empty() || origin_host.as_deref() != Some(host) {
            return Err(Refusal::ForeignOrigin(origin.to_string()));
        }
    }
    Ok(())
}

/// The form's token must be the session's (compared in constant time).
pub fn check_token(session: &Session, given: Option<&str>) -> Result<(), Failure> {
    let given = given.unwrap_or("").as_bytes();
    let want = session.csrf.as_bytes();
    let same = given.len() == want.len()
        && given
            .iter()
            .zip(want)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if same {
        Ok(())
    } else {
        Err(Failure::new(
            StatusCode::FORBIDDEN,
            "This form is out of date or did not come from the desk (its token does not match your \
             session); nothing was changed. Reload the page and try again.",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn origins() {
        assert!(check_origin(&headers(&[("host", "127.0.0.1:8080")])).is_ok());
        assert!(check_origin(&headers(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "http://127.0.0.1:8080"),
            ("sec-fetch-site", "same-origin"),
        ]))
        .is_ok());
        assert!(check_origin(&headers(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "http://evil.example"),
        ]))
        .is_err());
        assert!(check_origin(&headers(&[("host", "127.0.0.1:8080"), ("origin", "null")])).is_err());
        assert!(check_origin(&headers(&[
            ("host", "127.0.0.1:8080"),
            ("sec-fetch-site", "cross-site"),
        ]))
        .is_err());
        assert!(check_origin(&headers(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "http://127.0.0.1:8081"),
        ]))
        .is_err());
    }
}
