//! A link to a clause, interpretation or FAQ of the same document.

use yew::prelude::*;

use super::Env;
use crate::anchor::Target;

#[derive(Properties, PartialEq)]
pub struct TargetLinkProps {
    pub target: Target,
    pub on_navigate: Callback<Target>,
    #[prop_or_default]
    pub class: Classes,
    #[prop_or_default]
    pub children: Html,
}

/// A real `<a href="#jiedu-…">`, so it can be opened in a new tab, copied or bookmarked; a plain
/// click is handled by the widget (the browser's fragment navigation cannot see into the shadow
/// root).
#[function_component]
pub fn TargetLink(props: &TargetLinkProps) -> Html {
    let env = use_context::<Env>();
    let href = env.map(|env| env.href(&props.target)).unwrap_or_default();
    let onclick = {
        let target = props.target.clone();
        let on_navigate = props.on_navigate.clone();
        Callback::from(move |e: MouseEvent| {
            if e.button() == 0 && !(e.ctrl_key() || e.meta_key() || e.shift_key() || e.alt_key()) {
                e.prevent_default();
                on_navigate.emit(target.clone());
            }
        })
    };
    html! {
        <a class={props.class.clone()} {href} {onclick}>{ props.children.clone() }</a>
    }
}
