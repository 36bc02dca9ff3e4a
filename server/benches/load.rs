//! Load benchmark of the comment endpoint: the release binary on loopback, a fixed duration per
//! concurrency level, every comment durably committed before it counts.
//!
//! `cargo bench -p jiedu-server --bench load` (the `bench` profile inherits `release-native`).
//! For each concurrency level a fresh `jiedu serve` starts on a fresh database (rate limit off);
//! that many clients, each on its own keep-alive connection, post comments with idempotency keys
//! for the given time. Reported: acknowledged comments per second, p50/p99 latency, errors, and
//! the rows found in the database afterwards, which must equal the acknowledged comments.
//!
//! Settings: `JIEDU_BENCH_SECONDS` (default 10), `JIEDU_BENCH_CONCURRENCY` (default `1,8,32`),
//! `JIEDU_BENCH_MODE` (`comments`, the default, or `documents`: GET the compiled document
//! instead, the citizens' read path), `JIEDU_BENCH_BINARY` (another `jiedu` to measure, e.g. one
//! built from an older commit, for a before/after comparison).
//!
//! `JIEDU_BENCH_INSTANCE_CPU=0.4` holds each `jiedu serve` to that share of one core (a Linux
//! cgroup, as root): instances as if each ran on a small machine of its own, so that adding one
//! adds processor time, which two instances on one 2-core machine do not.
//!
//! `JIEDU_BENCH_DOCUMENTS=N` spreads the comments over N documents (client `i` on document
//! `i % N`; default 1: every client on one document).
//!
//! `JIEDU_BENCH_DATABASE` lists the setups to measure one after the other, in one run:
//! `sqlite` (the default), `postgres` (one instance on PostgreSQL), `postgres-x2` (two instances
//! on one PostgreSQL database, the clients split between them), e.g.
//! `JIEDU_BENCH_DATABASE=sqlite,postgres,postgres-x2`. PostgreSQL is the server named by
//! `JIEDU_BENCH_DATABASE_URL` (an admin URL; each level gets a database of its own), else a
//! throwaway cluster under the target directory, as the tests start it.
//!
//! `JIEDU_BENCH_MODE=feedback` measures the published feedback report instead: 1,000 comments
//! are stored, decided and published, then the clients read the report (`Accept-Encoding: gzip`,
//! as browsers send it), and then again with `If-None-Match` (answered 304).

#[path = "../tests/it/serve/http.rs"]
mod http;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use http::{Conn, Server};
use jiedu_e2e::pg_cluster;

const CONTENT: &str = r#"+++
id = "load"
title = "负载测试征求意见稿"
status = "consultation"
disclosure = "public"

[consultation]
opens = 2000-01-01T00:00:00+08:00
closes = 2099-12-31T23:59:59+08:00
kind = "other"
+++

# 第一条 目的 {#s1}

为了测量意见提交的吞吐量，制定本办法。
"#;

struct Outcome {
    latencies: Vec<Duration>,
    errors: usize,
}

/// One reader: GETs the document (200 with a body counts).
fn reader(addr: std::net::SocketAddr, until: Instant) -> Outcome {
    let mut out = Outcome {
        latencies: Vec::new(),
        errors: 0,
    };
    let mut conn = Conn::connect(addr).expect("connect");
    while Instant::now() < until {
        let start = Instant::now();
        match conn.request("GET", "/api/v1/documents/load", &[], b"") {
            Ok(r) if r.status == 200 && !r.body.is_empty() => out.latencies.push(start.elapsed()),
            Ok(_) => out.errors += 1,
            Err(_) => {
                out.errors += 1;
                conn = Conn::connect(addr).expect("reconnect");
            }
        }
    }
    out
}

fn worker(addr: std::net::SocketAddr, id: usize, document: &str, until: Instant) -> Outcome {
    let mut out = Outcome {
        latencies: Vec::new(),
        errors: 0,
    };
    let mut conn = Conn::connect(addr).expect("connect");
    let mut i = 0;
    while Instant::now() < until {
        i += 1;
        let key = jiedu_server::serve::secrets::new_uuid();
        let body = serde_json::json!({
            "target": "s1",
            "stance": "suggest-change",
            "text": format!("第 {id} 号客户端第 {i} 条意见：建议明确办理时限，并在政府网站公开办理结果，便于群众监督。"),
            "proposedWording": "应当在十五个工作日内办结并公开结果。",
            "name": "测试用户",
        })
        .to_string();
        let start = Instant::now();
        let reply = conn.request(
            "POST",
            &format!("/api/v1/documents/{document}/comments"),
            &[
                ("Content-Type", "application/json"),
                ("Idempotency-Key", &key),
            ],
            body.as_bytes(),
        );
        match reply {
            Ok(r) if r.status == 201 => out.latencies.push(start.elapsed()),
            Ok(_) => out.errors += 1,
            Err(_) => {
                out.errors += 1;
                conn = Conn::connect(addr).expect("reconnect");
            }
        }
    }
    out
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

/// The database behind the server(s) of one measurement.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Setup {
    Sqlite,
    /// PostgreSQL, with this many instances.
    Postgres(usize),
}

impl Setup {
    fn parse(s: &str) -> Setup {
        match s.trim() {
            "sqlite" => Setup::Sqlite,
            "postgres" => Setup::Postgres(1),
            "postgres-x2" => Setup::Postgres(2),
            other => {
                panic!("JIEDU_BENCH_DATABASE: unknown `{other}` (sqlite, postgres, postgres-x2)")
            }
        }
    }

    fn label(self) -> String {
        match self {
            Setup::Sqlite => "sqlite".into(),
            Setup::Postgres(1) => "postgres".into(),
            Setup::Postgres(n) => format!("postgres x{n}"),
        }
    }
}

/// The admin URL of the PostgreSQL server for the benchmark.
fn pg_admin_url() -> &'static str {
    static URL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    URL.get_or_init(|| {
        std::env::var("JIEDU_BENCH_DATABASE_URL").unwrap_or_else(|_| {
            pg_cluster::start(Path::new(env!("CARGO_TARGET_TMPDIR")))
                .unwrap_or_else(|e| panic!("no PostgreSQL for the benchmark: {e}"))
        })
    })
}

/// Starts the server(s) of `setup` over a fresh database in `dir`; returns them and the URL of
/// their database.
fn start_servers(binary: &Path, dir: &Path, setup: Setup, tag: &str) -> (Vec<Server>, String) {
    let mut args = vec!["--rate-limit-per-minute".to_owned(), "0".to_owned()];
    let (instances, url) = match setup {
        Setup::Sqlite => (
            1,
            format!("sqlite://{}", dir.join("data/jiedu.db").display()),
        ),
        Setup::Postgres(n) => {
            let name = format!("jiedu_bench_{}_{tag}", std::process::id());
            let admin = pg_admin_url();
            // Two calls: DROP DATABASE cannot run inside the transaction of a multi-statement call.
            for sql in [
                format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                format!("CREATE DATABASE {name}"),
            ] {
                pg_cluster::admin(admin, &sql).expect("a benchmark database");
            }
            let base = admin.rsplit_once('/').map_or(admin, |(b, _)| b);
            args.extend(["--ip-hash-secret".into(), "bench".into()]);
            (n, format!("{base}/{name}"))
        }
    };
    args.extend(["--database-url".into(), url.clone()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let servers = (0..instances)
        .map(|_| Server::start(binary, dir, &args))
        .collect();
    (servers, url)
}

/// The comments stored in the database at `url`.
fn rows_in(url: &str) -> i64 {
    use jiedu_server::serve::sql::params;
    let url = url.parse().expect("a database URL");
    let mut db = jiedu_server::serve::db::Direct::open(&url).expect("the database opens");
    db.transaction(|c| c.query_row("SELECT COUNT(*) FROM comments", params![], |r| r.get(0)))
        .expect("count")
}

/// `JIEDU_BENCH_INSTANCE_CPU`: the share of one core each instance may use, if set.
fn instance_cpu() -> Option<f64> {
    let share = std::env::var("JIEDU_BENCH_INSTANCE_CPU").ok()?;
    match share.parse::<f64>() {
        Ok(share) if share > 0.0 => Some(share),
        _ => panic!("JIEDU_BENCH_INSTANCE_CPU: `{share}` is not a positive share of a core"),
    }
}

/// A Linux cgroup (v1 `cpu` controller) that holds one server to a share of a core, as if it ran
/// on a machine of its own that small; removed when dropped (after the server has stopped).
struct CpuQuota(PathBuf);

impl CpuQuota {
    fn new(server: &Server, share: f64) -> CpuQuota {
        const ROOT: &str = "/sys/fs/cgroup/cpu";
        let pid = server.child.id();
        let dir = Path::new(ROOT).join(format!("jiedu-bench-{pid}"));
        let period = 100_000;
        let set = |file: &str, value: String| {
            std::fs::write(dir.join(file), value).unwrap_or_else(|e| {
                panic!("JIEDU_BENCH_INSTANCE_CPU needs root and cgroup v1's {ROOT}: {file}: {e}")
            })
        };
        std::fs::create_dir_all(&dir)
            .unwrap_or_else(|e| panic!("JIEDU_BENCH_INSTANCE_CPU: cannot create {dir:?}: {e}"));
        set("cpu.cfs_period_us", period.to_string());
        set(
            "cpu.cfs_quota_us",
            ((share * period as f64) as u64).to_string(),
        );
        set("cgroup.procs", pid.to_string());
        CpuQuota(dir)
    }
}

impl Drop for CpuQuota {
    fn drop(&mut self) {
        // Empty once its process has exited; a moment after a kill.
        for _ in 0..100 {
            if std::fs::remove_dir(&self.0).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

struct TempDir(PathBuf);
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Sends `requests` (method, path, JSON body) over 8 keep-alive connections with the editor
/// token `token`; each must be answered with `status`.
fn send_all(
    addr: std::net::SocketAddr,
    requests: Vec<(String, String, String)>,
    token: &str,
    status: u16,
) {
    let threads = 8;
    let mut chunks: Vec<Vec<(String, String, String)>> = vec![Vec::new(); threads];
    for (i, r) in requests.into_iter().enumerate() {
        chunks[i % threads].push(r);
    }
    let handles: Vec<_> = chunks
        .into_iter()
        .map(|chunk| {
            let auth = format!("Bearer {token}");
            std::thread::spawn(move || {
                let mut conn = Conn::connect(addr).expect("connect");
                for (method, path, body) in chunk {
                    let headers = [
                        ("Content-Type", "application/json"),
                        ("Authorization", auth.as_str()),
                    ];
                    let r = conn
                        .request(&method, &path, &headers, body.as_bytes())
                        .expect("request");
                    assert_eq!(
                        r.status,
                        status,
                        "{method} {path}: {}",
                        String::from_utf8_lossy(&r.body)
                    );
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
}

/// Stores, decides and publishes `n` comments; returns the report's entity tag and size.
fn publish_report(
    binary: &Path,
    dir: &Path,
    addr: std::net::SocketAddr,
    n: usize,
) -> (String, usize) {
    let comments = (0..n)
        .map(|i| {
            let body = serde_json::json!({
                "target": "s1", "stance": "suggest-change", "name": "测试用户",
                "text": format!("第 {i} 条意见：建议明确办理时限，并在政府网站公开办理结果，便于群众监督。"),
                "proposedWording": "应当在十五个工作日内办结并公开结果。",
            });
            ("POST".into(), "/api/v1/documents/load/comments".into(), body.to_string())
        })
        .collect();
    send_all(addr, comments, "", 201);
    let out = std::process::Command::new(binary)
        .args(["token", "create", "--name", "bench"])
        .current_dir(dir)
        .output()
        .expect("jiedu token create");
    let token = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    let decisions = (1..=n)
        .map(|i| {
            let body = r#"{"decision":"not-adopted","reason":"已在第五条中规定，不再重复。"}"#;
            (
                "PUT".into(),
                format!("/api/v1/documents/load/comments/{i}/disposition"),
                body.into(),
            )
        })
        .collect();
    send_all(addr, decisions, &token, 200);
    let mut conn = Conn::connect(addr).unwrap();
    let auth = format!("Bearer {token}");
    let r = conn
        .request(
            "POST",
            "/api/v1/documents/load/feedback",
            &[("Authorization", &auth)],
            b"",
        )
        .unwrap();
    assert_eq!(r.status, 201);
    let r = conn
        .request("GET", "/api/v1/documents/load/feedback", &[], b"")
        .unwrap();
    (r.header("etag").unwrap().to_owned(), r.body.len())
}

/// `clients` readers of the report for `seconds`, each on its own keep-alive connection.
fn read_report(
    addr: std::net::SocketAddr,
    clients: usize,
    seconds: u64,
    etag: Option<String>,
) -> Outcome {
    let until = Instant::now() + Duration::from_secs(seconds);
    let expected = if etag.is_some() { 304 } else { 200 };
    let outcomes: Vec<Outcome> = (0..clients)
        .map(|_| {
            let etag = etag.clone();
            std::thread::spawn(move || {
                let mut out = Outcome {
                    latencies: Vec::new(),
                    errors: 0,
                };
                let mut conn = Conn::connect(addr).expect("connect");
                let mut headers = vec![("Accept-Encoding", "gzip".to_owned())];
                if let Some(tag) = etag {
                    headers.push(("If-None-Match", tag));
                }
                let headers: Vec<(&str, &str)> =
                    headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
                while Instant::now() < until {
                    let start = Instant::now();
                    match conn.request("GET", "/api/v1/documents/load/feedback", &headers, b"") {
                        Ok(r) if r.status == expected => out.latencies.push(start.elapsed()),
                        Ok(_) => out.errors += 1,
                        Err(_) => {
                            out.errors += 1;
                            conn = Conn::connect(addr).expect("reconnect");
                        }
                    }
                }
                out
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|h| h.join().unwrap())
        .collect();
    Outcome {
        latencies: outcomes.iter().flat_map(|o| o.latencies.clone()).collect(),
        errors: outcomes.iter().map(|o| o.errors).sum(),
    }
}

fn feedback_bench(binary: &Path, seconds: u64, levels: &[usize]) -> bool {
    const ROWS: usize = 1000;
    let dir =
        TempDir(std::env::temp_dir().join(format!("jiedu-bench-feedback-{}", std::process::id())));
    std::fs::create_dir_all(dir.0.join("content")).unwrap();
    std::fs::write(dir.0.join("content/load.md"), CONTENT).unwrap();
    let server = Server::start(binary, &dir.0, &["--rate-limit-per-minute", "0"]);
    let (etag, bytes) = publish_report(binary, &dir.0, server.addr, ROWS);
    println!(
        "jiedu feedback report, {ROWS} rows ({bytes} bytes of JSON), loopback, {seconds} s per level"
    );
    println!(
        "{:>11} {:>14} {:>9} {:>11} {:>9} {:>9} {:>7}",
        "concurrency", "request", "answers", "answers/s", "p50 ms", "p99 ms", "errors"
    );
    let mut failed = false;
    for &clients in levels {
        for (label, tag) in [("gzip 200", None), ("If-None-Match", Some(etag.clone()))] {
            let started = Instant::now();
            let mut out = read_report(server.addr, clients, seconds, tag);
            let elapsed = started.elapsed().as_secs_f64();
            out.latencies.sort();
            println!(
                "{:>11} {:>14} {:>9} {:>11.0} {:>9.2} {:>9.2} {:>7}",
                clients,
                label,
                out.latencies.len(),
                out.latencies.len() as f64 / elapsed,
                percentile(&out.latencies, 0.50).as_secs_f64() * 1000.0,
                percentile(&out.latencies, 0.99).as_secs_f64() * 1000.0,
                out.errors
            );
            failed |= out.errors > 0;
        }
    }
    failed
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --all-targets` runs this without it, and then
    // a one-second smoke run keeps the benchmark from rotting without slowing the tests down.
    let benching = std::env::args().any(|a| a == "--bench");
    let seconds: u64 = std::env::var("JIEDU_BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if benching { 10 } else { 1 });
    let levels: Vec<usize> = std::env::var("JIEDU_BENCH_CONCURRENCY")
        .unwrap_or_else(|_| if benching { "1,8,32" } else { "4" }.into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let binary = std::env::var_os("JIEDU_BENCH_BINARY")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_jiedu")));
    let binary = binary.as_path();
    if std::env::var("JIEDU_BENCH_MODE").as_deref() == Ok("feedback") {
        if feedback_bench(binary, seconds, &levels) {
            eprintln!("FAILED: some reads of the report failed");
            std::process::exit(1);
        }
        return;
    }
    let reads = std::env::var("JIEDU_BENCH_MODE").is_ok_and(|m| m == "documents");
    if reads {
        println!(
            "jiedu document GET, loopback, {seconds} s per level ({})",
            binary.display()
        );
    } else {
        println!(
            "jiedu comment endpoint, loopback, {seconds} s per level, durable (SQLite: WAL, \
             synchronous=FULL, group commit; PostgreSQL: synchronous_commit=on, group commit per instance, \
             a batch of comments in one pipeline under its documents' locks)"
        );
    }
    println!(
        "{:>12} {:>11} {:>9} {:>11} {:>9} {:>9} {:>7} {:>9} {:>6}",
        "database",
        "concurrency",
        "acked",
        "acked/s",
        "p50 ms",
        "p99 ms",
        "errors",
        "rows",
        "match"
    );
    let setups: Vec<Setup> = std::env::var("JIEDU_BENCH_DATABASE")
        .unwrap_or_else(|_| "sqlite".into())
        .split(',')
        .map(Setup::parse)
        .collect();
    let mut failed = false;
    for &setup in &setups {
        for &clients in &levels {
            failed |= measure(binary, setup, clients, seconds, reads);
        }
    }
    if failed {
        eprintln!("FAILED: errors, or rows stored differ from comments acknowledged");
        std::process::exit(1);
    }
}

/// The documents commented on: `load`, or with `JIEDU_BENCH_DOCUMENTS=N`, `load`, `load-2` …
/// `load-N`, client `i` commenting on document `i % N` (with two instances and an even N, each
/// document's comments all go to one instance, as behind a balancer that hashes by document).
fn document_ids() -> Vec<String> {
    let n: usize = std::env::var("JIEDU_BENCH_DOCUMENTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    (1..=n.max(1))
        .map(|i| {
            if i == 1 {
                "load".into()
            } else {
                format!("load-{i}")
            }
        })
        .collect()
}

/// One line of the table: `clients` clients for `seconds` against fresh server(s) of `setup`.
/// Whether it failed.
fn measure(binary: &Path, setup: Setup, clients: usize, seconds: u64, reads: bool) -> bool {
    let tag = format!("{}_{clients}", setup.label().replace(' ', "_"));
    let dir =
        TempDir(std::env::temp_dir().join(format!("jiedu-bench-{}-{tag}", std::process::id())));
    std::fs::create_dir_all(dir.0.join("content")).unwrap();
    let documents = document_ids();
    for id in &documents {
        let content = CONTENT.replace("id = \"load\"", &format!("id = \"{id}\""));
        std::fs::write(dir.0.join(format!("content/{id}.md")), content).unwrap();
    }
    let (servers, url) = start_servers(binary, &dir.0, setup, &tag);
    let _quotas: Vec<CpuQuota> = match instance_cpu() {
        Some(share) => servers.iter().map(|s| CpuQuota::new(s, share)).collect(),
        None => Vec::new(),
    };
    let addrs: Vec<_> = servers.iter().map(|s| s.addr).collect();
    let started = Instant::now();
    let until = started + Duration::from_secs(seconds);
    let outcomes: Vec<Outcome> = (0..clients)
        .map(|id| {
            let addr = addrs[id % addrs.len()];
            let document = documents[id % documents.len()].clone();
            std::thread::spawn(move || {
                if reads {
                    reader(addr, until)
                } else {
                    worker(addr, id, &document, until)
                }
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|h| h.join().unwrap())
        .collect();
    let elapsed = started.elapsed().as_secs_f64();
    drop(servers);
    let mut latencies: Vec<Duration> = outcomes.iter().flat_map(|o| o.latencies.clone()).collect();
    latencies.sort();
    let errors: usize = outcomes.iter().map(|o| o.errors).sum();
    let rows = rows_in(&url);
    let acked = latencies.len();
    println!(
        "{:>12} {:>11} {:>9} {:>11.0} {:>9.2} {:>9.2} {:>7} {:>9} {:>6}",
        setup.label(),
        clients,
        acked,
        acked as f64 / elapsed,
        percentile(&latencies, 0.50).as_secs_f64() * 1000.0,
        percentile(&latencies, 0.99).as_secs_f64() * 1000.0,
        errors,
        rows,
        if reads {
            "-"
        } else if rows as usize == acked {
            "yes"
        } else {
            "NO"
        }
    );
    errors > 0 || (!reads && rows as usize != acked)
}
