//! The comment form (提出意见): target, stance (with the proposed wording for "suggest a change"),
//! text with a live character count, submitter type, optional name, optional contact with its
//! privacy notice and consent box.
//!
//! The fields are checked with jiedu-core's rules before anything is sent
//! ([`crate::consult::Draft::check`]); the server's `422` field errors land at the same fields.
//! Each invalid field has `aria-invalid` and its message linked with `aria-describedby`, and the
//! focus moves to the first one. A submitted comment goes to the outbox first and is then sent
//! ([`crate::outbox`]), so a failure of the network or the server loses nothing.

use jiedu_core::Target as CoreTarget;
use jiedu_core::comment::{MAX_TEXT_CHARS, Stance, SubmitterType};
use wasm_bindgen::JsValue;
use yew::prelude::*;

use super::{clause_heading, flatten};
use crate::consult::{self, Answer, Draft, Edit, Form};
use crate::i18n::{Strings, UiLang, fill};
use crate::outbox::{self, Mode, Pending, Sent};
use crate::state::{Action, DocRef};

/// What a submission from the form ended in, for the widget to show and announce.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Sent(Sent),
    /// Kept in the outbox; the server asked to wait this many seconds, if it answered at all.
    Queued(Option<u32>),
}

pub struct CommentFormProps<'a> {
    pub doc: &'a DocRef,
    /// The API base (`…/api/v1`).
    pub api: &'a str,
    pub form: &'a Form,
    pub act: &'a Callback<Action>,
    pub on_outcome: &'a Callback<Outcome>,
}

/// A field's control.
enum Control {
    /// Not shown (the proposed wording, unless the stance is "suggest a change").
    None,
    /// A text input (`rows` 0) or a text area.
    Text {
        rows: u32,
        value: AttrValue,
        autocomplete: &'static str,
        oninput: Callback<InputEvent>,
    },
    Select(Html, Callback<Event>),
    /// Radio buttons: value, label, checked, on change.
    Radios(Vec<(&'static str, &'static str, bool, Callback<Event>)>),
    Check(bool, Callback<Event>),
}

/// One field of the form, named as in the request body (`name="text"`, `id="jiedu-f-text"`).
struct Field {
    name: &'static str,
    label: &'static str,
    control: Control,
    /// A hint under the control: its classes and text (`id="jiedu-f-text-hint"`).
    hint: Option<(&'static str, String)>,
    /// The message of the rule the value breaks.
    error: Option<String>,
}

/// A field with its label, hint and error message: `aria-invalid` and `aria-describedby` (hint,
/// then error) on the control. One function for every field keeps the bundle small.
///
/// The structure never changes with the field's state: the error paragraph is always there
/// (empty while the value is valid), so an error appearing or going away does not shift the
/// siblings of the control. yew matches unkeyed children from the end of a list; a sibling
/// added after the control would make it match another element, and the browser would get a new
/// textarea (or radio group) under the reader's fingers, with the focus and the rest of what
/// they type lost.
fn field(f: Field) -> Html {
    let id = format!("jiedu-f-{}", f.name);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = AttrValue::from(match &f.hint {
        Some(_) => format!("{hint_id} {error_id}"),
        None => error_id.clone(),
    });
    let invalid = AttrValue::from(if f.error.is_some() { "true" } else { "false" });
    let hint = f
        .hint
        .map(|(class, text)| html! { <p id={hint_id.clone()} {class}>{ text }</p> })
        .unwrap_or_default();
    let error = html! { <p class="field-error" id={error_id}>{ f.error.unwrap_or_default() }</p> };
    let name = f.name;
    match f.control {
        Control::None => Html::default(),
        Control::Radios(options) => html! {
            <fieldset class="field">
                <legend>{ f.label }</legend>
                <div class="choices">
                    { for options.into_iter().enumerate().map(|(i, (value, label, checked, onchange))| html! {
                        <label class="choice">
                            <input type="radio" id={(i == 0).then(|| id.clone())} {name} {value} {checked}
                                aria-invalid={invalid.clone()}
                                aria-describedby={described.clone()} {onchange} />
                            { label }
                        </label>
                    }) }
                </div>
                { error }
            </fieldset>
        },
        Control::Check(checked, onchange) => html! {
            <div class="field">
                <label class="choice">
                    <input type="checkbox" {id} {name} {checked} aria-invalid={invalid}
                        aria-describedby={described} {onchange} />
                    { f.label }
                </label>
                { error }
            </div>
        },
        control => html! {
            <div class="field">
                <label for={id.clone()}>{ f.label }</label>
                { match control {
                    Control::Text { rows: 0, value, autocomplete, oninput } => html! {
                        <input type="text" id={id.clone()} {name} {value} {autocomplete} {oninput}
                            aria-invalid={invalid} aria-describedby={described} />
                    },
                    Control::Text { rows, value, oninput, .. } => html! {
                        <textarea id={id.clone()} {name} rows={rows.to_string()} {value} {oninput}
                            aria-invalid={invalid} aria-describedby={described} />
                    },
                    Control::Select(options, onchange) => html! {
                        <select id={id.clone()} {name} {onchange} aria-invalid={invalid}
                            aria-describedby={described}>{ options }</select>
                    },
                    _ => Html::default(),
                } }
                { hint }
                { error }
            </div>
        },
    }
}

/// The `value` of the element an event came from (input, textarea or select).
fn value_of(e: &Event) -> String {
    e.target()
        .and_then(|t| js_sys::Reflect::get(&t, &JsValue::from_str("value")).ok())
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// The form. A plain function, not a component: its state is in the widget's reducer
/// ([`Form`]), and every component costs bytes of the size budget.
pub fn comment_form(props: &CommentFormProps, t: &'static Strings, lang: UiLang) -> Html {
    let form = props.form;
    let draft = &form.draft;
    let doc = &props.doc.doc;
    let edit = Action::Form;
    let act = props.act;

    let onsubmit = {
        let sending = form.sending;
        let draft: Draft = draft.clone();
        let api = props.api.to_owned();
        let document = doc.id.clone();
        let act = act.clone();
        let on_outcome = props.on_outcome.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if sending {
                return;
            }
            let (comment, errors) = draft.check();
            if !errors.is_empty() {
                act.emit(edit(Edit::Invalid(errors)));
                return;
            }
            act.emit(edit(Edit::Sending));
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
            let act = act.clone();
            let on_outcome = on_outcome.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match outbox::deliver(&pending, lang, Mode::Direct).await {
                    Some((_, Some(sent))) => on_outcome.emit(Outcome::Sent(sent)),
                    Some((Answer::Retry { after }, _)) => on_outcome.emit(Outcome::Queued(after)),
                    Some((Answer::Invalid(errors), _)) => act.emit(edit(Edit::Invalid(errors))),
                    Some((Answer::Refused { message, .. }, _)) => {
                        act.emit(edit(Edit::Refused(message)))
                    }
                    _ => act.emit(edit(Edit::Failed)),
                }
            });
        })
    };

    let core_lang = consult::core_lang(lang);
    let error = |name: &str| {
        form.errors
            .iter()
            .find(|e| e.field == name)
            .map(|e| e.message(core_lang))
    };
    let text_input =
        |name: &'static str| act.reform(move |e: InputEvent| edit(Edit::Text(name, value_of(&e))));
    let radio =
        |value: &'static str, label: &'static str, checked: bool, change: fn(&str) -> Edit| {
            (
                value,
                label,
                checked,
                act.reform(move |_: Event| edit(change(value))),
            )
        };

    let target_options: Html =
        std::iter::once((String::from("document"), t.whole_document.to_owned()))
            .chain(
                flatten(doc)
                    .into_iter()
                    .map(|(p, _)| (p.id.clone(), clause_heading(p))),
            )
            .map(|(value, label)| {
                let selected = draft.target.to_string() == value;
                html! { <option value={value} {selected}>{ label }</option> }
            })
            .collect();
    let on_target = act.reform(|e: Event| {
        Action::SetCommentTarget(match value_of(&e).as_str() {
            "document" => CoreTarget::Document,
            id => CoreTarget::Provision(id.to_owned()),
        })
    });
    let stances = Stance::ALL
        .into_iter()
        .map(|s| {
            radio(s.as_str(), t.stance(s), draft.stance == Some(s), |v| {
                Edit::Stance(Stance::parse(v).unwrap_or(Stance::Support))
            })
        })
        .collect();
    let submitters = [SubmitterType::Individual, SubmitterType::Organization]
        .into_iter()
        .map(|s| {
            radio(s.as_str(), t.submitter(s), draft.submitter == s, |v| {
                Edit::Submitter(if v == "organization" {
                    SubmitterType::Organization
                } else {
                    SubmitterType::Individual
                })
            })
        })
        .collect();
    let on_consent = act.reform(move |e: Event| {
        edit(Edit::Consent(
            e.target()
                .and_then(|t| js_sys::Reflect::get(&t, &JsValue::from_str("checked")).ok())
                .and_then(|v| v.as_bool())
                .unwrap_or(false),
        ))
    });
    let count = draft.text.chars().count();
    let organization = draft.submitter == SubmitterType::Organization;
    let text =
        |name: &'static str, rows: u32, value: &str, autocomplete: &'static str| Control::Text {
            rows,
            value: AttrValue::from(value.to_owned()),
            autocomplete,
            oninput: text_input(name),
        };
    let fields = [
        Field {
            name: "target",
            label: t.target_label,
            control: Control::Select(target_options, on_target),
            hint: None,
            error: error("target"),
        },
        Field {
            name: "stance",
            label: t.stance_label,
            control: Control::Radios(stances),
            hint: None,
            error: error("stance"),
        },
        Field {
            name: "text",
            label: t.text_label,
            control: text("text", 6, &draft.text, "off"),
            hint: Some((
                if count > MAX_TEXT_CHARS {
                    "hint jiedu-count over"
                } else {
                    "hint jiedu-count"
                },
                fill(t.count, &[&count.to_string(), &MAX_TEXT_CHARS.to_string()]),
            )),
            error: error("text"),
        },
        Field {
            name: "proposedWording",
            label: t.wording_label,
            control: if draft.stance == Some(Stance::SuggestChange) {
                text("proposedWording", 3, &draft.wording, "off")
            } else {
                Control::None
            },
            hint: None,
            error: error("proposedWording"),
        },
        Field {
            name: "submitterType",
            label: t.submitter_label,
            control: Control::Radios(submitters),
            hint: None,
            error: None,
        },
        Field {
            name: "name",
            label: if organization {
                t.org_name_label
            } else {
                t.name_label
            },
            control: text(
                "name",
                0,
                &draft.name,
                if organization { "organization" } else { "name" },
            ),
            hint: Some(("hint", t.name_hint.to_owned())),
            error: error("name"),
        },
        Field {
            name: "contact",
            label: t.contact_label,
            control: text("contact", 0, &draft.contact, "tel"),
            hint: Some(("hint privacy", t.privacy.to_owned())),
            error: error("contact"),
        },
        Field {
            name: "consent",
            label: t.consent_label,
            control: Control::Check(draft.consent, on_consent),
            hint: None,
            error: error("consent"),
        },
    ];

    let refused = form.refused.as_ref().map(|reason| {
        let onclick = {
            let text = draft.text.clone();
            let act = act.clone();
            Callback::from(move |_: MouseEvent| {
                let text = text.clone();
                let act = act.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    act.emit(edit(Edit::Copied(crate::host::copy_text(&text).await)));
                });
            })
        };
        html! {
            <div class="notice refused" role="alert">
                <p>{ fill(t.refused, &[reason]) }</p>
                <p>{ t.keep_text }</p>
                <button type="button" class="copy-text" {onclick}>
                    { match form.copied { Some(true) => t.copy_done, Some(false) => t.copy_failed, None => t.copy_text } }
                </button>
            </div>
        }
    });

    html! {
        <form class="jiedu-comment-form" novalidate={true} {onsubmit}
            aria-labelledby="jiedu-comment-title">
            <h3 id="jiedu-comment-title" tabindex="-1">{ t.form_title }</h3>
            if !form.errors.is_empty() {
                <p class="form-error" role="alert">{ t.form_invalid }</p>
            }
            { refused.unwrap_or_default() }
            { for fields.into_iter().map(field) }
            <button type="submit" class="button" disabled={form.sending}>
                { if form.sending { t.sending } else { t.submit } }
            </button>
        </form>
    }
}
