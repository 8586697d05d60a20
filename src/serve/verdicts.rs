//! `POST /verdict` and `POST /undo`. A verdict is the same `reviews` row as `review mark`; undo appends a
//! `review_undos` row (the item's previous verdict, or none, counts again). Both are plain forms: without
//! JavaScript the browser is sent back where it came from (`return`) with `done=ID`, which shows the
//! verdict and its undo button; the desk's script asks for JSON instead (header `X-Requested-With: desk`)
//! and stays on the page.

use super::auth::{safe_next, Session};
use super::{csrf, with_store, Failure, State};
use crate::domain::{Label, Verdict};
use crate::store::desk::ReviewRef;
use axum::extract::Form;
use axum::http::header::{HeaderMap, CONTENT_TYPE};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use chrono::Utc;
use serde::Deserialize;

/// Longest note kept (characters); a longer one is refused, not cut.
pub const MAX_NOTE: usize = 2000;
/// Longest reviewer name (characters).
pub const MAX_REVIEWER: usize = 100;

#[derive(Debug, Deserialize)]
pub struct VerdictForm {
    csrf: Option<String>,
    item_id: Option<String>,
    label: Option<String>,
    note: Option<String>,
    reviewer: Option<String>,
    #[serde(rename = "return")]
    back: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct UndoForm {
    csrf: Option<String>,
    review_id: Option<String>,
    reviewer: Option<String>,
    #[serde(rename = "return")]
    back: Option<String>,
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get("x-requested-with")
        .is_some_and(|v| v.as_bytes() == b"desk")
}

fn text(v: Option<String>, max: usize, what: &str) -> Result<Option<String>, Failure> {
    let v = v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    match v {
        Some(s) if s.chars().count() > max => Err(Failure::bad_request(format!(
            "the {what} is longer than {max} characters; nothing was recorded"
        ))),
        v => Ok(v),
    }
}

fn id(v: Option<&str>, what: &str) -> Result<i64, Failure> {
    v.and_then(|s| s.trim().parse().ok()).ok_or_else(|| {
        Failure::bad_request(format!("the form has no valid {what}; nothing was changed"))
    })
}

fn answer(headers: &HeaderMap, r: &ReviewRef, back: Option<&str>) -> Response {
    if wants_json(headers) {
        let body = serde_json::to_string(r).unwrap_or_else(|_| "{}".into());
        return ([(CONTENT_TYPE, "application/json")], body).into_response();
    }
    let back = safe_next(back);
    let sep = if back.contains('?') { '&' } else { '?' };
    let done = if r.undone {
        String::new()
    } else {
        format!("{sep}done={}", r.review_id)
    };
    Redirect::to(&format!("{back}{done}")).into_response()
}

/// Records a verdict on an item.
pub async fn record(
    axum::extract::State(desk): axum::extract::State<State>,
    Extension(session): Extension<Session>,
    headers: HeaderMap,
    Form(f): Form<VerdictForm>,
) -> Result<Response, Failure> {
    csrf::check_token(&session, f.csrf.as_deref())?;
    let item_id = id(f.item_id.as_deref(), "item id")?;
    let label: Label = f
        .label
        .as_deref()
        .unwrap_or("")
        .parse()
        .map_err(|e: String| Failure::bad_request(format!("{e}; nothing was recorded")))?;
    let note = text(f.note, MAX_NOTE, "note")?;
    let reviewer = text(f.reviewer, MAX_REVIEWER, "reviewer name")?.or(session.user.clone());
    let verdict = Verdict {
        item_id,
        label,
        reviewer,
        note,
        reviewed_at: Utc::now(),
    };
    let recorded = with_store(&desk, move |s, d| {
        let review_id = s.insert_review(&verdict)?;
        d.totals.forget();
        s.desk_review(review_id)
    })
    .await
    .map_err(|e| Failure::bad_request(e.message))?
    .ok_or_else(|| Failure::internal("the verdict was recorded but cannot be read back"))?;
    tracing::info!(
        "item {} marked {} at the desk",
        recorded.item_id,
        recorded.label
    );
    Ok(answer(&headers, &recorded, f.back.as_deref()))
}

/// Undoes a verdict.
pub async fn undo(
    axum::extract::State(desk): axum::extract::State<State>,
    Extension(session): Extension<Session>,
    headers: HeaderMap,
    Form(f): Form<UndoForm>,
) -> Result<Response, Failure> {
    csrf::check_token(&session, f.csrf.as_deref())?;
    let review_id = id(f.review_id.as_deref(), "verdict id")?;
    let who = text(f.reviewer, MAX_REVIEWER, "reviewer name")?.or(session.user.clone());
    let undone = with_store(&desk, move |s, d| {
        let undone = s.undo_review(review_id, who.as_deref(), Utc::now())?;
        d.totals.forget();
        Ok(undone)
    })
    .await
    .map_err(|e| Failure::bad_request(e.message))?;
    tracing::info!(
        "verdict {review_id} on item {} undone at the desk",
        undone.item_id
    );
    Ok(answer(&headers, &undone, f.back.as_deref()))
}
