//! The shared state every handler sees: the configuration, the documents being served, the
//! database handles, the clock and the rate limiter.
//!
//! It sits below the handlers and the extractors: they import it, it imports none of them.

use std::collections::HashMap;
use std::sync::Arc;

use axum::http::HeaderValue;
use jiedu_core::{Document, DocumentIndex, FORMAT_VERSION};

use super::clock::Clock;
use super::config::Config;
use super::db::{self, DbError, ReadPool, Writer};
use super::error::AppError;
use super::ratelimit::RateLimiter;
use super::reports::Reports;
// Kept here too: handlers written against `state::etag_of` go on working.
pub use super::etag::etag_of;
use super::keyfile;

/// A compiled document ready to serve: its JSON and that JSON's entity tag.
#[derive(Debug)]
pub struct ServedDocument {
    pub doc: Document,
    pub json: axum::body::Bytes,
    pub etag: HeaderValue,
}

/// The documents the server knows, in the order they were loaded.
#[derive(Debug)]
pub struct Site {
    pub documents: Vec<Arc<ServedDocument>>,
    by_id: HashMap<String, Arc<ServedDocument>>,
    /// The document list ([`DocumentIndex`]) as JSON, and its entity tag.
    pub index_json: axum::body::Bytes,
    pub index_etag: HeaderValue,
}

impl Site {
    pub fn new(documents: Vec<Document>) -> Site {
        let index = DocumentIndex {
            format_version: FORMAT_VERSION,
            documents: documents.iter().map(Document::summary).collect(),
        };
        let index_json = serde_json::to_vec(&index).expect("the index serialises");
        let mut site = Site {
            documents: Vec::new(),
            by_id: HashMap::new(),
            index_etag: etag_of(&index_json),
            index_json: index_json.into(),
        };
        for doc in documents {
            let json = serde_json::to_vec(&doc).expect("a document serialises");
            let served = Arc::new(ServedDocument {
                etag: etag_of(&json),
                json: json.into(),
                doc,
            });
            site.by_id.insert(served.doc.id.clone(), served.clone());
            site.documents.push(served);
        }
        site
    }

    pub fn get(&self, id: &str) -> Result<&Arc<ServedDocument>, AppError> {
        self.by_id
            .get(id)
            .ok_or_else(|| AppError::DocumentNotFound(id.to_owned()))
    }
}

/// Everything a request handler may need. Cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub config: Config,
    pub site: Site,
    pub writer: Writer,
    pub reads: ReadPool,
    pub clock: Clock,
    pub limiter: RateLimiter,
    /// The limit on receipt lookups (receipts must not be found by trying).
    pub receipt_limiter: RateLimiter,
    pub ip_secret: Vec<u8>,
    /// The published feedback reports, ready to send.
    pub reports: Reports,
    pub db_path: std::path::PathBuf,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    /// Opens the database in `config.data_dir` (creating and migrating it) and starts the writer.
    pub fn open(
        config: Config,
        documents: Vec<Document>,
        clock: Clock,
    ) -> Result<AppState, DbError> {
        let (conn, db_path) = db::open(&config.data_dir)?;
        let ip_secret =
            keyfile::ip_hash_key(&conn, &config.data_dir, config.ip_hash_secret.as_deref())?;
        if let Some(bytes) = config.max_database_bytes {
            db::limit_size(&conn, bytes)?;
        }
        let writer = Writer::start(conn, &db_path);
        Ok(AppState(Arc::new(Inner {
            limiter: RateLimiter::new(config.rate_limit_per_minute, config.rate_limit_burst),
            receipt_limiter: RateLimiter::new(
                config.receipt_lookups_per_minute,
                config.receipt_lookups_per_minute,
            ),
            site: Site::new(documents),
            reads: ReadPool::new(db_path.clone()),
            db_path,
            writer,
            clock,
            ip_secret,
            reports: Reports::default(),
            config,
        })))
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
