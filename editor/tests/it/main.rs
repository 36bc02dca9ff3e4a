//! Browser tests of the editor bundle, run in headless Chromium by wasm-bindgen-test-runner
//! (`cargo xtask` runs them; see `xtask/src/editor.rs`).
#![cfg(target_arch = "wasm32")]

mod compile;
mod preview;

use serde_json::Value;
use wasm_bindgen::JsValue;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// A public document with one clause, one interpretation and an image without alt text
/// (warning J1007, on line 15).
pub const SOURCE: &str = "+++
id = \"editor-test\"
title = \"编辑器测试文件\"
status = \"in-force\"
disclosure = \"public\"
+++
# 一、总则 {#s1}

为了检验编辑器的实时预览，制定本办法。

## 出台背景 {.interpretation kind=background}

预览必须与公众看到的一致，因此直接使用挂件组件渲染。

![](media/chart.svg)
";

/// [`SOURCE`] with a `for=` naming no provision (error J0008, line 11) and a changed clause.
pub fn broken() -> String {
    SOURCE
        .replace("kind=background}", "kind=background for=s9}")
        .replace("实时预览", "错误版本")
}

/// A result object of the bundle as JSON, to assert on with serde_json.
pub fn json(value: &JsValue) -> Value {
    let text = js_sys::JSON::stringify(value).expect("a plain object");
    serde_json::from_str(&String::from(text)).expect("valid JSON")
}

/// Waits (polling every 20 ms, at most 5 s) until `ready` holds; the renders of yew are
/// scheduled, not synchronous.
pub async fn until(what: &str, ready: impl Fn() -> bool) {
    for _ in 0..250 {
        if ready() {
            return;
        }
        let tick = js_sys::Promise::new(&mut |resolve, _| {
            web_sys::window()
                .unwrap()
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20)
                .unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(tick).await.unwrap();
    }
    panic!("timed out waiting for {what}");
}
