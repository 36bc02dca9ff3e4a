//! Browser tests of the widget, run in headless Chromium by wasm-bindgen-test-runner.
#![cfg(target_arch = "wasm32")]
