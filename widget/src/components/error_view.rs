//! What a reader sees when the document cannot be shown, with a retry button.

use std::rc::Rc;

use yew::prelude::*;

use super::Env;
use crate::i18n::fill;
use crate::load::LoadError;

#[derive(Properties, PartialEq)]
pub struct ErrorViewProps {
    pub error: Rc<LoadError>,
    pub on_retry: Callback<()>,
}

#[function_component]
pub fn ErrorView(props: &ErrorViewProps) -> Html {
    let Some(env) = use_context::<Env>() else {
        return Html::default();
    };
    let t = env.t;
    let message = match &*props.error {
        LoadError::NoSource => t.error_no_source.to_owned(),
        LoadError::Network(_) => t.error_network.to_owned(),
        LoadError::Http(status) => fill(t.error_http, &[&status.to_string()]),
        LoadError::InvalidJson(_) => t.error_json.to_owned(),
        LoadError::UnsupportedVersion(v) => fill(
            t.error_version,
            &[&v.to_string(), &jiedu_core::FORMAT_VERSION.to_string()],
        ),
        LoadError::InvalidDocument(_) => t.error_document.to_owned(),
    };
    let onclick = props.on_retry.reform(|_: MouseEvent| ());
    html! {
        <div class="error" role="alert" data-error={props.error.code()}>
            <p class="error-title">{ t.error_title }</p>
            <p>{ message }</p>
            <p class="detail"><code>{ props.error.detail() }</code></p>
            if *props.error != LoadError::NoSource {
                <button type="button" class="button retry" {onclick}>{ t.retry }</button>
            }
        </div>
    }
}
