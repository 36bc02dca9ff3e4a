//! The "copy link" button next to a clause, interpretation or FAQ.

use yew::prelude::*;

use super::Env;
use crate::anchor::Target;

#[derive(Properties, PartialEq)]
pub struct CopyLinkProps {
    pub target: Target,
    /// What the link points at, for screen readers (`复制链接：（一）规范政务信息管理`).
    pub label: AttrValue,
    /// `Some(true)` just after copying, `Some(false)` when the clipboard refused and the link was
    /// put in the address bar instead.
    pub copied: Option<bool>,
    pub on_copy: Callback<Target>,
}

#[function_component]
pub fn CopyLink(props: &CopyLinkProps) -> Html {
    let Some(env) = use_context::<Env>() else {
        return Html::default();
    };
    let t = env.t;
    let onclick = {
        let target = props.target.clone();
        let on_copy = props.on_copy.clone();
        Callback::from(move |_| on_copy.emit(target.clone()))
    };
    let text = match props.copied {
        None => t.copy_link,
        Some(true) => t.copied,
        Some(false) => t.link_in_address_bar,
    };
    html! {
        <button type="button" class={classes!("copy", props.copied.map(|_| "done"))}
            aria-label={format!("{text}：{}", props.label)} {onclick}>
            { text }
        </button>
    }
}
