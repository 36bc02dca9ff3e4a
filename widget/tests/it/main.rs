//! Browser tests of the widget: real yew rendering in headless Chromium, driven through the DOM
//! the way a reader would (clicks, typing, the URL hash, Back). Run with
//! `cargo test -p jiedu-widget --target wasm32-unknown-unknown --test it` (the runner is set in
//! `.cargo/config.toml`), or `cargo xtask test`.
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod commenting;
mod errors;
mod host;
mod layouts;
mod links;
mod progressive;
mod render;
mod search;
mod support;
