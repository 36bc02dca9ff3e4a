//! TLS to PostgreSQL, on a cluster of its own that lets TCP clients in over TLS only (`hostssl`
//! in `pg_hba.conf`), so whatever connects here went over TLS: a `jiedu serve` stores and serves
//! a comment with `sslmode=require&sslrootcert=CA`; a certificate from another CA, or one that
//! does not name the host, is refused with the reason; `sslmode=disable` is refused by the
//! server; `prefer` (no `sslmode`) encrypts without verifying; a password login is bound to the
//! TLS session. One cluster for all, started once.

use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use jiedu_e2e::pg_cluster::{self, Cluster, SCRAM_ROLE};
use jiedu_server::serve::db::{DatabaseUrl, Direct};

use super::durability::{CONTENT, comment_body, post};
use super::harness::TempDir;
use super::http::{Conn, Server};

fn cluster() -> &'static Cluster {
    static CLUSTER: OnceLock<Cluster> = OnceLock::new();
    CLUSTER.get_or_init(|| {
        Cluster::with_tls(Path::new(env!("CARGO_TARGET_TMPDIR")), "pg-tls")
            .unwrap_or_else(|e| panic!("a PostgreSQL cluster with TLS: {e}"))
    })
}

/// Creates database `name` (through the Unix socket) and returns its TCP URL, `host` for
/// `127.0.0.1`, with `query` appended.
fn database(name: &str, host: &str, query: &str) -> String {
    let cluster = cluster();
    pg_cluster::admin(
        &cluster.socket_url("postgres"),
        &format!("CREATE DATABASE {name}"),
    )
    .unwrap_or_else(|e| assert!(e.contains("already exists"), "{e}"));
    let admin = cluster.url().replace("127.0.0.1", host);
    let base = admin
        .rsplit_once('/')
        .map_or(admin.as_str(), |(base, _)| base);
    format!("{base}/{name}{query}")
}

fn ca() -> String {
    cluster().tls().expect("TLS").ca.display().to_string()
}

/// Opens (and migrates) the database at `url` as every command does; the error's message.
fn open(url: &str) -> Result<(), String> {
    let url: DatabaseUrl = url.parse().map_err(|e| format!("{e}"))?;
    Direct::open(&url).map(drop).map_err(|e| e.to_string())
}

#[test]
fn serve_stores_and_serves_a_comment_over_verified_tls() {
    let dir = TempDir::new("pg-tls");
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    std::fs::write(dir.path().join("content/durable.md"), CONTENT).unwrap();
    let url = database(
        "jiedu_tls_serve",
        "127.0.0.1",
        &format!("?sslmode=require&sslrootcert={}", ca()),
    );
    let server = Server::start(
        Path::new(env!("CARGO_BIN_EXE_jiedu")),
        dir.path(),
        &["--database-url", &url, "--ip-hash-secret", "tls-test"],
    );
    let mut conn = Conn::connect(server.addr).unwrap();
    let key = jiedu_server::serve::secrets::new_uuid();
    let stored = post(&mut conn, &key, &comment_body(0, 0)).unwrap();
    assert_eq!(stored.status, 201);
    let receipt = stored.json()["receipt"].as_str().unwrap().to_owned();
    let lookup = conn
        .request("GET", &format!("/api/v1/receipts/{receipt}"), &[], b"")
        .unwrap();
    assert_eq!(lookup.status, 200);

    // The server's connections, the pool's and the one that listens for publications, use TLS
    // (the listener connects in the background: polled until it is there).
    let connections = || {
        pg_cluster::query(
            &cluster().socket_url("postgres"),
            "SELECT bool_and(ssl)::text, bool_or(query LIKE 'LISTEN%')::text FROM pg_stat_ssl \
             JOIN pg_stat_activity USING (pid) WHERE datname = 'jiedu_tls_serve'",
        )
        .unwrap()
    };
    let every_one_tls_and_the_listener_there = [[Some("true".to_owned()), Some("true".to_owned())]];
    let started = Instant::now();
    let mut seen = connections();
    while seen != every_one_tls_and_the_listener_there
        && started.elapsed() < Duration::from_secs(10)
    {
        std::thread::sleep(Duration::from_millis(20));
        seen = connections();
    }
    assert_eq!(seen, every_one_tls_and_the_listener_there);
}

#[test]
fn what_each_sslmode_accepts_of_the_certificate() {
    let ca = ca();
    let other = cluster().tls().unwrap().other_ca.display().to_string();
    let by_ip = |query: &str| database("jiedu_tls_modes", "127.0.0.1", query);
    // The certificate names 127.0.0.1, not localhost.
    let by_name = |query: &str| database("jiedu_tls_modes", "localhost", query);
    let not_trusted = "was refused: it is not signed by a trusted CA (UnknownIssuer); name the \
                       CA that signed it with sslrootcert=PATH";
    let cases = [
        (by_ip(&format!("?sslrootcert={ca}")), Ok(())),
        (
            by_ip(&format!("?sslmode=verify-full&sslrootcert={ca}")),
            Ok(()),
        ),
        (
            by_name(&format!("?sslmode=verify-ca&sslrootcert={ca}")),
            Ok(()),
        ),
        // prefer, the default: TLS (the server takes nothing else) without verification.
        (by_name(""), Ok(())),
        (
            by_name(&format!("?sslmode=verify-full&sslrootcert={ca}")),
            Err(
                "certificate not valid for name \"localhost\"; certificate is only valid for \
                 IpAddress(127.0.0.1); connect with the name the certificate gives, or use \
                 sslmode=verify-ca",
            ),
        ),
        (by_ip("?sslmode=require"), Err(not_trusted)),
        (
            by_ip(&format!("?sslmode=require&sslrootcert={other}")),
            Err(not_trusted),
        ),
        (by_ip("?sslmode=disable"), Err("no encryption")),
    ];
    for (url, expected) in cases {
        match (open(&url), expected) {
            (Ok(()), Ok(())) => {}
            (Err(e), Err(reason)) => assert!(e.contains(reason), "{url}: {e}"),
            (got, _) => panic!("{url}: {got:?}, expected {expected:?}"),
        }
    }
}

/// What an operator sees when the server's certificate is not signed by the CA they named: the
/// command stops at once, saying why.
#[test]
fn a_command_stops_when_the_certificate_is_signed_by_another_ca() {
    let other = cluster().tls().unwrap().other_ca.display().to_string();
    let url = database(
        "jiedu_tls_cli",
        "127.0.0.1",
        &format!("?sslmode=require&sslrootcert={other}"),
    );
    let out = Command::new(env!("CARGO_BIN_EXE_jiedu"))
        .args(["token", "list", "--database-url", &url])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains(
            "error performing TLS handshake: the certificate of the PostgreSQL server 127.0.0.1 \
             was refused: it is not signed by a trusted CA (UnknownIssuer)"
        ),
        "{stderr}"
    );
}

/// A password login (SCRAM) over TLS is bound to the TLS session: `channel_binding=require`
/// accepts nothing else, and PostgreSQL checks the binding against its own certificate. Under
/// `require` and under `prefer`'s unverified TLS alike.
#[test]
fn a_password_login_is_bound_to_the_tls_session() {
    pg_cluster::admin(
        &cluster().socket_url("postgres"),
        &format!("CREATE ROLE {SCRAM_ROLE} LOGIN SUPERUSER PASSWORD 'tls-secret'"),
    )
    .unwrap();
    let url = |password: &str, query: &str| {
        database("jiedu_tls_scram", "127.0.0.1", query)
            .replace("postgres@", &format!("{SCRAM_ROLE}:{password}@"))
    };
    let verified = format!(
        "?sslmode=require&sslrootcert={}&channel_binding=require",
        ca()
    );
    for query in [verified.as_str(), "?channel_binding=require"] {
        assert_eq!(open(&url("tls-secret", query)), Ok(()), "{query}");
    }
    let wrong = open(&url("not-the-secret", &verified)).unwrap_err();
    assert!(wrong.contains("password authentication failed"), "{wrong}");
}
