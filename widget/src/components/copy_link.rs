//! The "copy link" button next to a clause, interpretation or FAQ.

use yew::prelude::*;

use crate::anchor::Target;
use crate::i18n::Strings;

/// The button. A plain function, not a component: it renders with its clause, card or FAQ, and
/// every component costs bytes of the size budget.
///
/// `label` says what the link points at, for screen readers (`复制链接：（一）规范政务信息管理`).
/// `copied` is `Some(true)` just after copying, `Some(false)` when the clipboard refused and the
/// link was put in the address bar instead.
pub fn copy_link(
    target: &Target,
    label: &str,
    copied: Option<bool>,
    on_copy: &Callback<Target>,
    t: &Strings,
) -> Html {
    let onclick = {
        let target = target.clone();
        on_copy.reform(move |_: MouseEvent| target.clone())
    };
    let text = match copied {
        None => t.copy_link,
        Some(true) => t.copied,
        Some(false) => t.link_in_address_bar,
    };
    html! {
        <button type="button" class={classes!("copy", copied.map(|_| "done"))}
            aria-label={format!("{text}：{label}")} {onclick}>
            { text }
        </button>
    }
}
