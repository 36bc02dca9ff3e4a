//! The table of contents: the clause headings as nested links.

use jiedu_core::Provision;
use yew::prelude::*;

use super::{Env, TargetLink};
use crate::anchor::Target;
use crate::state::DocRef;

#[derive(Properties, PartialEq)]
pub struct TocProps {
    pub doc: DocRef,
    pub on_navigate: Callback<Target>,
}

#[function_component]
pub fn Toc(props: &TocProps) -> Html {
    let Some(env) = use_context::<Env>() else {
        return Html::default();
    };
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
        <nav class="toc" aria-label={env.t.toc}>
            <details open=true>
                <summary>{ env.t.toc }</summary>
                { list(&doc.provisions, &props.on_navigate) }
            </details>
        </nav>
    }
}
