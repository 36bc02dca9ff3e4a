//! The widget's components, one per file, each with its `Props`. They receive data and
//! `Callback`s from [`crate::app::App`], which owns the state; only [`Env`] (strings and link
//! building, fixed for a mounted document) travels by context.

mod banner;
mod clause;
mod comment_form;
mod comment_panel;
mod copy_link;
mod error_view;
mod faqs;
mod feedback;
mod header;
mod inline_view;
mod interpretation_card;
mod key_points;
mod my_comments;
mod search_results;
mod side_by_side;
mod target_link;
mod timeline;
mod toc;
mod toolbar;

use std::rc::Rc;

pub use banner::{BannerProps, banner};
pub use clause::Clause;
pub use comment_form::{CommentFormProps, Outcome, comment_form};
pub use comment_panel::{CommentPanelProps, comment_panel, comment_sheet};
pub use copy_link::copy_link;
pub use error_view::error_view;
pub use faqs::Faqs;
pub use feedback::{FeedbackProps, decision_counts, feedback};
pub use header::header;
pub use inline_view::InlineView;
pub use interpretation_card::InterpretationCard;
pub use key_points::KeyPoints;
pub use my_comments::{MyCommentsProps, excerpt, my_comments, target_name};
pub use search_results::search_results;
pub use side_by_side::SideBySide;
pub use target_link::TargetLink;
pub use timeline::timeline;
pub use toc::toc;
pub use toolbar::{ToolbarProps, toolbar};

use jiedu_core::{Document, InterpretationKind, Provision};

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

/// Records `id` in `seen`; true the first time (a list: each hash-set type costs bundle bytes).
pub fn first_time<'a>(seen: &mut Vec<&'a str>, id: &'a str) -> bool {
    let first = !seen.contains(&id);
    if first {
        seen.push(id);
    }
    first
}

/// The provisions in reading order with their depth (0 for top level).
pub fn flatten(doc: &Document) -> Vec<(&Provision, usize)> {
    fn walk<'a>(list: &'a [Provision], depth: usize, out: &mut Vec<(&'a Provision, usize)>) {
        for p in list {
            out.push((p, depth));
            walk(&p.children, depth + 1, out);
        }
    }
    let mut out = Vec::new();
    walk(&doc.provisions, 0, &mut out);
    out
}

/// A clause's numbering and title as one line: `一、持续推进…`, `（一）规范…`, and with the
/// full-width space official texts put after a chapter or article number, `第一章　总则`.
pub fn clause_heading(p: &Provision) -> String {
    match &p.label {
        Some(label) if !p.title.is_empty() && label.ends_with(|c: char| c.is_alphanumeric()) => {
            format!("{label}\u{3000}{}", p.title)
        }
        _ => p.heading(),
    }
}

/// The interpretations shown next to a clause: all but follow-ups, which have their timeline.
pub fn clause_interpretations<'a>(
    doc: &'a Document,
    provision_id: &'a str,
) -> impl Iterator<Item = &'a jiedu_core::Interpretation> {
    doc.interpretations_of(provision_id)
        .filter(|i| i.kind != InterpretationKind::FollowUp)
}

/// The heading level for a depth below the widget's section headings (h3), capped at h6.
pub fn heading_level(depth: usize) -> u8 {
    (3 + depth).min(6) as u8
}

/// A heading element of the given level (yew's `html!` needs a literal tag name, `@{}` builds one).
pub fn heading(level: u8, class: &'static str, children: yew::Html) -> yew::Html {
    let tag = format!("h{}", level.clamp(2, 6));
    yew::html! { <@{tag} class={class}>{ children }</@> }
}

/// A comment target as written in the API (`document` or the clause id), without formatting.
pub fn target_str(target: &jiedu_core::Target) -> &str {
    match target {
        jiedu_core::Target::Document => "document",
        jiedu_core::Target::Provision(id) => id,
    }
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
    /// The consultation is open and the widget can send comments: clauses get a comment button.
    #[prop_or_default]
    pub commenting: bool,
    /// Published answers per clause id (empty before the feedback is published).
    #[prop_or_default]
    pub answers: Rc<Vec<(String, u64)>>,
    /// Changes the widget's state (commenting on a clause, showing its answers).
    #[prop_or_default]
    pub act: yew::Callback<crate::state::Action>,
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
                on_copy={self.on_copy.clone()} commenting={self.commenting}
                answers={self.answers.iter().find(|(id, _)| *id == p.id).map_or(0, |(_, n)| *n)} act={self.act.clone()} />
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
