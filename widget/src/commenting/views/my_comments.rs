//! "My comments" (我的意见): the comments this browser sent on the document, with their receipt
//! numbers and a status check each, the ones still waiting in the outbox (or refused while they
//! waited, with their text to copy), and a box to check any receipt number typed by hand.

use jiedu_core::comment::ReceiptStatus;
use jiedu_core::{Document, Target};
use yew::prelude::*;

use super::{Command, Commands};
use crate::commenting::api::Lookup;
use crate::commenting::protocol::core_lang;
use crate::commenting::records::{Pending, Sent, Written};
use crate::commenting::state::CommentingAction;
use crate::i18n::{Strings, UiLang, fill};
use crate::outline::clause_heading;
use crate::state::DocRef;

pub struct MyCommentsProps<'a> {
    pub doc: &'a DocRef,
    /// This document's comments kept in localStorage: waiting in the outbox (with what they
    /// say), and sent.
    pub waiting: &'a [(Pending, Written)],
    pub sent: &'a [Sent],
    /// The receipt lookups made, the receipt typed by hand, the waiting comment just copied.
    pub checks: &'a [(String, Check)],
    pub typed: &'a str,
    pub copied: Option<&'a str>,
    pub commands: &'a Commands,
}

/// A receipt lookup: under way, or its result.
pub type Check = Option<Lookup<ReceiptStatus>>;

/// One comment in the list: its target, a line about its state, an excerpt, and what can be
/// done with it.
struct Item {
    class: &'static str,
    receipt: Option<String>,
    target: Target,
    head: Html,
    text: String,
    extra: Html,
}

/// The name of a target in this document: its clause heading, or "the whole document".
pub fn target_name(doc: &Document, t: &Strings, target: &Target) -> String {
    match target {
        Target::Document => t.c.whole_document.to_owned(),
        Target::Provision(id) => doc
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
fn status_text(check: &Check, t: &Strings, lang: UiLang) -> String {
    match check {
        None => t.c.checking.to_owned(),
        Some(Lookup::NotFound) => t.c.not_found.to_owned(),
        Some(Lookup::Failed(_)) => t.c.lookup_failed.to_owned(),
        Some(Lookup::Found(s)) => {
            let stop = if lang == UiLang::Zh { "。" } else { ". " };
            let mut line = t.c.public_status(s.status).to_owned();
            if let Some(decision) = s.decision {
                line.push_str(stop);
                line.push_str(t.c.decision_label);
                line.push_str(decision.label(core_lang(lang)));
            }
            if let Some(reason) = &s.reason {
                line.push_str(stop);
                line.push_str(t.c.reason_label);
                line.push_str(reason);
            }
            line
        }
    }
}

/// A receipt check's status line (`role="status"`, announced when its text changes).
fn status_view(text: String) -> Html {
    html! { <p class="jiedu-status" role="status">{ text }</p> }
}

/// The list. A plain function, not a component: its state is in the widget's reducer, and every
/// component costs bytes of the size budget.
pub fn my_comments(props: &MyCommentsProps, t: &'static Strings, lang: UiLang) -> Html {
    let doc = &props.doc.doc;
    let act = &props.commands.act;
    let lookup = |receipt: &str| {
        props
            .checks
            .iter()
            .find(|(r, _)| r == receipt)
            .map(|(_, c)| c)
    };

    // Looks a receipt up; the answer is kept under that receipt.
    let check = props.commands.run.reform(Command::Check);

    let mut items: Vec<Item> = Vec::new();
    for (p, written) in props.waiting {
        let (class, state, actions) = match &p.refused {
            None => ("mine waiting", t.c.waiting.to_owned(), Html::default()),
            Some(reason) => {
                let copy = {
                    let (key, text) = (p.key.clone(), written.text.clone());
                    props.commands.run.reform(move |_: MouseEvent| {
                        Command::CopyWaiting(key.clone(), text.clone())
                    })
                };
                let remove = {
                    let key = p.key.clone();
                    props
                        .commands
                        .run
                        .reform(move |_: MouseEvent| Command::RemoveWaiting(key.clone()))
                };
                let done = props.copied == Some(p.key.as_str());
                let actions = html! {
                    <p>
                        <button type="button" onclick={copy}>{ if done { t.c.copy_done } else { t.c.copy_text } }</button>
                        <button type="button" onclick={remove}>{ t.c.remove }</button>
                    </p>
                };
                ("mine refused", fill(t.c.refused, &[reason]), actions)
            }
        };
        items.push(Item {
            class,
            receipt: None,
            target: written.target.clone(),
            head: html! { state },
            text: written.text.clone(),
            extra: actions,
        });
    }
    for s in props.sent {
        let onclick = check.reform({
            let receipt = s.receipt.clone();
            move |_: MouseEvent| receipt.clone()
        });
        let head = html! {
            <>
                { t.c.receipt_label }<strong class="receipt-no">{ s.receipt.clone() }</strong>
                <button type="button" class="check-status" {onclick}>{ t.c.check_status }</button>
            </>
        };
        let status =
            lookup(&s.receipt).map_or_else(Html::default, |c| status_view(status_text(c, t, lang)));
        items.push(Item {
            class: "mine sent",
            receipt: Some(s.receipt.clone()),
            target: s.target.clone(),
            head,
            text: s.text.clone(),
            extra: status,
        });
    }
    let items = items.into_iter().map(|i| {
        html! {
            <li class={i.class} data-receipt={i.receipt}>
                <p class="mine-head"><span class="tag">{ target_name(doc, t, &i.target) }</span>{ i.head }</p>
                <p class="mine-text">{ excerpt(&i.text, 140) }</p>
                { i.extra }
            </li>
        }
    });

    let typed_receipt = props.typed.trim().to_owned();
    let on_typed = act.reform(|e: InputEvent| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        CommentingAction::Typed(input.value())
    });
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
    // Always present, empty until a check: a line appearing after the form would make yew
    // replace the input the reader is typing in (unkeyed children are matched from the end).
    let typed_status = (!typed_receipt.is_empty())
        .then(|| lookup(&typed_receipt))
        .flatten()
        .map(|c| status_text(c, t, lang))
        .unwrap_or_default();

    html! {
        <section class="jiedu-my-comments" aria-labelledby="jiedu-mine">
            <h3 id="jiedu-mine">{ t.c.mine_title }</h3>
            if props.waiting.is_empty() && props.sent.is_empty() {
                <p class="hint">{ t.c.mine_empty }</p>
            } else {
                <ul class="mine-list">{ for items }</ul>
            }
            <form class="jiedu-receipt-check" {onsubmit}>
                <label for="jiedu-receipt-input">{ t.c.check_label }</label>
                <div class="row-input">
                    <input id="jiedu-receipt-input" name="receipt" type="text" autocomplete="off"
                        spellcheck="false" placeholder="JD-7K3Q-9XWM" value={props.typed.to_owned()} oninput={on_typed} />
                    <button type="button" {onclick}>{ t.c.check }</button>
                </div>
            </form>
            { status_view(typed_status) }
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
