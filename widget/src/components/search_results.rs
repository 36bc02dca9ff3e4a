//! Search results: matching FAQs, clauses and interpretations, with the matches highlighted.

use yew::prelude::*;

use super::{Env, TargetLink};
use crate::anchor::Target;
use crate::i18n::fill;
use crate::rich::highlighted;
use crate::search::{search, snippet};
use crate::state::DocRef;

#[derive(Properties, PartialEq)]
pub struct SearchResultsProps {
    pub doc: DocRef,
    pub query: AttrValue,
    pub on_navigate: Callback<Target>,
}

#[function_component]
pub fn SearchResults(props: &SearchResultsProps) -> Html {
    let Some(env) = use_context::<Env>() else {
        return Html::default();
    };
    let t = env.t;
    let query = props.query.as_str();
    let hits = search(&props.doc.index, query);
    let count = if hits.is_empty() {
        fill(t.no_results, &[query.trim()])
    } else {
        fill(t.results, &[&hits.len().to_string()])
    };
    html! {
        <section class="results" aria-label={t.results_label}>
            <p class="count" role="status">{ count }</p>
            <ul>
                { for hits.into_iter().map(|hit| {
                    let kind = match hit.target {
                        Target::Provision(_) => 0,
                        Target::Interpretation(_) => 1,
                        Target::Faq(_) => 2,
                    };
                    html! {
                        <li>
                            <span class="tag">{ t.result_kinds[kind] }</span>
                            <TargetLink target={hit.target.clone()} on_navigate={props.on_navigate.clone()}>
                                { highlighted(&hit.title, query) }
                            </TargetLink>
                            if !hit.text.is_empty() {
                                <p class="snippet">{ highlighted(&snippet(&hit.text, query, 40), query) }</p>
                            }
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
