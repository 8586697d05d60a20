//! `GET /static/{name}`: the stylesheets (the HTML report's own, then the desk's) and the desk's script, compiled into the
//! binary: no build step, nothing fetched from elsewhere.

use super::Failure;
use axum::extract::Path;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

const SCRIPT: &str = include_str!("static/desk.js");
const DESK_STYLE: &str = include_str!("static/desk.css");

pub async fn file(Path(name): Path<String>) -> Response {
    let (body, kind) = match name.as_str() {
        "style.css" => (crate::report::html::STYLE, "text/css; charset=utf-8"),
        "desk.css" => (DESK_STYLE, "text/css; charset=utf-8"),
        "desk.js" => (SCRIPT, "text/javascript; charset=utf-8"),
        _ => return Failure::new(StatusCode::NOT_FOUND, "No such file.").into_response(),
    };
    ([(CONTENT_TYPE, kind), (CACHE_CONTROL, "no-cache")], body).into_response()
}
