//! The key-points layout: interpretation cards grouped by kind (background, considerations,
//! key points, impact …), each linking back to its clauses, then the original text the links
//! lead to.

use jiedu_core::InterpretationKind;
use yew::prelude::*;

use super::{Env, ViewProps, flatten, heading_level};
use crate::progressive::{rows_html, rows_needed, use_progressive};

#[function_component]
pub fn KeyPoints(props: &ViewProps) -> Html {
    let doc = &props.doc.doc;
    let order = flatten(doc);
    let shown = use_progressive(order.len(), rows_needed(&order, props.focus.as_ref()));
    let Some(env) = use_context::<Env>() else {
        return Html::default();
    };
    let t = env.t;
    let groups = InterpretationKind::ALL
        .into_iter()
        .filter(|k| *k != InterpretationKind::FollowUp)
        .filter_map(|kind| {
            let cards: Vec<Html> = doc
                .interpretations
                .iter()
                .filter(|i| i.kind == kind)
                .map(|i| props.card(i, 4, true))
                .collect();
            let id = format!("jiedu-kind-{}", kind.as_str());
            (!cards.is_empty()).then(|| {
                html! {
                    <section class={classes!("group", kind.as_str())} aria-labelledby={id.clone()}>
                        <h3 {id}>{ t.kind(kind) }</h3>
                        <div class="cards">{ for cards }</div>
                    </section>
                }
            })
        });
    let clauses: Vec<Html> = order
        .into_iter()
        .take(shown)
        .map(|(p, depth)| props.clause(p, depth, heading_level(depth + 1)))
        .collect();
    html! {
        <div class="key-points">
            { for groups }
            <section class="original-text" aria-labelledby="jiedu-original">
                <h3 id="jiedu-original">{ t.original }</h3>
                { rows_html(clauses) }
            </section>
        </div>
    }
}
