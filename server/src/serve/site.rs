//! The static side of the server: the host page, the built widget, the editor pages, the
//! documents' media and the compiled documents as plain files, so that `<script … data-src="/documents/ID.json">` works
//! against `jiedu serve` exactly as against a static web server.

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use jiedu_core::rich::escape_html;
use tower::Layer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

use super::config::Config;
use super::documents;
use super::error::AppError;
use super::extract::{ApiPath, ApiQuery};
use super::state::AppState;
use super::{media, public};

/// The policy of the host page at `/`: the widget's script and wasm from this server, its
/// requests to this server, images and videos also from `https:` (documents may link them).
/// Inline styles stay allowed: host pages and the widget's elements use them.
pub const HOST_PAGE_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; media-src 'self' https:; \
    connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'";

/// The editors' pages: the same, and never inside a frame (they act with an editor's token).
pub const EDITOR_PAGE_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; media-src 'self' https:; \
    connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
    frame-ancestors 'none'";

fn with_headers<S>(
    service: S,
    csp: &'static str,
    referrer: &'static str,
) -> tower_http::set_header::SetResponseHeader<
    tower_http::set_header::SetResponseHeader<S, HeaderValue>,
    HeaderValue,
> {
    let csp = SetResponseHeaderLayer::overriding(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(csp),
    );
    let referrer = SetResponseHeaderLayer::overriding(
        header::REFERRER_POLICY,
        HeaderValue::from_static(referrer),
    );
    referrer.layer(csp.layer(service))
}

pub fn routes(config: &Config) -> Router<AppState> {
    let www = &config.www_dir;
    Router::new()
        .route("/", get(index))
        .route("/documents/{file}", get(static_document))
        .route_service(
            "/editor",
            with_headers(
                ServeFile::new(www.join("editor.html")),
                EDITOR_PAGE_CSP,
                "same-origin",
            ),
        )
        .route_service(
            "/review",
            with_headers(
                ServeFile::new(www.join("review.html")),
                EDITOR_PAGE_CSP,
                "same-origin",
            ),
        )
        .nest(
            "/dist",
            Router::new()
                .fallback_service(
                    ServeDir::new(&config.dist_dir)
                        .precompressed_br()
                        .precompressed_gzip(),
                )
                .layer(middleware::from_fn(dist_cache)),
        )
        .nest_service(
            "/www",
            with_headers(ServeDir::new(www), EDITOR_PAGE_CSP, "same-origin"),
        )
        // Documents refer to images and videos relatively (`media/chart.svg`): resolved against
        // the host page that is `/media/…`, against a `/documents/ID.json` it is
        // `/documents/media/…` (and against `/api/v1/documents/ID`, `/api/v1/documents/media/…`,
        // an API route). All are the uploads in the database, then the content directory's
        // `media/` folder (see media.rs).
        .route("/media/{*path}", get(media::serve))
        .route("/documents/media/{*path}", get(media::serve))
}

/// How long `dist/` may be cached. The glue and the wasm have content-hashed names (see
/// `xtask/src/widget.rs`): a name always means the same bytes, so browsers and CDNs keep them a
/// year without asking again. Everything else there, the loader above all (it names the hashed
/// files), is revalidated on every use, so an upgrade reaches readers at once and a browser never
/// pairs one release's glue with another's wasm. `Timing-Allow-Origin` lets host pages measure
/// how long the widget took to load (these files are public).
async fn dist_cache(request: Request, next: Next) -> Response {
    let immutable = is_content_hashed(request.uri().path());
    let mut response = next.run(request).await;
    if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
        let policy = if immutable {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
        headers.insert("timing-allow-origin", HeaderValue::from_static("*"));
    }
    response
}

/// `NAME-0123456789abcdef.EXT`: 16 hex digits before the extension, as the widget build writes.
fn is_content_hashed(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or_default();
    let stem = file.split('.').next().unwrap_or_default();
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `GET /`: the host page, or when there is none a plain list of the documents.
async fn index(State(state): State<AppState>) -> Response {
    let headers = [
        (header::CONTENT_SECURITY_POLICY, HOST_PAGE_CSP),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
    ];
    (headers, host_page(&state).await).into_response()
}

async fn host_page(state: &AppState) -> Response {
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

/// The query of the compare page: two published revisions of the document, both or neither.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompareQuery {
    pub old: Option<i64>,
    pub new: Option<i64>,
}

/// `GET /documents/{id}/compare`: the reader's 修订对照 view, the same 修改前后对照表 that
/// `jiedu build --html` writes as `ID.compare.html`, rendered on demand, so the widget carries
/// only a link to it. It compares the document with the one it `replaces`, or with `?old=&new=`
/// two of its published revisions. No script; it follows the host page's policy.
pub async fn compare(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<CompareQuery>,
) -> Result<Response, AppError> {
    let (old, new) = match (q.old, q.new) {
        (None, None) => {
            let site = state.site();
            let new = site.get(&id)?;
            let replaced = new
                .doc
                .replaces
                .as_deref()
                .ok_or_else(|| AppError::NothingToCompare(id.clone()))?;
            let old = site
                .get_for_editors(replaced)
                .map_err(|_| AppError::NothingToCompare(id.clone()))?;
            (old.doc.clone(), new.doc.clone())
        }
        (Some(old), Some(new)) => {
            state.site().get(&id)?;
            let doc = id.clone();
            let (a, b) = state
                .reads
                .run(move |conn| {
                    Ok((
                        documents::published_compiled(conn, &doc, old)?,
                        documents::published_compiled(conn, &doc, new)?,
                    ))
                })
                .await?;
            (
                a.ok_or(AppError::RevisionNotFound(old))?,
                b.ok_or(AppError::RevisionNotFound(new))?,
            )
        }
        _ => {
            return Err(AppError::BadParameter {
                name: if q.old.is_none() { "old" } else { "new" }.into(),
                detail: "old and new name two published revisions: give both or neither".into(),
            });
        }
    };
    let page = crate::cli::html::compare_page(&old, &new, false);
    let headers = [
        (header::CONTENT_SECURITY_POLICY, HOST_PAGE_CSP),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (header::CACHE_CONTROL, "no-cache"),
    ];
    Ok((headers, Html(page)).into_response())
}
