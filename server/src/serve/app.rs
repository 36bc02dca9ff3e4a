//! The application: its shared state, the router of every route, and the middleware around them.
//!
//! [`app`] builds the whole HTTP service from an [`AppState`]; `jiedu serve` binds it to a port
//! and the tests drive it with `tower::ServiceExt::oneshot`. The API routes are registered
//! through [`Api`], which also records each (method, path) pair, so a test can hold the router
//! and the OpenAPI document to each other.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequestParts, Request, State};
use axum::handler::Handler;
use axum::http::request::Parts;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use jiedu_core::{Document, DocumentIndex, FORMAT_VERSION};
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use super::clock::Clock;
use super::config::Config;
use super::db::{self, DbError, ReadPool, Writer};
use super::error::{self, AppError};
use super::ratelimit::RateLimiter;
use super::{editor, public, secrets, site, store};

/// A compiled document ready to serve: its JSON and that JSON's entity tag.
#[derive(Debug)]
pub struct ServedDocument {
    pub doc: Document,
    pub json: axum::body::Bytes,
    pub etag: HeaderValue,
}

/// The documents the server knows, in the order they were loaded.
#[derive(Debug)]
pub struct Site {
    pub documents: Vec<Arc<ServedDocument>>,
    by_id: HashMap<String, Arc<ServedDocument>>,
    /// The document list ([`DocumentIndex`]) as JSON, and its entity tag.
    pub index_json: axum::body::Bytes,
    pub index_etag: HeaderValue,
}

/// A weak entity tag over some bytes (weak, because compression changes the bytes sent).
pub fn etag_of(bytes: &[u8]) -> HeaderValue {
    let hash = secrets::body_hash(bytes);
    HeaderValue::from_str(&format!("W/\"{}\"", &hash[..24])).expect("hex is a valid header")
}

impl Site {
    pub fn new(documents: Vec<Document>) -> Site {
        let index = DocumentIndex {
            format_version: FORMAT_VERSION,
            documents: documents.iter().map(Document::summary).collect(),
        };
        let index_json = serde_json::to_vec(&index).expect("the index serialises");
        let mut site = Site {
            documents: Vec::new(),
            by_id: HashMap::new(),
            index_etag: etag_of(&index_json),
            index_json: index_json.into(),
        };
        for doc in documents {
            let json = serde_json::to_vec(&doc).expect("a document serialises");
            let served = Arc::new(ServedDocument {
                etag: etag_of(&json),
                json: json.into(),
                doc,
            });
            site.by_id.insert(served.doc.id.clone(), served.clone());
            site.documents.push(served);
        }
        site
    }

    pub fn get(&self, id: &str) -> Result<&Arc<ServedDocument>, AppError> {
        self.by_id
            .get(id)
            .ok_or_else(|| AppError::DocumentNotFound(id.to_owned()))
    }
}

/// Everything a request handler may need. Cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub config: Config,
    pub site: Site,
    pub writer: Writer,
    pub reads: ReadPool,
    pub clock: Clock,
    pub limiter: RateLimiter,
    pub ip_secret: Vec<u8>,
    pub db_path: std::path::PathBuf,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    /// Opens the database in `config.data_dir` (creating and migrating it) and starts the writer.
    pub fn open(
        config: Config,
        documents: Vec<Document>,
        clock: Clock,
    ) -> Result<AppState, DbError> {
        let (conn, db_path) = db::open(&config.data_dir)?;
        let ip_secret = store::ip_hash_secret(&conn, config.ip_hash_secret.as_deref())?;
        let writer = Writer::start(conn, &db_path);
        Ok(AppState(Arc::new(Inner {
            limiter: RateLimiter::new(config.rate_limit_per_minute, config.rate_limit_burst),
            site: Site::new(documents),
            reads: ReadPool::new(db_path.clone()),
            db_path,
            writer,
            clock,
            ip_secret,
            config,
        })))
    }

    /// The offset used to write times: the one the document's consultation is written in
    /// (China Standard Time for a Chinese consultation), else UTC.
    pub fn offset_for(doc: &Document) -> i16 {
        doc.consultation
            .as_ref()
            .map_or(0, |c| c.opens.offset_minutes)
    }

    /// Whether a browser on `origin` may send writes, given the request's `Host`.
    pub fn origin_allowed(&self, origin: &str, host: Option<&str>) -> bool {
        let origin = origin.trim_end_matches('/');
        if self.config.allowed_origins.iter().any(|o| o == origin) {
            return true;
        }
        host.is_some_and(|host| {
            origin
                .strip_prefix("http://")
                .or_else(|| origin.strip_prefix("https://"))
                == Some(host)
        })
    }
}

/// The address of the client: the TCP peer, or behind a proxy the last `X-Forwarded-For` entry.
/// Requests without a peer (tests without `MockConnectInfo`) count as `0.0.0.0`.
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        if state.config.behind_proxy {
            let forwarded = parts
                .headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .filter_map(|v| v.trim().parse::<IpAddr>().ok())
                .next_back();
            if let Some(ip) = forwarded {
                return Ok(ClientIp(ip));
            }
        }
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        Ok(ClientIp(peer.unwrap_or(IpAddr::from([0, 0, 0, 0]))))
    }
}

/// `Path`, with its rejection answered as an [`AppError`] (JSON, localised).
pub struct ApiPath<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiPath<T>
where
    S: Send + Sync,
    T: serde::de::DeserializeOwned + Send,
{
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(t)| ApiPath(t))
            .map_err(|e| AppError::BadParameter {
                name: "path".into(),
                detail: e.body_text(),
            })
    }
}

/// `Query`, with its rejection answered as an [`AppError`].
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    S: Send + Sync,
    T: serde::de::DeserializeOwned,
{
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(t)| ApiQuery(t))
            .map_err(|e| AppError::BadParameter {
                name: "query".into(),
                detail: e.body_text(),
            })
    }
}

/// An editor, identified by a valid bearer token.
pub struct Editor(pub String);

impl FromRequestParts<AppState> for Editor {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let value = parts
            .headers
            .get(header::AUTHORIZATION)
            .ok_or(AppError::MissingToken)?;
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim().to_owned())
            .filter(|t| !t.is_empty())
            .ok_or(AppError::InvalidToken)?;
        state
            .reads
            .run(move |conn| store::editor_for_token(conn, &token))
            .await?
            .map(Editor)
            .ok_or(AppError::InvalidToken)
    }
}

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
        .layer(middleware::from_fn(error::localize))
        .layer(DefaultBodyLimit::max(config.body_limit))
        .layer(CompressionLayer::new())
        .layer(cors)
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(config.request_timeout.max(1)),
        ))
        .layer(TraceLayer::new_for_http())
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .with_state(state)
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
            return AppError::OriginNotAllowed.into_response();
        }
    }
    next.run(request).await
}
