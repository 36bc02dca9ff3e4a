//! Several `jiedu serve` processes on one PostgreSQL database, as behind a load balancer:
//! receipts and numbers unique across instances, idempotency keys honoured whichever instance
//! a retry reaches, a publication on one served by the other within a second (LISTEN/NOTIFY),
//! no acknowledged comment lost when one instance is killed, and 503 while the database is
//! down, recovering by itself.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use jiedu_server::serve::db::DatabaseUrl;
use jiedu_server::serve::sql::params;
use jiedu_server::serve::store;

use super::durability::{
    CLIENTS, CONTENT, ClientLog, KILL_AFTER, PER_CLIENT, Pending, client, comment_body, post,
};
use super::harness::{TempDir, pg_database_for, with_db};
use super::http::{Conn, Server};

/// A content folder with the open draft `durable`, a fresh PostgreSQL database, and an approver
/// token in it.
fn setup(label: &str) -> (TempDir, DatabaseUrl, String) {
    let dir = TempDir::new(label);
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    std::fs::write(dir.path().join("content/durable.md"), CONTENT).unwrap();
    let url = pg_database_for(dir.path());
    let token = with_db(&url, |c| {
        store::create_token(
            c,
            "approver-a",
            store::Role::Approver,
            "cli",
            "2026-12-01T00:00:00Z",
        )
        .map_err(|e| jiedu_server::serve::db::DbError::Task(e.to_string()))
    });
    (dir, url, token)
}

fn instance(dir: &Path, url: &DatabaseUrl) -> Server {
    let DatabaseUrl::Postgres(url) = url else {
        unreachable!()
    };
    Server::start(
        Path::new(env!("CARGO_BIN_EXE_jiedu")),
        dir,
        &[
            "--database-url",
            url,
            "--ip-hash-secret",
            "shared-by-every-instance",
            "--rate-limit-per-minute",
            "0",
        ],
    )
}

fn stored_by_key(url: &DatabaseUrl) -> BTreeMap<String, String> {
    with_db(url, |c| {
        c.query_map(
            "SELECT idempotency_key, receipt FROM comments",
            params![],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    })
    .into_iter()
    .collect()
}

#[test]
fn two_instances_share_receipts_keys_and_publications() {
    let (dir, url, token) = setup("two-instances");
    let (a, b) = (instance(dir.path(), &url), instance(dir.path(), &url));

    // Writes spread over both: every receipt and every number is unique.
    let writers: Vec<_> = [a.addr, b.addr, a.addr, b.addr]
        .into_iter()
        .enumerate()
        .map(|(id, addr)| std::thread::spawn(move || client_of(addr, id, 25).acked))
        .collect();
    let acked: Vec<(String, String)> = writers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    let receipts: BTreeSet<&String> = acked.iter().map(|(_, r)| r).collect();
    assert_eq!((acked.len(), receipts.len()), (100, 100));
    let numbers: Vec<i64> = with_db(&url, |c| {
        c.query_map(
            "SELECT number FROM comments ORDER BY number",
            params![],
            |r| r.get(0),
        )
    });
    assert_eq!(numbers, (1..=100).collect::<Vec<_>>());

    // The same key sent to A and then to B: one receipt, one row.
    let key = jiedu_server::serve::secrets::new_uuid();
    let body = comment_body(99, 0);
    let first = post(&mut Conn::connect(a.addr).unwrap(), &key, &body).unwrap();
    let again = post(&mut Conn::connect(b.addr).unwrap(), &key, &body).unwrap();
    assert_eq!((first.status, again.status), (201, 201));
    assert_eq!(first.json()["receipt"], again.json()["receipt"]);
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    let rows: i64 = with_db(&url, |c| {
        c.query_row(
            "SELECT COUNT(*) FROM comments WHERE idempotency_key = ?1",
            params![key],
            |r| r.get(0),
        )
    });
    assert_eq!(rows, 1);

    // Both instances hash addresses with the configured secret: the same address, one hash.
    let hashes: BTreeSet<String> = with_db(&url, |c| {
        c.query_map("SELECT DISTINCT ip_hash FROM comments", params![], |r| {
            r.get(0)
        })
    })
    .into_iter()
    .collect();
    assert_eq!(hashes.len(), 1, "{hashes:?}");

    // A publication through A (here: withdrawing the draft) is served by B within a second.
    let document = "/api/v1/documents/durable";
    assert_eq!(get(b.addr, document), 200);
    let withdrawn = Conn::connect(a.addr)
        .unwrap()
        .request(
            "POST",
            &format!("{document}/withdraw"),
            &[("Authorization", &format!("Bearer {token}"))],
            b"",
        )
        .unwrap();
    assert_eq!(
        withdrawn.status,
        204,
        "{}",
        String::from_utf8_lossy(&withdrawn.body)
    );
    let started = Instant::now();
    while get(b.addr, document) != 410 {
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "B still serves the withdrawn document after a second"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    eprintln!("B served the withdrawal after {:?}", started.elapsed());
}

/// Two instances store comments for the same two documents at once, each client alternating
/// between them, so both instances' batches hold comments for both: every comment is stored at
/// the first try, and each document's numbers are 1, 2, 3 … with none missing or twice. The
/// comments do not take the instances' write lock: the constraints keep the numbers right, and
/// the locks of the documents are taken in one order before any insert, so two batches never
/// wait for each other (PostgreSQL would break such a deadlock after a second and count it).
#[test]
fn two_instances_commenting_on_the_same_documents_get_consecutive_numbers() {
    const CLIENTS: usize = 12;
    const EACH: usize = 40;
    let (dir, url, _) = setup("same-documents");
    let second = CONTENT.replace("id = \"durable\"", "id = \"second\"");
    std::fs::write(dir.path().join("content/second.md"), second).unwrap();
    let (a, b) = (instance(dir.path(), &url), instance(dir.path(), &url));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|id| {
            let addr = if id % 2 == 0 { a.addr } else { b.addr };
            std::thread::spawn(move || {
                let mut conn = Conn::connect(addr).unwrap();
                for i in 0..EACH {
                    let document = ["durable", "second"][(id + i) % 2];
                    let key = jiedu_server::serve::secrets::new_uuid();
                    let reply = conn
                        .request(
                            "POST",
                            &format!("/api/v1/documents/{document}/comments"),
                            &[
                                ("Content-Type", "application/json"),
                                ("Idempotency-Key", &key),
                            ],
                            comment_body(id, i).as_bytes(),
                        )
                        .unwrap();
                    assert_eq!(
                        reply.status,
                        201,
                        "{}",
                        String::from_utf8_lossy(&reply.body)
                    );
                }
            })
        })
        .collect();
    for client in clients {
        client.join().unwrap();
    }
    for document in ["durable", "second"] {
        let numbers: Vec<i64> = with_db(&url, |c| {
            c.query_map(
                "SELECT number FROM comments WHERE document_id = ?1 ORDER BY number",
                params![document],
                |r| r.get(0),
            )
        });
        let expected = (CLIENTS * EACH / 2) as i64;
        assert_eq!(numbers, (1..=expected).collect::<Vec<_>>(), "{document}");
    }
    // A deadlock would be broken by PostgreSQL after a second and the batch stored again, so
    // the answers cannot show it; PostgreSQL counts it, once the instances' connections ended.
    drop((a, b));
    let started = Instant::now();
    while with_db(&url, |c| {
        c.query_row(
            "SELECT COUNT(*) FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
            params![],
            |r| r.get::<i64>(0),
        )
    }) > 0
    {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "connections left"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let deadlocks: i64 = with_db(&url, |c| {
        c.query_row(
            "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()",
            params![],
            |r| r.get(0),
        )
    });
    assert_eq!(deadlocks, 0);
}

fn get(addr: std::net::SocketAddr, path: &str) -> u16 {
    Conn::connect(addr)
        .unwrap()
        .request("GET", path, &[], b"")
        .unwrap()
        .status
}

/// One client's comments, `count` of them, sent to `addr`.
fn client_of(addr: std::net::SocketAddr, id: usize, count: usize) -> ClientLog {
    let mut conn = Conn::connect(addr).unwrap();
    let mut log = ClientLog::default();
    for i in 0..count {
        let key = jiedu_server::serve::secrets::new_uuid();
        let reply = post(&mut conn, &key, &comment_body(id, i)).unwrap();
        assert_eq!(
            reply.status,
            201,
            "{}",
            String::from_utf8_lossy(&reply.body)
        );
        log.acked
            .push((key, reply.json()["receipt"].as_str().unwrap().to_owned()));
    }
    log
}

/// The durability test's accounting (see `durability.rs`), with two instances: half the
/// clients write to A, half to B; A is killed with SIGKILL under load; every receipt either
/// gave out is stored, and A's clients finish on B with their keys, storing nothing twice.
#[test]
fn killing_one_instance_under_load_loses_no_acknowledged_comment() {
    let (dir, url, _) = setup("kill-one");
    let (a, b) = (instance(dir.path(), &url), instance(dir.path(), &url));
    let acked = Arc::new(AtomicUsize::new(0));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|id| {
            let addr = if id % 2 == 0 { a.addr } else { b.addr };
            let acked = acked.clone();
            std::thread::spawn(move || client(addr, id, acked))
        })
        .collect();
    while acked.load(Ordering::SeqCst) < KILL_AFTER {
        std::thread::sleep(Duration::from_millis(1));
    }
    a.kill_9();
    let logs: Vec<ClientLog> = clients.into_iter().map(|c| c.join().unwrap()).collect();

    let stored = stored_by_key(&url);
    let acknowledged: Vec<&(String, String)> = logs.iter().flat_map(|l| &l.acked).collect();
    for (key, receipt) in &acknowledged {
        assert_eq!(
            stored.get(key),
            Some(receipt),
            "acknowledged {receipt} was lost"
        );
    }
    // B's clients were not disturbed.
    for log in logs.iter().skip(1).step_by(2) {
        assert_eq!(log.acked.len(), PER_CLIENT);
    }
    // A's clients send what they had in flight and the rest to B, with the same keys.
    let mut conn = Conn::connect(b.addr).unwrap();
    let in_flight: Vec<&Pending> = logs.iter().filter_map(|l| l.in_flight.as_ref()).collect();
    let stored_unacked = in_flight
        .iter()
        .filter(|p| stored.contains_key(&p.key))
        .count();
    let mut replayed = 0;
    for log in &logs {
        for p in log.in_flight.iter().chain(&log.unsent) {
            let reply = post(&mut conn, &p.key, &p.body).unwrap();
            assert_eq!(reply.status, 201);
            if let Some(before) = stored.get(&p.key) {
                assert_eq!(reply.json()["receipt"].as_str(), Some(before.as_str()));
                replayed += 1;
            }
        }
    }
    assert_eq!(replayed, stored_unacked);
    let (rows, keys, numbers): (i64, i64, i64) = with_db(&url, |c| {
        c.query_row(
            "SELECT COUNT(*), COUNT(DISTINCT idempotency_key), MAX(number) FROM comments",
            params![],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
    });
    let total = (CLIENTS * PER_CLIENT) as i64;
    assert_eq!((rows, keys, numbers), (total, total, total));
}

/// PostgreSQL stops under a running server: requests are answered 503 with `Retry-After` and
/// the JSON error, the server keeps running, and once PostgreSQL is back it answers again by
/// itself. On a cluster of its own, since it is stopped.
#[test]
fn while_postgresql_is_down_requests_get_503_and_the_server_recovers_by_itself() {
    let cluster =
        jiedu_e2e::pg_cluster::Cluster::new(Path::new(env!("CARGO_TARGET_TMPDIR")), "pg-outage")
            .expect("a cluster of its own");
    let dir = TempDir::new("outage");
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    std::fs::write(dir.path().join("content/durable.md"), CONTENT).unwrap();
    let url = DatabaseUrl::Postgres(cluster.url());
    let server = instance(dir.path(), &url);
    let comment = |conn: &mut Conn| {
        let key = jiedu_server::serve::secrets::new_uuid();
        post(conn, &key, &comment_body(0, 0)).unwrap()
    };
    let mut conn = Conn::connect(server.addr).unwrap();
    assert_eq!(comment(&mut conn).status, 201);

    cluster.stop().unwrap();
    let refused = comment(&mut conn);
    assert_eq!(
        refused.status,
        503,
        "{}",
        String::from_utf8_lossy(&refused.body)
    );
    assert_eq!(refused.json()["error"]["code"], "database-unavailable");
    assert_eq!(refused.header("retry-after"), Some("5"));
    let lookup = conn
        .request("GET", "/api/v1/receipts/JD-AAAA-AAAA", &[], b"")
        .unwrap();
    assert_eq!(lookup.status, 503);
    // Documents are served from memory all the while.
    assert_eq!(get(server.addr, "/api/v1/documents/durable"), 200);

    cluster.start().unwrap();
    let started = Instant::now();
    loop {
        let reply = comment(&mut conn);
        if reply.status == 201 {
            break;
        }
        assert_eq!(reply.status, 503);
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "still 503 ten seconds after PostgreSQL came back"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    eprintln!(
        "answered 201 again {:?} after PostgreSQL started",
        started.elapsed()
    );
}

/// A site moves from SQLite to PostgreSQL with `jiedu migrate-db`: every row and receipt
/// arrives (page by page), a target with data is refused unless `--force`, and a server on the copy goes on
/// where the old one stopped (numbers, ids and tokens continue).
#[test]
fn migrate_db_copies_a_sqlite_site_into_postgresql_and_refuses_a_full_target() {
    let (dir, pg, _) = setup("migrate-db");
    let binary = Path::new(env!("CARGO_BIN_EXE_jiedu"));
    let sqlite = DatabaseUrl::in_data_dir(&dir.path().join("data"));
    let token = with_db(&sqlite, |c| {
        store::create_token(
            c,
            "admin-a",
            store::Role::Admin,
            "cli",
            "2026-12-01T00:00:00Z",
        )
        .map_err(|e| jiedu_server::serve::db::DbError::Task(e.to_string()))
    });
    let receipts: Vec<String> = {
        let old = Server::start(binary, dir.path(), &["--rate-limit-per-minute", "0"]);
        client_of(old.addr, 0, 30)
            .acked
            .into_iter()
            .map(|(_, r)| r)
            .collect()
    };
    // More comments than a page of the copy (500) and of its check (1,000), so that both go
    // over page boundaries.
    with_db(&sqlite, |c| {
        c.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1100)
             INSERT INTO comments (receipt, document_id, number, request_hash, target, stance,
                 text, submitter_type, consent, received_unix, received_at, revision)
             SELECT 'JD-BULK-' || i, document_id, 30 + i, request_hash, target, stance, text,
                 submitter_type, consent, received_unix, received_at, revision
             FROM n, comments WHERE number = 1",
            params![],
        )
    });
    let migrate = |force: bool| {
        let mut command = std::process::Command::new(binary);
        command.args(["migrate-db", "--from", &sqlite.to_string(), "--to"]);
        let DatabaseUrl::Postgres(url) = &pg else {
            unreachable!()
        };
        command.arg(url);
        if force {
            command.arg("--force");
        }
        let out = command.output().unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    // The target already holds the approver token `setup` made.
    let (ok, said) = migrate(false);
    assert!(
        !ok && said.contains("not empty") && said.contains("--force"),
        "{said}"
    );
    let (ok, said) = migrate(true);
    assert!(ok, "{said}");
    assert!(
        said.contains("1130 comments") && said.contains("receipts verified"),
        "{said}"
    );

    let new = instance(dir.path(), &pg);
    for receipt in &receipts {
        assert_eq!(get(new.addr, &format!("/api/v1/receipts/{receipt}")), 200);
    }
    let next = client_of(new.addr, 1, 1).acked;
    let number: i64 = with_db(&pg, |c| {
        c.query_row(
            "SELECT number FROM comments WHERE receipt = ?1",
            params![next[0].1],
            |r| r.get(0),
        )
    });
    assert_eq!(number, 1131);
    let audit = Conn::connect(new.addr)
        .unwrap()
        .request(
            "GET",
            "/api/v1/audit",
            &[("Authorization", &format!("Bearer {token}"))],
            b"",
        )
        .unwrap();
    assert_eq!(audit.status, 200, "the token moved with the site");
}
