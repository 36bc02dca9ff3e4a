//! `jiedu migrate-db`: copies a whole site from one database to another (SQLite to PostgreSQL
//! when one machine is no longer enough, or back), and proves the copy.
//!
//! Both databases are opened through the store boundary, so either may be either engine; the
//! target is migrated to the current schema first. Everything is read in one snapshot of the
//! source (on SQLite a transaction that holds the site's writes back for the seconds of the copy;
//! on PostgreSQL a `REPEATABLE READ` one) and written in one transaction of the target: a failed
//! copy leaves the target as it was. Each table goes a page at a time, in the order of its key,
//! one `INSERT` a page, so the copy holds one page in memory, not the site (a national
//! consultation's hundreds of thousands of comments). Rows keep their ids (audit entries,
//! revisions and tokens are referred to by id), so on PostgreSQL the identity sequences are moved
//! past them afterwards. The copy is then checked before it commits: the same number of rows in
//! every table, and the same receipts. A target that holds anything is refused unless `--force`,
//! which empties it first.

use anyhow::{Context, bail};

use super::db::{DatabaseUrl, DbError, Direct};
use super::sql::{Dialect, Row, Sql, Value, params};

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

/// A table to copy.
struct Table {
    name: &'static str,
    /// Its columns; the first is its key, in whose order its rows are read page by page.
    columns: &'static str,
    /// How many rows a page holds: few where a row can hold a whole document or file, so that the
    /// copy holds one page in memory, however large the site.
    page: usize,
}

/// Every table, in an order where each row's references are copied before it
/// (`documents.published` is set once the revisions are there). `documents.rowid` is SQLite's
/// implicit rowid, a column of its own on PostgreSQL: it keeps the documents' order.
const TABLES: &[Table] = &[
    Table {
        name: "documents",
        columns: "id, rowid, created_at, withdrawn_at, lapse_kind, lapse_on",
        page: 500,
    },
    Table {
        name: "revisions",
        columns: "id, document_id, state, title, source, compiled, diagnostics, warnings, author, \
                  created_at, submitted_by, submitted_at, decided_by, decided_at, reason",
        page: 8,
    },
    Table {
        name: "comments",
        columns: "id, receipt, document_id, number, idempotency_key, request_hash, target, stance, \
                  text, proposed_wording, name, contact, submitter_type, consent, ip_hash, \
                  received_unix, received_at, status, decision, reason, decided_at, decided_by, \
                  duplicate_of, published_decision, published_reason, revision, final_provision, \
                  published_final_provision",
        page: 500,
    },
    Table {
        name: "feedback_reports",
        columns: "id, document_id, version, published_at, published_by, report",
        page: 8,
    },
    Table {
        name: "editor_tokens",
        columns: "id, name, token_hash, created_at, revoked_at, role",
        page: 500,
    },
    Table {
        name: "audit_log",
        columns: "id, at, actor, action, document_id, comment_number, detail",
        page: 500,
    },
    Table {
        name: "settings",
        columns: "key, value",
        page: 500,
    },
    Table {
        name: "media",
        columns: "hash, content_type, size, bytes, created_by, created_at",
        page: 1,
    },
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
    let counts = source.snapshot(|src| {
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
        .map(|table| {
            let sql = format!("SELECT COUNT(*) FROM {}", table.name);
            Ok((table.name, conn.query_row(&sql, params![], |r| r.get(0))?))
        })
        .collect()
}

/// Deletes every row, references first.
fn empty(conn: &dyn Sql) -> Result<(), DbError> {
    conn.execute("UPDATE documents SET published = NULL", params![])?;
    for table in TABLES.iter().rev() {
        conn.execute(&format!("DELETE FROM {}", table.name), params![])?;
    }
    Ok(())
}

fn copy(src: &dyn Sql, dst: &dyn Sql) -> Result<(), DbError> {
    for table in TABLES {
        copy_table(src, dst, table)?;
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

/// Copies `table` a page at a time, in the order of its key, each page one statement.
fn copy_table(src: &dyn Sql, dst: &dyn Sql, table: &Table) -> Result<(), DbError> {
    let Table {
        name,
        columns,
        page,
    } = table;
    let key = columns.split(',').next().unwrap_or(columns);
    let width = columns.split(',').count();
    let first = format!("SELECT {columns} FROM {name} ORDER BY {key} LIMIT {page}");
    let next = format!("SELECT {columns} FROM {name} WHERE {key} > ?1 ORDER BY {key} LIMIT {page}");
    let mut rows = src.query(&first, params![])?;
    while !rows.is_empty() {
        let rows_in_page = rows.len();
        let values: Vec<Value> = rows.into_iter().flat_map(|Row(values)| values).collect();
        dst.execute(&insert(name, columns, width, rows_in_page), &values)?;
        if rows_in_page < *page {
            break;
        }
        let last = values[(rows_in_page - 1) * width].clone();
        rows = src.query(&next, &[last])?;
    }
    Ok(())
}

/// `INSERT INTO name (columns) VALUES (?1, …), (…), …` for `rows` rows of `width` columns.
fn insert(name: &str, columns: &str, width: usize, rows: usize) -> String {
    let tuples: Vec<String> = (0..rows)
        .map(|row| {
            let numbers: Vec<String> = (1..=width)
                .map(|i| format!("?{}", row * width + i))
                .collect();
            format!("({})", numbers.join(", "))
        })
        .collect();
    format!(
        "INSERT INTO {name} ({columns}) VALUES {}",
        tuples.join(", ")
    )
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
    // Page by page in the order of the comments' ids, which the copy kept.
    let page = |conn: &dyn Sql, after: i64| -> Result<Vec<(i64, String)>, DbError> {
        conn.query_map(
            "SELECT id, receipt FROM comments WHERE id > ?1 ORDER BY id LIMIT 1000",
            params![after],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    };
    let mut after = i64::MIN;
    loop {
        let receipts = page(src, after)?;
        if page(dst, after)? != receipts {
            bail!("the receipts of the copy differ from the source's");
        }
        match receipts.last() {
            Some((id, _)) => after = *id,
            None => break,
        }
    }
    Ok(from)
}
