//! jiedu-core: the model every other part of Jiedu agrees on.
//!
//! A policy document with its provisions, interpretations (政策解读), FAQs and an optional public
//! consultation (意见征集) is compiled from one Markdown file (the authoring format, see
//! `docs/authoring-format.md`) into the JSON described by [`model::Document`]. The widget renders that
//! JSON, the server stores comments against it. The serde types here are the widget↔server contract:
//! change them deliberately and bump [`model::FORMAT_VERSION`] when a reader could misread old data.
//!
//! This crate does no I/O and never reads the clock: functions that depend on "now" take it as an
//! argument. It compiles for native targets and for `wasm32-unknown-unknown`.

pub mod comment;
pub mod date;
pub mod diff;
pub mod model;
pub mod rich;
pub mod text;
pub mod wire;

#[cfg(feature = "authoring")]
pub mod authoring;
#[cfg(feature = "authoring")]
pub mod diagnostic;
#[cfg(feature = "authoring")]
pub mod import;
#[cfg(feature = "authoring")]
pub mod revision;

pub use date::{Date, Timestamp};
pub use model::*;
