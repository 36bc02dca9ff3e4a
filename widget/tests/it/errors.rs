//! Loading from a URL, and every way it can fail: a clear message, the console, a retry.

use std::cell::Cell;
use std::rc::Rc;

use jiedu_widget::load::{LoadError, parse_document};
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::{blob_url, mount_url, reset_page, until};

/// Mounts from `url` and waits for the error box; returns the widget and its error code.
async fn failing(url: &str) -> (crate::support::Mounted, String) {
    let w = mount_url(url);
    let error = w.wait_for(".error").await;
    let code = error.get_attribute("data-error").unwrap_or_default();
    (w, code)
}

#[wasm_bindgen_test]
async fn a_document_loads_from_a_url() {
    reset_page();
    let json = serde_json::to_string(&jiedu_widget::sample::document()).unwrap();
    let w = mount_url(&blob_url(&json));
    w.wait_for(".head").await;
    assert_eq!(w.text(".title"), "示例市政务公开工作要点");
}

#[wasm_bindgen_test]
fn the_browser_side_reader_agrees_with_cores_serde() {
    let doc = jiedu_widget::sample::complete();
    let json = serde_json::to_string(&doc).unwrap();
    assert_eq!(parse_document(&json), Ok(doc));
}

#[wasm_bindgen_test]
async fn a_missing_file_says_so_and_retries() {
    reset_page();
    let (w, code) = failing("/no-such-document.json").await;
    assert_eq!(code, "http");
    assert_eq!(w.text(".error .detail"), "HTTP 404");
    assert!(w.text(".error").contains("服务器返回错误（404）"));
    assert_eq!(
        w.find(".error").unwrap().get_attribute("role").as_deref(),
        Some("alert")
    );
    let errors = Rc::new(Cell::new(0));
    let _listener = {
        let errors = errors.clone();
        gloo::events::EventListener::new(&w.host, "jiedu:error", move |_| {
            errors.set(errors.get() + 1)
        })
    };
    w.click(".error .retry").await;
    until("the retry to fail again", || {
        (errors.get() == 1).then_some(())
    })
    .await;
    assert!(w.find(".error .retry").is_some());
}

#[wasm_bindgen_test]
async fn an_html_page_is_not_json() {
    reset_page();
    // The test server's own page: what a misconfigured server sends instead of the JSON.
    let (w, code) = failing("/").await;
    assert_eq!(code, "invalid-json");
    assert!(w.text(".error").contains("文件内容不是有效的数据格式"));
}

#[wasm_bindgen_test]
async fn a_newer_format_version_is_refused_clearly() {
    reset_page();
    let (w, code) = failing(&blob_url(r#"{"formatVersion": 99, "id": "future"}"#)).await;
    assert_eq!(code, "unsupported-version");
    assert!(
        w.text(".error")
            .contains("此文件的格式版本（99）较新，当前组件只能读取版本 1"),
        "{}",
        w.text(".error")
    );
}

#[wasm_bindgen_test]
async fn an_incomplete_document_names_the_field() {
    reset_page();
    let (w, code) = failing(&blob_url(r#"{"formatVersion": 1, "id": "x"}"#)).await;
    assert_eq!(code, "invalid-document");
    assert_eq!(w.text(".error .detail"), "missing field `title`");
}

#[wasm_bindgen_test]
async fn no_source_is_an_error_without_retry() {
    reset_page();
    let host = crate::support::new_host();
    let handle = jiedu_widget::mount_with(&host, jiedu_widget::Options::default(), None).unwrap();
    let w = crate::support::Mounted {
        host,
        handle: Some(handle),
    };
    let code = w
        .wait_for(".error")
        .await
        .get_attribute("data-error")
        .unwrap_or_default();
    assert_eq!(code, "no-source");
    assert!(w.find(".error .retry").is_none());
}

#[wasm_bindgen_test]
fn json_syntax_errors_are_invalid_json() {
    assert!(matches!(
        parse_document("{\"formatVersion\": 1"),
        Err(LoadError::InvalidJson(_))
    ));
}
