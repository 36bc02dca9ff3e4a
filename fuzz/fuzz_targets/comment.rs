//! Comment validation: any JSON read as a comment is validated and normalised, and any text is
//! validated as the comment's text and name. Replayed on stable by core/tests/it/fuzz_corpus.rs.
#![no_main]

use jiedu_core::Target;
use jiedu_core::comment::{NewComment, Stance, SubmitterType};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
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
