//! jiedu-core's integration tests: data-driven checks at the crate's public boundary.
//! One binary for the crate; each area has its own module.

mod authoring;
mod comment;
mod diff;
mod fuzz_corpus;
mod import;
mod revision;
