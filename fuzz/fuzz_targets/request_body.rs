//! The server's request bodies as the handlers read them (`json_body`: a comment, a
//! disposition, a mark), then validated: every input is an answer or a field error, never a
//! panic. Replayed on stable by server/tests/it/serve/fuzz_corpus.rs.
#![no_main]

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, header};
use jiedu_core::comment::{Disposition, NewComment};
use jiedu_server::serve::public::json_body;
use jiedu_server::serve::store::Mark;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    let body = || Ok(Bytes::copy_from_slice(data));
    if let Ok((comment, _)) = json_body::<NewComment>(&headers, body(), 131_072) {
        let _ = comment.validate();
    }
    if let Ok((disposition, _)) = json_body::<Disposition>(&headers, body(), 131_072) {
        let _ = disposition.validate();
    }
    let _ = json_body::<Mark>(&headers, body(), 131_072);
});
