//! The review desk (`headline-watch serve`): a local web application over the same SQLite database, where
//! press officers review the day's flags in a browser.
//!
//! # Architecture
//! - [`Desk`] is the shared state: one [`Store`] connection behind a mutex (queries run on the blocking
//!   pool), the configuration, the users and sessions ([`auth`]); [`render`] holds the templates.
//! - Every request goes through [`auth::layer`]: it finds or starts the session (cookie), asks for
//!   credentials when the desk has users, refuses cross-site state changes ([`csrf`]) and sets the
//!   security headers (a strict Content-Security-Policy: no external requests, scripts and styles only
//!   from the desk itself).
//! - One file per page: [`queue`], [`verdicts`], [`search`], [`outlets`], [`reports`], [`position`];
//!   [`assets`] serves the embedded CSS and script.
//! - Verdicts are the same append-only `reviews` rows as `review mark`; undo appends a `review_undos` row.
//!   Every write is committed before the response, so killing the server loses no verdict. The desk never
//!   takes the run lock: WAL and the store's busy timeout let it run beside cron's `run`.

pub mod assets;
pub mod auth;
pub mod cards;
pub mod counts;
pub mod csrf;
pub mod outlets;
pub mod position;
pub mod queue;
pub mod render;
pub mod reports;
pub mod search;
pub mod verdicts;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::store::Store;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// Writes today's report in a format (`md`, `html`, `json`, `csv`) as `headline-watch report` would, and
/// returns its path. Supplied by the binary, which owns report writing.
pub type ReportWriter = Box<dyn Fn(&str) -> Result<PathBuf> + Send + Sync>;

/// Cards per queue page and results per search.
pub const PAGE_SIZE: usize = 50;

/// The desk's shared state.
pub struct Desk {
    store: Mutex<Store>,
    pub(crate) config: Config,
    pub(crate) auth: auth::Auth,
    pub(crate) write_report: ReportWriter,
    /// The queue's totals between writes ([`counts`]).
    pub(crate) totals: counts::Totals,
}

/// Shared state as the handlers receive it.
pub type State = Arc<Desk>;

impl Desk {
    /// The desk over `store`. Fails when the users file cannot be read or a password hash is malformed.
    pub fn new(store: Store, config: Config, write_report: ReportWriter) -> Result<Desk> {
        let auth = auth::Auth::from_config(&config.serve)?;
        render::check()?;
        Ok(Desk {
            store: Mutex::new(store),
            auth,
            config,
            write_report,
            totals: counts::Totals::default(),
        })
    }

    /// Whether the desk asks for credentials (it has users).
    pub fn requires_login(&self) -> bool {
        self.auth.required()
    }
}

/// Runs `f` with the store on the blocking pool (SQLite calls block, and may wait for cron's `run`).
pub(crate) async fn with_store<T, F>(desk: &State, f: F) -> Result<T, Failure>
where
    T: Send + 'static,
    F: FnOnce(&Store, &Desk) -> Result<T> + Send + 'static,
{
    let desk = desk.clone();
    tokio::task::spawn_blocking(move || {
        let store = desk
            .store
            .lock()
            .map_err(|_| Error::Other("the database connection was poisoned".into()))?;
        f(&store, &desk)
    })
    .await
    .map_err(|e| Failure::internal(format!("a database task failed: {e}")))?
    .map_err(Failure::from)
}

/// An error page: status and a message for the person at the desk.
#[derive(Debug)]
pub struct Failure {
    pub status: StatusCode,
    pub message: String,
}

impl Failure {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Failure {
        Failure {
            status,
            message: message.into(),
        }
    }
    pub fn internal(message: impl Into<String>) -> Failure {
        Failure::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }
    pub fn bad_request(message: impl Into<String>) -> Failure {
        Failure::new(StatusCode::BAD_REQUEST, message)
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        tracing::error!("{e}");
        Failure::internal(e.to_string())
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        // A plain page: the message is escaped by the template engine like everything else.
        let body = render::error_page(self.status.as_u16(), &self.message);
        (self.status, Html(body)).into_response()
    }
}

/// The desk's routes.
pub fn router(desk: State) -> Router {
    Router::new()
        .route("/", get(queue::page))
        .route("/verdict", post(verdicts::record))
        .route("/undo", post(verdicts::undo))
        .route("/search", get(search::page))
        .route("/outlets", get(outlets::page))
        .route("/reports", get(reports::page))
        .route("/reports/new", post(reports::write_today))
        .route("/reports/{id}", get(reports::file))
        .route("/position", get(position::page))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/static/{name}", get(assets::file))
        .fallback(|| async { Failure::new(StatusCode::NOT_FOUND, "No such page.") })
        .layer(axum::middleware::from_fn_with_state(
            desk.clone(),
            auth::layer,
        ))
        .with_state(desk)
}

/// Serves the desk on `listener` until ctrl-c or SIGTERM.
pub async fn run(listener: tokio::net::TcpListener, desk: State) -> Result<()> {
    let app = router(desk).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| Error::Other(format!("serving the desk: {e}")))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

/// Refuses an address beyond loopback when the desk has no users: a team server must ask for
/// credentials, and there are none to ask for.
pub fn check_exposure(addr: SocketAddr, has_users: bool) -> Result<()> {
    if !addr.ip().is_loopback() && !has_users {
        return Err(Error::Other(format!(
            "refusing to serve the review desk on {addr} without credentials: beyond loopback every \
             page must ask for a login. Add users under [serve] in the configuration \
             ([[serve.users]] name and password_hash, or users_file; make a hash with \
             `headline-watch serve --hash-password`), or listen on 127.0.0.1"
        )));
    }
    Ok(())
}
