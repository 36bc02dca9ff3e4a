//! PostgreSQL behind the store boundary ([`Sql`]): the connection pool, the migrations, and
//! how a write runs when several `jiedu serve` instances share one database.
//!
//! The store's functions are synchronous (they were written for SQLite, and a function that
//! checks before it changes must not be interleaved with itself). On PostgreSQL they run on a
//! pooled connection (deadpool-postgres over tokio-postgres), each statement driven with
//! `Handle::block_on`: reads on tokio's blocking pool, writes on the instance's writer thread,
//! which runs them as SQLite's does (`db.rs`): every job waiting, one transaction, a savepoint
//! each, one commit (group commit). That transaction first takes a transaction-level advisory
//! lock ([`WRITE_LOCK`]), so those batches of every instance run one at a time, as SQLite's single
//! writer runs them, and the workflow's checks, tokens and publications stay correct across
//! instances. New comments, the hot path, take neither that lock nor savepoints: the writer sends
//! a batch of them in one pipeline (`insert_comments`: `BEGIN` and a lock per document, one
//! statement for the batch, `COMMIT`, one round trip), and the UNIQUE constraints on numbers,
//! receipts and idempotency keys keep them correct across instances (see
//! `store::INSERT_COMMENT`; the documents' locks only make instances take turns, see
//! `begin_comments`). PostgreSQL answers `COMMIT`
//! only once the transaction is durable (`synchronous_commit = on`), so an acknowledged comment is
//! on disk. Reads run outside any transaction, each statement on the newest committed state.
//! Commands and start-up use [`write()`]: one transaction of their own under the write lock.
//!
//! When the database cannot be reached, [`DbError::is_unavailable`] says so and the request is
//! answered 503 with `Retry-After`; the pool makes new connections once it is back.

use std::future::Future;
use std::pin::Pin;
use std::task::Poll;
use std::time::Duration;

use deadpool_postgres::{GenericClient, Manager, ManagerConfig, Pool, RecyclingMethod};
use sha2::{Digest, Sha256};
use tokio::runtime::Handle;
use tokio_postgres::types::{IsNull, ToSql, Type};

use super::pg_tls;
use super::secrets;
use super::sql::{BatchConn, DbError, Dialect, Row, Sql, Value, to_dollar_placeholders};
use super::store::{self, Receipt, Submission};

/// The PostgreSQL schema, one file per version, the same versions as SQLite's migrations.
pub const MIGRATIONS: &[&str] = &[
    include_str!("migrations/postgres/0001.sql"),
    include_str!("migrations/postgres/0002.sql"),
    include_str!("migrations/postgres/0003.sql"),
    include_str!("migrations/postgres/0004.sql"),
    include_str!("migrations/postgres/0005.sql"),
];

/// The advisory lock every write transaction but the comments' holds: one such writer at a time
/// across instances.
pub const WRITE_LOCK: i64 = 0x6a69_6564_7501;
/// The class of the advisory locks, one per document, that transactions storing new comments
/// take (see [`begin_comments`]); the second half of each key is [`document_lock`]'s.
const DOCUMENT_LOCKS: i32 = 0x6a69_6564;
/// The advisory lock held while migrating, so instances starting together migrate once.
const MIGRATE_LOCK: i64 = 0x6a69_6564_7502;
/// The channel a publication is announced on (see `state.rs`).
pub const SITE_CHANNEL: &str = "jiedu_site";

/// A pool of connections to `url`, over TLS as its `sslmode` says (`pg_tls.rs`). No connection
/// is made until one is needed; a CA file the URL names is read now.
pub fn pool(url: &str, max_size: usize) -> Result<Pool, DbError> {
    let (config, tls) = pg_tls::settings(url)?;
    let manager = Manager::from_config(
        config,
        tls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    Pool::builder(manager)
        .max_size(max_size)
        .runtime(deadpool_postgres::Runtime::Tokio1)
        .wait_timeout(Some(Duration::from_secs(10)))
        .create_timeout(Some(Duration::from_secs(3)))
        .recycle_timeout(Some(Duration::from_secs(3)))
        .build()
        .map_err(|e| DbError::BadUrl(e.to_string()))
}

pub(crate) fn pool_error(e: deadpool_postgres::PoolError) -> DbError {
    match e {
        deadpool_postgres::PoolError::Backend(e) => DbError::Postgres(e),
        other => DbError::Unavailable(other.to_string()),
    }
}

/// Runs `f` on a pooled connection, outside a transaction (reads).
pub fn read<T>(
    pool: &Pool,
    handle: &Handle,
    f: impl FnOnce(&dyn Sql) -> Result<T, DbError>,
) -> Result<T, DbError> {
    let client = handle.block_on(pool.get()).map_err(pool_error)?;
    f(&PgSql {
        client: &client,
        handle,
    })
}

/// Runs `f` in one transaction holding [`WRITE_LOCK`]; commits if it succeeded. (The server
/// writes through its writer thread instead: `Batch`.)
pub fn write<T, E: From<DbError>>(
    pool: &Pool,
    handle: &Handle,
    f: impl FnOnce(&dyn Sql) -> Result<T, E>,
) -> Result<T, E> {
    let mut client = handle.block_on(pool.get()).map_err(pool_error)?;
    let tx = handle
        .block_on(client.transaction())
        .map_err(DbError::from)?;
    handle
        .block_on(tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK]))
        .map_err(DbError::from)?;
    run_and_commit(tx, handle, f)
}

/// Runs `f` in a read-only transaction that sees one state of the database (`REPEATABLE READ`:
/// every statement reads the snapshot its first one took), then ends it.
pub fn snapshot<T, E: From<DbError>>(
    pool: &Pool,
    handle: &Handle,
    f: impl FnOnce(&dyn Sql) -> Result<T, E>,
) -> Result<T, E> {
    let mut client = handle.block_on(pool.get()).map_err(pool_error)?;
    let tx = client
        .build_transaction()
        .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
        .read_only(true);
    let tx = handle.block_on(tx.start()).map_err(DbError::from)?;
    run_and_commit(tx, handle, f)
}

/// Runs `f` in `tx` and commits if it succeeded (dropped, `tx` rolls back).
fn run_and_commit<T, E: From<DbError>>(
    tx: deadpool_postgres::Transaction<'_>,
    handle: &Handle,
    f: impl FnOnce(&dyn Sql) -> Result<T, E>,
) -> Result<T, E> {
    let result = f(&PgSql {
        client: &tx,
        handle,
    })?;
    handle.block_on(tx.commit()).map_err(DbError::from)?;
    Ok(result)
}

/// Applies the missing migrations in one transaction (see `db.rs` for SQLite's).
pub fn migrate(pool: &Pool, handle: &Handle) -> Result<(), DbError> {
    let mut client = handle.block_on(pool.get()).map_err(pool_error)?;
    let tx = handle.block_on(client.transaction())?;
    handle.block_on(tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATE_LOCK]))?;
    handle.block_on(tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS jiedu_schema (version BIGINT NOT NULL);
         INSERT INTO jiedu_schema SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM jiedu_schema);",
    ))?;
    let version: i64 = handle
        .block_on(tx.query_one("SELECT version FROM jiedu_schema", &[]))?
        .get(0);
    let known = MIGRATIONS.len() as i64;
    if version > known {
        return Err(DbError::TooNew {
            path: "the PostgreSQL database".into(),
            found: version,
            known,
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        handle.block_on(tx.batch_execute(sql))?;
        let next = i as i64 + 1;
        handle.block_on(tx.execute("UPDATE jiedu_schema SET version = $1", &[&next]))?;
        tracing::info!(version = next, "applied PostgreSQL migration");
    }
    handle.block_on(tx.commit())?;
    Ok(())
}

/// Calls `changed` whenever a notification arrives on `channel`, and once after each
/// (re)connection. A connection of its own (not the pool's) stays open and waits: the database
/// pushes notifications, nothing polls. When it breaks, it reconnects after a second.
pub async fn listen<F, Fut>(url: &str, channel: &str, mut changed: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let (config, tls) = match pg_tls::settings(url) {
        Ok(settings) => settings,
        Err(e) => {
            tracing::error!(error = %e, "cannot listen for publications");
            return;
        }
    };
    loop {
        match config.connect(tls.clone()).await {
            Ok((client, mut connection)) => {
                let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
                let driver = tokio::spawn(async move {
                    while let Some(Ok(message)) =
                        std::future::poll_fn(|cx| connection.poll_message(cx)).await
                    {
                        if let tokio_postgres::AsyncMessage::Notification(_) = message
                            && tx.send(()).is_err()
                        {
                            break;
                        }
                    }
                });
                match client.batch_execute(&format!("LISTEN {channel}")).await {
                    Ok(()) => {
                        changed().await;
                        while rx.recv().await.is_some() {
                            // Several announcements while rebuilding need one more rebuild.
                            while rx.try_recv().is_ok() {}
                            changed().await;
                        }
                        tracing::warn!("the notification connection broke; reconnecting");
                    }
                    Err(e) => tracing::warn!(error = %DbError::from(e), "cannot LISTEN; retrying"),
                }
                driver.abort();
            }
            // DbError's message carries the cause (a refused certificate says why).
            Err(e) => tracing::warn!(
                error = %DbError::from(e),
                "cannot connect to listen for publications"
            ),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// A pooled connection the writer runs a batch on, and the locks its transaction takes first.
pub(crate) struct Batch<'a> {
    sql: PgSql<'a, deadpool_postgres::Client>,
    begin: String,
}

impl<'a> Batch<'a> {
    /// A batch of any writes, under [`WRITE_LOCK`].
    pub(crate) fn locked(client: &'a deadpool_postgres::Client, handle: &'a Handle) -> Batch<'a> {
        Batch {
            sql: PgSql { client, handle },
            begin: format!("BEGIN; SELECT pg_advisory_xact_lock({WRITE_LOCK})"),
        }
    }

    /// A batch of new comments for `documents`, under those documents' locks only.
    pub(crate) fn comments<'d>(
        client: &'a deadpool_postgres::Client,
        handle: &'a Handle,
        documents: impl IntoIterator<Item = &'d str>,
    ) -> Batch<'a> {
        Batch {
            sql: PgSql { client, handle },
            begin: begin_comments(documents),
        }
    }
}

impl BatchConn for Batch<'_> {
    fn sql(&self) -> &dyn Sql {
        &self.sql
    }

    fn begin(&self) -> Result<(), DbError> {
        self.sql.execute_batch(&self.begin)
    }

    fn rolled_back(&self) -> bool {
        false
    }
}

/// The key of a document's lock: the first four bytes of the SHA-256 of its id. Two documents
/// with the same key only wait for each other.
fn document_lock(document_id: &str) -> i32 {
    let hash = Sha256::digest(document_id.as_bytes());
    i32::from_be_bytes([hash[0], hash[1], hash[2], hash[3]])
}

/// `BEGIN` and the locks of `documents`, taken in the order of their keys. The constraints keep
/// comments right without them (see [`store::INSERT_COMMENT`]); the locks make instances that
/// store comments for the same document take turns in the order they asked (PostgreSQL queues
/// lock requests), where racing for the next number let the instance whose batch had just
/// committed win again and again, and the other's retries run out (measured: two comments of
/// 11,000 failed with two instances at 8 clients). Taken in one order by every transaction, and
/// before any insert, they cannot deadlock.
fn begin_comments<'d>(documents: impl IntoIterator<Item = &'d str>) -> String {
    let keys: std::collections::BTreeSet<i32> = documents.into_iter().map(document_lock).collect();
    let mut sql = String::from("BEGIN");
    for key in keys {
        sql.push_str(&format!(
            "; SELECT pg_advisory_xact_lock({DOCUMENT_LOCKS}, {key})"
        ));
    }
    sql
}

/// [`store::INSERT_COMMENT`] for a whole batch in one statement: its parameters, comment by
/// comment in the same order, come as one JSON array of arrays (`$1`). Numbers follow the
/// document's highest in the batch's order, and only for the comments stored: one whose
/// idempotency key is already stored is left out by `WHERE`, before the numbering. Without
/// `ON CONFLICT`: a conflict (a key stored twice in one batch is kept out before, see
/// `insert_comments`) fails the statement, so no number is skipped. One statement costs
/// PostgreSQL one executor start and one reply for the whole batch, where one a comment cost
/// half its time (measured with `perf`: a quarter of it sending a reply per statement). The key
/// is looked up by a scalar subquery, not `NOT EXISTS`: PostgreSQL turns `NOT EXISTS` into an
/// anti-join, planned once while the table is small as a scan of every comment (measured: the
/// batch statement at two thirds of the throughput of one statement a comment).
pub const INSERT_COMMENTS: &str = "
    INSERT INTO comments (receipt, document_id, number, idempotency_key, request_hash,
        target, stance, text, proposed_wording, name, contact, submitter_type, consent,
        ip_hash, received_unix, received_at, revision)
    SELECT p->>0, p->>1,
        (SELECT COALESCE(MAX(number), 0) FROM comments WHERE document_id = p->>1)
            + row_number() OVER (PARTITION BY p->>1 ORDER BY i),
        p->>2, p->>3, p->>4, p->>5, p->>6, p->>7, p->>8, p->>9, p->>10, (p->>11)::bigint,
        p->>12, (p->>13)::bigint, p->>14, (p->>15)::bigint
    FROM jsonb_array_elements($1::text::jsonb) WITH ORDINALITY AS batch(p, i)
    WHERE (SELECT id FROM comments WHERE idempotency_key = p->>2) IS NULL
    RETURNING receipt, number";

/// Stores `comments` in one transaction sent as one pipeline: `BEGIN` with the locks of their
/// documents, [`INSERT_COMMENTS`], `COMMIT` leave together and their answers come back together,
/// one round trip for the batch. The hot path of the server, hence a function of its own rather
/// than a closure run statement by statement. Takes the locks of the comments' documents, not
/// [`WRITE_LOCK`]. For each comment: its receipt if it was stored, `None` if not (its key was
/// stored before, or by an earlier comment of the batch; see [`store::insert_comment`] for what
/// the caller does then). An error if the transaction did not commit: nothing of it is stored.
/// (A failed statement makes PostgreSQL's `COMMIT` roll back without an error, so every answer
/// is checked, not only the commit's.)
pub(crate) fn insert_comments(
    client: &deadpool_postgres::Client,
    handle: &Handle,
    comments: &[&Submission],
) -> Result<Vec<Option<Receipt>>, DbError> {
    let receipts: Vec<String> = comments.iter().map(|_| secrets::new_receipt()).collect();
    let mut keys = std::collections::HashSet::new();
    let sent: Vec<serde_json::Value> = comments
        .iter()
        .zip(&receipts)
        .filter(|(s, _)| s.idempotency_key.as_ref().is_none_or(|k| keys.insert(k)))
        .map(|(s, receipt)| {
            let params = store::insert_params(s, receipt);
            params.iter().map(json).collect()
        })
        .collect();
    let batch = serde_json::Value::Array(sent).to_string();
    let sql = PgSql { client, handle };
    let insert = sql.prepare(INSERT_COMMENTS)?;
    let begin = begin_comments(comments.iter().map(|s| s.document_id.as_str()));
    let pipeline = vec![
        simple(client, begin),
        Box::pin(async {
            let rows = client.query(&insert, &[&batch]).await?;
            rows.iter().map(to_row).collect()
        }) as Answer<'_>,
        simple(client, "COMMIT".into()),
    ];
    let answers = handle.block_on(in_order(pipeline));
    let mut answers = answers.into_iter().collect::<Result<Vec<_>, _>>()?;
    let mut numbers = std::collections::HashMap::new();
    for row in answers.swap_remove(1) {
        numbers.insert(row.get::<String>(0)?, row.get::<u64>(1)?);
    }
    Ok(comments
        .iter()
        .zip(receipts)
        .map(|(s, receipt)| {
            let number = numbers.remove(&receipt)?;
            Some(store::stored(s, receipt, number))
        })
        .collect())
}

/// A parameter of [`store::INSERT_COMMENT`] as an element of [`INSERT_COMMENTS`]'s JSON: a blob
/// in PostgreSQL's hex form for `bytea` (`\x…`).
fn json(value: &Value) -> serde_json::Value {
    match value {
        Value::Null => serde_json::Value::Null,
        Value::Int(i) => (*i).into(),
        Value::Text(s) => s.as_str().into(),
        Value::Blob(b) => format!("\\x{}", secrets::hex(b)).into(),
    }
}

/// The answer to one request of a pipeline.
type Answer<'f> = Pin<Box<dyn Future<Output = Result<Vec<Row>, DbError>> + 'f>>;

/// Commands without parameters (`BEGIN`, `COMMIT`) as a request of a pipeline.
fn simple(client: &deadpool_postgres::Client, commands: String) -> Answer<'_> {
    Box::pin(async move { Ok(client.batch_execute(&commands).await.map(|()| Vec::new())?) })
}

/// Polls every future, in the order given, until all are done. The first pass polls each once,
/// which sends its request: all of them leave before any answer is awaited (a pipeline). The
/// answers come back in the same order, so later passes wait on the first one not yet done.
async fn in_order<T>(mut futures: Vec<Pin<Box<dyn Future<Output = T> + '_>>>) -> Vec<T> {
    let mut done: Vec<Option<T>> = futures.iter().map(|_| None).collect();
    let (mut sent, mut next) = (false, 0);
    std::future::poll_fn(|cx| {
        if !sent {
            for (future, out) in futures.iter_mut().zip(done.iter_mut()) {
                if let Poll::Ready(value) = future.as_mut().poll(cx) {
                    *out = Some(value);
                }
            }
            sent = true;
        }
        while let Some(future) = futures.get_mut(next) {
            if done[next].is_none() {
                match future.as_mut().poll(cx) {
                    Poll::Ready(value) => done[next] = Some(value),
                    Poll::Pending => return Poll::Pending,
                }
            }
            next += 1;
        }
        Poll::Ready(done.iter_mut().filter_map(Option::take).collect())
    })
    .await
}

/// A row of tokio-postgres as ours.
fn to_row(row: &tokio_postgres::Row) -> Result<Row, DbError> {
    (0..row.len())
        .map(|i| row.try_get::<_, Value>(i).map_err(DbError::from))
        .collect::<Result<Vec<_>, _>>()
        .map(Row)
}

/// A pooled connection or a transaction on one, as [`Sql`].
struct PgSql<'a, C> {
    client: &'a C,
    handle: &'a Handle,
}

impl<C: GenericClient> PgSql<'_, C> {
    fn prepare(&self, sql: &str) -> Result<tokio_postgres::Statement, DbError> {
        let sql = to_dollar_placeholders(sql);
        Ok(self.handle.block_on(self.client.prepare_cached(&sql))?)
    }
}

fn refs(params: &[Value]) -> Vec<&(dyn ToSql + Sync)> {
    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect()
}

impl<C: GenericClient> Sql for PgSql<'_, C> {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn execute(&self, sql: &str, params: &[Value]) -> Result<u64, DbError> {
        let stmt = self.prepare(sql)?;
        Ok(self
            .handle
            .block_on(self.client.execute(&stmt, &refs(params)))?)
    }

    fn query(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>, DbError> {
        let stmt = self.prepare(sql)?;
        let rows = self
            .handle
            .block_on(self.client.query(&stmt, &refs(params)))?;
        rows.iter().map(to_row).collect()
    }

    fn execute_batch(&self, sql: &str) -> Result<(), DbError> {
        Ok(self.handle.block_on(self.client.batch_execute(sql))?)
    }

    fn blob_range(
        &self,
        table: &str,
        column: &str,
        key_column: &str,
        key: &str,
        start: u64,
        len: u64,
    ) -> Result<Vec<u8>, DbError> {
        let sql = format!(
            "SELECT substring({column} FROM ?2 FOR ?3) FROM {table} WHERE {key_column} = ?1"
        );
        let from = start as i64 + 1;
        let rows = self.query(
            &sql,
            &[
                Value::Text(key.into()),
                Value::Int(from),
                Value::Int(len as i64),
            ],
        )?;
        rows.first().ok_or(DbError::NoRow)?.get(0)
    }
}

/// Our values as PostgreSQL parameters, converted to the type the statement expects (integers
/// to the integer width or to a boolean, text to text), so one SQL text serves both engines.
impl ToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(i) => match *ty {
                Type::INT2 => i16::try_from(*i)?.to_sql(ty, out),
                Type::INT4 => i32::try_from(*i)?.to_sql(ty, out),
                Type::BOOL => (*i != 0).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR => i.to_string().to_sql(ty, out),
                _ => i.to_sql(ty, out),
            },
            Value::Text(s) => s.to_sql(ty, out),
            Value::Blob(b) => b.to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    tokio_postgres::types::to_sql_checked!();
}

impl<'a> tokio_postgres::types::FromSql<'a> for Value {
    fn from_sql(
        ty: &Type,
        raw: &'a [u8],
    ) -> Result<Value, Box<dyn std::error::Error + Sync + Send>> {
        Ok(match *ty {
            Type::INT2 => Value::Int(i16::from_sql(ty, raw)?.into()),
            Type::INT4 => Value::Int(i32::from_sql(ty, raw)?.into()),
            Type::INT8 => Value::Int(i64::from_sql(ty, raw)?),
            Type::BOOL => Value::Int(bool::from_sql(ty, raw)?.into()),
            Type::BYTEA => Value::Blob(raw.to_vec()),
            _ => Value::Text(String::from_sql(ty, raw)?),
        })
    }

    fn from_sql_null(_: &Type) -> Result<Value, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Value::Null)
    }

    fn accepts(ty: &Type) -> bool {
        matches!(
            *ty,
            Type::INT2 | Type::INT4 | Type::INT8 | Type::BOOL | Type::BYTEA
        ) || <String as tokio_postgres::types::FromSql>::accepts(ty)
    }
}
