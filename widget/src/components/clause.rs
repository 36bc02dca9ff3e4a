//! One clause (provision) of the original text: numbered heading, body, copy-link button, and
//! on a draft the "comment on this clause" button (while open) and the link to its answers (once
//! the feedback is published).

use jiedu_core::Target as CoreTarget;
use yew::prelude::*;

use super::{Env, copy_link, heading};
use crate::anchor::Target;
use crate::rich::rich_text;
use crate::state::{Action, DocRef};

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
    /// Comments may be sent on this clause now.
    #[prop_or_default]
    pub commenting: bool,
    /// Published answers to comments on this clause.
    #[prop_or_default]
    pub answers: u64,
    #[prop_or_default]
    pub act: Callback<Action>,
}

#[function_component]
pub fn Clause(props: &ClauseProps) -> Html {
    let (Some(env), Some(p)) = (use_context::<Env>(), props.doc.doc.provision(&props.id)) else {
        return Html::default();
    };
    let target = Target::Provision(p.id.clone());
    let heading_text = crate::components::clause_heading(p);
    let title = html! { heading_text.clone() };
    let comment = props.commenting.then(|| {
        let id = p.id.clone();
        let onclick = props
            .act
            .reform(move |_: MouseEvent| Action::CommentOn(CoreTarget::Provision(id.clone())));
        html! {
            <button type="button" class="jiedu-comment-btn" data-target={p.id.clone()}
                aria-label={format!("{}：{heading_text}", env.t.comment_clause)} {onclick}>
                { env.t.comment_clause }
            </button>
        }
    });
    let answers = (props.answers > 0).then(|| {
        let id = p.id.clone();
        let onclick = props
            .act
            .reform(move |_: MouseEvent| Action::ShowFeedback(Some(id.clone())));
        html! {
            <button type="button" class="jiedu-answers-btn" data-target={p.id.clone()} {onclick}>
                { crate::i18n::fill(env.t.answers, &[&props.answers.to_string()]) }
            </button>
        }
    });
    html! {
        <div id={target.element_id()} tabindex="-1"
            class={classes!("clause", format!("d{}", props.depth.min(3)), props.focused.then_some("target"))}>
            <div class="line">
                { heading(props.level, "clause-title", title) }
                { copy_link(&target, &heading_text, props.copied, &props.on_copy, env.t) }
                { for comment }
                { for answers }
            </div>
            { rich_text(&p.body, &env.media_base, env.t) }
        </div>
    }
}
