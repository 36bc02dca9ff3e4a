//! jiedu-widget: the citizen-facing widget that a government site embeds with one script tag.
//!
//! The hand-written loader (`widget/loader/jiedu.js`, copied to `dist/`) finds the script tags,
//! `<jiedu-widget>` elements and `Jiedu.mount` calls of the host page and calls [`mount`] for each
//! of them once the wasm is loaded. Everything after that happens here: a Shadow DOM root per
//! widget (so host CSS cannot break it), a constructable stylesheet (so a strict CSP needs no
//! `unsafe-inline`), fetching and checking the compiled JSON, and rendering it with yew.
//!
//! The Rust API ([`mount_with`]) mounts from an in-memory [`Document`] as well: the tests use it,
//! and so can an editor preview that renders the real components.
//!
//! Commenting on a draft (意见征集) lives in `commenting`, compiled only with the `commenting`
//! feature: the build makes a reading bundle without it and a commenting bundle with it, and the
//! loader fetches the second only for a document with a consultation.
//!
//! The pure parts (options, anchors, search, state, load checks, i18n, the commenting protocol
//! and stored records) do not touch the DOM and are unit-tested natively; the DOM parts are
//! tested in headless Chromium (`tests/it`).

pub mod anchor;
pub mod app;
#[cfg(feature = "commenting")]
pub mod commenting;
pub mod components;
pub mod decode;
pub mod hooks;
pub mod host;
pub mod i18n;
pub mod load;
pub mod options;
pub mod outline;
pub mod progressive;
pub mod rich;
pub mod sample;
pub mod search;
pub mod state;

use std::rc::Rc;

use jiedu_core::Document;
use wasm_bindgen::prelude::*;
use web_sys::Element;
use yew::AppHandle;

pub use app::{App, AppProps};
pub use options::Options;

/// A mounted widget, returned to JavaScript by [`mount`].
#[wasm_bindgen]
pub struct Handle {
    app: Option<AppHandle<App>>,
    container: Element,
    document: Option<Rc<Document>>,
}

#[wasm_bindgen]
impl Handle {
    /// Removes the widget from its host element and frees everything it holds.
    pub fn unmount(mut self) {
        self.teardown();
    }

    /// Re-renders the widget with new options (what a changed `data-*` attribute does).
    /// A new source is fetched again; a new layout, theme or language applies at once.
    pub fn update(&mut self, options: JsValue) {
        self.update_with(Options::from_js(&options));
    }
}

impl Handle {
    /// Like [`Handle::update`], with options built in Rust.
    pub fn update_with(&mut self, options: Options) {
        if let Some(app) = self.app.as_mut() {
            app.update(AppProps {
                options,
                document: self.document.clone(),
            });
        }
    }

    /// The element yew renders into, inside the host's shadow root.
    pub fn container(&self) -> &Element {
        &self.container
    }

    fn teardown(&mut self) {
        if let Some(app) = self.app.take() {
            app.destroy();
            self.container.remove();
        }
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        self.teardown();
    }
}

/// Mounts a widget into `host` (any element; its shadow root is created or reused) with the
/// options object of the loader (`src`, `document`, `api`, `lang`, `layout`, `theme`, `elder`,
/// `provision`, all strings; `elder` may also be a boolean).
#[wasm_bindgen]
pub fn mount(host: Element, options: JsValue) -> Result<Handle, JsValue> {
    mount_with(&host, Options::from_js(&options), None)
}

/// The version of the compiled JSON format this widget reads.
#[wasm_bindgen(js_name = formatVersion)]
pub fn format_version() -> u32 {
    jiedu_core::FORMAT_VERSION
}

/// Mounts a widget into `host`. With `document`, the widget renders it without fetching anything
/// (tests, previews); without, it loads what `options` names.
pub fn mount_with(
    host: &Element,
    options: Options,
    document: Option<Rc<Document>>,
) -> Result<Handle, JsValue> {
    let container = host::prepare(host)?;
    let app = yew::Renderer::<App>::with_root_and_props(
        container.clone(),
        AppProps {
            options,
            document: document.clone(),
        },
    )
    .render();
    Ok(Handle {
        app: Some(app),
        container,
        document,
    })
}

// Talc instead of Rust's default dlmalloc: measured smaller in the bundle (and faster).
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
