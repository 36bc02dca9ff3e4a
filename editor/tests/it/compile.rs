//! The compiler and the import as the page calls them.

use expect_test::expect;
use wasm_bindgen_test::wasm_bindgen_test;

use super::{SOURCE, broken, json};

/// One line per diagnostic: what the diagnostics panel lists.
fn listing(value: &serde_json::Value) -> String {
    value["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{} {} {}:{} [{}..{}] {}\n",
                d["severity"].as_str().unwrap(),
                d["code"].as_str().unwrap(),
                d["line"],
                d["column"],
                d["from"],
                d["to"],
                d["message"].as_str().unwrap(),
            )
        })
        .collect()
}

#[wasm_bindgen_test]
fn compiles_in_wasm_with_warnings_and_the_document() {
    let value = json(&jiedu_editor::compile(SOURCE));
    expect![[r#"
        warning J1007 15:1 [193..213] 图片没有替代文字
    "#]]
    .assert_eq(&listing(&value));
    assert_eq!(value["ok"], true);
    assert_eq!(value["id"], "editor-test");
    let document: serde_json::Value =
        serde_json::from_str(value["json"].as_str().unwrap()).unwrap();
    assert_eq!(document["title"], "编辑器测试文件");
    assert!(
        value["diagnostics"][0]["hint"]
            .as_str()
            .is_some_and(|h| h.contains("!["))
    );
}

#[wasm_bindgen_test]
fn an_error_leaves_no_document() {
    let value = json(&jiedu_editor::compile(&broken()));
    expect![[r#"
        error J0008 11:46 [167..169] 没有 id 为 `s9` 的条款
        warning J1007 15:1 [200..220] 图片没有替代文字
    "#]]
    .assert_eq(&listing(&value));
    assert_eq!(
        (value["ok"].as_bool(), value["errors"].as_u64()),
        (Some(false), Some(1))
    );
    assert!(value["json"].is_null());
}

#[wasm_bindgen_test]
fn import_gives_markdown_that_compiles() {
    let text = "云川市人民政府办公室关于做好政务公开工作的通知\n\n各县（区）人民政府：\n\n一、总体要求\n坚持以公开为常态。\n\n云川市人民政府办公室\n2021年6月2日\n";
    let value = json(&jiedu_editor::import_text(text));
    let markdown = value["markdown"].as_str().unwrap();
    assert!(markdown.contains("总体要求"), "{markdown}");
    assert!(value["notes"].is_array());
    // The summary the page shows above the notes, in Chinese, as `jiedu import` prints it.
    let summary = &value["summary"];
    assert_eq!(
        summary["provisions"],
        serde_json::json!([{ "level": "一、", "count": 1 }])
    );
    let text = summary["text"].as_str().unwrap();
    assert!(text.starts_with("导入摘要：\n  条款：一、 1\n"), "{text}");
    let compiled = json(&jiedu_editor::compile(markdown));
    assert_eq!(compiled["errors"], 0, "{compiled}");
}

#[wasm_bindgen_test]
fn samples_are_offered_and_compile_cleanly() {
    let samples = json(&jiedu_editor::samples());
    let samples = samples.as_array().unwrap();
    assert_eq!(samples.len(), 4);
    for sample in samples {
        let compiled = json(&jiedu_editor::compile(sample["markdown"].as_str().unwrap()));
        assert_eq!(compiled["id"], sample["id"]);
        assert_eq!(compiled["diagnostics"], serde_json::json!([]));
    }
}
