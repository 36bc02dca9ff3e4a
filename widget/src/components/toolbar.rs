//! Reading options: layout switch, search box, large-text (elderly) mode.

use yew::prelude::*;

use crate::i18n::Strings;
use crate::state::{Layout, ReadingAction};

pub struct ToolbarProps<'a> {
    pub layout: Layout,
    pub query: &'a str,
    pub elder: bool,
    pub read: &'a Callback<ReadingAction>,
    /// The reader turns large text on or off (remembered on this device).
    pub on_elder: &'a Callback<bool>,
}

/// The toolbar. A plain function, not a component: it is cheap to render, and every component
/// costs bytes of the size budget.
pub fn toolbar(props: &ToolbarProps, t: &Strings) -> Html {
    let layouts = Layout::ALL
        .into_iter()
        .zip(t.layouts)
        .map(|(layout, label)| {
            let onclick = props.read.reform(move |_| ReadingAction::SetLayout(layout));
            html! {
                <button type="button" class={layout.as_str()}
                    aria-pressed={(layout == props.layout).to_string()} {onclick}>{ label }</button>
            }
        });
    let oninput = props.read.reform(|e: InputEvent| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        ReadingAction::Search(input.value())
    });
    let on_elder = {
        let on = !props.elder;
        props.on_elder.reform(move |_| on)
    };
    html! {
        <div class="toolbar" role="group" aria-label={t.toolbar}>
            <div class="layouts" role="group" aria-label={t.layout}>{ for layouts }</div>
            <div class="search" role="search">
                <label for="jiedu-q" class="sr-only">{ t.search_label }</label>
                <input id="jiedu-q" type="search" autocomplete="off" placeholder={t.search_placeholder}
                    value={props.query.to_owned()} {oninput} />
            </div>
            <button type="button" class="elder-toggle" aria-pressed={props.elder.to_string()} onclick={on_elder}>
                { t.elder }
            </button>
        </div>
    }
}
