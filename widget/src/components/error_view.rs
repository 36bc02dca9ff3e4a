//! What a reader sees when the document cannot be shown, with a retry button; for a withdrawn
//! (撤回) document a notice with the server's message instead, since retrying cannot help.

use yew::prelude::*;

use crate::i18n::{Strings, fill};
use crate::load::LoadError;

/// The error box. A plain function, not a component: it is cheap to render, and every component
/// costs bytes of the size budget.
pub fn error_view(error: &LoadError, on_retry: &Callback<()>, t: &Strings) -> Html {
    let message = match error {
        LoadError::NoSource => t.error_no_source.to_owned(),
        LoadError::Network(_) => t.error_network.to_owned(),
        LoadError::Http(status) => fill(t.error_http, &[&status.to_string()]),
        LoadError::InvalidJson(_) => t.error_json.to_owned(),
        LoadError::UnsupportedVersion(v) => fill(
            t.error_version,
            &[&v.to_string(), &jiedu_core::FORMAT_VERSION.to_string()],
        ),
        LoadError::InvalidDocument(_) => t.error_document.to_owned(),
        LoadError::Withdrawn(m) => m.clone(),
    };
    let withdrawn = matches!(error, LoadError::Withdrawn(_));
    let onclick = on_retry.reform(|_: MouseEvent| ());
    html! {
        <div class="error" role="alert" data-error={error.code()}>
            <p class="error-title">{ if withdrawn { t.withdrawn } else { t.error_title } }</p>
            <p>{ message }</p>
            <p class="detail"><code>{ error.detail() }</code></p>
            if !withdrawn && *error != LoadError::NoSource {
                <button type="button" class="button retry" {onclick}>{ t.retry }</button>
            }
        </div>
    }
}
