//! jiedu-editor: the wasm behind the editor's live preview page (`/editor` of `jiedu serve`).
//!
//! Editors should see what citizens will see while they type, without a server round trip and
//! without installing anything: so the authoring compiler and its checks, the plain-text import
//! and the real widget components all run in the browser. They live in this bundle of their own
//! because the citizen widget must stay small and carries no Markdown parser at all.
//!
//! The page (`www/editor.js`) calls five exports:
//! - [`compile`]: diagnostics and compiled JSON of a source ([`report::compiled`]);
//! - [`import_text`] (`importText`): plain text of an official document → authoring format;
//! - [`samples`]: the sample documents for "new from sample";
//! - [`compare`]: two sources compared (修改前后对照) for the revision history;
//! - [`Preview`]: compiles and renders into an element with the widget, keeping the last good
//!   document on screen while the source has errors.
//!
//! Linking the widget brings its own exports along (`mount`, `formatVersion`, `Handle`); the
//! editor does not export those names again, wasm-bindgen refuses duplicates.

pub mod preview;
pub mod report;

use serde_json::{Value, json};
use wasm_bindgen::prelude::*;

pub use preview::Preview;

/// The documents offered by "new from sample" (id, label, Markdown source): a blank template
/// showing each part of the format, then the project's own sample content, which the core tests
/// keep free of diagnostics.
pub const SAMPLES: [(&str, &str, &str); 4] = [
    (
        "new-document",
        "空白模板 Blank template",
        include_str!("blank.md"),
    ),
    (
        "yc-2021-openness",
        "政务公开工作要点 Interpretations and FAQs",
        include_str!("../../content/yc-2021-openness.md"),
    ),
    (
        "yc-proactive-disclosure-draft",
        "征求意见稿 Consultation draft",
        include_str!("../../content/yc-proactive-disclosure-draft.md"),
    ),
    (
        "yc-service-lists-en",
        "英文范例 English sample",
        include_str!("../../content/yc-service-lists-en.md"),
    ),
];

/// Compiles an authoring-format source. See [`report::compiled`] for the fields.
#[wasm_bindgen]
pub fn compile(source: &str) -> JsValue {
    to_js(&report::compiled(
        source,
        &jiedu_core::authoring::compile(source),
    ))
}

/// Compares two sources provision by provision and note by note, for the revision history's
/// 修改前后对照 view. See [`report::compared`] for the fields.
#[wasm_bindgen]
pub fn compare(old: &str, new: &str) -> JsValue {
    to_js(&report::compared(old, new))
}

/// Converts the plain text of an official document to the authoring format:
/// `{markdown, notes: [{code, line, message}]}`.
#[wasm_bindgen(js_name = importText)]
pub fn import_text(text: &str) -> JsValue {
    to_js(&report::imported(&jiedu_core::import::import(text)))
}

/// The samples as `[{id, label, markdown}]`.
#[wasm_bindgen]
pub fn samples() -> JsValue {
    to_js(&Value::Array(
        SAMPLES
            .iter()
            .map(|(id, label, markdown)| json!({ "id": id, "label": label, "markdown": markdown }))
            .collect(),
    ))
}

/// A JSON value as a plain JS object (through `JSON.parse`: no serde-wasm-bindgen needed).
pub(crate) fn to_js(value: &Value) -> JsValue {
    js_sys::JSON::parse(&value.to_string()).expect("serde_json writes valid JSON")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sample_compiles_without_a_diagnostic() {
        for (id, _, source) in SAMPLES {
            let compiled = jiedu_core::authoring::compile(source);
            assert_eq!(compiled.diagnostics, [], "sample {id}");
            assert_eq!(compiled.document.map(|d| d.id).as_deref(), Some(id));
        }
    }
}
