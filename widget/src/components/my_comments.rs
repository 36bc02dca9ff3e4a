//! "My comments" (我的意见): the comments this browser sent on the document, with their receipt
//! numbers and a status check each, the ones still waiting in the outbox (or refused while they
//! waited, with their text to copy), and a box to check any receipt number typed by hand.

use std::collections::HashMap;
use std::rc::Rc;

use jiedu_core::comment::ReceiptStatus;
use jiedu_core::{Document, Target as CoreTarget};
use yew::prelude::*;

use super::{Env, clause_heading};
use crate::api::{self, Lookup};
use crate::consult::core_lang;
use crate::i18n::{Strings, UiLang, fill};
use crate::outbox::{self, Pending, Sent};
use crate::state::DocRef;

#[derive(Properties, PartialEq)]
pub struct MyCommentsProps {
    pub doc: DocRef,
    pub api: AttrValue,
    /// Changes when the stored comments change.
    pub rev: u32,
    /// Tells the widget that the stored comments changed here (one removed).
    pub on_change: Callback<()>,
}

/// A receipt lookup: under way, or its result.
type Check = Option<Lookup<ReceiptStatus>>;

/// The receipt lookups made here, by receipt number.
#[derive(Default, PartialEq)]
struct Checks(HashMap<String, Check>);

impl Reducible for Checks {
    type Action = (String, Check);

    fn reduce(self: Rc<Self>, (receipt, check): (String, Check)) -> Rc<Self> {
        let mut next = self.0.clone();
        next.insert(receipt, check);
        Rc::new(Checks(next))
    }
}

/// The name of a target in this document: its clause heading, or "the whole document".
pub fn target_name(doc: &Document, t: &Strings, target: &str) -> String {
    match target {
        "document" => t.whole_document.to_owned(),
        id => doc
            .provision(id)
            .map_or_else(|| id.to_owned(), clause_heading),
    }
}

/// Text shortened to `max` characters, for lists.
pub fn excerpt(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// What a receipt check found, as a line of text.
fn status_view(check: &Check, t: &Strings, lang: UiLang) -> Html {
    let text = match check {
        None => t.checking.to_owned(),
        Some(Lookup::NotFound) => t.not_found.to_owned(),
        Some(Lookup::Failed(_)) => t.lookup_failed.to_owned(),
        Some(Lookup::Found(s)) => {
            let stop = if lang == UiLang::Zh { "。" } else { ". " };
            let mut line = t.public_status(s.status).to_owned();
            if let Some(decision) = s.decision {
                line.push_str(stop);
                line.push_str(t.decision_label);
                line.push_str(decision.label(core_lang(lang)));
            }
            if let Some(reason) = &s.reason {
                line.push_str(stop);
                line.push_str(t.reason_label);
                line.push_str(reason);
            }
            line
        }
    };
    html! { <p class="jiedu-status" role="status">{ text }</p> }
}

#[function_component]
pub fn MyComments(props: &MyCommentsProps) -> Html {
    let env = use_context::<Env>();
    let lists = use_memo(
        (props.rev, props.doc.doc.id.clone(), props.api.clone()),
        |(_, document, api)| {
            let mine = |d: &str, a: &str| d == document && a == api.as_str();
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
    let checks = use_reducer(Checks::default);
    let typed = use_state(String::new);
    let copied = use_state(|| None::<String>);

    let Some(env) = env else {
        return Html::default();
    };
    let t = env.t;
    let lang = env.lang;
    let doc = &props.doc.doc;

    // Looks a receipt up and keeps the answer under that receipt.
    let check = {
        let checks = checks.dispatcher();
        let api = props.api.to_string();
        Callback::from(move |receipt: String| {
            checks.dispatch((receipt.clone(), None));
            let checks = checks.clone();
            let api = api.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let found = api::receipt(&api, &receipt, lang).await;
                checks.dispatch((receipt, Some(found)));
            });
        })
    };

    let (waiting, sent) = &*lists;
    let waiting_items = waiting.iter().map(|p| {
        let written = outbox::written(p);
        let state = match &p.refused {
            Some(reason) => fill(t.refused, &[reason]),
            None => t.waiting.to_owned(),
        };
        let actions = p.refused.is_some().then(|| {
            let copy = {
                let text = written.text.clone();
                let copied = copied.clone();
                let key = p.key.clone();
                Callback::from(move |_: MouseEvent| {
                    let (text, copied, key) = (text.clone(), copied.clone(), key.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        if crate::host::copy_text(&text).await {
                            copied.set(Some(key));
                        }
                    });
                })
            };
            let remove = {
                let key = p.key.clone();
                let on_change = props.on_change.clone();
                Callback::from(move |_: MouseEvent| {
                    outbox::update_pending(|list| list.retain(|p| p.key != key));
                    on_change.emit(());
                })
            };
            let done = copied.as_deref() == Some(p.key.as_str());
            html! {
                <p class="actions">
                    <button type="button" onclick={copy}>{ if done { t.copy_done } else { t.copy_text } }</button>
                    <button type="button" onclick={remove}>{ t.remove }</button>
                </p>
            }
        });
        html! {
            <li class={classes!("mine", if p.refused.is_some() { "refused" } else { "waiting" })}>
                <p class="mine-head">
                    <span class="tag">{ target_name(doc, t, &written.target) }</span>
                    <span class="mine-state">{ state }</span>
                </p>
                <p class="mine-text">{ excerpt(&written.text, 140) }</p>
                { for actions }
            </li>
        }
    });
    let sent_items = sent.iter().map(|s| {
        let onclick = check.reform({
            let receipt = s.receipt.clone();
            move |_: MouseEvent| receipt.clone()
        });
        let status = checks
            .0
            .get(&s.receipt)
            .map(|c| status_view(c, t, lang));
        html! {
            <li class="mine sent" data-receipt={s.receipt.clone()}>
                <p class="mine-head">
                    <span class="tag">{ target_name(doc, t, &s.target) }</span>
                    <span>{ t.receipt_label }<strong class="receipt-no">{ s.receipt.clone() }</strong></span>
                    <button type="button" class="check-status" {onclick}>{ t.check_status }</button>
                </p>
                <p class="mine-text">{ excerpt(&s.text, 140) }</p>
                { for status }
            </li>
        }
    });

    let typed_receipt = typed.trim().to_owned();
    let on_typed = {
        let typed = typed.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            typed.set(input.value());
        })
    };
    let run_check = {
        let check = check.clone();
        let receipt = typed_receipt.clone();
        move || {
            if !receipt.is_empty() {
                check.emit(receipt.clone());
            }
        }
    };
    let onsubmit = {
        let run = run_check.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            run();
        })
    };
    let onclick = Callback::from(move |_: MouseEvent| run_check());
    let typed_status = (!typed_receipt.is_empty())
        .then(|| checks.0.get(&typed_receipt))
        .flatten()
        .map(|c| {
            let target = match c {
                Some(Lookup::Found(s)) => Some(match &s.target {
                    CoreTarget::Document => t.whole_document.to_owned(),
                    CoreTarget::Provision(id) => target_name(doc, t, id),
                }),
                _ => None,
            };
            html! {
                <div class="typed-status">
                    if let Some(target) = target { <p class="tag">{ target }</p> }
                    { status_view(c, t, lang) }
                </div>
            }
        });

    html! {
        <section class="jiedu-my-comments" aria-labelledby="jiedu-mine">
            <h3 id="jiedu-mine">{ t.mine_title }</h3>
            if waiting.is_empty() && sent.is_empty() {
                <p class="hint">{ t.mine_empty }</p>
            } else {
                <ul class="mine-list">{ for waiting_items }{ for sent_items }</ul>
            }
            <form class="jiedu-receipt-check" {onsubmit}>
                <label for="jiedu-receipt-input">{ t.check_label }</label>
                <div class="row-input">
                    <input id="jiedu-receipt-input" name="receipt" type="text" autocomplete="off"
                        spellcheck="false" placeholder="JD-7K3Q-9XWM" value={(*typed).clone()} oninput={on_typed} />
                    <button type="button" {onclick}>{ t.check }</button>
                </div>
            </form>
            { for typed_status }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_cut_at_characters() {
        assert_eq!(excerpt("一二三四", 2), "一二…");
        assert_eq!(excerpt("一二", 2), "一二");
    }
}
