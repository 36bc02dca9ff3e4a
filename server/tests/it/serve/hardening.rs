//! The findings of the security read (issue 10), each with the test that fails without its fix:
//! slow clients, `X-Forwarded-For` spoofing, receipt guessing, and the smaller ones.

use std::io::{Read, Write};
use std::net::{IpAddr, TcpStream};
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, HeaderValue, StatusCode};
use expect_test::{Expect, expect};
use jiedu_server::serve::extract::client_ip;

use super::durability::CONTENT;
use super::harness::{TempDir, TestApp, comment};
use super::http::{Conn, Server};

fn server(dir: &TempDir, args: &[&str]) -> Server {
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    std::fs::write(dir.path().join("content/durable.md"), CONTENT).unwrap();
    Server::start(
        std::path::Path::new(env!("CARGO_BIN_EXE_jiedu")),
        dir.path(),
        args,
    )
}

/// Whether the server has closed `stream` (a read returns end of file or a reset).
fn closed_by_server(stream: &mut TcpStream) -> bool {
    stream
        .set_read_timeout(Some(Duration::from_millis(10)))
        .unwrap();
    let mut buf = [0u8; 256];
    match stream.read(&mut buf) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => !matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
    }
}

#[test]
fn slow_clients_neither_block_others_nor_stay_connected() {
    let dir = TempDir::new("slow");
    let server = server(
        &dir,
        &["--header-read-timeout", "2", "--idle-timeout", "30"],
    );
    // 2,000 clients that send one byte of a request line and then nothing.
    let mut slow: Vec<TcpStream> = (0..2000)
        .map(|_| {
            let mut s = TcpStream::connect(server.addr).expect("connect");
            s.write_all(b"G").unwrap();
            s
        })
        .collect();
    let started = Instant::now();
    let mut conn = Conn::connect(server.addr).unwrap();
    let reply = conn.request("GET", "/healthz", &[], b"").unwrap();
    let took = started.elapsed();
    assert_eq!(reply.status, 200);
    assert!(
        took < Duration::from_secs(1),
        "a normal request took {took:?}"
    );
    // Each slow one is dropped once its headers are overdue (2 s), long before the idle timeout.
    let deadline = Instant::now() + Duration::from_secs(15);
    while !slow.is_empty() && Instant::now() < deadline {
        slow.retain_mut(|s| !closed_by_server(s));
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(slow.len(), 0, "slow connections the server kept open");
}

#[test]
fn an_idle_connection_is_closed_and_the_connection_cap_holds_others_back() {
    let dir = TempDir::new("cap");
    let server = server(
        &dir,
        &[
            "--max-connections",
            "3",
            "--header-read-timeout",
            "30",
            "--idle-timeout",
            "2",
        ],
    );
    // Three keep-alive connections that answered once and now hold every place.
    let mut held: Vec<TcpStream> = (0..3)
        .map(|_| {
            let mut s = TcpStream::connect(server.addr).unwrap();
            s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                .unwrap();
            let mut status = [0u8; 12];
            s.read_exact(&mut status).unwrap();
            assert_eq!(&status, b"HTTP/1.1 200");
            s
        })
        .collect();
    let mut waiting = TcpStream::connect(server.addr).unwrap();
    waiting
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    waiting
        .set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    let mut buf = [0u8; 12];
    assert!(
        waiting.read(&mut buf).is_err(),
        "the fourth connection is not served while three are open"
    );
    // The idle timeout (2 s) frees the places; the fourth is then served.
    waiting
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let started = Instant::now();
    waiting.read_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"HTTP/1.1 200");
    assert!(started.elapsed() < Duration::from_secs(5));
    let deadline = Instant::now() + Duration::from_secs(10);
    while !held.is_empty() && Instant::now() < deadline {
        held.retain_mut(|s| !closed_by_server(s));
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(held.len(), 0, "idle connections the server kept open");
}

fn check_ip(headers: &[&str], behind_proxy: bool, expect: Expect) {
    let mut map = HeaderMap::new();
    for h in headers {
        map.append("x-forwarded-for", HeaderValue::from_str(h).unwrap());
    }
    let peer: IpAddr = "10.0.0.1".parse().unwrap();
    expect.assert_eq(&client_ip(&map, peer, behind_proxy).to_string());
}

#[test]
fn only_the_proxys_forwarded_for_entry_counts() {
    check_ip(&["203.0.113.9"], false, expect!["10.0.0.1"]);
    check_ip(&[], true, expect!["10.0.0.1"]);
    check_ip(&["203.0.113.9"], true, expect!["203.0.113.9"]);
    // The client wrote the first entries; the proxy appended the last.
    check_ip(&["1.1.1.1, 203.0.113.9"], true, expect!["203.0.113.9"]);
    check_ip(&["1.1.1.1", "203.0.113.9"], true, expect!["203.0.113.9"]);
    // An unreadable last entry never lets an earlier, client-written one through.
    check_ip(&["1.1.1.1, garbage"], true, expect!["10.0.0.1"]);
    check_ip(&["1.1.1.1", "unknown"], true, expect!["10.0.0.1"]);
    check_ip(&["1.1.1.1, "], true, expect!["10.0.0.1"]);
    // Ports, as some proxies write them.
    check_ip(&["1.1.1.1, 203.0.113.9:4711"], true, expect!["203.0.113.9"]);
    check_ip(&["[2001:db8::7]:4711"], true, expect!["2001:db8::7"]);
    check_ip(&["[2001:db8::7]"], true, expect!["2001:db8::7"]);
    check_ip(&["2001:db8::7"], true, expect!["2001:db8::7"]);
}

#[tokio::test]
async fn a_spoofed_chain_is_limited_by_the_proxys_entry() {
    let app = TestApp::with(|c| {
        c.behind_proxy = true;
        c.rate_limit_per_minute = 1;
        c.rate_limit_burst = 1;
    });
    let body = comment("建议明确办理时限。");
    // The client varies its own entry; the proxy writes the address it saw, with a port.
    let spoofed = |n: usize| format!("198.51.100.{n}, 203.0.113.9:4711");
    let first = app
        .post_comment_with("draft-rules", &body, &[("x-forwarded-for", &spoofed(1))])
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    let second = app
        .post_comment_with("draft-rules", &body, &[("x-forwarded-for", &spoofed(2))])
        .await;
    assert_eq!(second.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn receipt_lookups_are_limited_per_address() {
    let app = TestApp::with(|c| c.receipt_lookups_per_minute = 5);
    let receipt = app.submit(&comment("建议明确办理时限。")).await["receipt"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        app.get(&format!("/api/v1/receipts/{receipt}")).await.status,
        StatusCode::OK
    );
    for _ in 0..4 {
        let guess = app.get("/api/v1/receipts/JD-2222-2222").await;
        assert_eq!(guess.status, StatusCode::NOT_FOUND);
    }
    let refused = app.get(&format!("/api/v1/receipts/{receipt}")).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.code(), "too-many-lookups");
    let retry: u64 = refused.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "Retry-After {retry}");
}

#[tokio::test]
async fn a_batch_rolled_back_whole_fails_every_job_and_runs_none_after() {
    use jiedu_server::serve::db::{self, DbError, Writer};
    let dir = TempDir::new("rollback");
    let (conn, path) = db::open(dir.path()).unwrap();
    let writer = Writer::start(conn, &path);
    // Hold the writer on one job, so that the next three queue up and run as one batch.
    let (started, is_started) = tokio::sync::oneshot::channel::<()>();
    let (release, released) = std::sync::mpsc::channel::<()>();
    let gate = tokio::spawn({
        let writer = writer.clone();
        async move {
            writer
                .run(move |_| {
                    let _ = started.send(());
                    let _ = released.recv();
                    Ok(())
                })
                .await
        }
    });
    is_started.await.unwrap();
    let insert = |key: &'static str| {
        writer.run(move |c| {
            c.execute("INSERT INTO settings (key, value) VALUES (?1, 'x')", [key])?;
            Ok(())
        })
    };
    // The injected failure: what SQLite does itself on SQLITE_FULL, IOERR or NOMEM.
    let (a, b, c, ()) = tokio::join!(
        insert("a"),
        writer.run(|c| {
            c.execute_batch("ROLLBACK")?;
            Err::<(), _>(DbError::Task("injected".into()))
        }),
        insert("c"),
        async { release.send(()).unwrap() },
    );
    gate.await.unwrap().unwrap();
    assert!(a.is_err() && b.is_err() && c.is_err(), "{a:?} {b:?} {c:?}");
    let stored: Vec<String> = rusqlite::Connection::open(&path)
        .unwrap()
        .prepare("SELECT key FROM settings WHERE key IN ('a', 'c')")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        stored,
        Vec::<String>::new(),
        "answered as failed, yet stored"
    );
    // The writer goes on: the next batch commits.
    insert("d").await.unwrap();
}
