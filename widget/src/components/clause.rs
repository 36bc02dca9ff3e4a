//! One clause (provision) of the original text: numbered heading, body and copy-link button.

use yew::prelude::*;

use super::{CopyLink, Env, heading};
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
}

#[function_component]
pub fn Clause(props: &ClauseProps) -> Html {
    let (Some(env), Some(p)) = (use_context::<Env>(), props.doc.doc.provision(&props.id)) else {
        return Html::default();
    };
    let target = Target::Provision(p.id.clone());
    let title = html! { crate::components::clause_heading(p) };
    html! {
        <div id={target.element_id()} tabindex="-1"
            class={classes!("clause", format!("d{}", props.depth.min(3)), props.focused.then_some("target"))}>
            <div class="line">
                { heading(props.level, "clause-title", title) }
                <CopyLink target={target.clone()} label={AttrValue::from(crate::components::clause_heading(p))}
                    copied={props.copied} on_copy={props.on_copy.clone()} />
            </div>
            { rich_text(&p.body, &env.media_base) }
        </div>
    }
}
