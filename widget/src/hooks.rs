//! The reading part's effects, as yew hooks, so that the root component `App` is a short composition:
//! loading the document, announcing the outcome to the host page, following the URL hash,
//! moving to the target of a navigation, and the callbacks that navigate and copy links.
//! The commenting part's hooks are in `commenting/hooks.rs`.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use jiedu_core::Document;
use wasm_bindgen::JsValue;
use yew::prelude::*;

use crate::anchor::{self, Target};
use crate::components::Env;
use crate::host;
use crate::i18n::UiLang;
use crate::load::{LoadError, fetch_document};
use crate::options::{Layout, Options, api_base};
use crate::state::{DocRef, ELDER_KEY, Focus, Loaded, Phase, ReadingAction};

/// Sends reading actions.
pub type Read = Callback<ReadingAction>;

/// The shadow host of the widget rendered under `root`.
pub fn host_of(root: &NodeRef) -> Option<web_sys::Element> {
    root.cast::<web_sys::Element>()
        .and_then(|e| host::shadow_of(&e))
        .map(|s| s.host())
}

/// The UI language: `data-lang`, else the host page's, else the browser's.
#[hook]
pub fn use_lang(asked: Option<String>) -> UiLang {
    *use_memo(asked, |lang| {
        crate::i18n::resolve([
            lang.as_deref(),
            host::page_lang().as_deref(),
            host::browser_lang().as_deref(),
        ])
    })
}

/// A layout in changed options (a changed data-* attribute) applies at once.
#[hook]
pub fn use_layout_option(layout: Option<Layout>, read: Read) {
    use_effect_with(layout, move |layout| {
        if let Some(layout) = layout {
            read.emit(ReadingAction::SetLayout(*layout));
        }
    });
}

/// Loads the document: the one given, or fetched from the source; again when the source changes
/// or the reader retries (`attempt`).
#[hook]
pub fn use_document(options: &Options, given: Option<Rc<Document>>, attempt: u32, read: Read) {
    let given_ptr = given.as_ref().map(|d| Rc::as_ptr(d) as usize);
    use_effect_with(
        (options.source.clone(), given_ptr, attempt),
        move |(source, _, _)| {
            let cancelled = Rc::new(Cell::new(false));
            if let Some(doc) = given {
                read.emit(ReadingAction::Loaded(DocRef(Rc::new(Loaded::new(
                    (*doc).clone(),
                )))));
            } else if let Some(url) = source.url() {
                read.emit(ReadingAction::Loading);
                let cancelled = cancelled.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let result = fetch_document(&url).await;
                    if !cancelled.get() {
                        read.emit(match result {
                            Ok(doc) => ReadingAction::Loaded(DocRef(Rc::new(Loaded::new(doc)))),
                            Err(error) => ReadingAction::Failed(error),
                        });
                    }
                });
            } else {
                read.emit(ReadingAction::Failed(LoadError::NoSource));
            }
            move || cancelled.set(true)
        },
    );
}

/// Announces the outcome of loading to the host page (`jiedu:ready`, or `jiedu:error` and the
/// console), opens at the target the URL hash or `data-provision` names, and builds the search
/// index in a task of its own after the document is shown (after the rest of a long document:
/// see `progressive.rs`), so that the first keystroke finds it ready. (A 1,260-clause document's
/// index is ~40 ms of work, ~230 ms on a slow phone; a keystroke before then builds it at once.)
#[hook]
pub fn use_announce(
    phase: Phase,
    root: NodeRef,
    provision: Option<String>,
    layout: Layout,
    lang: UiLang,
    read: Read,
) {
    use_effect_with(phase, move |phase| {
        let host = host_of(&root);
        match phase {
            Phase::Ready(loaded) => {
                let index = loaded.clone();
                gloo::timers::callback::Timeout::new(0, move || {
                    index.index();
                })
                .forget();
                if let Some(host) = &host {
                    host::emit(
                        host,
                        "jiedu:ready",
                        &[
                            ("id", JsValue::from_str(&loaded.doc.id)),
                            ("title", JsValue::from_str(&loaded.doc.title)),
                            ("layout", JsValue::from_str(layout.as_str())),
                            ("lang", JsValue::from_str(lang.tag())),
                        ],
                    );
                }
                let target = anchor::parse_hash(&host::current_hash(), &loaded.doc).or_else(|| {
                    provision
                        .as_deref()
                        .and_then(|p| anchor::resolve(p, &loaded.doc))
                });
                if let Some(target) = target {
                    read.emit(ReadingAction::Arrive(target));
                }
            }
            Phase::Failed(error) => report_failure(error, host.as_ref()),
            Phase::Loading => {}
        }
    });
}

fn report_failure(error: &LoadError, host: Option<&web_sys::Element>) {
    web_sys::console::error_1(&JsValue::from_str(&format!(
        "jiedu widget: {} ({})",
        error.code(),
        error.detail()
    )));
    if let Some(host) = host {
        host::emit(
            host,
            "jiedu:error",
            &[
                ("code", JsValue::from_str(error.code())),
                ("message", JsValue::from_str(&error.detail())),
            ],
        );
    }
}

/// The last URL hash acted upon: `popstate` and `hashchange` both fire for one Back.
pub type LastHash = Rc<RefCell<String>>;

/// Follows the host page's URL hash: links, Back and Forward.
#[hook]
pub fn use_hash_navigation(doc: Option<DocRef>, last_hash: LastHash, read: Read) {
    use_effect_with(doc, move |doc| {
        let listeners = doc.clone().and_then(|doc| {
            let window = web_sys::window()?;
            let on_change = Rc::new(move || {
                let hash = host::current_hash();
                if *last_hash.borrow() == hash {
                    return;
                }
                *last_hash.borrow_mut() = hash.clone();
                if let Some(target) = anchor::parse_hash(&hash, &doc.doc) {
                    read.emit(ReadingAction::Navigate(target));
                }
            });
            let listen = |name: &'static str| {
                let on_change = on_change.clone();
                gloo::events::EventListener::new(&window, name, move |_| on_change())
            };
            Some((listen("hashchange"), listen("popstate")))
        });
        move || drop(listeners)
    });
}

/// Scrolls to (and focuses) the target of a navigation once it is rendered and open, and tells
/// the host page (`jiedu:navigate`).
#[hook]
pub fn use_focus(focus: Option<Focus>, root: NodeRef, env: Env) {
    use_effect_with(focus, move |focus| {
        if let (Some(focus), Some(element)) = (focus, root.cast::<web_sys::Element>()) {
            let target = &focus.target;
            host::scroll_to(&element, &target.element_id(), focus.smooth);
            if let Some(host) = host_of(&root) {
                host::emit(
                    &host,
                    "jiedu:navigate",
                    &[
                        ("document", JsValue::from_str(&env.doc_id)),
                        ("kind", JsValue::from_str(target.kind())),
                        ("target", JsValue::from_str(target.id())),
                        ("hash", JsValue::from_str(&env.href(target))),
                    ],
                );
            }
        }
    });
}

/// The reader's large-text choice: applied, and remembered on this device.
#[hook]
pub fn use_elder_choice(read: Read) -> Callback<bool> {
    use_callback(read, |on: bool, read| {
        host::storage_set(ELDER_KEY, if on { "1" } else { "0" });
        read.emit(ReadingAction::SetElder(on));
    })
}

/// Where the comment API is (if anywhere) and when the widget was mounted, in seconds since the
/// epoch ("now" for the consultation unless `data-now` says otherwise).
#[hook]
pub fn use_server(options: &Options) -> (Option<String>, i64) {
    (*use_memo(options.clone(), |o| {
        (api_base(o), (js_sys::Date::now() / 1000.0) as i64)
    }))
    .clone()
}

/// Following a link inside the widget: the URL hash changes (so Back returns) and the reader
/// moves there.
#[hook]
pub fn use_navigate(env: Env, last_hash: LastHash, read: Read) -> Callback<Target> {
    use_callback(env, move |target: Target, env| {
        let hash = env.href(&target);
        host::push_hash(&hash);
        *last_hash.borrow_mut() = hash;
        read.emit(ReadingAction::Navigate(target));
    })
}

/// Copying a target's link: to the clipboard, or into the address bar when the clipboard
/// refuses; the confirmation goes away after four seconds.
#[hook]
pub fn use_copy_link(env: Env, read: Read) -> Callback<Target> {
    let timer: Rc<RefCell<Option<gloo::timers::callback::Timeout>>> = use_mut_ref(|| None);
    use_callback(env, move |target: Target, env| {
        let hash = env.href(&target);
        let (read, timer) = (read.clone(), timer.clone());
        wasm_bindgen_futures::spawn_local(async move {
            let ok = host::copy_text(&host::url_with_hash(&hash)).await;
            if !ok {
                host::push_hash(&hash);
            }
            read.emit(ReadingAction::Copied(Some((target, ok))));
            let reset = read.clone();
            *timer.borrow_mut() = Some(gloo::timers::callback::Timeout::new(4000, move || {
                reset.emit(ReadingAction::Copied(None))
            }));
        });
    })
}
