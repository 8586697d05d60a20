//! `GET /outlets`: per outlet, its flagged headlines over the last weeks (a small bar chart), how many a
//! reviewer confirmed or rejected, what became of its flagged headlines (corrected, edited, disappeared,
//! median time to correction: the report's per-outlet figures over everything stored), and its feed's
//! health (last fetch, failures in a row, held back until, gone).

use super::auth::Session;
use super::{render, with_store, Failure, State};
use crate::report::corrections::{self, OutletFigures};
use crate::store::desk::OutletRow;
use crate::store::{fmt_time, parse_time};
use axum::response::Html;
use axum::Extension;
use chrono::{Duration, Utc};
use serde::Serialize;
use std::collections::HashMap;

/// Weeks shown in each outlet's chart.
pub const WEEKS: i64 = 12;
/// Height of the chart's tallest bar (SVG units).
const BAR_H: f64 = 24.0;

#[derive(Serialize)]
struct Week {
    /// Monday of the week, `YYYY-MM-DD`.
    start: String,
    count: i64,
    x: usize,
    y: f64,
    h: f64,
}

#[derive(Serialize)]
struct Outlet {
    #[serde(flatten)]
    row: OutletRow,
    weeks: Vec<Week>,
    /// `ok`, `failing` or `gone`.
    health: &'static str,
    /// `next_fetch_at` when it is still ahead.
    held_until: Option<String>,
    /// Corrected, edited, disappeared and median hours to correction of its flagged headlines.
    followup: Option<OutletFigures>,
}

#[derive(Serialize)]
struct OutletsView {
    outlets: Vec<Outlet>,
    weeks: i64,
    since: String,
}

pub async fn page(
    axum::extract::State(desk): axum::extract::State<State>,
    Extension(session): Extension<Session>,
) -> Result<Html<String>, Failure> {
    let now = Utc::now();
    let today = now.date_naive();
    let monday = today - Duration::days(today.weekday_from_monday());
    let first = monday - Duration::weeks(WEEKS - 1);
    let since = first
        .and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc())
        .unwrap_or(now);
    let (mut rows, days, histories) = with_store(&desk, move |s, _| {
        let epoch = chrono::DateTime::<Utc>::UNIX_EPOCH;
        Ok((
            s.desk_outlets()?,
            s.desk_flag_days()?,
            s.flagged_histories(epoch, now)?,
        ))
    })
    .await?;
    // The same figures as the reports' "Corrections per outlet", over everything stored up to now.
    let mut followup: HashMap<String, OutletFigures> =
        corrections::build(&histories, chrono::DateTime::<Utc>::UNIX_EPOCH, now)
            .outlets
            .into_iter()
            .map(|o| (o.outlet.clone(), o))
            .collect();
    let mut counts: HashMap<(i64, i64), i64> = HashMap::new();
    let mut totals: HashMap<i64, (i64, i64, i64)> = HashMap::new();
    for d in days {
        let t = totals.entry(d.source_id).or_default();
        t.0 += d.flagged;
        t.1 += d.confirmed;
        t.2 += d.rejected;
        if let Ok(day) = chrono::NaiveDate::parse_from_str(&d.day, "%Y-%m-%d") {
            let week = (day - first).num_days().div_euclid(7);
            if (0..WEEKS).contains(&week) {
                *counts.entry((d.source_id, week)).or_default() += d.flagged;
            }
        }
    }
    for row in &mut rows {
        if let Some(&(flagged, confirmed, rejected)) = totals.get(&row.source_id) {
            row.flagged = flagged;
            row.confirmed = confirmed;
            row.rejected = rejected;
        }
    }
    // Outlets with the most flags first: that is what a press office opens this page for.
    rows.sort_by(|a, b| b.flagged.cmp(&a.flagged).then_with(|| a.name.cmp(&b.name)));
    let max = counts.values().copied().max().unwrap_or(0).max(1) as f64;
    let outlets = rows
        .into_iter()
        .map(|row| {
            let weeks = (0..WEEKS)
                .map(|w| {
                    let count = counts.get(&(row.source_id, w)).copied().unwrap_or(0);
                    let h = if count > 0 {
                        (count as f64 / max * BAR_H).max(2.0)
                    } else {
                        1.0
                    };
                    Week {
                        start: (first + Duration::weeks(w)).to_string(),
                        count,
                        x: w as usize * 8,
                        y: BAR_H - h,
                        h,
                    }
                })
                .collect();
            let health = if row.status == "gone" {
                "gone"
            } else if row.failure_count > 0 {
                "failing"
            } else {
                "ok"
            };
            let held_until = row
                .next_fetch_at
                .clone()
                .filter(|t| parse_time(t).is_some_and(|t| t > now));
            let followup = followup.remove(&row.name);
            Outlet {
                row,
                weeks,
                health,
                held_until,
                followup,
            }
        })
        .collect();
    let view = OutletsView {
        outlets,
        weeks: WEEKS,
        since: fmt_time(since),
    };
    render::page(&desk, &session, "outlets.html", "outlets", "Outlets", view)
}

trait WeekdayFromMonday {
    fn weekday_from_monday(&self) -> i64;
}

impl WeekdayFromMonday for chrono::NaiveDate {
    fn weekday_from_monday(&self) -> i64 {
        use chrono::Datelike;
        self.weekday().num_days_from_monday() as i64
    }
}
