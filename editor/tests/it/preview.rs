//! The preview: the real widget renders the compiled document into the page, keeps the last good
//! document while the source has errors, and follows the view options.

use jiedu_editor::Preview;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::Element;

use super::{SOURCE, broken, json, until};

fn host() -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    host
}

fn options(json: &str) -> wasm_bindgen::JsValue {
    js_sys::JSON::parse(json).unwrap()
}

/// The rendered text of the widget, inside its shadow root.
fn text(host: &Element) -> String {
    host.shadow_root()
        .and_then(|root| root.text_content())
        .unwrap_or_default()
}

fn has(host: &Element, selector: &str) -> bool {
    host.shadow_root()
        .and_then(|root| root.query_selector(selector).ok().flatten())
        .is_some()
}

#[wasm_bindgen_test]
async fn renders_provisions_and_keeps_the_last_good_document() {
    let host = host();
    let mut preview = Preview::new(
        host.clone(),
        options(r#"{"layout":"side-by-side","lang":"zh-CN","elder":false}"#),
    );
    assert!(!preview.has_document());

    let report = json(&preview.update(SOURCE, None).unwrap());
    assert_eq!(
        (report["ok"].as_bool(), report["stale"].as_bool()),
        (Some(true), Some(false))
    );
    until("the clause text", || {
        text(&host).contains("为了检验编辑器的实时预览")
    })
    .await;
    let page = text(&host);
    assert!(page.contains("编辑器测试文件"), "the title: {page}");
    assert!(
        page.contains("直接使用挂件组件渲染"),
        "the interpretation: {page}"
    );
    assert!(has(&host, ".content > .side-by-side"));

    // An error: the report says so, and the preview keeps the last good document.
    let report = json(&preview.update(&broken(), Some("en".into())).unwrap());
    assert_eq!(
        (report["ok"].as_bool(), report["stale"].as_bool()),
        (Some(false), Some(true))
    );
    assert!(text(&host).contains("为了检验编辑器的实时预览"));
    assert!(!text(&host).contains("错误版本"));

    // Fixed again: the new text replaces the old.
    let fixed = SOURCE.replace("实时预览", "修改之后");
    preview.update(&fixed, None).unwrap();
    until("the edited clause", || {
        text(&host).contains("为了检验编辑器的修改之后")
    })
    .await;

    // View options: layout, large text, language.
    preview
        .set_options(options(r#"{"layout":"inline","lang":"en","elder":true}"#))
        .unwrap();
    until("the inline layout", || has(&host, ".content > .inline")).await;
    assert!(has(&host, ".jiedu.elder"), "large text");
    let section = host
        .shadow_root()
        .unwrap()
        .query_selector("section.jiedu")
        .unwrap()
        .unwrap();
    assert_eq!(section.get_attribute("lang").as_deref(), Some("en"));
    assert!(
        text(&host).contains("为了检验编辑器的修改之后"),
        "same document after remount"
    );

    preview
        .set_options(options(r#"{"layout":"key-points","elder":false}"#))
        .unwrap();
    until("the key-points layout", || {
        has(&host, ".content > .key-points")
    })
    .await;
    assert!(!has(&host, ".jiedu.elder"));

    preview.destroy();
    assert!(!has(&host, ".jiedu"), "destroy empties the shadow root");
    host.unchecked_into::<web_sys::HtmlElement>().remove();
}
