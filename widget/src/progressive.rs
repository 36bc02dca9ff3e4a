//! Progressive rendering: the layouts render the first screen of a long document's clauses,
//! and all of them in a second render right after the browser has painted it, so a reader sees
//! the first clause without waiting for hundreds more to be built (a 1,260-clause document
//! showed its first clause 4.5 s after its JSON had arrived on an emulated slow phone, 0.9 s
//! with this; see docs/development.md "Time to content").
//!
//! What stays as it was with the whole document rendered (docs/development.md says it too):
//! - deep links and navigation: the count never falls below the row of the focused target, so a
//!   link to a clause far down renders every row up to it at once and the scroll finds it;
//! - search reads the whole document (its own index, not the DOM); choosing a result navigates;
//! - print: `beforeprint` renders every row before the browser lays out the pages;
//! - find-in-page: the rest follows on a zero-delay timer from the first paint on; the whole text
//!   is in the DOM later than when everything rendered before the first paint (1,260 clauses,
//!   slow phone: 13.1 s against 7.9 s, 8.9 s after the first clause).
//!
//! Why one second render and not many slices (measured, 1,260 clauses, slow phone, last
//! clause; 7.9 s when everything rendered at once, 13.1 s now): every slice renders the layout
//! again and the browser lays out the grown document again: 48 rows a slice took 16.6 s,
//! doubling slices 17.1 s. `content-visibility: auto` on the rows (rows out of view not laid
//! out) brought doubling to 7.9 s, but a smooth scroll to a far clause then went through rows of
//! estimated height and stopped short of it (the search test caught it).

use std::rc::Rc;

use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use jiedu_core::Provision;
use yew::prelude::*;

use crate::anchor::Target;

/// Rows rendered first: more than the first screen of a desktop holds.
pub const FIRST: usize = 16;

/// What [`use_progressive`] keeps between renders: the rows rendered, and while some are not,
/// the timer that renders the rest and the `beforeprint` listener.
#[derive(Default)]
struct Slices {
    shown: usize,
    next: Option<(Timeout, EventListener)>,
}

/// How many of `total` rows to render now: [`FIRST`] (never fewer than `needed`, see
/// [`rows_needed`]), then all of them, on a zero-delay timer after the first paint or when
/// printing starts.
///
/// One ref cell and a re-render handle rather than state and effects: each hook type costs the
/// bundle its own code. The timer and the listener are made while rendering; they act only after
/// the render (a timer task, an event) and are dropped, so cancelled, with the component.
#[hook]
pub fn use_progressive(total: usize, needed: usize) -> usize {
    let slices = use_mut_ref(Slices::default);
    let update = use_force_update();
    let all = {
        let slices = slices.clone();
        Rc::new(move || {
            slices.borrow_mut().shown = usize::MAX;
            update.force_update();
        })
    };
    let mut s = slices.borrow_mut();
    s.shown = s.shown.max(FIRST).max(needed).min(total);
    s.next = None;
    let shown = s.shown;
    if let (true, Some(window)) = (shown < total, web_sys::window()) {
        let print = all.clone();
        s.next = Some((
            Timeout::new(0, move || all()),
            EventListener::new(&window, "beforeprint", move |_| print()),
        ));
    }
    shown
}

/// The rows as two lists, the first screen's and the rest: yew then builds the rest as a list of
/// its own rather than growing the first one, measured faster (1,260 clauses, slow phone, last
/// clause 10.7 s against 15.2 s, one run each).
pub fn rows_html(mut rows: Vec<Html>) -> Html {
    let rest = rows.split_off(FIRST.min(rows.len()));
    html! { <>{ for rows }{ for rest }</> }
}

/// How many rows must be rendered for `focus` to be in the DOM: up to the clause it names; all
/// rows for anything else (FAQs and the timeline come after the rows; an interpretation beside a
/// clause far down renders everything at once, as before).
pub fn rows_needed(order: &[(&Provision, usize)], focus: Option<&Target>) -> usize {
    match focus {
        None => 0,
        Some(Target::Provision(id)) => order
            .iter()
            .position(|(p, _)| p.id == *id)
            .map_or(usize::MAX, |r| r + 1),
        Some(_) => usize::MAX,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::flatten;

    #[test]
    fn a_focus_needs_the_rows_up_to_it() {
        let doc = crate::sample::document();
        let order = flatten(&doc);
        let need = |t: Target| rows_needed(&order, Some(&t));
        assert_eq!(rows_needed(&order, None), 0);
        assert_eq!(need(Target::Provision("s1".into())), 1);
        assert_eq!(need(Target::Provision("s2".into())), 4);
        assert_eq!(need(Target::Interpretation("bg".into())), usize::MAX);
        assert_eq!(need(Target::Faq("q1".into())), usize::MAX);
        assert_eq!(need(Target::Provision("nope".into())), usize::MAX);
    }
}
