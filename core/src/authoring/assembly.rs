//! From sections to a document: the provision tree, every heading's id, what each
//! interpretation and FAQ is about, and the checks that need the whole file.
//!
//! Ids and targets cannot be settled heading by heading: `for=` may name a provision written
//! further down, and a derived id (`i-3`) must skip the ids editors fixed anywhere in the file.
//! So the sections are first sorted into the provision tree and the interpretations and FAQs as
//! written; their ids are derived and their targets resolved once every fixed id is claimed.

use std::collections::HashMap;
use std::ops::Range;

use super::heading::{Head, Role, Spanned, what_zh};
use super::{Cx, Section, Thresholds, checks, codes, front_matter, split_label};
use crate::diagnostic::tr;
use crate::model::{
    Document, FORMAT_VERSION, Faq, Interpretation, InterpretationKind, Lang, Media, Provision,
    Target,
};
use crate::rich::RichText;

/// A provision while the tree is being built.
#[derive(Debug)]
struct Node {
    level: u8,
    /// Positional id (`1.2`), whether or not the editor fixed another one.
    pos: String,
    id: String,
    fixed: bool,
    span: Range<usize>,
    label: Option<String>,
    title: String,
    body: RichText,
    children: Vec<usize>,
}

/// Where an interpretation or FAQ points, resolved to provision indices.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Resolved {
    Document,
    Node(usize),
}

/// Builds the document from the sections: the provision tree first, then the
/// interpretations and FAQs (their ids and targets need every heading's id), then the checks
/// over the whole document.
pub(super) fn assemble(
    cx: &mut Cx<'_>,
    sections: Vec<Section>,
    meta: Option<front_matter::Meta>,
    bodies: Vec<RichText>,
    thresholds: &Thresholds,
) -> Option<Document> {
    let mut parts = Parts::default();
    for (section, body) in sections.into_iter().zip(bodies) {
        parts.add(cx, section, body);
    }
    let Parts {
        preamble,
        closing,
        tree,
        mut ids,
        interpretations,
        faqs,
        ..
    } = parts;
    // Derived ids skip the ids editors fixed; targets are resolved once every id is known,
    // so `for=` can say what a non-provision id names.
    let interpretation_ids = derive_ids(&interpretations, "i-", &mut ids);
    let faq_ids = derive_ids(&faqs, "faq-", &mut ids);
    let interpretations = settle(cx, interpretations, interpretation_ids, &tree, &ids);
    let faqs = settle(cx, faqs, faq_ids, &tree, &ids);

    check_empty_entries(cx, &interpretations, &faqs);
    let interpretation_texts = interpretation_texts(&interpretations);
    let lang = meta.as_ref().map_or(Lang::ZhCn, |m| m.lang);
    let interpretations: Vec<Interpretation> = interpretations
        .into_iter()
        .filter_map(|entry| entry.into_interpretation(&tree, lang))
        .collect();
    let faqs: Vec<Faq> = faqs
        .into_iter()
        .map(|entry| entry.into_faq(&tree))
        .collect();
    if let Some(meta) = &meta {
        let first = interpretation_texts.first().map(|t| &t.span);
        checks::document_checks(cx, meta, &interpretations, first);
        if meta.consultation.is_some() {
            check_fixed_ids(cx, &tree.nodes);
        }
    }
    checks::formalism(cx, &tree.texts(), &interpretation_texts, thresholds);

    let contents = Contents {
        preamble,
        provisions: tree.into_provisions(),
        closing,
        interpretations,
        faqs,
    };
    Some(contents.into_document(meta?))
}

/// Ids in use, with where each was given (empty for a derived one) and what it names: for the
/// duplicate check, and to say what a `for=` id names when it is not a provision.
type Ids = HashMap<String, (Range<usize>, &'static str)>;

/// The sections sorted by what they become, in the order of the file.
#[derive(Default)]
struct Parts {
    preamble: RichText,
    closing: RichText,
    /// The thematic break that ended the provisions, once met.
    closing_rule: Option<Range<usize>>,
    tree: Tree,
    ids: Ids,
    interpretations: Vec<Written>,
    faqs: Vec<Written>,
}

impl Parts {
    /// Sorts in the next section. Fixed ids are claimed here, in the order of the file, so a
    /// duplicate is reported on its second use.
    fn add(&mut self, cx: &mut Cx<'_>, section: Section, body: RichText) {
        let Some(head) = section.head else {
            match section.closing {
                Some(rule) => {
                    self.closing = body;
                    self.closing_rule = Some(rule);
                }
                None => self.preamble = body,
            }
            return;
        };
        if let Role::Provision { .. } = head.role {
            if let Some(rule) = &self.closing_rule {
                provision_after_closing(cx, head.span.clone(), rule);
            }
            self.tree.add(cx, &mut self.ids, &head, body);
            return;
        }
        if let Some(id) = head.role.id() {
            let what = head.role.what();
            claim_id(cx, &mut self.ids, &id.value, id.span.clone(), true, what);
        }
        if let Role::Interpretation { .. } = head.role {
            let above = self.tree.last().map_or(Resolved::Document, Resolved::Node);
            self.interpretations.push(Written {
                head,
                body,
                default_targets: vec![above],
            });
        } else {
            self.faqs.push(Written {
                head,
                body,
                default_targets: Vec::new(),
            });
        }
    }
}

/// The provisions as a tree, built from their headings in the order of the file.
#[derive(Default)]
struct Tree {
    nodes: Vec<Node>,
    roots: Vec<usize>,
    /// The provisions a later heading can still go under, outermost first.
    open: Vec<usize>,
    /// The first provision with each id.
    by_id: HashMap<String, usize>,
}

impl Tree {
    /// Adds a provision under the nearest open provision of a lower heading level, with the id
    /// its editor fixed or else its position (`1.2`), and claims that id.
    fn add(&mut self, cx: &mut Cx<'_>, ids: &mut Ids, head: &Head, body: RichText) {
        while self
            .open
            .last()
            .is_some_and(|&p| self.nodes[p].level >= head.level)
        {
            self.open.pop();
        }
        let parent = self.open.last().copied();
        let pos = self.next_position(parent);
        let (id, fixed, id_span) = match head.role.id() {
            Some(id) => (id.value.clone(), true, id.span.clone()),
            None => (pos.clone(), false, head.span.clone()),
        };
        claim_id(cx, ids, &id, id_span, fixed, "provision");
        let (label, title) = split_label(&head.text);
        let index = self.nodes.len();
        self.by_id.entry(id.clone()).or_insert(index);
        self.nodes.push(Node {
            level: head.level,
            pos,
            id,
            fixed,
            span: head.span.clone(),
            label,
            title,
            body,
            children: Vec::new(),
        });
        match parent {
            Some(p) => self.nodes[p].children.push(index),
            None => self.roots.push(index),
        }
        self.open.push(index);
    }

    /// The positional id of the next provision under `parent` (`1.3` after `1.2`), or at the top.
    fn next_position(&self, parent: Option<usize>) -> String {
        match parent {
            Some(p) => format!("{}.{}", self.nodes[p].pos, self.nodes[p].children.len() + 1),
            None => (self.roots.len() + 1).to_string(),
        }
    }

    /// The provision added last: what an interpretation after it is about, unless it says.
    fn last(&self) -> Option<usize> {
        self.nodes.len().checked_sub(1)
    }

    fn targets(&self, resolved: &[Resolved]) -> Vec<Target> {
        resolved
            .iter()
            .map(|r| match r {
                Resolved::Document => Target::Document,
                Resolved::Node(n) => Target::Provision(self.nodes[*n].id.clone()),
            })
            .collect()
    }

    /// The provisions as the formalism checks read them.
    fn texts(&self) -> Vec<checks::NodeText> {
        self.nodes
            .iter()
            .map(|n| checks::NodeText {
                heading: match &n.label {
                    Some(l) => format!("{l}{}", n.title),
                    None => n.title.clone(),
                },
                body: n.body.plain_text(),
                children: n.children.clone(),
            })
            .collect()
    }

    fn into_provisions(mut self) -> Vec<Provision> {
        let roots = std::mem::take(&mut self.roots);
        roots
            .into_iter()
            .map(|r| build_provision(&mut self.nodes, r))
            .collect()
    }
}

/// An interpretation or FAQ as written, waiting for its id and targets. Without `for=`, an
/// interpretation is about the provision above it (or the whole document) and an FAQ about
/// nothing in particular.
struct Written {
    head: Head,
    body: RichText,
    default_targets: Vec<Resolved>,
}

/// An interpretation or FAQ with its id and targets settled.
struct Entry {
    head: Head,
    body: RichText,
    id: String,
    targets: Vec<Resolved>,
}

impl Entry {
    /// The interpretation; `None` only if the heading was not one.
    fn into_interpretation(self, tree: &Tree, lang: Lang) -> Option<Interpretation> {
        let Role::Interpretation { kind, by, date, .. } = self.head.role else {
            return None;
        };
        let title = if self.head.text.is_empty() {
            kind_title(kind, lang).to_owned()
        } else {
            self.head.text
        };
        Some(Interpretation {
            id: self.id,
            targets: tree.targets(&self.targets),
            kind,
            title,
            media: Media::in_body(&self.body),
            body: self.body,
            by,
            date,
        })
    }

    fn into_faq(self, tree: &Tree) -> Faq {
        Faq {
            id: self.id,
            question: self.head.text,
            answer: self.body,
            related: tree.targets(&self.targets),
        }
    }
}

/// The id of each interpretation or FAQ: the one its editor fixed, or else the next derived id
/// (`i-3`, `faq-2`) no heading has taken. Each is claimed as it is given.
fn derive_ids(written: &[Written], prefix: &str, ids: &mut Ids) -> Vec<String> {
    let mut counter = 0;
    written
        .iter()
        .map(|w| {
            let id = match w.head.role.id() {
                Some(id) => id.value.clone(),
                None => fresh_id(prefix, &mut counter, ids),
            };
            ids.entry(id.clone()).or_insert((0..0, w.head.role.what()));
            id
        })
        .collect()
}

/// Gives each interpretation or FAQ its id and its targets: those its `for=` names, or else
/// its default ones.
fn settle(
    cx: &mut Cx<'_>,
    written: Vec<Written>,
    given: Vec<String>,
    tree: &Tree,
    ids: &Ids,
) -> Vec<Entry> {
    written
        .into_iter()
        .zip(given)
        .map(|(w, id)| {
            let targets = match w.head.role.targets() {
                Some(list) => resolve_targets(cx, list, &tree.by_id, ids),
                None => w.default_targets,
            };
            Entry {
                head: w.head,
                body: w.body,
                id,
                targets,
            }
        })
        .collect()
}

/// Warns about an interpretation without text, and an FAQ without a question or an answer.
fn check_empty_entries(cx: &mut Cx<'_>, interpretations: &[Entry], faqs: &[Entry]) {
    for entry in interpretations.iter().filter(|e| e.body.is_empty()) {
        cx.warning(
            codes::EMPTY_ENTRY,
            entry.head.span.clone(),
            tr("this interpretation has no text", "这条解读没有正文"),
            tr(
                "write the interpretation below its heading, or remove the heading",
                "在标题下写出解读内容，或删除这个标题",
            ),
        );
    }
    for entry in faqs {
        if entry.head.text.trim().is_empty() {
            cx.warning(
                codes::EMPTY_ENTRY,
                entry.head.span.clone(),
                tr("this FAQ has no question", "这条问答没有问题"),
                tr(
                    "write the question as the heading's text: `### 哪些信息应当主动公开？ {.faq}`",
                    "把问题写作标题文字：`### 哪些信息应当主动公开？ {.faq}`",
                ),
            );
        } else if entry.body.is_empty() {
            cx.warning(
                codes::EMPTY_ENTRY,
                entry.head.span.clone(),
                tr("this FAQ has no answer", "这条问答没有回答"),
                tr("write the answer below the question", "在问题下面写出回答"),
            );
        }
    }
}

/// The interpretations as the formalism checks read them (a target of `None` is the document).
fn interpretation_texts(interpretations: &[Entry]) -> Vec<checks::InterpText> {
    interpretations
        .iter()
        .map(|entry| checks::InterpText {
            text: entry.body.plain_text(),
            targets: entry
                .targets
                .iter()
                .map(|t| match t {
                    Resolved::Document => None,
                    Resolved::Node(n) => Some(*n),
                })
                .collect(),
            span: entry.head.span.clone(),
        })
        .collect()
}

/// Warns about each provision without a fixed id in a document under consultation: comments
/// point at provision ids, and a positional id moves when a provision is inserted above it.
fn check_fixed_ids(cx: &mut Cx<'_>, nodes: &[Node]) {
    for node in nodes.iter().filter(|n| !n.fixed) {
        cx.warning(
            codes::UNFIXED_ID,
            node.span.clone(),
            tr(
                format!(
                    "provision `{}` has no fixed id, but the document is under consultation",
                    node.id
                ),
                format!("条款 `{}` 没有固定 id，而文件正在征求意见", node.id),
            ),
            tr(
                format!(
                    "comments point at provision ids; fix this one by ending the heading with {{#{}}} (any id of A-Z, a-z, 0-9, `.`, `_`, `-`) so it survives edits",
                    suggest_id(&node.pos)
                ),
                format!(
                    "意见按条款 id 指向条款：在标题末尾加上 {{#{}}}（id 可用 A-Z、a-z、0-9、`.`、`_`、`-`）把它固定下来，修改文件后意见仍能对上",
                    suggest_id(&node.pos)
                ),
            ),
        );
    }
}

/// What the document holds besides its front matter.
struct Contents {
    preamble: RichText,
    provisions: Vec<Provision>,
    closing: RichText,
    interpretations: Vec<Interpretation>,
    faqs: Vec<Faq>,
}

impl Contents {
    fn into_document(self, meta: front_matter::Meta) -> Document {
        Document {
            format_version: FORMAT_VERSION,
            id: meta.id,
            title: meta.title,
            doc_number: meta.doc_number,
            issuer: meta.issuer,
            issued: meta.issued,
            effective: meta.effective,
            status: meta.status,
            disclosure: meta.disclosure,
            lang: meta.lang,
            summary: meta.summary,
            preamble: self.preamble,
            provisions: self.provisions,
            closing: self.closing,
            interpretations: self.interpretations,
            faqs: self.faqs,
            consultation: meta.consultation,
            lapsed: None,
            replaces: meta.replaces,
        }
    }
}

/// Reports a provision heading after the closing: the closing ends the provisions.
fn provision_after_closing(cx: &mut Cx<'_>, span: Range<usize>, rule: &Range<usize>) {
    let line = cx.line_of(rule);
    cx.error(
        codes::PROVISION_AFTER_CLOSING,
        span,
        tr(
            format!(
                "a provision heading after the closing: the thematic break on line {line} ended the provisions"
            ),
            format!("结尾之后又有条款标题：第 {line} 行的分隔线已结束条款部分"),
        ),
        tr(
            format!(
                "move this provision above line {line}; if the break on line {line} only separates text inside a provision, delete it or put the interpretation or FAQ headings that follow it after the last provision"
            ),
            format!(
                "把这个条款移到第 {line} 行之前；如第 {line} 行的分隔线只是条款正文中的分隔，请删除它，或把它后面的解读、问答标题移到最后一个条款之后"
            ),
        ),
    );
}

/// The next derived id (`i-3`, `faq-2`) that no heading has taken.
fn fresh_id(prefix: &str, counter: &mut usize, ids: &Ids) -> String {
    loop {
        *counter += 1;
        let candidate = format!("{prefix}{counter}");
        if !ids.contains_key(&candidate) {
            return candidate;
        }
    }
}

/// A suggested fixed id for a provision at a positional id: `1.2` → `s1-2`.
fn suggest_id(pos: &str) -> String {
    format!("s{}", pos.replace('.', "-"))
}

fn build_provision(nodes: &mut [Node], index: usize) -> Provision {
    let children = std::mem::take(&mut nodes[index].children);
    // Heading levels bound the depth to six, so this recursion is shallow.
    let children = children
        .into_iter()
        .map(|c| build_provision(nodes, c))
        .collect();
    let node = &mut nodes[index];
    Provision {
        id: std::mem::take(&mut node.id),
        fixed_id: node.fixed,
        label: node.label.take(),
        title: std::mem::take(&mut node.title),
        body: std::mem::take(&mut node.body),
        children,
    }
}

/// Up to three ids of `candidates` nearest to `wanted` by edit distance (ties by id), those no
/// further than half the length of the longer of the two: what the editor probably meant.
fn nearest_ids<'a>(wanted: &str, candidates: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut scored: Vec<(usize, &str)> = candidates
        .map(|id| (edit_distance(wanted, id), id))
        .filter(|(d, id)| *d * 2 <= wanted.chars().count().max(id.chars().count()))
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, id)| id).collect()
}

/// The Levenshtein distance between two strings, counted in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

/// Registers an id, reporting it when another heading already has it.
fn claim_id(
    cx: &mut Cx<'_>,
    ids: &mut Ids,
    id: &str,
    span: Range<usize>,
    fixed: bool,
    what: &'static str,
) {
    if let Some((first, first_what)) = ids.get(id) {
        let line = cx.line_of(first);
        let (how, how_zh) = if fixed {
            ("", "")
        } else {
            (" (derived from its position)", "（由位置生成）")
        };
        cx.error(
            codes::DUPLICATE_ID,
            span,
            tr(
                format!("id `{id}` of this {what}{how} is already used by the {first_what} on line {line}"),
                format!(
                    "这个{}的 id `{id}`{how_zh} 已被第 {line} 行的{}使用",
                    what_zh(what),
                    what_zh(first_what)
                ),
            ),
            tr(
                "give each heading its own id; ids are how comments and interpretations find a provision",
                "每个标题要有自己的 id：意见和解读靠 id 找到条款",
            ),
        );
    } else {
        ids.insert(id.to_owned(), (span, what));
    }
}

fn resolve_targets(
    cx: &mut Cx<'_>,
    list: &[Spanned],
    node_by_id: &HashMap<String, usize>,
    ids: &Ids,
) -> Vec<Resolved> {
    let mut out = Vec::new();
    for item in list {
        let resolved = if item.value == "document" {
            Resolved::Document
        } else if let Some(&n) = node_by_id.get(&item.value) {
            Resolved::Node(n)
        } else {
            let v = &item.value;
            let message = match ids.get(v) {
                Some((_, what)) => tr(
                    format!("`{v}` is an {what}, not a provision"),
                    format!("`{v}` 是{}，不是条款", what_zh(what)),
                ),
                None => tr(
                    format!("no provision has the id `{v}`"),
                    format!("没有 id 为 `{v}` 的条款"),
                ),
            };
            let nearest = nearest_ids(v, node_by_id.keys().map(String::as_str));
            let mut hint = tr(
                "for= takes the ids of provision headings (their `{#id}`, or the position such as `1.2`), comma-separated, or `document`",
                "for= 填条款标题的 id（标题里的 `{#id}`，或 `1.2` 这样的位置编号），多个用逗号分隔，或填 `document`",
            );
            if !nearest.is_empty() {
                let list = |sep: &str| {
                    nearest
                        .iter()
                        .map(|id| format!("`{id}`"))
                        .collect::<Vec<_>>()
                        .join(sep)
                };
                hint.en = format!("did you mean {}? {}", list(", "), hint.en);
                hint.zh = format!("最接近的条款 id：{}。{}", list("、"), hint.zh);
            }
            cx.error(codes::UNKNOWN_TARGET, item.span.clone(), message, hint);
            continue;
        };
        if !out.contains(&resolved) {
            out.push(resolved);
        }
    }
    out
}

/// The heading title an interpretation gets when its heading has no text: its kind's label,
/// the same name the widget and the static pages show.
fn kind_title(kind: InterpretationKind, lang: Lang) -> &'static str {
    kind.label(lang)
}
