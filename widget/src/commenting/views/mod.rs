//! The commenting views: plain functions of data and callbacks (no requests, no localStorage,
//! no clipboard: they ask for those with a [`Command`]), each in its own file.

mod banner;
mod comment_form;
mod comment_panel;
mod feedback;
mod my_comments;

pub use banner::{BannerProps, banner};
pub use comment_form::{CommentFormProps, comment_form};
pub use comment_panel::{CommentPanelProps, comment_panel, comment_sheet};
pub use feedback::{FeedbackProps, decision_counts, feedback};
pub use my_comments::{MyCommentsProps, excerpt, my_comments, target_name};

use jiedu_core::Target as CoreTarget;
use yew::prelude::*;

use super::protocol::Draft;
use super::state::CommentingAction;
use crate::components::ClauseRef;
use crate::i18n::{Strings, fill};

/// What the commenting views ask for: every request, every localStorage change and every
/// clipboard write happens in the commenting hooks, not in a view.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Check a draft and, if it is valid, keep and send it.
    Submit(Draft),
    /// Look a receipt number up.
    Check(String),
    /// Copy the receipt number of the last comment.
    CopyReceipt(String),
    /// Copy the text of the refused comment in the form.
    CopyRefused(String),
    /// Copy the text of a refused comment that waited in the outbox: (key, text).
    CopyWaiting(String, String),
    /// Remove a refused comment from the outbox, by key.
    RemoveWaiting(String),
}

/// The two ways a commenting view changes anything: state changes, and commands with effects.
#[derive(Clone, PartialEq)]
pub struct Commands {
    pub act: Callback<CommentingAction>,
    pub run: Callback<Command>,
}

/// Beside a clause's heading: "comment on this clause" while the consultation is open, and the
/// count of published answers to comments on it, which leads to them in the feedback.
pub fn clause_actions(
    clause: &ClauseRef,
    open: bool,
    answers: u64,
    act: &Callback<CommentingAction>,
    t: &Strings,
) -> Html {
    let comment = open.then(|| {
        let id = clause.id.to_string();
        let onclick = act.reform(move |_: MouseEvent| {
            CommentingAction::CommentOn(CoreTarget::Provision(id.clone()))
        });
        html! {
            <button type="button" class="jiedu-comment-btn" data-target={clause.id.clone()}
                aria-label={format!("{}：{}", t.c.comment_clause, clause.heading)} {onclick}>
                { t.c.comment_clause }
            </button>
        }
    });
    let answers = (answers > 0).then(|| {
        let id = clause.id.to_string();
        let onclick =
            act.reform(move |_: MouseEvent| CommentingAction::ShowFeedback(Some(id.clone())));
        html! {
            <button type="button" class="jiedu-answers-btn" data-target={clause.id.clone()} {onclick}>
                { fill(t.c.answers, &[&answers.to_string()]) }
            </button>
        }
    });
    html! { <>{ for comment }{ for answers }</> }
}
