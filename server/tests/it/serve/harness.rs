//! The in-process test server: the real router over a real database (a SQLite file in a
//! temporary directory, or a fresh PostgreSQL database), driven with `tower::ServiceExt::oneshot`,
//! with a clock the test sets by hand.
//!
//! Tests written with [`both_backends!`] run once per engine: the same body, with
//! [`backend`] telling the harness which one to open. PostgreSQL tests use the server named by
//! `JIEDU_TEST_DATABASE_URL` (an admin URL: each test creates its own database on it), else a
//! throwaway cluster the harness starts itself (`jiedu_e2e::pg_cluster`, `tests/pg_cluster.rs`); they never skip.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use jiedu_core::Timestamp;
use jiedu_server::serve::db::{DatabaseUrl, DbError, Direct};
use jiedu_server::serve::sql::Sql;
use jiedu_server::serve::{AppState, Clock, Compiled, Config, Seed, app, store};
use serde_json::{Value, json};
use tower::ServiceExt;

/// The database engine a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

tokio::task_local! {
    static BACKEND: Backend;
}

/// Runs `test` with [`backend`] answering `engine`.
pub async fn on<F: std::future::Future>(engine: Backend, test: F) -> F::Output {
    BACKEND.scope(engine, test).await
}

/// The engine of the running test: SQLite unless it runs inside [`on`].
pub fn backend() -> Backend {
    BACKEND.try_with(|b| *b).unwrap_or(Backend::Sqlite)
}

/// Defines a test that runs once on SQLite and once on PostgreSQL: a module named like the test
/// with the tests `sqlite` and `postgres`, both running the one body.
#[macro_export]
macro_rules! both_backends {
    ($(#[$meta:meta])* async fn $name:ident() $body:block) => {
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                $crate::serve::harness::on($crate::serve::harness::Backend::Sqlite, body()).await
            }

            #[tokio::test]
            async fn postgres() {
                $crate::serve::harness::on($crate::serve::harness::Backend::Postgres, body()).await
            }

            async fn body() $body
        }
    };
}

/// The database of the test whose files are in `dir`: `dir/data/jiedu.db`, or on PostgreSQL a
/// database named after `dir`, created on first use (a restarted test app finds it again).
pub fn database_for(dir: &Path) -> DatabaseUrl {
    match backend() {
        Backend::Sqlite => DatabaseUrl::in_data_dir(&dir.join("data")),
        Backend::Postgres => pg_database_for(dir),
    }
}

/// A PostgreSQL database named after `dir` on the test server, created if missing, and
/// dropped with the [`TempDir`].
pub fn pg_database_for(dir: &Path) -> DatabaseUrl {
    let name = pg_name(dir);
    if let Err(e) = pg_admin(&format!("CREATE DATABASE {name}")) {
        assert!(e.contains("already exists"), "cannot create {name}: {e}");
    }
    DatabaseUrl::Postgres(pg_url(&name))
}

/// The IP-hash secret a test server needs: PostgreSQL requires one in the configuration.
pub fn ip_secret_for_backend() -> Option<String> {
    (backend() == Backend::Postgres).then(|| "test-ip-hash-secret".into())
}

fn pg_name(dir: &Path) -> String {
    use sha2::Digest;
    let hash = sha2::Sha256::digest(dir.to_string_lossy().as_bytes());
    let hex: String = hash[..10].iter().map(|b| format!("{b:02x}")).collect();
    format!("jiedu_test_{hex}")
}

/// The URL of database `name` on the test server.
pub fn pg_url(name: &str) -> String {
    let admin = pg_server();
    let base = admin.rsplit_once('/').map_or(admin, |(base, _)| base);
    format!("{base}/{name}")
}

/// Runs statements on the test server's admin database.
pub fn pg_admin(sql: &str) -> Result<(), String> {
    jiedu_e2e::pg_cluster::admin(pg_server(), sql)
}

/// Whether this test process has used PostgreSQL (then temporary directories drop their
/// database too).
static PG_USED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// The admin URL of the PostgreSQL server for tests: `JIEDU_TEST_DATABASE_URL`, else a
/// throwaway cluster started once per test process under the target directory.
pub fn pg_server() -> &'static str {
    PG_USED.store(true, Ordering::SeqCst);
    static URL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    URL.get_or_init(|| match std::env::var("JIEDU_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => url,
        _ => jiedu_e2e::pg_cluster::start(Path::new(env!("CARGO_TARGET_TMPDIR"))).unwrap_or_else(
            |e| {
                panic!(
                    "the PostgreSQL tests need a server: {e}. Install PostgreSQL (`cargo xtask \
                     setup` does) or set JIEDU_TEST_DATABASE_URL=postgres://USER@HOST:PORT/postgres \
                     (a role that may CREATE DATABASE)"
                )
            },
        ),
    })
}

/// Runs `f` on a connection of its own to the database at `url`, outside the test's runtime,
/// in one transaction: what a test reads or changes behind the server's back.
pub fn with_db<T: Send>(
    url: &DatabaseUrl,
    f: impl FnOnce(&dyn Sql) -> Result<T, DbError> + Send,
) -> T {
    std::thread::scope(|s| {
        s.spawn(|| {
            let mut direct = Direct::open(url).expect("the database opens");
            direct.transaction(f).expect("the statements succeed")
        })
        .join()
        .expect("the database thread ends")
    })
}

/// A directory under the system temp dir, removed when dropped (unless borrowed with
/// [`TempDir::existing`]), with the PostgreSQL database named after it if the test made one.
pub struct TempDir(PathBuf, bool);

impl TempDir {
    pub fn new(label: &str) -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "jiedu-{label}-{}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst),
            jiedu_server::serve::secrets::new_uuid()
        ));
        std::fs::create_dir_all(&path).expect("temp dir");
        TempDir(path, true)
    }

    /// A directory someone else owns and removes.
    pub fn existing(path: &Path) -> TempDir {
        TempDir(path.to_owned(), false)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if !self.1 {
            return;
        }
        let _ = std::fs::remove_dir_all(&self.0);
        if PG_USED.load(Ordering::SeqCst) {
            let name = pg_name(&self.0);
            let _ = pg_admin(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

pub const OPENS: &str = "2026-12-01T00:00:00+08:00";
pub const CLOSES: &str = "2026-12-31T23:59:59+08:00";
/// A moment inside the consultation period.
pub const DURING: &str = "2026-12-15T10:00:00+08:00";

pub fn unix(ts: &str) -> i64 {
    ts.parse::<Timestamp>().expect("timestamp").unix_seconds()
}

/// A draft under consultation, with provisions `s1`, `s1-1` and `s2`.
pub const DRAFT_MD: &str = r#"+++
id = "draft-rules"
title = "中卫市政务公开办法（征求意见稿）"
status = "consultation"
disclosure = "public"

[consultation]
opens = 2026-12-01T00:00:00+08:00
closes = 2026-12-31T23:59:59+08:00
kind = "normative"
contact = "信函：中卫市人民政府办公室"
+++

# 第一条 目的 {#s1}

为了规范政务公开工作，制定本办法。

## （一）适用范围 {#s1-1}

本办法适用于本市各级行政机关。

# 第二条 公开方式 {#s2}

通过政府网站公开。
"#;

/// A document in force, without a consultation.
pub const IN_FORCE_MD: &str = r#"+++
id = "in-force"
title = "政务公开工作要点"
status = "in-force"
disclosure = "public"
+++

# 总体要求

坚持以公开为常态、不公开为例外。
"#;

/// Compiles an authoring source into a seed, as `jiedu serve` does with a file of `content/`.
pub fn seed(origin: &str, source: &str) -> Seed {
    let compiled = jiedu_core::authoring::compile(source);
    let document = compiled.document.unwrap_or_else(|| {
        panic!(
            "the test source does not compile: {:?}",
            compiled.diagnostics
        )
    });
    Seed {
        origin: origin.to_owned(),
        compiled: Compiled {
            source: source.to_owned(),
            document,
            diagnostics: compiled.diagnostics,
        },
    }
}

/// An answer, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}), status {}: {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub fn text(&self) -> String {
        String::from_utf8(self.body.to_vec()).expect("UTF-8")
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The stable error code of an error body.
    pub fn code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("no error code in {}", self.text()))
            .to_owned()
    }

    /// `(field, code)` of every field error.
    pub fn fields(&self) -> Vec<(String, String)> {
        self.json()["error"]["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .map(|f| {
                (
                    f["field"].as_str().unwrap().to_owned(),
                    f["code"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    }
}

pub struct TestApp {
    pub app: Router,
    /// The state behind `app` (for mechanisms that run beside the requests).
    pub state: AppState,
    pub clock: Clock,
    pub token: String,
    pub dir: TempDir,
}

/// A valid comment body.
pub fn comment(text: &str) -> Value {
    json!({ "target": "s1", "stance": "suggest-change", "text": text,
            "proposedWording": "改为“应当”。", "name": "朱小明" })
}

impl TestApp {
    pub fn new() -> TestApp {
        TestApp::with(|_| {})
    }

    /// A server with both test documents, the clock inside the consultation period, a generous
    /// rate limit and one editor token named `editor-a`; `f` may change the configuration.
    pub fn with(f: impl FnOnce(&mut Config)) -> TestApp {
        let dir = TempDir::new("api");
        let mut config = Config {
            data_dir: dir.path().join("data"),
            database_url: Some(database_for(dir.path())),
            ip_hash_secret: ip_secret_for_backend(),
            content_dir: dir.path().join("content"),
            dist_dir: dir.path().join("dist"),
            www_dir: dir.path().join("www"),
            index: dir.path().join("index.html"),
            rate_limit_per_minute: 6000,
            rate_limit_burst: 1000,
            ..Config::default()
        };
        f(&mut config);
        let clock = Clock::manual(unix(DURING));
        let seeds = vec![seed("draft.md", DRAFT_MD), seed("in-force.md", IN_FORCE_MD)];
        let state = AppState::open(config, seeds, clock.clone()).expect("the app starts");
        let mut t = TestApp {
            app: app(state.clone()),
            state,
            clock,
            token: String::new(),
            dir,
        };
        t.token = t.new_token("editor-a", store::Role::Editor);
        t
    }

    /// Runs `f` on a connection of its own to the server's database, in one transaction: to
    /// check what is really stored, or to change it behind the server's back.
    pub fn db<T: Send>(&self, f: impl FnOnce(&dyn Sql) -> Result<T, DbError> + Send) -> T {
        with_db(&self.state.database, f)
    }

    /// A connection to the server's SQLite file, for the tests that are about SQLite itself.
    pub fn sqlite(&self) -> rusqlite::Connection {
        let DatabaseUrl::Sqlite(path) = &self.state.database else {
            panic!("a SQLite-only test runs on {}", self.state.database)
        };
        rusqlite::Connection::open(path).expect("db")
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self
            .app
            .clone()
            .oneshot(request)
            .await
            .expect("the router is infallible");
        let (parts, body) = response.into_parts();
        Reply {
            status: parts.status,
            headers: parts.headers,
            body: body.collect().await.expect("body").to_bytes(),
        }
    }

    pub async fn get(&self, uri: &str) -> Reply {
        self.send(Request::get(uri).body(Body::empty()).unwrap())
            .await
    }

    pub async fn post_comment(&self, document: &str, body: &Value) -> Reply {
        self.post_comment_with(document, body, &[]).await
    }

    pub async fn post_comment_with(
        &self,
        document: &str,
        body: &Value,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut request = Request::post(format!("/api/v1/documents/{document}/comments"))
            .header("content-type", "application/json");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.send(request.body(Body::from(body.to_string())).unwrap())
            .await
    }

    /// Posts a valid comment and returns its receipt.
    pub async fn submit(&self, body: &Value) -> Value {
        let reply = self.post_comment("draft-rules", body).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
        reply.json()
    }

    /// Makes a token with this name and role, as `jiedu token create` does.
    pub fn new_token(&self, name: &str, role: store::Role) -> String {
        self.db(|c| {
            store::create_token(c, name, role, "cli", "2026-12-15T10:00:00+08:00")
                .map_err(|e| DbError::Task(e.to_string()))
        })
    }

    /// A request with `token`, an optional JSON body and extra headers.
    pub async fn call(
        &self,
        token: &str,
        method: &str,
        uri: &str,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut request = Request::builder()
            .method(method)
            .uri(uri)
            .header("authorization", format!("Bearer {token}"));
        if body.is_some() {
            request = request.header("content-type", "application/json");
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let body = body.map_or(Body::empty(), |b| Body::from(b.to_string()));
        self.send(request.body(body).unwrap()).await
    }

    pub async fn editor(&self, method: &str, uri: &str, body: Option<&Value>) -> Reply {
        let mut request = Request::builder()
            .method(method)
            .uri(uri)
            .header("authorization", format!("Bearer {}", self.token));
        if body.is_some() {
            request = request.header("content-type", "application/json");
        }
        let body = body.map_or(Body::empty(), |b| Body::from(b.to_string()));
        self.send(request.body(body).unwrap()).await
    }
}
