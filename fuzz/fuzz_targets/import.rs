//! The plain-text importer on any text, and the compiler on what it produces: neither may
//! panic. Replayed on stable by core/tests/it/fuzz_corpus.rs.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let imported = jiedu_core::import::import(text);
        let _ = jiedu_core::authoring::compile(&imported.markdown);
    }
});
