//! The store boundary: the one small interface every SQL function of the server is written
//! against, so the same queries run on SQLite and on PostgreSQL.
//!
//! A store function takes `&dyn Sql` and runs plain SQL written once, SQLite-style, with
//! numbered placeholders (`?1`, `?2` …). The PostgreSQL side rewrites them to `$1`, `$2` with
//! [`to_dollar_placeholders`]; every other dialect difference is handled where it occurs, by
//! asking [`Sql::dialect`] (there are few: `LIKE` case, blob reads). Values cross the boundary
//! as our own [`Value`] (null, integer, text, bytes), so neither driver's types leak into the
//! store. Integers are 64-bit on both sides (the PostgreSQL schema uses `BIGINT` throughout), and
//! a PostgreSQL `boolean` result (`EXISTS`) reads as 0 or 1. Both engines fail with the one
//! [`DbError`], and the group-committing writer runs its batches on either through `BatchConn`.

use std::path::PathBuf;

use super::pg_tls::PgUrlError;

/// A database failure. The message is for the log, never for a response.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot create the data directory {path}: {source}")]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error(
        "the database {path} has schema version {found}, newer than this jiedu knows ({known}); \
         use a newer jiedu"
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("cannot read or write the key file {path}: {source}")]
    KeyFile {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "with PostgreSQL, set ip_hash_secret (JIEDU_IP_HASH_SECRET), the same on every instance; \
         it is not kept in the database"
    )]
    NoIpHashSecret,
    #[error("the database writer has stopped")]
    WriterGone,
    #[error("a database task failed: {0}")]
    Task(String),
    /// The batch's transaction did not commit (or was rolled back whole by SQLite); nothing of
    /// the batch is stored. `full`: because the database or the disk is full.
    #[error("the group commit failed, nothing of its batch is stored: {message}")]
    BatchFailed {
        message: String,
        full: bool,
        /// Because the database could not be reached (PostgreSQL).
        unavailable: bool,
    },
    /// With its causes in the message (tokio-postgres keeps the reason of a refused connection
    /// or certificate there), so a log line says why; not a `source`, so it is not said twice.
    #[error("PostgreSQL: {}", with_causes(.0))]
    Postgres(tokio_postgres::Error),
    /// The database cannot be reached now (PostgreSQL down or the pool exhausted for long).
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    #[error("`{0}` is not a database URL; use sqlite://PATH or postgres://USER@HOST/DB")]
    BadUrl(String),
    /// A PostgreSQL URL's TLS settings cannot be used (an unreadable `sslrootcert` …): refused
    /// at start.
    #[error(transparent)]
    PgUrl(PgUrlError),
    /// A query that must return a row returned none.
    #[error("the query returned no row")]
    NoRow,
    /// A stored value is not what the column's reader expects.
    #[error("column {column}: {message}")]
    Decode { column: usize, message: String },
}

impl DbError {
    /// Whether it failed because the database cannot grow (disk full, or `max_page_count`).
    pub fn is_full(&self) -> bool {
        match self {
            DbError::Sqlite(e) => is_full(e),
            DbError::BatchFailed { full, .. } => *full,
            _ => false,
        }
    }

    pub(crate) fn batch_failed(e: &DbError) -> DbError {
        DbError::BatchFailed {
            message: e.to_string(),
            full: e.is_full(),
            unavailable: e.is_unavailable(),
        }
    }

    /// Whether the database cannot be reached (rather than refusing what was asked): the
    /// request may succeed later, and is answered 503 with `Retry-After`.
    pub fn is_unavailable(&self) -> bool {
        match self {
            DbError::Unavailable(_) => true,
            DbError::BatchFailed { unavailable, .. } => *unavailable,
            DbError::Postgres(e) => {
                e.is_closed()
                    || match e.code() {
                        // No SQLSTATE: the connection or the socket failed.
                        None => e.as_db_error().is_none(),
                        // 08: connection exception; 57P01-03: shutting down, cannot connect now.
                        Some(code) => {
                            code.code().starts_with("08") || code.code().starts_with("57P0")
                        }
                    }
            }
            _ => false,
        }
    }
}

impl From<PgUrlError> for DbError {
    fn from(e: PgUrlError) -> DbError {
        match e {
            PgUrlError::Syntax(reason) => DbError::BadUrl(reason),
            other => DbError::PgUrl(other),
        }
    }
}

impl From<tokio_postgres::Error> for DbError {
    fn from(e: tokio_postgres::Error) -> DbError {
        DbError::Postgres(e)
    }
}

/// `e: its cause: the cause's cause …`.
fn with_causes(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text = format!("{text}: {c}");
        cause = c.source();
    }
    text
}

fn is_full(e: &rusqlite::Error) -> bool {
    e.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull)
}

/// A connection the writer runs a batch on: how its transaction begins, and whether the engine
/// gave up the whole transaction by itself.
pub(crate) trait BatchConn {
    fn sql(&self) -> &dyn Sql;
    fn begin(&self) -> Result<(), DbError>;
    /// SQLite rolls back the whole transaction on SQLITE_FULL, IOERR, NOMEM …; PostgreSQL keeps
    /// it (a failed statement only spoils the job's savepoint).
    fn rolled_back(&self) -> bool;
}

/// A value passed to or read from the database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Null,
    Int(i64),
    Text(String),
    Blob(Vec<u8>),
}

/// Which SQL engine is behind a [`Sql`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// Case-insensitive `LIKE`: SQLite's `LIKE` already is (for ASCII), PostgreSQL's is not.
    pub fn ilike(self) -> &'static str {
        match self {
            Dialect::Sqlite => "LIKE",
            Dialect::Postgres => "ILIKE",
        }
    }
}

/// One row of a result, its columns in select order.
#[derive(Clone, Debug, Default)]
pub struct Row(pub Vec<Value>);

impl Row {
    /// Column `i` converted to `T`; a type mismatch or a missing column is an error.
    pub fn get<T: FromValue>(&self, i: usize) -> Result<T, DbError> {
        let value = self.0.get(i).ok_or_else(|| DbError::Decode {
            column: i,
            message: "no such column".into(),
        })?;
        T::from_value(value).map_err(|message| DbError::Decode { column: i, message })
    }
}

/// A connection (or a transaction on one) that runs SQL. Object safe, so store functions take
/// `&dyn Sql` and know nothing of the engine.
pub trait Sql {
    fn dialect(&self) -> Dialect;
    /// Runs one statement; the number of rows it changed.
    fn execute(&self, sql: &str, params: &[Value]) -> Result<u64, DbError>;
    /// Runs one statement and returns every row.
    fn query(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>, DbError>;
    /// Runs statements without parameters, separated by `;` (migrations).
    fn execute_batch(&self, sql: &str) -> Result<(), DbError>;
    /// `len` bytes from `start` of the blob in `column` of the row of `table` whose `key_column`
    /// is `key`. SQLite reads just that part of the blob (incremental I/O), PostgreSQL uses
    /// `substring`.
    fn blob_range(
        &self,
        table: &str,
        column: &str,
        key_column: &str,
        key: &str,
        start: u64,
        len: u64,
    ) -> Result<Vec<u8>, DbError>;
}

impl<'c> dyn Sql + 'c {
    /// The first row, mapped; an error if there is none.
    pub fn query_row<T>(
        &self,
        sql: &str,
        params: &[Value],
        f: impl FnOnce(&Row) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        self.query_opt(sql, params, f)?.ok_or(DbError::NoRow)
    }

    /// The first row, mapped, if there is one.
    pub fn query_opt<T>(
        &self,
        sql: &str,
        params: &[Value],
        f: impl FnOnce(&Row) -> Result<T, DbError>,
    ) -> Result<Option<T>, DbError> {
        self.query(sql, params)?.first().map(f).transpose()
    }

    /// Every row, mapped.
    pub fn query_map<T>(
        &self,
        sql: &str,
        params: &[Value],
        f: impl FnMut(&Row) -> Result<T, DbError>,
    ) -> Result<Vec<T>, DbError> {
        self.query(sql, params)?.iter().map(f).collect()
    }
}

/// The parameters of a statement: `params![a, b]` is `&[Value]`.
#[macro_export]
macro_rules! sql_params {
    ($($p:expr),* $(,)?) => {
        &[$($crate::serve::sql::ToValue::to_value(&$p)),*] as &[$crate::serve::sql::Value]
    };
}
pub use sql_params as params;

/// Rust values that can be passed as parameters.
pub trait ToValue {
    fn to_value(&self) -> Value;
}

impl ToValue for Value {
    fn to_value(&self) -> Value {
        self.clone()
    }
}

impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}

impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToValue::to_value)
    }
}

impl ToValue for str {
    fn to_value(&self) -> Value {
        Value::Text(self.to_owned())
    }
}

impl ToValue for String {
    fn to_value(&self) -> Value {
        Value::Text(self.clone())
    }
}

impl ToValue for [u8] {
    fn to_value(&self) -> Value {
        Value::Blob(self.to_vec())
    }
}

impl ToValue for Vec<u8> {
    fn to_value(&self) -> Value {
        Value::Blob(self.clone())
    }
}

impl ToValue for bool {
    fn to_value(&self) -> Value {
        Value::Int(i64::from(*self))
    }
}

macro_rules! int_to_value {
    ($($t:ty),*) => {$(
        impl ToValue for $t {
            fn to_value(&self) -> Value {
                // Values above i64::MAX never name a row; they wrap to a negative that matches none.
                Value::Int(*self as i64)
            }
        }
    )*};
}
int_to_value!(i32, i64, u32, u64, usize);

/// Rust values a column can be read as.
pub trait FromValue: Sized {
    fn from_value(v: &Value) -> Result<Self, String>;
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(v: &Value) -> Result<Self, String> {
        match v {
            Value::Null => Ok(None),
            v => T::from_value(v).map(Some),
        }
    }
}

impl FromValue for String {
    fn from_value(v: &Value) -> Result<Self, String> {
        match v {
            Value::Text(s) => Ok(s.clone()),
            other => Err(format!("expected text, found {other:?}")),
        }
    }
}

impl FromValue for Vec<u8> {
    fn from_value(v: &Value) -> Result<Self, String> {
        match v {
            Value::Blob(b) => Ok(b.clone()),
            Value::Text(s) => Ok(s.as_bytes().to_vec()),
            other => Err(format!("expected bytes, found {other:?}")),
        }
    }
}

impl FromValue for bool {
    fn from_value(v: &Value) -> Result<Self, String> {
        i64::from_value(v).map(|i| i != 0)
    }
}

impl FromValue for i64 {
    fn from_value(v: &Value) -> Result<Self, String> {
        match v {
            Value::Int(i) => Ok(*i),
            other => Err(format!("expected an integer, found {other:?}")),
        }
    }
}

macro_rules! int_from_value {
    ($($t:ty),*) => {$(
        impl FromValue for $t {
            fn from_value(v: &Value) -> Result<Self, String> {
                let i = i64::from_value(v)?;
                <$t>::try_from(i).map_err(|_| format!("{i} is out of range"))
            }
        }
    )*};
}
int_from_value!(i32, u32, u64, usize);

/// Rewrites SQLite's numbered placeholders (`?1`) as PostgreSQL's (`$1`). A `?` inside a
/// string literal, a quoted identifier or a comment is left alone.
pub fn to_dollar_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                out.push(c);
                for d in chars.by_ref() {
                    out.push(d);
                    // A doubled quote is an escaped quote: closing and reopening does the same.
                    if d == c {
                        break;
                    }
                }
            }
            '-' if chars.peek() == Some(&'-') => {
                out.push(c);
                for d in chars.by_ref() {
                    out.push(d);
                    if d == '\n' {
                        break;
                    }
                }
            }
            '?' if chars.peek().is_some_and(char::is_ascii_digit) => out.push('$'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_dollars_outside_literals() {
        let cases = [
            ("SELECT ?1", "SELECT $1"),
            (
                "WHERE a = ?1 AND b LIKE ?12 ESCAPE '\\'",
                "WHERE a = $1 AND b LIKE $12 ESCAPE '\\'",
            ),
            ("SELECT '?1', \"?2\", ?3", "SELECT '?1', \"?2\", $3"),
            ("SELECT 'it''s ?1', ?2", "SELECT 'it''s ?1', $2"),
            ("SELECT ?2 -- not ?3\n, ?4", "SELECT $2 -- not ?3\n, $4"),
            ("SELECT ? , ?x", "SELECT ? , ?x"),
            ("(?1 IS NULL OR id < ?1)", "($1 IS NULL OR id < $1)"),
        ];
        for (sqlite, postgres) in cases {
            assert_eq!(to_dollar_placeholders(sqlite), postgres, "{sqlite}");
        }
    }

    #[test]
    fn values_round_trip_through_rust_types() {
        let row = Row(vec![
            Value::Int(7),
            Value::Null,
            Value::Text("x".into()),
            Value::Int(1),
        ]);
        assert_eq!(row.get::<u64>(0).unwrap(), 7);
        assert_eq!(row.get::<Option<String>>(1).unwrap(), None);
        assert_eq!(row.get::<String>(2).unwrap(), "x");
        assert!(row.get::<bool>(3).unwrap());
        assert!(row.get::<String>(0).is_err());
        assert!(row.get::<i64>(9).is_err());
        assert_eq!(
            params![1u64, "a", None::<String>, true].to_vec(),
            vec![
                Value::Int(1),
                Value::Text("a".into()),
                Value::Null,
                Value::Int(1)
            ]
        );
    }
}
