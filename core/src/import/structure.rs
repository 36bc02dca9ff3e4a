//! The provision tree: which paragraphs open provisions, at what depth, under which id.
//!
//! Headings come from numbering labels. The depth follows the nesting of the labels actually
//! used (a `1.` directly under `一、` is one level down, not two), so the Markdown headings never
//! skip a level. Ids are derived from the numbers in the labels (`s1-1-2`, `c2`, `a12`), so they
//! stay the same when the document is imported again, and comments can point at them.

use std::collections::{HashMap, HashSet};

use super::numbering::{self, Kind, Label};
use super::numeral::to_chinese;
use super::paragraphs::Para;
use super::{Notes, code};

/// A provision heading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heading {
    /// 1 for the outermost level.
    pub depth: usize,
    pub id: String,
    pub kind: Kind,
    pub label: String,
    /// May be empty: articles and long first sentences have no title.
    pub title: String,
    pub line: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    Heading(Heading),
    Para(Para),
}

/// The body of a document: paragraphs before the first provision, then provisions in order.
#[derive(Clone, Debug, Default)]
pub struct Structure {
    pub preamble: Vec<Para>,
    pub nodes: Vec<Node>,
}

/// Longest first sentence taken as a title (`（一）规范政务信息管理。各县……`).
const TITLE_SENTENCE_MAX: usize = 30;
/// Longest unpunctuated numbered paragraph taken as a heading line of its own (`一、总体要求`).
const TITLE_LINE_MAX: usize = 40;

struct Open {
    kind: Kind,
    number: u32,
    id: String,
    label: String,
    /// Whether a level skip under this provision was noted already (once per parent is enough).
    skip_noted: bool,
}

/// Builds the provision tree from the paragraphs of the body.
pub fn build(paras: Vec<Para>, notes: &mut Notes) -> Structure {
    let labels: Vec<Option<Label>> = paras.iter().map(|p| numbering::parse(&p.text)).collect();
    let articles = labels
        .iter()
        .flatten()
        .filter(|l| l.kind == Kind::Article)
        .count();
    // In a document of articles, `（一）` and `1.` enumerate items inside an article's text.
    let article_mode = articles >= 2;
    let is_heading = |l: &Label| {
        if article_mode {
            !l.kind.is_list()
        } else {
            l.kind != Kind::Article
        }
    };

    let mut structure = Structure::default();
    let mut stack: Vec<Open> = Vec::new();
    let mut last: [Option<u32>; 7] = [None; 7];
    // Whether the previous item at each rank ended with `；`: the items enumerate parts of one
    // sentence (`（1）……；（2）……；（3）……。`), so none of them has a title.
    let mut enumerating = [false; 7];
    let mut used: HashSet<String> = HashSet::new();
    // The last suffix given to each repeated id, so repeats cost no search.
    let mut suffixes: HashMap<String, u32> = HashMap::new();
    for (para, label) in paras.into_iter().zip(labels) {
        let Some(label) = label.filter(|l| is_heading(l)) else {
            if structure.nodes.is_empty() {
                structure.preamble.push(para);
            } else {
                structure.nodes.push(Node::Para(para));
            }
            continue;
        };
        let kind = label.kind;
        let rank = kind.rank();
        while stack.last().is_some_and(|o| o.kind.rank() >= rank) {
            stack.pop();
        }

        let parent = stack.last_mut();
        let skips = match kind {
            Kind::Section => parent.as_ref().is_none_or(|p| p.kind != Kind::Chapter),
            Kind::Chapter | Kind::Article => false,
            _ => parent
                .as_ref()
                .is_some_and(|p| p.kind.is_list() && rank > p.kind.rank() + 1 && !p.skip_noted),
        };
        if skips {
            let under = parent.as_ref().map_or_else(
                || "at the top of the document".to_owned(),
                |p| format!("directly under {}", p.label),
            );
            if let Some(p) = parent {
                p.skip_noted = true;
            }
            notes.add(
                code::LEVEL_SKIP,
                para.line,
                format!(
                    "numbering skips a level: {} sits {under}; it and its siblings were imported one level below it",
                    label.label
                ),
            );
        }

        let expected = last[rank].map_or(1, |n| n + 1);
        if label.number != expected {
            notes.add(
                code::SEQUENCE,
                para.line,
                format!(
                    "numbering is out of sequence: {} where {} was expected; an item may be missing, \
                     or a line break may have been lost in the text above",
                    label.label,
                    label_text(kind, expected)
                ),
            );
        }
        last[rank] = Some(label.number);
        for (r, slot) in last.iter_mut().enumerate().skip(rank + 1) {
            if r != Kind::Article.rank() {
                *slot = None;
            }
        }
        let enumeration =
            enumerating[rank] && single_sentence(&label.rest) || label.rest.ends_with('；');
        enumerating[rank] = label.rest.ends_with('；');
        for slot in enumerating.iter_mut().skip(rank + 1) {
            *slot = false;
        }

        let mut id = derive_id(&stack, kind, label.number);
        if used.contains(&id) {
            let base = id.clone();
            let k = suffixes.entry(base.clone()).or_insert(1);
            loop {
                *k += 1;
                id = format!("{base}_{k}");
                if !used.contains(&id) {
                    break;
                }
            }
            notes.add(
                code::DUPLICATE_ID,
                para.line,
                format!(
                    "{} repeats a number already used at this level; its id is `{id}` instead of `{base}`",
                    label.label
                ),
            );
        }
        used.insert(id.clone());

        let (title, body) = if enumeration {
            (
                String::new(),
                Some(label.rest.clone()).filter(|r| !r.is_empty()),
            )
        } else {
            split_title(&label)
        };
        if title.is_empty() && !enumeration && matches!(kind, Kind::Top | Kind::Paren) {
            notes.add(
                code::NO_HEADING_TITLE,
                para.line,
                format!(
                    "{} does not open with a short title sentence (up to {TITLE_SENTENCE_MAX} characters, \
                     ending in 。, without commas); its heading has no title and all its text is the body",
                    label.label
                ),
            );
        }
        stack.push(Open {
            kind,
            number: label.number,
            id: id.clone(),
            label: label.label.clone(),
            skip_noted: false,
        });
        structure.nodes.push(Node::Heading(Heading {
            depth: stack.len().min(6),
            id,
            kind,
            label: label.label,
            title,
            line: para.line,
        }));
        if let Some(body) = body {
            structure.nodes.push(Node::Para(Para {
                line: para.line,
                text: body,
            }));
        }
    }
    structure
}

/// True when the text is one sentence: its only full stop is the last character.
fn single_sentence(text: &str) -> bool {
    text.strip_suffix('。').is_some_and(|t| !t.contains('。'))
}

/// The canonical label of a number of a kind, for messages.
fn label_text(kind: Kind, n: u32) -> String {
    match kind {
        Kind::Chapter => format!("第{}章", to_chinese(n)),
        Kind::Section => format!("第{}节", to_chinese(n)),
        Kind::Article => format!("第{}条", to_chinese(n)),
        Kind::Top => format!("{}、", to_chinese(n)),
        Kind::Paren => format!("（{}）", to_chinese(n)),
        Kind::Arabic => format!("{n}."),
        Kind::ParenArabic => format!("（{n}）"),
    }
}

/// The id of a provision from the numbers of its open ancestors and its own.
fn derive_id(stack: &[Open], kind: Kind, n: u32) -> String {
    match kind {
        Kind::Chapter => format!("c{n}"),
        Kind::Section => match stack.iter().rev().find(|o| o.kind == Kind::Chapter) {
            Some(chapter) => format!("{}-{n}", chapter.id),
            None => format!("j{n}"),
        },
        Kind::Article => format!("a{n}"),
        _ => {
            let prefix = stack
                .iter()
                .rev()
                .find(|o| !o.kind.is_list())
                .map(|o| format!("{}-", o.id))
                .unwrap_or_default();
            let mut parts: Vec<String> = stack
                .iter()
                .filter(|o| o.kind.is_list())
                .map(|o| o.number.to_string())
                .collect();
            parts.push(n.to_string());
            format!("{prefix}s{}", parts.join("-"))
        }
    }
}

/// Splits a labelled paragraph into heading title and body.
///
/// Chapters and sections are all title; articles are all body. A point of the `一、` family takes
/// its first sentence as title when it is short (`（一）规范政务信息管理。各县……`), or the whole
/// paragraph when it is a short line without a full stop (`一、总体要求`).
fn split_title(label: &Label) -> (String, Option<String>) {
    let rest = label.rest.trim();
    let body = |s: &str| {
        let s = s.trim();
        (!s.is_empty()).then(|| s.to_owned())
    };
    match label.kind {
        Kind::Chapter | Kind::Section => (rest.to_owned(), None),
        Kind::Article => (String::new(), body(rest)),
        _ => {
            if let Some(stop) = rest.find('。') {
                let first = &rest[..stop];
                let len = first.chars().count();
                if (1..=TITLE_SENTENCE_MAX).contains(&len)
                    && !first.contains(['，', '；', '：', ','])
                {
                    return (first.to_owned(), body(&rest[stop + '。'.len_utf8()..]));
                }
                (String::new(), body(rest))
            } else if rest.chars().count() <= TITLE_LINE_MAX && !rest.contains('；') {
                (rest.trim_end_matches('：').to_owned(), None)
            } else {
                (String::new(), body(rest))
            }
        }
    }
}
