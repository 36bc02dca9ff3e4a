//! The commenting part of a draft's page: what became of the last comment (its receipt number
//! with a copy button, or the notice that it is kept on this device), the form while the
//! consultation is open, and "my comments".
//!
//! A plain function rather than a component: its state lives in the widget's reducer, and every
//! component costs bytes of the size budget.

use yew::prelude::*;

use super::{CommentFormProps, MyCommentsProps, Outcome, comment_form, my_comments};
use crate::i18n::{Strings, UiLang};
use crate::outbox::{Pending, Sent};
use crate::state::{Action, DocRef, Notice, State};

pub struct CommentPanelProps<'a> {
    pub doc: &'a DocRef,
    pub api: &'a str,
    /// The consultation is open: the form is shown.
    pub open: bool,
    /// The widget's state: the notice, the form, the receipt lookups.
    pub state: &'a State,
    /// This document's comments kept in localStorage.
    pub waiting: &'a [Pending],
    pub sent: &'a [Sent],
    pub act: &'a Callback<Action>,
    pub on_outcome: &'a Callback<Outcome>,
}

pub fn comment_panel(props: &CommentPanelProps, t: &'static Strings, lang: UiLang) -> Html {
    let state = props.state;
    let notice = state.notice.as_ref().map(|notice| {
        let (class, title, receipt) = match notice {
            Notice::Receipt { receipt, later } => (
                "notice ok",
                if *later { t.delivered } else { t.receipt_title },
                Some(receipt),
            ),
            Notice::Queued => ("notice jiedu-queued", t.queued, None),
        };
        let receipt = receipt.map(|receipt| {
            let onclick = {
                let receipt = receipt.clone();
                let act = props.act.clone();
                Callback::from(move |_: MouseEvent| {
                    let receipt = receipt.clone();
                    let act = act.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        act.emit(Action::NoticeCopied(crate::host::copy_text(&receipt).await));
                    });
                })
            };
            let copy_label = match state.notice_copied {
                None => t.copy_receipt,
                Some(true) => t.copy_done,
                Some(false) => t.copy_failed,
            };
            html! {
                <>
                    <p>
                        { t.receipt_label }<strong class="jiedu-receipt">{ receipt.clone() }</strong>
                        <button type="button" {onclick}>{ copy_label }</button>
                    </p>
                    <p class="hint">{ t.receipt_keep }</p>
                </>
            }
        });
        html! {
            <div id="jiedu-notice" {class} role="status" tabindex="-1">
                <p><strong>{ title }</strong></p>
                { for receipt }
            </div>
        }
    });
    let form = props.open.then(|| {
        comment_form(
            &CommentFormProps {
                doc: props.doc,
                api: props.api,
                form: &state.form,
                act: props.act,
                on_outcome: props.on_outcome,
            },
            t,
            lang,
        )
    });
    let mine = my_comments(
        &MyCommentsProps {
            doc: props.doc,
            api: props.api,
            waiting: props.waiting,
            sent: props.sent,
            checks: &state.checks,
            typed: &state.typed,
            copied: state.copied_key.as_deref(),
            act: props.act,
        },
        t,
        lang,
    );
    html! {
        <section id="jiedu-comment" class="jiedu-consult">
            { for notice }
            { for form }
            { mine }
        </section>
    }
}
