//! The embedding website: a small static server inside the test process for the host pages of
//! `tests/pages/`, on an origin other than the Jiedu server's, as when a government site embeds
//! the widget from its Jiedu server. Every cross-origin request the widget makes (the module
//! import, the wasm, the document, a comment) therefore goes through real CORS.
//!
//! `jiedu serve` cannot serve an extra directory of pages, and it must not: the pages need
//! headers of their own (a strict Content-Security-Policy) and another origin.
//!
//! The site also serves the repository's `dist/` under `/dist/`, for the operator who copies the
//! widget onto their own site (`script-src 'self'`). The same server answers as
//! `http://127.0.0.1:PORT` and as `http://localhost:PORT`: two origins, one of which the Jiedu
//! server can allow while the other stays refused.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use tower_http::services::ServeDir;

use crate::harness::root;

/// One file of the site.
#[derive(Clone, Debug)]
pub struct Page {
    pub body: Vec<u8>,
    pub content_type: &'static str,
    /// The `Content-Security-Policy` header, if any.
    pub csp: Option<String>,
}

impl Page {
    pub fn html(body: String) -> Page {
        Page {
            body: body.into_bytes(),
            content_type: "text/html; charset=utf-8",
            csp: None,
        }
    }

    pub fn with_csp(mut self, csp: String) -> Page {
        self.csp = Some(csp);
        self
    }
}

type Pages = Arc<Mutex<HashMap<String, Page>>>;

pub struct Site {
    pub port: u16,
    pages: Pages,
    task: tokio::task::JoinHandle<()>,
}

impl Site {
    /// Starts the site on a free loopback port, with `/probe.js` and `/dist/` in place.
    pub async fn start() -> Site {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let pages: Pages = Arc::default();
        let app = Router::new()
            .nest_service("/dist", ServeDir::new(root().join("dist")))
            .fallback(serve)
            .with_state(pages.clone());
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        let site = Site { port, pages, task };
        site.add(
            "/probe.js",
            Page {
                body: file("probe.js").into_bytes(),
                content_type: "text/javascript",
                csp: None,
            },
        );
        site
    }

    /// `http://127.0.0.1:PORT`, the origin the Jiedu server is told to allow.
    pub fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// `http://localhost:PORT`: the same pages from an origin the Jiedu server does not allow.
    pub fn other_origin(&self) -> String {
        format!("http://localhost:{}", self.port)
    }

    pub fn add(&self, path: &str, page: Page) {
        self.pages.lock().unwrap().insert(path.to_owned(), page);
    }

    /// Adds `/plain.html`: the plain host page with the widget of the Jiedu server at `jiedu`
    /// showing its document `doc`. Returns the page's URL.
    pub fn add_plain(&self, jiedu: &str, doc: &str) -> String {
        let html = template(
            "plain.html",
            &[
                ("widget", &format!("{jiedu}/dist")),
                ("src", &format!("{jiedu}/documents/{doc}.json")),
            ],
        );
        self.add("/plain.html", Page::html(html));
        format!("{}/plain.html", self.origin())
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A file of `tests/pages/`.
pub fn file(name: &str) -> String {
    let path = root().join("tests/pages").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A page of `tests/pages/` with each `{{key}}` replaced by its value.
pub fn template(name: &str, vars: &[(&str, &str)]) -> String {
    let mut text = file(name);
    for (key, value) in vars {
        text = text.replace(&format!("{{{{{key}}}}}"), value);
    }
    assert!(
        !text.contains("{{"),
        "{name}: a placeholder was left unfilled"
    );
    text
}

async fn serve(State(pages): State<Pages>, uri: Uri) -> Response {
    let page = pages.lock().unwrap().get(uri.path()).cloned();
    let Some(page) = page else {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    };
    let mut response = ([(header::CONTENT_TYPE, page.content_type)], page.body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, "no-store".parse().unwrap());
    if let Some(csp) = page.csp {
        headers.insert(header::CONTENT_SECURITY_POLICY, csp.parse().unwrap());
    }
    response
}
