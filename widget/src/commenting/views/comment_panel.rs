//! The commenting part of a draft's page: what became of the last comment (its receipt number
//! with a copy button, or the notice that it is kept on this device), the form while the
//! consultation is open, and "my comments"; and the sheet that shows the form over the page at
//! a clause.
//!
//! A plain function rather than a component: its state lives in the widget's reducer, and every
//! component costs bytes of the size budget. What it does goes through [`Commands`].

use yew::prelude::*;

use super::{Command, Commands};
use super::{CommentFormProps, MyCommentsProps, comment_form, my_comments};
use crate::commenting::records::{Pending, Sent, Written};
use crate::commenting::state::{Commenting, CommentingAction, Notice};
use crate::components::Env;
use crate::i18n::{Strings, UiLang};
use crate::outline::clause_heading;
use crate::rich::rich_text;
use crate::state::DocRef;

pub struct CommentPanelProps<'a> {
    pub doc: &'a DocRef,
    /// The consultation is open: the form is shown.
    pub open: bool,
    /// The commenting state: the notice, the form, the receipt lookups.
    pub state: &'a Commenting,
    /// This document's comments kept in localStorage.
    pub waiting: &'a [(Pending, Written)],
    pub sent: &'a [Sent],
    pub commands: &'a Commands,
}

/// What became of the last comment: its receipt number with a copy button, or the notice that
/// it is kept on this device.
fn notice_view(state: &Commenting, commands: &Commands, t: &'static Strings) -> Option<Html> {
    let notice = state.notice.as_ref()?;
    let (class, title, receipt) = match notice {
        Notice::Receipt { receipt, later } => (
            "notice ok",
            if *later {
                t.c.delivered
            } else {
                t.c.receipt_title
            },
            Some(receipt),
        ),
        Notice::Queued => ("notice jiedu-queued", t.c.queued, None),
    };
    let receipt = receipt.map(|receipt| {
        let onclick = {
            let receipt = receipt.clone();
            commands
                .run
                .reform(move |_: MouseEvent| Command::CopyReceipt(receipt.clone()))
        };
        let copy_label = match state.notice_copied {
            None => t.c.copy_receipt,
            Some(true) => t.c.copy_done,
            Some(false) => t.c.copy_failed,
        };
        html! {
            <>
                <p>
                    { t.c.receipt_label }<strong class="jiedu-receipt">{ receipt.clone() }</strong>
                    <button type="button" {onclick}>{ copy_label }</button>
                </p>
                <p class="hint">{ t.c.receipt_keep }</p>
            </>
        }
    });
    Some(html! {
        <div id="jiedu-notice" {class} role="status" tabindex="-1">
            <p><strong>{ title }</strong></p>
            { receipt.unwrap_or_default() }
        </div>
    })
}

fn form_view(props: &CommentPanelProps, t: &'static Strings, lang: UiLang) -> Html {
    comment_form(
        &CommentFormProps {
            doc: props.doc,
            form: &props.state.form,
            commands: props.commands,
        },
        t,
        lang,
    )
}

pub fn comment_panel(props: &CommentPanelProps, t: &'static Strings, lang: UiLang) -> Html {
    let state = props.state;
    // While the sheet is open, the notice and the form are there, not here (one of each).
    let here = state.sheet.is_none();
    let notice = here
        .then(|| notice_view(state, props.commands, t))
        .flatten();
    let form = (props.open && here).then(|| form_view(props, t, lang));
    let mine = my_comments(
        &MyCommentsProps {
            doc: props.doc,
            waiting: props.waiting,
            sent: props.sent,
            checks: &state.checks,
            typed: &state.typed,
            copied: state.copied_key.as_deref(),
            commands: props.commands,
        },
        t,
        lang,
    );
    html! {
        <section id="jiedu-comment" class="jiedu-consult">
            { notice.unwrap_or_default() }
            { form.unwrap_or_default() }
            { mine }
        </section>
    }
}

/// The comment sheet: a modal `<dialog>` over the page that quotes the clause being commented
/// on above the form, so on a phone the clause stays in sight while the reader writes (the
/// form at the end of the widget is thousands of pixels away). After sending it shows the
/// receipt; closing it (its button, or Escape) returns to the clause. The dialog is always in
/// the page while commenting is possible, empty while closed; the widget opens it with
/// `showModal()` ([`crate::host::sync_dialog`]).
pub fn comment_sheet(props: &CommentPanelProps, env: &Env, lang: UiLang) -> Html {
    let t = env.t;
    let state = props.state;
    let onclose = props
        .commands
        .act
        .reform(|_: Event| CommentingAction::CloseSheet);
    let content = state.sheet.as_ref().map(|_| {
        let quoted = props
            .state
            .form
            .draft
            .target
            .provision_id()
            .and_then(|id| props.doc.doc.provision(id));
        let quote = quoted.map(|p| {
            html! {
                <blockquote class="sheet-quote">
                    <p class="clause-title">{ clause_heading(p) }</p>
                    { rich_text(&p.body, &env.media_base, t) }
                </blockquote>
            }
        });
        // A `method="dialog"` form closes the dialog without script; its `close` event does the rest.
        html! {
            <>
                <form method="dialog" class="sheet-bar">
                    <button class="back">{ t.c.back_to_clause }</button>
                </form>
                { quote.unwrap_or_default() }
                { notice_view(state, props.commands, t).unwrap_or_default() }
                { form_view(props, t, lang) }
            </>
        }
    });
    html! {
        <dialog id="jiedu-sheet" class="sheet" aria-labelledby="jiedu-comment-title" {onclose}>
            { content.unwrap_or_default() }
        </dialog>
    }
}
