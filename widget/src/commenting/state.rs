//! Commenting on a draft: the part of the widget's state that only the commenting build has, and
//! its actions. The form and its checks are [`Form`]; this adds what surrounds it: the sheet at a
//! clause, the outcome of the last submission, the published feedback, "my comments".

use std::rc::Rc;

use jiedu_core::Target as CoreTarget;
use jiedu_core::comment::{FeedbackReport, ReceiptStatus};

use super::api::Lookup;
use super::protocol::{Edit, Form, FormField};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Commenting {
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
    /// Where to move the reader next, counted so that asking twice moves twice.
    pub scroll: (u32, Option<Spot>),
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

/// A place in the commenting part the reader is moved to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spot {
    /// The form's title (the form opened for a target).
    Form,
    Feedback,
    Notice,
    /// A field of the form, focused (the first invalid one).
    Field(FormField),
}

impl Spot {
    pub fn element_id(self) -> String {
        match self {
            Spot::Form => "jiedu-comment-title".into(),
            Spot::Feedback => "jiedu-feedback".into(),
            Spot::Notice => "jiedu-notice".into(),
            Spot::Field(field) => field.element_id(),
        }
    }
}

#[derive(Debug)]
pub enum CommentingAction {
    /// "Comment on this": sets the form's target and moves the focus to the form (on a clause,
    /// in the sheet that quotes it).
    CommentOn(CoreTarget),
    /// Closes the comment sheet and returns to its clause.
    CloseSheet,
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
    /// A change to the comment form (its target included).
    Form(Edit),
    /// A receipt lookup started (`None`) or ended.
    Check(String, Option<Lookup<ReceiptStatus>>),
    /// The receipt number typed by hand.
    Typed(String),
    /// The text of the waiting comment with this key was copied.
    CopiedText(String),
}

impl Commenting {
    fn scroll_to(&mut self, spot: Spot) {
        self.scroll = (self.scroll.0 + 1, Some(spot));
    }

    /// Applies an action. Returns the clause to return the reader to (the sheet was closed).
    pub fn apply(&mut self, action: CommentingAction) -> Option<String> {
        match action {
            CommentingAction::CommentOn(target) => {
                self.sheet = target.provision_id().map(str::to_owned);
                self.form.apply(Edit::Target(target));
                self.scroll_to(Spot::Form);
            }
            CommentingAction::CloseSheet => return self.sheet.take(),
            CommentingAction::FeedbackLoaded(report) => {
                self.answers = Rc::new(answers_per_clause(report.as_deref()));
                self.feedback = report;
            }
            CommentingAction::ShowFeedback(filter) => {
                self.feedback_filter = filter;
                self.scroll_to(Spot::Feedback);
            }
            CommentingAction::FilterFeedback(filter) => self.feedback_filter = filter,
            CommentingAction::Submitted(notice) => {
                // A comment sent later from the outbox does not take the focus from the reader.
                if !matches!(notice, Notice::Receipt { later: true, .. }) {
                    self.form.apply(Edit::Done);
                    self.scroll_to(Spot::Notice);
                }
                self.notice = Some(notice);
                self.notice_copied = None;
                self.mine_rev += 1;
            }
            CommentingAction::NoticeCopied(ok) => self.notice_copied = Some(ok),
            CommentingAction::StorageChanged => self.mine_rev += 1,
            CommentingAction::Form(edit) => {
                if let Some(field) = self.form.apply(edit) {
                    self.scroll_to(Spot::Field(field));
                }
            }
            CommentingAction::Check(receipt, found) => {
                self.checks.retain(|(r, _)| *r != receipt);
                self.checks.push((receipt, found));
            }
            CommentingAction::Typed(text) => self.typed = text,
            CommentingAction::CopiedText(key) => self.copied_key = Some(key),
        }
        None
    }
}

/// How many published answers each clause has (the whole document's are not counted).
fn answers_per_clause(report: Option<&FeedbackReport>) -> Vec<(String, u64)> {
    let mut answers: Vec<(String, u64)> = Vec::new();
    for row in report.iter().flat_map(|r| &r.rows) {
        if let CoreTarget::Provision(id) = &row.target {
            match answers.iter_mut().find(|(k, _)| k == id) {
                Some((_, n)) => *n += 1,
                None => answers.push((id.clone(), 1)),
            }
        }
    }
    answers
}

#[cfg(test)]
mod tests {
    use super::*;

    fn after(mut s: Commenting, action: CommentingAction) -> (Commenting, Option<String>) {
        let back = s.apply(action);
        (s, back)
    }

    #[test]
    fn commenting_and_feedback_requests_scroll() {
        let clause = CoreTarget::Provision("s1-1".into());
        let (s, _) = after(
            Commenting::default(),
            CommentingAction::CommentOn(clause.clone()),
        );
        assert_eq!(
            (&s.form.draft.target, s.scroll),
            (&clause, (1, Some(Spot::Form)))
        );
        assert_eq!(
            s.sheet.as_deref(),
            Some("s1-1"),
            "the sheet opens at the clause"
        );
        let (s, _) = after(
            s,
            CommentingAction::Form(Edit::Target(CoreTarget::Document)),
        );
        assert_eq!(
            (&s.form.draft.target, s.scroll.0),
            (&CoreTarget::Document, 1)
        );
        let (s, back) = after(s, CommentingAction::CloseSheet);
        assert_eq!(
            (&s.sheet, back.as_deref()),
            (&None, Some("s1-1")),
            "closing the sheet returns to its clause"
        );
        let (s, back) = after(s, CommentingAction::CloseSheet);
        assert_eq!(back, None, "closing twice: no move");
        let report = Rc::new(crate::sample::feedback());
        let (s, _) = after(s, CommentingAction::FeedbackLoaded(Some(report)));
        assert_eq!(
            *s.answers,
            [
                ("s1-1".to_owned(), 2),
                ("s2".to_owned(), 1),
                ("s1-2".to_owned(), 1)
            ],
            "clauses only, not the whole document"
        );
        let (s, _) = after(s, CommentingAction::ShowFeedback(Some("s2".into())));
        assert_eq!(
            (s.feedback_filter.as_deref(), s.scroll),
            (Some("s2"), (2, Some(Spot::Feedback)))
        );
        let (s, _) = after(s, CommentingAction::FilterFeedback(None));
        assert_eq!((s.feedback_filter.as_deref(), s.scroll.0), (None, 2));
        let (s, _) = after(s, CommentingAction::Submitted(Notice::Queued));
        assert_eq!(
            (&s.notice, s.mine_rev, s.scroll),
            (&Some(Notice::Queued), 1, (3, Some(Spot::Notice)))
        );
        let later = Notice::Receipt {
            receipt: "JD-2222-2222".into(),
            later: true,
        };
        let (s, _) = after(s, CommentingAction::Submitted(later.clone()));
        assert_eq!(
            (&s.notice, s.scroll.0),
            (&Some(later), 3),
            "no focus for a later delivery"
        );
        let (s, _) = after(s, CommentingAction::StorageChanged);
        assert_eq!(s.mine_rev, 3);
    }
}
