//! The inline layout: the original text, with each clause's interpretations folded under it
//! behind a button (`aria-expanded`). Printing expands every fold.

use yew::prelude::*;

use super::{Env, ViewProps, clause_interpretations, first_time, flatten, heading_level};
use crate::anchor::Target;
use crate::i18n::fill;
use crate::progressive::{rows_html, rows_needed, use_progressive};

#[function_component]
pub fn InlineView(props: &ViewProps) -> Html {
    let doc = &props.doc.doc;
    let order = flatten(doc);
    let shown = use_progressive(order.len(), rows_needed(&order, props.focus.as_ref()));
    let Some(env) = use_context::<Env>() else {
        return Html::default();
    };
    let t = env.t;
    // Only the first copy of an interpretation of several clauses carries its anchor.
    let mut anchored: Vec<&str> = Vec::new();
    let items: Vec<Html> = order
        .into_iter()
        .take(shown)
        .map(|(p, depth)| {
            let level = heading_level(depth);
            let target = Target::Provision(p.id.clone());
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
            let fold = if cards.is_empty() {
                Html::default()
            } else {
                let open = props.is_open(&target);
                let panel = format!("{}-panel", target.element_id());
                let onclick = {
                    let on_toggle = props.on_toggle.clone();
                    let target = target.clone();
                    Callback::from(move |_| on_toggle.emit(target.clone()))
                };
                let count = cards.len().to_string();
                html! {
                    <>
                        <button type="button" class="fold" aria-expanded={open.to_string()}
                            aria-controls={panel.clone()} {onclick}>
                            { if open { t.hide.to_owned() } else { fill(t.show, &[&count]) } }
                        </button>
                        <div id={panel} class={classes!("panel", (!open).then_some("closed"))}>
                            { for cards }
                        </div>
                    </>
                }
            };
            html! {
                <div class="item">
                    { props.clause(p, depth, level) }
                    { fold }
                </div>
            }
        })
        .collect();
    html! {
        <div class="inline">
            { props.overall(&env) }
            { rows_html(items) }
        </div>
    }
}
