//! The document header: status and disclosure badges, title, document number, issuer, dates,
//! summary.

use jiedu_core::Status;
use yew::prelude::*;

use super::Env;
use crate::state::DocRef;

#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    pub doc: DocRef,
}

#[function_component]
pub fn Header(props: &HeaderProps) -> Html {
    let Some(env) = use_context::<Env>() else {
        return Html::default();
    };
    let t = env.t;
    let doc = &props.doc.doc;
    let status_class = match doc.status {
        Status::Draft | Status::Consultation => "pending",
        Status::InForce => "ok",
        Status::Revised | Status::Repealed => "old",
    };
    let fields = [
        (t.doc_number, doc.doc_number.clone()),
        (t.issuer, doc.issuer.clone()),
        (t.issued, doc.issued.map(|d| d.to_string())),
        (t.effective, doc.effective.map(|d| d.to_string())),
    ];
    html! {
        <header class="head">
            <p class="badges">
                <span class={classes!("badge", status_class)}>{ t.status(doc.status) }</span>
                <span class="badge">{ t.disclosure(doc.disclosure) }</span>
            </p>
            <h2 class="title">{ doc.title.clone() }</h2>
            <dl class="facts">
                { for fields.into_iter().filter_map(|(name, value)| value.map(|value| html! {
                    <div><dt>{ name }</dt><dd>{ value }</dd></div>
                })) }
            </dl>
            if let Some(summary) = &doc.summary {
                <p class="summary">{ summary.clone() }</p>
            }
        </header>
    }
}
