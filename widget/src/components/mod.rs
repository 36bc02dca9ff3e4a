//! The reading views, one per file, each with its `Props`. They receive data and `Callback`s
//! from the root component `App`, which owns the state; only [`Env`] (strings and link building, fixed
//! for a mounted document) travels by context. They know nothing of commenting: what it adds to
//! the page comes in as [`Extras`].

mod clause;
mod copy_link;
mod error_view;
mod faqs;
mod header;
mod inline_view;
mod interpretation_card;
mod key_points;
mod search_results;
mod side_by_side;
mod target_link;
mod timeline;
mod toc;
mod toolbar;

use std::rc::Rc;

pub use clause::Clause;
pub use copy_link::copy_link;
pub use error_view::error_view;
pub use faqs::Faqs;
pub use header::header;
pub use inline_view::InlineView;
pub use interpretation_card::InterpretationCard;
pub use key_points::KeyPoints;
pub use search_results::search_results;
pub use side_by_side::SideBySide;
pub use target_link::TargetLink;
pub use timeline::timeline;
pub use toc::Toc;
pub use toolbar::{ToolbarProps, toolbar};

use jiedu_core::{InterpretationKind, Provision};

pub use crate::outline::{
    clause_heading, clause_interpretations, first_time, flatten, heading, heading_level,
};

use crate::anchor::Target;
use crate::i18n::{Strings, UiLang};

/// What every component may read: the UI strings and how to write a link.
#[derive(Clone, Debug)]
pub struct Env {
    pub lang: UiLang,
    pub t: &'static Strings,
    pub doc_id: Rc<str>,
    /// Links carry the document id (more than one widget on the page).
    pub namespaced: bool,
    /// The folder of the document's URL, for relative media ([`crate::rich::media_base`]).
    pub media_base: Rc<str>,
}

impl PartialEq for Env {
    fn eq(&self, other: &Self) -> bool {
        // `t` follows from `lang`.
        (self.lang, &self.doc_id, self.namespaced, &self.media_base)
            == (
                other.lang,
                &other.doc_id,
                other.namespaced,
                &other.media_base,
            )
    }
}

impl Env {
    pub fn href(&self, target: &Target) -> String {
        target.hash(&self.doc_id, self.namespaced)
    }
}

/// A clause, as what commenting shows beside it sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct ClauseRef {
    pub id: yew::AttrValue,
    /// Its numbering and title as one line ([`clause_heading`]).
    pub heading: String,
}

/// Draws what stands beside a clause's heading besides its copy-link button.
pub type ClauseActions = yew::Callback<ClauseRef, yew::Html>;

/// What the commenting part adds to the page (nothing in the reading build, or for a document
/// without a consultation).
#[derive(Default)]
pub struct Extras {
    /// The consultation banner, under the header.
    pub banner: yew::Html,
    /// After the FAQs: the published feedback, the comment panel and the comment sheet.
    pub after: yew::Html,
    pub clause_actions: Option<ClauseActions>,
}

/// The props shared by the parts of the reading view (layouts, FAQs, timeline): the document,
/// the reader's position and open folds, and the callbacks that change them.
#[derive(yew::Properties, Clone, Debug, PartialEq)]
pub struct ViewProps {
    pub doc: crate::state::DocRef,
    /// The target last navigated to (highlighted).
    pub focus: Option<Target>,
    pub copied: Option<(Target, bool)>,
    pub open: Rc<Vec<String>>,
    pub on_copy: yew::Callback<Target>,
    pub on_navigate: yew::Callback<Target>,
    pub on_toggle: yew::Callback<Target>,
    /// What commenting shows beside each clause.
    #[prop_or_default]
    pub clause_actions: Option<ClauseActions>,
}

impl ViewProps {
    pub fn focused(&self, target: &Target) -> bool {
        self.focus.as_ref() == Some(target)
    }

    pub fn copied(&self, target: &Target) -> Option<bool> {
        match &self.copied {
            Some((t, ok)) if t == target => Some(*ok),
            _ => None,
        }
    }

    pub fn is_open(&self, target: &Target) -> bool {
        self.open.contains(&target.element_id())
    }

    /// A clause of the original text.
    pub fn clause(&self, p: &Provision, depth: usize, level: u8) -> yew::Html {
        let target = Target::Provision(p.id.clone());
        yew::html! {
            <Clause doc={self.doc.clone()} id={p.id.clone()} {depth} {level}
                focused={self.focused(&target)} copied={self.copied(&target)}
                on_copy={self.on_copy.clone()} actions={self.clause_actions.clone()} />
        }
    }

    /// An interpretation card.
    pub fn card(&self, i: &jiedu_core::Interpretation, level: u8, show_targets: bool) -> yew::Html {
        self.card_copy(i, level, show_targets, true)
    }

    /// An interpretation card that may be a repeat (`anchor` false: no `id`).
    pub fn card_copy(
        &self,
        i: &jiedu_core::Interpretation,
        level: u8,
        show_targets: bool,
        anchor: bool,
    ) -> yew::Html {
        let target = Target::Interpretation(i.id.clone());
        yew::html! {
            <InterpretationCard doc={self.doc.clone()} id={i.id.clone()} {level} {show_targets} {anchor}
                focused={self.focused(&target)} copied={self.copied(&target)}
                on_copy={self.on_copy.clone()} on_navigate={self.on_navigate.clone()} />
        }
    }

    /// The interpretations of the whole document (not follow-ups), above the clauses.
    pub fn overall(&self, env: &Env) -> yew::Html {
        let doc = &self.doc.doc;
        let cards: Vec<yew::Html> = doc
            .interpretations
            .iter()
            .filter(|i| {
                i.kind != InterpretationKind::FollowUp
                    && i.targets.contains(&jiedu_core::Target::Document)
            })
            .map(|i| self.card(i, 4, false))
            .collect();
        if cards.is_empty() {
            return yew::Html::default();
        }
        yew::html! {
            <section class="overall" aria-labelledby="jiedu-overall">
                <h3 id="jiedu-overall">{ env.t.overall }</h3>
                { for cards }
            </section>
        }
    }
}
