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
    let parts = Parts {
        form,
        act: &props.commands.act,
        lang: protocol::core_lang(lang),
    };
    let fields = what_fields(&parts, &props.doc.doc, t)
        .into_iter()
        .chain(who_fields(&parts, t));
    html! {
        <form class="jiedu-comment-form" novalidate={true} onsubmit={on_submit(props)}
            aria-labelledby="jiedu-comment-title">
            <h3 id="jiedu-comment-title" tabindex="-1">{ t.c.form_title }</h3>
            if !form.errors.is_empty() {
                <p class="form-error" role="alert">{ t.c.form_invalid }</p>
            }
            { refused_notice(props, t) }
            { for fields.map(field) }
            <button type="submit" class="button" disabled={form.sending}>
                { if form.sending { t.c.sending } else { t.c.submit } }
            </button>
        </form>
    }
}

/// Submitting hands the draft to [`Command::Submit`] (once: not while it is being sent).
fn on_submit(props: &CommentFormProps) -> Callback<SubmitEvent> {
    let sending = props.form.sending;
    let draft: Draft = props.form.draft.clone();
    let run = props.commands.run.clone();
    Callback::from(move |e: SubmitEvent| {
        e.prevent_default();
        if !sending {
            run.emit(Command::Submit(draft.clone()));
        }
    })
}

/// The server refused the comment (a rule it checks that the form cannot): why, and a button
/// that copies the text so the citizen keeps it.
fn refused_notice(props: &CommentFormProps, t: &'static Strings) -> Html {
    let form = props.form;
    let Some(reason) = form.refused.as_ref() else {
        return Html::default();
    };
    let onclick = {
        let text = form.draft.text.clone();
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
}

/// What every field is built from: the form's state, the callback that edits it, and the
/// language of the rules' messages.
struct Parts<'a> {
    form: &'a Form,
    act: &'a Callback<CommentingAction>,
    lang: jiedu_core::Lang,
}

impl Parts<'_> {
    /// The message of the rule `field` breaks, if any.
    fn error(&self, field: FormField) -> Option<String> {
        self.form
            .errors
            .iter()
            .find(|e| e.field == field.name())
            .map(|e| e.message(self.lang))
    }

    /// A text input (`rows` 0) or text area editing `field`.
    fn text(
        &self,
        field: FormField,
        rows: u32,
        value: &str,
        autocomplete: &'static str,
    ) -> Control {
        Control::Text {
            rows,
            value: AttrValue::from(value.to_owned()),
            autocomplete,
            oninput: self.act.reform(move |e: InputEvent| {
                CommentingAction::Form(Edit::Text(field, value_of(&e)))
            }),
        }
    }

    /// A radio button: its value, label, whether it is checked, and the edit choosing it.
    fn radio(
        &self,
        value: &'static str,
        label: &'static str,
        checked: bool,
        change: fn(&str) -> Edit,
    ) -> (&'static str, &'static str, bool, Callback<Event>) {
        let onchange = self
            .act
            .reform(move |_: Event| CommentingAction::Form(change(value)));
        (value, label, checked, onchange)
    }
}

/// What the comment is about and says: target, stance, text with its count, proposed wording.
fn what_fields(p: &Parts, doc: &jiedu_core::Document, t: &'static Strings) -> [Field; 4] {
    let draft = &p.form.draft;
    let count = draft.text.chars().count();
    let stances = Stance::ALL
        .into_iter()
        .map(|s| {
            p.radio(s.as_str(), t.c.stance(s), draft.stance == Some(s), |v| {
                Edit::Stance(Stance::parse(v).unwrap_or(Stance::Support))
            })
        })
        .collect();
    [
        Field {
            field: FormField::Target,
            label: t.c.target_label,
            control: target_select(p, doc, t),
            hint: None,
            error: p.error(FormField::Target),
        },
        Field {
            field: FormField::Stance,
            label: t.c.stance_label,
            control: Control::Radios(stances),
            hint: None,
            error: p.error(FormField::Stance),
        },
        Field {
            field: FormField::Text,
            label: t.c.text_label,
            control: p.text(FormField::Text, 6, &draft.text, "off"),
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
            error: p.error(FormField::Text),
        },
        Field {
            field: FormField::ProposedWording,
            label: t.c.wording_label,
            control: if draft.stance == Some(Stance::SuggestChange) {
                p.text(FormField::ProposedWording, 3, &draft.wording, "off")
            } else {
                Control::None
            },
            hint: None,
            error: p.error(FormField::ProposedWording),
        },
    ]
}

/// The choice of target: the whole document, or one of its clauses in reading order.
fn target_select(p: &Parts, doc: &jiedu_core::Document, t: &'static Strings) -> Control {
    let current = p.form.draft.target.to_string();
    let options: Html = std::iter::once((String::from("document"), t.c.whole_document.to_owned()))
        .chain(
            flatten(doc)
                .into_iter()
                .map(|(p, _)| (p.id.clone(), clause_heading(p))),
        )
        .map(|(value, label)| {
            let selected = current == value;
            html! { <option value={value} {selected}>{ label }</option> }
        })
        .collect();
    let onchange = p.act.reform(move |e: Event| {
        CommentingAction::Form(Edit::Target(match value_of(&e).as_str() {
            "document" => CoreTarget::Document,
            id => CoreTarget::Provision(id.to_owned()),
        }))
    });
    Control::Select(options, onchange)
}

/// Who comments: individual or organisation, the optional name and contact, and the consent.
fn who_fields(p: &Parts, t: &'static Strings) -> [Field; 4] {
    let draft = &p.form.draft;
    let organization = draft.submitter == SubmitterType::Organization;
    let submitters = [SubmitterType::Individual, SubmitterType::Organization]
        .into_iter()
        .map(|s| {
            p.radio(s.as_str(), t.c.submitter(s), draft.submitter == s, |v| {
                Edit::Submitter(if v == "organization" {
                    SubmitterType::Organization
                } else {
                    SubmitterType::Individual
                })
            })
        })
        .collect();
    let on_consent = p.act.reform(move |e: Event| {
        CommentingAction::Form(Edit::Consent(
            e.target()
                .and_then(|t| js_sys::Reflect::get(&t, &JsValue::from_str("checked")).ok())
                .and_then(|v| v.as_bool())
                .unwrap_or(false),
        ))
    });
    [
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
            control: p.text(
                FormField::Name,
                0,
                &draft.name,
                if organization { "organization" } else { "name" },
            ),
            hint: Some(("hint", t.c.name_hint.to_owned())),
            error: p.error(FormField::Name),
        },
        Field {
            field: FormField::Contact,
            label: t.c.contact_label,
            control: p.text(FormField::Contact, 0, &draft.contact, "tel"),
            hint: Some(("hint privacy", t.c.privacy.to_owned())),
            error: p.error(FormField::Contact),
        },
        Field {
            field: FormField::Consent,
            label: t.c.consent_label,
            control: Control::Check(draft.consent, on_consent),
            hint: None,
            error: p.error(FormField::Consent),
        },
    ]
}
