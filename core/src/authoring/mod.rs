//! The authoring format: one CommonMark file → a [`Document`] plus diagnostics.
//!
//! Implements `docs/authoring-format.md`. (Being written.)

use crate::diagnostic::Diagnostic;
use crate::model::Document;

/// The result of compiling one authoring file. `document` is `None` when there are errors.
#[derive(Clone, Debug)]
pub struct Compiled {
    pub document: Option<Document>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Compiles the source of one authoring file. Never panics, whatever the input.
pub fn compile(source: &str) -> Compiled {
    let _ = source;
    Compiled {
        document: None,
        diagnostics: Vec::new(),
    }
}
