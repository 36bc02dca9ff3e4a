//! The authoring format: one CommonMark file → a [`Document`] plus diagnostics.
//!
//! Editors write a policy document with its interpretations and FAQs as one Markdown file that
//! reads well in any viewer (`docs/authoring-format.md`). The structure comes from TOML front
//! matter and heading attributes, so pulldown-cmark parses the Markdown with its standard options
//! and this module only interprets its events:
//!
//! 1. the front matter becomes the document's metadata ([`front_matter`]);
//! 2. every top-level heading opens a section: a provision, an `.interpretation` or a `.faq`,
//!    whose `{…}` attributes are read again from the source ([`attributes`]) and whose numbering
//!    is split off as a label ([`label`]);
//! 3. the Markdown between headings compiles to the safe rich-text tree ([`body`]);
//! 4. ids, targets and footnotes are resolved over the whole file, then the editorial checks run
//!    ([`checks`]).
//!
//! Problems never stop the compiler: it reports every diagnostic it can, with a stable code
//! ([`codes`]), and returns a document only when none of them is an error.

mod attributes;
mod body;
mod checks;
pub mod codes;
mod front_matter;
mod label;

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

pub use checks::{Thresholds, copy_share};
pub use label::split_label;

use crate::date::Date;
use crate::diagnostic::{Bilingual, Diagnostic, Severity, line_column, tr};
use crate::model::{
    Document, FORMAT_VERSION, Faq, Interpretation, InterpretationKind, Lang, Media, Provision,
    Target,
};
use crate::rich::{Block, RichText, is_safe_url};
use attributes::{Attr, AttrKind};
use body::{BodyBuilder, BodyOut, FootnoteDef};

/// The result of compiling one authoring file. `document` is `None` when there are errors.
#[derive(Clone, Debug)]
pub struct Compiled {
    pub document: Option<Document>,
    /// Sorted by position in the source.
    pub diagnostics: Vec<Diagnostic>,
    /// The language the diagnostics are in: the document's, Chinese when it could not be read.
    pub lang: Lang,
}

impl Compiled {
    pub fn has_errors(&self) -> bool {
        crate::diagnostic::has_errors(&self.diagnostics)
    }

    /// The same result with every diagnostic in `lang` (by default they are in the document's).
    pub fn in_lang(mut self, lang: Lang) -> Compiled {
        self.diagnostics = self
            .diagnostics
            .into_iter()
            .map(|d| d.in_lang(lang))
            .collect();
        self.lang = lang;
        self
    }
}

/// The pulldown-cmark options of the authoring format: `+++` front matter, heading attributes,
/// tables, footnotes and strikethrough. Nothing else, so the file reads the same in other viewers.
pub fn markdown_options() -> Options {
    Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
}

/// Compiles the source of one authoring file. Never panics, whatever the input.
pub fn compile(source: &str) -> Compiled {
    compile_with(source, &Thresholds::default())
}

/// [`compile`] with other thresholds for the formalism checks (for tuning and for sites with
/// stricter rules).
pub fn compile_with(source: &str, thresholds: &Thresholds) -> Compiled {
    let mut cx = Cx {
        source,
        diagnostics: Vec::new(),
        lang: Lang::default(),
    };
    let document = Compiler::default().run(&mut cx, thresholds);
    check_bidi_controls(&mut cx);
    // Shown in the document's language (Chinese when the front matter cannot say).
    let lang = cx.lang;
    let mut diagnostics: Vec<Diagnostic> = cx
        .diagnostics
        .into_iter()
        .map(|d| d.in_lang(lang))
        .collect();
    diagnostics.sort_by_key(|d| (d.span.start, d.severity != Severity::Error));
    let errors = crate::diagnostic::has_errors(&diagnostics);
    Compiled {
        document: document.filter(|_| !errors),
        diagnostics,
        lang,
    }
}

/// Warns about invisible bidirectional control characters anywhere in the source: they let text
/// display as something other than what it is (a "Trojan source"), which no reader can see.
fn check_bidi_controls(cx: &mut Cx<'_>) {
    let found: Vec<(usize, char)> = cx
        .source
        .char_indices()
        .filter(|(_, c)| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
        .collect();
    for (at, c) in found {
        cx.warning(
            codes::BIDI_CONTROL,
            at..at + c.len_utf8(),
            tr(
                format!("invisible bidirectional control character U+{:04X}", c as u32),
                format!("不可见的双向控制字符 U+{:04X}", c as u32),
            ),
            tr(
                "delete it: it reorders the text around it on screen, so readers see something other than what is written",
                "请删除：它会在屏幕上打乱周围文字的顺序，读者看到的与实际写的不一致",
            ),
        );
    }
}

/// The source, the diagnostics reported so far and the document's language (from its front
/// matter, once read).
pub(crate) struct Cx<'s> {
    pub source: &'s str,
    pub diagnostics: Vec<Diagnostic>,
    pub lang: Lang,
}

impl Cx<'_> {
    pub(crate) fn error(
        &mut self,
        code: &str,
        span: Range<usize>,
        message: Bilingual,
        hint: Bilingual,
    ) {
        let d = Diagnostic::error(code, self.source, span, message).with_hint(hint);
        self.diagnostics.push(d);
    }

    pub(crate) fn warning(
        &mut self,
        code: &str,
        span: Range<usize>,
        message: Bilingual,
        hint: Bilingual,
    ) {
        let d = Diagnostic::warning(code, self.source, span, message).with_hint(hint);
        self.diagnostics.push(d);
    }

    /// The first line of a span (headings are reported on their first line only).
    fn line_span(&self, span: &Range<usize>) -> Range<usize> {
        let text = self.source.get(span.clone()).unwrap_or("");
        let len = text.find(['\n', '\r']).unwrap_or(text.len());
        span.start..span.start + len
    }

    fn line_of(&self, span: &Range<usize>) -> u32 {
        line_column(self.source, span.start).0
    }
}

/// A top-level heading, read.
#[derive(Debug)]
struct Head {
    level: u8,
    /// The heading's first line.
    span: Range<usize>,
    text: String,
    role: Role,
}

#[derive(Debug)]
enum Role {
    Provision {
        id: Option<Spanned>,
    },
    Interpretation {
        id: Option<Spanned>,
        kind: InterpretationKind,
        targets: Option<Vec<Spanned>>,
        by: Option<String>,
        date: Option<Date>,
    },
    Faq {
        id: Option<Spanned>,
        targets: Option<Vec<Spanned>>,
    },
}

impl Role {
    /// The id its editor fixed with `{#id}`.
    fn id(&self) -> Option<&Spanned> {
        match self {
            Role::Provision { id } | Role::Interpretation { id, .. } | Role::Faq { id, .. } => {
                id.as_ref()
            }
        }
    }

    /// What the heading is, for messages.
    fn what(&self) -> &'static str {
        match self {
            Role::Provision { .. } => "provision",
            Role::Interpretation { .. } => "interpretation",
            Role::Faq { .. } => "FAQ",
        }
    }

    /// The ids `for=` names, for an interpretation or FAQ whose heading has one.
    fn targets(&self) -> Option<&Vec<Spanned>> {
        match self {
            Role::Interpretation { targets, .. } | Role::Faq { targets, .. } => targets.as_ref(),
            Role::Provision { .. } => None,
        }
    }
}

#[derive(Clone, Debug)]
struct Spanned {
    value: String,
    span: Range<usize>,
}

#[derive(Debug)]
struct Section {
    /// `None` for the preamble before the first heading, and for the closing.
    head: Option<Head>,
    body: BodyOut,
    /// For the closing (the text after a thematic break that ends the provisions): the break.
    closing: Option<Range<usize>>,
}

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

#[derive(Default)]
struct Compiler {
    sections: Vec<Section>,
}

impl Compiler {
    fn run(mut self, cx: &mut Cx<'_>, thresholds: &Thresholds) -> Option<Document> {
        let source = cx.source;
        // A byte-order mark would hide the front matter from the parser: skip it, keep offsets.
        let base = if source.starts_with('\u{feff}') { 3 } else { 0 };
        let mut events = Parser::new_ext(&source[base..], markdown_options())
            .into_offset_iter()
            .map(|(event, r)| (event, r.start + base..r.end + base))
            .peekable();

        let meta = match events.peek() {
            Some((Event::Start(Tag::MetadataBlock(_)), range)) => {
                let range = range.clone();
                for (event, _) in events.by_ref() {
                    if matches!(event, Event::End(TagEnd::MetadataBlock(_))) {
                        break;
                    }
                }
                let located = front_matter::locate(source, range);
                front_matter::parse(cx, &located)
            }
            _ => {
                front_matter::report_missing(cx, base);
                None
            }
        };

        // Split the events into sections at top-level headings. A thematic break at the top of a
        // provision's body may start the closing (结尾): whether it does is known only at the next
        // heading, so the body before the break waits in `held` until then.
        let mut head: Option<Head> = None;
        let mut builder = BodyBuilder::new();
        let mut heading: Option<HeadingText> = None;
        let mut held: Option<(BodyOut, Range<usize>)> = None;
        for (event, range) in events {
            if let Some(h) = heading.as_mut() {
                if let Event::End(TagEnd::Heading(_)) = event {
                    let h = heading.take().unwrap_or_default();
                    let body = std::mem::replace(&mut builder, BodyBuilder::new()).finish();
                    let next = read_heading(cx, h);
                    let provision_next = matches!(next.role, Role::Provision { .. });
                    self.push_section(head, body, held.take(), provision_next);
                    head = Some(next);
                } else {
                    h.event(cx, event, range);
                }
                continue;
            }
            match event {
                Event::Start(Tag::Heading { level, .. }) if builder.at_root() => {
                    heading = Some(HeadingText {
                        level: level as u8,
                        span: range,
                        text: String::new(),
                    });
                }
                Event::Rule
                    if builder.at_root()
                        && held.is_none()
                        && !self.closed()
                        && matches!(
                            &head,
                            Some(Head {
                                role: Role::Provision { .. },
                                ..
                            })
                        ) =>
                {
                    let before = std::mem::replace(&mut builder, BodyBuilder::new()).finish();
                    held = Some((before, range));
                }
                event => builder.event(event, range, cx),
            }
        }
        if let Some(h) = heading.take() {
            let body = std::mem::replace(&mut builder, BodyBuilder::new()).finish();
            let next = read_heading(cx, h);
            let provision_next = matches!(next.role, Role::Provision { .. });
            self.push_section(head, body, held.take(), provision_next);
            head = Some(next);
        }
        let body = builder.finish();
        self.push_section(head, body, held.take(), false);

        let bodies = self.resolve_footnotes();
        self.assemble(cx, meta, bodies, thresholds)
    }

    /// True once a closing has been set apart.
    fn closed(&self) -> bool {
        self.sections.iter().any(|s| s.closing.is_some())
    }

    /// Adds the section of `head`. When its body held a thematic break (`held`: the body before
    /// it and the break's span), the text after the break is the document's closing, unless a
    /// provision heading comes next or nothing follows the break: then the break is an ordinary
    /// rule in the provision's body, as it always was.
    fn push_section(
        &mut self,
        head: Option<Head>,
        body: BodyOut,
        held: Option<(BodyOut, Range<usize>)>,
        provision_next: bool,
    ) {
        let Some((mut before, rule)) = held else {
            self.sections.push(Section {
                head,
                body,
                closing: None,
            });
            return;
        };
        if provision_next || (body.blocks.is_empty() && body.footnotes.is_empty()) {
            before.blocks.push(Block::Rule);
            before.blocks.extend(body.blocks);
            for r in body.refs {
                if !before.refs.contains(&r) {
                    before.refs.push(r);
                }
            }
            before.footnotes.extend(body.footnotes);
            self.sections.push(Section {
                head,
                body: before,
                closing: None,
            });
            return;
        }
        self.sections.push(Section {
            head,
            body: before,
            closing: None,
        });
        self.sections.push(Section {
            head: None,
            body,
            closing: Some(rule),
        });
    }

    /// Attaches every footnote to the bodies that reference it (a footnote defined at the end of
    /// the file belongs to the provision or interpretation that cites it). Footnotes nobody
    /// references stay where they were written.
    fn resolve_footnotes(&mut self) -> Vec<RichText> {
        struct Def {
            section: usize,
            def: FootnoteDef,
            /// How many bodies still have to receive it: the last one takes it without a copy.
            uses: usize,
            used: bool,
        }
        let mut defs: HashMap<String, Def> = HashMap::new();
        let mut extra: Vec<Vec<Block>> = vec![Vec::new(); self.sections.len()];
        for (i, section) in self.sections.iter_mut().enumerate() {
            for def in std::mem::take(&mut section.body.footnotes) {
                if defs.contains_key(&def.label) {
                    // A label defined twice: the second text stays where it was written.
                    extra[i].push(Block::Footnote {
                        label: def.label,
                        c: def.blocks,
                    });
                } else {
                    defs.insert(
                        def.label.clone(),
                        Def {
                            section: i,
                            def,
                            uses: 0,
                            used: false,
                        },
                    );
                }
            }
        }
        // Each body's footnotes: those it cites, then those they cite, in order.
        let lists: Vec<Vec<String>> = self
            .sections
            .iter_mut()
            .map(|section| {
                let mut queue = std::mem::take(&mut section.body.refs);
                if queue.is_empty() {
                    return queue;
                }
                let mut seen: HashSet<String> = queue.iter().cloned().collect();
                let mut i = 0;
                while let Some(label) = queue.get(i) {
                    i += 1;
                    if let Some(d) = defs.get(label) {
                        for r in &d.def.refs {
                            if seen.insert(r.clone()) {
                                queue.push(r.clone());
                            }
                        }
                    }
                }
                queue.retain(|label| defs.contains_key(label));
                queue
            })
            .collect();
        for label in lists.iter().flatten() {
            if let Some(d) = defs.get_mut(label) {
                d.uses += 1;
            }
        }
        let mut bodies: Vec<Vec<Block>> = Vec::with_capacity(self.sections.len());
        for (section, list) in self.sections.iter_mut().zip(lists) {
            let mut blocks = std::mem::take(&mut section.body.blocks);
            for label in list {
                if let Some(d) = defs.get_mut(&label) {
                    d.uses = d.uses.saturating_sub(1);
                    d.used = true;
                    let c = if d.uses == 0 {
                        std::mem::take(&mut d.def.blocks)
                    } else {
                        d.def.blocks.clone()
                    };
                    blocks.push(Block::Footnote { label, c });
                }
            }
            bodies.push(blocks);
        }
        let mut unused: Vec<Def> = defs.into_values().filter(|d| !d.used).collect();
        unused.sort_by(|a, b| {
            a.section
                .cmp(&b.section)
                .then_with(|| a.def.label.cmp(&b.def.label))
        });
        for d in unused {
            if let Some(body) = bodies.get_mut(d.section) {
                body.push(Block::Footnote {
                    label: d.def.label,
                    c: d.def.blocks,
                });
            }
        }
        bodies
            .into_iter()
            .zip(extra)
            .map(|(mut blocks, extra)| {
                blocks.extend(extra);
                RichText(blocks)
            })
            .collect()
    }

    /// Builds the document from the sections: the provision tree first, then the
    /// interpretations and FAQs (their ids and targets need every heading's id), then the checks
    /// over the whole document.
    fn assemble(
        self,
        cx: &mut Cx<'_>,
        meta: Option<front_matter::Meta>,
        bodies: Vec<RichText>,
        thresholds: &Thresholds,
    ) -> Option<Document> {
        let mut parts = Parts::default();
        for (section, body) in self.sections.into_iter().zip(bodies) {
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

/// What a heading is, in Chinese (`provision` → `条款`), for messages.
fn what_zh(what: &str) -> &'static str {
    match what {
        "provision" => "条款",
        "interpretation" => "解读",
        "FAQ" | "faq" => "问答",
        _ => "标题",
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

/// The plain text of a top-level heading, gathered from its inline events.
#[derive(Debug, Default)]
struct HeadingText {
    level: u8,
    span: Range<usize>,
    text: String,
}

impl HeadingText {
    fn event(&mut self, cx: &mut Cx<'_>, event: Event<'_>, range: Range<usize>) {
        match event {
            Event::Text(s) | Event::Code(s) | Event::InlineMath(s) | Event::DisplayMath(s) => {
                self.text.push_str(&s)
            }
            Event::SoftBreak | Event::HardBreak
                if !self.text.chars().next_back().is_some_and(body::is_wide) =>
            {
                self.text.push(' ');
            }
            Event::InlineHtml(html) | Event::Html(html)
                if !html.trim_start().starts_with("<!--") =>
            {
                cx.warning(
                    codes::RAW_HTML,
                    range,
                    tr(
                        format!(
                            "raw HTML `{}` in a heading is shown as text",
                            body::shorten(&html)
                        ),
                        format!("标题里的 HTML `{}` 会原样显示为文字", body::shorten(&html)),
                    ),
                    tr("write the heading as plain text", "标题请写成纯文字"),
                );
                self.text.push_str(&html);
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                let href = match link_type {
                    LinkType::Email => format!("mailto:{dest_url}"),
                    _ => dest_url.into_string(),
                };
                if !is_safe_url(&href) {
                    cx.error(
                        codes::UNSAFE_URL,
                        range,
                        tr(
                            format!("unsafe link URL `{}`", body::shorten(&href)),
                            format!("不安全的链接地址 `{}`", body::shorten(&href)),
                        ),
                        tr(
                            "use an http, https, mailto or relative URL (links in headings are shown as their text)",
                            "请使用 http、https、mailto 或相对地址（标题中的链接只显示其文字）",
                        ),
                    );
                }
            }
            Event::Start(Tag::Image { dest_url, .. }) if !is_safe_url(&dest_url) => {
                cx.error(
                        codes::UNSAFE_URL,
                        range,
                        tr(
                            format!("unsafe image URL `{}`", body::shorten(&dest_url)),
                            format!("不安全的图片地址 `{}`", body::shorten(&dest_url)),
                        ),
                        tr(
                            "use an http, https or relative URL (images in headings are shown as their alt text)",
                            "请使用 http、https 或相对地址（标题中的图片只显示其替代文字）",
                        ),
                    );
            }
            _ => {}
        }
    }
}

/// Reads a heading's attribute block and decides what the heading is.
fn read_heading(cx: &mut Cx<'_>, h: HeadingText) -> Head {
    let span = cx.line_span(&h.span);
    let text = h.text.trim().to_owned();
    let attrs = heading_attributes(cx, &h.span, &text, &span);
    let role_name = role_class(cx, &attrs);
    let (id, pairs) = read_id_and_pairs(cx, &attrs, role_name);
    let targets = pairs.get("for").map(|a| split_targets(a));
    let role = match role_name {
        "interpretation" => interpretation_role(cx, &pairs, id, targets, &span),
        "faq" => Role::Faq { id, targets },
        _ => Role::Provision { id },
    };
    check_targets_named(cx, &role, &pairs);
    Head {
        level: h.level,
        span,
        text,
        role,
    }
}

/// The `key=value` pairs of a heading that apply to it, each given once and with a value.
type Pairs<'a> = HashMap<&'a str, &'a Attr>;

/// The heading's `{…}` attribute block, read again from the source (see [`attributes`]). Without
/// one, a heading whose text ends like a block the parser did not take gets a warning, since
/// its editor meant it as one.
fn heading_attributes(
    cx: &mut Cx<'_>,
    heading: &Range<usize>,
    text: &str,
    line: &Range<usize>,
) -> Vec<Attr> {
    if let Some(block) = attributes::find_block(cx.source, heading.clone()) {
        let (read, errors) = attributes::parse_block(cx.source, block);
        for e in errors {
            cx.error(codes::MALFORMED_ATTRIBUTES, e.span, e.message, e.hint);
        }
        return read;
    }
    if looks_like_attributes(text) {
        cx.warning(
            codes::UNREAD_ATTRIBUTES,
            line.clone(),
            tr(
                "the heading ends with something like an attribute block that is not read as one",
                "标题末尾像是属性块，但没有被识别为属性块",
            ),
            tr(
                "write the block with ASCII braces and punctuation, last on the heading line, without `<`, `>` or `\\`: `{.interpretation kind=background}`",
                "属性块请用半角花括号和半角标点，放在标题行最后，不要含 `<`、`>` 或 `\\`：`{.interpretation kind=background}`",
            ),
        );
    }
    Vec::new()
}

/// What the heading's classes make it: `interpretation`, `faq`, or `provision` when it has
/// neither. Reports unknown classes, a class given twice and a heading given both.
fn role_class(cx: &mut Cx<'_>, attrs: &[Attr]) -> &'static str {
    let mut role: Option<&'static str> = None;
    for a in attrs.iter().filter(|a| a.kind == AttrKind::Class) {
        let name = match a.name.as_str() {
            "interpretation" => "interpretation",
            "faq" => "faq",
            other => {
                report_unknown_class(cx, a, other);
                continue;
            }
        };
        match role {
            None => role = Some(name),
            Some(first) if first == name => cx.error(
                codes::MALFORMED_ATTRIBUTES,
                a.span.clone(),
                tr(
                    format!("`.{name}` is given twice"),
                    format!("`.{name}` 写了两次"),
                ),
                tr("remove the repeated class", "删去重复的类名"),
            ),
            Some(first) => cx.error(
                codes::UNKNOWN_ATTRIBUTE,
                a.span.clone(),
                tr(
                    format!("a heading cannot be both `.{first}` and `.{name}`"),
                    format!("一个标题不能同时是 `.{first}` 和 `.{name}`"),
                ),
                tr(
                    "split it into two headings: one interpretation, one FAQ",
                    "拆成两个标题：一个解读，一个问答",
                ),
            ),
        }
    }
    role.unwrap_or("provision")
}

fn report_unknown_class(cx: &mut Cx<'_>, a: &Attr, class: &str) {
    cx.error(
        codes::UNKNOWN_ATTRIBUTE,
        a.span.clone(),
        tr(
            format!("unknown class `.{class}`"),
            format!("未知的类名 `.{class}`"),
        ),
        tr(
            "a heading is a provision unless it has `.interpretation` or `.faq`; no other class exists",
            "标题默认是条款，加 `.interpretation` 是解读，加 `.faq` 是问答；没有其他类名",
        ),
    );
}

/// The heading's `#id` and the pairs that apply to a heading of `role_name`, in the order they
/// are written, reporting those that cannot be taken.
fn read_id_and_pairs<'a>(
    cx: &mut Cx<'_>,
    attrs: &'a [Attr],
    role_name: &str,
) -> (Option<Spanned>, Pairs<'a>) {
    let mut id: Option<Spanned> = None;
    let mut pairs = Pairs::new();
    for a in attrs {
        match a.kind {
            AttrKind::Class => {}
            AttrKind::Id => read_id(cx, a, &mut id),
            AttrKind::Pair => read_pair(cx, a, role_name, &mut pairs),
        }
    }
    (id, pairs)
}

/// Takes a `#id` when the heading has none yet and it is a valid id.
fn read_id(cx: &mut Cx<'_>, a: &Attr, id: &mut Option<Spanned>) {
    let value = a.value.clone().unwrap_or_default();
    if id.is_some() {
        cx.error(
            codes::MALFORMED_ATTRIBUTES,
            a.span.clone(),
            tr("the heading has two ids", "这个标题有两个 id"),
            tr("keep one `#id`", "只保留一个 `#id`"),
        );
    } else if !is_heading_id(&value) {
        report_invalid_id(cx, a, &value);
    } else {
        *id = Some(Spanned {
            value,
            span: a.value_span.clone(),
        });
    }
}

fn report_invalid_id(cx: &mut Cx<'_>, a: &Attr, value: &str) {
    cx.error(
        codes::INVALID_ID,
        a.value_span.clone(),
        if value == "document" {
            tr(
                "`document` is reserved for the whole document and cannot be an id",
                "`document` 专指整个文件，不能用作 id",
            )
        } else {
            tr(
                format!("id `{value}` may only hold A-Z, a-z, 0-9, `.`, `_` and `-`"),
                format!("id `{value}` 只能包含 A-Z、a-z、0-9、`.`、`_` 和 `-`"),
            )
        },
        tr(
            "use a short ASCII id such as `s1-2` or `art-3`",
            "请用简短的英文字母数字 id，如 `s1-2` 或 `art-3`",
        ),
    );
}

/// The pairs each kind of heading takes.
fn allowed_pairs(role_name: &str) -> &'static [&'static str] {
    match role_name {
        "interpretation" => &["kind", "for", "by", "date"],
        "faq" => &["for"],
        _ => &[],
    }
}

/// Takes a `key=value` pair when it applies to a heading of `role_name`, is not given twice
/// and has a value.
fn read_pair<'a>(cx: &mut Cx<'_>, a: &'a Attr, role_name: &str, pairs: &mut Pairs<'a>) {
    if !allowed_pairs(role_name).contains(&a.name.as_str()) {
        report_misplaced_pair(cx, a, role_name);
    } else if pairs.contains_key(a.name.as_str()) {
        cx.error(
            codes::MALFORMED_ATTRIBUTES,
            a.span.clone(),
            tr(
                format!("`{}` is given twice", a.name),
                format!("`{}` 写了两次", a.name),
            ),
            tr(
                "keep one; list several provisions in one for= with commas: for=s1,s2",
                "只保留一个；多个条款写在同一个 for= 里，用逗号分隔：for=s1,s2",
            ),
        );
    } else if a.value.as_deref().is_none_or(|v| v.trim().is_empty()) {
        cx.error(
            codes::MALFORMED_ATTRIBUTES,
            a.span.clone(),
            tr(
                format!("`{}` needs a value", a.name),
                format!("`{}` 缺少取值", a.name),
            ),
            tr(
                "write it as key=value, with quotes when the value has spaces: by=\"市政府办公室 张三\"",
                "写成 键=值，值中有空格时加引号：by=\"市政府办公室 张三\"",
            ),
        );
    } else {
        pairs.insert(a.name.as_str(), a);
    }
}

/// Reports a pair the heading does not take: a known one on the wrong kind of heading, or one
/// the format does not know.
fn report_misplaced_pair(cx: &mut Cx<'_>, a: &Attr, role_name: &str) {
    let name = &a.name;
    let known = ["kind", "for", "by", "date"].contains(&name.as_str());
    let (message, hint) = if known {
        (
            tr(
                format!("`{name}=` does not apply to a {role_name} heading"),
                format!("`{name}=` 不能用于{}标题", what_zh(role_name)),
            ),
            if name == "for" {
                tr(
                    "for= links `.interpretation` and `.faq` headings to provisions",
                    "for= 用于把 `.interpretation` 和 `.faq` 标题关联到条款",
                )
            } else {
                tr(
                    "kind=, by= and date= only apply to `.interpretation` headings",
                    "kind=、by= 和 date= 只能用于 `.interpretation` 标题",
                )
            },
        )
    } else {
        (
            tr(
                format!("unknown attribute `{name}`"),
                format!("未知的属性 `{name}`"),
            ),
            tr(
                "the attributes are #id, .interpretation, .faq, kind=, for=, by= and date=",
                "可用的属性有 #id、.interpretation、.faq、kind=、for=、by= 和 date=",
            ),
        )
    };
    cx.error(codes::UNKNOWN_ATTRIBUTE, a.span.clone(), message, hint);
}

/// The role of an `.interpretation` heading: its kind (key points unless `kind=` says), its
/// date, and the follow-up rule that needs one.
fn interpretation_role(
    cx: &mut Cx<'_>,
    pairs: &Pairs<'_>,
    id: Option<Spanned>,
    targets: Option<Vec<Spanned>>,
    line: &Range<usize>,
) -> Role {
    let kind = interpretation_kind(cx, pairs);
    let date = interpretation_date(cx, pairs);
    if kind == InterpretationKind::FollowUp && !pairs.contains_key("date") {
        let at = pairs
            .get("kind")
            .map_or(line.clone(), |a| a.value_span.clone());
        cx.error(
            codes::FOLLOW_UP_WITHOUT_DATE,
            at,
            tr(
                "a follow-up interpretation needs date=",
                "后续解读需要写 `date=`",
            ),
            tr(
                "add the date it was published, e.g. date=2022-03-01: readers must see which interpretation is the latest",
                "加上发布日期，如 date=2022-03-01：读者要能看出哪条解读是最新的",
            ),
        );
    }
    let by = pairs.get("by").and_then(|a| a.value.as_deref());
    Role::Interpretation {
        id,
        kind,
        targets,
        by: by.map(|by| by.trim().to_owned()),
        date,
    }
}

/// `kind=`, or key points when it is missing or not a kind (which is reported).
fn interpretation_kind(cx: &mut Cx<'_>, pairs: &Pairs<'_>) -> InterpretationKind {
    let Some(a) = pairs.get("kind") else {
        return InterpretationKind::KeyPoints;
    };
    let v = a.value.as_deref().unwrap_or("").trim();
    InterpretationKind::parse(v).unwrap_or_else(|| {
        cx.error(
            codes::BAD_KIND,
            a.value_span.clone(),
            tr(
                format!("`{v}` is not an interpretation kind"),
                format!("`{v}` 不是解读类型"),
            ),
            tr(
                "kind is one of background, considerations, key-points, impact, terms, qa, graphic, video, follow-up",
                "kind 可取 background（背景）、considerations（考虑）、key-points（要点）、impact（影响）、terms（名词）、qa（问答）、graphic（图解）、video（视频）、follow-up（后续）",
            ),
        );
        InterpretationKind::KeyPoints
    })
}

/// `date=`, when it is given and is a date (it is reported when it is not).
fn interpretation_date(cx: &mut Cx<'_>, pairs: &Pairs<'_>) -> Option<Date> {
    let a = pairs.get("date")?;
    let v = a.value.as_deref().unwrap_or("").trim();
    match v.parse::<Date>() {
        Ok(d) => Some(d),
        Err(e) => {
            cx.error(
                codes::BAD_DATE,
                a.value_span.clone(),
                tr(format!("date: {e}"), format!("日期：{}", e.zh())),
                tr(
                    "write the date as YYYY-MM-DD, e.g. date=2021-06-10",
                    "日期写成 YYYY-MM-DD，如 date=2021-06-10",
                ),
            );
            None
        }
    }
}

/// Reports a `for=` that names nothing (only commas and spaces).
fn check_targets_named(cx: &mut Cx<'_>, role: &Role, pairs: &Pairs<'_>) {
    if role.targets().is_some_and(|t| t.is_empty())
        && let Some(a) = pairs.get("for")
    {
        cx.error(
            codes::MALFORMED_ATTRIBUTES,
            a.span.clone(),
            tr("for= names no provision", "for= 没有写任何条款"),
            tr(
                "list provision ids separated by commas (for=s1,s2) or write for=document",
                "写出条款 id，用逗号分隔（for=s1,s2），或写 for=document",
            ),
        );
    }
}

/// Splits `for=s1,s2` (ASCII or full-width commas) into ids with their spans.
fn split_targets(a: &Attr) -> Vec<Spanned> {
    let value = a.value.as_deref().unwrap_or("");
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in value
        .char_indices()
        .chain(std::iter::once((value.len(), ',')))
    {
        if c == ',' || c == '，' {
            let part = &value[start..i];
            let trimmed = part.trim();
            if !trimmed.is_empty() {
                let lead = part.len() - part.trim_start().len();
                let from = a.value_span.start + start + lead;
                out.push(Spanned {
                    value: trimmed.to_owned(),
                    span: from..from + trimmed.len(),
                });
            }
            start = i + c.len_utf8();
        }
    }
    out
}

fn is_heading_id(id: &str) -> bool {
    !id.is_empty()
        && id != "document"
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// True when a heading's text ends like an attribute block that the parser did not take:
/// full-width braces from a Chinese input method, or a block holding `<`, `>` or `\`.
fn looks_like_attributes(text: &str) -> bool {
    let text = text.trim_end();
    (text.ends_with('｝') && text.contains('｛'))
        || (text.ends_with('}')
            && text
                .rfind('{')
                .is_some_and(|i| text[i..].contains(['#', '.', '='])))
}
