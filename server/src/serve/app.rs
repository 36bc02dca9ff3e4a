//! The router of every route and the middleware around them.
//!
//! [`app`] builds the whole HTTP service from an [`AppState`]; `jiedu serve` binds it to a port
//! and the tests drive it with `tower::ServiceExt::oneshot`. The API routes are registered
//! through [`Api`], which also records each (method, path) pair, so a test can hold the router
//! and the OpenAPI document to each other.

use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::handler::Handler;
use axum::http::request::Parts;
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use super::error::{self, AppError};
use super::state::AppState;
use super::{editor, feed, media, public, site, workflow};

/// The API router under construction, with the list of what it routes.
pub struct Api {
    router: Router<AppState>,
    table: Vec<(Method, &'static str)>,
}

impl Api {
    fn new() -> Api {
        Api {
            router: Router::new(),
            table: Vec::new(),
        }
    }

    fn add<H, T>(mut self, method: Method, path: &'static str, handler: H) -> Api
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let filter =
            axum::routing::MethodFilter::try_from(method.clone()).expect("a method axum can route");
        self.router = self.router.route(path, axum::routing::on(filter, handler));
        self.table.push((method, path));
        self
    }

    fn get<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, h: H) -> Api {
        self.add(Method::GET, path, h)
    }
    fn post<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, h: H) -> Api {
        self.add(Method::POST, path, h)
    }
    fn put<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, h: H) -> Api {
        self.add(Method::PUT, path, h)
    }
}

/// Every API route. The OpenAPI document (`openapi.rs`) must describe exactly these.
fn api() -> Api {
    Api::new()
        .get("/healthz", public::healthz)
        .get("/api/v1/openapi.json", public::openapi)
        .get("/api/v1/documents", public::list_documents)
        .get("/api/v1/documents/{id}", public::get_document)
        .post("/api/v1/documents/{id}/comments", public::post_comment)
        .get("/api/v1/documents/{id}/feedback", public::get_feedback)
        .get("/api/v1/receipts/{receipt}", public::get_receipt)
        .get("/api/v1/me", editor::me)
        .get("/api/v1/documents/{id}/comments", editor::list_comments)
        .get(
            "/api/v1/documents/{id}/comments/{number}",
            editor::get_comment,
        )
        .put(
            "/api/v1/documents/{id}/comments/{number}/disposition",
            editor::set_disposition,
        )
        .put(
            "/api/v1/documents/{id}/comments/{number}/mark",
            editor::set_mark,
        )
        .post("/api/v1/documents/{id}/feedback", editor::publish_feedback)
        .get("/api/v1/documents/{id}/export.csv", editor::export_csv)
        .get("/api/v1/documents/{id}/export.xlsx", editor::export_xlsx)
        .get("/api/v1/audit", editor::audit_log)
        .get("/api/v1/workflow/documents", workflow::list)
        .get("/api/v1/documents/{id}/revisions", workflow::revisions)
        .put("/api/v1/documents/{id}/source", workflow::save)
        .post("/api/v1/documents/{id}/withdraw", workflow::withdraw)
        .put("/api/v1/documents/{id}/lapse", workflow::lapse)
        .get("/api/v1/revisions/{revision}", workflow::revision)
        .post("/api/v1/revisions/{revision}/submit", workflow::submit)
        .post("/api/v1/revisions/{revision}/approve", workflow::approve)
        .post(
            "/api/v1/revisions/{revision}/send-back",
            workflow::send_back,
        )
        .post("/api/v1/media", media::upload)
        .get("/api/v1/documents/media/{file}", media::serve)
        .get("/api/v1/feed.atom", feed::site_feed)
        .get("/api/v1/documents/{id}/feed.atom", feed::document_feed)
        .get("/documents/{id}/compare", site::compare)
        .get("/api/v1/tokens", workflow::list_tokens)
        .post("/api/v1/tokens", workflow::create_token)
        .put("/api/v1/tokens/{name}/role", workflow::set_role)
        .post("/api/v1/tokens/{name}/revoke", workflow::revoke_token)
}

/// The (method, path) of every API route, paths in axum's `{param}` syntax.
pub fn api_routes() -> Vec<(Method, &'static str)> {
    api().table
}

/// The whole HTTP service: API, static site, and the middleware around them.
pub fn app(state: AppState) -> Router {
    let config = &state.config;
    let allowed: Vec<HeaderValue> = config
        .allowed_origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(move |origin, parts| {
            allowed.contains(origin) || is_read(parts)
        }))
        .allow_methods([Method::GET, Method::HEAD, Method::POST, Method::PUT])
        .allow_headers([
            header::CONTENT_TYPE,
            header::AUTHORIZATION,
            header::ACCEPT_LANGUAGE,
            header::IF_NONE_MATCH,
            HeaderName::from_static("idempotency-key"),
        ])
        .expose_headers([
            header::ETAG,
            header::RETRY_AFTER,
            header::LOCATION,
            HeaderName::from_static("idempotent-replayed"),
        ])
        .max_age(Duration::from_secs(600));

    Router::new()
        .merge(api().router)
        .merge(site::routes(config))
        .fallback(error::no_route)
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(middleware::from_fn_with_state(state.clone(), check_origin))
        .layer(middleware::from_fn_with_state(
            Duration::from_secs(config.request_timeout.max(1)),
            time_limit,
        ))
        .layer(middleware::from_fn(error::localize))
        .layer(DefaultBodyLimit::max(config.body_limit))
        .layer(
            CompressionLayer::new()
                .compress_when(DefaultPredicate::new().and(NotForContentType::const_new("video/"))),
        )
        .layer(cors)
        .layer(TraceLayer::new_for_http())
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .with_state(state)
}

/// Answers a request that takes longer than the request timeout (reading its body included)
/// with `408 request-timeout`, as JSON like every other error.
async fn time_limit(State(limit): State<Duration>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => AppError::RequestTimeout.into_response(),
    }
}

/// Reads (and their preflights) may come from any origin: the documents are public.
fn is_read(parts: &Parts) -> bool {
    match parts.method {
        Method::GET | Method::HEAD => true,
        Method::OPTIONS => parts
            .headers
            .get(header::ACCESS_CONTROL_REQUEST_METHOD)
            .is_some_and(|m| m == "GET" || m == "HEAD"),
        _ => false,
    }
}

/// Refuses writes that a browser sends from a site not in `allowed_origins`. CORS alone only
/// stops the page from reading the answer; this stops the write itself.
async fn check_origin(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let writes = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if writes && let Some(origin) = request.headers().get(header::ORIGIN) {
        let host = request
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok());
        let ok = origin.to_str().is_ok_and(|o| state.origin_allowed(o, host));
        if !ok {
            tracing::warn!(
                origin = %String::from_utf8_lossy(origin.as_bytes()),
                host,
                path = %request.uri().path(),
                "refused a write from a page on an origin not in allowed_origins; if that site embeds \
                 the widget, add the origin to allowed_origins (behind a proxy that rewrites Host, \
                 set public_origin)"
            );
            return AppError::OriginNotAllowed.into_response();
        }
    }
    next.run(request).await
}
