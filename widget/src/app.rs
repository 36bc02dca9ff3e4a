//! The root component: owns the state (a reducer), runs the hooks that load the document and
//! follow the host page's URL, and hands data and callbacks to the views. With the `commenting`
//! feature, [`crate::commenting::use_parts`] adds the consultation's parts ([`Extras`]).

use std::rc::Rc;

use jiedu_core::{Document, Lang};
use yew::prelude::*;

use crate::anchor::Target;
use crate::components::{
    Env, Extras, Faqs, InlineView, KeyPoints, SideBySide, Toc, ToolbarProps, ViewProps, error_view,
    header, search_results, timeline, toolbar,
};
use crate::hooks::{
    Read, use_announce, use_copy_link, use_document, use_elder_choice, use_focus,
    use_hash_navigation, use_lang, use_layout_option, use_navigate, use_server,
};
use crate::host;
use crate::i18n::{UiLang, fill};
use crate::options::Options;
use crate::state::{DocRef, ELDER_KEY, Layout, Phase, Reading, ReadingAction, State};

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
    let lang = use_lang(options.lang.clone());
    let state = use_reducer(|| {
        let remembered = host::storage_get(ELDER_KEY).map(|v| v == "1");
        State::new(
            options.layout.unwrap_or_default(),
            remembered.or(options.elder).unwrap_or(false),
        )
    });
    let reading = &state.reading;
    let read: Read = use_callback(state.dispatcher(), |a: ReadingAction, d| {
        d.dispatch(a.into())
    });
    let root = use_node_ref();
    let namespaced = *use_memo((), |_| host::widget_count() > 1);
    let last_hash = use_mut_ref(host::current_hash);
    let doc = reading.doc().cloned();
    let env = use_env(lang, doc.as_ref(), namespaced, options);

    use_layout_option(options.layout, read.clone());
    use_document(
        options,
        props.document.clone(),
        reading.attempt,
        read.clone(),
    );
    let provision = options.provision.clone();
    let phase = reading.phase.clone();
    use_announce(
        phase,
        root.clone(),
        provision,
        reading.layout,
        lang,
        read.clone(),
    );
    use_hash_navigation(doc.clone(), last_hash.clone(), read.clone());
    use_focus(reading.focus.clone(), root.clone(), env.clone());
    let on_navigate = use_navigate(env.clone(), last_hash, read.clone());
    let on_copy = use_copy_link(env.clone(), read.clone());
    let on_toggle = use_callback(read.clone(), |t, read| read.emit(ReadingAction::Toggle(t)));
    let on_elder = use_elder_choice(read.clone());
    let (api, mounted_at) = use_server(options);
    // The server's root (`…/`), where the compare pages are: the API base without `api/v1`.
    let server = api.as_deref().and_then(|a| a.strip_suffix("api/v1"));

    #[cfg(feature = "commenting")]
    let act = use_callback(state.dispatcher(), |a, d| {
        d.dispatch(crate::state::Action::from(a))
    });
    #[cfg(feature = "commenting")]
    let extras = crate::commenting::use_parts(crate::commenting::hooks::Input {
        api: api.as_deref(),
        now: options.now.unwrap_or(mounted_at),
        lang,
        env: &env,
        doc: doc.as_ref(),
        state: &state.commenting,
        act,
        root: &root,
        on_navigate: &on_navigate,
        server,
    });
    #[cfg(not(feature = "commenting"))]
    let extras = {
        let _ = mounted_at;
        Extras::default()
    };

    let callbacks = Callbacks {
        read,
        on_copy,
        on_navigate,
        on_toggle,
        on_elder,
    };
    let body = body(reading, &env, &callbacks, extras, server);
    let label = match &doc {
        Some(doc) => fill("{}：{}", &[env.t.region, &doc.doc.title]),
        None => env.t.region.to_owned(),
    };
    html! {
        <ContextProvider<Env> context={env.clone()}>
            <section ref={root} lang={lang.tag()} aria-label={label}
                class={classes!("jiedu", options.theme.class(), reading.elder.then_some("elder"))}>
                { body }
            </section>
        </ContextProvider<Env>>
    }
}

/// What every view may read, by context: the UI strings and how links are written.
#[hook]
fn use_env(lang: UiLang, doc: Option<&DocRef>, namespaced: bool, options: &Options) -> Env {
    let id = doc.map(|d| d.doc.id.clone());
    let media_base = options.source.media_base();
    (*use_memo(
        (lang, id, namespaced, media_base),
        |(lang, id, namespaced, url)| Env {
            lang: *lang,
            t: lang.strings(),
            doc_id: Rc::from(id.clone().unwrap_or_default().as_str()),
            namespaced: *namespaced,
            media_base: Rc::from(url.as_deref().unwrap_or_default()),
        },
    ))
    .clone()
}

/// What the views call back.
struct Callbacks {
    read: Read,
    on_copy: Callback<Target>,
    on_navigate: Callback<Target>,
    on_toggle: Callback<Target>,
    on_elder: Callback<bool>,
}

/// The widget's content: a loading line, the error box, or the document's page.
fn body(
    reading: &Reading,
    env: &Env,
    callbacks: &Callbacks,
    extras: Extras,
    server: Option<&str>,
) -> Html {
    match &reading.phase {
        Phase::Loading => html! { <p class="status" role="status">{ env.t.loading }</p> },
        Phase::Failed(error) => {
            let retry = callbacks.read.reform(|()| ReadingAction::Retry);
            error_view(error, &retry, env.t)
        }
        Phase::Ready(doc) => {
            let view = ViewProps {
                doc: doc.clone(),
                focus: reading.focus.as_ref().map(|f| f.target.clone()),
                copied: reading.copied.clone(),
                open: Rc::new(reading.open.clone()),
                on_copy: callbacks.on_copy.clone(),
                on_navigate: callbacks.on_navigate.clone(),
                on_toggle: callbacks.on_toggle.clone(),
                clause_actions: extras.clause_actions.clone(),
            };
            page(Page {
                doc,
                reading,
                env,
                view,
                extras,
                server,
                callbacks,
            })
        }
    }
}

/// A loaded document's page and what it needs.
struct Page<'a> {
    doc: &'a DocRef,
    reading: &'a Reading,
    env: &'a Env,
    view: ViewProps,
    extras: Extras,
    server: Option<&'a str>,
    callbacks: &'a Callbacks,
}

/// The page of a loaded document: header, banner, toolbar, search results, then the contents,
/// the preamble, the clauses in the chosen layout, the closing, the follow-ups, the FAQs and what
/// commenting adds.
fn page(p: Page) -> Html {
    let Page {
        doc,
        reading,
        env,
        view,
        extras,
        server,
        callbacks,
    } = p;
    let on_navigate = &callbacks.on_navigate;
    let t = env.t;
    let layout = match reading.layout {
        Layout::SideBySide => html! { <SideBySide ..view.clone() /> },
        Layout::Inline => html! { <InlineView ..view.clone() /> },
        Layout::KeyPoints => html! { <KeyPoints ..view.clone() /> },
    };
    let announcement = match &reading.copied {
        Some((_, true)) => t.copied,
        Some((_, false)) => t.link_in_address_bar,
        None => "",
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
            { extras.banner }
            { toolbar(&ToolbarProps { layout: reading.layout, query: &reading.query,
                elder: reading.elder, read: &callbacks.read, on_elder: &callbacks.on_elder }, t) }
            if !reading.query.trim().is_empty() {
                { search_results(doc, &reading.query, on_navigate, t) }
            }
            <div class="content" lang={doc_lang}>
                <Toc doc={doc.clone()} on_navigate={on_navigate.clone()} label={t.toc} />
                { part("preamble", &doc.doc.preamble) }
                { layout }
                { part("closing", &doc.doc.closing) }
                { timeline(&view, t) }
                <Faqs ..view />
                { extras.after }
            </div>
            <p class="sr-only" role="status">{ announcement }</p>
        </>
    }
}
