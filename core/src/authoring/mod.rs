//! The authoring format: one CommonMark file → a [`Document`] plus diagnostics.
//!
//! Editors write a policy document with its interpretations and FAQs as one Markdown file that
//! reads well in any viewer (`docs/authoring-format.md`). The structure comes from TOML front
//! matter and heading attributes, so pulldown-cmark parses the Markdown with its standard options
//! and this module only interprets its events:
//!
//! 1. the front matter becomes the document's metadata ([`front_matter`]);
//! 2. every top-level heading opens a section: a provision, an `.interpretation` or a `.faq`
//!    ([`heading`]), whose `{…}` attributes are read again from the source ([`attributes`]) and
//!    whose numbering is split off as a label ([`label`]);
//! 3. the Markdown between headings compiles to the safe rich-text tree ([`body`]);
//! 4. footnotes are attached to the bodies that cite them ([`footnotes`]), ids and targets are
//!    resolved over the whole file ([`assembly`]), then the editorial checks run ([`checks`]).
//!
//! Problems never stop the compiler: it reports every diagnostic it can, with a stable code
//! ([`codes`]), and returns a document only when none of them is an error.

mod assembly;
mod attributes;
mod body;
mod checks;
pub mod codes;
mod footnotes;
mod front_matter;
mod heading;
mod label;

use std::iter::Peekable;
use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

pub use checks::{Thresholds, copy_share};
pub use label::split_label;

use crate::diagnostic::{Bilingual, Diagnostic, Severity, line_column, tr};
use crate::model::{Document, Lang};
use crate::rich::Block;
use body::{BodyBuilder, BodyOut};
use heading::{Head, HeadingText, Role, read_heading};

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
    let document = compile_document(&mut cx, thresholds);
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

/// The document compiled from `cx.source`, or `None` when its front matter cannot be read.
fn compile_document(cx: &mut Cx<'_>, thresholds: &Thresholds) -> Option<Document> {
    let source = cx.source;
    // A byte-order mark would hide the front matter from the parser: skip it, keep offsets.
    let base = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let mut events = Parser::new_ext(&source[base..], markdown_options())
        .into_offset_iter()
        .map(|(event, r)| (event, r.start + base..r.end + base))
        .peekable();
    let meta = read_front_matter(cx, &mut events, base);
    let mut sections = Sections::default();
    for (event, range) in events {
        sections.event(cx, event, range);
    }
    let mut sections = sections.finish(cx);
    let bodies = footnotes::resolve(&mut sections);
    assembly::assemble(cx, sections, meta, bodies, thresholds)
}

/// The front matter, when the events open with it (they are then consumed up to its end);
/// otherwise reports it missing.
fn read_front_matter<'a>(
    cx: &mut Cx<'_>,
    events: &mut Peekable<impl Iterator<Item = (Event<'a>, Range<usize>)>>,
    base: usize,
) -> Option<front_matter::Meta> {
    let Some((Event::Start(Tag::MetadataBlock(_)), range)) = events.peek() else {
        front_matter::report_missing(cx, base);
        return None;
    };
    let range = range.clone();
    for (event, _) in events.by_ref() {
        if matches!(event, Event::End(TagEnd::MetadataBlock(_))) {
            break;
        }
    }
    let located = front_matter::locate(cx.source, range);
    front_matter::parse(cx, &located)
}

#[derive(Debug)]
struct Section {
    /// `None` for the preamble before the first heading, and for the closing.
    head: Option<Head>,
    body: BodyOut,
    /// For the closing (the text after a thematic break that ends the provisions): the break.
    closing: Option<Range<usize>>,
}

/// Splits the events into sections at top-level headings. A thematic break at the top of a
/// provision's body may start the closing (结尾): whether it does is known only at the next
/// heading, so the body before the break waits in `held` until then.
struct Sections {
    done: Vec<Section>,
    /// The heading of the section being read; `None` before the first one.
    head: Option<Head>,
    body: BodyBuilder,
    /// A top-level heading whose text is being read, until its end.
    heading: Option<HeadingText>,
    /// The body before a thematic break that may start the closing, and the break.
    held: Option<(BodyOut, Range<usize>)>,
}

impl Default for Sections {
    fn default() -> Sections {
        Sections {
            done: Vec::new(),
            head: None,
            body: BodyBuilder::new(),
            heading: None,
            held: None,
        }
    }
}

impl Sections {
    fn event(&mut self, cx: &mut Cx<'_>, event: Event<'_>, range: Range<usize>) {
        if let Some(h) = self.heading.as_mut() {
            if let Event::End(TagEnd::Heading(_)) = event {
                self.end_heading(cx);
            } else {
                h.event(cx, event, range);
            }
            return;
        }
        match event {
            Event::Start(Tag::Heading { level, .. }) if self.body.at_root() => {
                self.heading = Some(HeadingText {
                    level: level as u8,
                    span: range,
                    text: String::new(),
                });
            }
            Event::Rule if self.may_start_closing() => {
                let before = self.finish_body();
                self.held = Some((before, range));
            }
            event => self.body.event(event, range, cx),
        }
    }

    /// True for a thematic break at the top of a provision's body, when no closing has been
    /// met or held yet.
    fn may_start_closing(&self) -> bool {
        self.body.at_root()
            && self.held.is_none()
            && !self.done.iter().any(|s| s.closing.is_some())
            && matches!(
                &self.head,
                Some(Head {
                    role: Role::Provision { .. },
                    ..
                })
            )
    }

    /// Ends the section before a heading whose text has been read, and opens its section.
    fn end_heading(&mut self, cx: &mut Cx<'_>) {
        let Some(h) = self.heading.take() else {
            return;
        };
        let body = self.finish_body();
        let next = read_heading(cx, h);
        let provision_next = matches!(next.role, Role::Provision { .. });
        self.push_section(body, provision_next);
        self.head = Some(next);
    }

    /// The sections, once the events have run out (a heading still open ends there).
    fn finish(mut self, cx: &mut Cx<'_>) -> Vec<Section> {
        self.end_heading(cx);
        let body = self.finish_body();
        self.push_section(body, false);
        self.done
    }

    fn finish_body(&mut self) -> BodyOut {
        std::mem::replace(&mut self.body, BodyBuilder::new()).finish()
    }

    /// Adds the section of `self.head`. When its body held a thematic break (the body before it
    /// and the break's span), the text after the break is the document's closing, unless a
    /// provision heading comes next or nothing follows the break: then the break is an ordinary
    /// rule in the provision's body, as it always was.
    fn push_section(&mut self, body: BodyOut, provision_next: bool) {
        let head = self.head.take();
        let Some((mut before, rule)) = self.held.take() else {
            self.done.push(Section {
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
            self.done.push(Section {
                head,
                body: before,
                closing: None,
            });
            return;
        }
        self.done.push(Section {
            head,
            body: before,
            closing: None,
        });
        self.done.push(Section {
            head: None,
            body,
            closing: Some(rule),
        });
    }
}
