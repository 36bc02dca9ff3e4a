//! The widget inside its host page: shadow root and stylesheet, events, unmounting, the
//! remembered large-text mode, and the interface language.

use std::cell::RefCell;
use std::rc::Rc;

use jiedu_widget::Options;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::{attr, mount_sample, new_host, reset_page, until};

#[wasm_bindgen_test]
async fn renders_in_a_shadow_root_with_an_adopted_stylesheet() {
    reset_page();
    let w = mount_sample(Options::default());
    w.wait_for(".head").await;
    let root = w.root();
    assert_eq!(root.adopted_style_sheets().length(), 1);
    assert!(
        root.query_selector("style").unwrap().is_none(),
        "no <style> element (CSP)"
    );
    // Host-page CSS does not reach in, and the widget's classes do not leak out.
    assert!(
        crate::support::document()
            .query_selector(".head")
            .unwrap()
            .is_none()
    );
    assert!(w.host.has_attribute("data-jiedu-host"));
}

#[wasm_bindgen_test]
async fn emits_ready_and_unmounts_cleanly() {
    reset_page();
    let host = new_host();
    let ready = Rc::new(RefCell::new(None));
    let _listener = {
        let ready = ready.clone();
        gloo::events::EventListener::new(&host, "jiedu:ready", move |e| {
            let e = e.dyn_ref::<web_sys::CustomEvent>().unwrap();
            assert!(e.bubbles() && e.composed());
            let id = js_sys::Reflect::get(&e.detail(), &"id".into()).unwrap();
            *ready.borrow_mut() = id.as_string();
        })
    };
    let handle = jiedu_widget::mount_with(
        &host,
        Options::default(),
        Some(Rc::new(jiedu_widget::sample::document())),
    )
    .unwrap();
    until("jiedu:ready", || ready.borrow().clone()).await;
    assert_eq!(ready.borrow().as_deref(), Some("sample"));
    handle.unmount();
    until("the shadow root to empty", || {
        (host.shadow_root().unwrap().child_element_count() == 0).then_some(())
    })
    .await;
    host.remove();
}

#[wasm_bindgen_test]
async fn large_text_mode_is_toggled_and_remembered() {
    reset_page();
    let w = mount_sample(Options::default());
    w.click(".elder-toggle").await;
    until("elder mode", || w.find("section.jiedu.elder")).await;
    assert_eq!(
        attr(&w.find(".elder-toggle").unwrap(), "aria-pressed"),
        "true"
    );
    let stored = web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .get_item(jiedu_widget::state::ELDER_KEY)
        .unwrap();
    assert_eq!(stored.as_deref(), Some("1"));
    w.unmount();
    // The reader's choice wins over the operator's data-elder.
    let again = mount_sample(Options {
        elder: Some(false),
        ..Options::default()
    });
    again.wait_for("section.jiedu.elder").await;
    reset_page();
}

#[wasm_bindgen_test]
async fn english_interface_by_data_lang() {
    reset_page();
    let w = mount_sample(Options {
        lang: Some("en".into()),
        ..Options::default()
    });
    w.wait_for(".head").await;
    let section = w.find("section.jiedu").unwrap();
    assert_eq!(attr(&section, "lang"), "en");
    let layouts: Vec<String> = w
        .all(".layouts button")
        .iter()
        .map(|b| b.text_content().unwrap())
        .collect();
    assert_eq!(layouts, ["Side by side", "Inline", "Key points"]);
    assert_eq!(w.text(".badges"), "In forcePublic");
    // The document keeps its own language.
    assert_eq!(attr(&w.find(".content").unwrap(), "lang"), "zh-CN");
}

#[wasm_bindgen_test]
async fn the_page_language_decides_without_data_lang() {
    reset_page();
    crate::support::document()
        .document_element()
        .unwrap()
        .set_attribute("lang", "en-GB")
        .unwrap();
    let w = mount_sample(Options::default());
    w.wait_for(".head").await;
    assert_eq!(w.text("button.inline"), "Inline");
    reset_page();
}
