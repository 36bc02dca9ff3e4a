//! Search results: matching FAQs, clauses and interpretations, with the matches highlighted.

use yew::prelude::*;

use super::TargetLink;
use crate::anchor::Target;
use crate::i18n::{Strings, fill};
use crate::rich::highlighted;
use crate::search::{search, snippet};
use crate::state::DocRef;

/// A plain function, not a component: it is cheap to render, and every component costs bytes of
/// the size budget.
pub fn search_results(
    doc: &DocRef,
    query: &str,
    on_navigate: &Callback<Target>,
    t: &Strings,
) -> Html {
    let hits = search(doc.index(), query);
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
                            <TargetLink target={hit.target.clone()} on_navigate={on_navigate.clone()}>
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
