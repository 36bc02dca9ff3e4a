//! Commenting on a draft (意见征集): the consultation banner, the comment form and its sheet, the
//! outbox that loses nothing, "my comments" with receipt checks, and the published feedback.
//!
//! Why a module of its own, behind the `commenting` feature: most documents are not drafts, and a
//! reader of them should not download any of this. The build makes two bundles; the loader
//! fetches the one with commenting only for a document that has a consultation
//! (`widget/loader/jiedu.js`, ARCHITECTURE.md). Nothing outside this module names anything in it
//! except the state (its part of the reducer) and the root component `App` (which calls
//! [`use_parts`]).
//!
//! Inside, pure parts and effects are apart: [`protocol`] (where the API is, the form and its
//! rules, the request body, classifying answers, back-off) and [`records`] (what is stored, and
//! what an answer does to it) need no browser and are unit-tested natively; [`api`] (requests),
//! [`outbox`] (localStorage and sending) and [`hooks`] (the effects, as yew hooks) use it;
//! [`views`] only draw data and call callbacks.

pub mod api;
pub mod hooks;
pub mod json;
pub mod outbox;
pub mod protocol;
pub mod records;
pub mod state;
pub mod strings;
pub mod views;

pub use hooks::use_parts;
