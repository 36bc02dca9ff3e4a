//! Replays the fuzzing corpus on stable: every input the fuzzer kept for the authoring
//! compiler, the plain-text importer and comment validation (`fuzz/corpus/`, minimised, with
//! the inputs of crashes it found) goes through the same calls as the fuzz targets in
//! `fuzz/fuzz_targets/`. A fuzzer finding fixed once stays fixed.

use std::path::{Path, PathBuf};

use jiedu_core::Target;
use jiedu_core::comment::{NewComment, Stance, SubmitterType};

/// Every file of `fuzz/corpus/TARGET`, sorted; panics (with the file's name) collected.
pub fn replay(target: &str, run: impl Fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no corpus in {}", dir.display());
    let failed: Vec<String> = files
        .iter()
        .filter(|file| {
            let data = std::fs::read(file).unwrap();
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(&data))).is_err()
        })
        .map(|file| file.display().to_string())
        .collect();
    assert!(failed.is_empty(), "inputs that panic: {failed:#?}");
}

#[test]
fn authoring_corpus() {
    replay("authoring", |data| {
        if let Ok(source) = std::str::from_utf8(data) {
            let compiled = jiedu_core::authoring::compile(source);
            if let Some(document) = compiled.document {
                serde_json::to_string(&document).expect("a compiled document serialises");
            }
        }
    });
}

#[test]
fn import_corpus() {
    replay("import", |data| {
        if let Ok(text) = std::str::from_utf8(data) {
            let imported = jiedu_core::import::import(text);
            let _ = jiedu_core::authoring::compile(&imported.markdown);
        }
    });
}

#[test]
fn comment_corpus() {
    replay("comment", |data| {
        if let Ok(comment) = serde_json::from_slice::<NewComment>(data) {
            let _ = comment.validate();
            let _ = comment.normalized().validate();
        }
        if let Ok(text) = std::str::from_utf8(data) {
            let comment = NewComment {
                target: Target::Document,
                stance: Stance::SuggestChange,
                text: text.to_owned(),
                proposed_wording: Some(text.to_owned()),
                name: Some(text.to_owned()),
                contact: Some(text.to_owned()),
                submitter_type: SubmitterType::Organization,
                consent: true,
            };
            let _ = comment.validate();
        }
    });
}
