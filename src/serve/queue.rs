//! `GET /`: the queue of flagged headlines awaiting a verdict, newest run first (or by confidence, or by
//! uncertainty), filtered by outlet, language and publication date, one page of cards at a time. After a
//! verdict made without JavaScript, `?done=ID` shows what was recorded with its undo button.

use super::auth::Session;
use super::cards::Card;
use super::{render, with_store, Failure, State, PAGE_SIZE};
use crate::store::desk::{DeskFilter, QueuePage, QueueSort};
use crate::store::fmt_time;
use axum::extract::Query;
use axum::response::Html;
use axum::Extension;
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// The filters as the query string carries them (all optional; empty means unset).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct FilterQuery {
    #[serde(default)]
    pub outlet: String,
    #[serde(default)]
    pub lang: String,
    /// `YYYY-MM-DD`, published on or after (UTC).
    #[serde(default)]
    pub since: String,
    /// `YYYY-MM-DD`, published on or before (UTC, the whole day).
    #[serde(default)]
    pub until: String,
}

fn day(s: &str, what: &str, errors: &mut Vec<String>) -> Option<NaiveDate> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            errors.push(format!("{what} {s:?} is not a date (YYYY-MM-DD); ignored"));
            None
        }
    }
}

fn some(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

impl FilterQuery {
    /// The store's filter, and a message for each value that could not be used.
    pub fn to_filter(&self) -> (DeskFilter, Vec<String>) {
        let mut errors = Vec::new();
        let since = day(&self.since, "from", &mut errors)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| fmt_time(t.and_utc()));
        let until = day(&self.until, "to", &mut errors)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| fmt_time(t.and_utc() + Duration::days(1)));
        (
            DeskFilter {
                outlet: some(&self.outlet),
                lang: some(&self.lang),
                since,
                until,
            },
            errors,
        )
    }

    /// As query-string pairs (unset ones left out).
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        [
            ("outlet", &self.outlet),
            ("lang", &self.lang),
            ("since", &self.since),
            ("until", &self.until),
        ]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| (k, v.trim().to_string()))
        .collect()
    }
}

/// Builds `path?k=v&...` with the values encoded.
pub fn link(path: &str, pairs: &[(&str, String)]) -> String {
    if pairs.is_empty() {
        return path.to_string();
    }
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        q.append_pair(k, v);
    }
    format!("{path}?{}", q.finish())
}

#[derive(Debug, Deserialize)]
pub struct QueueQuery {
    #[serde(flatten)]
    filter: FilterQuery,
    #[serde(default)]
    sort: String,
    page: Option<String>,
    done: Option<String>,
}

#[derive(Serialize)]
struct QueueView {
    cards: Vec<Card>,
    total: i64,
    page: usize,
    pages: usize,
    prev: Option<String>,
    next: Option<String>,
    sort: &'static str,
    filter: FilterQuery,
    outlets: Vec<String>,
    langs: Vec<String>,
    errors: Vec<String>,
    /// Where verdict forms send the browser back to.
    back: String,
    done: Option<crate::store::desk::ReviewRef>,
}

fn sort_of(s: &str) -> (QueueSort, &'static str) {
    match s {
        "confidence" => (QueueSort::Confidence, "confidence"),
        "uncertainty" => (QueueSort::Uncertainty, "uncertainty"),
        _ => (QueueSort::Newest, "newest"),
    }
}

pub async fn page(
    axum::extract::State(desk): axum::extract::State<State>,
    Extension(session): Extension<Session>,
    Query(q): Query<QueueQuery>,
) -> Result<Html<String>, Failure> {
    let (filter, mut errors) = q.filter.to_filter();
    let (sort, sort_name) = sort_of(q.sort.trim());
    let page: usize = match q.page.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        None => 1,
        Some(p) => p.parse().ok().filter(|&n| n >= 1).unwrap_or_else(|| {
            errors.push(format!(
                "page {p:?} is not a page number; showing the first"
            ));
            1
        }),
    };
    let done: Option<i64> = q.done.as_deref().and_then(|d| d.trim().parse().ok());
    let (queue, (outlets, langs), done) = with_store(&desk, move |s, d| {
        let version = s.data_version()?;
        let key = format!("{filter:?}");
        let total = match d.totals.get(version, &key) {
            Some(t) => t,
            None => {
                let t = s.desk_queue_total(&filter)?;
                d.totals.put(version, key, t);
                t
            }
        };
        let queue = QueuePage {
            total,
            items: s.desk_queue_page(&filter, sort, PAGE_SIZE, (page - 1) * PAGE_SIZE)?,
        };
        let options = s.desk_filter_options()?;
        let done = match done {
            Some(id) => s.desk_review(id)?,
            None => None,
        };
        Ok((queue, options, done))
    })
    .await?;
    let mut pairs = q.filter.pairs();
    if sort_name != "newest" {
        pairs.push(("sort", sort_name.to_string()));
    }
    let pages = (queue.total as usize).div_ceil(PAGE_SIZE).max(1);
    let at = |n: usize| {
        let mut p = pairs.clone();
        if n > 1 {
            p.push(("page", n.to_string()));
        }
        link("/", &p)
    };
    let view = QueueView {
        cards: queue.items.into_iter().map(Card::new).collect(),
        total: queue.total,
        page,
        pages,
        prev: (page > 1).then(|| at(page - 1)),
        next: (page < pages).then(|| at(page + 1)),
        sort: sort_name,
        back: at(page),
        filter: q.filter,
        outlets,
        langs,
        errors,
        done,
    };
    render::page(&desk, &session, "queue.html", "queue", "Review queue", view)
}
