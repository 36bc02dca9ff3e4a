//! Starting the real server and a real browser, and waiting for things without sleeping blindly.
//!
//! Everything a scenario needs that is not the scenario itself: the `jiedu` binary and the built
//! widget (both brought up to date once per test run), `jiedu serve` on a free port with its own
//! database, chromedriver with a headless Chromium, a plain HTTP client for checks that must not
//! go through the browser, and axe-core from npm for the accessibility scan.

use std::io::{BufRead as _, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime};

use axum::body::Bytes;
use fantoccini::Locator;
use fantoccini::elements::Element;
use http_body_util::{BodyExt as _, Full};
use hyper_util::client::legacy::Client as HttpClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::Value;

/// How long any one wait may take before the test fails. Generous, because the machine is
/// shared and the first load compiles the wasm; polling returns as soon as the thing happens.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

/// A free loopback port (bound and released; the OS does not hand it out again at once).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Polls `probe` until it returns `Some`, failing the test with `what` after `timeout`.
pub async fn poll<T, F, Fut>(what: &str, timeout: Duration, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(value) = probe().await {
            return value;
        }
        assert!(
            Instant::now() < deadline,
            "timed out after {timeout:?} waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub(crate) fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// The `jiedu` binary of this workspace, built (or found up to date) once per test run: the
/// binary is not a dependency of this crate, so `cargo test -p jiedu-e2e` alone would not
/// rebuild it.
pub fn jiedu_binary() -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let status = cargo()
                .args(["build", "--quiet", "-p", "jiedu-server", "--bin", "jiedu"])
                .current_dir(root())
                .status()
                .expect("cargo runs");
            assert!(status.success(), "building jiedu failed");
            root().join("target/debug/jiedu")
        })
        .clone()
}

/// Files of `dist/` that every widget build rewrites: the loader and the manifest naming the
/// content-hashed glue and wasm (see `xtask/src/widget.rs`).
const WIDGET_FILES: [&str; 2] = ["jiedu.js", "manifest.json"];

pub(crate) fn newest_under(path: &Path) -> SystemTime {
    let Ok(meta) = std::fs::metadata(path) else {
        return SystemTime::UNIX_EPOCH;
    };
    if meta.is_file() {
        return meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
    }
    std::fs::read_dir(path)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| newest_under(&entry.path()))
        .max()
        .unwrap_or(SystemTime::UNIX_EPOCH)
}

fn oldest_widget_file() -> Option<SystemTime> {
    WIDGET_FILES
        .iter()
        .map(|f| {
            std::fs::metadata(root().join("dist").join(f))
                .and_then(|m| m.modified())
                .ok()
        })
        .collect::<Option<Vec<_>>>()?
        .into_iter()
        .min()
}

fn widget_sources_newest() -> SystemTime {
    [
        "widget/src",
        "widget/loader",
        "widget/Cargo.toml",
        "core/src",
        "core/Cargo.toml",
    ]
    .iter()
    .map(|p| newest_under(&root().join(p)))
    .max()
    .unwrap()
}

/// Makes sure `dist/` holds a widget built from the current sources: when a file is missing or
/// older than a source of the widget (or of jiedu-core, which it compiles in), runs
/// `cargo xtask widget` once per test run; every test fails with the same message when that
/// build fails. `JIEDU_E2E_SKIP_WIDGET_BUILD=1` uses `dist/` as it is.
pub fn ensure_widget() {
    static OUTCOME: OnceLock<Result<(), String>> = OnceLock::new();
    let outcome = OUTCOME.get_or_init(|| {
        let fresh = || oldest_widget_file().is_some_and(|built| built >= widget_sources_newest());
        if std::env::var_os("JIEDU_E2E_SKIP_WIDGET_BUILD").is_some() {
            return match oldest_widget_file() {
                Some(_) => Ok(()),
                None => Err("dist/ has no built widget: run `cargo xtask widget`".into()),
            };
        }
        if fresh() {
            return Ok(());
        }
        eprintln!("dist/ is missing or older than the widget's sources: running `cargo xtask widget`");
        let status = cargo().args(["xtask", "widget"]).current_dir(root()).status().expect("cargo runs");
        if !fresh() {
            return Err(format!(
                "`cargo xtask widget` did not build dist/ ({status}; its output is above); \
                 JIEDU_E2E_SKIP_WIDGET_BUILD=1 tests the dist/ there is"
            ));
        }
        // Over the size budget, xtask fails after writing dist/: the budget is its own test,
        // and these tests can still run against what was built.
        if !status.success() {
            eprintln!("warning: `cargo xtask widget` failed after building dist/ ({status}); see its output");
        }
        Ok(())
    });
    if let Err(message) = outcome {
        panic!("{message}");
    }
}

/// A scratch directory under `target/e2e/NAME`, emptied first.
pub fn scratch(name: &str) -> PathBuf {
    let dir = root().join("target/e2e").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Where screenshots go: `tests/artifacts/`.
pub fn artifacts() -> PathBuf {
    let dir = root().join("tests/artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub async fn wait_for_port(port: u16, timeout: Duration) {
    poll(
        &format!("port {port} to accept connections"),
        timeout,
        || async move {
            tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .ok()
                .map(|_| ())
        },
    )
    .await
}

/// How to start `jiedu serve`.
#[derive(Clone)]
pub struct ServerConfig {
    /// The authoring files (default: the repository's `content/`).
    pub content_dir: PathBuf,
    pub allowed_origins: Vec<String>,
    /// The server clock's starting instant (`--now`).
    pub now: Option<String>,
    /// The built widget it serves under `/dist/` (default: the repository's `dist/`).
    pub dist_dir: PathBuf,
    /// The host page served at `/` (`--index`; default: none, so `/` lists the documents).
    pub index: Option<PathBuf>,
    /// A PostgreSQL database (`--database-url postgres://…`, with the `--ip-hash-secret` that
    /// PostgreSQL requires) instead of the data directory's SQLite file.
    pub database_url: Option<String>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            content_dir: root().join("content"),
            allowed_origins: Vec::new(),
            now: None,
            dist_dir: root().join("dist"),
            index: None,
            database_url: None,
        }
    }
}

/// A running `jiedu serve`, killed when dropped.
pub struct Server {
    pub port: u16,
    pub data_dir: PathBuf,
    pub log: PathBuf,
    config: ServerConfig,
    child: Child,
}

impl Server {
    /// Starts `jiedu serve` on a port of its choosing with a fresh data directory
    /// (`target/e2e/NAME/data`), the repository's `dist/` and `www/`, and waits for the
    /// `listening on` line.
    pub fn start(name: &str, config: ServerConfig) -> Server {
        let dir = scratch(&format!("server-{name}"));
        let data_dir = dir.join("data");
        let log = dir.join("server.log");
        let (child, port) = spawn(&dir, "127.0.0.1:0", &config);
        Server {
            port,
            data_dir,
            log,
            config,
            child,
        }
    }

    /// Stops the server (if it still runs) and starts it again on the same port with the same
    /// data directory and options, as after a crash or a redeploy: what it acknowledged before
    /// must still be there, and a browser that knew the old address reaches the new process.
    pub fn restart(&mut self) {
        self.kill();
        let dir = self.data_dir.parent().unwrap().to_owned();
        let (child, port) = spawn(&dir, &format!("127.0.0.1:{}", self.port), &self.config);
        assert_eq!(port, self.port, "jiedu serve restarted on another port");
        self.child = child;
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Creates an editor token with `jiedu token create` on this server's data directory.
    pub fn token(&self, name: &str) -> String {
        self.token_with_role(name, "editor")
    }

    /// Creates a token with a role (`editor`, `approver`, `admin`) in this server's database.
    pub fn token_with_role(&self, name: &str, role: &str) -> String {
        let mut command = Command::new(jiedu_binary());
        command
            .current_dir(self.data_dir.parent().unwrap())
            .args([
                "token",
                "create",
                "--name",
                name,
                "--role",
                role,
                "--data-dir",
            ])
            .arg(&self.data_dir);
        if let Some(url) = &self.config.database_url {
            command.arg("--database-url").arg(url);
        }
        let out = command.output().unwrap();
        assert!(
            out.status.success(),
            "jiedu token create: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8(out.stdout).unwrap();
        let token = stdout
            .lines()
            .map(str::trim)
            .find(|l| l.starts_with("jdt_"));
        token
            .unwrap_or_else(|| panic!("no token in {stdout:?}"))
            .to_owned()
    }

    /// Whether the process still runs (it has not exited or been killed).
    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
        if std::thread::panicking() {
            let log = std::fs::read_to_string(&self.log).unwrap_or_default();
            eprintln!(
                "--- log of jiedu serve on port {} ({}):\n{log}",
                self.port,
                self.log.display()
            );
        }
    }
}

/// Spawns `jiedu serve` in `dir` (its log appended to `dir/server.log`, its data in `dir/data`)
/// bound to `bind`, and waits for the `listening on` line; returns the process and its port.
fn spawn(dir: &Path, bind: &str, config: &ServerConfig) -> (Child, u16) {
    let log = dir.join("server.log");
    let mut cmd = Command::new(jiedu_binary());
    // Not the repository root: a `jiedu.toml` there must not change what is tested.
    cmd.current_dir(dir)
        .arg("serve")
        .args(["--bind", bind, "--log", "warn,jiedu_server=info"])
        .arg("--content-dir")
        .arg(&config.content_dir)
        .arg("--data-dir")
        .arg(dir.join("data"))
        .arg("--dist-dir")
        .arg(&config.dist_dir)
        .arg("--www-dir")
        .arg(root().join("www"))
        .arg("--index")
        .arg(
            config
                .index
                .clone()
                .unwrap_or_else(|| dir.join("no-index.html")),
        )
        .stdout(Stdio::piped())
        .stderr(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&log)
                .unwrap(),
        );
    for origin in &config.allowed_origins {
        cmd.arg("--allowed-origin").arg(origin);
    }
    if let Some(now) = &config.now {
        cmd.arg("--now").arg(now);
    }
    if let Some(url) = &config.database_url {
        cmd.arg("--database-url").arg(url);
        cmd.args(["--ip-hash-secret", "e2e-ip-hash-secret"]);
    }
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("JIEDU_") {
            cmd.env_remove(key);
        }
    }
    cmd.env("NO_COLOR", "1");
    let mut child = cmd.spawn().expect("jiedu starts");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let Some(port) = line
        .trim()
        .strip_prefix("listening on http://127.0.0.1:")
        .and_then(|p| p.parse().ok())
    else {
        let _ = child.kill();
        let _ = child.wait();
        panic!(
            "jiedu serve did not start on {bind} (first line {line:?}); its log:\n{}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
    };
    // Nothing else is expected on stdout; drain it so the server can never block on it.
    std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
    (child, port)
}

/// A plain HTTP/1 request from the test process (not the browser): for checks on what the
/// server answers to anyone.
pub async fn http(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> (u16, Value) {
    let client: HttpClient<HttpConnector, Full<Bytes>> =
        HttpClient::builder(TokioExecutor::new()).build(HttpConnector::new());
    let mut request = axum::http::Request::builder().method(method).uri(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    if body.is_some() {
        request = request.header("content-type", "application/json");
    }
    let request = request
        .body(Full::new(Bytes::from(body.unwrap_or_default().to_owned())))
        .unwrap();
    let response = client
        .request(request)
        .await
        .unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let status = response.status().as_u16();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let text = String::from_utf8(bytes.to_vec()).expect("UTF-8 response");
    let json = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, json)
}

/// chromedriver on a free port and a fantoccini session with a fresh profile, headless.
pub struct Browser {
    pub client: fantoccini::Client,
    driver: Child,
    profile: PathBuf,
}

/// A JavaScript expression for the first widget's shadow root (`null` before it exists).
pub const ROOT: &str = "(document.querySelector('jiedu-widget') || {}).shadowRoot";

/// A command of chromedriver's own, outside the W3C protocol: `POST /session/{id}/{path}` with a
/// JSON body (`goog/cdp/execute` for a DevTools command, `se/log` for the browser's console).
#[derive(Debug)]
struct ChromeCommand {
    path: &'static str,
    body: Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for ChromeCommand {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/{}",
            session.unwrap_or_default(),
            self.path
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (axum::http::Method, Option<String>) {
        (axum::http::Method::POST, Some(self.body.to_string()))
    }
}

impl Browser {
    pub async fn start(name: &str) -> Browser {
        let port = free_port();
        let driver = Command::new("/usr/bin/chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver is installed (cargo xtask setup)");
        wait_for_port(port, Duration::from_secs(20)).await;
        let profile = scratch(&format!("profile-{name}"));
        let caps: serde_json::Map<String, Value> = serde_json::from_value(serde_json::json!({
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--disable-quic", "--window-size=1280,900", "--lang=zh-CN",
                    "--hide-scrollbars",
                    format!("--user-data-dir={}", profile.display()),
                ]
            },
            // Everything the page writes to the console, and every resource that failed to
            // load, for `console_log`.
            "goog:loggingPrefs": { "browser": "ALL" },
            "timeouts": { "script": 60000, "pageLoad": 30000 }
        }))
        .unwrap();
        let connector = HttpConnector::new();
        let client = fantoccini::ClientBuilder::new(connector)
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a WebDriver session");
        Browser {
            client,
            driver,
            profile,
        }
    }

    pub async fn goto(&self, url: &str) {
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("goto {url}: {e}"));
    }

    /// Runs a Chrome DevTools Protocol command (through chromedriver) and returns its result:
    /// what a script in the page cannot do, such as typing through an input method.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.client
            .issue_cmd(ChromeCommand {
                path: "goog/cdp/execute",
                body: serde_json::json!({ "cmd": cmd, "params": params }),
            })
            .await
            .unwrap_or_else(|e| panic!("CDP {cmd}: {e}"))
    }

    /// The browser console's entries since the last call (`level`, `message`, `source`): what
    /// the page logged, and the resources that failed to load.
    pub async fn console_log(&self) -> Vec<Value> {
        let log = self
            .client
            .issue_cmd(ChromeCommand {
                path: "se/log",
                body: serde_json::json!({ "type": "browser" }),
            })
            .await
            .unwrap_or_else(|e| panic!("reading the browser log: {e}"));
        log.as_array().cloned().unwrap_or_default()
    }

    /// Saves a PNG screenshot of the viewport as `tests/artifacts/NAME.png`.
    pub async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.unwrap();
        std::fs::write(artifacts().join(format!("{name}.png")), png).unwrap();
    }

    /// Runs JavaScript in the page and returns its result.
    pub async fn js(&self, script: &str) -> Value {
        self.client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Runs asynchronous JavaScript: `body` is the body of an async function whose return value
    /// is the result (a thrown error fails the test with its message).
    pub async fn js_async(&self, body: &str) -> Value {
        let script = format!(
            "const done = arguments[arguments.length - 1];
             (async () => {{ {body} }})().then(
                 (value) => done({{ ok: value === undefined ? null : value }}),
                 (error) => done({{ error: String(error && error.stack || error) }}));"
        );
        let result = self
            .client
            .execute_async(&script, vec![])
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{body}"));
        match result.get("error") {
            Some(error) => panic!("script threw {error}\n{body}"),
            None => result["ok"].clone(),
        }
    }

    /// Polls a JavaScript expression until it is truthy; returns its value.
    pub async fn wait_js(&self, what: &str, expression: &str) -> Value {
        self.wait_for(what, expression, |value| {
            !matches!(value, Value::Null | Value::Bool(false))
                && *value != serde_json::json!(0)
                && *value != serde_json::json!("")
        })
        .await
    }

    /// Polls a JavaScript expression until `done` accepts its value; returns the value. On
    /// timeout the failure shows the last value seen, and a screenshot `timeout-….png` is saved.
    pub async fn wait_for(
        &self,
        what: &str,
        expression: &str,
        done: impl Fn(&Value) -> bool,
    ) -> Value {
        let script = format!("return ({expression});");
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let value = self.client.execute(&script, vec![]).await;
            match &value {
                Ok(value) if done(value) => return value.clone(),
                _ if Instant::now() >= deadline => {
                    let name: String = what
                        .chars()
                        .map(|c| if c.is_alphanumeric() { c } else { '-' })
                        .collect();
                    self.screenshot(&format!("timeout-{name}")).await;
                    panic!("timed out after {TIMEOUT:?} waiting for {what}; last value: {value:?}");
                }
                _ => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    }

    /// Waits until the first widget of the page has rendered a document (its header), and
    /// returns the document title shown.
    /// On timeout the failure shows what the widget shows instead and what the probe recorded
    /// (a `jiedu:error` event carries the reason).
    pub async fn wait_widget(&self) -> String {
        let state = self
            .wait_for(
                "the widget to render its document",
                &format!(
                    "{{ title: {ROOT} && {ROOT}.querySelector('.jiedu .head .title')?.textContent,
                        shown: {ROOT} && {ROOT}.textContent.slice(0, 200), probe: window.__e2e }}"
                ),
                |state| state["title"].is_string(),
            )
            .await;
        state["title"].as_str().unwrap().to_owned()
    }

    /// The element matching `css` inside the first widget's shadow root (through WebDriver's
    /// own shadow-root commands, so clicks and keys are real input events), once it exists.
    pub async fn widget_element(&self, css: &str) -> Element {
        poll(&format!("`{css}` in the widget"), TIMEOUT, || async {
            let host = self.client.find(Locator::Css("jiedu-widget")).await.ok()?;
            let root = host.shadow_root().await.ok()?;
            root.find(Locator::Css(css)).await.ok()
        })
        .await
    }

    /// Clicks the element matching `css` in the widget with a real click, after scrolling it to
    /// the middle of the viewport (WebDriver would scroll it to the top edge, under the widget's
    /// sticky toolbar).
    pub async fn click_in_widget(&self, css: &str) {
        let element = self.widget_element(css).await;
        self.client
            .execute(
                "arguments[0].scrollIntoView({ block: 'center' });",
                vec![serde_json::to_value(&element).unwrap()],
            )
            .await
            .unwrap();
        element
            .click()
            .await
            .unwrap_or_else(|e| panic!("clicking `{css}`: {e}"));
    }

    /// The probe's record (`tests/pages/probe.js`): events, CSP violations, script errors.
    pub async fn probe(&self) -> Value {
        self.js("return window.__e2e || null;").await
    }

    /// Ends the WebDriver session (Chromium quits), then chromedriver.
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

impl Drop for Browser {
    /// Also when a test fails half-way: Chromium (a child of chromedriver) and chromedriver are
    /// stopped by their process ids, so no browser outlives its test.
    fn drop(&mut self) {
        for pid in children_of(self.driver.id()) {
            let _ = Command::new("kill").arg(pid.to_string()).status();
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// The ids of the processes whose parent is `parent` (from `/proc`).
fn children_of(parent: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| {
            let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
            // `pid (comm) state ppid …`; comm may hold spaces and parentheses.
            let ppid: u32 = stat
                .rsplit_once(')')?
                .1
                .split_whitespace()
                .nth(1)?
                .parse()
                .ok()?;
            (ppid == parent).then_some(pid)
        })
        .collect()
}

/// `node_modules/axe-core/axe.min.js`, installed with npm into `target/e2e-node` the first time
/// (not committed, not downloaded at build time: the accessibility test fetches its tool like
/// `cargo xtask setup` does).
pub fn axe_source() -> String {
    static SOURCE: OnceLock<String> = OnceLock::new();
    SOURCE
        .get_or_init(|| {
            let prefix = root().join("target/e2e-node");
            let file = prefix.join("node_modules/axe-core/axe.min.js");
            if !file.exists() {
                std::fs::create_dir_all(&prefix).unwrap();
                let status = Command::new("npm")
                    .args([
                        "install",
                        "--no-audit",
                        "--no-fund",
                        "--no-save",
                        "--prefix",
                    ])
                    .arg(&prefix)
                    .arg("axe-core@4")
                    .status()
                    .expect("npm runs");
                assert!(
                    status.success() && file.exists(),
                    "npm install axe-core@4 failed"
                );
            }
            std::fs::read_to_string(file).unwrap()
        })
        .clone()
}

/// Opens every FAQ of the widget and types `query` into its search box, then waits for the
/// highlighted results: the page state the scans and screenshots that want "everything open" use.
pub async fn open_faqs_and_search(browser: &Browser, query: &str) {
    browser
        .js(&format!(
            "{ROOT}.querySelectorAll('.faq .question button').forEach((b) => b.click());"
        ))
        .await;
    browser
        .widget_element("#jiedu-q")
        .await
        .send_keys(query)
        .await
        .unwrap();
    browser
        .wait_js(
            "search results",
            &format!("{ROOT}.querySelector('.results mark')"),
        )
        .await;
}
