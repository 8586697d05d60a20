//! Who is at the desk: users with argon2 password hashes (from `[serve]`), in-memory sessions behind an
//! HttpOnly, SameSite=Strict cookie (Secure when configured), sign-in rate-limited per client address and
//! per user name, and the layer every request passes through.
//!
//! Every visitor gets a session, signed in or not, because the session carries the CSRF token that every
//! form must send back ([`super::csrf`]). A desk without users (loopback only, see
//! [`super::check_exposure`]) asks for no login. Sessions live in memory: restarting the server signs
//! everyone out and loses nothing else.

use super::{csrf, render, Failure, State};
use crate::config::ServeConfig;
use crate::error::{Error, Result};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::{ConnectInfo, Form, Request};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use serde::Deserialize;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The session cookie's name.
pub const COOKIE: &str = "hw_desk";
/// Failed sign-ins allowed per client address, and per user name, within [`FAILURE_WINDOW`].
pub const MAX_FAILURES: usize = 5;
/// The window over which failed sign-ins are counted.
pub const FAILURE_WINDOW: Duration = Duration::from_secs(15 * 60);
/// Sessions kept at most; beyond it the expired and then the anonymous ones are dropped.
const MAX_SESSIONS: usize = 10_000;

/// A visitor's session.
#[derive(Debug, Clone)]
pub struct Session {
    pub id: String,
    /// The signed-in user, if any.
    pub user: Option<String>,
    /// The token every form of this session carries.
    pub csrf: String,
    expires: Instant,
}

/// Users, sessions and the sign-in limiter.
pub struct Auth {
    users: HashMap<String, String>,
    /// Verified against when the user name is unknown, so a wrong name costs the same time as a wrong
    /// password (a hash of a random token nobody knows).
    dummy_hash: String,
    secure_cookie: bool,
    ttl: Duration,
    sessions: Mutex<HashMap<String, Session>>,
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

/// A random token: 32 bytes from the operating system, hex.
pub fn token() -> String {
    let mut b = [0u8; 32];
    OsRng.fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// An argon2id hash (PHC string) of `password` with a fresh salt, for `[[serve.users]] password_hash`.
pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::Other(format!("hashing the password: {e}")))
}

fn verify(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

impl Auth {
    /// Users from `[[serve.users]]` and `users_file`; every hash is checked to parse.
    pub fn from_config(c: &ServeConfig) -> Result<Auth> {
        let mut users = HashMap::new();
        for u in &c.users {
            users.insert(u.name.clone(), u.password_hash.clone());
        }
        if let Some(path) = &c.users_file {
            let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
                path: path.clone(),
                source,
            })?;
            for (i, line) in text.lines().enumerate() {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                let Some((name, hash)) = line.split_once(':') else {
                    return Err(Error::Other(format!(
                        "{}:{}: expected `name:argon2-hash`",
                        path.display(),
                        i + 1
                    )));
                };
                users.insert(name.trim().to_string(), hash.trim().to_string());
            }
        }
        for (name, hash) in &users {
            if name.is_empty() {
                return Err(Error::Other(
                    "[serve] users: a user has an empty name".into(),
                ));
            }
            if PasswordHash::new(hash).is_err() {
                return Err(Error::Other(format!(
                    "[serve] users: the password hash of {name:?} is not an argon2 PHC string \
                     (make one with `headline-watch serve --hash-password`)"
                )));
            }
        }
        Ok(Auth {
            dummy_hash: if users.is_empty() {
                String::new()
            } else {
                hash_password(&token())?
            },
            users,
            secure_cookie: c.secure_cookie,
            ttl: Duration::from_secs(c.session_hours.max(1) * 3600),
            sessions: Mutex::new(HashMap::new()),
            failures: Mutex::new(HashMap::new()),
        })
    }

    /// Whether pages ask for credentials.
    pub fn required(&self) -> bool {
        !self.users.is_empty()
    }

    fn sessions(&self) -> std::sync::MutexGuard<'_, HashMap<String, Session>> {
        self.sessions.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn find(&self, id: &str) -> Option<Session> {
        let now = Instant::now();
        self.sessions().get(id).filter(|s| s.expires > now).cloned()
    }

    fn start(&self, user: Option<String>) -> Session {
        let s = Session {
            id: token(),
            user,
            csrf: token(),
            expires: Instant::now() + self.ttl,
        };
        let mut map = self.sessions();
        if map.len() >= MAX_SESSIONS {
            let now = Instant::now();
            map.retain(|_, v| v.expires > now);
            if map.len() >= MAX_SESSIONS {
                map.retain(|_, v| v.user.is_some());
            }
        }
        map.insert(s.id.clone(), s.clone());
        s
    }

    fn end(&self, id: &str) {
        self.sessions().remove(id);
    }

    fn cookie(&self, id: &str, max_age: u64) -> HeaderValue {
        let secure = if self.secure_cookie { "; Secure" } else { "" };
        let v =
            format!("{COOKIE}={id}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}");
        HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static(""))
    }

    /// Failed attempts in the window for any of `keys`; past the limit, how long until the next try.
    fn blocked(&self, keys: &[String]) -> Option<Duration> {
        let now = Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let mut wait = None;
        for k in keys {
            if let Some(v) = map.get_mut(k) {
                v.retain(|t| now.duration_since(*t) < FAILURE_WINDOW);
                if v.len() >= MAX_FAILURES {
                    let oldest = v[0];
                    wait = Some(FAILURE_WINDOW.saturating_sub(now.duration_since(oldest)));
                }
            }
        }
        wait
    }

    fn record_failure(&self, keys: &[String]) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > MAX_SESSIONS {
            map.clear();
        }
        for k in keys {
            map.entry(k.clone()).or_default().push(Instant::now());
        }
    }
}

fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_string())
}

/// Pages anyone may open: the sign-in page and the embedded styles and script.
fn is_public(path: &str) -> bool {
    path == "/login" || path.starts_with("/static/")
}

/// The content security policy of the desk's own pages: nothing from elsewhere, no inline script or
/// style, no framing, forms only back to the desk.
pub const CSP: &str =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Every request: session, sign-in, cross-site refusal, security headers.
pub async fn layer(
    axum::extract::State(desk): axum::extract::State<State>,
    mut req: Request,
    next: Next,
) -> Response {
    let found = session_cookie(req.headers()).and_then(|id| desk.auth.find(&id));
    let fresh = found.is_none();
    let session = found.unwrap_or_else(|| desk.auth.start(None));
    let path = req.uri().path().to_string();
    let mut response = if req.method() != Method::GET
        && req.method() != Method::HEAD
        && csrf::check_origin(req.headers()).is_err()
    {
        Failure::new(
            StatusCode::FORBIDDEN,
            "This request came from another site and was refused; nothing was changed.",
        )
        .into_response()
    } else if desk.auth.required() && session.user.is_none() && !is_public(&path) {
        if req.method() == Method::GET {
            let next_url = req
                .uri()
                .path_and_query()
                .map(|p| p.as_str().to_string())
                .unwrap_or_else(|| "/".into());
            let q: String = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("next", &next_url)
                .finish();
            Redirect::to(&format!("/login?{q}")).into_response()
        } else {
            Failure::new(
                StatusCode::UNAUTHORIZED,
                "Sign in first; nothing was changed.",
            )
            .into_response()
        }
    } else {
        req.extensions_mut().insert(session.clone());
        next.run(req).await
    };
    let h = response.headers_mut();
    if fresh && !h.contains_key(header::SET_COOKIE) {
        h.insert(
            header::SET_COOKIE,
            desk.auth.cookie(&session.id, desk.auth.ttl.as_secs()),
        );
    }
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        );
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
}

/// `GET /login`.
pub async fn login_page(
    axum::extract::State(desk): axum::extract::State<State>,
    Extension(session): Extension<Session>,
    axum::extract::Query(q): axum::extract::Query<LoginQuery>,
) -> Result<Response, Failure> {
    let next = safe_next(q.next.as_deref());
    render::login(&desk, &session, &next, None).map(IntoResponse::into_response)
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    csrf: Option<String>,
    username: Option<String>,
    password: Option<String>,
    next: Option<String>,
}

/// `POST /login`: checks the token, the limiter, then the password (on the blocking pool: argon2 is
/// slow on purpose); on success a new session id (the old one is dropped, so a planted id is useless).
pub async fn login(
    axum::extract::State(desk): axum::extract::State<State>,
    Extension(session): Extension<Session>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Form(f): Form<LoginForm>,
) -> Result<Response, Failure> {
    csrf::check_token(&session, f.csrf.as_deref())?;
    let next = safe_next(f.next.as_deref());
    let user = f.username.unwrap_or_default().trim().to_string();
    let password = f.password.unwrap_or_default();
    let keys = vec![format!("ip:{}", peer.ip()), format!("user:{user}")];
    if let Some(wait) = desk.auth.blocked(&keys) {
        let minutes = wait.as_secs().div_ceil(60).max(1);
        let page = render::login(
            &desk,
            &session,
            &next,
            Some(&format!(
                "Too many failed sign-ins. Try again in {minutes} minute{}.",
                if minutes == 1 { "" } else { "s" }
            )),
        )?;
        let mut r = (StatusCode::TOO_MANY_REQUESTS, page).into_response();
        if let Ok(v) = HeaderValue::from_str(&wait.as_secs().max(1).to_string()) {
            r.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return Ok(r);
    }
    let hash = desk
        .auth
        .users
        .get(&user)
        .cloned()
        .unwrap_or_else(|| desk.auth.dummy_hash.clone());
    let known = desk.auth.users.contains_key(&user);
    let ok = tokio::task::spawn_blocking(move || verify(&password, &hash))
        .await
        .unwrap_or(false)
        && known;
    if !ok {
        desk.auth.record_failure(&keys);
        tracing::warn!("failed desk sign-in for {user:?} from {}", peer.ip());
        let page = render::login(&desk, &session, &next, Some("Wrong user name or password."))?;
        return Ok((StatusCode::UNAUTHORIZED, page).into_response());
    }
    desk.auth.end(&session.id);
    let signed_in = desk.auth.start(Some(user));
    let mut r = Redirect::to(&next).into_response();
    r.headers_mut().insert(
        header::SET_COOKIE,
        desk.auth.cookie(&signed_in.id, desk.auth.ttl.as_secs()),
    );
    Ok(r)
}

#[derive(Debug, Deserialize)]
pub struct LogoutForm {
    csrf: Option<String>,
}

/// `POST /logout`.
pub async fn logout(
    axum::extract::State(desk): axum::extract::State<State>,
    Extension(session): Extension<Session>,
    Form(f): Form<LogoutForm>,
) -> Result<Response, Failure> {
    csrf::check_token(&session, f.csrf.as_deref())?;
    desk.auth.end(&session.id);
    let mut r = Redirect::to("/login").into_response();
    r.headers_mut()
        .insert(header::SET_COOKIE, desk.auth.cookie("", 0));
    Ok(r)
}

/// A local path to return to after signing in or deciding: `/...` but not `//host` (which a browser
/// would treat as another site), else `/`.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify() {
        let h = hash_password("correct horse").unwrap();
        assert!(verify("correct horse", &h));
        assert!(!verify("wrong", &h));
        assert!(!verify("correct horse", "not a hash"));
    }

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next(Some("/search?q=x")), "/search?q=x");
        assert_eq!(safe_next(Some("//evil.example/")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example/")), "/");
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn limiter_blocks_after_failures() {
        let a = Auth::from_config(&ServeConfig::default()).unwrap();
        let keys = vec!["ip:1".to_string()];
        for _ in 0..MAX_FAILURES {
            assert!(a.blocked(&keys).is_none());
            a.record_failure(&keys);
        }
        assert!(a.blocked(&keys).is_some());
        assert!(a.blocked(&["ip:2".to_string()]).is_none());
    }
}
