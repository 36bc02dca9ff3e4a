//! The comment form (提出意见): target, stance (with the proposed wording for "suggest a change"),
//! text with a live character count, submitter type, optional name, optional contact with its
//! privacy notice and consent box.
//!
//! The fields are checked with jiedu-core's rules before anything is sent
//! ([`crate::commenting::protocol::Draft::check`]); the server's `422` field errors land at the
//! same fields. Each invalid field has `aria-invalid` and its message linked with
//! `aria-describedby`, and the focus moves to the first one. Submitting hands the draft to
//! [`Command::Submit`], which keeps it in the outbox first and then sends it, so a failure of
//! the network or the server loses nothing.

use jiedu_core::Target as CoreTarget;
use jiedu_core::comment::{MAX_TEXT_CHARS, Stance, SubmitterType};
use wasm_bindgen::JsValue;
use yew::prelude::*;

use super::{Command, Commands};
use crate::commenting::protocol::{self, Draft, Edit, Form, FormField};
use crate::commenting::state::CommentingAction;
use crate::i18n::{Strings, UiLang, fill};
use crate::outline::{clause_heading, flatten};
use crate::state::DocRef;

pub struct CommentFormProps<'a> {
    pub doc: &'a DocRef,
    pub form: &'a Form,
    pub commands: &'a Commands,
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
    field: FormField,
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
    let id = f.field.element_id();
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
    let name = f.field.name();
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
    let edit = CommentingAction::Form;
    let act = &props.commands.act;

    let onsubmit = {
        let sending = form.sending;
        let draft: Draft = draft.clone();
        let run = props.commands.run.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if !sending {
                run.emit(Command::Submit(draft.clone()));
            }
        })
    };

    let core_lang = protocol::core_lang(lang);
    let error = |field: FormField| {
        form.errors
            .iter()
            .find(|e| e.field == field.name())
            .map(|e| e.message(core_lang))
    };
    let text_input =
        |field: FormField| act.reform(move |e: InputEvent| edit(Edit::Text(field, value_of(&e))));
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
        std::iter::once((String::from("document"), t.c.whole_document.to_owned()))
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
    let on_target = act.reform(move |e: Event| {
        edit(Edit::Target(match value_of(&e).as_str() {
            "document" => CoreTarget::Document,
            id => CoreTarget::Provision(id.to_owned()),
        }))
    });
    let stances = Stance::ALL
        .into_iter()
        .map(|s| {
            radio(s.as_str(), t.c.stance(s), draft.stance == Some(s), |v| {
                Edit::Stance(Stance::parse(v).unwrap_or(Stance::Support))
            })
        })
        .collect();
    let submitters = [SubmitterType::Individual, SubmitterType::Organization]
        .into_iter()
        .map(|s| {
            radio(s.as_str(), t.c.submitter(s), draft.submitter == s, |v| {
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
        |field: FormField, rows: u32, value: &str, autocomplete: &'static str| Control::Text {
            rows,
            value: AttrValue::from(value.to_owned()),
            autocomplete,
            oninput: text_input(field),
        };
    let fields = [
        Field {
            field: FormField::Target,
            label: t.c.target_label,
            control: Control::Select(target_options, on_target),
            hint: None,
            error: error(FormField::Target),
        },
        Field {
            field: FormField::Stance,
            label: t.c.stance_label,
            control: Control::Radios(stances),
            hint: None,
            error: error(FormField::Stance),
        },
        Field {
            field: FormField::Text,
            label: t.c.text_label,
            control: text(FormField::Text, 6, &draft.text, "off"),
            hint: Some((
                if count > MAX_TEXT_CHARS {
                    "hint jiedu-count over"
                } else {
                    "hint jiedu-count"
                },
                fill(
                    t.c.count,
                    &[&count.to_string(), &MAX_TEXT_CHARS.to_string()],
                ),
            )),
            error: error(FormField::Text),
        },
        Field {
            field: FormField::ProposedWording,
            label: t.c.wording_label,
            control: if draft.stance == Some(Stance::SuggestChange) {
                text(FormField::ProposedWording, 3, &draft.wording, "off")
            } else {
                Control::None
            },
            hint: None,
            error: error(FormField::ProposedWording),
        },
        Field {
            field: FormField::SubmitterType,
            label: t.c.submitter_label,
            control: Control::Radios(submitters),
            hint: None,
            error: None,
        },
        Field {
            field: FormField::Name,
            label: if organization {
                t.c.org_name_label
            } else {
                t.c.name_label
            },
            control: text(
                FormField::Name,
                0,
                &draft.name,
                if organization { "organization" } else { "name" },
            ),
            hint: Some(("hint", t.c.name_hint.to_owned())),
            error: error(FormField::Name),
        },
        Field {
            field: FormField::Contact,
            label: t.c.contact_label,
            control: text(FormField::Contact, 0, &draft.contact, "tel"),
            hint: Some(("hint privacy", t.c.privacy.to_owned())),
            error: error(FormField::Contact),
        },
        Field {
            field: FormField::Consent,
            label: t.c.consent_label,
            control: Control::Check(draft.consent, on_consent),
            hint: None,
            error: error(FormField::Consent),
        },
    ];

    let refused = form.refused.as_ref().map(|reason| {
        let onclick = {
            let text = draft.text.clone();
            props
                .commands
                .run
                .reform(move |_: MouseEvent| Command::CopyRefused(text.clone()))
        };
        html! {
            <div class="notice refused" role="alert">
                <p>{ fill(t.c.refused, &[reason]) }</p>
                <p>{ t.c.keep_text }</p>
                <button type="button" class="copy-text" {onclick}>
                    { match form.copied { Some(true) => t.c.copy_done, Some(false) => t.c.copy_failed, None => t.c.copy_text } }
                </button>
            </div>
        }
    });

    html! {
        <form class="jiedu-comment-form" novalidate={true} {onsubmit}
            aria-labelledby="jiedu-comment-title">
            <h3 id="jiedu-comment-title" tabindex="-1">{ t.c.form_title }</h3>
            if !form.errors.is_empty() {
                <p class="form-error" role="alert">{ t.c.form_invalid }</p>
            }
            { refused.unwrap_or_default() }
            { for fields.into_iter().map(field) }
            <button type="submit" class="button" disabled={form.sending}>
                { if form.sending { t.c.sending } else { t.c.submit } }
            </button>
        </form>
    }
}
