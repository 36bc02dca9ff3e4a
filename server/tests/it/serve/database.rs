//! The database: pragmas, migrations applied whole or not at all, and refusing a newer schema
//! (SQLite's here; PostgreSQL's schema at the end).

use jiedu_server::serve::db::{self, DbError, MIGRATIONS};

use super::harness::TempDir;

#[test]
fn a_new_database_is_created_in_wal_mode_and_fully_migrated() {
    let dir = TempDir::new("db");
    let data = dir.path().join("data");
    let (conn, path) = db::open(&data).unwrap();
    assert_eq!(path, data.join("jiedu.db"));
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let sync: i64 = conn
        .pragma_query_value(None, "synchronous", |r| r.get(0))
        .unwrap();
    assert_eq!(sync, 2, "synchronous=FULL");
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, MIGRATIONS.len() as i64);
    drop(conn);
    // Opening again changes nothing.
    let (conn, _) = db::open(&data).unwrap();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, MIGRATIONS.len() as i64);
}

/// The statement that stores a comment finds the next number at the end of the
/// `(document_id, number)` index: it searches by document only inside its scalar subquery. (An
/// aggregate over the document's rows at the top made SQLite read them all, 5 ms an insert at
/// 30,000 comments.)
#[test]
fn storing_a_comment_reads_one_index_entry_for_its_number_not_the_documents_rows() {
    let dir = TempDir::new("db");
    let (conn, _) = db::open(&dir.path().join("data")).unwrap();
    let sql = format!(
        "EXPLAIN QUERY PLAN {}",
        jiedu_server::serve::store::INSERT_COMMENT
    );
    let mut plan = conn.prepare(&sql).unwrap();
    let nulls = vec![rusqlite::types::Null; plan.parameter_count()];
    let rows: Vec<(i64, String)> = plan
        .query_map(rusqlite::params_from_iter(nulls), |r| {
            Ok((r.get(1)?, r.get(3)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let by_document: Vec<&(i64, String)> = rows
        .iter()
        .filter(|(_, detail)| detail.contains("document_id=?"))
        .collect();
    assert!(!by_document.is_empty(), "{rows:?}");
    assert!(
        by_document.iter().all(|(parent, _)| *parent != 0),
        "searches the document's rows at the top: {rows:?}"
    );
}

#[test]
fn a_failing_migration_leaves_the_database_as_it_was() {
    let dir = TempDir::new("db");
    let path = dir.path().join("x.db");
    let mut conn = rusqlite::Connection::open(&path).unwrap();
    db::migrate_with(&mut conn, &path, &["CREATE TABLE a (x);"]).unwrap();
    let broken = [
        "CREATE TABLE a (x);",
        "CREATE TABLE b (y); INSERT INTO a VALUES (1); THIS IS NOT SQL;",
    ];
    let err = db::migrate_with(&mut conn, &path, &broken).unwrap_err();
    assert!(matches!(err, DbError::Sqlite(_)), "{err}");
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, 1);
    let b_exists: bool = conn
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'b')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(!b_exists, "half of migration 2 must not remain");
    let rows: i64 = conn
        .query_row("SELECT COUNT(*) FROM a", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 0);
}

#[test]
fn a_database_from_a_newer_jiedu_is_refused() {
    let dir = TempDir::new("db");
    let data = dir.path().join("data");
    let (conn, _) = db::open(&data).unwrap();
    conn.pragma_update(None, "user_version", 999).unwrap();
    drop(conn);
    let Err(err) = db::open(&data) else {
        panic!("a newer schema must be refused")
    };
    assert!(
        err.to_string().contains("newer than this jiedu knows"),
        "{err}"
    );
}

#[test]
fn a_database_of_schema_1_upgrades_with_its_tokens_as_editors_and_its_comments_kept() {
    let dir = TempDir::new("db");
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let path = data.join("jiedu.db");
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        db::migrate_with(&mut conn, &path, &MIGRATIONS[..1]).unwrap();
        conn.execute(
            "INSERT INTO editor_tokens (name, token_hash, created_at) VALUES ('old', 'h', 't')",
            [],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO comments (receipt, document_id, number, request_hash, target, stance,
                text, submitter_type, consent, received_unix, received_at)
             VALUES ('JD-AAAA-AAAA', 'd', 1, 'h', 's1', 'support', '同意。', 'individual', 0, 0, 't')",
            [],
        )
        .unwrap();
    }
    let (conn, _) = db::open(&data).unwrap();
    let role: String = conn
        .query_row(
            "SELECT role FROM editor_tokens WHERE name = 'old'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        role, "editor",
        "tokens from before roles get the least privilege"
    );
    let (text, revision): (String, Option<i64>) = conn
        .query_row("SELECT text, revision FROM comments", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((text.as_str(), revision), ("同意。", None));
}

/// PostgreSQL's migrations: the same versions as SQLite's, applied once (a second start finds
/// nothing to do), and a database of a newer jiedu refused.
#[test]
fn postgresql_is_migrated_to_the_same_version_once_and_a_newer_schema_is_refused() {
    use jiedu_server::serve::db::Direct;
    use jiedu_server::serve::sql::params;
    let dir = TempDir::new("pg-migrate");
    let url = super::harness::pg_database_for(dir.path());
    let version = |url| {
        super::harness::with_db(url, |c| {
            c.query_row("SELECT version FROM jiedu_schema", params![], |r| {
                r.get::<i64>(0)
            })
        })
    };
    assert_eq!(version(&url), MIGRATIONS.len() as i64);
    assert_eq!(
        jiedu_server::serve::pg::MIGRATIONS.len(),
        MIGRATIONS.len(),
        "one PostgreSQL file per SQLite migration"
    );
    assert_eq!(
        version(&url),
        MIGRATIONS.len() as i64,
        "a second start changes nothing"
    );
    super::harness::with_db(&url, |c| {
        c.execute("UPDATE jiedu_schema SET version = 99", params![])
    });
    let refused = std::thread::scope(|s| s.spawn(|| Direct::open(&url).err()).join().unwrap());
    assert!(
        matches!(refused, Some(DbError::TooNew { found: 99, .. })),
        "{:?}",
        refused.map(|e| e.to_string())
    );
}

/// PostgreSQL stores a batch of comments with one statement (`pg::INSERT_COMMENTS`) whose every
/// lookup goes through an index, whatever the table's statistics say: planned on an empty table,
/// as when a consultation opens, it must not scan the table (a plan kept while the table grows).
#[test]
fn postgresql_stores_a_batch_of_comments_without_scanning_the_table() {
    use jiedu_server::serve::sql::params;
    let dir = TempDir::new("pg-plan");
    let url = super::harness::pg_database_for(dir.path());
    let sql = format!("EXPLAIN {}", jiedu_server::serve::pg::INSERT_COMMENTS);
    let plan: Vec<String> =
        super::harness::with_db(&url, |c| c.query_map(&sql, params!["[]"], |r| r.get(0)));
    let plan = plan.join("\n");
    assert!(plan.contains("comments_idempotency_key_key"), "{plan}");
    assert!(plan.contains("comments_document_id_number_key"), "{plan}");
    assert!(!plan.contains("Seq Scan"), "{plan}");
}
