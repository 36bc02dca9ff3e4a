//! The table of contents: the clause headings as nested links.

use jiedu_core::Provision;
use yew::prelude::*;

use super::TargetLink;
use crate::anchor::Target;
use crate::i18n::Strings;
use crate::state::DocRef;

/// A plain function, not a component: it is cheap to render, and every component costs bytes of
/// the size budget.
pub fn toc(doc: &DocRef, on_navigate: &Callback<Target>, t: &Strings) -> Html {
    fn list(provisions: &[Provision], on_navigate: &Callback<Target>) -> Html {
        html! {
            <ol>
                { for provisions.iter().map(|p| html! {
                    <li>
                        <TargetLink target={Target::Provision(p.id.clone())} on_navigate={on_navigate.clone()}>
                            { crate::components::clause_heading(p) }
                        </TargetLink>
                        if !p.children.is_empty() { { list(&p.children, on_navigate) } }
                    </li>
                }) }
            </ol>
        }
    }
    let doc = &doc.doc;
    if doc.provisions.is_empty() {
        return Html::default();
    }
    html! {
        <nav class="toc" aria-label={t.toc}>
            <details open=true>
                <summary>{ t.toc }</summary>
                { list(&doc.provisions, on_navigate) }
            </details>
        </nav>
    }
}
