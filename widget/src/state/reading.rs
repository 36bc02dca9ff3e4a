//! Reading a document: the part of the state every widget has, and its actions.

use std::rc::Rc;

use jiedu_core::{Document, InterpretationKind, Target as CoreTarget};

use crate::anchor::Target;
use crate::load::LoadError;
use crate::options::Layout;
use crate::search::{self, Entry};

/// The localStorage key of the reader's large-text choice (`"1"` or `"0"`).
pub const ELDER_KEY: &str = "jiedu-elder";

/// A loaded document with what the widget derives from it once.
#[derive(Debug)]
pub struct Loaded {
    pub doc: Document,
    /// The search index, built after the first paint (`hooks::use_announce`), or on the first
    /// search if that comes sooner.
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
        self.index
            .get_or_init(|| search::entries(&self.doc).collect())
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
pub struct Reading {
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
}

impl Reading {
    pub fn new(layout: Layout, elder: bool) -> Reading {
        Reading {
            phase: Phase::Loading,
            layout,
            query: String::new(),
            open: Vec::new(),
            elder,
            copied: None,
            attempt: 0,
            focus: None,
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

    /// Moves the reader to `target` (counted, so going to the same target twice scrolls twice).
    pub fn focus_on(&mut self, target: Target, smooth: bool) {
        let seq = self.focus.as_ref().map_or(0, |f| f.seq + 1);
        self.focus = Some(Focus {
            target,
            seq,
            smooth,
        });
    }

    /// Opens the fold with this element id (once).
    fn open_fold(&mut self, key: String) {
        if !self.open.contains(&key) {
            self.open.push(key);
        }
    }

    /// Applies an action; false when it changes nothing.
    pub fn apply(&mut self, action: ReadingAction) -> bool {
        let smooth = matches!(action, ReadingAction::Navigate(_));
        match action {
            ReadingAction::Loading => self.phase = Phase::Loading,
            ReadingAction::Loaded(doc) => self.phase = Phase::Ready(doc),
            ReadingAction::Failed(error) => self.phase = Phase::Failed(Rc::new(error)),
            ReadingAction::Retry => {
                self.phase = Phase::Loading;
                self.attempt += 1;
            }
            ReadingAction::SetLayout(layout) => self.layout = layout,
            ReadingAction::Search(query) => self.query = query,
            ReadingAction::Toggle(target) => {
                let key = target.element_id();
                let before = self.open.len();
                self.open.retain(|k| *k != key);
                if self.open.len() == before {
                    self.open.push(key);
                }
            }
            // The target the page was opened at no longer matters once the reader has moved.
            ReadingAction::Arrive(_) if self.focus.is_some() => return false,
            ReadingAction::Navigate(target) | ReadingAction::Arrive(target) => {
                let hiding = self
                    .doc()
                    .map(|doc| folds_hiding(&doc.doc, &target))
                    .unwrap_or_default();
                for key in hiding {
                    self.open_fold(key);
                }
                self.focus_on(target, smooth);
            }
            ReadingAction::SetElder(on) => self.elder = on,
            ReadingAction::Copied(target) => self.copied = target,
        }
        true
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
pub enum ReadingAction {
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

    fn ready() -> Reading {
        let mut r = Reading::new(Layout::Inline, false);
        r.apply(ReadingAction::Loaded(DocRef(Rc::new(
            Loaded::new(sample()),
        ))));
        r
    }

    fn after(mut r: Reading, action: ReadingAction) -> Reading {
        r.apply(action);
        r
    }

    #[test]
    fn navigating_opens_the_fold_and_counts() {
        let s = after(
            ready(),
            ReadingAction::Navigate(Target::Interpretation("bg".into())),
        );
        assert!(s.is_open(&Target::Provision("s1-1".into())));
        assert_eq!(
            s.focus.as_ref().map(|f| (f.seq, f.smooth)),
            Some((0, true)),
            "first navigation"
        );
        let arrived = after(
            ready(),
            ReadingAction::Arrive(Target::Interpretation("bg".into())),
        );
        assert_eq!(
            arrived.focus.as_ref().map(|f| (f.seq, f.smooth)),
            Some((0, false))
        );
        let mut moved = s.clone();
        assert!(
            !moved.apply(ReadingAction::Arrive(Target::Faq("q1".into()))),
            "arriving after the reader moved changes nothing"
        );
        assert_eq!(moved.focus, s.focus);
        let s = after(
            s,
            ReadingAction::Navigate(Target::Interpretation("bg".into())),
        );
        assert_eq!(s.focus.as_ref().map(|f| (f.seq, f.smooth)), Some((1, true)));
    }

    #[test]
    fn toggle_and_retry() {
        let faq = Target::Faq("q1".into());
        let s = after(ready(), ReadingAction::Toggle(faq.clone()));
        assert!(s.is_open(&faq));
        let s = after(s, ReadingAction::Toggle(faq.clone()));
        assert!(!s.is_open(&faq));
        let s = after(s, ReadingAction::Retry);
        assert_eq!((s.attempt, &s.phase), (1, &Phase::Loading));
    }
}
