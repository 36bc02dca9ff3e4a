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
    /// Paragraphs after the last point that are the document's closing (结尾), not part of it.
    pub closing: Vec<Para>,
    /// The changes made to the words of headings.
    pub edits: Vec<Edit>,
}

/// Longest first sentence taken as a title (`（一）规范政务信息管理。各县……`).
const TITLE_SENTENCE_MAX: usize = 30;
/// Longest title before a colon (`一、元旦：1月1日放假1天。`).
const TITLE_COLON_MAX: usize = 20;
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

/// How a numbered paragraph could be split into heading title and body.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Shape {
    /// The whole text is the title: `一、总体要求`, `第一章 总则`, `（四）主要目标：`.
    Line {
        title: String,
        dropped: Option<char>,
    },
    /// A short first sentence or a short text before a colon is the title; the rest is the body.
    Lead {
        title: String,
        dropped: char,
        body: String,
    },
    /// No title: all the text is the body.
    Body(Option<String>),
}

impl Shape {
    fn titled(&self) -> bool {
        !matches!(self, Shape::Body(_))
    }
}

/// A heading whose title is decided once all its siblings are known.
struct Pending {
    heading: Heading,
    shape: Shape,
    /// The parent's id and the rank: headings with the same group are siblings.
    group: (String, usize),
    /// The whole text after the label, for when the title is given up.
    rest: String,
    /// The parent's label, to name the group in notes.
    parent: Option<String>,
    /// True for an item that enumerates part of one sentence (`（1）……；`): it has no title by nature.
    enumeration: bool,
}

enum Item {
    Heading(Pending),
    Para(Para),
}

/// A change the import made to the words of a heading, for the notes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub line: u32,
    pub what: EditKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EditKind {
    /// The `。` or `：` that ended a heading's title was left out.
    TitleStop(char),
    /// A label was written in its canonical form (`1、` → `1.`).
    Label,
}

/// Builds the provision tree from the paragraphs of the body. With `closing_allowed` (nothing
/// follows the provisions), paragraphs after the last point that read like the document's
/// closing are set apart in [`Structure::closing`].
pub fn build(paras: Vec<Para>, closing_allowed: bool, notes: &mut Notes) -> Structure {
    let labels: Vec<Option<Label>> = paras.iter().map(|p| numbering::parse(&p.text)).collect();
    let article_mode = is_article_mode(&labels);
    let mut builder = Builder::default();
    for (para, label) in paras.into_iter().zip(labels) {
        match label
            .filter(|l| opens_heading(l, article_mode) && para.table.is_none() && !para.plain)
        {
            Some(label) => builder.open(para, label, notes),
            None => builder.add_para(para),
        }
    }
    let Builder {
        mut structure,
        mut items,
        ..
    } = builder;
    settle_titles(&mut items, notes);
    structure.closing = take_closing(&mut items, closing_allowed, notes);
    for item in items {
        match item {
            Item::Para(p) => structure.nodes.push(Node::Para(p)),
            Item::Heading(p) => structure.add_heading(p),
        }
    }
    structure
}

/// In a document of at least two articles, `（一）` and `1.` enumerate items inside an article's
/// text rather than open provisions.
fn is_article_mode(labels: &[Option<Label>]) -> bool {
    let articles = labels
        .iter()
        .flatten()
        .filter(|l| l.kind == Kind::Article)
        .count();
    articles >= 2
}

/// Whether a label opens a provision heading: in article mode only non-list labels do,
/// otherwise everything but articles.
fn opens_heading(label: &Label, article_mode: bool) -> bool {
    if article_mode {
        !label.kind.is_list()
    } else {
        label.kind != Kind::Article
    }
}

/// The state of [`build`] while it walks the paragraphs: the headings opened so far (their
/// titles still pending) and what is needed to number, check and identify the next one.
#[derive(Default)]
struct Builder {
    /// The preamble and the label edits; the nodes are added once titles are settled.
    structure: Structure,
    items: Vec<Item>,
    /// The headings enclosing the current one, outermost first.
    stack: Vec<Open>,
    /// The last number seen at each rank, for the sequence check.
    last: [Option<u32>; 7],
    /// Whether the previous item at each rank ended with `；`: the items enumerate parts of one
    /// sentence (`（1）……；（2）……；（3）……。`), so none of them has a title.
    enumerating: [bool; 7],
    used: HashSet<String>,
    /// The last suffix given to each repeated id, so repeats cost no search.
    suffixes: HashMap<String, u32>,
}

impl Builder {
    /// A paragraph that opens no provision: preamble before the first heading, body after.
    fn add_para(&mut self, para: Para) {
        if self.items.is_empty() {
            self.structure.preamble.push(para);
        } else {
            self.items.push(Item::Para(para));
        }
    }

    /// Opens the provision `label` starts, under the enclosing ones still open at a lower rank.
    fn open(&mut self, para: Para, label: Label, notes: &mut Notes) {
        let kind = label.kind;
        let rank = kind.rank();
        while self.stack.last().is_some_and(|o| o.kind.rank() >= rank) {
            self.stack.pop();
        }
        note_skip(&mut self.stack, &label, para.line, notes);
        note_sequence(&mut self.last, &label, para.line, notes);
        let enumeration = self.enumeration(&label);
        let id = unique_id(
            derive_id(&self.stack, kind, label.number),
            &label,
            para.line,
            &mut self.used,
            &mut self.suffixes,
            notes,
        );
        if label.written != label.label {
            self.structure.edits.push(Edit {
                line: para.line,
                what: EditKind::Label,
            });
        }
        self.push_heading(para.line, label, id, enumeration);
    }

    /// Pushes the heading `label` opens, its title pending, and makes it the innermost open one.
    fn push_heading(&mut self, line: u32, label: Label, id: String, enumeration: bool) {
        let kind = label.kind;
        let shape = if enumeration {
            Shape::Body(Some(label.rest.clone()).filter(|r| !r.is_empty()))
        } else {
            shape(&label)
        };
        let group = (
            self.stack.last().map_or_else(String::new, |o| o.id.clone()),
            kind.rank(),
        );
        let parent = self.stack.last().map(|o| o.label.clone());
        self.stack.push(Open {
            kind,
            number: label.number,
            id: id.clone(),
            label: label.label.clone(),
            skip_noted: false,
        });
        let heading = Heading {
            depth: self.stack.len().min(6),
            id,
            kind,
            label: label.label,
            title: String::new(),
            line,
        };
        self.items.push(Item::Heading(Pending {
            heading,
            shape,
            group,
            rest: label.rest,
            parent,
            enumeration,
        }));
    }

    /// Whether `label`'s item enumerates part of one sentence (it, or the item before it at its
    /// rank, ends with `；`), and remembers for the next item whether this one does.
    fn enumeration(&mut self, label: &Label) -> bool {
        let rank = label.kind.rank();
        let enumeration =
            self.enumerating[rank] && single_sentence(&label.rest) || label.rest.ends_with('；');
        self.enumerating[rank] = label.rest.ends_with('；');
        for slot in self.enumerating.iter_mut().skip(rank + 1) {
            *slot = false;
        }
        enumeration
    }
}

impl Structure {
    /// Adds a heading with its settled title, then the body its shape split off, if any,
    /// recording the dropped title stop.
    fn add_heading(&mut self, pending: Pending) {
        let line = pending.heading.line;
        let (title, body, dropped) = match pending.shape {
            Shape::Line { title, dropped } => (title, None, dropped),
            Shape::Lead {
                title,
                dropped,
                body,
            } => (title, Some(body), Some(dropped)),
            Shape::Body(body) => (String::new(), body, None),
        };
        if let Some(c) = dropped {
            self.edits.push(Edit {
                line,
                what: EditKind::TitleStop(c),
            });
        }
        self.nodes.push(Node::Heading(Heading {
            title,
            ..pending.heading
        }));
        if let Some(body) = body {
            self.nodes.push(Node::Para(Para::text(line, body)));
        }
    }
}

/// Notes a label that skips a level under its parent (once per parent).
fn note_skip(stack: &mut [Open], label: &Label, line: u32, notes: &mut Notes) {
    let rank = label.kind.rank();
    let parent = stack.last_mut();
    let skips = match label.kind {
        Kind::Section => parent.as_ref().is_none_or(|p| p.kind != Kind::Chapter),
        Kind::Chapter | Kind::Article => false,
        _ => parent
            .as_ref()
            .is_some_and(|p| p.kind.is_list() && rank > p.kind.rank() + 1 && !p.skip_noted),
    };
    if !skips {
        return;
    }
    let (under_en, under_zh) = parent.as_ref().map_or_else(
        || {
            (
                "at the top of the document".to_owned(),
                "位于文件最外层".to_owned(),
            )
        },
        |p| {
            (
                format!("directly under {}", p.label),
                format!("直接位于{}之下", p.label),
            )
        },
    );
    if let Some(p) = parent {
        p.skip_noted = true;
    }
    notes.add(
        code::LEVEL_SKIP,
        line,
        format!(
            "numbering skips a level: {} sits {under_en}; it and its siblings were imported one level below it",
            label.label
        ),
        format!(
            "编号跳过了一级：{}{under_zh}；它及其同级条款按下一级导入",
            label.label
        ),
    );
}

/// Notes a number out of sequence and remembers the number at its rank.
fn note_sequence(last: &mut [Option<u32>; 7], label: &Label, line: u32, notes: &mut Notes) {
    let rank = label.kind.rank();
    let expected = last[rank].map_or(1, |n| n + 1);
    if label.number != expected {
        let wanted = label_text(label.kind, expected);
        notes.add(
            code::SEQUENCE,
            line,
            format!(
                "numbering is out of sequence: {} where {wanted} was expected; an item may be missing, \
                 or a line break may have been lost in the text above",
                label.label
            ),
            format!(
                "编号不连续：此处为{}，应为{wanted}；可能缺少一项，或上文丢失了换行",
                label.label
            ),
        );
    }
    last[rank] = Some(label.number);
    for (r, slot) in last.iter_mut().enumerate().skip(rank + 1) {
        if r != Kind::Article.rank() {
            *slot = None;
        }
    }
}

/// The id, with a suffix when it is taken already.
fn unique_id(
    mut id: String,
    label: &Label,
    line: u32,
    used: &mut HashSet<String>,
    suffixes: &mut HashMap<String, u32>,
    notes: &mut Notes,
) -> String {
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
            line,
            format!(
                "{} repeats a number already used at this level; its id is `{id}` instead of `{base}`",
                label.label
            ),
            format!(
                "{}与同级已有编号重复；其 id 为 `{id}`，而不是 `{base}`",
                label.label
            ),
        );
    }
    used.insert(id.clone());
    id
}

/// Siblings are treated alike: when fewer than half of them open with a title, none gets one
/// (their text stays whole in the body, one note for the group); when most do, those without
/// one are noted each.
fn settle_titles(items: &mut [Item], notes: &mut Notes) {
    for members in sibling_groups(items) {
        settle_group(items, &members, notes);
    }
}

/// The positions of the list headings in `items`, grouped by parent and rank, the groups in
/// order of their first member.
fn sibling_groups(items: &[Item]) -> Vec<Vec<usize>> {
    let mut groups: HashMap<(String, usize), Vec<usize>> = HashMap::new();
    for (k, item) in items.iter().enumerate() {
        if let Item::Heading(p) = item
            && p.heading.kind.is_list()
        {
            groups.entry(p.group.clone()).or_default().push(k);
        }
    }
    let mut groups: Vec<Vec<usize>> = groups.into_values().collect();
    groups.sort();
    groups
}

impl Item {
    fn pending(&self) -> Option<&Pending> {
        match self {
            Item::Heading(p) => Some(p),
            Item::Para(_) => None,
        }
    }
}

/// [`settle_titles`] for one group of siblings (`members`, positions in `items`).
fn settle_group(items: &mut [Item], members: &[usize], notes: &mut Notes) {
    let pending = |k: usize| items[k].pending();
    let titled = members
        .iter()
        .filter(|&&k| pending(k).is_some_and(|p| p.shape.titled()))
        .count();
    let untitled: Vec<usize> = members
        .iter()
        .copied()
        .filter(|&k| pending(k).is_some_and(|p| !p.shape.titled()))
        .collect();
    let Some(first) = untitled.first().and_then(|&k| pending(k)) else {
        return;
    };
    let enumerations = untitled
        .iter()
        .all(|&k| pending(k).is_some_and(|p| p.enumeration));
    let top_or_paren = matches!(first.heading.kind, Kind::Top | Kind::Paren);
    if titled == 0 && (enumerations || !top_or_paren) {
        return;
    }
    if titled * 2 >= members.len() {
        for p in untitled.iter().filter_map(|&k| pending(k)) {
            if matches!(p.heading.kind, Kind::Top | Kind::Paren) {
                note_untitled(&p.heading.label, p.heading.line, true, notes);
            }
        }
        return;
    }
    // Most siblings have no title: the few leads are given up too, so that all read alike.
    let labels: Vec<String> = members
        .iter()
        .filter_map(|&k| pending(k).map(|p| p.heading.label.clone()))
        .collect();
    let (line, parent) = (first.heading.line, first.parent.clone());
    give_up_leads(items, members);
    if labels.len() == 1 {
        note_untitled(&labels[0], line, false, notes);
    } else if top_or_paren || titled > 0 {
        note_untitled_group(&labels, parent.as_deref(), line, notes);
    }
}

/// Turns the titled leads among `members` back into body text.
fn give_up_leads(items: &mut [Item], members: &[usize]) {
    for &k in members {
        if let Item::Heading(p) = &mut items[k]
            && matches!(p.shape, Shape::Lead { .. })
        {
            p.shape = Shape::Body(Some(p.rest.clone()));
        }
    }
}

/// Notes that the siblings `labels` (more than one) under `parent` got no titles.
fn note_untitled_group(labels: &[String], parent: Option<&str>, line: u32, notes: &mut Notes) {
    let (first, last) = (&labels[0], &labels[labels.len() - 1]);
    let range = match parent {
        Some(p) => format!("{first}–{last} under {p}"),
        None => format!("{first}–{last}"),
    };
    let range_zh = match parent {
        Some(p) => format!("{p}下的{first}–{last}"),
        None => format!("{first}–{last}"),
    };
    notes.add(
        code::NO_HEADING_TITLE,
        line,
        format!(
            "the points {range} do not open with short title sentences (up to {TITLE_SENTENCE_MAX} \
             characters, ending in 。, without commas), so none of them got a title and their \
             text is the body; write titles into the headings if they have them"
        ),
        format!(
            "{range_zh}各项大多不以简短的标题句开头（不超过 {TITLE_SENTENCE_MAX} 个字、以“。”结尾、不含逗号），\
             为使同级一致，均未设标题，全文作为正文；如有标题请写入标题行"
        ),
    );
}

fn note_untitled(label: &str, line: u32, has_siblings: bool, notes: &mut Notes) {
    let (unlike, unlike_zh) = if has_siblings {
        (", unlike its siblings", "，与同级条款不同")
    } else {
        ("", "")
    };
    notes.add(
        code::NO_HEADING_TITLE,
        line,
        format!(
            "{label} does not open with a short title sentence (up to {TITLE_SENTENCE_MAX} characters, \
             ending in 。, without commas){unlike}; its heading has no title and all its text is the body"
        ),
        format!(
            "{label}不以简短的标题句开头（不超过 {TITLE_SENTENCE_MAX} 个字、以“。”结尾、不含逗号）{unlike_zh}；\
             其标题为空，全文作为正文"
        ),
    );
}

/// Takes the closing (结尾) off the end of the last point of the outermost level, when nothing
/// follows that point but paragraphs:
/// - when every other point of that level is one paragraph and the last one is followed by
///   more, those paragraphs are the closing (`节假日期间，各地区……`);
/// - otherwise the closing starts at a sentence that opens with a closing formula (`特此通知。`,
///   `以上通知，请认真贯彻执行。`), at the start of a paragraph or, in text that lost its line
///   breaks, after a `。` inside the last one.
///
/// A note says so. Without `allowed` (attachments follow the provisions, so there is no place
/// for a closing) the paragraphs stay in the point's body and the note says that instead.
fn take_closing(items: &mut Vec<Item>, allowed: bool, notes: &mut Notes) -> Vec<Para> {
    let Some((last, others)) = last_outer_point(items) else {
        return Vec::new();
    };
    let Item::Heading(h) = &items[last] else {
        return Vec::new();
    };
    let (label, heading_line) = (h.heading.label.clone(), h.heading.line);
    let Some(start) = closing_start(items, last, heading_line, &others) else {
        return Vec::new();
    };
    let first = match start {
        ClosingStart::Para(k) => match &items[k] {
            Item::Para(p) => p.line,
            Item::Heading(_) => return Vec::new(),
        },
        ClosingStart::Inside { line, .. } => line,
    };
    note_closing(first, &label, allowed, notes);
    if !allowed {
        return Vec::new();
    }
    match start {
        ClosingStart::Para(k) => items
            .split_off(k)
            .into_iter()
            .filter_map(|i| match i {
                Item::Para(p) => Some(p),
                Item::Heading(_) => None,
            })
            .collect(),
        ClosingStart::Inside { at, line } => last_text_mut(items)
            .map(|text| vec![Para::text(line, text.split_off(at))])
            .unwrap_or_default(),
    }
}

/// Where the closing starts.
enum ClosingStart {
    /// At the paragraph `items[k]`.
    Para(usize),
    /// At byte `at` of the last text (see [`last_text`]), on `line`.
    Inside { at: usize, line: u32 },
}

/// The position of the last point of the outermost level and of the others, when no heading
/// follows it.
fn last_outer_point(items: &[Item]) -> Option<(usize, Vec<usize>)> {
    let mut outer: Vec<usize> = items
        .iter()
        .enumerate()
        .filter_map(|(k, i)| match i {
            Item::Heading(p) if p.heading.depth == 1 && p.heading.kind.is_list() => Some(k),
            _ => None,
        })
        .collect();
    let last = outer.pop()?;
    if items[last + 1..]
        .iter()
        .any(|i| matches!(i, Item::Heading(_)))
    {
        return None;
    }
    Some((last, outer))
}

/// Where the closing after the last outer point (`items[last]`, on `heading_line`) starts, if
/// anywhere: the rules of [`take_closing`] in order.
fn closing_start(
    items: &[Item],
    last: usize,
    heading_line: u32,
    others: &[usize],
) -> Option<ClosingStart> {
    let tail = last + 1;
    let mut at = None;
    if others.len() >= 2
        && extra_paras(items, last) > 0
        && others.iter().all(|&k| extra_paras(items, k) == 0)
    {
        at = (tail..items.len())
            .find(|&k| matches!(&items[k], Item::Para(p) if p.line != heading_line));
    }
    if at.is_none() {
        at = (tail..items.len()).find(|&k| {
            matches!(&items[k], Item::Para(p) if p.table.is_none() && is_closing_formula(&p.text))
        });
    }
    if let Some(k) = at {
        return Some(ClosingStart::Para(k));
    }
    // Else a formula inside the last paragraph (or the point's own text, when it has none).
    let (text, line) = last_text(items)?;
    Some(ClosingStart::Inside {
        at: formula_inside(text)?,
        line,
    })
}

/// The paragraphs after heading `items[k]` up to the next heading, other than its own body.
fn extra_paras(items: &[Item], k: usize) -> usize {
    let Item::Heading(h) = &items[k] else {
        return 0;
    };
    items[k + 1..]
        .iter()
        .map_while(|i| match i {
            Item::Para(p) => Some(p),
            Item::Heading(_) => None,
        })
        .filter(|p| p.line != h.heading.line)
        .count()
}

/// Notes the closing found at `first`: set apart, or (without `allowed`) left in the point.
fn note_closing(first: u32, label: &str, allowed: bool, notes: &mut Notes) {
    if allowed {
        notes.add(
            code::CLOSING,
            first,
            format!(
                "the text from here reads like the document's closing (结尾) rather than part of {label}: \
                 it was set apart after the provisions, behind `---`; move it into {label}'s body if it belongs there"
            ),
            format!(
                "从这里起的文字像是全文的结尾，而不属于{label}：已放在条款之后的 `---` 下面；如属于{label}，请移回其正文"
            ),
        );
    } else {
        notes.add(
            code::LEFT_OVER,
            first,
            format!(
                "the text from here reads like the document's closing (结尾) rather than part of {label}; \
                 attachments follow the provisions as sections, so there is no place for a closing and it is \
                 in {label}'s body: move it if it belongs elsewhere"
            ),
            format!(
                "从这里起的文字像是全文的结尾，而不属于{label}；条款之后还有作为章节保留的附件，结尾无处可放，\
                 因此它留在{label}的正文中：如不属于该项请移动"
            ),
        );
    }
}

/// The text of the last paragraph of the body, or of the last point when it has no paragraph
/// after it, with its line.
fn last_text(items: &[Item]) -> Option<(&str, u32)> {
    match items.last()? {
        Item::Para(p) if p.table.is_none() => Some((p.text.as_str(), p.line)),
        Item::Heading(Pending {
            shape: Shape::Lead { body, .. } | Shape::Body(Some(body)),
            heading,
            ..
        }) => Some((body.as_str(), heading.line)),
        _ => None,
    }
}

fn last_text_mut(items: &mut [Item]) -> Option<&mut String> {
    match items.last_mut()? {
        Item::Para(p) if p.table.is_none() => Some(&mut p.text),
        Item::Heading(Pending {
            shape: Shape::Lead { body, .. } | Shape::Body(Some(body)),
            ..
        }) => Some(body),
        _ => None,
    }
}

/// True for a sentence that closes a document: `特此通知。`, `以上通知，请认真贯彻执行。`,
/// `以上意见，请结合实际认真贯彻落实。`.
fn is_closing_formula(text: &str) -> bool {
    if text.starts_with("特此") {
        return true;
    }
    let sentence = text.split_inclusive('。').next().unwrap_or(text);
    text.starts_with("以上")
        && sentence.contains('请')
        && ["执行", "落实", "遵照", "办理"]
            .iter()
            .any(|w| sentence.contains(w))
}

/// The byte offset of the first sentence after a `。` inside `text` that is a closing formula.
fn formula_inside(text: &str) -> Option<usize> {
    text.match_indices('。')
        .map(|(i, s)| i + s.len())
        .find(|&i| i < text.len() && is_closing_formula(&text[i..]))
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

/// How a labelled paragraph could be split into heading title and body.
///
/// Chapters and sections are all title; articles are all body. A point of the `一、` family takes
/// as title its first sentence when it is short and more text follows
/// (`（一）规范政务信息管理。各县……`), the text before a colon when it is short
/// (`一、元旦：1月1日放假1天。`), or the whole paragraph when it is a short line without a full
/// stop (`一、总体要求`). A point that is one sentence is all body: its sentence is not a title.
fn shape(label: &Label) -> Shape {
    let rest = label.rest.trim();
    let body = |s: &str| {
        let s = s.trim();
        (!s.is_empty()).then(|| s.to_owned())
    };
    match label.kind {
        Kind::Chapter | Kind::Section => Shape::Line {
            title: rest.to_owned(),
            dropped: None,
        },
        Kind::Article => Shape::Body(body(rest)),
        _ => {
            let stop = rest.find(['。', '：']);
            if let Some(stop) = stop {
                let first = &rest[..stop];
                let mark = rest[stop..].chars().next().unwrap_or('。');
                let after = &rest[stop + mark.len_utf8()..];
                let len = first.chars().count();
                let max = if mark == '：' {
                    TITLE_COLON_MAX
                } else {
                    TITLE_SENTENCE_MAX
                };
                let plain = !first.contains(['，', '；', '：', ',']);
                match body(after) {
                    Some(after) if (1..=max).contains(&len) && plain => Shape::Lead {
                        title: first.to_owned(),
                        dropped: mark,
                        body: after,
                    },
                    None if mark == '：' && len <= TITLE_LINE_MAX && !first.contains('；') => {
                        Shape::Line {
                            title: first.to_owned(),
                            dropped: Some('：'),
                        }
                    }
                    _ => Shape::Body(body(rest)),
                }
            } else if rest.chars().count() <= TITLE_LINE_MAX && !rest.contains('；') {
                Shape::Line {
                    title: rest.to_owned(),
                    dropped: None,
                }
            } else {
                Shape::Body(body(rest))
            }
        }
    }
}
