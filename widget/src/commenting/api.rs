//! The requests the widget makes to `jiedu serve`'s API for commenting: post a comment, look up a
//! receipt, fetch the published feedback. Answers are read with [`crate::decode`] and classified
//! with [`super::protocol::classify`]; nothing here keeps state.

use jiedu_core::comment::{FeedbackReport, ReceiptStatus};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::protocol::{self, Answer};
use crate::decode;
use crate::i18n::UiLang;

/// A status, the body parsed as JSON (when it is JSON), and `Retry-After` in seconds.
type Reply = (u16, Option<JsValue>, Option<u32>);

async fn request(
    method: &str,
    url: &str,
    body: Option<&str>,
    key: Option<&str>,
    lang: UiLang,
) -> Result<Reply, JsValue> {
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    let headers = web_sys::Headers::new()?;
    headers.append("Accept-Language", lang.tag())?;
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    if let Some(body) = body {
        headers.append("Content-Type", "application/json")?;
        init.set_body(&JsValue::from_str(body));
    }
    if let Some(key) = key {
        headers.append("Idempotency-Key", key)?;
    }
    init.set_headers(&headers);
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await?
        .unchecked_into();
    let retry_after = response
        .headers()
        .get("retry-after")
        .ok()
        .flatten()
        .and_then(|v| v.trim().parse().ok());
    let text = JsFuture::from(response.text()?).await?;
    let json = text.as_string().and_then(|t| js_sys::JSON::parse(&t).ok());
    Ok((response.status(), json, retry_after))
}

/// Posts a comment body with its idempotency key. A request that gets no answer at all (offline,
/// DNS, the server down) is to be retried.
///
/// A host page whose origin the server does not allow gets no answer either: the browser's
/// preflight is refused, and the page cannot read why. So after a POST without answer the
/// widget asks the server something anyone may ask (`HEAD` of the document): when that is
/// answered, the server is there and refuses this page, which no retry changes; the reader is
/// told so instead of seeing the comment wait forever. (A server that lets the refusal through
/// with CORS headers answers `403 origin-not-allowed`, which [`protocol::classify`] reads as
/// refused with the server's own message.)
pub async fn post_comment(
    api: &str,
    document: &str,
    key: &str,
    body: &str,
    lang: UiLang,
) -> Answer {
    let url = format!("{api}/documents/{}", js_sys::encode_uri_component(document));
    let comments = format!("{url}/comments");
    match request("POST", &comments, Some(body), Some(key), lang).await {
        Ok((status, json, retry_after)) => protocol::classify(status, json.as_ref(), retry_after),
        Err(_) => match request("HEAD", &url, None, None, lang).await {
            Ok((status, ..)) if status < 500 => Answer::Refused {
                code: "origin-not-allowed".into(),
                message: lang.strings().c.origin_refused.into(),
            },
            _ => Answer::Retry { after: None },
        },
    }
}

/// The result of a lookup.
#[derive(Clone, Debug, PartialEq)]
pub enum Lookup<T> {
    Found(T),
    /// `404`: no such receipt; `204`: no feedback published yet.
    NotFound,
    /// No answer, or one the widget cannot read; the detail is for the console.
    Failed(String),
}

async fn get<T>(url: &str, lang: UiLang, read: fn(&JsValue) -> decode::R<T>) -> Lookup<T> {
    match request("GET", url, None, None, lang).await {
        // 204: no feedback published yet.
        Ok((404 | 204, _, _)) => Lookup::NotFound,
        Ok((200, Some(json), _)) => match read(&json) {
            Ok(value) => Lookup::Found(value),
            Err(e) => Lookup::Failed(e.to_string()),
        },
        Ok((status, _, _)) => Lookup::Failed(format!("HTTP {status}")),
        Err(e) => Lookup::Failed(crate::host::describe(&e)),
    }
}

/// `GET …/receipts/{receipt}`: what became of a comment.
pub async fn receipt(api: &str, receipt: &str, lang: UiLang) -> Lookup<ReceiptStatus> {
    let url = format!(
        "{api}/receipts/{}",
        js_sys::encode_uri_component(receipt.trim())
    );
    get(&url, lang, decode::receipt_status).await
}

/// `GET …/documents/{id}/feedback`: the published feedback report (`NotFound` until published,
/// when the server answers `204`).
pub async fn feedback(api: &str, document: &str, lang: UiLang) -> Lookup<FeedbackReport> {
    let url = format!(
        "{api}/documents/{}/feedback",
        js_sys::encode_uri_component(document)
    );
    get(&url, lang, decode::feedback_report).await
}

/// A fresh idempotency key: a version 4 UUID from the browser's CSPRNG
/// (`crypto.getRandomValues`).
pub fn new_key() -> String {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        // No Web Crypto (a very old browser): the key only has to be unique, not secret.
        for b in &mut bytes {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    protocol::uuid_v4(bytes)
}
