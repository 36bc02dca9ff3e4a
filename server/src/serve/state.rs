//! The shared state every handler sees: the configuration, the documents being served, the
//! database handles, the clock and the rate limiter.
//!
//! It sits below the handlers and the extractors: they import it, it imports none of them.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use axum::http::HeaderValue;
use jiedu_core::{Document, DocumentIndex, FORMAT_VERSION};

use super::clock::Clock;
use super::config::Config;
use super::db::{self, DatabaseUrl, DbError, Direct, ReadPool, Writer};
use super::documents::{self, PublishedRow, Seed, Seeded};
use super::error::AppError;
use super::pg;
use super::ratelimit::RateLimiter;
use super::reports::Reports;
use super::sql::{Sql, params};
// Kept here too: handlers written against `state::etag_of` go on working.
pub use super::etag::etag_of;
use super::{keyfile, store};

/// A compiled document ready to serve: its JSON, that JSON's entity tag, and the revision it was
/// compiled from.
#[derive(Debug)]
pub struct ServedDocument {
    pub doc: Document,
    pub revision: i64,
    pub json: axum::body::Bytes,
    pub etag: HeaderValue,
}

/// The documents the public sees, in the order they were created. A `Site` never changes: a
/// publication builds a new one and swaps it in whole ([`AppState::refresh_site`]).
#[derive(Debug)]
pub struct Site {
    pub documents: Vec<Arc<ServedDocument>>,
    by_id: HashMap<String, Arc<ServedDocument>>,
    /// Documents withdrawn (撤回): answered with 410 to the public, still there for editors.
    withdrawn: HashMap<String, Arc<ServedDocument>>,
    /// The document list ([`DocumentIndex`]) as JSON, and its entity tag.
    pub index_json: axum::body::Bytes,
    pub index_etag: HeaderValue,
}

impl Site {
    /// The site of the published documents (withdrawn ones are left out of the list).
    pub fn new(rows: Vec<PublishedRow>) -> Site {
        let (withdrawn, rows): (Vec<_>, Vec<_>) = rows.into_iter().partition(|r| r.withdrawn);
        let index = DocumentIndex {
            format_version: FORMAT_VERSION,
            documents: rows.iter().map(|r| r.document.summary()).collect(),
        };
        let index_json = serde_json::to_vec(&index).expect("the index serialises");
        let mut site = Site {
            documents: Vec::new(),
            by_id: HashMap::new(),
            withdrawn: withdrawn
                .into_iter()
                .map(|r| (r.document.id.clone(), served(r)))
                .collect(),
            index_etag: etag_of(&index_json),
            index_json: index_json.into(),
        };
        for row in rows {
            let served = served(row);
            site.by_id.insert(served.doc.id.clone(), served.clone());
            site.documents.push(served);
        }
        site
    }

    /// A document for editors: a withdrawn one too (its comments are still reviewed and exported).
    pub fn get_for_editors(&self, id: &str) -> Result<Arc<ServedDocument>, AppError> {
        match self.withdrawn.get(id) {
            Some(served) => Ok(served.clone()),
            None => self.get(id),
        }
    }

    /// The final version of a consultation draft: the published document that `replaces` it.
    pub fn final_version_of(&self, draft: &str) -> Option<Arc<ServedDocument>> {
        self.documents
            .iter()
            .find(|d| d.doc.replaces.as_deref() == Some(draft))
            .cloned()
    }

    pub fn get(&self, id: &str) -> Result<Arc<ServedDocument>, AppError> {
        self.by_id.get(id).cloned().ok_or_else(|| {
            if self.withdrawn.contains_key(id) {
                AppError::DocumentWithdrawn(id.to_owned())
            } else {
                AppError::DocumentNotFound(id.to_owned())
            }
        })
    }
}

fn served(row: PublishedRow) -> Arc<ServedDocument> {
    let json = serde_json::to_vec(&row.document).expect("a document serialises");
    Arc::new(ServedDocument {
        etag: etag_of(&json),
        json: json.into(),
        revision: row.revision,
        doc: row.document,
    })
}

/// Everything a request handler may need. Cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub config: Config,
    /// The served documents. Readers clone the `Arc` and drop the lock at once; a publication
    /// replaces the whole `Site`, so a reader sees the old one or the new one, never a mix.
    site: RwLock<Arc<Site>>,
    /// Held while the site is rebuilt, so rebuilds run one at a time and the last one to run
    /// reads the newest committed state.
    rebuilding: tokio::sync::Mutex<()>,
    pub writer: Writer,
    pub reads: ReadPool,
    pub clock: Clock,
    pub limiter: RateLimiter,
    /// The limit on receipt lookups (receipts must not be found by trying).
    pub receipt_limiter: RateLimiter,
    pub ip_secret: Vec<u8>,
    /// The published feedback reports, ready to send.
    pub reports: Reports,
    /// The database, as configured (a PostgreSQL password is not shown when printed).
    pub database: DatabaseUrl,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    /// Opens the configured database (creating and migrating it), brings it up to date with
    /// the files of the content directory (`seeds`, see [`documents::seed`]) and starts the
    /// writer.
    pub fn open(config: Config, seeds: Vec<Seed>, clock: Clock) -> Result<AppState, DbError> {
        let database = config.database();
        let opened = match &database {
            DatabaseUrl::Sqlite(path) => open_sqlite(&config, path, &seeds, clock.now())?,
            DatabaseUrl::Postgres(url) => open_postgres(&config, url, &seeds, clock.now())?,
        };
        let Opened {
            writer,
            reads,
            ip_secret,
            published,
        } = opened;
        let site = Site::new(published);
        Ok(AppState(Arc::new(Inner {
            limiter: RateLimiter::new(config.rate_limit_per_minute, config.rate_limit_burst),
            receipt_limiter: RateLimiter::new(
                config.receipt_lookups_per_minute,
                config.receipt_lookups_per_minute,
            ),
            site: RwLock::new(Arc::new(site)),
            rebuilding: tokio::sync::Mutex::new(()),
            reads,
            database,
            writer,
            clock,
            ip_secret,
            reports: Reports::default(),
            config,
        })))
    }

    /// The documents served right now.
    pub fn site(&self) -> Arc<Site> {
        self.site.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Rebuilds the served documents from the database and swaps them in, once the change that
    /// calls for it is committed. Requests see the old site until the swap, the new one after.
    /// On PostgreSQL the other instances are told too (`NOTIFY`), and rebuild theirs
    /// ([`AppState::follow_publications`]).
    pub async fn refresh_site(&self) -> Result<(), DbError> {
        self.reload_site().await?;
        if let ReadPool::Postgres(_) = &self.reads {
            let notified = self
                .reads
                .run(|c| c.execute("SELECT pg_notify(?1, '')", params![pg::SITE_CHANNEL]))
                .await;
            if let Err(e) = notified {
                tracing::warn!(error = %e, "cannot tell the other instances about a publication");
            }
        }
        Ok(())
    }

    /// On PostgreSQL: rebuilds the served documents whenever another instance announces a
    /// publication (LISTEN), and once after each (re)connection of the listener, which catches
    /// up on what was announced while it was away. Runs for as long as the server runs.
    pub async fn follow_publications(self) {
        let DatabaseUrl::Postgres(url) = self.database.clone() else {
            return;
        };
        pg::listen(&url, pg::SITE_CHANNEL, || async {
            if let Err(e) = self.reload_site().await {
                tracing::error!(error = %e, "cannot reload the published documents");
            }
        })
        .await;
    }

    /// Rebuilds the served documents from the database and swaps them in.
    async fn reload_site(&self) -> Result<(), DbError> {
        let _one_at_a_time = self.rebuilding.lock().await;
        let rows = self.reads.run(documents::published).await?;
        let site = Arc::new(Site::new(rows));
        *self.site.write().unwrap_or_else(|e| e.into_inner()) = site;
        Ok(())
    }

    /// The offset used to write times: the one the document's consultation is written in
    /// (China Standard Time for a Chinese consultation), else UTC.
    pub fn offset_for(doc: &Document) -> i16 {
        doc.consultation
            .as_ref()
            .map_or(0, |c| c.opens.offset_minutes)
    }

    /// Whether a browser on `origin` may send writes, given the request's `Host`: an allowed
    /// origin, the configured public origin, or the origin of the `Host` itself.
    pub fn origin_allowed(&self, origin: &str, host: Option<&str>) -> bool {
        let origin = origin.trim_end_matches('/');
        let configured = self
            .config
            .allowed_origins
            .iter()
            .chain(&self.config.public_origin);
        if configured.into_iter().any(|o| o == origin) {
            return true;
        }
        host.is_some_and(|host| {
            origin
                .strip_prefix("http://")
                .or_else(|| origin.strip_prefix("https://"))
                == Some(host)
        })
    }
}

/// The database handles of a starting server, and what it read at start.
struct Opened {
    writer: Writer,
    reads: ReadPool,
    ip_secret: Vec<u8>,
    published: Vec<PublishedRow>,
}

/// SQLite: the key file beside the database, the optional size limit, the group-commit writer.
fn open_sqlite(
    config: &Config,
    path: &std::path::Path,
    seeds: &[Seed],
    now: i64,
) -> Result<Opened, DbError> {
    let (conn, db_path) = db::open_file(path)?;
    let dir = db_path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let ip_secret = keyfile::ip_hash_key(&conn, dir, config.ip_hash_secret.as_deref())?;
    if let Some(bytes) = config.max_database_bytes {
        db::limit_size(&conn, bytes)?;
    }
    let mut direct = Direct::Sqlite {
        conn,
        path: db_path.clone(),
    };
    direct.transaction(|c| seed_all(c, seeds, now))?;
    let Direct::Sqlite { conn, .. } = direct else {
        unreachable!("opened as SQLite")
    };
    let published = documents::published(&conn)?;
    Ok(Opened {
        writer: Writer::start(conn, &db_path),
        reads: ReadPool::new(db_path),
        ip_secret,
        published,
    })
}

/// PostgreSQL: the IP-hash secret must be configured (instances share it, and the database
/// must not hold it: see keyfile.rs); migrations and seeding run on a start-up connection of
/// their own thread (it runs its own small runtime), then requests use a pool.
fn open_postgres(config: &Config, url: &str, seeds: &[Seed], now: i64) -> Result<Opened, DbError> {
    let ip_secret = config
        .ip_hash_secret
        .clone()
        .ok_or(DbError::NoIpHashSecret)?
        .into_bytes();
    let url_parsed = DatabaseUrl::Postgres(url.to_owned());
    let published = std::thread::scope(|s| {
        s.spawn(|| {
            let mut direct = Direct::open(&url_parsed)?;
            direct.transaction(|c| seed_all(c, seeds, now))?;
            direct.transaction(documents::published)
        })
        .join()
        .map_err(|_| DbError::Task("the start-up connection panicked".into()))?
    })?;
    let pool = pg::pool(url, 16)?;
    Ok(Opened {
        writer: Writer::postgres(pool.clone()),
        reads: ReadPool::Postgres(pool),
        ip_secret,
        published,
    })
}

/// Seeds every file in one transaction (the database reflects the content directory whole or
/// not at all) and logs what each file did.
fn seed_all(tx: &dyn Sql, seeds: &[Seed], now: i64) -> Result<(), DbError> {
    for seed in seeds {
        let at = store::format_time(now, AppState::offset_for(&seed.compiled.document));
        let outcome = documents::seed(tx, seed, &at)?;
        let (file, id) = (&seed.origin, &seed.compiled.document.id);
        match outcome {
            Seeded::Unchanged => {}
            Seeded::Created { revision } => {
                tracing::info!(%file, %id, revision, "new document from the content directory, published")
            }
            Seeded::Updated { revision } => tracing::info!(
                %file, %id, revision,
                "the file changed: new revision from the content directory, published"
            ),
            Seeded::DatabaseNewer => tracing::info!(
                %file, %id,
                "editors saved newer revisions in the browser; the file is older and ignored \
                 (`jiedu export-content` writes the newest published sources back)"
            ),
            Seeded::Conflict { revision } => tracing::warn!(
                %file, %id, revision,
                "the file changed, and so did the document in the browser: the file is stored as \
                 draft revision {revision} for editors to reconcile; what is served is unchanged"
            ),
        }
    }
    Ok(())
}
