//! `jiedu migrate-db`: copies a whole site from one database to another (SQLite to PostgreSQL
//! when one machine is no longer enough, or back), and proves the copy.
//!
//! Both databases are opened through the store boundary, so either may be either engine; the
//! target is migrated to the current schema first. Everything is read in one transaction of the
//! source (a consistent snapshot; on SQLite it also holds the site's writes back for the few
//! seconds of the copy) and written in one transaction of the target: a failed copy leaves the
//! target as it was. Rows keep their ids (audit entries, revisions and tokens are referred to by
//! id), so on PostgreSQL the identity sequences are moved past them afterwards. The copy is then
//! checked before it commits: the same number of rows in every table, and the same receipts.
//! A target that holds anything is refused unless `--force`, which empties it first.

use anyhow::{Context, bail};

use super::db::{DatabaseUrl, DbError, Direct};
use super::sql::{Dialect, Row, Sql, params};

/// Arguments of `jiedu migrate-db`.
#[derive(Debug, clap::Args)]
pub struct MigrateDbArgs {
    /// The database to copy from, e.g. `sqlite://data/jiedu.db`.
    #[arg(long, value_name = "URL")]
    pub from: DatabaseUrl,
    /// The database to copy into, e.g. `postgres://jiedu@db.internal/jiedu`; created tables
    /// must be empty.
    #[arg(long, value_name = "URL")]
    pub to: DatabaseUrl,
    /// Empty the target first if it holds anything (its rows are deleted).
    #[arg(long)]
    pub force: bool,
}

/// Every table with its columns, in an order where each row's references are copied before it
/// (`documents.published` is set once the revisions are there). `documents.rowid` is SQLite's
/// implicit rowid, a column of its own on PostgreSQL: it keeps the documents' order.
const TABLES: &[(&str, &str)] = &[
    (
        "documents",
        "id, rowid, created_at, withdrawn_at, lapse_kind, lapse_on",
    ),
    (
        "revisions",
        "id, document_id, state, title, source, compiled, diagnostics, warnings, author, \
         created_at, submitted_by, submitted_at, decided_by, decided_at, reason",
    ),
    (
        "comments",
        "id, receipt, document_id, number, idempotency_key, request_hash, target, stance, text, \
         proposed_wording, name, contact, submitter_type, consent, ip_hash, received_unix, \
         received_at, status, decision, reason, decided_at, decided_by, duplicate_of, \
         published_decision, published_reason, revision, final_provision, \
         published_final_provision",
    ),
    (
        "feedback_reports",
        "id, document_id, version, published_at, published_by, report",
    ),
    (
        "editor_tokens",
        "id, name, token_hash, created_at, revoked_at, role",
    ),
    (
        "audit_log",
        "id, at, actor, action, document_id, comment_number, detail",
    ),
    ("settings", "key, value"),
    (
        "media",
        "hash, content_type, size, bytes, created_by, created_at",
    ),
];

/// The tables whose `id` is an identity column on PostgreSQL.
const WITH_IDS: &[&str] = &[
    "revisions",
    "comments",
    "feedback_reports",
    "editor_tokens",
    "audit_log",
];

/// `jiedu migrate-db --from URL --to URL`.
pub fn run(args: MigrateDbArgs) -> anyhow::Result<()> {
    if args.from == args.to {
        bail!("--from and --to name the same database");
    }
    let mut source = Direct::open(&args.from)
        .with_context(|| format!("cannot open the source {}", args.from))?;
    let mut target =
        Direct::open(&args.to).with_context(|| format!("cannot open the target {}", args.to))?;
    let counts = source.transaction(|src| {
        target.transaction(|dst| -> anyhow::Result<Vec<(&str, u64)>> {
            let held = count_rows(dst)?;
            if held.iter().any(|(_, n)| *n > 0) {
                if !args.force {
                    bail!(
                        "the target {} is not empty ({}); pass --force to replace its contents",
                        args.to,
                        describe(&held)
                    );
                }
                empty(dst)?;
            }
            copy(src, dst)?;
            verify(src, dst)
        })
    })?;
    eprintln!(
        "Copied {} into {}: {}; receipts verified.",
        args.from,
        args.to,
        describe(&counts)
    );
    Ok(())
}

fn describe(counts: &[(&str, u64)]) -> String {
    counts
        .iter()
        .map(|(table, n)| format!("{n} {table}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn count_rows(conn: &dyn Sql) -> Result<Vec<(&'static str, u64)>, DbError> {
    TABLES
        .iter()
        .map(|(table, _)| {
            let n = conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), params![], |r| {
                r.get(0)
            })?;
            Ok((*table, n))
        })
        .collect()
}

/// Deletes every row, references first.
fn empty(conn: &dyn Sql) -> Result<(), DbError> {
    conn.execute("UPDATE documents SET published = NULL", params![])?;
    for (table, _) in TABLES.iter().rev() {
        conn.execute(&format!("DELETE FROM {table}"), params![])?;
    }
    Ok(())
}

fn copy(src: &dyn Sql, dst: &dyn Sql) -> Result<(), DbError> {
    for (table, columns) in TABLES {
        let placeholders: Vec<String> = (1..=columns.split(',').count())
            .map(|i| format!("?{i}"))
            .collect();
        let insert = format!(
            "INSERT INTO {table} ({columns}) VALUES ({})",
            placeholders.join(", ")
        );
        for Row(values) in src.query(&format!("SELECT {columns} FROM {table}"), params![])? {
            dst.execute(&insert, &values)?;
        }
    }
    let published: Vec<(String, Option<i64>)> =
        src.query_map("SELECT id, published FROM documents", params![], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    for (id, revision) in published {
        dst.execute(
            "UPDATE documents SET published = ?2 WHERE id = ?1",
            params![id, revision],
        )?;
    }
    if dst.dialect() == Dialect::Postgres {
        for table in WITH_IDS.iter().chain(&["documents"]) {
            let column = if *table == "documents" { "rowid" } else { "id" };
            dst.query(
                &format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', '{column}'), \
                     COALESCE(MAX({column}), 0) + 1, false) FROM {table}"
                ),
                params![],
            )?;
        }
    }
    Ok(())
}

/// The same rows in every table and the same receipts, or the copy is not committed.
fn verify(src: &dyn Sql, dst: &dyn Sql) -> anyhow::Result<Vec<(&'static str, u64)>> {
    let (from, to) = (count_rows(src)?, count_rows(dst)?);
    if from != to {
        bail!(
            "the copy differs: the source has {}, the target {}",
            describe(&from),
            describe(&to)
        );
    }
    // Sorted here: the two engines may collate text differently.
    let receipts = |conn: &dyn Sql| -> Result<Vec<String>, DbError> {
        let mut all = conn.query_map("SELECT receipt FROM comments", params![], |r| r.get(0))?;
        all.sort_unstable();
        Ok(all)
    };
    if receipts(src)? != receipts(dst)? {
        bail!("the receipts of the copy differ from the source's");
    }
    Ok(from)
}
