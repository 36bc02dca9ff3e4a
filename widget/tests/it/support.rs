//! Mounting widgets into the test page and waiting for what they render.

use std::rc::Rc;

use jiedu_core::Document;
use jiedu_widget::{Handle, Options, mount_with};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, HtmlElement, ShadowRoot};

/// A widget mounted into a fresh element of the test page; unmounted and removed on drop.
pub struct Mounted {
    pub host: Element,
    pub handle: Option<Handle>,
}

impl Mounted {
    pub fn root(&self) -> ShadowRoot {
        self.host
            .shadow_root()
            .expect("the widget has a shadow root")
    }

    pub fn find(&self, selector: &str) -> Option<Element> {
        self.root()
            .query_selector(selector)
            .expect("valid selector")
    }

    pub fn all(&self, selector: &str) -> Vec<Element> {
        let list = self
            .root()
            .query_selector_all(selector)
            .expect("valid selector");
        (0..list.length())
            .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
            .collect()
    }

    pub fn text(&self, selector: &str) -> String {
        self.find(selector)
            .and_then(|e| e.text_content())
            .unwrap_or_default()
    }

    /// Waits until `selector` matches, and returns the element.
    pub async fn wait_for(&self, selector: &str) -> Element {
        until(selector, || self.find(selector)).await
    }

    pub async fn click(&self, selector: &str) {
        let element = self.wait_for(selector).await;
        element.unchecked_into::<HtmlElement>().click();
    }

    /// Types into the search box the way a keyboard does: sets the value, fires `input`.
    pub async fn type_query(&self, query: &str) {
        let input: web_sys::HtmlInputElement =
            self.wait_for("input[type=search]").await.unchecked_into();
        input.set_value(query);
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        let event = web_sys::Event::new_with_event_init_dict("input", &init).unwrap();
        input.dispatch_event(&event).unwrap();
    }

    pub fn unmount(mut self) {
        if let Some(handle) = self.handle.take() {
            handle.unmount();
        }
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        drop(self.handle.take());
        self.host.remove();
    }
}

pub fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// A fresh host element at the end of the test page.
pub fn new_host() -> Element {
    let host = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&host).unwrap();
    host
}

/// Mounts the sample document (no fetch) with the given options.
pub fn mount_sample(options: Options) -> Mounted {
    mount_doc(jiedu_widget::sample::document(), options)
}

pub fn mount_doc(doc: Document, options: Options) -> Mounted {
    let host = new_host();
    let handle = mount_with(&host, options, Some(Rc::new(doc))).expect("mounts");
    Mounted {
        host,
        handle: Some(handle),
    }
}

/// Mounts from a URL, as the loader does.
pub fn mount_url(url: &str) -> Mounted {
    let host = new_host();
    let options = Options {
        source: jiedu_widget::options::Source::Url(url.into()),
        ..Options::default()
    };
    let handle = mount_with(&host, options, None).expect("mounts");
    Mounted {
        host,
        handle: Some(handle),
    }
}

/// A `blob:` URL serving `json`, for fetch tests without a server of our own.
pub fn blob_url(json: &str) -> String {
    let parts = js_sys::Array::of1(&JsValue::from_str(json));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).unwrap();
    web_sys::Url::create_object_url_with_blob(&blob).unwrap()
}

/// Lets the browser run timers, fetches and yew's scheduler for a moment.
pub async fn tick() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 10)
            .unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

/// Polls `probe` until it returns `Some`, for up to five seconds.
pub async fn until<T>(what: &str, mut probe: impl FnMut() -> Option<T>) -> T {
    for _ in 0..500 {
        if let Some(value) = probe() {
            return value;
        }
        tick().await;
    }
    panic!("timed out waiting for {what}");
}

/// Resets what widgets share through the page: the URL hash, the remembered elder choice, the
/// page language (a Chinese host page) and widgets a failed test left behind.
pub fn reset_page() {
    let window = web_sys::window().unwrap();
    let page = document();
    page.document_element()
        .unwrap()
        .set_attribute("lang", "zh-CN")
        .unwrap();
    let stray = page.query_selector_all("[data-jiedu-host]").unwrap();
    for i in 0..stray.length() {
        if let Some(node) = stray.item(i) {
            node.unchecked_into::<Element>().remove();
        }
    }
    let history = window.history().unwrap();
    let path = window.location().pathname().unwrap();
    history
        .replace_state_with_url(&JsValue::NULL, "", Some(&path))
        .unwrap();
    window
        .local_storage()
        .unwrap()
        .unwrap()
        .remove_item(jiedu_widget::state::ELDER_KEY)
        .unwrap();
}

pub fn hash() -> String {
    web_sys::window().unwrap().location().hash().unwrap()
}

pub fn attr(element: &Element, name: &str) -> String {
    element.get_attribute(name).unwrap_or_default()
}
