//! The static side of the server: the host page, the built widget, the editor pages, the
//! documents' media and the compiled documents as plain files, so that `<script … data-src="/documents/ID.json">` works
//! against `jiedu serve` exactly as against a static web server.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use jiedu_core::rich::escape_html;
use tower_http::services::{ServeDir, ServeFile};

use super::config::Config;
use super::error::AppError;
use super::extract::ApiPath;
use super::public;
use super::state::AppState;

pub fn routes(config: &Config) -> Router<AppState> {
    let www = &config.www_dir;
    Router::new()
        .route("/", get(index))
        .route("/documents/{file}", get(static_document))
        .route_service("/editor", ServeFile::new(www.join("editor.html")))
        .route_service("/review", ServeFile::new(www.join("review.html")))
        .nest_service(
            "/dist",
            ServeDir::new(&config.dist_dir)
                .precompressed_br()
                .precompressed_gzip(),
        )
        .nest_service("/www", ServeDir::new(www))
        // Documents refer to images and videos relatively (`media/chart.svg`): resolved against
        // the host page that is `/media/…`, against a `/documents/ID.json` it is
        // `/documents/media/…`. Both are the content directory's `media/` folder.
        .nest_service("/media", ServeDir::new(config.content_dir.join("media")))
        .nest_service(
            "/documents/media",
            ServeDir::new(config.content_dir.join("media")),
        )
}

/// `GET /`: the host page, or when there is none a plain list of the documents.
async fn index(State(state): State<AppState>) -> Response {
    match tokio::fs::read(&state.config.index).await {
        Ok(bytes) => ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], bytes).into_response(),
        Err(_) => {
            let mut page = String::from(
                "<!doctype html><meta charset=\"utf-8\"><title>Jiedu</title><h1>Jiedu 解读</h1><ul>",
            );
            for served in &state.site().documents {
                page.push_str("<li><a href=\"/documents/");
                escape_html(&served.doc.id, &mut page);
                page.push_str(".json\">");
                escape_html(&served.doc.title, &mut page);
                page.push_str("</a></li>");
            }
            page.push_str("</ul><p><a href=\"/api/v1/openapi.json\">API</a></p>");
            Html(page).into_response()
        }
    }
}

/// `GET /documents/{id}.json`: the compiled document; `index.json` lists them all.
async fn static_document(
    State(state): State<AppState>,
    ApiPath(file): ApiPath<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let id = file.strip_suffix(".json").ok_or(AppError::NoRoute)?;
    match state.site().get(id) {
        Ok(served) => Ok(public::serve_document(&served, &headers)),
        Err(_) if id == "index" => Ok(public::list_documents(State(state), headers).await),
        Err(e) => Err(e),
    }
}
