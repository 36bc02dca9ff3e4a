//! The SQLite database: opening it, its embedded migrations, the read pool and the single writer.
//!
//! Durability and speed come from the same design. The database runs in WAL mode with
//! `synchronous=FULL`, so a commit is on disk when SQLite returns. All writes go through one
//! thread ([`Writer`]) that takes every job waiting in its queue, runs them in one transaction
//! (each in its own savepoint, so one failing job does not undo the others) and commits once:
//! a group commit. Each job's caller is answered only after that commit returned, so an
//! acknowledged comment is on disk, and one fsync is shared by all the comments of a batch.
//! Reads use a small pool of separate connections, which WAL lets run beside the writer.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, OpenFlags};
use tokio::sync::{mpsc, oneshot};

use super::pg;
use super::pg_tls::PgUrlError;
pub use super::sql::DbError;
use super::sql::{BatchConn, Dialect, Row, Sql, Value};
use super::store::{self, Inserted, Submission};

/// The schema, one migration per entry, applied in order. Never edit a migration that has
/// shipped: add a new one. `PRAGMA user_version` holds how many have been applied.
pub const MIGRATIONS: &[&str] = &[
    // 1: comments, their review, published reports, editor tokens, the audit log, settings.
    "
    CREATE TABLE comments (
        id                INTEGER PRIMARY KEY,
        receipt           TEXT NOT NULL UNIQUE,
        document_id       TEXT NOT NULL,
        number            INTEGER NOT NULL,
        idempotency_key   TEXT UNIQUE,
        request_hash      TEXT NOT NULL,
        target            TEXT NOT NULL,
        stance            TEXT NOT NULL,
        text              TEXT NOT NULL,
        proposed_wording  TEXT,
        name              TEXT,
        contact           TEXT,
        submitter_type    TEXT NOT NULL,
        consent           INTEGER NOT NULL,
        ip_hash           TEXT,
        received_unix     INTEGER NOT NULL,
        received_at       TEXT NOT NULL,
        status            TEXT NOT NULL DEFAULT 'received',
        decision          TEXT,
        reason            TEXT,
        decided_at        TEXT,
        decided_by        TEXT,
        duplicate_of      INTEGER,
        published_decision TEXT,
        published_reason  TEXT,
        UNIQUE (document_id, number)
    );
    CREATE INDEX comments_by_document_status ON comments (document_id, status);
    CREATE TABLE feedback_reports (
        id           INTEGER PRIMARY KEY,
        document_id  TEXT NOT NULL,
        version      INTEGER NOT NULL,
        published_at TEXT NOT NULL,
        published_by TEXT NOT NULL,
        report       TEXT NOT NULL,
        UNIQUE (document_id, version)
    );
    CREATE TABLE editor_tokens (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE,
        token_hash  TEXT NOT NULL UNIQUE,
        created_at  TEXT NOT NULL,
        revoked_at  TEXT
    );
    CREATE TABLE audit_log (
        id             INTEGER PRIMARY KEY,
        at             TEXT NOT NULL,
        actor          TEXT NOT NULL,
        action         TEXT NOT NULL,
        document_id    TEXT,
        comment_number INTEGER,
        detail         TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    ",
    // 2: documents and every revision of them (see documents.rs); comments remember the
    // revision they were made on.
    "
    CREATE TABLE documents (
        id           TEXT PRIMARY KEY,
        created_at   TEXT NOT NULL,
        published    INTEGER REFERENCES revisions (id),
        withdrawn_at TEXT,
        lapse_kind   TEXT,
        lapse_on     TEXT
    );
    CREATE TABLE revisions (
        id           INTEGER PRIMARY KEY,
        document_id  TEXT NOT NULL REFERENCES documents (id),
        state        TEXT NOT NULL,
        title        TEXT NOT NULL,
        source       TEXT NOT NULL,
        compiled     TEXT NOT NULL,
        diagnostics  TEXT NOT NULL,
        warnings     INTEGER NOT NULL,
        author       TEXT NOT NULL,
        created_at   TEXT NOT NULL,
        submitted_by TEXT,
        submitted_at TEXT,
        decided_by   TEXT,
        decided_at   TEXT,
        reason       TEXT
    );
    CREATE INDEX revisions_by_document ON revisions (document_id, id);
    ALTER TABLE comments ADD COLUMN revision INTEGER REFERENCES revisions (id);
    ",
    // 3: token roles. Tokens made before roles existed become editors (least privilege).
    "
    ALTER TABLE editor_tokens ADD COLUMN role TEXT NOT NULL DEFAULT 'editor';
    ",
    // 4: uploaded media (see media.rs), named by the SHA-256 of their bytes. `content_type` is
    // the extension of the type found in the content (`png`, `mp4`, `vtt` …).
    "
    CREATE TABLE media (
        hash         TEXT PRIMARY KEY,
        content_type TEXT NOT NULL,
        size         INTEGER NOT NULL,
        bytes        BLOB NOT NULL,
        created_by   TEXT NOT NULL,
        created_at   TEXT NOT NULL
    );
    ",
    // 5: a disposition may name the provision of the final version that carries it (见第五条),
    // as decided and as last published.
    "
    ALTER TABLE comments ADD COLUMN final_provision TEXT;
    ALTER TABLE comments ADD COLUMN published_final_provision TEXT;
    ",
];

/// The database file inside the data directory.
pub const DB_FILE: &str = "jiedu.db";

/// Opens (creating if needed) `DATA_DIR/jiedu.db` and brings its schema up to date.
pub fn open(data_dir: &Path) -> Result<(Connection, PathBuf), DbError> {
    open_file(&data_dir.join(DB_FILE))
}

/// Opens (creating it and its folder if needed) the SQLite database at `path` and brings its
/// schema up to date.
pub fn open_file(path: &Path) -> Result<(Connection, PathBuf), DbError> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    if let Some(dir) = dir {
        std::fs::create_dir_all(dir).map_err(|source| DbError::CreateDir {
            path: dir.to_owned(),
            source,
        })?;
    }
    let path = path.to_owned();
    let mut conn = Connection::open(&path)?;
    configure(&conn)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    migrate(&mut conn, &path)?;
    Ok((conn, path))
}

/// Lets the database grow to at most `bytes` through this connection (SQLite's
/// `max_page_count`): above it, writes fail with SQLITE_FULL, as on a full disk.
pub fn limit_size(conn: &Connection, bytes: u64) -> Result<(), DbError> {
    let page_size: u64 = conn.pragma_query_value(None, "page_size", |r| r.get(0))?;
    let pages = (bytes / page_size.max(1)).max(1);
    conn.pragma_update(None, "max_page_count", pages)?;
    Ok(())
}

fn configure(conn: &Connection) -> Result<(), rusqlite::Error> {
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    // Every statement of the store is prepared once per connection and kept.
    conn.set_prepared_statement_cache_capacity(128);
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

/// Applies the missing migrations in one transaction: the schema moves from one version to the
/// next whole, or not at all.
pub fn migrate(conn: &mut Connection, path: &Path) -> Result<(), DbError> {
    migrate_with(conn, path, MIGRATIONS)
}

/// [`migrate`] with a given list of migrations (tests use broken ones).
pub fn migrate_with(
    conn: &mut Connection,
    path: &Path,
    migrations: &[&str],
) -> Result<(), DbError> {
    let known = migrations.len() as i64;
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Exclusive)?;
    let version: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version > known {
        return Err(DbError::TooNew {
            path: path.to_owned(),
            found: version,
            known,
        });
    }
    for (i, sql) in migrations.iter().enumerate().skip(version as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
        tracing::info!(version = i + 1, "applied database migration");
    }
    tx.commit()?;
    Ok(())
}

/// Connections for reading: SQLite's own (below) or pooled PostgreSQL ones.
#[derive(Clone)]
pub enum ReadPool {
    Sqlite(SqliteReads),
    Postgres(deadpool_postgres::Pool),
}

impl ReadPool {
    /// Reads of the SQLite database at `path`.
    pub fn new(path: PathBuf) -> ReadPool {
        ReadPool::Sqlite(SqliteReads {
            path: Arc::new(path),
            idle: Arc::new(Mutex::new(Vec::new())),
        })
    }

    /// Runs `f` with a read connection on the blocking thread pool.
    pub async fn run<T, F>(&self, f: F) -> Result<T, DbError>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Sql) -> Result<T, DbError> + Send + 'static,
    {
        match self {
            ReadPool::Sqlite(reads) => reads.run(f).await,
            ReadPool::Postgres(pool) => {
                let (pool, handle) = (pool.clone(), tokio::runtime::Handle::current());
                blocking(move || pg::read(&pool, &handle, f)).await
            }
        }
    }
}

/// Runs `f` on tokio's blocking thread pool.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, DbError> + Send + 'static,
) -> Result<T, DbError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| DbError::Task(e.to_string()))?
}

/// Connections for reading SQLite, opened on demand and reused.
#[derive(Clone)]
pub struct SqliteReads {
    path: Arc<PathBuf>,
    idle: Arc<Mutex<Vec<Connection>>>,
}

impl SqliteReads {
    fn take(&self) -> Result<Connection, rusqlite::Error> {
        if let Some(conn) = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop() {
            return Ok(conn);
        }
        let conn = Connection::open_with_flags(
            &*self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        configure(&conn)?;
        Ok(conn)
    }

    async fn run<T, F>(&self, f: F) -> Result<T, DbError>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Sql) -> Result<T, DbError> + Send + 'static,
    {
        let pool = self.clone();
        blocking(move || {
            let conn = pool.take()?;
            let result = f(&conn);
            let mut idle = pool.idle.lock().unwrap_or_else(|e| e.into_inner());
            if idle.len() < 16 {
                idle.push(conn);
            }
            result
        })
        .await
    }
}

type Reply = Box<dyn FnOnce(Result<(), DbError>) + Send>;
/// A unit of work for the writer: runs inside the batch's transaction, returns how it ended (its
/// savepoint is rolled back unless it succeeded) and how to answer once the batch committed.
/// Given no connection, it does not run and only says how to answer (with the batch's error).
type RunJob = Box<dyn FnOnce(Option<&dyn Sql>) -> (Ran, Reply) + Send>;

/// What the writer is asked to do.
enum Job {
    /// Any write. It may check before it changes, so on PostgreSQL its transaction holds the
    /// write lock shared by every instance (see `pg.rs`).
    Run(RunJob),
    /// A new comment: the hot path. Needs not the write lock (the constraints keep it correct,
    /// see [`store::INSERT_COMMENT`]), and PostgreSQL stores a batch of them in one statement.
    Comment(Box<Submission>, oneshot::Sender<Result<Inserted, DbError>>),
}

impl Job {
    /// The job as a closure run in a savepoint (how SQLite runs everything).
    fn into_run(self) -> RunJob {
        match self {
            Job::Run(run) => run,
            Job::Comment(submission, tx) => {
                closure_job(move |c| store::insert_comment(c, &submission), tx)
            }
        }
    }
}

/// How a job ended, as far as its batch needs to know.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ran {
    Ok,
    Failed,
    /// Failed because the database cannot grow: if that also rolled back the whole batch, every
    /// job of it is answered as refused for lack of space (507), not as a server error.
    FailedFull,
}

/// The handle to the single writer thread (one per server: on SQLite the only writer; on
/// PostgreSQL one per instance, its batches serialised across instances by `pg.rs`, but for new
/// comments).
#[derive(Clone)]
pub struct Writer {
    queue: mpsc::Sender<Job>,
}

/// How many jobs one transaction takes at most.
pub const MAX_BATCH: usize = 1024;

impl Writer {
    /// Starts the writer thread on its own connection, and beside it a checkpointer that copies
    /// the WAL into the database file, so commits never wait for a checkpoint. Both threads end
    /// when every handle is dropped, after finishing the jobs already queued.
    pub fn start(conn: Connection, path: &Path) -> Writer {
        let (alive, writer_gone) = std::sync::mpsc::channel::<()>();
        if let Err(e) = conn.pragma_update(None, "wal_autocheckpoint", 0) {
            tracing::warn!(error = %e, "cannot turn off automatic checkpoints; commits will run them");
        }
        let checkpoint_path = path.to_owned();
        std::thread::Builder::new()
            .name("jiedu-checkpoint".into())
            .spawn(move || checkpointer(&checkpoint_path, &writer_gone))
            .expect("the checkpoint thread starts");
        Writer::batching(move |batch| {
            let _alive = &alive;
            let mut runs = batch.drain(..).map(Job::into_run).collect();
            run_batch(&SqliteBatch(&conn), &mut runs);
        })
    }

    /// Starts the writer thread of a PostgreSQL instance: each batch on a pooled connection (see
    /// `run_pg_batch`). Must be called inside the server's runtime, which drives the
    /// connections.
    pub fn postgres(pool: deadpool_postgres::Pool) -> Writer {
        let handle = tokio::runtime::Handle::current();
        Writer::batching(move |batch| match handle.block_on(pool.get()) {
            Ok(client) => run_pg_batch(&client, &handle, batch),
            Err(e) => {
                let error = DbError::batch_failed(&pg::pool_error(e));
                fail_batch(&error, Vec::new(), batch.drain(..).map(Job::into_run));
            }
        })
    }

    /// The writer thread: takes every job waiting (up to [`MAX_BATCH`]) and gives them to
    /// `run` together. Ends when every handle is dropped, after the jobs already queued.
    fn batching(mut run: impl FnMut(&mut Vec<Job>) + Send + 'static) -> Writer {
        let (queue, mut jobs) = mpsc::channel::<Job>(4 * MAX_BATCH);
        std::thread::Builder::new()
            .name("jiedu-writer".into())
            .spawn(move || {
                let mut batch = Vec::with_capacity(MAX_BATCH);
                while let Some(first) = jobs.blocking_recv() {
                    batch.push(first);
                    while batch.len() < MAX_BATCH {
                        match jobs.try_recv() {
                            Ok(job) => batch.push(job),
                            Err(_) => break,
                        }
                    }
                    run(&mut batch);
                }
            })
            .expect("the writer thread starts");
        Writer { queue }
    }

    /// Runs `f` in the next group commit and returns its result once that commit is on disk.
    /// On PostgreSQL its transaction holds the write lock every instance takes, so `f` may check
    /// before it changes.
    pub async fn run<T, F>(&self, f: F) -> Result<T, DbError>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Sql) -> Result<T, DbError> + Send + 'static,
    {
        let (tx, rx) = oneshot::channel();
        let run = closure_job(f, tx);
        self.send(Job::Run(run), rx).await
    }

    /// Stores a new comment ([`store::insert_comment`]) in the next group commit and answers
    /// once that commit is on disk.
    pub async fn insert_comment(&self, submission: Submission) -> Result<Inserted, DbError> {
        let (tx, rx) = oneshot::channel();
        self.send(Job::Comment(Box::new(submission), tx), rx).await
    }

    async fn send<T>(
        &self,
        job: Job,
        rx: oneshot::Receiver<Result<T, DbError>>,
    ) -> Result<T, DbError> {
        self.queue
            .send(job)
            .await
            .map_err(|_| DbError::WriterGone)?;
        rx.await.map_err(|_| DbError::WriterGone)?
    }
}

/// `f` as a job run in a savepoint, its result sent to `tx` once the batch committed.
fn closure_job<T, F>(f: F, tx: oneshot::Sender<Result<T, DbError>>) -> RunJob
where
    T: Send + 'static,
    F: FnOnce(&dyn Sql) -> Result<T, DbError> + Send + 'static,
{
    Box::new(move |conn| {
        let result = match conn {
            Some(conn) => f(conn),
            None => Err(DbError::Task("not run: its batch failed".into())),
        };
        let ran = match &result {
            Ok(_) => Ran::Ok,
            Err(e) if e.is_full() => Ran::FailedFull,
            Err(_) => Ran::Failed,
        };
        let reply: Reply = Box::new(move |commit| {
            // A job that failed for lack of space says so, even when that failure also undid
            // its batch.
            let answer = match (commit, result) {
                (Err(_), Err(own)) if own.is_full() => Err(own),
                (commit, result) => commit.and(result),
            };
            let _ = tx.send(answer);
        });
        (ran, reply)
    })
}

/// A PostgreSQL batch, in up to three transactions. The jobs that need the write lock run first,
/// in one transaction that takes it. The comments then go in one pipeline (`pg.rs`): `BEGIN` and
/// their documents' locks, one insert for them all, `COMMIT`, sent together, one round trip.
/// A comment that pipeline did not store (its key was known, its receipt drawn twice, or a
/// statement failed and rolled the pipeline back) is stored the careful way,
/// [`store::insert_comment`] in a savepoint, in a last transaction.
fn run_pg_batch(
    client: &deadpool_postgres::Client,
    handle: &tokio::runtime::Handle,
    batch: &mut Vec<Job>,
) {
    let (mut runs, mut comments) = (Vec::new(), Vec::new());
    for job in batch.drain(..) {
        match job {
            Job::Run(run) => runs.push(run),
            Job::Comment(s, tx) => comments.push((s, tx)),
        }
    }
    if !runs.is_empty() {
        run_batch(&pg::Batch::locked(client, handle), &mut runs);
    }
    if comments.is_empty() {
        return;
    }
    let submissions: Vec<&Submission> = comments.iter().map(|(s, _)| &**s).collect();
    let stored = match pg::insert_comments(client, handle, &submissions) {
        Ok(stored) => stored,
        Err(e) => {
            tracing::warn!(error = %e, "a pipelined batch of comments did not commit; storing them one by one");
            vec![None; comments.len()]
        }
    };
    let (mut careful, mut documents) = (Vec::new(), Vec::new());
    for ((s, tx), receipt) in comments.into_iter().zip(stored) {
        match receipt {
            Some(receipt) => {
                let _ = tx.send(Ok(Inserted::Stored {
                    receipt,
                    replayed: false,
                }));
            }
            None => {
                documents.push(s.document_id.clone());
                careful.push(Job::Comment(s, tx).into_run());
            }
        }
    }
    if !careful.is_empty() {
        let batch = pg::Batch::comments(client, handle, documents.iter().map(String::as_str));
        run_batch(&batch, &mut careful);
    }
}

/// Every half second, a passive checkpoint (it never blocks the writer or readers). Stops when
/// the writer thread has ended.
fn checkpointer(path: &Path, writer_gone: &std::sync::mpsc::Receiver<()>) {
    let conn = match Connection::open(path).and_then(|c| configure(&c).map(|()| c)) {
        Ok(conn) => conn,
        Err(e) => {
            tracing::error!(error = %e, "cannot open the checkpoint connection");
            return;
        }
    };
    let every = std::time::Duration::from_millis(500);
    while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = writer_gone.recv_timeout(every) {
        if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
            tracing::warn!(error = %e, "checkpoint failed");
        }
    }
    // A last full copy on a clean stop keeps the WAL small between runs.
    let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
}

struct SqliteBatch<'a>(&'a Connection);

impl BatchConn for SqliteBatch<'_> {
    fn sql(&self) -> &dyn Sql {
        self.0
    }

    fn begin(&self) -> Result<(), DbError> {
        Ok(self.0.execute_batch("BEGIN IMMEDIATE")?)
    }

    fn rolled_back(&self) -> bool {
        self.0.is_autocommit()
    }
}

fn run_batch(conn: &dyn BatchConn, batch: &mut Vec<RunJob>) {
    let mut replies = Vec::with_capacity(batch.len());
    if let Err(e) = conn.begin() {
        tracing::error!(error = %e, "cannot begin a write transaction");
        return fail_batch(&DbError::batch_failed(&e), replies, batch.drain(..));
    }
    let sql = conn.sql();
    let mut jobs = batch.drain(..);
    while let Some(job) = jobs.next() {
        if let Err(e) = sql.execute_batch("SAVEPOINT job") {
            tracing::error!(error = %e, "cannot open a savepoint");
            let _ = sql.execute_batch("ROLLBACK");
            let not_run = std::iter::once(job).chain(jobs);
            return fail_batch(&DbError::batch_failed(&e), replies, not_run);
        }
        let (ran, reply) = run_job(sql, job);
        replies.extend(reply);
        if conn.rolled_back() {
            // The engine rolled back the whole transaction: the jobs before are undone, and
            // the jobs after would each commit on their own outside the batch. None of them
            // may be answered as stored or run at all.
            tracing::error!("a job's failure rolled back its whole batch");
            let error = DbError::BatchFailed {
                message: "the transaction was rolled back".into(),
                full: ran == Ran::FailedFull,
                unavailable: false,
            };
            return fail_batch(&error, replies, jobs);
        }
        let end = if ran == Ran::Ok {
            sql.execute_batch("RELEASE job")
        } else {
            sql.execute_batch("ROLLBACK TO job; RELEASE job")
        };
        if let Err(e) = end {
            tracing::error!(error = %e, "cannot close a savepoint");
        }
    }
    match sql.execute_batch("COMMIT") {
        Ok(()) => {
            for reply in replies {
                reply(Ok(()));
            }
        }
        Err(e) => {
            tracing::error!(error = %e, "a group commit failed; its requests are answered with an error");
            let _ = sql.execute_batch("ROLLBACK");
            fail_batch(&DbError::batch_failed(&e), replies, std::iter::empty());
        }
    }
}

/// Runs one job. A panicking job loses its own answer (its caller sees an error), not the batch.
fn run_job(conn: &dyn Sql, job: RunJob) -> (Ran, Option<Reply>) {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(Some(conn)))) {
        Ok((ran, reply)) => (ran, Some(reply)),
        Err(_) => {
            tracing::error!("a database job panicked; its savepoint is rolled back");
            (Ran::Failed, None)
        }
    }
}

/// Answers every job of a failed batch with its error: those that ran (their work is undone)
/// and those that did not run.
fn fail_batch(error: &DbError, replies: Vec<Reply>, not_run: impl Iterator<Item = RunJob>) {
    let copy = || match error {
        DbError::BatchFailed {
            message,
            full,
            unavailable,
        } => DbError::BatchFailed {
            message: message.clone(),
            full: *full,
            unavailable: *unavailable,
        },
        other => DbError::Task(other.to_string()),
    };
    for reply in replies {
        reply(Err(copy()));
    }
    for job in not_run {
        let (_, reply) = job(None);
        reply(Err(copy()));
    }
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match self {
            Value::Null => ValueRef::Null,
            Value::Int(i) => ValueRef::Integer(*i),
            Value::Text(s) => ValueRef::Text(s.as_bytes()),
            Value::Blob(b) => ValueRef::Blob(b),
        }))
    }
}

fn sqlite_value(v: rusqlite::types::ValueRef<'_>) -> Value {
    use rusqlite::types::ValueRef;
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Int(i),
        // No column of ours is REAL; an expression that yields one is read as its integer part.
        ValueRef::Real(f) => Value::Int(f as i64),
        ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::Blob(b.to_vec()),
    }
}

/// SQLite behind the store boundary. Statements are prepared once per connection and cached.
impl Sql for Connection {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn execute(&self, sql: &str, params: &[Value]) -> Result<u64, DbError> {
        let mut stmt = self.prepare_cached(sql)?;
        Ok(stmt.execute(rusqlite::params_from_iter(params))? as u64)
    }

    fn query(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>, DbError> {
        let mut stmt = self.prepare_cached(sql)?;
        let columns = stmt.column_count();
        let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let values = (0..columns)
                .map(|i| row.get_ref(i).map(sqlite_value))
                .collect::<Result<_, _>>()?;
            out.push(Row(values));
        }
        Ok(out)
    }

    fn execute_batch(&self, sql: &str) -> Result<(), DbError> {
        Ok(Connection::execute_batch(self, sql)?)
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
        let rowid: i64 = self
            .prepare_cached(&format!(
                "SELECT rowid FROM {table} WHERE {key_column} = ?1"
            ))?
            .query_row([key], |r| r.get(0))?;
        let blob = self.blob_open(rusqlite::MAIN_DB, table, column, rowid, true)?;
        let mut bytes = vec![0; len as usize];
        blob.read_at_exact(&mut bytes, start as usize)?;
        Ok(bytes)
    }
}

/// Which database to use: `sqlite://PATH` or `postgres://…` (`database_url`).
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

impl DatabaseUrl {
    /// Today's default: the SQLite file `jiedu.db` in the data directory.
    pub fn in_data_dir(data_dir: &Path) -> DatabaseUrl {
        DatabaseUrl::Sqlite(data_dir.join(DB_FILE))
    }
}

impl std::str::FromStr for DatabaseUrl {
    type Err = DbError;
    fn from_str(s: &str) -> Result<DatabaseUrl, DbError> {
        if let Some(path) = s.strip_prefix("sqlite://").filter(|p| !p.is_empty()) {
            Ok(DatabaseUrl::Sqlite(path.into()))
        } else if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            super::pg_tls::parse(s).map_err(|e| match e {
                PgUrlError::Syntax(_) => DbError::BadUrl(s.into()),
                other => other.into(),
            })?;
            Ok(DatabaseUrl::Postgres(s.to_owned()))
        } else {
            Err(DbError::BadUrl(s.into()))
        }
    }
}

/// Shown in logs and `--print-config`: a PostgreSQL password is never printed.
impl std::fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DatabaseUrl::Sqlite(path) => write!(f, "sqlite://{}", path.display()),
            DatabaseUrl::Postgres(url) => match url.split_once('@') {
                Some((user, host)) if user.matches(':').count() > 1 => {
                    let user = &user[..user.rfind(':').unwrap_or(user.len())];
                    write!(f, "{user}:***@{host}")
                }
                _ => f.write_str(url),
            },
        }
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

impl serde::Serialize for DatabaseUrl {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// One connection for work outside the running server (start-up, `jiedu token`, `jiedu
/// migrate-db`): opened and migrated. Not for use inside an async task: on PostgreSQL it runs
/// its own small runtime.
pub enum Direct {
    Sqlite {
        conn: Connection,
        path: PathBuf,
    },
    Postgres {
        runtime: tokio::runtime::Runtime,
        pool: deadpool_postgres::Pool,
    },
}

impl Direct {
    /// Opens (creating and migrating) the database.
    pub fn open(url: &DatabaseUrl) -> Result<Direct, DbError> {
        match url {
            DatabaseUrl::Sqlite(path) => {
                let (conn, path) = open_file(path)?;
                Ok(Direct::Sqlite { conn, path })
            }
            DatabaseUrl::Postgres(url) => {
                let runtime = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(1)
                    .enable_all()
                    .build()
                    .map_err(|e| DbError::Task(e.to_string()))?;
                let pool = runtime.block_on(async { pg::pool(url, 2) })?;
                pg::migrate(&pool, runtime.handle())?;
                Ok(Direct::Postgres { runtime, pool })
            }
        }
    }

    /// Runs `f` in one write transaction, committed if it succeeds.
    pub fn transaction<T, E: From<DbError>>(
        &mut self,
        f: impl FnOnce(&dyn Sql) -> Result<T, E>,
    ) -> Result<T, E> {
        match self {
            Direct::Sqlite { conn, .. } => {
                // IMMEDIATE: take the write lock first, so a concurrent writer (a running
                // server) makes this wait instead of failing between its reads and its writes.
                let tx = conn
                    .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                    .map_err(DbError::from)?;
                let result = f(&*tx)?;
                tx.commit().map_err(DbError::from)?;
                Ok(result)
            }
            Direct::Postgres { runtime, pool } => pg::write(pool, runtime.handle(), f),
        }
    }

    /// Runs `f` on one consistent state of the database, which writes made meanwhile do not
    /// change: on SQLite a write transaction (it holds the server's writes back), on PostgreSQL a
    /// read-only `REPEATABLE READ` transaction (the instances go on writing).
    pub fn snapshot<T, E: From<DbError>>(
        &mut self,
        f: impl FnOnce(&dyn Sql) -> Result<T, E>,
    ) -> Result<T, E> {
        match self {
            Direct::Sqlite { .. } => self.transaction(f),
            Direct::Postgres { runtime, pool } => pg::snapshot(pool, runtime.handle(), f),
        }
    }
}
