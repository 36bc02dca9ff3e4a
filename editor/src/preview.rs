//! The live preview: the real widget ([`jiedu_widget::App`]) mounted in an element of the editor
//! page, fed with each document that compiles.
//!
//! The widget's own `mount` fetches its document; here the document comes from the compiler, so
//! the preview mounts the `App` component itself with the widget's shadow-root preparation, and
//! hands it every new document as new props. That keeps the reader's state (open folds, search,
//! scroll position) while the editor types. A change of the view options (layout, large text,
//! language, theme) mounts the widget again, so each option takes effect exactly as it would on
//! a host page that sets the matching `data-*` attribute.

use std::cell::RefCell;
use std::rc::Rc;

use jiedu_core::{Document, Lang};
use jiedu_widget::state::ELDER_KEY;
use jiedu_widget::{App, AppProps, Options, host};
use wasm_bindgen::prelude::*;
use web_sys::Element;
use yew::AppHandle;

use crate::{report, to_js};

/// The preview of one editor page, created from JavaScript with `new Preview(element, options)`.
#[wasm_bindgen]
pub struct Preview {
    host: Element,
    options: Options,
    /// The last document that compiled without errors: what the preview shows.
    document: Option<Rc<Document>>,
    mounted: Option<Mounted>,
}

struct Mounted {
    app: AppHandle<App>,
    container: Element,
}

#[wasm_bindgen]
impl Preview {
    /// A preview rendering into `host` (its shadow root is created on the first document) with
    /// the view options `{layout, elder, lang, theme}` (see [`Preview::set_options`]).
    #[wasm_bindgen(constructor)]
    pub fn new(host: Element, options: JsValue) -> Preview {
        crash::watch(&host);
        Preview {
            host,
            options: view_options(&options),
            document: None,
            mounted: None,
        }
    }

    /// Compiles `source` and, when it has no error, shows the document. Returns the compile
    /// report of [`crate::compile`] with one more field, `stale`: true when the preview still
    /// shows an earlier document (or none) because this source has errors. The diagnostics are
    /// in `lang` (the page's language, `zh-CN` or `en`), or without it in the document's.
    pub fn update(&mut self, source: &str, lang: Option<String>) -> Result<JsValue, JsValue> {
        let mut compiled = jiedu_core::authoring::compile(source);
        match lang.as_deref() {
            Some("en") => compiled = compiled.in_lang(Lang::En),
            Some("zh-CN" | "zh") => compiled = compiled.in_lang(Lang::ZhCn),
            _ => {}
        }
        let mut value = report::compiled(source, &compiled);
        let stale = match compiled.document {
            Some(document) => {
                self.show(document)?;
                false
            }
            None => true,
        };
        value["stale"] = stale.into();
        Ok(to_js(&value))
    }

    /// Changes the view options: `layout` (`side-by-side`, `inline`, `key-points`), `elder`
    /// (boolean: large type, high contrast), `lang` (`zh-CN`, `en`: the widget's UI language),
    /// `theme` (`auto`, `light`, `dark`). The widget is mounted again with them.
    #[wasm_bindgen(js_name = setOptions)]
    pub fn set_options(&mut self, options: JsValue) -> Result<(), JsValue> {
        self.options = view_options(&options);
        self.unmount();
        if let Some(document) = self.document.clone() {
            self.mount(document)?;
        }
        Ok(())
    }

    /// True once a document has been shown.
    #[wasm_bindgen(getter, js_name = hasDocument)]
    pub fn has_document(&self) -> bool {
        self.document.is_some()
    }

    /// Removes the widget from the page.
    pub fn destroy(mut self) {
        self.unmount();
    }
}

impl Preview {
    fn show(&mut self, document: Document) -> Result<(), JsValue> {
        let document = Rc::new(document);
        self.document = Some(document.clone());
        // A hash in the page's URL (left by a click in the preview) would send the widget back
        // to its target on every new document; while editing, the preview stays where it is.
        clear_hash();
        match &mut self.mounted {
            Some(mounted) => {
                mounted.app.update(AppProps {
                    options: self.options.clone(),
                    document: Some(document),
                });
                Ok(())
            }
            None => self.mount(document),
        }
    }

    fn mount(&mut self, document: Rc<Document>) -> Result<(), JsValue> {
        // The reader's remembered large-text choice wins over `data-elder` in the widget; in
        // the preview the editor's toggle decides, so it is written where the widget looks.
        let elder = self.options.elder.unwrap_or(false);
        host::storage_set(ELDER_KEY, if elder { "1" } else { "0" });
        let container = host::prepare(&self.host)?;
        let app = yew::Renderer::<App>::with_root_and_props(
            container.clone(),
            AppProps {
                options: self.options.clone(),
                document: Some(document),
            },
        )
        .render();
        self.mounted = Some(Mounted { app, container });
        Ok(())
    }

    fn unmount(&mut self) {
        if let Some(Mounted { app, container }) = self.mounted.take() {
            app.destroy();
            container.remove();
        }
    }
}

impl Drop for Preview {
    fn drop(&mut self) {
        self.unmount();
        crash::forget(&self.host);
    }
}

/// A panic leaves the wasm instance unusable: every preview on the page then says so, instead
/// of freezing while the editor types on. (The citizen widget's bundles abort on a panic, and
/// their loader reports it; the editor is built with the panic hook.)
mod crash {
    use super::*;

    thread_local! {
        static HOSTS: RefCell<Vec<Element>> = const { RefCell::new(Vec::new()) };
    }

    /// Shows the crash message in `host` if the code panics; installs the hook once.
    pub fn watch(host: &Element) {
        let first = HOSTS.with(|h| {
            let mut hosts = h.borrow_mut();
            hosts.push(host.clone());
            hosts.len() == 1
        });
        if first {
            yew::set_custom_panic_hook(Box::new(|info| {
                web_sys::console::error_1(&JsValue::from_str(&format!("jiedu preview: {info}")));
                HOSTS.with(|h| {
                    if let Ok(hosts) = h.try_borrow() {
                        hosts.iter().for_each(show);
                    }
                });
            }));
        }
    }

    pub fn forget(host: &Element) {
        HOSTS.with(|h| h.borrow_mut().retain(|e| e != host));
    }

    fn show(host: &Element) {
        let english = host
            .owner_document()
            .and_then(|d| d.document_element())
            .and_then(|e| e.get_attribute("lang"))
            .is_some_and(|l| l.starts_with("en"));
        let message = if english {
            "The preview stopped working. Reload the page."
        } else {
            "预览出错，请重新加载页面。"
        };
        let target = host
            .shadow_root()
            .map_or_else(|| host.clone().into(), web_sys::Node::from);
        target.set_text_content(Some(message));
    }
}

/// The widget options of the preview: only the view options count; the document never comes
/// from a URL.
fn view_options(value: &JsValue) -> Options {
    let mut options = Options::from_js(value);
    options.source = Default::default();
    options.provision = None;
    options
}

fn clear_hash() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    if location.hash().is_ok_and(|h| !h.is_empty()) {
        let url = format!(
            "{}{}",
            location.pathname().unwrap_or_default(),
            location.search().unwrap_or_default()
        );
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
        }
    }
}
