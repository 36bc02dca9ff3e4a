//! The widget's state and the actions that change it (a yew reducer, as in yew's
//! `function_todomvc` example). Components never mutate state; they send an [`Action`].

use std::rc::Rc;

use jiedu_core::comment::{FeedbackReport, ReceiptStatus};
use jiedu_core::{Document, InterpretationKind, Target as CoreTarget};
use yew::Reducible;

use crate::anchor::Target;
use crate::api::Lookup;
use crate::consult::{Edit, Form};
use crate::load::LoadError;
use crate::search::{self, Entry};

/// How clauses and interpretations are arranged.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Layout {
    /// 原文对照: clause on the left, its interpretations on the right (stacked when narrow).
    #[default]
    SideBySide,
    /// Interpretations folded under each clause.
    Inline,
    /// Interpretation cards grouped by kind, each linking back to its clauses.
    KeyPoints,
}

impl Layout {
    pub const ALL: [Layout; 3] = [Layout::SideBySide, Layout::Inline, Layout::KeyPoints];

    pub fn as_str(self) -> &'static str {
        match self {
            Layout::SideBySide => "side-by-side",
            Layout::Inline => "inline",
            Layout::KeyPoints => "key-points",
        }
    }

    pub fn parse(s: &str) -> Option<Layout> {
        Layout::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

/// A loaded document with what the widget derives from it once.
#[derive(Debug)]
pub struct Loaded {
    pub doc: Document,
    /// The search index, built on the first search: the first paint does not wait for it.
    index: std::cell::OnceCell<Vec<Entry>>,
}

impl Loaded {
    pub fn new(doc: Document) -> Loaded {
        Loaded {
            doc,
            index: Default::default(),
        }
    }

    pub fn index(&self) -> &[Entry] {
        self.index.get_or_init(|| search::index(&self.doc))
    }
}

/// A shared, cheaply compared handle on the loaded document: props compare by pointer, so a
/// keystroke in the search box does not make yew compare whole documents.
#[derive(Clone, Debug)]
pub struct DocRef(pub Rc<Loaded>);

impl PartialEq for DocRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for DocRef {
    type Target = Loaded;
    fn deref(&self) -> &Loaded {
        &self.0
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    Loading,
    Failed(Rc<LoadError>),
    Ready(DocRef),
}

#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub phase: Phase,
    pub layout: Layout,
    pub query: String,
    /// Open folds: provision ids (inline layout) and FAQ ids, by their element ids. A list, not
    /// a hash set: it holds a handful, and each hash-table type costs the bundle its own code.
    pub open: Vec<String>,
    pub elder: bool,
    /// The target whose link was just copied, and whether the clipboard took it (if not, the
    /// link was put in the address bar instead).
    pub copied: Option<(Target, bool)>,
    /// Incremented by Retry; the load effect depends on it.
    pub attempt: u32,
    /// The target to scroll to and highlight.
    pub focus: Option<Focus>,
    /// What the comment form is about: the whole document or a clause.
    pub comment_target: CoreTarget,
    /// The clause whose "comment on this" opened the comment sheet (the form over the page,
    /// quoting the clause), while it is open.
    pub sheet: Option<String>,
    /// The published feedback report, once fetched (none before publication).
    pub feedback: Option<Rc<FeedbackReport>>,
    /// Published answers per clause id, counted from the report.
    pub answers: Rc<Vec<(String, u64)>>,
    /// The feedback table shows the comments on this target only (`document` or a clause id).
    pub feedback_filter: Option<String>,
    /// What became of the reader's last comment, and whether its receipt was just copied.
    pub notice: Option<Notice>,
    pub notice_copied: Option<bool>,
    /// Changes whenever the comments kept in localStorage change, so "my comments" re-reads them.
    pub mine_rev: u32,
    /// An element of the commenting part to scroll to and focus (the form, the feedback, the
    /// notice, the first invalid field), counted so that asking twice scrolls twice.
    pub scroll: (u32, &'static str),
    /// The comment form.
    pub form: Form,
    /// "My comments": the receipt lookups made (by receipt number), the receipt typed by hand,
    /// and the key of the waiting comment whose text was just copied.
    pub checks: Vec<(String, Option<Lookup<ReceiptStatus>>)>,
    pub typed: String,
    pub copied_key: Option<String>,
}

/// The outcome of a submission that the widget shows above the form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// Acknowledged, with its receipt number; `later` when it was sent from the outbox, not just
    /// now from the form.
    Receipt { receipt: String, later: bool },
    /// Kept in the outbox, to be sent when the server answers.
    Queued,
}

impl State {
    pub fn new(layout: Layout, elder: bool) -> State {
        State {
            phase: Phase::Loading,
            layout,
            query: String::new(),
            open: Vec::new(),
            elder,
            copied: None,
            attempt: 0,
            focus: None,
            comment_target: CoreTarget::Document,
            sheet: None,
            feedback: None,
            answers: Rc::default(),
            feedback_filter: None,
            notice: None,
            notice_copied: None,
            mine_rev: 0,
            scroll: (0, ""),
            form: Form::default(),
            checks: Vec::new(),
            typed: String::new(),
            copied_key: None,
        }
    }

    pub fn doc(&self) -> Option<&DocRef> {
        match &self.phase {
            Phase::Ready(doc) => Some(doc),
            _ => None,
        }
    }

    pub fn is_open(&self, target: &Target) -> bool {
        self.open.contains(&target.element_id())
    }

    /// Closes the comment sheet and goes back to its clause (scrolled to and focused).
    fn close_sheet(&mut self) {
        if let Some(id) = self.sheet.take() {
            self.focus = Some(Focus {
                target: Target::Provision(id),
                seq: self.focus.as_ref().map_or(0, |f| f.seq + 1),
                smooth: false,
            });
        }
    }

    /// Opens the fold with this element id (once).
    fn open_fold(&mut self, key: String) {
        if !self.open.contains(&key) {
            self.open.push(key);
        }
    }
}

/// Where the reader was sent last.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Focus {
    pub target: Target,
    /// Counts navigations, so that going to the same target twice scrolls twice.
    pub seq: u32,
    /// Scroll smoothly (a link followed) or jump (arriving with a link: the page is still
    /// settling, and an instant jump lets the browser's scroll anchoring keep the target in view).
    pub smooth: bool,
}

#[derive(Debug)]
pub enum Action {
    Loading,
    Loaded(DocRef),
    Failed(LoadError),
    Retry,
    SetLayout(Layout),
    Search(String),
    /// Opens or closes a fold (a provision's interpretations in the inline layout, a FAQ).
    Toggle(Target),
    /// Goes to a target: opens what hides it and scrolls to it.
    Navigate(Target),
    /// Like `Navigate`, for the target the page was opened at: no smooth scrolling, and nothing
    /// if the reader has already gone somewhere (the document rendered before this arrived).
    Arrive(Target),
    SetElder(bool),
    Copied(Option<(Target, bool)>),
    /// "Comment on this": sets the form's target and moves the focus to the form (on a clause,
    /// in the sheet that quotes it).
    CommentOn(CoreTarget),
    /// Closes the comment sheet and returns to its clause.
    CloseSheet,
    /// The reader chose another target in the form itself.
    SetCommentTarget(CoreTarget),
    FeedbackLoaded(Option<Rc<FeedbackReport>>),
    /// Shows the feedback, filtered to a target (`None`: all), and scrolls there.
    ShowFeedback(Option<String>),
    /// Filters the feedback table without moving.
    FilterFeedback(Option<String>),
    /// A submission ended (acknowledged or queued).
    Submitted(Notice),
    /// The receipt number was copied (or the clipboard refused).
    NoticeCopied(bool),
    /// The outbox or "my comments" changed in localStorage.
    StorageChanged,
    /// A change to the comment form.
    Form(Edit),
    /// A receipt lookup started (`None`) or ended.
    Check(String, Option<Lookup<ReceiptStatus>>),
    /// The receipt number typed by hand.
    Typed(String),
    /// The text of the waiting comment with this key was copied.
    CopiedText(String),
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        let smooth = matches!(action, Action::Navigate(_));
        match action {
            Action::Loading => next.phase = Phase::Loading,
            Action::Loaded(doc) => next.phase = Phase::Ready(doc),
            Action::Failed(error) => next.phase = Phase::Failed(Rc::new(error)),
            Action::Retry => {
                next.phase = Phase::Loading;
                next.attempt += 1;
            }
            Action::SetLayout(layout) => next.layout = layout,
            Action::Search(query) => next.query = query,
            Action::Toggle(target) => {
                let key = target.element_id();
                let before = next.open.len();
                next.open.retain(|k| *k != key);
                if next.open.len() == before {
                    next.open.push(key);
                }
            }
            // The target the page was opened at no longer matters once the reader has moved.
            Action::Arrive(_) if self.focus.is_some() => return self,
            Action::Navigate(target) | Action::Arrive(target) => {
                if let Some(doc) = self.doc() {
                    for key in folds_hiding(&doc.doc, &target) {
                        next.open_fold(key);
                    }
                }
                next.focus = Some(Focus {
                    target,
                    seq: self.focus.as_ref().map_or(0, |f| f.seq + 1),
                    smooth,
                });
            }
            Action::SetElder(on) => next.elder = on,
            Action::Copied(target) => next.copied = target,
            Action::CommentOn(target) => {
                next.form.apply(Edit::Target(target.clone()));
                next.sheet = target.provision_id().map(str::to_owned);
                next.comment_target = target;
                next.scroll = (self.scroll.0 + 1, "jiedu-comment-title");
            }
            Action::CloseSheet if self.sheet.is_none() => return self,
            Action::CloseSheet => next.close_sheet(),
            Action::SetCommentTarget(target) => {
                next.form.apply(Edit::Target(target.clone()));
                next.comment_target = target;
            }
            Action::FeedbackLoaded(report) => {
                let mut answers: Vec<(String, u64)> = Vec::new();
                for row in report.iter().flat_map(|r| &r.rows) {
                    if let CoreTarget::Provision(id) = &row.target {
                        match answers.iter_mut().find(|(k, _)| k == id) {
                            Some((_, n)) => *n += 1,
                            None => answers.push((id.clone(), 1)),
                        }
                    }
                }
                next.answers = Rc::new(answers);
                next.feedback = report;
            }
            Action::ShowFeedback(filter) => {
                next.feedback_filter = filter;
                next.scroll = (self.scroll.0 + 1, "jiedu-feedback");
            }
            Action::FilterFeedback(filter) => next.feedback_filter = filter,
            Action::Submitted(notice) => {
                // A comment sent later from the outbox does not take the focus from the reader.
                if !matches!(notice, Notice::Receipt { later: true, .. }) {
                    next.form.apply(Edit::Done);
                    next.scroll = (self.scroll.0 + 1, "jiedu-notice");
                }
                next.notice = Some(notice);
                next.notice_copied = None;
                next.mine_rev += 1;
            }
            Action::NoticeCopied(ok) => next.notice_copied = Some(ok),
            Action::StorageChanged => next.mine_rev += 1,
            Action::Form(edit) => {
                if let Some(id) = next.form.apply(edit) {
                    next.scroll = (self.scroll.0 + 1, id);
                }
            }
            Action::Check(receipt, found) => {
                next.checks.retain(|(r, _)| *r != receipt);
                next.checks.push((receipt, found));
            }
            Action::Typed(text) => next.typed = text,
            Action::CopiedText(key) => next.copied_key = Some(key),
        }
        Rc::new(next)
    }
}

/// The folds to open so that `target` is visible: the FAQ itself, or the provisions whose
/// interpretations hold it (in the inline layout the interpretations of a clause are folded).
fn folds_hiding(doc: &Document, target: &Target) -> Vec<String> {
    match target {
        Target::Faq(_) | Target::Provision(_) => vec![target.element_id()],
        Target::Interpretation(id) => doc
            .interpretations
            .iter()
            .filter(|i| &i.id == id && i.kind != InterpretationKind::FollowUp)
            .flat_map(|i| &i.targets)
            .filter_map(CoreTarget::provision_id)
            .map(|p| Target::Provision(p.to_owned()).element_id())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::tests::sample;

    fn ready() -> Rc<State> {
        Rc::new(State::new(Layout::Inline, false))
            .reduce(Action::Loaded(DocRef(Rc::new(Loaded::new(sample())))))
    }

    #[test]
    fn navigating_opens_the_fold_and_counts() {
        let s = ready().reduce(Action::Navigate(Target::Interpretation("bg".into())));
        assert!(s.is_open(&Target::Provision("s1-1".into())));
        assert_eq!(
            s.focus.as_ref().map(|f| (f.seq, f.smooth)),
            Some((0, true)),
            "first navigation"
        );
        let arrived = ready().reduce(Action::Arrive(Target::Interpretation("bg".into())));
        assert_eq!(
            arrived.focus.as_ref().map(|f| (f.seq, f.smooth)),
            Some((0, false))
        );
        assert_eq!(
            s.clone()
                .reduce(Action::Arrive(Target::Faq("q1".into())))
                .focus,
            s.focus,
            "arriving after the reader moved changes nothing"
        );
        let s = s.reduce(Action::Navigate(Target::Interpretation("bg".into())));
        assert_eq!(s.focus.as_ref().map(|f| (f.seq, f.smooth)), Some((1, true)));
    }

    #[test]
    fn commenting_and_feedback_requests_scroll() {
        let s = ready().reduce(Action::CommentOn(CoreTarget::Provision("s1-1".into())));
        assert_eq!(
            (&s.comment_target, s.scroll),
            (
                &CoreTarget::Provision("s1-1".into()),
                (1, "jiedu-comment-title")
            )
        );
        assert_eq!(
            s.sheet.as_deref(),
            Some("s1-1"),
            "the sheet opens at the clause"
        );
        let s = s.reduce(Action::SetCommentTarget(CoreTarget::Document));
        assert_eq!((&s.comment_target, s.scroll.0), (&CoreTarget::Document, 1));
        let s = s.reduce(Action::CloseSheet);
        assert_eq!(
            (&s.sheet, s.focus.as_ref().map(|f| f.target.clone())),
            (&None, Some(Target::Provision("s1-1".into()))),
            "closing the sheet returns to its clause"
        );
        let s = s.reduce(Action::CloseSheet);
        assert_eq!(
            s.focus.as_ref().map(|f| f.seq),
            Some(0),
            "closing twice: no move"
        );
        let s = s.reduce(Action::FeedbackLoaded(Some(Rc::new(
            crate::sample::feedback(),
        ))));
        assert_eq!(
            *s.answers,
            [
                ("s1-1".to_owned(), 2),
                ("s2".to_owned(), 1),
                ("s1-2".to_owned(), 1)
            ],
            "clauses only, not the whole document"
        );
        let s = s.reduce(Action::ShowFeedback(Some("s2".into())));
        assert_eq!(
            (s.feedback_filter.as_deref(), s.scroll),
            (Some("s2"), (2, "jiedu-feedback"))
        );
        let s = s.reduce(Action::FilterFeedback(None));
        assert_eq!((s.feedback_filter.as_deref(), s.scroll.0), (None, 2));
        let s = s.reduce(Action::Submitted(Notice::Queued));
        assert_eq!(
            (&s.notice, s.mine_rev, s.scroll),
            (&Some(Notice::Queued), 1, (3, "jiedu-notice"))
        );
        let later = Notice::Receipt {
            receipt: "JD-2222-2222".into(),
            later: true,
        };
        let s = s.reduce(Action::Submitted(later.clone()));
        assert_eq!(
            (&s.notice, s.scroll.0),
            (&Some(later), 3),
            "no focus for a later delivery"
        );
        assert_eq!(s.reduce(Action::StorageChanged).mine_rev, 3);
    }

    #[test]
    fn toggle_and_retry() {
        let faq = Target::Faq("q1".into());
        let s = ready().reduce(Action::Toggle(faq.clone()));
        assert!(s.is_open(&faq));
        let s = s.reduce(Action::Toggle(faq.clone()));
        assert!(!s.is_open(&faq));
        let s = s.reduce(Action::Retry);
        assert_eq!((s.attempt, &s.phase), (1, &Phase::Loading));
    }
}
