//! Follow-up interpretations (跟踪解读) in date order, as a timeline.

use jiedu_core::InterpretationKind;
use yew::prelude::*;

use super::ViewProps;
use crate::i18n::Strings;

/// A plain function, not a component: it is cheap to render, and every component costs bytes of
/// the size budget.
pub fn timeline(props: &ViewProps, t: &Strings) -> Html {
    let follow_ups: Vec<_> = props
        .doc
        .doc
        .interpretations
        .iter()
        .filter(|i| i.kind == InterpretationKind::FollowUp)
        .collect();
    if follow_ups.is_empty() {
        return Html::default();
    }
    // Unstable sort on (date, position): same order as a stable sort, without its extra code.
    let mut follow_ups: Vec<_> = follow_ups.into_iter().enumerate().collect();
    follow_ups.sort_unstable_by_key(|(n, i)| (i.date, *n));
    html! {
        <section class="timeline" aria-labelledby="jiedu-timeline">
            <h3 id="jiedu-timeline">{ t.timeline }</h3>
            <ol>
                { for follow_ups.into_iter().map(|(_, i)| html! {
                    <li>{ props.card(i, 4, true) }</li>
                }) }
            </ol>
        </section>
    }
}
