//! The FAQ section: each question a heading with a disclosure button, the answer folded under it.

use jiedu_core::Target as CoreTarget;
use yew::prelude::*;

use super::{Env, TargetLink, ViewProps, copy_link};
use crate::anchor::Target;
use crate::rich::rich_text;

#[function_component]
pub fn Faqs(props: &ViewProps) -> Html {
    let Some(env) = use_context::<Env>() else {
        return Html::default();
    };
    let t = env.t;
    let doc = &props.doc.doc;
    if doc.faqs.is_empty() {
        return Html::default();
    }
    let items = doc.faqs.iter().map(|faq| {
        let target = Target::Faq(faq.id.clone());
        let open = props.is_open(&target);
        let answer = format!("{}-answer", target.element_id());
        let onclick = {
            let on_toggle = props.on_toggle.clone();
            let target = target.clone();
            Callback::from(move |_| on_toggle.emit(target.clone()))
        };
        let related: Vec<Html> = faq
            .related
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
            .collect();
        html! {
            <div id={target.element_id()} tabindex="-1"
                class={classes!("faq", props.focused(&target).then_some("target"))}>
                <h4 class="question">
                    <button type="button" aria-expanded={open.to_string()} aria-controls={answer.clone()} {onclick}>
                        { faq.question.clone() }
                    </button>
                </h4>
                <div id={answer} class={classes!("answer", (!open).then_some("closed"))}>
                    { rich_text(&faq.answer, &env.media_base, env.t) }
                    if !related.is_empty() {
                        <p class="related">{ t.related }{ for related }</p>
                    }
                    { copy_link(&target, &faq.question, props.copied(&target), &props.on_copy, t) }
                </div>
            </div>
        }
    });
    html! {
        <section class="faqs" aria-labelledby="jiedu-faqs">
            <h3 id="jiedu-faqs">{ t.faqs }</h3>
            { for items }
        </section>
    }
}
