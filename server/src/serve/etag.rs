//! Entity tags: one for the bytes of every JSON the server keeps in memory (documents, the
//! document list, published reports), and the `If-None-Match` comparison that answers 304.

use axum::http::{HeaderMap, HeaderValue, header};

use super::secrets;

/// A weak entity tag over some bytes (weak, because compression changes the bytes sent).
pub fn etag_of(bytes: &[u8]) -> HeaderValue {
    let hash = secrets::body_hash(bytes);
    HeaderValue::from_str(&format!("W/\"{}\"", &hash[..24])).expect("hex is a valid header")
}

/// Whether the request's `If-None-Match` names `etag` (weakly compared) or is `*`.
pub fn etag_matches(headers: &HeaderMap, etag: &HeaderValue) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',').any(|tag| {
                let tag = tag.trim();
                tag == "*"
                    || tag.trim_start_matches("W/")
                        == etag.to_str().unwrap_or("").trim_start_matches("W/")
            })
        })
}
