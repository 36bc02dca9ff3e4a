//! Compiling the Markdown of one body (a provision's text, an interpretation, an answer) into
//! the safe [`RichText`](crate::rich::RichText) tree.
//!
//! The builder consumes pulldown-cmark events with an explicit stack instead of recursion, so no
//! input can exhaust the call stack; containers nested deeper than [`MAX_DEPTH`] are flattened into
//! their parent (the text stays, the extra nesting goes), which also keeps every later recursive
//! walk of the tree (rendering, serialisation, drop) shallow. Raw HTML becomes text, unsafe URLs
//! are dropped and reported.

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use super::{Cx, codes};
use crate::diagnostic::tr;
use crate::rich::{Align, Block, Inline, is_safe_url, is_video_url};

/// The deepest nesting of block and inline containers kept in the tree.
pub(crate) const MAX_DEPTH: usize = 32;

/// A footnote definition met in a body, to be attached to the bodies that reference it.
#[derive(Debug)]
pub(crate) struct FootnoteDef {
    pub label: String,
    pub blocks: Vec<Block>,
    /// Labels of the footnotes this footnote itself references.
    pub refs: Vec<String>,
}

/// What a finished body hands back.
#[derive(Debug, Default)]
pub(crate) struct BodyOut {
    pub blocks: Vec<Block>,
    /// Footnote labels referenced by the body, in order of first reference.
    pub refs: Vec<String>,
    pub footnotes: Vec<FootnoteDef>,
}

#[derive(Debug)]
enum Frame {
    /// A block container: the body itself, a quote, a list item, a footnote definition.
    /// `loose` gathers inlines that arrive without a paragraph (tight list items).
    Container {
        kind: ContainerKind,
        blocks: Vec<Block>,
        loose: Vec<Inline>,
    },
    List {
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    },
    Table {
        align: Vec<Align>,
        head: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
    Row {
        head: bool,
        cells: Vec<Vec<Inline>>,
    },
    /// Frames whose content is a list of inlines.
    Inlines {
        kind: InlineKind,
        c: Vec<Inline>,
    },
    /// Verbatim text: a code block or an HTML block.
    Verbatim {
        html: bool,
        text: String,
        span: Range<usize>,
    },
    /// A container nested too deep, or a construct we do not keep: its content goes to the parent.
    Elided,
}

impl Frame {
    fn container(kind: ContainerKind) -> Frame {
        Frame::Container {
            kind,
            blocks: Vec::new(),
            loose: Vec::new(),
        }
    }

    fn inlines(kind: InlineKind) -> Frame {
        Frame::Inlines {
            kind,
            c: Vec::new(),
        }
    }

    fn verbatim(html: bool, span: Range<usize>) -> Frame {
        Frame::Verbatim {
            html,
            text: String::new(),
            span,
        }
    }

    fn row(head: bool) -> Frame {
        Frame::Row {
            head,
            cells: Vec::new(),
        }
    }
}

#[derive(Debug, PartialEq)]
enum ContainerKind {
    Root,
    Quote,
    Item,
    Footnote { label: String, refs: Vec<String> },
}

#[derive(Debug)]
enum InlineKind {
    Paragraph,
    /// A heading inside a quote or a list: kept as a bold paragraph (bodies have no headings).
    Heading,
    Cell,
    Strong,
    Emph,
    Strike,
    /// `None` when the URL was unsafe: the text stays, the link goes.
    Link(Option<String>),
}

#[derive(Debug)]
struct ImageState {
    src: String,
    /// The Markdown title (`![alt](src "title")`); for a video, `captions: URL`.
    title: String,
    alt: String,
    span: Range<usize>,
    /// Images nested in the alt text (their text joins the alt).
    depth: usize,
}

#[derive(Debug)]
pub(crate) struct BodyBuilder {
    frames: Vec<Frame>,
    /// Indices into `frames` of the frames that are not [`Frame::Elided`].
    real: Vec<usize>,
    image: Option<ImageState>,
    refs: Vec<String>,
    /// The labels in `refs`, for a constant-time check (a body may cite thousands of notes).
    seen_refs: HashSet<String>,
    footnotes: Vec<FootnoteDef>,
}

impl BodyBuilder {
    pub(crate) fn new() -> BodyBuilder {
        BodyBuilder {
            frames: vec![Frame::Container {
                kind: ContainerKind::Root,
                blocks: Vec::new(),
                loose: Vec::new(),
            }],
            real: vec![0],
            image: None,
            refs: Vec::new(),
            seen_refs: HashSet::new(),
            footnotes: Vec::new(),
        }
    }

    /// True when no block or inline is open: a heading met now is a top-level heading.
    pub(crate) fn at_root(&self) -> bool {
        self.frames.len() == 1 && self.image.is_none()
    }

    pub(crate) fn finish(mut self) -> BodyOut {
        // A well-formed event stream closes everything; close what is left open anyway.
        while self.frames.len() > 1 {
            self.pop_frame();
        }
        let blocks = match self.frames.pop() {
            Some(Frame::Container {
                mut blocks, loose, ..
            }) => {
                if !loose.is_empty() {
                    blocks.push(Block::Paragraph { c: loose });
                }
                blocks
            }
            _ => Vec::new(),
        };
        BodyOut {
            blocks,
            refs: self.refs,
            footnotes: self.footnotes,
        }
    }

    pub(crate) fn event(&mut self, event: Event<'_>, range: Range<usize>, cx: &mut Cx<'_>) {
        if self.image.is_some() {
            self.image_event(event, range, cx);
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag, range, cx),
            Event::End(end) => self.end(end, cx),
            Event::Text(text) => self.text(&text),
            Event::Code(code) => self.push_inline(Inline::Code {
                s: code.into_string(),
            }),
            Event::InlineMath(text) | Event::DisplayMath(text) => self.text(&text),
            Event::Html(html) => match self.top_mut() {
                Frame::Verbatim { text, .. } => text.push_str(&html),
                _ => self.inline_html(&html, range, cx),
            },
            Event::InlineHtml(html) => self.inline_html(&html, range, cx),
            Event::FootnoteReference(label) => {
                let label = label.into_string();
                self.record_ref(&label);
                self.push_inline(Inline::FootnoteRef { label });
            }
            Event::SoftBreak => {
                if !prev_is_wide(cx.source, range.start) {
                    self.text(" ");
                }
            }
            Event::HardBreak => self.push_inline(Inline::Break),
            Event::Rule => self.push_block(Block::Rule),
            Event::TaskListMarker(done) => self.text(if done { "☑ " } else { "☐ " }),
        }
    }

    fn image_event(&mut self, event: Event<'_>, range: Range<usize>, cx: &mut Cx<'_>) {
        let Some(image) = self.image.as_mut() else {
            return;
        };
        match event {
            Event::Start(Tag::Image { .. }) => image.depth += 1,
            Event::End(TagEnd::Image) if image.depth > 0 => image.depth -= 1,
            Event::End(TagEnd::Image) => {
                if let Some(image) = self.image.take() {
                    self.finish_image(image, cx);
                }
            }
            Event::Text(s) | Event::Code(s) | Event::InlineMath(s) | Event::DisplayMath(s) => {
                image.alt.push_str(&s)
            }
            Event::InlineHtml(html) | Event::Html(html) => {
                image.alt.push_str(&html);
                raw_html_warning(cx, range, &html);
            }
            Event::SoftBreak | Event::HardBreak => image.alt.push(' '),
            _ => {}
        }
    }

    fn finish_image(&mut self, image: ImageState, cx: &mut Cx<'_>) {
        let alt = image.alt.trim().to_owned();
        if !is_safe_url(&image.src) {
            cx.error(
                codes::UNSAFE_URL,
                image.span,
                tr(
                    format!("unsafe image URL `{}`", shorten(&image.src)),
                    format!("不安全的图片地址 `{}`", shorten(&image.src)),
                ),
                tr(
                    "use an http, https or relative URL; the image is left out",
                    "请使用 http、https 或相对地址；这张图片不会显示",
                ),
            );
            if !alt.is_empty() {
                self.push_inline(Inline::Text { s: alt });
            }
            return;
        }
        let video = is_video_url(&image.src);
        if alt.is_empty() {
            cx.warning(
                codes::MISSING_ALT,
                image.span.clone(),
                if video {
                    tr("video without alt text", "视频没有替代文字")
                } else {
                    tr("image without alt text", "图片没有替代文字")
                },
                tr(
                    "describe what it shows between the brackets: ![市政务公开流程图](media/flow.svg); readers of screen readers and of slow connections rely on it",
                    "在方括号里写明它的内容：![市政务公开流程图](media/flow.svg)；使用读屏软件和网速慢的读者要靠它了解内容",
                ),
            );
        }
        self.push_inline(if video {
            Inline::Video {
                captions: video_captions(&image, cx),
                src: image.src,
                alt,
            }
        } else {
            Inline::Image {
                src: image.src,
                alt,
            }
        });
    }

    /// Opens the frame a tag starts. At [`MAX_DEPTH`] open frames, quotes, lists, footnotes,
    /// links and inline styles are elided: their content goes to the frame below.
    fn start(&mut self, tag: Tag<'_>, range: Range<usize>, cx: &mut Cx<'_>) {
        let deep = self.real.len() >= MAX_DEPTH;
        let frame = match tag {
            Tag::Paragraph => Frame::inlines(InlineKind::Paragraph),
            Tag::Heading { .. } => Frame::inlines(InlineKind::Heading),
            Tag::BlockQuote(_) if !deep => Frame::container(ContainerKind::Quote),
            Tag::CodeBlock(_) => Frame::verbatim(false, range),
            Tag::HtmlBlock => Frame::verbatim(true, range),
            Tag::List(start) if !deep => Frame::List {
                start,
                items: Vec::new(),
            },
            Tag::Item if matches!(self.top(), Frame::List { .. }) => {
                Frame::container(ContainerKind::Item)
            }
            Tag::FootnoteDefinition(label) if !deep => Frame::container(ContainerKind::Footnote {
                label: label.into_string(),
                refs: Vec::new(),
            }),
            Tag::Table(align) => Frame::Table {
                align: align.into_iter().map(align_of).collect(),
                head: Vec::new(),
                rows: Vec::new(),
            },
            Tag::TableHead => Frame::row(true),
            Tag::TableRow => Frame::row(false),
            Tag::TableCell => Frame::inlines(InlineKind::Cell),
            Tag::Emphasis if !deep => Frame::inlines(InlineKind::Emph),
            Tag::Strong if !deep => Frame::inlines(InlineKind::Strong),
            Tag::Strikethrough if !deep => Frame::inlines(InlineKind::Strike),
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => {
                let href = checked_link(cx, link_type, dest_url, range);
                if deep {
                    Frame::Elided
                } else {
                    Frame::inlines(InlineKind::Link(href))
                }
            }
            Tag::Image {
                dest_url, title, ..
            } => {
                self.image = Some(ImageState {
                    src: dest_url.into_string(),
                    title: title.into_string(),
                    alt: String::new(),
                    span: range,
                    depth: 0,
                });
                return;
            }
            _ => Frame::Elided,
        };
        self.push_frame(frame);
    }

    fn end(&mut self, end: TagEnd, cx: &mut Cx<'_>) {
        // Images are handled in `image_event`; every other end closes the frame its start opened.
        if end == TagEnd::Image {
            return;
        }
        if let Some(Frame::Verbatim {
            html: true,
            text,
            span,
        }) = self.frames.last()
            && !is_comment(text)
        {
            raw_html_warning(cx, span.clone(), text);
        }
        self.pop_frame();
    }

    fn push_frame(&mut self, frame: Frame) {
        if !matches!(frame, Frame::Elided) {
            self.real.push(self.frames.len());
        }
        self.frames.push(frame);
    }

    /// Closes the top frame and hands its content to the frame below.
    fn pop_frame(&mut self) {
        if self.frames.len() <= 1 {
            return;
        }
        let Some(frame) = self.frames.pop() else {
            return;
        };
        if !matches!(frame, Frame::Elided) {
            self.real.pop();
        }
        match frame {
            Frame::Elided => {}
            Frame::Container {
                kind,
                mut blocks,
                loose,
            } => {
                if !loose.is_empty() {
                    blocks.push(Block::Paragraph { c: loose });
                }
                self.close_container(kind, blocks);
            }
            Frame::List { start, items } => self.push_block(Block::List { start, items }),
            Frame::Table { align, head, rows } => {
                self.push_block(Block::Table { align, head, rows })
            }
            Frame::Row { head, cells } => self.close_row(head, cells),
            Frame::Inlines { kind, c } => self.close_inlines(kind, c),
            Frame::Verbatim { html, text, .. } => self.close_verbatim(html, text),
        }
    }

    fn close_container(&mut self, kind: ContainerKind, blocks: Vec<Block>) {
        match kind {
            ContainerKind::Root => {}
            ContainerKind::Quote => self.push_block(Block::Quote { c: blocks }),
            ContainerKind::Item => match self.top_mut() {
                Frame::List { items, .. } => items.push(blocks),
                _ => blocks.into_iter().for_each(|b| self.push_block(b)),
            },
            ContainerKind::Footnote { label, refs } => self.footnotes.push(FootnoteDef {
                label,
                blocks,
                refs,
            }),
        }
    }

    /// A table row goes to its table; outside one, each cell becomes a paragraph.
    fn close_row(&mut self, head: bool, cells: Vec<Vec<Inline>>) {
        match self.top_mut() {
            Frame::Table {
                head: table_head,
                rows,
                ..
            } => {
                if head {
                    *table_head = cells;
                } else {
                    rows.push(cells);
                }
            }
            _ => cells
                .into_iter()
                .for_each(|c| self.push_block(Block::Paragraph { c })),
        }
    }

    fn close_inlines(&mut self, kind: InlineKind, c: Vec<Inline>) {
        match kind {
            InlineKind::Paragraph => {
                if !c.is_empty() {
                    self.push_block(Block::Paragraph { c });
                }
            }
            InlineKind::Heading => {
                if !c.is_empty() {
                    self.push_block(Block::Paragraph {
                        c: vec![Inline::Strong { c }],
                    });
                }
            }
            InlineKind::Cell => match self.top_mut() {
                Frame::Row { cells, .. } => cells.push(c),
                _ => self.push_block(Block::Paragraph { c }),
            },
            InlineKind::Strong => self.push_inline(Inline::Strong { c }),
            InlineKind::Emph => self.push_inline(Inline::Emph { c }),
            InlineKind::Strike => self.push_inline(Inline::Strike { c }),
            InlineKind::Link(Some(href)) => self.push_inline(Inline::Link { href, c }),
            InlineKind::Link(None) => c.into_iter().for_each(|i| self.push_inline(i)),
        }
    }

    /// A code block is kept verbatim; an HTML block becomes its text, line by line (comments
    /// are dropped).
    fn close_verbatim(&mut self, html: bool, text: String) {
        if !html {
            self.push_block(Block::Code { text });
        } else if !is_comment(&text) {
            let mut c = Vec::new();
            for (i, line) in text.trim_end().lines().enumerate() {
                if i > 0 {
                    c.push(Inline::Break);
                }
                c.push(Inline::Text { s: line.to_owned() });
            }
            if !c.is_empty() {
                self.push_block(Block::Paragraph { c });
            }
        }
    }

    fn top(&self) -> &Frame {
        &self.frames[self.real.last().copied().unwrap_or(0)]
    }

    fn top_mut(&mut self) -> &mut Frame {
        let i = self.real.last().copied().unwrap_or(0);
        &mut self.frames[i]
    }

    fn text(&mut self, s: &str) {
        match self.top_mut() {
            Frame::Verbatim { text, .. } => text.push_str(s),
            _ => self.push_inline(Inline::Text { s: s.to_owned() }),
        }
    }

    fn push_inline(&mut self, inline: Inline) {
        // Find the nearest frame that takes inlines.
        for depth in (0..self.real.len()).rev() {
            let i = self.real[depth];
            let target = match &mut self.frames[i] {
                Frame::Inlines { c, .. } => c,
                Frame::Container { loose, .. } => loose,
                Frame::Verbatim { text, .. } => {
                    let mut s = String::new();
                    crate::rich::inlines_text(std::slice::from_ref(&inline), &mut s);
                    text.push_str(&s);
                    return;
                }
                _ => continue,
            };
            match (target.last_mut(), inline) {
                (Some(Inline::Text { s }), Inline::Text { s: more }) => s.push_str(&more),
                (_, inline) => target.push(inline),
            }
            return;
        }
    }

    fn push_block(&mut self, block: Block) {
        for depth in (0..self.real.len()).rev() {
            let i = self.real[depth];
            if let Frame::Container { blocks, loose, .. } = &mut self.frames[i] {
                if !loose.is_empty() {
                    blocks.push(Block::Paragraph {
                        c: std::mem::take(loose),
                    });
                }
                blocks.push(block);
                return;
            }
        }
    }

    fn record_ref(&mut self, label: &str) {
        for depth in (0..self.real.len()).rev() {
            if let Frame::Container {
                kind: ContainerKind::Footnote { refs, .. },
                ..
            } = &mut self.frames[self.real[depth]]
            {
                if !refs.iter().any(|r| r == label) {
                    refs.push(label.to_owned());
                }
                return;
            }
        }
        if self.seen_refs.insert(label.to_owned()) {
            self.refs.push(label.to_owned());
        }
    }

    fn inline_html(&mut self, html: &str, range: Range<usize>, cx: &mut Cx<'_>) {
        if is_comment(html) {
            return;
        }
        raw_html_warning(cx, range, html);
        self.text(html);
    }
}

/// True for an HTML comment (`<!-- … -->`): an editor's note, dropped without a warning.
fn is_comment(html: &str) -> bool {
    let html = html.trim();
    html.starts_with("<!--") && html.ends_with("-->")
}

fn align_of(a: pulldown_cmark::Alignment) -> Align {
    match a {
        pulldown_cmark::Alignment::None => Align::None,
        pulldown_cmark::Alignment::Left => Align::Left,
        pulldown_cmark::Alignment::Center => Align::Center,
        pulldown_cmark::Alignment::Right => Align::Right,
    }
}

/// A link's URL (`mailto:` added to an autolinked address), or `None` when it is not safe
/// (reported; the link text is kept without the link).
fn checked_link(
    cx: &mut Cx<'_>,
    link_type: LinkType,
    dest_url: CowStr<'_>,
    range: Range<usize>,
) -> Option<String> {
    let href = match link_type {
        LinkType::Email => format!("mailto:{dest_url}"),
        _ => dest_url.into_string(),
    };
    if is_safe_url(&href) {
        return Some(href);
    }
    cx.error(
        codes::UNSAFE_URL,
        range,
        tr(
            format!("unsafe link URL `{}`", shorten(&href)),
            format!("不安全的链接地址 `{}`", shorten(&href)),
        ),
        tr(
            "use an http, https, mailto or relative URL; the link text is kept without the link",
            "请使用 http、https、mailto 或相对地址；链接文字保留，但不再是链接",
        ),
    );
    None
}

fn raw_html_warning(cx: &mut Cx<'_>, range: Range<usize>, html: &str) {
    let first_line = html.trim().lines().next().unwrap_or("");
    let hint = if first_line.to_ascii_lowercase().starts_with("<br") {
        tr(
            "end the line with a backslash `\\` for a line break",
            "要换行，请在行末写一个反斜杠 `\\`",
        )
    } else {
        tr(
            "write it in Markdown; raw HTML is shown to readers as text, never run",
            "请改用 Markdown 写法；HTML 只会作为文字显示给读者，不会生效",
        )
    };
    cx.warning(
        codes::RAW_HTML,
        range,
        tr(
            format!("raw HTML `{}` is shown as text", shorten(first_line)),
            format!("HTML `{}` 会原样显示为文字", shorten(first_line)),
        ),
        hint,
    );
}

/// True when the character before the line break at `offset` is a wide (CJK) character or
/// punctuation: Chinese lines join without a space.
fn prev_is_wide(source: &str, offset: usize) -> bool {
    source
        .get(..offset)
        .and_then(|s| s.trim_end_matches([' ', '\t', '\r']).chars().next_back())
        .is_some_and(is_wide)
}

pub(crate) fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x303F | 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x3FFFD)
}

/// A URL or snippet cut to a length that fits a diagnostic line.
pub(crate) fn shorten(s: &str) -> String {
    const MAX: usize = 60;
    if s.chars().count() <= MAX {
        s.to_owned()
    } else {
        let mut out: String = s.chars().take(MAX).collect();
        out.push('…');
        out
    }
}

/// The captions of a video: its title `captions: URL` (an unsafe URL is an error and is left
/// out). A video without them gets the [`codes::NO_CAPTIONS`] warning.
fn video_captions(image: &ImageState, cx: &mut Cx<'_>) -> Option<String> {
    let url = image
        .title
        .trim()
        .strip_prefix("captions:")
        .map(str::trim)
        .filter(|url| !url.is_empty());
    match url {
        Some(url) if is_safe_url(url) => Some(url.to_owned()),
        Some(url) => {
            cx.error(
                codes::UNSAFE_URL,
                image.span.clone(),
                tr(
                    format!("unsafe captions URL `{}`", shorten(url)),
                    format!("不安全的字幕地址 `{}`", shorten(url)),
                ),
                tr(
                    "use an http, https or relative URL; the captions are left out",
                    "请使用 http、https 或相对地址；字幕不会显示",
                ),
            );
            None
        }
        None => {
            cx.warning(
                codes::NO_CAPTIONS,
                image.span.clone(),
                tr("video without captions", "视频没有字幕"),
                tr(
                    "upload a WebVTT file and name it in the title: ![政策通气会](media/talk.mp4 \"captions: media/talk.vtt\"); readers who cannot hear, or who read in a quiet office, rely on it",
                    "请上传 WebVTT 字幕文件，并在标题中写明：![政策通气会](media/talk.mp4 \"captions: media/talk.vtt\")；听障读者和在安静办公室阅读的读者要靠字幕了解内容",
                ),
            );
            None
        }
    }
}
