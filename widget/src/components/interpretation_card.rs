//! One interpretation as a card: its kind, title, author and date, body, and (where the card is
//! away from its clauses) links back to them.

use jiedu_core::Target as CoreTarget;
use yew::prelude::*;

use super::{Env, TargetLink, copy_link, heading};
use crate::anchor::Target;
use crate::rich::rich_text;
use crate::state::DocRef;

#[derive(Properties, PartialEq)]
pub struct InterpretationCardProps {
    pub doc: DocRef,
    pub id: AttrValue,
    pub level: u8,
    /// Whether this card carries the interpretation's anchor (`id`). An interpretation of
    /// several clauses is shown beside each of them, but only the first copy may hold the id.
    #[prop_or(true)]
    pub anchor: bool,
    /// Show "related clauses" links (key-points layout, timeline).
    #[prop_or_default]
    pub show_targets: bool,
    pub focused: bool,
    pub copied: Option<bool>,
    pub on_copy: Callback<Target>,
    pub on_navigate: Callback<Target>,
}

#[function_component]
pub fn InterpretationCard(props: &InterpretationCardProps) -> Html {
    let Some(env) = use_context::<Env>() else {
        return Html::default();
    };
    let t = env.t;
    let doc = &props.doc.doc;
    let Some(i) = doc.interpretations.iter().find(|i| *i.id == *props.id) else {
        return Html::default();
    };
    let target = Target::Interpretation(i.id.clone());
    let related: Vec<Html> = if props.show_targets {
        i.targets
            .iter()
            .filter_map(CoreTarget::provision_id)
            .filter_map(|id| doc.provision(id))
            .map(|p| {
                html! {
                    <TargetLink target={Target::Provision(p.id.clone())} on_navigate={props.on_navigate.clone()}>
                        { crate::components::clause_heading(p) }
                    </TargetLink>
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let meta = match (&i.by, &i.date) {
        (None, None) => Html::default(),
        (by, date) => html! {
            <p class="meta">
                if let Some(by) = by { <span>{ format!("{}{by}", t.by) }</span> }
                if let Some(date) = date { <time datetime={date.to_string()}>{ date.to_string() }</time> }
            </p>
        },
    };
    html! {
        <article id={props.anchor.then(|| target.element_id())} tabindex={props.anchor.then_some("-1")}
            class={classes!("card", i.kind.as_str(), props.focused.then_some("target"))}>
            <div class="line">
                <span class="kind">{ t.kind(i.kind) }</span>
                { heading(props.level, "card-title", html! { i.title.clone() }) }
                { copy_link(&target, &i.title, props.copied, &props.on_copy, t) }
            </div>
            { meta }
            <div class="card-body">{ rich_text(&i.body, &env.media_base, env.t) }</div>
            if !related.is_empty() {
                <p class="related">{ t.related }{ for related }</p>
            }
        </article>
    }
}
