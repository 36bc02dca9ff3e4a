//! The commenting part's effects, as yew hooks: fetching the published feedback, the outbox's
//! flusher, reading what is kept in localStorage, the sheet's `<dialog>`, moving the reader to
//! the form or the feedback, and the [`Commands`] the views call. [`use_parts`] puts them
//! together into what the root component `App` places on the page.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use jiedu_core::ConsultationState;
use wasm_bindgen::JsValue;
use yew::prelude::*;

use super::api::{self, Lookup};
use super::outbox::{self, Flusher, Submitted};
use super::protocol::{self, Draft, Edit};
use super::records::{Pending, Sent, Written};
use super::state::{Commenting, CommentingAction, Notice, Spot};
use super::views::{self, Command, Commands};
use crate::anchor::Target;
use crate::components::{ClauseActions, ClauseRef, Env, Extras};
use crate::host;
use crate::i18n::UiLang;
use crate::state::DocRef;

/// What the commenting part needs from the widget.
pub struct Input<'a> {
    /// The comment API (`…/api/v1`), if the widget knows one.
    pub api: Option<&'a str>,
    /// Seconds since the epoch: `data-now`, or when the widget was mounted.
    pub now: i64,
    pub lang: UiLang,
    pub env: &'a Env,
    pub doc: Option<&'a DocRef>,
    pub state: &'a Commenting,
    pub act: Callback<CommentingAction>,
    pub root: &'a NodeRef,
    pub on_navigate: &'a Callback<Target>,
    /// The server's root, where the compare pages are.
    pub server: Option<&'a str>,
}

/// Banner, feedback, comment panel and sheet, and the buttons beside each clause.
#[hook]
pub fn use_parts(input: Input<'_>) -> Extras {
    let Input {
        api,
        now,
        lang,
        env,
        doc,
        state,
        act,
        root,
        on_navigate,
        server,
    } = input;
    let doc_id = doc.map(|d| d.doc.id.clone());
    let consultation = doc.and_then(|d| d.doc.consultation.clone());
    let period = consultation.as_ref().map(|c| c.state_at(now));
    let open = api.is_some() && period == Some(ConsultationState::Open);
    let started = period.is_some_and(|p| p != ConsultationState::Upcoming);
    let api = api.map(str::to_owned);

    use_feedback(api.clone(), doc_id.clone(), started, lang, act.clone());
    let flusher = use_outbox(api.clone(), doc_id.clone(), lang, act.clone(), root.clone());
    let stored = use_stored(state.mine_rev, doc_id.clone(), api.clone());
    use_sheet_dialog(state.sheet.is_some(), root.clone());
    use_scroll(state.scroll, root.clone());
    let commands = use_commands(
        api.clone(),
        doc_id,
        lang,
        act.clone(),
        root.clone(),
        flusher,
    );
    let clause_actions = use_clause_actions(open, state.answers.clone(), env.clone(), act.clone());

    let (Some(doc), Some(consultation)) = (doc, consultation) else {
        return Extras::default();
    };
    let t = env.t;
    let banner = views::banner(
        &views::BannerProps {
            consultation: &consultation,
            now,
            published: state.feedback.is_some(),
            can_comment: api.is_some(),
            act: &act,
        },
        t,
    );
    let feedback = state.feedback.as_ref().map(|report| {
        views::feedback(
            &views::FeedbackProps {
                doc,
                report,
                filter: state.feedback_filter.as_deref(),
                act: &act,
                on_navigate,
                server,
            },
            t,
            lang,
        )
    });
    let panel = api.is_some().then(|| views::CommentPanelProps {
        doc,
        open,
        state,
        waiting: &stored.0,
        sent: &stored.1,
        commands: &commands,
    });
    let after = html! {
        <>
            { feedback.unwrap_or_default() }
            if let (Some(panel), true) = (&panel, period.is_some()) {
                { views::comment_panel(panel, t, lang) }
            }
            if let (Some(panel), true) = (&panel, open) {
                { views::comment_sheet(panel, env, lang) }
            }
        </>
    };
    Extras {
        banner,
        after,
        clause_actions: Some(clause_actions),
    }
}

/// Fetches the published feedback once the period has begun (publication may come before it
/// ends).
#[hook]
fn use_feedback(
    api: Option<String>,
    doc_id: Option<String>,
    wanted: bool,
    lang: UiLang,
    act: Callback<CommentingAction>,
) {
    use_effect_with((api, doc_id, wanted), move |(api, id, wanted)| {
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
                        act.emit(CommentingAction::FeedbackLoaded(Some(Rc::new(report))))
                    }
                    Lookup::NotFound => act.emit(CommentingAction::FeedbackLoaded(None)),
                    Lookup::Failed(detail) => web_sys::console::warn_1(&JsValue::from_str(
                        &format!("jiedu widget: feedback not loaded ({detail})"),
                    )),
                }
            });
        }
        move || cancelled.set(true)
    });
}

/// Tells the host page that a comment was acknowledged: `jiedu:comment-submitted` with the
/// document, the receipt and the target, and nothing personal.
fn announce(root: &NodeRef, sent: &Sent) {
    if let Some(element) = crate::hooks::host_of(root) {
        host::emit(
            &element,
            "jiedu:comment-submitted",
            &[
                ("documentId", JsValue::from_str(&sent.document)),
                ("receipt", JsValue::from_str(&sent.receipt)),
                ("target", JsValue::from_str(&sent.target.to_string())),
            ],
        );
    }
}

type FlusherSlot = Rc<RefCell<Option<Flusher>>>;

/// The outbox: comments kept on this device are sent when the widget mounts, when the browser
/// comes back online, and after a back-off while the server does not answer.
#[hook]
fn use_outbox(
    api: Option<String>,
    doc_id: Option<String>,
    lang: UiLang,
    act: Callback<CommentingAction>,
    root: NodeRef,
) -> FlusherSlot {
    let flusher: FlusherSlot = use_mut_ref(|| None);
    use_effect_with((api, doc_id), {
        let flusher = flusher.clone();
        move |(api, id)| {
            let listener = match (api, id) {
                (Some(api), Some(id)) => web_sys::window().map(|window| {
                    let f = Flusher::new(api, id, lang, move |result| {
                        for sent in &result.delivered {
                            announce(&root, sent);
                            act.emit(CommentingAction::Submitted(Notice::Receipt {
                                receipt: sent.receipt.clone(),
                                later: true,
                            }));
                        }
                        if result.changed {
                            act.emit(CommentingAction::StorageChanged);
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
    flusher
}

/// This document's comments kept in localStorage: waiting in the outbox (with what they say),
/// and sent.
type Stored = (Vec<(Pending, Written)>, Vec<Sent>);

/// This document's comments kept in localStorage, read again when they change.
#[hook]
fn use_stored(rev: u32, doc_id: Option<String>, api: Option<String>) -> Rc<Stored> {
    use_memo((rev, doc_id, api), |(_, id, api)| {
        let mine = |d: &str, a: &str| Some(d) == id.as_deref() && Some(a) == api.as_deref();
        let waiting: Vec<(Pending, Written)> = outbox::load_pending()
            .into_iter()
            .filter(|p| mine(&p.document, &p.api))
            .map(|p| {
                let written = outbox::written(&p);
                (p, written)
            })
            .collect();
        let sent: Vec<Sent> = outbox::load_sent()
            .into_iter()
            .filter(|s| mine(&s.document, &s.api))
            .collect();
        (waiting, sent)
    })
}

/// The comment sheet opens over the page at a clause, and closes (before the focus moves).
#[hook]
fn use_sheet_dialog(open: bool, root: NodeRef) {
    use_effect_with(open, move |open| {
        if let Some(element) = root.cast::<web_sys::Element>() {
            host::sync_dialog(&element, "jiedu-sheet", *open);
        }
    });
}

/// "Comment on this" moves to the form, "answers" to the feedback, a receipt to its notice, a
/// failed check to the first invalid field.
#[hook]
fn use_scroll(scroll: (u32, Option<Spot>), root: NodeRef) {
    use_effect_with(scroll, move |(_, spot)| {
        if let (Some(spot), Some(element)) = (spot, root.cast::<web_sys::Element>()) {
            match spot {
                Spot::Field(_) => host::focus_field(&element, &spot.element_id()),
                _ => {
                    host::scroll_to(&element, &spot.element_id(), true);
                }
            }
        }
    });
}

/// Copies `text`, then reports whether the clipboard took it.
fn copy_then(text: String, done: impl FnOnce(bool) + 'static) {
    wasm_bindgen_futures::spawn_local(async move { done(host::copy_text(&text).await) });
}

#[hook]
fn use_commands(
    api: Option<String>,
    doc_id: Option<String>,
    lang: UiLang,
    act: Callback<CommentingAction>,
    root: NodeRef,
    flusher: FlusherSlot,
) -> Commands {
    let submit = use_submit(api.clone(), doc_id, lang, act.clone(), root, flusher);
    let run = use_callback(
        (api, act.clone(), submit),
        move |command, (api, act, submit)| {
            let act = act.clone();
            match command {
                Command::Submit(draft) => submit.emit(draft),
                Command::Check(receipt) => {
                    act.emit(CommentingAction::Check(receipt.clone(), None));
                    let api = api.clone().unwrap_or_default();
                    wasm_bindgen_futures::spawn_local(async move {
                        let found = api::receipt(&api, &receipt, lang).await;
                        act.emit(CommentingAction::Check(receipt, Some(found)));
                    });
                }
                Command::CopyReceipt(receipt) => copy_then(receipt, move |ok| {
                    act.emit(CommentingAction::NoticeCopied(ok))
                }),
                Command::CopyRefused(text) => copy_then(text, move |ok| {
                    act.emit(CommentingAction::Form(Edit::Copied(ok)))
                }),
                Command::CopyWaiting(key, text) => copy_then(text, move |ok| {
                    if ok {
                        act.emit(CommentingAction::CopiedText(key));
                    }
                }),
                Command::RemoveWaiting(key) => {
                    outbox::update_pending(|list| list.retain(|p| p.key != key));
                    act.emit(CommentingAction::StorageChanged);
                }
            }
        },
    );
    Commands { act, run }
}

/// Submitting the form: the checks of jiedu-core first, then the comment is kept in the outbox
/// and sent ([`outbox::submit`]); what came of it goes to the state and the host page.
#[hook]
fn use_submit(
    api: Option<String>,
    doc_id: Option<String>,
    lang: UiLang,
    act: Callback<CommentingAction>,
    root: NodeRef,
    flusher: FlusherSlot,
) -> Callback<Draft> {
    use_callback((api, doc_id), move |draft: Draft, (api, doc_id)| {
        let (Some(api), Some(document)) = (api.clone(), doc_id.clone()) else {
            return;
        };
        let edit = |e: Edit| CommentingAction::Form(e);
        let (comment, errors) = draft.check();
        if !errors.is_empty() {
            act.emit(edit(Edit::Invalid(errors)));
            return;
        }
        act.emit(edit(Edit::Sending));
        let (act, root, flusher) = (act.clone(), root.clone(), flusher.clone());
        wasm_bindgen_futures::spawn_local(async move {
            match outbox::submit(&api, &document, &protocol::body(&comment), lang).await {
                Submitted::Sent(sent) => {
                    announce(&root, &sent);
                    act.emit(CommentingAction::Submitted(Notice::Receipt {
                        receipt: sent.receipt,
                        later: false,
                    }));
                }
                Submitted::Queued(after) => {
                    if let Some(f) = flusher.borrow().as_ref() {
                        f.schedule(protocol::retry_delay_ms(1, after, js_sys::Math::random()));
                    }
                    act.emit(CommentingAction::Submitted(Notice::Queued));
                }
                Submitted::Invalid(errors) => act.emit(edit(Edit::Invalid(errors))),
                Submitted::Refused(message) => act.emit(edit(Edit::Refused(message))),
                Submitted::Busy => act.emit(edit(Edit::Failed)),
            }
        });
    })
}

/// The buttons beside a clause's heading: "comment on this clause" while the consultation is
/// open, and the count of published answers to comments on it.
#[hook]
fn use_clause_actions(
    open: bool,
    answers: Rc<Vec<(String, u64)>>,
    env: Env,
    act: Callback<CommentingAction>,
) -> ClauseActions {
    use_callback(
        (open, answers, env),
        move |clause: ClauseRef, (open, answers, env)| {
            let count = answers
                .iter()
                .find(|(id, _)| *id == clause.id)
                .map_or(0, |(_, n)| *n);
            views::clause_actions(&clause, *open, count, &act, env.t)
        },
    )
}
