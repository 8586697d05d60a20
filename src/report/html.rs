//! The HTML report: one self-contained file (inline CSS, inline SVG, no scripts, no external requests)
//! rendered by minijinja from `templates/report.html`. The template's name ends in `.html`, so every value
//! is HTML-escaped unless it is one of the SVG strings this module builds (and escapes) itself. Links are
//! only emitted for `Entry::href`, which holds http(s) URLs only.

use super::{percent, svg, ReportModel};
use crate::error::{Error, Result};
use minijinja::{context, Environment, Value};

const TEMPLATE: &str = include_str!("templates/report.html");
const FOLLOWUP: &str = include_str!("templates/followup.html");
/// The official position and the facts, shared with the review desk.
const POSITION: &str = include_str!("templates/position.html");
/// The stylesheet shared with the review desk (inlined here, served by the desk).
pub const STYLE: &str = include_str!("templates/style.css");

/// The filters the report and the desk templates share: `percent`, `safe_href` (http(s) only) and
/// `htime` (a stored UTC time as `9 Jun 2025, 08:30 UTC`).
pub fn add_filters(env: &mut Environment<'_>) {
    env.add_filter("percent", |p: f64| percent(p));
    env.add_filter("safe_href", |s: Option<String>| {
        s.and_then(|s| super::safe_url(&s))
    });
    env.add_filter("htime", |s: Option<String>| {
        human_time(s.as_deref().unwrap_or(""))
    });
}

/// A stored time for people: `9 Jun 2025, 08:30 UTC`; text that is not a time is returned as it is.
pub fn human_time(s: &str) -> String {
    match crate::store::parse_time(s) {
        Some(t) => t.format("%-d %b %Y, %H:%M UTC").to_string(),
        None => s.to_string(),
    }
}

/// Renders the report as HTML.
pub fn render(m: &ReportModel) -> Result<String> {
    let mut env = Environment::new();
    env.add_template("report.html", TEMPLATE)
        .and_then(|_| env.add_template("position.html", POSITION))
        .map_err(|e| Error::Other(format!("report template: {e}")))?;
    env.add_template("followup.html", FOLLOWUP)
        .map_err(|e| Error::Other(format!("report template followup.html: {e}")))?;
    add_filters(&mut env);
    let outlets: Vec<_> = m
        .summary
        .by_outlet
        .iter()
        .filter(|c| c.flagged > 0)
        .cloned()
        .collect();
    let chart_days = svg::bars(
        "Flagged headlines per day (publication date, UTC)",
        &m.per_day,
    );
    let chart_outlets = svg::bars("Flagged headlines per outlet", &outlets);
    let tmpl = env
        .get_template("report.html")
        .map_err(|e| Error::Other(format!("report template: {e}")))?;
    tmpl.render(context! {
        m => Value::from(minijinja::value::Serde(m)),
        chart_days => Value::from_safe_string(chart_days),
        chart_outlets => Value::from_safe_string(chart_outlets),
        style => Value::from_safe_string(STYLE.to_string()),
    })
    .map_err(|e| Error::Other(format!("rendering the HTML report: {e:#}")))
}
