//! Reading options: layout switch, search box, large-text (elderly) mode.

use yew::prelude::*;

use super::Env;
use crate::state::Layout;

#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    pub layout: Layout,
    pub query: AttrValue,
    pub elder: bool,
    pub on_layout: Callback<Layout>,
    pub on_search: Callback<String>,
    pub on_elder: Callback<bool>,
}

#[function_component]
pub fn Toolbar(props: &ToolbarProps) -> Html {
    let Some(env) = use_context::<Env>() else {
        return Html::default();
    };
    let t = env.t;
    let layouts = Layout::ALL
        .into_iter()
        .zip(t.layouts)
        .map(|(layout, label)| {
            let onclick = {
                let on_layout = props.on_layout.clone();
                Callback::from(move |_| on_layout.emit(layout))
            };
            html! {
                <button type="button" class={layout.as_str()}
                    aria-pressed={(layout == props.layout).to_string()} {onclick}>{ label }</button>
            }
        });
    let oninput = {
        let on_search = props.on_search.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            on_search.emit(input.value());
        })
    };
    let on_elder = {
        let on_elder = props.on_elder.clone();
        let elder = props.elder;
        Callback::from(move |_| on_elder.emit(!elder))
    };
    html! {
        <div class="toolbar" role="group" aria-label={t.toolbar}>
            <div class="layouts" role="group" aria-label={t.layout}>{ for layouts }</div>
            <div class="search" role="search">
                <label for="jiedu-q" class="sr-only">{ t.search_label }</label>
                <input id="jiedu-q" type="search" autocomplete="off" placeholder={t.search_placeholder}
                    value={props.query.clone()} {oninput} />
            </div>
            <button type="button" class="elder-toggle" aria-pressed={props.elder.to_string()} onclick={on_elder}>
                { t.elder }
            </button>
        </div>
    }
}
