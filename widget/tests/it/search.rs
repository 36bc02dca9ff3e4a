//! Instant search over FAQs, clauses and interpretations, with highlighted matches.

use jiedu_widget::Options;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::{attr, hash, mount_sample, reset_page, until};

#[wasm_bindgen_test]
async fn chinese_search_finds_and_highlights_across_kinds() {
    reset_page();
    let w = mount_sample(Options::default());
    w.type_query("公开").await;
    let count = until("results", || w.find(".results .count")).await;
    assert_eq!(count.text_content().unwrap(), "找到 5 条结果");
    let kinds: Vec<String> = w
        .all(".results .tag")
        .iter()
        .map(|t| t.text_content().unwrap())
        .collect();
    assert_eq!(kinds, ["问答", "条款", "条款", "解读", "解读"]);
    let marks = w.all(".results mark");
    assert!(marks.len() >= 5);
    assert!(marks.iter().all(|m| m.text_content().unwrap() == "公开"));
    let first = w.find(".results li a").unwrap();
    assert_eq!(attr(&first, "href"), "#jiedu-faq-q1");
    assert_eq!(first.inner_html(), "哪些信息应当主动<mark>公开</mark>？");

    // Choosing a result goes there: the FAQ opens and the URL names it.
    w.click(".results li a").await;
    until("the FAQ to open", || {
        w.find("#jiedu-faq-q1.target #jiedu-faq-q1-answer:not(.closed)")
    })
    .await;
    assert_eq!(hash(), "#jiedu-faq-q1");
}

#[wasm_bindgen_test]
async fn several_terms_narrow_and_nothing_found_says_so() {
    reset_page();
    let w = mount_sample(Options::default());
    w.type_query("目录 标准").await;
    until("two results", || {
        (w.text(".results .count") == "找到 2 条结果").then_some(())
    })
    .await;
    w.type_query("ＡＢＣ不存在").await;
    until("no results", || {
        (w.text(".results .count") == "没有找到与“ＡＢＣ不存在”相关的内容。").then_some(())
    })
    .await;
    w.type_query("  ").await;
    until("the results to close", || {
        w.find(".results").is_none().then_some(())
    })
    .await;
}
