//! The document header: status and disclosure badges, title, document number, issuer, dates,
//! summary.

use jiedu_core::Status;
use yew::prelude::*;

use crate::i18n::Strings;
use crate::state::DocRef;

/// The header. A plain function, not a component: it is cheap to render, and every component
/// costs bytes of the size budget.
pub fn header(doc: &DocRef, t: &Strings) -> Html {
    let doc = &doc.doc;
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
