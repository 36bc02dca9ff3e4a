//! A long document: its first clauses show first and the rest follow, while deep links and
//! search reach clauses that are not rendered yet.

use jiedu_widget::Options;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::{hash, mount_doc, reset_page, until};

/// Clauses after the sample's own: enough that rendering them takes many slices.
const N: usize = 600;

fn long() -> jiedu_core::Document {
    jiedu_widget::sample::long(N)
}

fn in_view(element: &web_sys::Element) -> bool {
    let top = element.get_bounding_client_rect().top();
    let height = web_sys::window().unwrap().inner_height().unwrap();
    top >= 0.0 && top < height.as_f64().unwrap()
}

#[wasm_bindgen_test]
async fn a_long_document_shows_its_first_clauses_first_then_all() {
    reset_page();
    let w = mount_doc(long(), Options::default());
    let last = format!("#jiedu-a{N}");
    // Polled without waiting: the first look that finds the first clause.
    let last_shown_with_first = until("the first clause", || {
        w.find("#jiedu-s1").map(|_| w.find(&last).is_some())
    })
    .await;
    assert!(
        !last_shown_with_first,
        "the last clause came with the first"
    );
    until("the last clause", || w.find(&last)).await;
    assert_eq!(w.all(".side-by-side .row:not(.heads)").len(), N + 4);
    assert_eq!(w.all(".card[id^='jiedu-i-ja']").len(), N);
}

#[wasm_bindgen_test]
async fn a_deep_link_to_the_last_clause_scrolls_there() {
    reset_page();
    let history = web_sys::window().unwrap().history().unwrap();
    let target = format!("#jiedu-a{N}");
    history
        .push_state_with_url(&JsValue::NULL, "", Some(&target))
        .unwrap();
    let w = mount_doc(long(), Options::default());
    let clause = until("the last clause to be the target", || {
        w.find(&format!("{target}.target"))
    })
    .await;
    until("the last clause in view", || in_view(&clause).then_some(())).await;
}

#[wasm_bindgen_test]
async fn search_finds_a_clause_not_rendered_yet_and_goes_there() {
    reset_page();
    let w = mount_doc(long(), Options::default());
    let last = format!("#jiedu-a{N}");
    w.wait_for("#jiedu-s1").await;
    w.type_query("末条专有").await;
    let link = until("the result", || w.find(".results li a")).await;
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some(last.as_str()),
        "the clause's link"
    );
    assert!(w.find(&last).is_none(), "the clause is not rendered yet");
    w.click(".results li a").await;
    let clause = until("the clause to be the target", || {
        w.find(&format!("{last}.target"))
    })
    .await;
    assert_eq!(hash(), last);
    until("the clause in view", || in_view(&clause).then_some(())).await;
}
