//! `GET /position`: the official position, quoted with speaker, date and source, and the facts with
//! their sources: one click from every page of the desk (the navigation bar links here).

use super::auth::Session;
use super::{render, Failure, State};
use axum::response::Html;
use axum::Extension;
use minijinja::context;

pub async fn page(
    axum::extract::State(desk): axum::extract::State<State>,
    Extension(session): Extension<Session>,
) -> Result<Html<String>, Failure> {
    let n = &desk.config.narrative;
    render::page(
        &desk,
        &session,
        "position_page.html",
        "position",
        "The official position",
        context! {
            claim => n.claim.clone(),
            positions => minijinja::Value::from(minijinja::value::Serde(&n.positions)),
            facts => minijinja::Value::from(minijinja::value::Serde(&n.facts)),
        },
    )
}
