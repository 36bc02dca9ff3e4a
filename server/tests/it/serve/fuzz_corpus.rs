//! Replays the fuzzing corpus of the request bodies (`fuzz/corpus/request_body/`) on stable,
//! through the same calls as `fuzz/fuzz_targets/request_body.rs`.

use std::path::{Path, PathBuf};

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, header};
use jiedu_core::comment::{Disposition, NewComment};
use jiedu_server::serve::public::json_body;
use jiedu_server::serve::store::Mark;

#[test]
fn request_body_corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus/request_body");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty());
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    let failed: Vec<&PathBuf> = files
        .iter()
        .filter(|file| {
            let data = std::fs::read(file).unwrap();
            let body = || Ok(Bytes::from(data.clone()));
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                if let Ok((comment, _)) = json_body::<NewComment>(&headers, body(), 131_072) {
                    let _ = comment.validate();
                }
                if let Ok((disposition, _)) = json_body::<Disposition>(&headers, body(), 131_072) {
                    let _ = disposition.validate();
                }
                let _ = json_body::<Mark>(&headers, body(), 131_072);
            }))
            .is_err()
        })
        .collect();
    assert!(failed.is_empty(), "inputs that panic: {failed:#?}");
}
