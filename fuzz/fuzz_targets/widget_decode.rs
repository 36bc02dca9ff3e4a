//! The widget's JSON decoder, natively: `widget/src/decode.rs` is generic over its `Json` trait
//! (the browser's `JSON.parse` result in the widget), so it compiles here unchanged and walks
//! `serde_json` values. Any JSON is decoded as a document, an API error, a receipt status and a
//! feedback report: an answer or a `DecodeError`, never a panic. Replayed on stable by the
//! widget's native tests (decode.rs, `fuzz_corpus_replays`).
#![no_main]

#[allow(dead_code)]
#[path = "../../widget/src/decode.rs"]
mod decode;

use decode::Json;

struct Value(serde_json::Value);

impl Json for Value {
    fn get(&self, key: &str) -> Option<Self> {
        self.0.as_object()?.get(key).filter(|v| !v.is_null()).cloned().map(Value)
    }
    fn string(&self) -> Option<String> {
        self.0.as_str().map(str::to_owned)
    }
    fn number(&self) -> Option<f64> {
        self.0.as_f64()
    }
    fn boolean(&self) -> Option<bool> {
        self.0.as_bool()
    }
    fn array(&self) -> Option<Vec<Self>> {
        Some(self.0.as_array()?.iter().cloned().map(Value).collect())
    }
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) {
        let value = Value(value);
        let _ = decode::document(&value);
        let _ = decode::api_error(&value);
        let _ = decode::receipt_status(&value);
        let _ = decode::feedback_report(&value);
    }
});
