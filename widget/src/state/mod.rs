//! The widget's state and the actions that change it: one yew reducer, as in yew's
//! `function_todomvc`, in two parts. [`Reading`] is what every widget has (the document, the
//! layout, search, folds, where the reader is); `commenting` (the consultation: the form, the
//! notice, "my comments", the feedback) exists only in the build with the `commenting` feature,
//! which the loader fetches for drafts. Components never mutate state; they send an [`Action`].

mod reading;

use std::rc::Rc;

use yew::Reducible;

pub use crate::options::Layout;
pub use reading::{DocRef, ELDER_KEY, Focus, Loaded, Phase, Reading, ReadingAction};

#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub reading: Reading,
    #[cfg(feature = "commenting")]
    pub commenting: crate::commenting::state::Commenting,
}

impl State {
    pub fn new(layout: Layout, elder: bool) -> State {
        State {
            reading: Reading::new(layout, elder),
            #[cfg(feature = "commenting")]
            commenting: Default::default(),
        }
    }
}

#[derive(Debug)]
pub enum Action {
    Reading(ReadingAction),
    #[cfg(feature = "commenting")]
    Commenting(crate::commenting::state::CommentingAction),
}

impl From<ReadingAction> for Action {
    fn from(action: ReadingAction) -> Action {
        Action::Reading(action)
    }
}

#[cfg(feature = "commenting")]
impl From<crate::commenting::state::CommentingAction> for Action {
    fn from(action: crate::commenting::state::CommentingAction) -> Action {
        Action::Commenting(action)
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Reading(action) => {
                if !next.reading.apply(action) {
                    return self;
                }
            }
            #[cfg(feature = "commenting")]
            Action::Commenting(action) => {
                // Closing the comment sheet returns the reader to the clause it quoted.
                if let Some(clause) = next.commenting.apply(action) {
                    next.reading
                        .focus_on(crate::anchor::Target::Provision(clause), false);
                }
            }
        }
        Rc::new(next)
    }
}
