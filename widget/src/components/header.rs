//! The document header: status and disclosure badges, title, document number, issuer, dates,
//! summary; above them the notice of a document that no longer applies (已废止 / 已失效 and
//! since when), and for a document that replaces another the link to its 修订对照 page.

use jiedu_core::Status;
use yew::prelude::*;

use crate::i18n::{Strings, fill};
use crate::state::DocRef;

/// The header. A plain function, not a component: it is cheap to render, and every component
/// costs bytes of the size budget.
/// `server` is the root of the `jiedu serve` that has the compare page (`…/` or empty), if known.
pub fn header(doc: &DocRef, server: Option<&str>, t: &Strings) -> Html {
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
            if let Some(lapse) = doc.lapsed {
                <p class="summary lapsed" role="note"><strong>{ lapse.kind.label(t.lang) }
                    { fill(t.lapsed_on, &[&lapse.on.to_string()]) }</strong></p>
            }
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
            if let (Some(server), Some(_)) = (server, &doc.replaces) {
                <p><a class="compare" href={format!("{server}documents/{}/compare", doc.id)}>{ t.compare }</a></p>
            }
        </header>
    }
}
