//! The comment form (提出意见): target, stance (with the proposed wording for "suggest a change"),
//! text with a live character count, submitter type, optional name, optional contact with its
//! privacy notice and consent box.
//!
//! The fields are checked with jiedu-core's rules before anything is sent
//! ([`crate::consult::Draft::check`]); the server's `422` field errors land at the same fields.
//! Each invalid field has `aria-invalid` and its message linked with `aria-describedby`, and the
//! focus moves to the first one. A submitted comment goes to the outbox first and is then sent
//! ([`crate::outbox`]), so a failure of the network or the server loses nothing.

use std::rc::Rc;

use jiedu_core::Target as CoreTarget;
use jiedu_core::comment::{FieldError, MAX_TEXT_CHARS, Stance, SubmitterType};
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

use super::{Env, clause_heading, flatten};
use crate::consult::{self, Answer, Draft};
use crate::i18n::fill;
use crate::outbox::{self, Mode, Pending, Sent};
use crate::state::DocRef;

/// What a submission from the form ended in, for the widget to show and announce.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Sent(Sent),
    Queued,
}

#[derive(Properties, PartialEq)]
pub struct CommentFormProps {
    pub doc: DocRef,
    /// The API base (`…/api/v1`).
    pub api: AttrValue,
    pub target: CoreTarget,
    pub on_target: Callback<CoreTarget>,
    pub on_outcome: Callback<Outcome>,
}

/// The form's own state: the fields, the errors shown, and whether a request is under way.
#[derive(Clone, Debug, Default, PartialEq)]
struct Form {
    draft: Draft,
    errors: Rc<Vec<FieldError>>,
    /// Checked once already: from then on the fields are checked as the reader types.
    checked: bool,
    sending: bool,
    /// The server refused the comment for good (closed period …): its message.
    refused: Option<String>,
    /// Counts failed submissions: each moves the focus to the first invalid field.
    focus: u32,
}

enum Edit {
    Text(&'static str, String),
    Stance(Stance),
    Submitter(SubmitterType),
    Consent(bool),
    /// The target changed (props): the form checks against it.
    Target(CoreTarget),
    Invalid(Vec<FieldError>),
    Sending,
    Refused(String),
    /// Sent or queued: the comment's own fields are emptied; who is writing stays.
    Done,
    Failed,
}

impl Reducible for Form {
    type Action = Edit;

    fn reduce(self: Rc<Self>, action: Edit) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Edit::Invalid(errors) => {
                next.errors = Rc::new(errors);
                next.checked = true;
                next.sending = false;
                next.focus += 1;
            }
            Edit::Sending => {
                next.sending = true;
                next.refused = None;
            }
            Edit::Refused(message) => {
                next.sending = false;
                next.refused = Some(message);
            }
            Edit::Done => {
                let d = std::mem::take(&mut next.draft);
                next.draft = Draft {
                    target: d.target,
                    name: d.name,
                    contact: d.contact,
                    consent: d.consent,
                    submitter: d.submitter,
                    ..Draft::default()
                };
                next.errors = Rc::default();
                next.checked = false;
                next.sending = false;
            }
            Edit::Failed => next.sending = false,
            edit => {
                let d = &mut next.draft;
                match edit {
                    Edit::Text("text", value) => d.text = value,
                    Edit::Text("proposedWording", value) => d.wording = value,
                    Edit::Text("name", value) => d.name = value,
                    Edit::Text(_, value) => d.contact = value,
                    Edit::Stance(stance) => d.stance = Some(stance),
                    Edit::Submitter(submitter) => d.submitter = submitter,
                    Edit::Consent(on) => d.consent = on,
                    Edit::Target(target) => d.target = target,
                    _ => {}
                }
                if next.checked {
                    next.errors = Rc::new(next.draft.check().1);
                }
            }
        }
        Rc::new(next)
    }
}

/// The `value` of the element an event came from (input, textarea or select).
fn value_of(e: &Event) -> String {
    e.target()
        .and_then(|t| js_sys::Reflect::get(&t, &JsValue::from_str("value")).ok())
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

#[function_component]
pub fn CommentForm(props: &CommentFormProps) -> Html {
    let env = use_context::<Env>();
    let form = use_reducer(Form::default);
    let form_ref = use_node_ref();
    let copied = use_state(|| None::<bool>);

    use_effect_with(props.target.clone(), {
        let form = form.dispatcher();
        move |target| form.dispatch(Edit::Target(target.clone()))
    });
    // After a failed check, the first invalid field gets the focus.
    use_effect_with(form.focus, {
        let form_ref = form_ref.clone();
        move |focus| {
            if *focus > 0 {
                let first = form_ref
                    .cast::<web_sys::Element>()
                    .and_then(|f| f.query_selector("[aria-invalid=true]").ok().flatten());
                if let Some(field) = first.and_then(|f| f.dyn_into::<web_sys::HtmlElement>().ok()) {
                    let _ = field.focus();
                }
            }
        }
    });

    let Some(env) = env else {
        return Html::default();
    };
    let t = env.t;
    let lang = env.lang;
    let draft = &form.draft;
    let doc = &props.doc.doc;

    let onsubmit = {
        let form = form.clone();
        let api = props.api.to_string();
        let document = doc.id.clone();
        let on_outcome = props.on_outcome.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if form.sending {
                return;
            }
            let (comment, errors) = form.draft.check();
            if !errors.is_empty() {
                form.dispatch(Edit::Invalid(errors));
                return;
            }
            form.dispatch(Edit::Sending);
            let pending = Pending {
                key: crate::api::new_key(),
                api: api.clone(),
                document: document.clone(),
                body: consult::body(&comment),
                failures: 0,
                refused: None,
                saved: js_sys::Date::now() as i64,
            };
            // Saved before it is sent: a tab closed mid-request loses nothing either.
            outbox::update_pending(|list| list.push(pending.clone()));
            let form = form.dispatcher();
            let on_outcome = on_outcome.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match outbox::deliver(&pending, lang, Mode::Direct).await {
                    Some((_, Some(sent))) => {
                        form.dispatch(Edit::Done);
                        on_outcome.emit(Outcome::Sent(sent));
                    }
                    Some((Answer::Retry { .. }, _)) => {
                        form.dispatch(Edit::Done);
                        on_outcome.emit(Outcome::Queued);
                    }
                    Some((Answer::Invalid(errors), _)) => form.dispatch(Edit::Invalid(errors)),
                    Some((Answer::Refused { message, .. }, _)) => {
                        form.dispatch(Edit::Refused(message))
                    }
                    _ => form.dispatch(Edit::Failed),
                }
            });
        })
    };

    let core_lang = consult::core_lang(lang);
    let errors = form.errors.clone();
    let error_of = |field: &str| errors.iter().find(|e| e.field == field);
    // The id of a field's message, and the message itself, shown under the field.
    let message = |field: &str| -> Html {
        match error_of(field) {
            Some(e) => html! {
                <p class="field-error" id={format!("jiedu-f-{field}-error")}>{ e.message(core_lang) }</p>
            },
            None => Html::default(),
        }
    };
    let invalid = |field: &str| error_of(field).is_some().to_string();
    // `aria-describedby`: the field's hints, then its error message when it has one.
    let described = |field: &str, hints: &[&str]| -> Option<String> {
        let mut ids: Vec<String> = hints.iter().map(|h| (*h).to_owned()).collect();
        if error_of(field).is_some() {
            ids.push(format!("jiedu-f-{field}-error"));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    };
    let text_input = |field: &'static str| {
        let form = form.dispatcher();
        Callback::from(move |e: InputEvent| form.dispatch(Edit::Text(field, value_of(&e))))
    };

    let target_options = std::iter::once((String::from("document"), t.whole_document.to_owned()))
        .chain(
            flatten(doc)
                .into_iter()
                .map(|(p, _)| (p.id.clone(), clause_heading(p))),
        )
        .map(|(value, label)| {
            let selected = props.target.to_string() == value;
            html! { <option value={value} {selected}>{ label }</option> }
        });
    let on_target = props
        .on_target
        .reform(|e: Event| match value_of(&e).as_str() {
            "document" => CoreTarget::Document,
            id => CoreTarget::Provision(id.to_owned()),
        });

    let stances = Stance::ALL.into_iter().map(|stance| {
        let d = form.dispatcher();
        let onchange = Callback::from(move |_: Event| d.dispatch(Edit::Stance(stance)));
        html! {
            <label class="choice">
                <input type="radio" name="stance" value={stance.as_str()}
                    checked={draft.stance == Some(stance)} aria-invalid={invalid("stance")}
                    aria-describedby={described("stance", &[])} {onchange} />
                { t.stance(stance) }
            </label>
        }
    });
    let submitters = [SubmitterType::Individual, SubmitterType::Organization]
        .into_iter()
        .map(|submitter| {
            let d = form.dispatcher();
            let onchange = Callback::from(move |_: Event| d.dispatch(Edit::Submitter(submitter)));
            html! {
                <label class="choice">
                    <input type="radio" name="submitterType" value={submitter.as_str()}
                        checked={draft.submitter == submitter} {onchange} />
                    { t.submitter(submitter) }
                </label>
            }
        });
    let on_consent = {
        let d = form.dispatcher();
        Callback::from(move |e: Event| {
            d.dispatch(Edit::Consent(
                e.target()
                    .and_then(|t| js_sys::Reflect::get(&t, &JsValue::from_str("checked")).ok())
                    .and_then(|v| v.as_bool())
                    .unwrap_or(false),
            ))
        })
    };
    let count = draft.text.chars().count();
    let organization = draft.submitter == SubmitterType::Organization;

    let refused = form.refused.as_ref().map(|reason| {
        let onclick = {
            let text = draft.text.clone();
            let copied = copied.clone();
            Callback::from(move |_: MouseEvent| {
                let text = text.clone();
                let copied = copied.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    copied.set(Some(crate::host::copy_text(&text).await));
                });
            })
        };
        html! {
            <div class="notice refused" role="alert">
                <p>{ fill(t.refused, &[reason]) }</p>
                <p>{ t.keep_text }</p>
                <button type="button" class="copy-text" {onclick}>
                    { match *copied { Some(true) => t.copy_done, Some(false) => t.copy_failed, None => t.copy_text } }
                </button>
            </div>
        }
    });

    html! {
        <form ref={form_ref} class="jiedu-comment-form" novalidate={true} {onsubmit}
            aria-labelledby="jiedu-comment-title">
            <h3 id="jiedu-comment-title" tabindex="-1">{ t.form_title }</h3>
            if !form.errors.is_empty() {
                <p class="form-error" role="alert">{ t.form_invalid }</p>
            }
            { for refused }
            <div class="field">
                <label for="jiedu-f-target">{ t.target_label }</label>
                <select id="jiedu-f-target" name="target" onchange={on_target}
                    aria-invalid={invalid("target")} aria-describedby={described("target", &[])}>
                    { for target_options }
                </select>
                { message("target") }
            </div>
            <fieldset class="field">
                <legend>{ t.stance_label }</legend>
                <div class="choices">{ for stances }</div>
                { message("stance") }
            </fieldset>
            if draft.stance == Some(Stance::SuggestChange) {
                <div class="field">
                    <label for="jiedu-f-proposedWording">{ t.wording_label }</label>
                    <textarea id="jiedu-f-proposedWording" name="proposedWording" rows="3"
                        value={draft.wording.clone()} oninput={text_input("proposedWording")}
                        aria-invalid={invalid("proposedWording")}
                        aria-describedby={described("proposedWording", &[])} />
                    { message("proposedWording") }
                </div>
            }
            <div class="field">
                <label for="jiedu-f-text">{ t.text_label }</label>
                <textarea id="jiedu-f-text" name="text" rows="6" value={draft.text.clone()}
                    oninput={text_input("text")} aria-invalid={invalid("text")}
                    aria-describedby={described("text", &["jiedu-f-text-count"])} />
                <p id="jiedu-f-text-count" class={classes!("hint", "jiedu-count", (count > MAX_TEXT_CHARS).then_some("over"))}>
                    { fill(t.count, &[&count.to_string(), &MAX_TEXT_CHARS.to_string()]) }
                </p>
                { message("text") }
            </div>
            <fieldset class="field">
                <legend>{ t.submitter_label }</legend>
                <div class="choices">{ for submitters }</div>
            </fieldset>
            <div class="field">
                <label for="jiedu-f-name">{ if organization { t.org_name_label } else { t.name_label } }</label>
                <input id="jiedu-f-name" name="name" type="text" autocomplete={if organization { "organization" } else { "name" }}
                    value={draft.name.clone()} oninput={text_input("name")} aria-invalid={invalid("name")}
                    aria-describedby={described("name", &["jiedu-f-name-hint"])} />
                <p id="jiedu-f-name-hint" class="hint">{ t.name_hint }</p>
                { message("name") }
            </div>
            <div class="field">
                <label for="jiedu-f-contact">{ t.contact_label }</label>
                <input id="jiedu-f-contact" name="contact" type="text" autocomplete="tel"
                    value={draft.contact.clone()} oninput={text_input("contact")} aria-invalid={invalid("contact")}
                    aria-describedby={described("contact", &["jiedu-f-privacy"])} />
                <p id="jiedu-f-privacy" class="hint privacy">{ t.privacy }</p>
                { message("contact") }
            </div>
            <div class="field">
                <label class="choice">
                    <input id="jiedu-f-consent" name="consent" type="checkbox" checked={draft.consent}
                        onchange={on_consent} aria-invalid={invalid("consent")}
                        aria-describedby={described("consent", &["jiedu-f-privacy"])} />
                    { t.consent_label }
                </label>
                { message("consent") }
            </div>
            <button type="submit" class="button" disabled={form.sending}>
                { if form.sending { t.sending } else { t.submit } }
            </button>
        </form>
    }
}
