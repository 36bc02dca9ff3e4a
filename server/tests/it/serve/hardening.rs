//! The findings of the security read (issue 10), each with the test that fails without its fix:
//! slow clients, `X-Forwarded-For` spoofing, receipt guessing, and the smaller ones.

use std::io::{Read, Write};
use std::net::{IpAddr, TcpStream};
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, HeaderValue, StatusCode};
use expect_test::{Expect, expect};
use jiedu_server::serve::extract::client_ip;
use jiedu_server::serve::sql::params;

use super::durability::CONTENT;
use super::http::{Conn, Server};
use crate::both_backends;
use crate::serve::harness::{TempDir, TestApp, comment};

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
            "120",
            "--idle-timeout",
            "4",
            "--request-timeout",
            "1",
        ],
    );
    // Three keep-alive connections that answered once and now hold every place. Each answer is
    // read whole, so that the next read on them can only see the server closing. Each client
    // waits 200 ms before its request, as one on a slow network does: the idle timeout must
    // count from the last byte, however late it came, not from when the connection opened.
    let held: Vec<TcpStream> = (0..3)
        .map(|_| {
            let mut s = TcpStream::connect(server.addr).unwrap();
            std::thread::sleep(Duration::from_millis(200));
            s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                .unwrap();
            assert!(read_response(&mut s).starts_with("HTTP/1.1 200"));
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
    // The idle timeout frees the places; the fourth is then served. (4 s: opening and using the
    // three connections (600 ms) and waiting 500 ms must take less, also on a machine busy with builds, or the
    // first would already be closed and the fourth served too early.)
    waiting
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let started = Instant::now();
    waiting.read_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"HTTP/1.1 200");
    assert!(started.elapsed() < Duration::from_secs(8));
    // Only the idle timeout can close them (the header timeout is 120 s): a blocking read sees
    // the end of the stream. The margin is for a machine busy with other builds.
    for mut s in held {
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        let mut rest = [0u8; 64];
        match s.read(&mut rest) {
            Ok(0) => {}
            Ok(n) => panic!("unexpected bytes on an idle connection: {:?}", &rest[..n]),
            Err(e) => assert!(
                !matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ),
                "an idle connection the server kept open"
            ),
        }
    }
}

/// Reads one whole HTTP/1.1 response with a `Content-Length` body, as text.
fn read_response(stream: &mut TcpStream) -> String {
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut bytes = Vec::new();
    let mut byte = [0u8; 1];
    while !bytes.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).unwrap();
        bytes.push(byte[0]);
    }
    let head = String::from_utf8(bytes).unwrap();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().unwrap())
        })
        .expect("a Content-Length");
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).unwrap();
    head + &String::from_utf8_lossy(&body)
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

both_backends! {
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
}

both_backends! {
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
}

/// Runs `insert a`, `failing`, `insert c` as one group-commit batch (the writer is held on a
/// first job until all three are queued) and returns their answers, the database file and the
/// writer, which must go on working.
async fn one_batch_around(
    name: &str,
    failing: impl FnOnce(
        &dyn jiedu_server::serve::sql::Sql,
    ) -> Result<(), jiedu_server::serve::db::DbError>
    + Send
    + 'static,
) -> (
    [Result<(), jiedu_server::serve::db::DbError>; 3],
    std::path::PathBuf,
    jiedu_server::serve::db::Writer,
    TempDir,
) {
    use jiedu_server::serve::db::{self, Writer};
    let dir = TempDir::new(name);
    let (conn, path) = db::open(dir.path()).unwrap();
    let writer = Writer::start(conn, &path);
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
    let (a, b, c, ()) = tokio::join!(
        insert(&writer, "a"),
        writer.run(failing),
        insert(&writer, "c"),
        async { release.send(()).unwrap() },
    );
    gate.await.unwrap().unwrap();
    ([a, b, c], path, writer, dir)
}

async fn insert(
    writer: &jiedu_server::serve::db::Writer,
    key: &'static str,
) -> Result<(), jiedu_server::serve::db::DbError> {
    writer
        .run(move |c| {
            c.execute(
                "INSERT INTO settings (key, value) VALUES (?1, 'x')",
                jiedu_server::serve::sql::params![key],
            )?;
            Ok(())
        })
        .await
}

/// SQLite only: the group-commit writer and SQLite's own whole-transaction rollback.
#[tokio::test]
async fn a_batch_rolled_back_whole_fails_every_job_and_runs_none_after() {
    use jiedu_server::serve::db::DbError;
    // The injected failure: what SQLite does itself on SQLITE_FULL, IOERR or NOMEM.
    let (answers, path, writer, _dir) = one_batch_around("rollback", |c| {
        c.execute_batch("ROLLBACK")?;
        Err(DbError::Task("injected".into()))
    })
    .await;
    assert!(answers.iter().all(Result::is_err), "{answers:?}");
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
    insert(&writer, "d").await.unwrap();
}

/// SQLite only, like the test above.
#[tokio::test]
async fn a_batch_rolled_back_for_lack_of_space_refuses_every_job_as_full() {
    use jiedu_server::serve::db::DbError;
    // What SQLite does on SQLITE_FULL when it gives up the whole transaction.
    let (answers, _path, writer, _dir) = one_batch_around("rollback-full", |c| {
        c.execute_batch("ROLLBACK")?;
        let full = rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL);
        Err(DbError::Sqlite(rusqlite::Error::SqliteFailure(full, None)))
    })
    .await;
    // Every job of the batch is answered as refused for lack of space (507 over HTTP), the
    // ones before the failure and the one after it alike, not as a server error.
    for (name, answer) in ["a", "b", "c"].iter().zip(&answers) {
        let error = answer.as_ref().expect_err(name);
        assert!(error.is_full(), "{name}: {error:?}");
    }
    insert(&writer, "d").await.unwrap();
}

both_backends! {
    async fn an_original_with_duplicates_cannot_be_marked_spam_or_hidden() {
        let t = TestApp::new();
        for text in ["建议明确办理时限。", "同上，建议明确办理时限。"] {
            t.submit(&comment(text)).await;
        }
        let mark = |number: u64, body: serde_json::Value| {
            let uri = format!("/api/v1/documents/draft-rules/comments/{number}/mark");
            let t = &t;
            async move { t.editor("PUT", &uri, Some(&body)).await }
        };
        let dup = mark(
            2,
            serde_json::json!({ "mark": "duplicate", "duplicateOf": 1 }),
        )
        .await;
        assert_eq!(dup.status, StatusCode::OK, "{}", dup.text());
        for kind in ["spam", "hidden"] {
            let refused = mark(1, serde_json::json!({ "mark": kind })).await;
            assert_eq!(refused.status, StatusCode::CONFLICT, "{kind}");
            assert_eq!(refused.code(), "comment-has-duplicates");
        }
        assert_eq!(
            mark(2, serde_json::json!({ "mark": "none" })).await.status,
            StatusCode::OK
        );
        let spam = mark(1, serde_json::json!({ "mark": "spam" })).await;
        assert_eq!(spam.status, StatusCode::OK, "{}", spam.text());
    }
}

both_backends! {
    async fn small_findings_answer_clearly() {
        let t = TestApp::new();
        let receipt = t.submit(&comment("建议明确办理时限。")).await["receipt"]
            .as_str()
            .unwrap()
            .to_owned();
        // A receipt typed without dashes, with and without "JD".
        let typed = receipt.replace('-', "");
        for form in [typed.clone(), typed[2..].to_owned(), typed.to_lowercase()] {
            let found = t.get(&format!("/api/v1/receipts/{form}")).await;
            assert_eq!(found.status, StatusCode::OK, "{form}");
            assert_eq!(found.json()["receipt"], receipt.as_str());
        }
        // A comment number above i64::MAX is simply not there.
        let huge = u64::MAX;
        let uri = format!("/api/v1/documents/draft-rules/comments/{huge}");
        let reply = t.editor("GET", &uri, None).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
        assert_eq!(reply.code(), "comment-not-found");
        let mark = t
            .editor(
                "PUT",
                &format!("{uri}/mark"),
                Some(&serde_json::json!({ "mark": "spam" })),
            )
            .await;
        assert_eq!(mark.status, StatusCode::NOT_FOUND);
        let dup = t
            .editor(
                "PUT",
                "/api/v1/documents/draft-rules/comments/1/mark",
                Some(&serde_json::json!({ "mark": "duplicate", "duplicateOf": huge })),
            )
            .await;
        assert_eq!(
            dup.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            dup.text()
        );
        // A search of a thousand words is refused, naming the parameter.
        let words = vec!["意见"; 1000].join("+");
        let search = t
            .editor(
                "GET",
                &format!("/api/v1/documents/draft-rules/comments?q={words}"),
                None,
            )
            .await;
        assert_eq!(search.status, StatusCode::BAD_REQUEST);
        assert_eq!(search.code(), "invalid-parameter");
        assert!(search.text().contains("q"), "{}", search.text());
    }
}

both_backends! {
    async fn a_request_that_takes_too_long_is_answered_408_in_json() {
        use axum::body::{Body, Bytes};
        let t = TestApp::with(|c| c.request_timeout = 1);
        // A body that never arrives.
        let stalled = futures_util::stream::pending::<Result<Bytes, std::io::Error>>();
        let reply = t
            .send(
                axum::http::Request::post("/api/v1/documents/draft-rules/comments")
                    .header("content-type", "application/json")
                    .header("accept-language", "en")
                    .body(Body::from_stream(stalled))
                    .unwrap(),
            )
            .await;
        assert_eq!(reply.status, StatusCode::REQUEST_TIMEOUT);
        assert_eq!(reply.code(), "request-timeout");
        assert_eq!(
            reply.json()["error"]["message"],
            "The request took too long; please try again."
        );
    }
}

/// A write from a page on `origin`, through a proxy that set `Host` to the upstream address.
async fn write_from(t: &TestApp, origin: &str) -> crate::serve::harness::Reply {
    t.post_comment_with(
        "draft-rules",
        &comment("建议明确办理时限。"),
        &[("origin", origin), ("host", "127.0.0.1:8080")],
    )
    .await
}

both_backends! {
    async fn behind_a_proxy_that_rewrites_host_the_public_origin_may_write() {
        let plain = TestApp::new();
        let refused = write_from(&plain, "https://zwgk.example.gov.cn").await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert_eq!(refused.code(), "origin-not-allowed");
        let t = TestApp::with(|c| c.public_origin = Some("https://zwgk.example.gov.cn".into()));
        let written = write_from(&t, "https://zwgk.example.gov.cn").await;
        assert_eq!(written.status, StatusCode::CREATED, "{}", written.text());
        let other = write_from(&t, "https://evil.example").await;
        assert_eq!(other.status, StatusCode::FORBIDDEN);
    }
}

both_backends! {
    async fn the_servers_own_pages_carry_a_policy_and_media_cannot_script() {
        let t = TestApp::new();
        let root = t.dir.path();
        std::fs::create_dir_all(root.join("www")).unwrap();
        std::fs::write(root.join("www/editor.html"), "<title>editor</title>").unwrap();
        std::fs::write(root.join("www/review.html"), "<title>review</title>").unwrap();
        std::fs::create_dir_all(root.join("content/media")).unwrap();
        std::fs::write(
            root.join("content/media/chart.svg"),
            r#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>"#,
        )
        .unwrap();
        let mut seen = String::new();
        for path in [
            "/",
            "/editor",
            "/review",
            "/www/review.html",
            "/media/chart.svg",
            "/documents/media/chart.svg",
        ] {
            let reply = t.get(path).await;
            assert_eq!(reply.status, StatusCode::OK, "{path}");
            let csp = reply.header("content-security-policy").unwrap_or("NONE");
            let frame = if csp.contains("frame-ancestors 'none'") {
                "no frames"
            } else {
                "frames"
            };
            let sandbox = if csp.starts_with("sandbox") {
                "sandbox"
            } else if csp.contains("script-src 'self'") {
                "own scripts"
            } else {
                "?"
            };
            let referrer = reply.header("referrer-policy").unwrap_or("NONE");
            seen.push_str(&format!(
                "{path}: {sandbox}, {frame}, referrer {referrer}\n"
            ));
        }
        expect![[r#"
            /: own scripts, frames, referrer strict-origin-when-cross-origin
            /editor: own scripts, no frames, referrer same-origin
            /review: own scripts, no frames, referrer same-origin
            /www/review.html: own scripts, no frames, referrer same-origin
            /media/chart.svg: sandbox, frames, referrer no-referrer
            /documents/media/chart.svg: sandbox, frames, referrer no-referrer
        "#]]
        .assert_eq(&seen);
    }
}

#[test]
fn a_write_from_an_origin_not_allowed_is_logged_with_the_origin() {
    use std::io::BufRead;
    use std::process::{Command, Stdio};
    let dir = TempDir::new("origin-log");
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    std::fs::write(dir.path().join("content/durable.md"), CONTENT).unwrap();
    let log_path = dir.path().join("stderr.log");
    let mut child = Command::new(env!("CARGO_BIN_EXE_jiedu"))
        .args(["serve", "--bind", "127.0.0.1:0", "--log", "warn"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log_path).unwrap())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let addr = first.trim().strip_prefix("listening on http://").unwrap();
    let mut conn = Conn::connect(addr.parse().unwrap()).unwrap();
    let body = serde_json::to_vec(&comment("建议明确办理时限。")).unwrap();
    let reply = conn
        .request(
            "POST",
            "/api/v1/documents/durable/comments",
            &[
                ("Content-Type", "application/json"),
                ("Origin", "https://news.example.gov.cn"),
            ],
            &body,
        )
        .unwrap();
    assert_eq!(reply.status, 403);
    assert_eq!(reply.json()["error"]["code"], "origin-not-allowed");
    let _ = child.kill();
    let _ = child.wait();
    let log = std::fs::read_to_string(&log_path).unwrap();
    assert!(
        log.contains("https://news.example.gov.cn") && log.contains("allowed_origins"),
        "{log}"
    );
}

both_backends! {
    async fn the_feedback_report_is_served_from_memory_once_published() {
        use axum::body::Body;
        use axum::http::Request;
        let t = TestApp::new();
        t.submit(&comment("建议明确办理时限。")).await;
        let uri = "/api/v1/documents/draft-rules/comments/1/disposition";
        let decided = t
            .editor(
                "PUT",
                uri,
                Some(&serde_json::json!({ "decision": "adopted" })),
            )
            .await;
        assert_eq!(decided.status, StatusCode::OK);
        let publish = || t.editor("POST", "/api/v1/documents/draft-rules/feedback", None);
        assert_eq!(publish().await.status, StatusCode::CREATED);
        let feedback = "/api/v1/documents/draft-rules/feedback";
        let first = t.get(feedback).await;
        assert_eq!(first.status, StatusCode::OK);
        let etag = first.header("etag").unwrap().to_owned();
        // The stored reports are gone from the database: the server does not read them again.
        t.db(|c| c.execute("DELETE FROM feedback_reports", params![]));
        let cached = t.get(feedback).await;
        assert_eq!(cached.status, StatusCode::OK);
        assert_eq!(cached.body, first.body);
        let get_with = |name: &'static str, value: String| {
            t.send(
                Request::get(feedback)
                    .header(name, value)
                    .body(Body::empty())
                    .unwrap(),
            )
        };
        let not_modified = get_with("if-none-match", etag.clone()).await;
        assert_eq!(not_modified.status, StatusCode::NOT_MODIFIED);
        let gzipped = get_with("accept-encoding", "br;q=1, gzip;q=0.8".into()).await;
        assert_eq!(gzipped.header("content-encoding"), Some("gzip"));
        let mut json = Vec::new();
        flate2::read::GzDecoder::new(&gzipped.body[..])
            .read_to_end(&mut json)
            .unwrap();
        assert_eq!(json, first.body);
        // Publishing again replaces it.
        let changed = t
            .editor(
                "PUT",
                uri,
                Some(&serde_json::json!({ "decision": "not-adopted", "reason": "已有规定。" })),
            )
            .await;
        assert_eq!(changed.status, StatusCode::OK);
        assert_eq!(publish().await.status, StatusCode::CREATED);
        let republished = get_with("if-none-match", etag).await;
        assert_eq!(republished.status, StatusCode::OK);
        assert!(republished.text().contains("not-adopted"));
    }
}

/// SQLite only: the key file beside the database (PostgreSQL requires `ip_hash_secret`; the
/// two-instance test checks that both instances hash alike).
#[tokio::test]
async fn the_ip_hash_key_is_kept_outside_the_database() {
    use jiedu_server::serve::secrets;
    let t = TestApp::new();
    t.submit(&comment("建议明确办理时限。")).await;
    let path = t.dir.path().join("data/ip-hash.key");
    let key = std::fs::read_to_string(&path).expect("the key file");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let db = t.sqlite();
    let in_db: i64 = db
        .query_row("SELECT COUNT(*) FROM settings", [], |r| r.get(0))
        .unwrap();
    assert_eq!(in_db, 0, "no key in the database");
    let stored: String = db
        .query_row("SELECT ip_hash FROM comments", [], |r| r.get(0))
        .unwrap();
    let peer: IpAddr = "0.0.0.0".parse().unwrap();
    assert_eq!(stored, secrets::ip_hash(key.trim().as_bytes(), peer));
}

/// SQLite only: databases of earlier versions were all SQLite.
#[test]
fn a_key_an_earlier_version_kept_in_the_database_moves_to_the_file() {
    use jiedu_server::serve::{AppState, Clock, Config, db};
    let dir = TempDir::new("legacy-key");
    let data = dir.path().join("data");
    let (conn, _) = db::open(&data).unwrap();
    conn.execute(
        "INSERT INTO settings (key, value) VALUES ('ip_hash_secret', 'an-old-key')",
        [],
    )
    .unwrap();
    drop(conn);
    let config = Config {
        data_dir: data.clone(),
        ..Config::default()
    };
    let state = AppState::open(config, Vec::new(), Clock::manual(0)).unwrap();
    assert_eq!(state.ip_secret, b"an-old-key");
    assert_eq!(
        std::fs::read_to_string(data.join("ip-hash.key")).unwrap(),
        "an-old-key\n"
    );
    let (conn, _) = db::open(&data).unwrap();
    let left: i64 = conn
        .query_row("SELECT COUNT(*) FROM settings", [], |r| r.get(0))
        .unwrap();
    assert_eq!(left, 0);
}

/// SQLite only: `max_database_bytes` is SQLite's `max_page_count` (a full PostgreSQL disk is
/// the database team's alarm, and answers like an outage).
#[tokio::test]
async fn a_full_database_answers_507_loses_nothing_and_recovers_without_restart() {
    let t = TestApp::with(|c| c.max_database_bytes = Some(400 * 1024));
    // Other data takes most of the space, as other files do on a disk.
    let db = t.sqlite();
    db.execute_batch("CREATE TABLE filler (b BLOB); INSERT INTO filler VALUES (zeroblob(200000));")
        .unwrap();
    let long = "建议明确办理时限并公开办理结果。".repeat(600);
    let mut acked = Vec::new();
    let mut refused = None;
    for i in 0..50 {
        let reply = t
            .post_comment("draft-rules", &comment(&format!("{i}：{long}")))
            .await;
        match reply.status {
            StatusCode::CREATED => acked.push(reply.json()["receipt"].as_str().unwrap().to_owned()),
            StatusCode::INSUFFICIENT_STORAGE => {
                refused = Some(reply);
                break;
            }
            other => panic!("{other}: {}", reply.text()),
        }
    }
    let refused = refused.expect("the database filled up");
    assert_eq!(refused.code(), "storage-full");
    assert_eq!(refused.header("retry-after"), Some("60"));
    assert!(!acked.is_empty());
    // Everything acknowledged is stored; the refused comment is not.
    let rows: usize = db
        .query_row("SELECT COUNT(*) FROM comments", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, acked.len());
    for receipt in &acked {
        let found = t.get(&format!("/api/v1/receipts/{receipt}")).await;
        assert_eq!(found.status, StatusCode::OK);
    }
    // Space comes back: the same server stores comments again.
    db.execute_batch("DROP TABLE filler").unwrap();
    let again = t
        .post_comment("draft-rules", &comment(&format!("again：{long}")))
        .await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.text());
}

fn jiedu_cmd(dir: &TempDir, args: &[&str]) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jiedu"))
        .args(args)
        .current_dir(dir.path())
        .env_remove("JIEDU_DATA_DIR")
        .env_remove("JIEDU_CONFIG")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn post_one(addr: std::net::SocketAddr, text: &str) -> String {
    let mut conn = Conn::connect(addr).unwrap();
    let body = serde_json::to_vec(&comment(text)).unwrap();
    let reply = conn
        .request(
            "POST",
            "/api/v1/documents/durable/comments",
            &[("Content-Type", "application/json")],
            &body,
        )
        .unwrap();
    assert_eq!(reply.status, 201);
    reply.json()["receipt"].as_str().unwrap().to_owned()
}

fn lookup(addr: std::net::SocketAddr, receipt: &str) -> u16 {
    let mut conn = Conn::connect(addr).unwrap();
    let path = format!("/api/v1/receipts/{receipt}");
    conn.request("GET", &path, &[], b"").unwrap().status
}

/// SQLite only: `jiedu backup` copies SQLite files (PostgreSQL is backed up with pg_dump).
#[test]
fn backup_while_serving_and_restore() {
    let dir = TempDir::new("backup");
    let server = server(&dir, &["--rate-limit-per-minute", "0"]);
    let addr = server.addr;
    let before: Vec<String> = (0..3)
        .map(|i| post_one(addr, &format!("第 {i} 条意见。")))
        .collect();
    // Comments keep arriving while the copy is taken.
    let writing = std::thread::spawn(move || {
        (0..20)
            .map(|i| post_one(addr, &format!("备份期间的第 {i} 条意见。")))
            .count()
    });
    let (ok, err) = jiedu_cmd(&dir, &["backup", "copy.db"]);
    assert!(ok, "{err}");
    assert!(err.contains("comments"), "{err}");
    assert_eq!(writing.join().unwrap(), 20);
    let (ok, err) = jiedu_cmd(&dir, &["backup", "copy.db"]);
    assert!(!ok && err.contains("already exists"), "{err}");
    let after = post_one(addr, "备份之后的意见。");

    let (ok, err) = jiedu_cmd(&dir, &["restore", "copy.db"]);
    assert!(!ok && err.contains("stop jiedu serve"), "{err}");
    drop(server);

    let (ok, err) = jiedu_cmd(&dir, &["restore", "copy.db"]);
    assert!(ok, "{err}");
    let kept = std::fs::read_dir(dir.path().join("data"))
        .unwrap()
        .filter_map(|e| e.ok())
        .any(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("jiedu.db.before-restore-")
        });
    assert!(kept, "the replaced database is kept");
    let (ok, err) = jiedu_cmd(&dir, &["restore", "content/durable.md"]);
    assert!(!ok && err.contains("not a usable jiedu backup"), "{err}");

    let server = self::server(&dir, &[]);
    for receipt in &before {
        assert_eq!(lookup(server.addr, receipt), 200, "{receipt}");
    }
    assert_eq!(lookup(server.addr, &after), 404, "made after the backup");
}

both_backends! {
    async fn contacts_are_deleted_when_their_retention_is_over_and_it_is_audited() {
        use jiedu_server::serve::retention::purge_contacts;
        let t = TestApp::with(|c| c.contact_retention_days = 30);
        let mut with_contact = comment("建议明确办理时限。");
        with_contact["contact"] = "13800000000".into();
        with_contact["consent"] = true.into();
        t.submit(&with_contact).await;
        let contacts = || -> i64 {
            t.db(|c| {
                c.query_row(
                    "SELECT COUNT(*) FROM comments WHERE contact IS NOT NULL",
                    params![],
                    |r| r.get(0),
                )
            })
        };
        let closes = crate::serve::harness::unix(crate::serve::harness::CLOSES);
        t.clock.set(closes + 29 * 86_400);
        assert_eq!(purge_contacts(&t.state).await.unwrap(), 0);
        assert_eq!(contacts(), 1, "kept during the follow-up period");
        t.clock.set(closes + 30 * 86_400 + 1);
        assert_eq!(purge_contacts(&t.state).await.unwrap(), 1);
        assert_eq!(contacts(), 0);
        let (actor, action, detail): (String, String, String) = t.db(|c| {
            c.query_row(
                "SELECT actor, action, detail FROM audit_log ORDER BY id DESC LIMIT 1",
                params![],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
        });
        assert_eq!(
            (actor.as_str(), action.as_str(), detail.as_str()),
            (
                "retention",
                "delete-contacts",
                r#"{"cleared":1,"retentionDays":30}"#
            )
        );
        // The comment itself stays.
        let text: String = t.db(|c| c.query_row("SELECT text FROM comments", params![], |r| r.get(0)));
        assert_eq!(text, "建议明确办理时限。");
    }
}
