//! The 原文对照 layout: each clause on the left, its interpretations on the right. The two
//! columns stack when the widget is narrower than 720px (a container query on the widget).

use yew::prelude::*;

use super::{Env, ViewProps, clause_interpretations, first_time, flatten, heading_level};
use crate::progressive::{rows_html, rows_needed, use_progressive};

#[function_component]
pub fn SideBySide(props: &ViewProps) -> Html {
    let doc = &props.doc.doc;
    let order = flatten(doc);
    let shown = use_progressive(order.len(), rows_needed(&order, props.focus.as_ref()));
    let Some(env) = use_context::<Env>() else {
        return Html::default();
    };
    // Only the first copy of an interpretation of several clauses carries its anchor.
    let mut anchored: Vec<&str> = Vec::new();
    let rows: Vec<Html> = order
        .into_iter()
        .take(shown)
        .map(|(p, depth)| {
            let level = heading_level(depth);
            let cards: Vec<Html> = clause_interpretations(doc, &p.id)
                .map(|i| {
                    props.card_copy(
                        i,
                        (level + 1).min(6),
                        false,
                        first_time(&mut anchored, &i.id),
                    )
                })
                .collect();
            html! {
                <div class={classes!("row", cards.is_empty().then_some("bare"))}>
                    <div class="original">{ props.clause(p, depth, level) }</div>
                    <div class="explained">{ for cards }</div>
                </div>
            }
        })
        .collect();
    html! {
        <div class="side-by-side">
            { props.overall(&env) }
            <div class="row heads" aria-hidden="true">
                <div>{ env.t.original }</div>
                <div>{ env.t.interpretations_of }</div>
            </div>
            { rows_html(rows) }
        </div>
    }
}
