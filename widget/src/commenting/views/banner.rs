//! The consultation banner (意见征集) under the header of a draft: upcoming, open (days left),
//! closed, or feedback published, with the period's dates and what the reader can do now.
//!
//! A plain function rather than a component: it has no state of its own, and every component
//! costs bytes of the size budget.

use jiedu_core::{Consultation, ConsultationState, Target as CoreTarget};
use yew::prelude::*;

use crate::commenting::state::CommentingAction;
use crate::i18n::{Strings, fill};

pub struct BannerProps<'a> {
    pub consultation: &'a Consultation,
    /// Seconds since the epoch.
    pub now: i64,
    /// The feedback report is published.
    pub published: bool,
    /// The widget knows where to send comments.
    pub can_comment: bool,
    pub act: &'a Callback<CommentingAction>,
}

pub fn banner(props: &BannerProps, t: &Strings) -> Html {
    let c = props.consultation;
    let opens = c.opens.local_date().to_string();
    let closes = c.closes.local_date().to_string();
    let state = c.state_at(props.now);
    let (class, message) = match state {
        // Feedback may be published before the period ends; the period still says open then.
        ConsultationState::Closed if props.published => {
            ("published", t.c.consult_published.to_owned())
        }
        ConsultationState::Upcoming => ("upcoming", fill(t.c.consult_upcoming, &[&opens])),
        ConsultationState::Open => (
            "open",
            fill(t.c.consult_open, &[&c.days_left_at(props.now).to_string()]),
        ),
        ConsultationState::Closed => ("closed", fill(t.c.consult_closed, &[&closes])),
    };
    let comment = props
        .act
        .reform(|_: MouseEvent| CommentingAction::CommentOn(CoreTarget::Document));
    let feedback = props
        .act
        .reform(|_: MouseEvent| CommentingAction::ShowFeedback(None));
    html! {
        <div class={classes!("jiedu-banner", class)} data-state={class} role="note">
            <p class="banner-state">{ message }</p>
            <p>{ fill(t.c.consult_period, &[&opens, &closes]) }</p>
            if state == ConsultationState::Closed && !props.published {
                <p>{ t.c.consult_pending }</p>
            }
            if let (ConsultationState::Open | ConsultationState::Upcoming, Some(contact)) = (state, &c.contact) {
                <p class="banner-contact">{ t.c.other_ways }{ contact.clone() }</p>
            }
            if state == ConsultationState::Open && props.can_comment {
                <button type="button" class="button" onclick={comment}>{ t.c.comment_document }</button>
            }
            if props.published {
                <button type="button" class="button" onclick={feedback}>{ t.c.view_feedback }</button>
            }
        </div>
    }
}
