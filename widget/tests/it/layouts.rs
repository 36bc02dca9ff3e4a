//! Switching between the side-by-side, inline and key-points layouts.

use jiedu_widget::Options;
use jiedu_widget::state::Layout;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::{attr, mount_sample, reset_page, until};

#[wasm_bindgen_test]
async fn the_reader_switches_layouts() {
    reset_page();
    let w = mount_sample(Options::default());
    w.wait_for(".side-by-side").await;
    assert_eq!(
        attr(&w.find("button.side-by-side").unwrap(), "aria-pressed"),
        "true"
    );

    w.click("button.inline").await;
    w.wait_for(".content > .inline").await;
    assert!(w.find(".side-by-side .row").is_none());
    assert_eq!(
        attr(&w.find("button.inline").unwrap(), "aria-pressed"),
        "true"
    );
    assert_eq!(
        attr(&w.find("button.side-by-side").unwrap(), "aria-pressed"),
        "false"
    );
    // Interpretations are folded under their clause.
    let fold = w.find("#jiedu-s1-2 ~ .fold").unwrap();
    assert_eq!(attr(&fold, "aria-expanded"), "false");
    assert_eq!(fold.text_content().unwrap(), "查看解读（2）");
    assert!(w.find("#jiedu-s1-2-panel.closed #jiedu-i-why").is_some());
    w.click("#jiedu-s1-2 ~ .fold").await;
    until("the fold to open", || {
        w.find("#jiedu-s1-2-panel:not(.closed)")
    })
    .await;
    assert_eq!(attr(&fold, "aria-expanded"), "true");
    assert_eq!(fold.text_content().unwrap(), "收起解读");

    w.click("button.key-points").await;
    w.wait_for(".content > .key-points").await;
    let groups: Vec<String> = w
        .all(".group h3")
        .iter()
        .map(|h| h.text_content().unwrap())
        .collect();
    assert_eq!(groups, ["出台背景", "主要考虑", "要点", "图解"]);
    // Each card links back to its clauses, which the original text below holds.
    let back: Vec<String> = w
        .all("#jiedu-i-graphic .related a")
        .iter()
        .map(|a| attr(a, "href"))
        .collect();
    assert_eq!(back, ["#jiedu-s1-2", "#jiedu-s2"]);
    assert!(w.find(".original-text #jiedu-s2").is_some());
}

#[wasm_bindgen_test]
async fn the_editor_picks_the_layout_and_a_changed_option_applies() {
    reset_page();
    let mut w = mount_sample(Options {
        layout: Some(Layout::KeyPoints),
        ..Options::default()
    });
    w.wait_for(".content > .key-points").await;
    w.handle.as_mut().unwrap().update_with(Options {
        layout: Some(Layout::Inline),
        ..Options::default()
    });
    w.wait_for(".content > .inline").await;
}
