//! `GET /reports`: the reports already written (the `reports` table), each opened in the browser or
//! downloaded; `POST /reports/new` writes today's report in a chosen format, as `headline-watch report`
//! would (period since the previous report, into `[report] dir`).

use super::auth::Session;
use super::{csrf, render, with_store, Failure, State};
use crate::store::desk::ReportFile;
use axum::extract::{Form, Path, Query};
use axum::http::header::{HeaderValue, CONTENT_DISPOSITION, CONTENT_SECURITY_POLICY, CONTENT_TYPE};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Extension;
use serde::{Deserialize, Serialize};

/// Reports listed.
const LISTED: usize = 200;

/// An HTML report shown by the desk keeps its own inline styles but can do nothing else: no scripts,
/// no requests, no forms (sandbox).
const REPORT_CSP: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; sandbox";

#[derive(Debug, Deserialize)]
pub struct ReportsQuery {
    written: Option<String>,
    error: Option<String>,
}

#[derive(Serialize)]
struct ReportsView {
    reports: Vec<ReportFile>,
    written: Option<String>,
    error: Option<String>,
}

pub async fn page(
    axum::extract::State(desk): axum::extract::State<State>,
    Extension(session): Extension<Session>,
    Query(q): Query<ReportsQuery>,
) -> Result<Html<String>, Failure> {
    let reports = with_store(&desk, |s, _| s.report_files(LISTED)).await?;
    let view = ReportsView {
        reports,
        written: q.written,
        error: q.error,
    };
    render::page(&desk, &session, "reports.html", "reports", "Reports", view)
}

#[derive(Debug, Deserialize)]
pub struct FileQuery {
    download: Option<String>,
}

fn content_type(format: &str) -> &'static str {
    match format {
        "html" => "text/html; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        _ => "text/plain; charset=utf-8",
    }
}

/// `GET /reports/{id}` (add `?download=1` to save it).
pub async fn file(
    axum::extract::State(desk): axum::extract::State<State>,
    Path(id): Path<String>,
    Query(q): Query<FileQuery>,
) -> Result<Response, Failure> {
    let not_found = || Failure::new(StatusCode::NOT_FOUND, "No such report.");
    let id: i64 = id.parse().map_err(|_| not_found())?;
    let report = with_store(&desk, move |s, _| s.report_file(id))
        .await?
        .ok_or_else(not_found)?;
    let bytes = tokio::fs::read(&report.path).await.map_err(|e| {
        Failure::new(
            StatusCode::NOT_FOUND,
            format!("The report file {} cannot be read: {e}", report.path),
        )
    })?;
    let mut r = ([(CONTENT_TYPE, content_type(&report.format))], bytes).into_response();
    let h = r.headers_mut();
    h.insert(
        CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(REPORT_CSP),
    );
    if q.download.is_some() {
        // The file name is the stored one reduced to safe characters.
        let name: String = std::path::Path::new(&report.path)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
            .collect();
        let name = if name.is_empty() {
            format!("report-{id}.{}", report.format)
        } else {
            name
        };
        if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
            h.insert(CONTENT_DISPOSITION, v);
        }
    }
    Ok(r)
}

#[derive(Debug, Deserialize)]
pub struct WriteForm {
    csrf: Option<String>,
    format: Option<String>,
}

/// `POST /reports/new`: writes today's report (on the blocking pool: it reads the store and the model).
pub async fn write_today(
    axum::extract::State(desk): axum::extract::State<State>,
    Extension(session): Extension<Session>,
    Form(f): Form<WriteForm>,
) -> Result<Response, Failure> {
    csrf::check_token(&session, f.csrf.as_deref())?;
    let format = f.format.unwrap_or_else(|| "html".into());
    if !matches!(format.as_str(), "md" | "html" | "json" | "csv") {
        return Err(Failure::bad_request(format!(
            "unknown report format {format:?} (md, html, json or csv); nothing was written"
        )));
    }
    let d = desk.clone();
    let written = tokio::task::spawn_blocking(move || (d.write_report)(&format))
        .await
        .map_err(|e| Failure::internal(format!("writing the report failed: {e}")))?;
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    match written {
        Ok(path) => q.append_pair("written", &path.display().to_string()),
        Err(e) => q.append_pair("error", &e.to_string()),
    };
    Ok(Redirect::to(&format!("/reports?{}", q.finish())).into_response())
}
