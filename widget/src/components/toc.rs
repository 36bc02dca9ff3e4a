//! The table of contents: the clause headings as nested links.

use jiedu_core::Provision;
use yew::prelude::*;

use super::TargetLink;
use crate::anchor::Target;
use crate::state::DocRef;

#[derive(Properties, PartialEq)]
pub struct TocProps {
    pub doc: DocRef,
    pub on_navigate: Callback<Target>,
    pub label: &'static str,
}

/// A component, unlike most of the page's parts: a long document's contents are a link per
/// clause (1,260 for the Civil Code), and its props compare by pointer, so a keystroke in the
/// search box does not build and compare them all again.
#[function_component]
pub fn Toc(props: &TocProps) -> Html {
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
    let doc = &props.doc.doc;
    if doc.provisions.is_empty() {
        return Html::default();
    }
    html! {
        <nav class="toc" aria-label={props.label}>
            <details open=true>
                <summary>{ props.label }</summary>
                { list(&doc.provisions, &props.on_navigate) }
            </details>
        </nav>
    }
}
