//! The root component: owns the state (a reducer), loads the document, follows the host page's
//! URL hash, and hands data and callbacks to the components.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use jiedu_core::{ConsultationState, Document, Lang};
use wasm_bindgen::JsValue;
use yew::prelude::*;

use crate::anchor::{self, Target};
use crate::api::{self, Lookup};
use crate::components::{
    BannerProps, CommentPanelProps, Env, Faqs, FeedbackProps, InlineView, KeyPoints, Outcome,
    SideBySide, ToolbarProps, ViewProps, banner, comment_panel, comment_sheet, error_view,
    feedback, header, search_results, timeline, toc, toolbar,
};
use crate::consult;
use crate::host;
use crate::i18n::{self, fill};
use crate::load::{LoadError, fetch_document};
use crate::options::Options;
use crate::outbox::{self, Flusher, Pending, Sent};
use crate::state::{Action, DocRef, Layout, Loaded, Notice, Phase, State};

/// Tells the host page that a comment was acknowledged: `jiedu:comment-submitted` with the
/// document, the receipt and the target, and nothing personal.
fn announce(root: &NodeRef, sent: &Sent) {
    if let Some(shadow) = root
        .cast::<web_sys::Element>()
        .and_then(|e| host::shadow_of(&e))
    {
        host::emit(
            &shadow.host(),
            "jiedu:comment-submitted",
            &[
                ("documentId", JsValue::from_str(&sent.document)),
                ("receipt", JsValue::from_str(&sent.receipt)),
                ("target", JsValue::from_str(&sent.target)),
            ],
        );
    }
}

/// The localStorage key of the reader's large-text choice (`"1"` or `"0"`).
pub const ELDER_KEY: &str = "jiedu-elder";

#[derive(Properties, PartialEq)]
pub struct AppProps {
    pub options: Options,
    /// A document to show instead of fetching one.
    #[prop_or_default]
    pub document: Option<Rc<Document>>,
}

#[function_component]
pub fn App(props: &AppProps) -> Html {
    let options = &props.options;
    let lang = *use_memo(options.lang.clone(), |lang| {
        i18n::resolve([
            lang.as_deref(),
            host::page_lang().as_deref(),
            host::browser_lang().as_deref(),
        ])
    });
    let state = use_reducer(|| {
        let remembered = host::storage_get(ELDER_KEY).map(|v| v == "1");
        State::new(
            options.layout.unwrap_or_default(),
            remembered.or(options.elder).unwrap_or(false),
        )
    });
    let dispatcher = state.dispatcher();
    let root = use_node_ref();
    let namespaced = *use_memo((), |_| host::widget_count() > 1);
    // The last URL hash acted upon: `popstate` and `hashchange` both fire for one Back.
    let last_hash = use_mut_ref(host::current_hash);

    // A layout or elder choice in changed options (a changed data-* attribute) applies at once.
    use_effect_with(options.layout, {
        let dispatcher = dispatcher.clone();
        move |layout| {
            if let Some(layout) = layout {
                dispatcher.dispatch(Action::SetLayout(*layout));
            }
        }
    });

    // Load the document: again when the source changes or the reader retries.
    let document_ptr = props.document.as_ref().map(|d| Rc::as_ptr(d) as usize);
    use_effect_with((options.source.clone(), document_ptr, state.attempt), {
        let dispatcher = dispatcher.clone();
        let document = props.document.clone();
        move |(source, _, _)| {
            let cancelled = Rc::new(Cell::new(false));
            if let Some(doc) = document {
                dispatcher.dispatch(Action::Loaded(DocRef(Rc::new(Loaded::new((*doc).clone())))));
            } else if let Some(url) = source.url() {
                dispatcher.dispatch(Action::Loading);
                let cancelled = cancelled.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let result = fetch_document(&url).await;
                    if !cancelled.get() {
                        dispatcher.dispatch(match result {
                            Ok(doc) => Action::Loaded(DocRef(Rc::new(Loaded::new(doc)))),
                            Err(error) => Action::Failed(error),
                        });
                    }
                });
            } else {
                dispatcher.dispatch(Action::Failed(LoadError::NoSource));
            }
            move || cancelled.set(true)
        }
    });

    // Announce the outcome to the host page (and the console), and open at the target the URL
    // hash or data-provision names.
    use_effect_with(state.phase.clone(), {
        let dispatcher = dispatcher.clone();
        let root = root.clone();
        let provision = options.provision.clone();
        let layout = state.layout;
        move |phase| {
            let host = root
                .cast::<web_sys::Element>()
                .and_then(|e| host::shadow_of(&e))
                .map(|s| s.host());
            match phase {
                Phase::Ready(loaded) => {
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
                    let target =
                        anchor::parse_hash(&host::current_hash(), &loaded.doc).or_else(|| {
                            provision
                                .as_deref()
                                .and_then(|p| anchor::resolve(p, &loaded.doc))
                        });
                    if let Some(target) = target {
                        dispatcher.dispatch(Action::Arrive(target));
                    }
                }
                Phase::Failed(error) => {
                    web_sys::console::error_1(&JsValue::from_str(&format!(
                        "jiedu widget: {} ({})",
                        error.code(),
                        error.detail()
                    )));
                    if let Some(host) = &host {
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
                Phase::Loading => {}
            }
        }
    });

    // Follow the host page's URL hash: links, Back and Forward.
    let doc = state.doc().cloned();
    use_effect_with(doc.clone(), {
        let dispatcher = dispatcher.clone();
        let last_hash = last_hash.clone();
        move |doc| {
            let listeners = doc.clone().and_then(|doc| {
                let window = web_sys::window()?;
                let on_change = Rc::new(move || {
                    let hash = host::current_hash();
                    if *last_hash.borrow() == hash {
                        return;
                    }
                    *last_hash.borrow_mut() = hash.clone();
                    if let Some(target) = anchor::parse_hash(&hash, &doc.doc) {
                        dispatcher.dispatch(Action::Navigate(target));
                    }
                });
                let listen = |name: &'static str| {
                    let on_change = on_change.clone();
                    gloo::events::EventListener::new(&window, name, move |_| on_change())
                };
                Some((listen("hashchange"), listen("popstate")))
            });
            move || drop(listeners)
        }
    });

    // The comment sheet opens over the page at a clause, and closes (before the focus moves).
    use_effect_with(state.sheet.is_some(), {
        let root = root.clone();
        move |open| {
            if let Some(element) = root.cast::<web_sys::Element>() {
                host::sync_dialog(&element, "jiedu-sheet", *open);
            }
        }
    });
    // Scroll to (and focus) the target of a navigation once it is rendered and open.
    use_effect_with(state.focus.clone(), {
        let root = root.clone();
        let namespaced_doc = doc.as_ref().map(|d| d.doc.id.clone());
        move |focus| {
            if let (Some(focus), Some(element)) = (focus, root.cast::<web_sys::Element>()) {
                let target = &focus.target;
                host::scroll_to(&element, &target.element_id(), focus.smooth);
                if let Some(shadow) = host::shadow_of(&element) {
                    let id = namespaced_doc.unwrap_or_default();
                    host::emit(
                        &shadow.host(),
                        "jiedu:navigate",
                        &[
                            ("document", JsValue::from_str(&id)),
                            ("kind", JsValue::from_str(target.kind())),
                            ("target", JsValue::from_str(target.id())),
                            ("hash", JsValue::from_str(&target.hash(&id, namespaced))),
                        ],
                    );
                }
            }
        }
    });

    let media_base = options.source.media_base();
    let env = use_memo(
        (
            lang,
            doc.as_ref().map(|d| d.doc.id.clone()),
            namespaced,
            media_base,
        ),
        |(lang, id, namespaced, url)| Env {
            lang: *lang,
            t: lang.strings(),
            doc_id: Rc::from(id.clone().unwrap_or_default().as_str()),
            namespaced: *namespaced,
            media_base: Rc::from(url.as_deref().unwrap_or_default()),
        },
    );
    let t = env.t;

    // Commenting (意见征集): where comments go, what "now" is, and where the period stands.
    let (api, mounted_at) = (*use_memo(options.clone(), |o| {
        (consult::api_base(o), (js_sys::Date::now() / 1000.0) as i64)
    }))
    .clone();
    let now = options.now.unwrap_or(mounted_at);
    // The server's root (`…/`), where the compare pages are: the API base without `api/v1`.
    let server = api.as_deref().and_then(|a| a.strip_suffix("api/v1"));
    let doc_id = doc.as_ref().map(|d| d.doc.id.clone());
    let consultation = doc.as_ref().and_then(|d| d.doc.consultation.clone());
    let period = consultation.as_ref().map(|c| c.state_at(now));
    let commenting = api.is_some() && period == Some(ConsultationState::Open);

    // The published feedback, once the period has begun (publication may come before it ends).
    use_effect_with(
        (
            api.clone(),
            doc_id.clone(),
            period.is_some_and(|p| p != ConsultationState::Upcoming),
        ),
        {
            let dispatcher = dispatcher.clone();
            move |(api, id, wanted)| {
                let cancelled = Rc::new(Cell::new(false));
                if let (Some(api), Some(id), true) = (api.clone(), id.clone(), *wanted) {
                    let cancelled = cancelled.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        let found = api::feedback(&api, &id, lang).await;
                        if cancelled.get() {
                            return;
                        }
                        match found {
                            Lookup::Found(report) => {
                                dispatcher.dispatch(Action::FeedbackLoaded(Some(Rc::new(report))))
                            }
                            Lookup::NotFound => dispatcher.dispatch(Action::FeedbackLoaded(None)),
                            Lookup::Failed(detail) => web_sys::console::warn_1(&JsValue::from_str(
                                &format!("jiedu widget: feedback not loaded ({detail})"),
                            )),
                        }
                    });
                }
                move || cancelled.set(true)
            }
        },
    );

    // The outbox: comments kept on this device are sent when the widget mounts, when the
    // browser comes back online, and after a back-off while the server does not answer.
    let flusher: Rc<RefCell<Option<Flusher>>> = use_mut_ref(|| None);
    use_effect_with((api.clone(), doc_id.clone()), {
        let dispatcher = dispatcher.clone();
        let root = root.clone();
        let flusher = flusher.clone();
        move |(api, id)| {
            let listener = match (api, id) {
                (Some(api), Some(id)) => web_sys::window().map(|window| {
                    let f = Flusher::new(api, id, lang, move |result| {
                        for sent in &result.delivered {
                            announce(&root, sent);
                            dispatcher.dispatch(Action::Submitted(Notice::Receipt {
                                receipt: sent.receipt.clone(),
                                later: true,
                            }));
                        }
                        if result.changed {
                            dispatcher.dispatch(Action::StorageChanged);
                        }
                    });
                    f.run();
                    *flusher.borrow_mut() = Some(f.clone());
                    gloo::events::EventListener::new(&window, "online", move |_| f.run())
                }),
                _ => None,
            };
            move || {
                if let Some(f) = flusher.borrow_mut().take() {
                    f.stop();
                }
                drop(listener);
            }
        }
    });

    let on_outcome = use_callback((), {
        let dispatcher = dispatcher.clone();
        let root = root.clone();
        let flusher = flusher.clone();
        move |outcome: Outcome, _| match outcome {
            Outcome::Sent(sent) => {
                announce(&root, &sent);
                dispatcher.dispatch(Action::Submitted(Notice::Receipt {
                    receipt: sent.receipt,
                    later: false,
                }));
            }
            Outcome::Queued(after) => {
                if let Some(f) = flusher.borrow().as_ref() {
                    f.schedule(consult::retry_delay_ms(1, after, js_sys::Math::random()));
                }
                dispatcher.dispatch(Action::Submitted(Notice::Queued));
            }
        }
    });
    // This document's comments kept in localStorage, read again when they change.
    let stored = use_memo(
        (state.mine_rev, doc_id.clone(), api.clone()),
        |(_, id, api)| {
            let mine = |d: &str, a: &str| Some(d) == id.as_deref() && Some(a) == api.as_deref();
            let waiting: Vec<Pending> = outbox::load_pending()
                .into_iter()
                .filter(|p| mine(&p.document, &p.api))
                .collect();
            let sent: Vec<Sent> = outbox::load_sent()
                .into_iter()
                .filter(|s| mine(&s.document, &s.api))
                .collect();
            (waiting, sent)
        },
    );
    // The commenting components change the state through this one callback.
    let act = use_callback(dispatcher.clone(), |action: Action, d| d.dispatch(action));
    // "Comment on this" moves to the form, "answers" to the feedback, a receipt to its notice.
    use_effect_with(state.scroll, {
        let root = root.clone();
        move |(seq, id)| {
            if let (true, Some(element)) = (*seq > 0, root.cast::<web_sys::Element>()) {
                if id.starts_with("jiedu-f-") {
                    host::focus_field(&element, id);
                } else {
                    host::scroll_to(&element, id, true);
                }
            }
        }
    });

    let on_navigate = use_callback((*env).clone(), {
        let dispatcher = dispatcher.clone();
        let last_hash = last_hash.clone();
        move |target: Target, env: &Env| {
            let hash = env.href(&target);
            host::push_hash(&hash);
            *last_hash.borrow_mut() = hash;
            dispatcher.dispatch(Action::Navigate(target));
        }
    });
    let on_copy = use_callback((*env).clone(), {
        let dispatcher = dispatcher.clone();
        let timer: Rc<RefCell<Option<gloo::timers::callback::Timeout>>> = Rc::default();
        move |target: Target, env: &Env| {
            let hash = env.href(&target);
            let dispatcher = dispatcher.clone();
            let timer = timer.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let ok = host::copy_text(&host::url_with_hash(&hash)).await;
                if !ok {
                    host::push_hash(&hash);
                }
                dispatcher.dispatch(Action::Copied(Some((target, ok))));
                let reset = dispatcher.clone();
                *timer.borrow_mut() = Some(gloo::timers::callback::Timeout::new(4000, move || {
                    reset.dispatch(Action::Copied(None))
                }));
            });
        }
    });
    let on_toggle = use_callback(dispatcher.clone(), |target: Target, d| {
        d.dispatch(Action::Toggle(target))
    });
    let on_retry = act.reform(|()| Action::Retry);

    let body = match &state.phase {
        Phase::Loading => html! { <p class="status" role="status">{ t.loading }</p> },
        Phase::Failed(error) => error_view(error, &on_retry, t),
        Phase::Ready(doc) => {
            let view = ViewProps {
                doc: doc.clone(),
                focus: state.focus.as_ref().map(|f| f.target.clone()),
                copied: state.copied.clone(),
                open: Rc::new(state.open.clone()),
                on_copy,
                on_navigate: on_navigate.clone(),
                on_toggle,
                commenting,
                answers: state.answers.clone(),
                act: act.clone(),
            };
            let layout = match state.layout {
                Layout::SideBySide => html! { <SideBySide ..view.clone() /> },
                Layout::Inline => html! { <InlineView ..view.clone() /> },
                Layout::KeyPoints => html! { <KeyPoints ..view.clone() /> },
            };
            let announcement = match &state.copied {
                Some((_, true)) => t.copied,
                Some((_, false)) => t.link_in_address_bar,
                None => "",
            };
            let panel = |api| CommentPanelProps {
                doc,
                api,
                open: commenting,
                state: &state,
                waiting: &stored.0,
                sent: &stored.1,
                act: &act,
                on_outcome: &on_outcome,
            };
            let doc_lang = match doc.doc.lang {
                Lang::ZhCn => "zh-CN",
                Lang::En => "en",
            };
            // The text before the provisions and the closing (结尾) after them.
            let part = |class: &'static str, text: &jiedu_core::rich::RichText| {
                (!text.is_empty()).then(|| {
                    html! {
                        <div {class}>{ crate::rich::rich_text(text, &env.media_base, t) }</div>
                    }
                })
            };
            html! {
                <>
                    { header(doc, server, t) }
                    if let Some(consultation) = &consultation {
                        { banner(&BannerProps { consultation, now, published: state.feedback.is_some(),
                            can_comment: api.is_some(), act: &act }, t) }
                    }
                    { toolbar(&ToolbarProps { layout: state.layout, query: &state.query,
                        elder: state.elder, act: &act }, t) }
                    if !state.query.trim().is_empty() {
                        { search_results(doc, &state.query, &on_navigate, t) }
                    }
                    <div class="content" lang={doc_lang}>
                        { toc(doc, &on_navigate, t) }
                        { part("preamble", &doc.doc.preamble) }
                        { layout }
                        { part("closing", &doc.doc.closing) }
                        { timeline(&view, t) }
                        <Faqs ..view />
                        if let Some(report) = &state.feedback {
                            { feedback(&FeedbackProps { doc, report, filter: state.feedback_filter.as_deref(),
                                act: &act, on_navigate: &on_navigate, server }, t, lang) }
                        }
                        if let (Some(api), true) = (&api, period.is_some()) {
                            { comment_panel(&panel(api), t, lang) }
                        }
                        if let (Some(api), true) = (&api, commenting) {
                            { comment_sheet(&panel(api), &env, lang) }
                        }
                    </div>
                    <p class="sr-only" role="status">{ announcement }</p>
                </>
            }
        }
    };
    let label = match state.doc() {
        Some(doc) => fill("{}：{}", &[t.region, &doc.doc.title]),
        None => t.region.to_owned(),
    };
    html! {
        <ContextProvider<Env> context={(*env).clone()}>
            <section ref={root} lang={lang.tag()} aria-label={label}
                class={classes!("jiedu", options.theme.class(), state.elder.then_some("elder"))}>
                { body }
            </section>
        </ContextProvider<Env>>
    }
}
