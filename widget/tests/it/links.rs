//! Deep links in the host page's URL hash: on load, on hash change, Back and Forward, copy link,
//! and several widgets on one page.

use jiedu_widget::Options;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::{attr, hash, mount_sample, reset_page, until};

fn set_hash(hash: &str) {
    web_sys::window()
        .unwrap()
        .location()
        .set_hash(hash)
        .unwrap();
}

#[wasm_bindgen_test]
async fn a_hash_opens_the_target_on_load_and_on_change_and_back_returns() {
    reset_page();
    let history = web_sys::window().unwrap().history().unwrap();
    history
        .push_state_with_url(&JsValue::NULL, "", Some("#jiedu-faq-q2"))
        .unwrap();
    let w = mount_sample(Options {
        provision: Some("s2".into()),
        ..Options::default()
    });
    // The hash wins over data-provision.
    until("FAQ q2 to open", || {
        w.find("#jiedu-faq-q2.target #jiedu-faq-q2-answer:not(.closed)")
    })
    .await;
    assert!(w.find("#jiedu-s2.target").is_none());

    set_hash("jiedu-i-graphic");
    until("the interpretation to be the target", || {
        w.find("#jiedu-i-graphic.target")
    })
    .await;
    let active = w.root().active_element().map(|e| e.id());
    assert_eq!(
        active.as_deref(),
        Some("jiedu-i-graphic"),
        "focus follows the link"
    );

    history.back().unwrap();
    until("Back to return to FAQ q2", || {
        w.find("#jiedu-faq-q2.target")
    })
    .await;
    assert_eq!(hash(), "#jiedu-faq-q2");
    history.forward().unwrap();
    until("Forward to the interpretation", || {
        w.find("#jiedu-i-graphic.target")
    })
    .await;

    // Another page's anchors and unknown ids are left alone.
    set_hash("jiedu-other-doc/s1");
    set_hash("top");
    crate::support::tick().await;
    assert!(w.find("#jiedu-i-graphic.target").is_some());
}

#[wasm_bindgen_test]
async fn data_provision_opens_at_a_clause_in_the_inline_layout() {
    reset_page();
    let w = mount_sample(Options {
        provision: Some("s1-1".into()),
        layout: Some(jiedu_widget::state::Layout::Inline),
        ..Options::default()
    });
    until("s1-1 to be the target", || w.find("#jiedu-s1-1.target")).await;
    until("its interpretations to be open", || {
        w.find("#jiedu-s1-1-panel:not(.closed)")
    })
    .await;
}

#[wasm_bindgen_test]
async fn contents_links_push_history_and_emit_navigate() {
    reset_page();
    let w = mount_sample(Options::default());
    w.wait_for("nav.toc").await;
    let seen = std::rc::Rc::new(std::cell::RefCell::new(Vec::<String>::new()));
    let _listener = {
        let seen = seen.clone();
        gloo::events::EventListener::new(&w.host, "jiedu:navigate", move |e| {
            let detail = e.dyn_ref::<web_sys::CustomEvent>().unwrap().detail();
            let hash = js_sys::Reflect::get(&detail, &"hash".into()).unwrap();
            seen.borrow_mut().push(hash.as_string().unwrap());
        })
    };
    let length = web_sys::window()
        .unwrap()
        .history()
        .unwrap()
        .length()
        .unwrap();
    w.click("nav.toc a[href='#jiedu-s1-2']").await;
    until("s1-2 to be the target", || w.find("#jiedu-s1-2.target")).await;
    assert_eq!(hash(), "#jiedu-s1-2");
    assert_eq!(
        web_sys::window()
            .unwrap()
            .history()
            .unwrap()
            .length()
            .unwrap(),
        length + 1,
        "a new history entry, so Back returns"
    );
    until("the navigate event", || {
        (!seen.borrow().is_empty()).then_some(())
    })
    .await;
    assert_eq!(seen.borrow().as_slice(), ["#jiedu-s1-2"]);
}

#[wasm_bindgen_test]
async fn copy_link_copies_or_falls_back_to_the_address_bar() {
    reset_page();
    let w = mount_sample(Options::default());
    w.click("#jiedu-s1-1 .copy").await;
    let button = until("copy feedback", || w.find("#jiedu-s1-1 .copy.done")).await;
    match button.text_content().unwrap().as_str() {
        // The clipboard took it.
        "已复制链接" => {}
        // Headless Chromium may refuse the clipboard to an unfocused page: the link goes to
        // the address bar instead.
        "链接已显示在地址栏" => assert_eq!(hash(), "#jiedu-s1-1"),
        other => panic!("unexpected feedback {other:?}"),
    }
    assert_eq!(
        attr(&button, "aria-label").split('：').nth(1),
        Some("（一）规范政务信息管理")
    );
}

#[wasm_bindgen_test]
async fn with_two_widgets_links_name_their_document() {
    reset_page();
    let a = mount_sample(Options::default());
    let mut other = jiedu_widget::sample::document();
    other.id = "other".into();
    let b = crate::support::mount_doc(other, Options::default());
    let link = b.wait_for("nav.toc a").await;
    assert_eq!(attr(&link, "href"), "#jiedu-other/s1");
    a.wait_for("nav.toc").await;
    // The long form reaches only its own document.
    set_hash("jiedu-other/s2");
    until("widget b to go to s2", || b.find("#jiedu-s2.target")).await;
    assert!(a.find("#jiedu-s2.target").is_none());
    // The short form reaches every widget whose document has the id.
    set_hash("jiedu-s1");
    until("both widgets to go to s1", || {
        (a.find("#jiedu-s1.target").is_some() && b.find("#jiedu-s1.target").is_some()).then_some(())
    })
    .await;
}

use wasm_bindgen::JsCast;
