//! What a mounted document shows: header, contents, clauses beside their interpretations,
//! timeline, FAQs, and rich text rendered safely.

use jiedu_widget::Options;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::{attr, mount_doc, mount_sample, reset_page};

#[wasm_bindgen_test]
async fn header_contents_and_landmarks() {
    reset_page();
    let w = mount_sample(Options::default());
    w.wait_for(".head").await;
    assert_eq!(w.text(".title"), "示例市政务公开工作要点");
    assert_eq!(w.text(".badges"), "现行有效主动公开");
    let facts = w.text(".facts");
    assert!(facts.contains("示政办发〔2021〕39号"), "{facts}");
    assert!(facts.contains("2021-07-01"), "{facts}");
    let region = w.find("section.jiedu").unwrap();
    assert_eq!(
        attr(&region, "aria-label"),
        "政策解读：示例市政务公开工作要点"
    );
    assert_eq!(attr(&region, "lang"), "zh-CN");
    assert_eq!(w.all("h2").len(), 1, "one document title");
    let toc: Vec<String> = w.all("nav.toc a").iter().map(|a| attr(a, "href")).collect();
    assert_eq!(
        toc,
        ["#jiedu-s1", "#jiedu-s1-1", "#jiedu-s1-2", "#jiedu-s2"]
    );
    assert_eq!(attr(&w.find("nav.toc").unwrap(), "aria-label"), "目录");
}

#[wasm_bindgen_test]
async fn side_by_side_puts_interpretations_beside_their_clauses() {
    reset_page();
    let w = mount_sample(Options::default());
    w.wait_for(".side-by-side").await;
    let rows = w.all(".side-by-side .row:not(.heads)");
    assert_eq!(rows.len(), 4);
    let row_of = |clause: &str| {
        rows.iter()
            .find(|r| {
                r.query_selector(&format!("#jiedu-{clause}"))
                    .unwrap()
                    .is_some()
            })
            .unwrap()
            .clone()
    };
    let cards = |clause: &str| -> Vec<String> {
        let list = row_of(clause)
            .query_selector_all(".explained .card .card-title")
            .unwrap();
        (0..list.length())
            .map(|i| list.item(i).unwrap().text_content().unwrap())
            .collect()
    };
    assert_eq!(cards("s1-1"), ["出台背景"]);
    assert_eq!(cards("s1-2"), ["主要考虑", "一图读懂"]);
    assert_eq!(cards("s2"), ["一图读懂"]);
    // An interpretation of two clauses is shown beside both; only the first copy holds the id.
    assert_eq!(w.all("[id='jiedu-i-graphic']").len(), 1);
    assert!(
        row_of("s1-2")
            .query_selector("#jiedu-i-graphic")
            .unwrap()
            .is_some()
    );
    assert!(row_of("s1").class_name().split(' ').any(|c| c == "bare"));
    // The whole-document interpretation sits above the clauses; the follow-up in the timeline.
    assert!(w.find(".overall #jiedu-i-kp").is_some());
    assert!(w.find(".timeline #jiedu-i-fu").is_some());
    assert!(w.find(".side-by-side #jiedu-i-fu").is_none());
    assert_eq!(w.text("#jiedu-i-bg .kind"), "出台背景");
    assert_eq!(w.text("#jiedu-i-bg .meta"), "解读：市政府办公室2021-06-10");
}

#[wasm_bindgen_test]
async fn rich_text_is_rendered_as_nodes_and_unsafe_urls_lose_their_link() {
    reset_page();
    let w = mount_sample(Options::default());
    let card = w.wait_for("#jiedu-i-graphic").await;
    let html = card.inner_html();
    assert!(!html.contains("javascript:"), "{html}");
    assert!(card.text_content().unwrap().contains("恶意链接"));
    let links: Vec<String> = w
        .all("#jiedu-i-graphic a")
        .iter()
        .map(|a| attr(a, "href"))
        .collect();
    assert!(
        links.contains(&"https://www.gov.cn/zhengce/".to_owned()),
        "{links:?}"
    );
    let img = w.find("#jiedu-i-graphic img").unwrap();
    assert_eq!(attr(&img, "alt"), "办事流程图");
    let video = w.find("#jiedu-i-graphic video").unwrap();
    assert!(video.has_attribute("controls"));
    assert_eq!(attr(&video, "aria-label"), "政策解读视频");
    let track = w.find("#jiedu-i-graphic video > track").unwrap();
    assert_eq!(
        (
            attr(&track, "kind"),
            attr(&track, "srclang"),
            attr(&track, "src")
        ),
        (
            "captions".to_owned(),
            "zh".to_owned(),
            "/media/explain.vtt".to_owned()
        )
    );
    assert!(track.has_attribute("default"));
    assert_eq!(w.all("#jiedu-i-graphic table th").len(), 2);
    assert!(
        w.find("#jiedu-i-graphic td.right").is_some(),
        "alignment by class, not style"
    );
    assert!(
        w.find("[style]").is_none(),
        "no style attributes anywhere (CSP)"
    );
}

#[wasm_bindgen_test]
async fn faqs_fold_with_aria_expanded() {
    reset_page();
    let w = mount_sample(Options::default());
    let button = w.wait_for("#jiedu-faq-q1 .question button").await;
    assert_eq!(attr(&button, "aria-expanded"), "false");
    assert_eq!(attr(&button, "aria-controls"), "jiedu-faq-q1-answer");
    assert!(w.find("#jiedu-faq-q1-answer.closed").is_some());
    w.click("#jiedu-faq-q1 .question button").await;
    crate::support::until("the answer to open", || {
        w.find("#jiedu-faq-q1-answer:not(.closed)")
    })
    .await;
    assert_eq!(attr(&button, "aria-expanded"), "true");
    assert_eq!(w.text("#jiedu-faq-q1 .related a"), "（一）规范政务信息管理");
}

/// The closing (结尾) comes after the last clause, apart from the provisions, in every layout;
/// a document without one shows none.
#[wasm_bindgen_test]
async fn the_closing_follows_the_last_clause() {
    use jiedu_core::rich::{Block, Inline, RichText};
    use jiedu_widget::state::Layout;

    reset_page();
    let w = mount_sample(Options::default());
    w.wait_for(".side-by-side").await;
    assert!(w.find(".closing").is_none());
    w.unmount();

    let mut doc = jiedu_widget::sample::document();
    let line = |s: &str| Block::Paragraph {
        c: vec![Inline::Text { s: s.into() }],
    };
    doc.closing = RichText(vec![
        line("以上通知，请认真贯彻执行。"),
        line("示例市人民政府办公室"),
        line("<b>2021年6月2日</b>"),
    ]);
    for layout in [Layout::SideBySide, Layout::Inline, Layout::KeyPoints] {
        reset_page();
        let w = mount_doc(
            doc.clone(),
            Options {
                layout: Some(layout),
                ..Options::default()
            },
        );
        let closing = w.wait_for(".content > .closing").await;
        let paragraphs: Vec<String> = w
            .all(".closing p")
            .iter()
            .map(|p| p.text_content().unwrap())
            .collect();
        assert_eq!(
            paragraphs,
            [
                "以上通知，请认真贯彻执行。",
                "示例市人民政府办公室",
                "<b>2021年6月2日</b>"
            ],
            "{layout:?}"
        );
        assert!(w.find(".closing b").is_none(), "text, never HTML");
        let last_clause = w.find("#jiedu-s2").unwrap();
        assert_eq!(
            last_clause.compare_document_position(&closing)
                & web_sys::Node::DOCUMENT_POSITION_FOLLOWING,
            web_sys::Node::DOCUMENT_POSITION_FOLLOWING,
            "{layout:?}: the closing follows the last clause"
        );
        assert!(
            w.find(".closing [id^='jiedu-']").is_none(),
            "the closing is no clause"
        );
        w.unmount();
    }
}

/// A repealed or expired document says so above its title, with the date; a document that
/// replaces another links to the server's 修订对照 page, and an ordinary one does not.
#[wasm_bindgen_test]
async fn a_lapsed_document_says_so_and_a_final_version_links_to_the_comparison() {
    use jiedu_core::{Lapse, LapseKind};
    reset_page();
    let mut doc = jiedu_widget::sample::document();
    doc.lapsed = Some(Lapse {
        kind: LapseKind::Repealed,
        on: "2026-12-20".parse().unwrap(),
    });
    doc.replaces = Some("sample-draft".into());
    let options = Options {
        api: Some("https://zwgk.example.gov.cn".into()),
        ..Options::default()
    };
    let w = crate::support::mount_doc(doc, options);
    w.wait_for(".head").await;
    let lapsed = w
        .find(".head > .lapsed:first-child")
        .expect("the notice comes first");
    assert_eq!(lapsed.text_content().unwrap(), "已废止（自2026-12-20起）");
    assert_eq!(attr(&lapsed, "role"), "note");
    let link = w.find(".head a.compare").expect("the compare link");
    assert_eq!(link.text_content().unwrap(), "修订对照");
    assert_eq!(
        attr(&link, "href"),
        "https://zwgk.example.gov.cn/documents/sample/compare"
    );
    w.unmount();

    let w = mount_sample(Options {
        api: Some("https://zwgk.example.gov.cn".into()),
        ..Options::default()
    });
    w.wait_for(".head").await;
    assert!(w.find(".lapsed").is_none());
    assert!(w.find("a.compare").is_none());
}
