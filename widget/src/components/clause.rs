//! One clause (provision) of the original text: numbered heading, body, copy-link button, and
//! what commenting adds beside the heading on a draft ([`super::ClauseActions`]).

use yew::prelude::*;

use super::{ClauseActions, ClauseRef, Env, copy_link, heading};
use crate::anchor::Target;
use crate::rich::rich_text;
use crate::state::DocRef;

#[derive(Properties, PartialEq)]
pub struct ClauseProps {
    pub doc: DocRef,
    pub id: AttrValue,
    /// Nesting depth (0 for top-level clauses), for indentation.
    pub depth: usize,
    /// The heading level (3–6).
    pub level: u8,
    pub focused: bool,
    pub copied: Option<bool>,
    pub on_copy: Callback<Target>,
    #[prop_or_default]
    pub actions: Option<ClauseActions>,
}

#[function_component]
pub fn Clause(props: &ClauseProps) -> Html {
    let (Some(env), Some(p)) = (use_context::<Env>(), props.doc.doc.provision(&props.id)) else {
        return Html::default();
    };
    let target = Target::Provision(p.id.clone());
    let heading_text = super::clause_heading(p);
    let title = html! { heading_text.clone() };
    let actions = props.actions.as_ref().map(|actions| {
        actions.emit(ClauseRef {
            id: props.id.clone(),
            heading: heading_text.clone(),
        })
    });
    html! {
        <div id={target.element_id()} tabindex="-1"
            class={classes!("clause", format!("d{}", props.depth.min(3)), props.focused.then_some("target"))}>
            <div class="line">
                { heading(props.level, "clause-title", title) }
                { copy_link(&target, &heading_text, props.copied, &props.on_copy, env.t) }
                { for actions }
            </div>
            { rich_text(&p.body, &env.media_base, env.t) }
        </div>
    }
}
