//! The authoring compiler on any text: it must answer with a document or diagnostics, never
//! panic, and a document it accepts must serialise. Replayed on stable by
//! core/tests/it/fuzz_corpus.rs.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(source) = std::str::from_utf8(data) {
        let compiled = jiedu_core::authoring::compile(source);
        if let Some(document) = compiled.document {
            serde_json::to_string(&document).expect("a compiled document serialises");
        }
    }
});
