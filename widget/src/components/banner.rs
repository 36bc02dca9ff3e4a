//! The consultation banner (意见征集) under the header of a draft: upcoming, open (days left),
//! closed, or feedback published, with the period's dates and what the reader can do now.

use jiedu_core::{Consultation, ConsultationState, Target as CoreTarget};
use yew::prelude::*;

use super::Env;
use crate::i18n::fill;

#[derive(Properties, PartialEq)]
pub struct BannerProps {
    pub consultation: Consultation,
    /// Seconds since the epoch.
    pub now: i64,
    /// The feedback report is published.
    pub published: bool,
    /// The widget knows where to send comments.
    pub can_comment: bool,
    pub on_comment: Callback<CoreTarget>,
    pub on_feedback: Callback<Option<String>>,
}

#[function_component]
pub fn Banner(props: &BannerProps) -> Html {
    let Some(env) = use_context::<Env>() else {
        return Html::default();
    };
    let t = env.t;
    let c = &props.consultation;
    let opens = c.opens.local_date().to_string();
    let closes = c.closes.local_date().to_string();
    let state = c.state_at(props.now);
    let (class, message) = match state {
        _ if props.published => ("published", t.consult_published.to_owned()),
        ConsultationState::Upcoming => ("upcoming", fill(t.consult_upcoming, &[&opens])),
        ConsultationState::Open => (
            "open",
            fill(t.consult_open, &[&c.days_left_at(props.now).to_string()]),
        ),
        ConsultationState::Closed => ("closed", fill(t.consult_closed, &[&closes])),
    };
    let comment = props
        .on_comment
        .reform(|_: MouseEvent| CoreTarget::Document);
    let feedback = props.on_feedback.reform(|_: MouseEvent| None);
    html! {
        <div class={classes!("jiedu-banner", class)} data-state={class} role="note">
            <p class="banner-state">{ message }</p>
            <p class="banner-period">{ fill(t.consult_period, &[&opens, &closes]) }</p>
            if state == ConsultationState::Closed && !props.published {
                <p>{ t.consult_pending }</p>
            }
            if let (ConsultationState::Open | ConsultationState::Upcoming, Some(contact)) = (state, &c.contact) {
                <p class="banner-contact">{ t.other_ways }{ contact.clone() }</p>
            }
            if state == ConsultationState::Open && props.can_comment {
                <button type="button" class="button" onclick={comment}>{ t.comment_document }</button>
            }
            if props.published {
                <button type="button" class="button" onclick={feedback}>{ t.view_feedback }</button>
            }
        </div>
    }
}
