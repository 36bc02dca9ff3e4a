//! The commenting part of a draft's page: what became of the last comment (its receipt number
//! with a copy button, or the notice that it is kept on this device), the form while the
//! consultation is open, and "my comments".

use jiedu_core::Target as CoreTarget;
use yew::prelude::*;

use super::{CommentForm, Env, MyComments, Outcome};
use crate::state::{DocRef, Notice};

#[derive(Properties, PartialEq)]
pub struct CommentPanelProps {
    pub doc: DocRef,
    pub api: AttrValue,
    /// The consultation is open: the form is shown.
    pub open: bool,
    pub target: CoreTarget,
    pub notice: Option<Notice>,
    pub mine_rev: u32,
    pub on_target: Callback<CoreTarget>,
    pub on_outcome: Callback<Outcome>,
    pub on_storage: Callback<()>,
}

#[function_component]
pub fn CommentPanel(props: &CommentPanelProps) -> Html {
    let env = use_context::<Env>();
    let copied = use_state(|| None::<bool>);
    let notice_ref = use_node_ref();

    // A receipt just given for the form's comment, or a comment kept for later: the focus moves
    // there, so that a screen reader says it and the reader sees it. (A comment sent later from
    // the outbox does not take the focus away from what the reader is doing.)
    use_effect_with(props.notice.clone(), {
        let notice_ref = notice_ref.clone();
        let copied = copied.clone();
        move |notice| {
            copied.set(None);
            if !matches!(notice, Some(Notice::Receipt { later: true, .. }) | None) {
                if let Some(element) = notice_ref.cast::<web_sys::HtmlElement>() {
                    let _ = element.focus();
                }
            }
        }
    });

    let Some(env) = env else {
        return Html::default();
    };
    let t = env.t;
    let notice = match &props.notice {
        Some(Notice::Receipt { receipt, later }) => {
            let onclick = {
                let receipt = receipt.clone();
                let copied = copied.clone();
                Callback::from(move |_: MouseEvent| {
                    let receipt = receipt.clone();
                    let copied = copied.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        copied.set(Some(crate::host::copy_text(&receipt).await));
                    });
                })
            };
            let copy_label = match *copied {
                None => t.copy_receipt,
                Some(true) => t.copy_done,
                Some(false) => t.copy_failed,
            };
            html! {
                <div ref={notice_ref} class="notice ok" role="status" tabindex="-1">
                    <p><strong>{ if *later { t.delivered } else { t.receipt_title } }</strong></p>
                    <p>
                        { t.receipt_label }<strong class="jiedu-receipt">{ receipt.clone() }</strong>
                        <button type="button" class="copy-receipt" {onclick}>{ copy_label }</button>
                    </p>
                    <p class="hint">{ t.receipt_keep }</p>
                </div>
            }
        }
        Some(Notice::Queued) => html! {
            <div ref={notice_ref} class="notice jiedu-queued" role="status" tabindex="-1">
                <p><strong>{ t.queued }</strong></p>
            </div>
        },
        None => Html::default(),
    };
    html! {
        <section id="jiedu-comment" class="jiedu-consult">
            { notice }
            if props.open {
                <CommentForm doc={props.doc.clone()} api={props.api.clone()} target={props.target.clone()}
                    on_target={props.on_target.clone()} on_outcome={props.on_outcome.clone()} />
            }
            <MyComments doc={props.doc.clone()} api={props.api.clone()} rev={props.mine_rev}
                on_change={props.on_storage.clone()} />
        </section>
    }
}
