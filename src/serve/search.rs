//! `GET /search`: every stored headline (flagged or not) matching the words typed, with the queue's
//! filters, newest first. A headline the model did not flag can be marked misleading here: a miss teaches
//! the model as much as a false flag.

use super::auth::Session;
use super::cards::Card;
use super::queue::{link, FilterQuery};
use super::{render, with_store, Failure, State, PAGE_SIZE};
use crate::store::desk::{fts_query, ReviewRef};
use axum::extract::Query;
use axum::response::Html;
use axum::Extension;
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    #[serde(flatten)]
    filter: FilterQuery,
    done: Option<String>,
}

#[derive(Serialize)]
struct SearchView {
    q: String,
    searched: bool,
    cards: Vec<Card>,
    /// More matches than shown.
    more: bool,
    filter: FilterQuery,
    outlets: Vec<String>,
    langs: Vec<String>,
    errors: Vec<String>,
    back: String,
    done: Option<ReviewRef>,
}

pub async fn page(
    axum::extract::State(desk): axum::extract::State<State>,
    Extension(session): Extension<Session>,
    Query(sq): Query<SearchQuery>,
) -> Result<Html<String>, Failure> {
    let (filter, mut errors) = sq.filter.to_filter();
    let q = sq.q.trim().chars().take(200).collect::<String>();
    let fts = fts_query(&q);
    if fts.is_none() && !q.is_empty() {
        errors.push("type letters or digits to search for".into());
    }
    let searched = fts.is_some();
    let done: Option<i64> = sq.done.as_deref().and_then(|d| d.trim().parse().ok());
    let (mut items, (outlets, langs), done) = with_store(&desk, move |s, _| {
        let items = match &fts {
            Some(fts) => s.desk_search(fts, &filter, PAGE_SIZE + 1)?,
            None => Vec::new(),
        };
        let done = match done {
            Some(id) => s.desk_review(id)?,
            None => None,
        };
        Ok((items, s.desk_filter_options()?, done))
    })
    .await?;
    let more = items.len() > PAGE_SIZE;
    items.truncate(PAGE_SIZE);
    let mut pairs = vec![("q", q.clone())];
    pairs.extend(sq.filter.pairs());
    let view = SearchView {
        back: link("/search", &pairs),
        q,
        searched,
        cards: items.into_iter().map(Card::new).collect(),
        more,
        filter: sq.filter,
        outlets,
        langs,
        errors,
        done,
    };
    render::page(
        &desk,
        &session,
        "search.html",
        "search",
        "Search headlines",
        view,
    )
}
