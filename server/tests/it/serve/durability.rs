//! Durability with the real binary: acknowledged comments survive `kill -9`, and clients that
//! retry with their idempotency keys store nothing twice.
//!
//! Sixteen clients submit 250 comments each over keep-alive connections. When 1,500 have been
//! acknowledged the server is killed with SIGKILL, with requests in flight. The database is then
//! opened directly: every receipt the server gave out must be there. The server is started again
//! and every client re-sends the comment it had in flight (acknowledged or not, it cannot know)
//! and its remaining ones, with the same keys. In the end there is exactly one row per key.
//!
//! This one runs on SQLite; `instances.rs` repeats the accounting with two instances on
//! PostgreSQL, killing one of them.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::harness::TempDir;
use super::http::{Conn, Server};

pub const CLIENTS: usize = 16;
pub const PER_CLIENT: usize = 250;
pub const KILL_AFTER: usize = 1500;

/// A draft open for comment from 2000 to 2099, in the authoring format.
pub const CONTENT: &str = r#"+++
id = "durable"
title = "耐久性测试征求意见稿"
status = "consultation"
disclosure = "public"

[consultation]
opens = 2000-01-01T00:00:00+08:00
closes = 2099-12-31T23:59:59+08:00
kind = "other"
+++

# 第一条 目的 {#s1}

为了检验意见在服务器意外终止后不丢失、不重复，制定本办法。

# 第二条 范围 {#s2}

本办法适用于测试。
"#;

pub struct Pending {
    pub key: String,
    pub body: String,
}

/// What one client saw: receipts it was given, and comments it must send (again).
#[derive(Default)]
pub struct ClientLog {
    pub acked: Vec<(String, String)>,
    pub in_flight: Option<Pending>,
    pub unsent: Vec<Pending>,
}

pub fn comment_body(client: usize, i: usize) -> String {
    serde_json::json!({
        "target": if i.is_multiple_of(2) { "s1" } else { "s2" },
        "stance": "support",
        "text": format!("客户端 {client} 的第 {i} 条意见：同意本条。"),
    })
    .to_string()
}

pub fn post(conn: &mut Conn, key: &str, body: &str) -> std::io::Result<super::http::Response> {
    conn.request(
        "POST",
        "/api/v1/documents/durable/comments",
        &[
            ("Content-Type", "application/json"),
            ("Idempotency-Key", key),
        ],
        body.as_bytes(),
    )
}

pub fn client(addr: std::net::SocketAddr, id: usize, acked: Arc<AtomicUsize>) -> ClientLog {
    let mut log = ClientLog::default();
    let mut work: Vec<Pending> = (0..PER_CLIENT)
        .map(|i| Pending {
            key: jiedu_server::serve::secrets::new_uuid(),
            body: comment_body(id, i),
        })
        .rev()
        .collect();
    let mut conn = match Conn::connect(addr) {
        Ok(c) => c,
        Err(_) => {
            log.unsent = work.into_iter().rev().collect();
            return log;
        }
    };
    while let Some(next) = work.pop() {
        match post(&mut conn, &next.key, &next.body) {
            Ok(reply) => {
                assert_eq!(
                    reply.status,
                    201,
                    "{}",
                    String::from_utf8_lossy(&reply.body)
                );
                let receipt = reply.json()["receipt"].as_str().unwrap().to_owned();
                log.acked.push((next.key, receipt));
                acked.fetch_add(1, Ordering::SeqCst);
            }
            Err(_) => {
                // The server died: this one may or may not be stored; the rest were never sent.
                log.in_flight = Some(next);
                log.unsent = work.into_iter().rev().collect();
                break;
            }
        }
    }
    log
}

fn stored_by_key(db: &Path) -> BTreeMap<String, String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT idempotency_key, receipt FROM comments")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn acknowledged_comments_survive_kill_9_and_retries_store_nothing_twice() {
    let dir = TempDir::new("durability");
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    std::fs::write(dir.path().join("content/durable.md"), CONTENT).unwrap();
    let binary = Path::new(env!("CARGO_BIN_EXE_jiedu"));
    let args = ["--rate-limit-per-minute", "0"];
    let server = Server::start(binary, dir.path(), &args);
    let addr = server.addr;

    let acked = Arc::new(AtomicUsize::new(0));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|id| {
            let acked = acked.clone();
            std::thread::spawn(move || client(addr, id, acked))
        })
        .collect();
    // Poll until enough comments are acknowledged, then pull the plug.
    while acked.load(Ordering::SeqCst) < KILL_AFTER {
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    server.kill_9();
    let logs: Vec<ClientLog> = clients.into_iter().map(|c| c.join().unwrap()).collect();

    // Every receipt handed out is on disk, under its key.
    let db = dir.path().join("data/jiedu.db");
    let stored = stored_by_key(&db);
    let acknowledged: Vec<&(String, String)> = logs.iter().flat_map(|l| &l.acked).collect();
    assert!(acknowledged.len() >= KILL_AFTER);
    for (key, receipt) in &acknowledged {
        assert_eq!(
            stored.get(key),
            Some(receipt),
            "acknowledged {receipt} was lost"
        );
    }
    let in_flight: Vec<&Pending> = logs.iter().filter_map(|l| l.in_flight.as_ref()).collect();
    let stored_unacked = in_flight
        .iter()
        .filter(|p| stored.contains_key(&p.key))
        .count();
    eprintln!(
        "killed after {} acknowledged; {} in flight, of which {} were stored without an answer",
        acknowledged.len(),
        in_flight.len(),
        stored_unacked
    );

    // Restart; every client sends its in-flight comment again, then the rest.
    let server = Server::start(binary, dir.path(), &args);
    let mut conn = Conn::connect(server.addr).unwrap();
    let mut replayed = 0;
    for log in &logs {
        for p in log.in_flight.iter().chain(&log.unsent) {
            let reply = post(&mut conn, &p.key, &p.body).unwrap();
            assert_eq!(reply.status, 201);
            let receipt = reply.json()["receipt"].as_str().unwrap().to_owned();
            if let Some(before) = stored.get(&p.key) {
                assert_eq!(&receipt, before, "a retry got a new receipt");
                assert_eq!(reply.header("idempotent-replayed"), Some("true"));
                replayed += 1;
            }
        }
    }
    assert_eq!(replayed, stored_unacked);
    // Retrying an acknowledged comment also returns its receipt.
    for (key, receipt) in acknowledged.iter().step_by(97) {
        let client_id = logs
            .iter()
            .position(|l| l.acked.iter().any(|(k, _)| k == key))
            .unwrap();
        let i = logs[client_id]
            .acked
            .iter()
            .position(|(k, _)| k == key)
            .unwrap();
        let reply = post(&mut conn, key, &comment_body(client_id, i)).unwrap();
        assert_eq!(reply.json()["receipt"].as_str(), Some(receipt.as_str()));
    }
    // The server's receipt endpoint finds an acknowledged comment after the crash.
    let (_, receipt) = acknowledged[0];
    let status = conn
        .request("GET", &format!("/api/v1/receipts/{receipt}"), &[], b"")
        .unwrap();
    assert_eq!(status.status, 200);
    drop(server);

    // Exactly one row per comment, each text once, and a sound database file.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let (rows, keys, texts, numbers): (i64, i64, i64, i64) = conn
        .query_row(
            "SELECT COUNT(*), COUNT(DISTINCT idempotency_key), COUNT(DISTINCT text), MAX(number) FROM comments",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    let total = (CLIENTS * PER_CLIENT) as i64;
    assert_eq!((rows, keys, texts, numbers), (total, total, total, total));
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
}
