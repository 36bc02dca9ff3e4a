//! Fetching and checking a compiled document.
//!
//! Every way loading can fail has its own [`LoadError`], so the widget can tell a reader what went
//! wrong (and an operator, in the console) instead of showing an empty box. The browser parses the
//! JSON; then `formatVersion` is checked first, so that a document from a newer `jiedu` is
//! reported as "unsupported version" rather than as a confusing missing-field error; then
//! [`crate::decode`] reads it.

use jiedu_core::{Document, FORMAT_VERSION};

use crate::decode::{self, Json};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadError {
    /// No `data-src` and no `data-document`.
    NoSource,
    /// The request did not complete (offline, DNS, CORS, blocked by CSP).
    Network(String),
    /// The server answered with an error status.
    Http(u16),
    /// The server answered 410: the document was withdrawn (撤回), with the server's message.
    Withdrawn(String),
    /// The body is not JSON at all (often an HTML error page).
    InvalidJson(String),
    /// The JSON is a document of a format version this widget does not know.
    UnsupportedVersion(u32),
    /// The JSON is not a compiled document (fields missing or of the wrong type).
    InvalidDocument(String),
}

impl LoadError {
    /// A short, stable name for the `jiedu:error` event and for tests.
    pub fn code(&self) -> &'static str {
        match self {
            LoadError::NoSource => "no-source",
            LoadError::Network(_) => "network",
            LoadError::Http(_) => "http",
            LoadError::Withdrawn(_) => "withdrawn",
            LoadError::InvalidJson(_) => "invalid-json",
            LoadError::UnsupportedVersion(_) => "unsupported-version",
            LoadError::InvalidDocument(_) => "invalid-document",
        }
    }

    /// The technical detail for the console and the small print of the error box.
    pub fn detail(&self) -> String {
        match self {
            LoadError::NoSource => "no data-src or data-document attribute".into(),
            LoadError::Network(m) | LoadError::InvalidJson(m) | LoadError::InvalidDocument(m) => {
                m.clone()
            }
            LoadError::Http(status) => format!("HTTP {status}"),
            LoadError::Withdrawn(_) => "HTTP 410".into(),
            LoadError::UnsupportedVersion(v) => {
                format!("formatVersion {v}, this widget reads {FORMAT_VERSION}")
            }
        }
    }
}

/// Checks the format version of parsed JSON, then reads it as a document.
pub fn check<J: Json>(value: &J) -> Result<Document, LoadError> {
    match value.get("formatVersion").map(|v| v.number()) {
        None => Err(LoadError::InvalidDocument(
            "missing field `formatVersion`".into(),
        )),
        Some(None) => Err(LoadError::InvalidDocument(
            "`formatVersion` is not a number".into(),
        )),
        Some(Some(v)) if v == f64::from(FORMAT_VERSION) => {
            decode::document(value).map_err(|e| LoadError::InvalidDocument(e.to_string()))
        }
        Some(Some(v)) => Err(LoadError::UnsupportedVersion(v as u32)),
    }
}

/// Parses (with the browser's `JSON.parse`) and checks the text of a compiled document.
pub fn parse_document(text: &str) -> Result<Document, LoadError> {
    let value =
        js_sys::JSON::parse(text).map_err(|e| LoadError::InvalidJson(crate::host::describe(&e)))?;
    check(&value)
}

/// Fetches and checks the document at `url`, or takes it from the loader, which requested and
/// parsed it while this code was downloading.
pub async fn fetch_document(url: &str) -> Result<Document, LoadError> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    let window = web_sys::window().ok_or_else(|| LoadError::Network("no window".into()))?;
    let (status, value) = match started_by_loader(&window, url) {
        Some(doc) => {
            let doc = JsFuture::from(doc).await.map_err(read_error)?;
            let status = doc.get("status").and_then(|s| s.number()).unwrap_or(0.0) as u16;
            (status, doc.get("value"))
        }
        None => {
            let response: web_sys::Response = JsFuture::from(window.fetch_with_str(url))
                .await
                .map_err(network)?
                .unchecked_into();
            let status = response.status();
            let value = if response.ok() || status == 410 {
                let json = response.json().map_err(network)?;
                Some(JsFuture::from(json).await.map_err(read_error)?)
            } else {
                None
            };
            (status, value)
        }
    };
    // 410: withdrawn (撤回); its body `{"error": {"message"}}` is read like a document's.
    match (status, value) {
        (410, value) => {
            let message = value.and_then(|v| v.get("error")?.get("message")?.string());
            Err(LoadError::Withdrawn(message.unwrap_or_default()))
        }
        (200..=299, Some(value)) => check(&value),
        (status, _) => Err(LoadError::Http(status)),
    }
}

fn network(e: wasm_bindgen::JsValue) -> LoadError {
    LoadError::Network(crate::host::describe(&e))
}

/// The body is read and parsed together: a failure is a syntax error, or the connection
/// dropping mid-body (a TypeError).
fn read_error(e: wasm_bindgen::JsValue) -> LoadError {
    use wasm_bindgen::JsCast;
    if e.dyn_ref::<js_sys::SyntaxError>().is_some() {
        LoadError::InvalidJson(crate::host::describe(&e))
    } else {
        network(e)
    }
}

/// The document the loader (`dist/jiedu.js`) requested for `url` while this code was still
/// downloading, if it did: `Jiedu.take(url)` hands out, once, a promise of `{ status, value }`
/// (`value`: the parsed JSON, for a success or a 410).
fn started_by_loader(window: &web_sys::Window, url: &str) -> Option<js_sys::Promise> {
    use wasm_bindgen::JsCast;
    let get =
        |target: &wasm_bindgen::JsValue, key: &str| js_sys::Reflect::get(target, &key.into()).ok();
    let jiedu = get(window, "Jiedu")?;
    let take: js_sys::Function = get(&jiedu, "take")?.dyn_into().ok()?;
    take.call1(&jiedu, &url.into()).ok()?.dyn_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    fn code(text: &str) -> String {
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        match check(&value) {
            Ok(doc) => format!("ok {}", doc.id),
            Err(e) => format!("{}: {}", e.code(), e.detail()),
        }
    }

    #[test]
    fn classifies_failures() {
        expect![[r#"unsupported-version: formatVersion 99, this widget reads 1"#]]
            .assert_eq(&code(r#"{"formatVersion": 99, "id": "x"}"#));
        expect![[r#"invalid-document: missing field `formatVersion`"#]]
            .assert_eq(&code(r#"{"id": "x"}"#));
        expect![[r#"invalid-document: missing field `formatVersion`"#]].assert_eq(&code(r#"[1]"#));
        expect![[r#"invalid-document: `formatVersion` is not a number"#]]
            .assert_eq(&code(r#"{"formatVersion": "1"}"#));
        expect![[r#"invalid-document: missing field `id`"#]]
            .assert_eq(&code(r#"{"formatVersion": 1}"#));
    }

    #[test]
    fn accepts_a_document() {
        let json = serde_json::to_string(&crate::sample::document()).unwrap();
        assert_eq!(code(&json), "ok sample");
    }
}
