//! The published feedback reports, served from memory.
//!
//! Every reader of a consultation's page asks for its feedback report, and a report of a
//! thousand comments is a few hundred kilobytes of JSON. Reading it from SQLite, hashing it for
//! the entity tag and compressing it on every request cost far more than the request itself. So
//! each report is prepared once, when it is published (or on the first request after a start):
//! its bytes, their gzip form and the entity tag. A request with a matching `If-None-Match` is
//! answered 304 without touching the database or the bytes.
//!
//! Only this process writes the database, so the cache is exact: a publication replaces its
//! document's entry after it committed, and an entry filled from the database by a reader never
//! replaces a newer version (a reader that raced a publication).

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, RwLock};

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::etag::{etag_matches, etag_of};

/// One published report, ready to send.
#[derive(Debug)]
pub struct Published {
    pub version: u64,
    pub json: Bytes,
    pub gzip: Bytes,
    pub etag: HeaderValue,
}

impl Published {
    pub fn new(version: u64, json: Vec<u8>) -> Published {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let gzip = encoder
            .write_all(&json)
            .and_then(|()| encoder.finish())
            .expect("gzip into memory cannot fail");
        Published {
            version,
            etag: etag_of(&json),
            json: json.into(),
            gzip: gzip.into(),
        }
    }

    /// The answer to a request with these headers: 304 when the client has this version, else
    /// the JSON (gzipped when the client accepts it).
    pub fn respond(&self, headers: &HeaderMap) -> Response {
        let common = [
            (header::ETAG, self.etag.clone()),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            (header::VARY, HeaderValue::from_static("accept-encoding")),
        ];
        if etag_matches(headers, &self.etag) {
            return (StatusCode::NOT_MODIFIED, common).into_response();
        }
        let json = HeaderValue::from_static("application/json");
        if accepts_gzip(headers) {
            let gzip = HeaderValue::from_static("gzip");
            let encoded = [
                (header::CONTENT_TYPE, json),
                (header::CONTENT_ENCODING, gzip),
            ];
            (common, encoded, self.gzip.clone()).into_response()
        } else {
            (common, [(header::CONTENT_TYPE, json)], self.json.clone()).into_response()
        }
    }
}

/// Whether `Accept-Encoding` allows gzip (`gzip` or `*`, with a quality above 0).
fn accepts_gzip(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    value.split(',').any(|part| {
        let mut pieces = part.split(';');
        let coding = pieces.next().unwrap_or("").trim();
        let q = pieces
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        (coding.eq_ignore_ascii_case("gzip") || coding == "*") && q > 0.0
    })
}

/// The latest report of each document: `None` inside means "known to be unpublished".
#[derive(Debug, Default)]
pub struct Reports {
    by_document: RwLock<HashMap<String, Option<Arc<Published>>>>,
}

impl Reports {
    /// What is known about a document's report; `None` when it has to be read from the database.
    pub fn get(&self, document_id: &str) -> Option<Option<Arc<Published>>> {
        let map = self.by_document.read().unwrap_or_else(|e| e.into_inner());
        map.get(document_id).cloned()
    }

    /// Records a report just published (and committed): it is the latest.
    pub fn publish(&self, document_id: &str, report: Arc<Published>) {
        let mut map = self.by_document.write().unwrap_or_else(|e| e.into_inner());
        map.insert(document_id.to_owned(), Some(report));
    }

    /// Records what a reader found in the database (a report, or that there is none), unless a
    /// newer version is already known: a publication may have come in between.
    pub fn fill(&self, document_id: &str, report: Option<Arc<Published>>) {
        let mut map = self.by_document.write().unwrap_or_else(|e| e.into_inner());
        let newer = match (map.get(document_id), &report) {
            (Some(Some(known)), Some(new)) => new.version > known.version,
            (Some(Some(_)), None) => false,
            _ => true,
        };
        if newer {
            map.insert(document_id.to_owned(), report);
        }
    }
}
