//! The desk's templates (minijinja, autoescaped: every template name ends in `.html`), compiled into the
//! binary, with the filters they share with the HTML report (`percent`, `safe_href`, `htime`). The
//! official position partial and the stylesheet are the report's own files.

use super::auth::Session;
use super::{Desk, Failure};
use crate::error::{Error, Result};
use axum::response::Html;
use minijinja::{context, Environment, Value};
use serde::Serialize;
use std::sync::OnceLock;

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("templates/base.html")),
    ("cards.html", include_str!("templates/cards.html")),
    ("queue.html", include_str!("templates/queue.html")),
    ("search.html", include_str!("templates/search.html")),
    ("outlets.html", include_str!("templates/outlets.html")),
    ("reports.html", include_str!("templates/reports.html")),
    (
        "position_page.html",
        include_str!("templates/position_page.html"),
    ),
    ("login.html", include_str!("templates/login.html")),
    ("error.html", include_str!("templates/error.html")),
    (
        "position.html",
        include_str!("../report/templates/position.html"),
    ),
];

/// What every page's frame needs.
#[derive(Debug, Serialize)]
struct Frame<'a> {
    /// The navigation entry to mark as current.
    nav: &'a str,
    title: &'a str,
    csrf: &'a str,
    user: Option<&'a str>,
    login: bool,
}

fn build() -> std::result::Result<Environment<'static>, minijinja::Error> {
    let mut env = Environment::new();
    for (name, source) in TEMPLATES {
        env.add_template(name, source)?;
    }
    crate::report::html::add_filters(&mut env);
    Ok(env)
}

fn env() -> &'static std::result::Result<Environment<'static>, minijinja::Error> {
    static ENV: OnceLock<std::result::Result<Environment<'static>, minijinja::Error>> =
        OnceLock::new();
    ENV.get_or_init(build)
}

/// Fails when a template does not parse (checked at start-up, not at the first request).
pub fn check() -> Result<()> {
    env()
        .as_ref()
        .map(|_| ())
        .map_err(|e| Error::Other(format!("desk template: {e:#}")))
}

fn render(name: &str, ctx: Value) -> std::result::Result<String, Failure> {
    let env = env()
        .as_ref()
        .map_err(|e| Failure::internal(format!("desk template: {e:#}")))?;
    env.get_template(name)
        .and_then(|t| t.render(ctx))
        .map_err(|e| Failure::internal(format!("rendering {name}: {e:#}")))
}

/// A page of the desk: `name` rendered with `ctx` plus the frame (`page`).
pub fn page<S: Serialize>(
    desk: &Desk,
    session: &Session,
    name: &str,
    nav: &str,
    title: &str,
    ctx: S,
) -> std::result::Result<Html<String>, Failure> {
    let frame = Frame {
        nav,
        title,
        csrf: &session.csrf,
        user: session.user.as_deref(),
        login: desk.requires_login(),
    };
    render(
        name,
        context! { page => Value::from(minijinja::value::Serde(&frame)), v => Value::from(minijinja::value::Serde(&ctx)) },
    )
    .map(Html)
}

/// The sign-in page, with an error line after a failed attempt.
pub fn login(
    desk: &Desk,
    session: &Session,
    next: &str,
    error: Option<&str>,
) -> std::result::Result<Html<String>, Failure> {
    page(
        desk,
        session,
        "login.html",
        "login",
        "Sign in",
        context! { next => next, error => error },
    )
}

/// An error page (used where no session is at hand).
pub fn error_page(status: u16, message: &str) -> String {
    let frame = Frame {
        nav: "",
        title: "Error",
        csrf: "",
        user: None,
        login: false,
    };
    render(
        "error.html",
        context! { page => Value::from(minijinja::value::Serde(&frame)), status => status, message => message },
    )
    .unwrap_or_else(|f| {
        // The templates are compiled in; this is only reached if they are broken.
        format!("error {status}: {}", html_escape::encode_text(&f.message))
    })
}
