//! Everything that touches the host page outside yew's virtual DOM: the shadow root and its
//! stylesheet, the URL hash and history, CustomEvents, localStorage, media queries, the
//! clipboard. (A panic is the loader's to report: the release build aborts with a trap at once,
//! so no Rust panic hook would run; see `widget/loader/jiedu.js`.)
//!
//! Calls into the browser that can throw are made through `Reflect` or `catch`-ing bindings, so
//! a missing API (no clipboard on plain HTTP, no localStorage in a sandboxed frame) degrades
//! instead of tearing through the wasm stack.

use std::cell::RefCell;

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{CssStyleSheet, Element, ShadowRoot, ShadowRootInit, ShadowRootMode};

/// The widget's whole stylesheet, adopted by every shadow root (`style.css` without its comments
/// and indentation: see `build.rs`).
#[cfg(not(feature = "commenting"))]
pub const CSS: &str = include_str!(concat!(env!("OUT_DIR"), "/style.css"));
/// With commenting: its rules after the widget's own (`commenting/style.css`).
#[cfg(feature = "commenting")]
pub const CSS: &str = concat!(
    include_str!(concat!(env!("OUT_DIR"), "/style.css")),
    include_str!(concat!(env!("OUT_DIR"), "/commenting.css"))
);

thread_local! {
    static SHEET: RefCell<Option<CssStyleSheet>> = const { RefCell::new(None) };
}

fn sheet() -> Result<CssStyleSheet, JsValue> {
    SHEET.with(|cell| {
        if let Some(sheet) = cell.borrow().as_ref() {
            return Ok(sheet.clone());
        }
        let sheet = CssStyleSheet::new()?;
        sheet.replace_sync(CSS)?;
        *cell.borrow_mut() = Some(sheet.clone());
        Ok(sheet)
    })
}

/// Gives `host` an open shadow root (or reuses the loader's), adopts the stylesheet, removes the
/// loader's placeholder and returns a fresh element for yew to render into.
pub fn prepare(host: &Element) -> Result<Element, JsValue> {
    let root = match host.shadow_root() {
        Some(root) => root,
        None => host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?,
    };
    let sheet: JsValue = sheet()?.into();
    root.set_adopted_style_sheets(&Array::of1(&sheet));
    while let Some(child) = root.first_child() {
        root.remove_child(&child)?;
    }
    let document = host
        .owner_document()
        .ok_or_else(|| JsValue::from_str("host element has no document"))?;
    let container = document.create_element("div")?;
    container.set_class_name("host");
    root.append_child(&container)?;
    host.set_attribute("data-jiedu-host", "")?;
    Ok(container)
}

/// A readable message for a JS exception value.
pub fn describe(value: &JsValue) -> String {
    if let Some(error) = value.dyn_ref::<js_sys::Error>() {
        return String::from(error.message());
    }
    value
        .as_string()
        .unwrap_or_else(|| "unknown error".to_owned())
}

/// Dispatches a `CustomEvent` that bubbles out of the shadow root (`composed`) on `host`.
pub fn emit(host: &Element, name: &str, detail: &[(&str, JsValue)]) {
    let object = Object::new();
    for (key, value) in detail {
        let _ = Reflect::set(&object, &JsValue::from_str(key), value);
    }
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(&object);
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = host.dispatch_event(&event);
    }
}

/// The shadow root an element of the widget is in.
pub fn shadow_of(element: &Element) -> Option<ShadowRoot> {
    element.get_root_node().dyn_into::<ShadowRoot>().ok()
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn storage_get(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

pub fn storage_set(key: &str, value: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(key, value);
    }
}

fn media_matches(query: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.match_media(query).ok().flatten())
        .is_some_and(|m| m.matches())
}

pub fn reduced_motion() -> bool {
    media_matches("(prefers-reduced-motion: reduce)")
}

/// The host page's `<html lang>`, if set.
pub fn page_lang() -> Option<String> {
    let lang = web_sys::window()?
        .document()?
        .document_element()?
        .get_attribute("lang")?;
    (!lang.is_empty()).then_some(lang)
}

pub fn browser_lang() -> Option<String> {
    web_sys::window()?.navigator().language()
}

/// The host page's URL hash, percent-decoded (`#jiedu-s1-1`).
pub fn current_hash() -> String {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    js_sys::decode_uri_component(&hash)
        .map(String::from)
        .unwrap_or(hash)
}

pub fn location_href() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default()
}

/// The host page's URL with `hash` in place of its fragment.
pub fn url_with_hash(hash: &str) -> String {
    let href = location_href();
    let base = href.split('#').next().unwrap_or(&href);
    format!("{base}{hash}")
}

/// Puts `hash` in the host page's URL as a new history entry (so Back returns), unless it is
/// there already.
pub fn push_hash(hash: &str) {
    if current_hash() == hash {
        return;
    }
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.push_state_with_url(&JsValue::NULL, "", Some(hash));
    }
}

/// How many widgets the page holds (mounted or waiting to load): with more than one, links
/// name the document too.
pub fn widget_count() -> u32 {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector_all("jiedu-widget,[data-jiedu-host]").ok())
        .map_or(1, |list| list.length())
}

/// Scrolls the element with `id` inside `root`'s shadow root into view and moves the keyboard
/// focus there (the targets carry `tabindex="-1"`). Smoothly only when asked and the reader does
/// not prefer reduced motion.
pub fn scroll_to(root: &Element, id: &str, smooth: bool) -> bool {
    let Some(target) = shadow_of(root).and_then(|s| s.get_element_by_id(id)) else {
        return false;
    };
    reveal(&target, web_sys::ScrollLogicalPosition::Start, smooth);
    true
}

/// Moves the keyboard focus to the element with `id` inside `root`'s shadow root and scrolls it to
/// the middle of the view (a form field: its label above and its message below stay in sight,
/// clear of the sticky toolbar).
pub fn focus_field(root: &Element, id: &str) {
    if let Some(field) = shadow_of(root).and_then(|s| s.get_element_by_id(id)) {
        focus_element(&field);
    }
}

/// Opens (modally) or closes the `<dialog>` with `id` inside `root`'s shadow root. Either is
/// harmless when the dialog is in that state already (`showModal()` then throws, and is ignored).
pub fn sync_dialog(root: &Element, id: &str, open: bool) {
    let Some(dialog) = shadow_of(root).and_then(|s| s.get_element_by_id(id)) else {
        return;
    };
    let dialog: web_sys::HtmlDialogElement = dialog.unchecked_into();
    if open {
        let _ = dialog.show_modal();
    } else {
        dialog.close();
    }
}

/// Scrolls `element` to the middle of the view and moves the keyboard focus to it.
pub fn focus_element(element: &Element) {
    reveal(element, web_sys::ScrollLogicalPosition::Center, false);
}

/// Scrolls `element` into view at `block` and moves the keyboard focus to it. Inside a modal
/// dialog (the comment sheet) only the dialog scrolls, to show it below the sticky bar: scrolling
/// into view would also move the page behind it, away from the clause the reader writes about.
fn reveal(element: &Element, block: web_sys::ScrollLogicalPosition, smooth: bool) {
    if let Some(dialog) = element.closest("dialog").ok().flatten() {
        if let Some(html) = element.dyn_ref::<web_sys::HtmlElement>() {
            dialog.set_scroll_top(html.offset_top() - 90);
        }
    } else {
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_behavior(if !smooth || reduced_motion() {
            web_sys::ScrollBehavior::Instant
        } else {
            web_sys::ScrollBehavior::Smooth
        });
        options.set_block(block);
        element.scroll_into_view_with_scroll_into_view_options(&options);
    }
    if let Some(element) = element.dyn_ref::<web_sys::HtmlElement>() {
        let focus = web_sys::FocusOptions::new();
        focus.set_prevent_scroll(true);
        let _ = element.focus_with_options(&focus);
    }
}

/// Copies `text` with the asynchronous clipboard API. Resolves to false where there is none
/// (plain HTTP) or the browser refuses.
pub async fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let clipboard = Reflect::get(&window.navigator(), &JsValue::from_str("clipboard"))
        .unwrap_or(JsValue::UNDEFINED);
    if clipboard.is_undefined() || clipboard.is_null() {
        return false;
    }
    let clipboard: web_sys::Clipboard = clipboard.unchecked_into();
    wasm_bindgen_futures::JsFuture::from(clipboard.write_text(text))
        .await
        .is_ok()
}
