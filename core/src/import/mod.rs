//! Plain-text import of official documents (GB/T 9704 style) into the authoring format.
//!
//! Editors rarely start from nothing: the policy already exists as an official document, and
//! what they have is its text pasted out of Word or a PDF. [`import`] turns that text into an
//! authoring-format Markdown file that needs review rather than retyping, and tells the editor,
//! line by line, what it guessed and what it could not recognise.
//!
//! The steps, one module each:
//! 1. [`normalize`]: clean lines (page numbers, spaces, punctuation), numbered as in the input;
//! 2. [`layout`]: the header (mark, number, title, addressees), the closing (signature, date,
//!    disclosure), the imprint and attachments, so that only the body is left;
//! 3. [`paragraphs`]: lines joined back into paragraphs across wraps and page breaks;
//! 4. [`structure`]: numbered paragraphs become provision headings with ids;
//! 5. [`markdown`]: front matter, headings and escaped text.
//!
//! `docs/import.md` describes for users what is recognised and how to fix what is not.

mod attachment;
mod flat;
mod layout;
mod markdown;
mod normalize;
mod numbering;
mod numeral;
mod organ;
mod paragraphs;
mod structure;
mod summary;

use std::fmt;

use crate::Date;
use crate::model::{Disclosure, Lang};

use attachment::Attachment;
use layout::{Closing, DocNumber};
use normalize::{Change, Line};
use numbering::Kind;
use paragraphs::{Layout, Para};
use structure::{EditKind, Node, Structure};

pub use summary::{ClosingPart, Field, Summary};

/// The result of an import: the authoring-format Markdown, what the editor should check, and a
/// summary to see at once whether to trust it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Imported {
    pub markdown: String,
    /// Sorted by line.
    pub notes: Vec<ImportNote>,
    pub summary: Summary,
}

/// Something the import guessed, changed or could not recognise.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportNote {
    /// Stable code (`I001` …, see [`code`] and `docs/import.md`).
    pub code: &'static str,
    /// 1-based line of the input the note is about; for something missing, the line where it
    /// was expected.
    pub line: u32,
    en: String,
    zh: String,
}

impl ImportNote {
    /// The message in a language.
    pub fn message(&self, lang: Lang) -> &str {
        match lang {
            Lang::ZhCn => &self.zh,
            Lang::En => &self.en,
        }
    }

    /// The note as the CLI prints it: `FILE:LINE: note[CODE]: message`.
    pub fn render(&self, file: &str, lang: Lang) -> String {
        format!(
            "{file}:{}: note[{}]: {}",
            self.line,
            self.code,
            self.message(lang)
        )
    }
}

/// `LINE: note[CODE]: message` in English.
impl fmt::Display for ImportNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: note[{}]: {}", self.line, self.code, self.en)
    }
}

/// The stable codes of import notes.
pub mod code {
    /// No title was recognised; a placeholder was written.
    pub const NO_TITLE: &str = "I001";
    /// No document number (文号) was found.
    pub const NO_NUMBER: &str = "I002";
    /// No date (成文日期) was found, or it names no calendar day.
    pub const NO_DATE: &str = "I003";
    /// No issuing body was found.
    pub const NO_ISSUER: &str = "I004";
    /// A numbering label sits directly under a label more than one level up.
    pub const LEVEL_SKIP: &str = "I005";
    /// A numbering label is out of sequence.
    pub const SEQUENCE: &str = "I006";
    /// A repeated number: the id got a suffix.
    pub const DUPLICATE_ID: &str = "I007";
    /// No disclosure annotation; `public` was assumed.
    pub const NO_DISCLOSURE: &str = "I008";
    /// The imprint (抄送, 印发) was left out.
    pub const IMPRINT: &str = "I009";
    /// A notice wraps its attachment: the attachment was imported as the document.
    pub const ATTACHMENT: &str = "I010";
    /// Text kept in a place it may not belong: after the date (it is in the closing), or a
    /// closing paragraph left in the last point because attachments follow.
    pub const LEFT_OVER: &str = "I011";
    /// Metadata was taken from somewhere other than the usual place.
    pub const DATE_ELSEWHERE: &str = "I012";
    /// A point of the `一、` or `（一）` level has no title.
    pub const NO_HEADING_TITLE: &str = "I013";
    /// A contact line was left out.
    pub const CONTACT: &str = "I014";
    /// No numbered provision was found.
    pub const NO_PROVISIONS: &str = "I015";
    /// The effective date was read from the text.
    pub const EFFECTIVE: &str = "I016";
    /// The title marks a draft.
    pub const DRAFT: &str = "I017";
    /// The id was not derived from a dated document number: it was guessed.
    pub const GUESSED_ID: &str = "I018";
    /// A further attachment was kept at the end as a section of its own.
    pub const KEPT_ATTACHMENT: &str = "I019";
    /// The import changed the words of the text (punctuation, digits, spaces, labels).
    pub const TEXT_CHANGED: &str = "I020";
    /// A line that had lost its line breaks was cut into paragraphs.
    pub const FLAT: &str = "I021";
    /// Lines laid out in columns were written as a table, or kept as a fenced block.
    pub const TABLE: &str = "I022";
    /// Text after the last point was set apart as the document's closing (结尾), behind `---`.
    pub const CLOSING: &str = "I023";
}

/// Collects notes during an import.
#[derive(Debug, Default)]
pub(crate) struct Notes(Vec<ImportNote>);

impl Notes {
    pub(crate) fn add(
        &mut self,
        code: &'static str,
        line: u32,
        en: impl Into<String>,
        zh: impl Into<String>,
    ) {
        self.0.push(ImportNote {
            code,
            line,
            en: en.into(),
            zh: zh.into(),
        });
    }
}

/// The title written when none was recognised.
pub const PLACEHOLDER_TITLE: &str = "（未识别标题）";

/// Converts the pasted plain text of an official document into authoring-format Markdown.
/// Never panics, whatever the input; does no I/O.
pub fn import(text: &str) -> Imported {
    let mut notes = Notes::default();
    let lines = normalize::lines(text);
    let mut lines = flat::split(lines, &mut notes);
    let layout = Layout::detect(&lines);
    let annotation = layout::take_annotations(&mut lines, &mut notes);
    let disclosure = annotation.as_ref().map(|(d, line)| (*d, line.no));
    layout::take_footer(&mut lines, &mut notes);
    // In a table the spaces separate cells: the table keeps them apart, no word is changed.
    let mut changed: Vec<(u32, u8)> = (0..lines.len())
        .map(|k| {
            let spaces = if paragraphs::is_row(&lines, k) {
                Change::SPACES
            } else {
                0
            };
            (lines[k].no, lines[k].changes & !spaces)
        })
        .collect();
    let first_line = lines.first().map_or(1, |l| l.no);
    let header = layout::read_header(&lines);
    let body = lines.split_off(header.end.min(lines.len()));

    let mut parts = take_parts(&header, body, &layout, first_line, &mut notes);
    let structure = body_structure(&parts, &layout, first_line, &mut notes);
    parts
        .preamble
        .extend(structure.preamble.iter().cloned().map(Block::Para));
    let front = front_matter(
        &header,
        parts.title.take(),
        &parts.closing,
        &parts.remarks,
        disclosure,
        &structure,
        first_line,
        &mut notes,
    );
    attachment::unique_ids(&mut parts.attachments);
    let closing = closing_blocks(&parts, &structure, annotation.map(|a| a.1), &layout);
    let markdown = write(&front, &parts, &structure, &closing, &layout, &mut notes);
    // The number and the date went to the front matter in a form of their own (the closing,
    // when there is one, shows the date line as it is: changes to its words are noted).
    let metadata = [
        header.doc_number.as_ref().map(|n| n.line),
        parts
            .closing
            .date
            .as_ref()
            .map(|d| d.1)
            .filter(|_| closing.is_empty()),
    ];
    changed.retain(|(line, _)| !metadata.contains(&Some(*line)));
    note_changes(&changed, &structure, &mut notes);

    let mut summary = Summary::new(
        &front,
        &structure,
        parts
            .attachments
            .iter()
            .map(Attachment::heading_text)
            .collect(),
        closing.iter().map(|(_, part)| *part).collect(),
    );
    let mut notes = notes.0;
    notes.sort_by_key(|n| n.line);
    summary.notes = notes.len();
    Imported {
        markdown,
        notes,
        summary,
    }
}

/// The parts of a document around its body, once the notice (if any) and the attachments are
/// told apart.
struct Parts {
    /// Markdown blocks of the preamble, in reading order.
    preamble: Vec<Block>,
    title: Option<(String, u32)>,
    /// Parenthesised and record lines under the title (the notice's and the document's).
    remarks: Vec<(String, u32)>,
    closing: Closing,
    /// The signature and date lines the closing (结尾) shows: the document's own, not those of
    /// a notice that wraps it.
    signed: Vec<Line>,
    /// The lines of the body: numbered points and their text.
    body: Vec<Line>,
    /// Lines after the date, kept at the end.
    trailing: Vec<Line>,
    /// Attachments kept at the end as sections.
    attachments: Vec<Attachment>,
}

/// Splits the lines after the header into preamble, body, closing and attachments: the
/// attachment a notice issues becomes the document (see [`attachment`]).
fn take_parts(
    header: &layout::Header,
    mut body: Vec<Line>,
    layout: &Layout,
    first_line: u32,
    notes: &mut Notes,
) -> Parts {
    let head = header_blocks(header);
    let notice_title = header.title.as_ref().map(|t| t.0.clone());
    let Some(start) = attachment::find(&body, notice_title.as_deref()) else {
        let closing = layout::take_closing(&mut body, None);
        return Parts::new(header, head, body, closing);
    };
    let mut attachment = body.split_off(start.index);
    let mut text = body;
    let closing = layout::take_closing(&mut text, None);
    if !attachment::issues(notice_title.as_deref(), &text, &attachment) {
        let mut parts = Parts::new(header, head, text, closing);
        parts.attachments = attachment::split_further(&mut attachment);
        if !attachment.is_empty() {
            parts
                .attachments
                .insert(0, attachment::unmarked(attachment));
        }
        return parts;
    }
    let notice = Notice {
        title: notice_title,
        head,
        text,
        closing,
    };
    issued_parts(
        header, notice, attachment, &start, layout, first_line, notes,
    )
}

/// The header's remarks and addressee, as the first blocks of the preamble.
fn header_blocks(header: &layout::Header) -> Vec<Block> {
    let mut head: Vec<Block> = header
        .remarks
        .iter()
        .map(|(remark, line)| Block::Para(Para::text(*line, remark.clone())))
        .collect();
    if let Some((addressee, line)) = &header.addressee {
        head.push(Block::Para(Para::text(*line, addressee.clone())));
    }
    head
}

impl Parts {
    /// The parts of a document with the given preamble, body and closing (whose lines after
    /// the date become [`Parts::trailing`]), and no attachments yet.
    fn new(
        header: &layout::Header,
        preamble: Vec<Block>,
        body: Vec<Line>,
        mut closing: Closing,
    ) -> Parts {
        Parts {
            preamble,
            title: header.title.clone(),
            remarks: header.remarks.clone(),
            trailing: std::mem::take(&mut closing.trailing),
            signed: closing.lines.clone(),
            closing,
            body,
            attachments: Vec::new(),
        }
    }
}

/// A notice that issues (印发, 转发) the attachment that follows it.
struct Notice {
    title: Option<String>,
    /// The header's remarks and addressee.
    head: Vec<Block>,
    /// The notice's own lines, before the attachment.
    text: Vec<Line>,
    closing: Closing,
}

/// The parts when `notice` issues `attachment`: the attachment is the document and the
/// notice's text, in order, its preamble; the notice's number, issuer and date stay the
/// document's, and a missing date or signature is taken from under the attachment.
fn issued_parts(
    header: &layout::Header,
    notice: Notice,
    mut attachment: Vec<Line>,
    start: &attachment::Start,
    layout: &Layout,
    first_line: u32,
    notes: &mut Notes,
) -> Parts {
    let Notice {
        title,
        head,
        text,
        mut closing,
    } = notice;
    let marker_line = attachment.first().map_or(first_line, |l| l.no);
    let head_title = attachment::take_head(&mut attachment, start);
    let attachments = attachment::split_further(&mut attachment);
    notes.add(
        code::ATTACHMENT,
        marker_line,
        "the notice wraps its attachment: the attachment was imported as the document; \
         the notice's number, issuer and date are in the front matter and its text is the preamble",
        "此通知印发（转发）附件：导入的是附件这份文件；通知的文号、发文机关和日期写入前置信息，通知正文作为导语",
    );
    let mut preamble: Vec<Block> = title.map(Block::Strong).into_iter().collect();
    preamble.extend(head);
    for lines in [&text, &closing.trailing] {
        preamble.extend(paragraphs::join(lines, layout).into_iter().map(Block::Para));
    }
    let mut parts = Parts::new(header, preamble, Vec::new(), Closing::default());
    parts.attachments = attachments;

    let at = attachment_head(&mut parts, &attachment, head_title, marker_line, notes);
    let mut body = attachment.split_off(at.min(attachment.len()));
    let mut own = layout::take_closing(&mut body, Some(4));
    complete_closing(&mut closing, &mut own, notes);
    parts.trailing = own.trailing;
    parts.signed = own.lines;
    parts.closing = closing;
    parts.body = body;
    parts
}

/// Gives the notice's `closing` the date (noted) and the signature under the attachment
/// (`own`) when it has none of its own.
fn complete_closing(closing: &mut Closing, own: &mut Closing, notes: &mut Notes) {
    if closing.date.is_none()
        && let Some((_, line)) = &own.date
    {
        notes.add(
            code::DATE_ELSEWHERE,
            *line,
            "the notice has no date; the date under the attachment was used",
            "通知没有日期；采用了附件末尾的日期",
        );
        closing.date = own.date.take();
    }
    if closing.signature.is_none() {
        closing.signature = own.signature.take();
    }
}

/// Reads the title (known from the notice, or the attachment's first lines) and the remarks
/// under it of the attachment that is the document; returns the index after them.
fn attachment_head(
    parts: &mut Parts,
    attachment: &[Line],
    known_title: Option<String>,
    marker_line: u32,
    notes: &mut Notes,
) -> usize {
    let mut at = 0;
    match known_title.map_or_else(
        || layout::take_title(attachment, 0),
        |name| Some((name, marker_line, 0)),
    ) {
        Some((title, line, next)) => {
            parts.title = Some((title, line));
            at = next;
        }
        None => notes.add(
            code::NO_TITLE,
            marker_line,
            "the attachment has no title line of its own; the notice's title was kept",
            "附件没有自己的标题行；保留了通知的标题",
        ),
    }
    while let Some(line) = attachment
        .get(at)
        .filter(|l| layout::is_parenthetical(&l.text))
    {
        parts.remarks.push((line.text.clone(), line.no));
        parts
            .preamble
            .push(Block::Para(Para::text(line.no, line.text.clone())));
        at += 1;
    }
    at
}

/// The provision tree of the body (with the lines after the date kept at its end).
fn body_structure(parts: &Parts, layout: &Layout, first_line: u32, notes: &mut Notes) -> Structure {
    let mut paras = paragraphs::join(&parts.body, layout);
    // The text after the date goes to the closing; without one (attachments follow, or there
    // is no provision to close) it stays at the end of the document.
    let closing_allowed = parts.attachments.is_empty();
    let trailing = paragraphs::join(&parts.trailing, layout);
    if !closing_allowed {
        paras.extend(trailing.iter().cloned());
    }
    let mut structure = structure::build(paras, closing_allowed, notes);
    let has_provisions = structure
        .nodes
        .iter()
        .any(|n| matches!(n, Node::Heading(_)));
    if closing_allowed && !has_provisions {
        structure.preamble.extend(trailing);
    }
    if let Some(first) = parts.trailing.first() {
        let (en, zh) = if closing_allowed && has_provisions {
            (
                "text after the signature and date was kept at the end of the closing; move or delete it",
                "署名和日期之后的文字保留在结尾末尾；请移动或删除",
            )
        } else {
            (
                "text after the signature and date was kept at the end of the document; move or delete it",
                "署名和日期之后的文字保留在文件末尾；请移动或删除",
            )
        };
        notes.add(code::LEFT_OVER, first.no, en, zh);
    }
    if !has_provisions {
        notes.add(
            code::NO_PROVISIONS,
            parts.body.first().map_or(first_line, |l| l.no),
            "no numbered point (一、, （一）, 1., 第一条 …) was found: all the text is in the preamble; \
             add provision headings by hand",
            "未找到编号条款（一、（一）1. 第一条……）：全部文字都在导语中；请手动添加条款标题",
        );
    }
    structure
}

/// The closing (结尾) after the provisions, in reading order: the paragraphs after the last
/// point, the signature and date lines, a disclosure annotation below them and the text after
/// the date. Empty when there is no provision to close, or when attachments follow the
/// provisions (then nothing can stand after them: the signature and date are only metadata).
fn closing_blocks(
    parts: &Parts,
    structure: &Structure,
    annotation: Option<Line>,
    layout: &Layout,
) -> Vec<(Para, ClosingPart)> {
    let has_provisions = structure
        .nodes
        .iter()
        .any(|n| matches!(n, Node::Heading(_)));
    if !has_provisions || !parts.attachments.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<(Para, ClosingPart)> = structure
        .closing
        .iter()
        .map(|p| (p.clone(), ClosingPart::Paragraph))
        .collect();
    let date_line = parts.signed.last().map(|l| l.no);
    for (k, line) in parts.signed.iter().enumerate() {
        let part = if k + 1 == parts.signed.len() {
            ClosingPart::Date
        } else {
            ClosingPart::Signature
        };
        out.push((Para::text(line.no, line.text.clone()), part));
    }
    let after = date_line.or_else(|| structure.closing.last().map(|p| p.line));
    if let (Some(a), Some(after)) = (annotation, after)
        && a.no >= after
    {
        out.push((Para::text(a.no, a.text), ClosingPart::Annotation));
    }
    out.extend(
        paragraphs::join(&parts.trailing, layout)
            .into_iter()
            .map(|p| (p, ClosingPart::Paragraph)),
    );
    out
}

/// Writes the Markdown: front matter, preamble, provisions, closing, attachments; notes the tables.
fn write(
    front: &markdown::FrontMatter,
    parts: &Parts,
    structure: &Structure,
    closing: &[(Para, ClosingPart)],
    layout: &Layout,
    notes: &mut Notes,
) -> String {
    let mut out = front.render();
    let mut tables = Vec::new();
    let block = |out: &mut String, text: String| {
        out.push('\n');
        out.push_str(&text);
        out.push('\n');
    };
    for b in &parts.preamble {
        let text = match b {
            Block::Strong(t) => markdown::strong(t),
            Block::Para(p) => render_para(p, &mut tables),
        };
        block(&mut out, text);
    }
    for node in &structure.nodes {
        let text = match node {
            Node::Heading(h) => {
                let separator = if matches!(h.kind, Kind::Chapter | Kind::Section) {
                    " "
                } else {
                    ""
                };
                markdown::heading(h.depth, &h.label, separator, &h.title, &h.id)
            }
            Node::Para(p) => render_para(p, &mut tables),
        };
        block(&mut out, text);
    }
    if !closing.is_empty() {
        block(&mut out, "---".to_owned());
        for (p, _) in closing {
            block(&mut out, render_para(p, &mut tables));
        }
    }
    for a in &parts.attachments {
        note_attachment(a, notes);
        let title = a.title.as_deref().unwrap_or("");
        block(&mut out, markdown::heading(1, &a.marker, " ", title, &a.id));
        for p in attachment::blocks(a, layout) {
            block(&mut out, render_para(&p, &mut tables));
        }
    }
    note_tables(&tables, notes);
    out
}

/// Notes an attachment kept as a section, and a form kept in a fenced block.
fn note_attachment(a: &Attachment, notes: &mut Notes) {
    let name = a.heading_text();
    notes.add(
        code::KEPT_ATTACHMENT,
        a.line,
        format!(
            "{name} was kept at the end as a section of its own (`{{#{}}}`); import it as a document of its own if it is one",
            a.id
        ),
        format!(
            "{name}作为单独一节保留在文件末尾（`{{#{}}}`）；如它本身是一份文件，请另行导入",
            a.id
        ),
    );
    if a.form {
        let (first, last) = a.line_range();
        notes.add(
            code::TABLE,
            first,
            format!(
                "{name} is a form whose columns the text does not show (lines {first}–{last}); \
                 its lines were kept as they are in a fenced block: rebuild it as a table if needed"
            ),
            format!(
                "{name}是表格，但文本看不出各列（第 {first}–{last} 行）；已按原样保留在代码块中，如需要请重建为表格"
            ),
        );
    }
}

/// Notes each table: written as a Markdown table, or kept in a fenced block.
fn note_tables(tables: &[(bool, u32, u32)], notes: &mut Notes) {
    for &(regular, first, last) in tables {
        if regular {
            notes.add(
                code::TABLE,
                first,
                format!("lines {first}–{last} are laid out in columns: they were written as a Markdown table; check it"),
                format!("第 {first}–{last} 行按列排布：已写成 Markdown 表格，请核对"),
            );
        } else {
            notes.add(
                code::TABLE,
                first,
                format!(
                    "lines {first}–{last} are laid out in columns, but not all rows have the same cells: \
                     they were kept as they are in a fenced block; rebuild the table if needed"
                ),
                format!("第 {first}–{last} 行按列排布，但各行列数不同：已按原样保留在代码块中，如需要请重建表格"),
            );
        }
    }
}

/// A block of the preamble.
#[derive(Clone, Debug)]
enum Block {
    /// The title of a notice that wraps its attachment, in bold.
    Strong(String),
    Para(Para),
}

/// A paragraph or a table as Markdown; tables are remembered for their notes.
fn render_para(p: &Para, tables: &mut Vec<(bool, u32, u32)>) -> String {
    match &p.table {
        Some(table) => {
            if !table.form {
                tables.push((table.regular(), p.line, table.last_line));
            }
            if table.regular() {
                markdown::table(&table.rows)
            } else {
                markdown::fenced(&table.rows.iter().map(|r| r.join("  ")).collect::<Vec<_>>())
            }
        }
        None => markdown::paragraph(&p.text),
    }
}

/// One note for each kind of change the import made to the words, listing the lines.
fn note_changes(changed: &[(u32, u8)], structure: &Structure, notes: &mut Notes) {
    let lines_with = |bit: u8| -> Vec<u32> {
        changed
            .iter()
            .filter(|(_, c)| c & bit != 0)
            .map(|(l, _)| *l)
            .collect()
    };
    let edits = |pred: &dyn Fn(EditKind) -> bool| -> Vec<u32> {
        structure
            .edits
            .iter()
            .filter(|e| pred(e.what))
            .map(|e| e.line)
            .collect()
    };
    let kinds: [(Vec<u32>, &str, &str); 7] = [
        (
            lines_with(Change::PUNCTUATION),
            "punctuation was made full-width in Chinese text (, → ，, ( ) → （ ）, \" → “ ”) and half-width after digits (１． → 1.)",
            "中文文字中的标点改为全角（, → ，、( ) → （ ）、\" → “ ”），数字后的标点改为半角（１． → 1.）",
        ),
        (
            lines_with(Change::WIDTH),
            "full-width letters and digits were made ASCII (２０２１ → 2021)",
            "全角字母和数字改为半角（２０２１ → 2021）",
        ),
        (
            lines_with(Change::SPACES),
            "spaces inside the text were removed (2021 年 → 2021年)",
            "删除了文字中的空格（2021 年 → 2021年）",
        ),
        (
            lines_with(Change::INVISIBLE),
            "invisible characters (zero-width spaces, control characters) were removed",
            "删除了不可见字符（零宽空格、控制字符）",
        ),
        (
            edits(&|k| k == EditKind::Label),
            "numbering labels were written in one form (1、 → 1., （一）、 → （一）, 1) → （1）)",
            "编号统一了写法（1、 → 1.、（一）、 → （一）、1) → （1））",
        ),
        (
            edits(&|k| k == EditKind::TitleStop('。')),
            "the full stop after a heading's title sentence was left out (（一）规范管理。各县…… → heading （一）规范管理)",
            "标题句末尾的句号未写入标题（（一）规范管理。各县…… → 标题“（一）规范管理”）",
        ),
        (
            edits(&|k| k == EditKind::TitleStop('：')),
            "the colon after a heading's title was left out (一、元旦：1月1日…… → heading 一、元旦)",
            "标题后的冒号未写入标题（一、元旦：1月1日…… → 标题“一、元旦”）",
        ),
    ];
    for (lines, en, zh) in kinds {
        let Some(&first) = lines.first() else {
            continue;
        };
        let list = line_list(&lines);
        notes.add(
            code::TEXT_CHANGED,
            first,
            format!("{en}: line {list}"),
            format!("{zh}：第 {list} 行"),
        );
    }
}

/// `3, 5, 9` or `3, 5, 9 … (12 lines)`.
fn line_list(lines: &[u32]) -> String {
    const SHOWN: usize = 8;
    let mut lines = lines.to_vec();
    lines.dedup();
    let shown: Vec<String> = lines.iter().take(SHOWN).map(u32::to_string).collect();
    if lines.len() > SHOWN {
        format!("{} … ({})", shown.join(", "), lines.len())
    } else {
        shown.join(", ")
    }
}

/// Builds the front matter and notes what is missing.
#[allow(clippy::too_many_arguments)]
fn front_matter(
    header: &layout::Header,
    title: Option<(String, u32)>,
    closing: &Closing,
    remarks: &[(String, u32)],
    disclosure: Option<(Disclosure, u32)>,
    structure: &Structure,
    first_line: u32,
    notes: &mut Notes,
) -> markdown::FrontMatter {
    let title_line = title.as_ref().map_or(first_line, |t| t.1);
    let found_title = title.map(|t| t.0);
    let promulgations: Vec<layout::Promulgation> = remarks
        .iter()
        .flat_map(|(text, line)| layout::promulgations(text, *line))
        .collect();
    let decree = current_decree(&promulgations);
    let number = doc_number(header, decree, first_line, notes);
    let after_title = header.addressee.as_ref().map_or(title_line, |a| a.1);
    let issued = issued_date(closing, remarks, decree, after_title, notes);
    let issuer = issuer(
        header,
        closing,
        decree,
        found_title.as_deref(),
        first_line,
        notes,
    );
    let title = title_or_placeholder(found_title, first_line, notes);
    let assumed_disclosure = disclosure.is_none();
    let disclosure = disclosure_or_public(disclosure, closing, first_line, notes);
    let effective = effective_date(remarks, &promulgations, structure, issued, notes);
    let status = status_from_title(&title, title_line, notes);
    let id = document_id(number.as_ref(), issued, &title, first_line, notes);
    markdown::FrontMatter {
        id,
        title,
        doc_number: number.map(|n| n.text),
        issuer,
        issued,
        effective,
        status,
        disclosure: disclosure.as_str(),
        assumed_disclosure,
    }
}

/// The decree of the latest issue or revision: the one the current text carries.
fn current_decree(promulgations: &[layout::Promulgation]) -> Option<&layout::Promulgation> {
    promulgations
        .iter()
        .filter(|p| p.decree.is_some() && p.act != layout::Act::Effective)
        .max_by_key(|p| (p.date.year, p.date.month, p.date.day))
}

/// The document number: the header's, else the current decree's; noted when there is none.
fn doc_number(
    header: &layout::Header,
    decree: Option<&layout::Promulgation>,
    first_line: u32,
    notes: &mut Notes,
) -> Option<DocNumber> {
    let number = header
        .doc_number
        .clone()
        .or_else(|| decree.and_then(|p| p.decree.clone()));
    if number.is_none() {
        notes.add(
            code::NO_NUMBER,
            first_line,
            "no document number (文号, like 云政办发〔2021〕39号) was found; add doc_number if the document has one",
            "未找到发文字号（如 云政办发〔2021〕39号）；如有文号请补写 doc_number",
        );
    }
    number
}

/// The title found, or [`PLACEHOLDER_TITLE`] (noted) for the editor to replace.
fn title_or_placeholder(found: Option<String>, first_line: u32, notes: &mut Notes) -> String {
    found.unwrap_or_else(|| {
        notes.add(
            code::NO_TITLE,
            first_line,
            format!(
                "no title was recognised; `{PLACEHOLDER_TITLE}` was written: put the title in the front matter"
            ),
            format!("未识别出标题；已写入 `{PLACEHOLDER_TITLE}`：请在前置信息中填写标题"),
        );
        PLACEHOLDER_TITLE.to_owned()
    })
}

/// The disclosure annotated, or `public` (noted at the date line) when there is no annotation.
fn disclosure_or_public(
    disclosure: Option<(Disclosure, u32)>,
    closing: &Closing,
    first_line: u32,
    notes: &mut Notes,
) -> Disclosure {
    match disclosure {
        Some((d, _)) => d,
        None => {
            notes.add(
                code::NO_DISCLOSURE,
                closing.date.as_ref().map_or(first_line, |d| d.1),
                "no disclosure annotation like （此件公开发布） was found; disclosure = \"public\" was assumed",
                "未找到公开属性附注（如 （此件公开发布））；按 disclosure = \"public\" 处理",
            );
            Disclosure::Public
        }
    }
}

/// `draft` when the title marks a draft (noted: a consultation table opens it for comments),
/// else `in-force`.
fn status_from_title(title: &str, title_line: u32, notes: &mut Notes) -> &'static str {
    if ["征求意见稿", "草案", "送审稿"]
        .iter()
        .any(|w| title.contains(w))
    {
        notes.add(
            code::DRAFT,
            title_line,
            "the title marks a draft: status = \"draft\"; add a [consultation] table to open it for comments",
            "标题表明这是草案：status = \"draft\"；如要征求意见，请添加 [consultation] 表",
        );
        "draft"
    } else {
        "in-force"
    }
}

/// The issue date: the signature date; else the date of the decree that issued the current text;
/// else the first date in a note under the title.
fn issued_date(
    closing: &Closing,
    remarks: &[(String, u32)],
    decree: Option<&layout::Promulgation>,
    after_title: u32,
    notes: &mut Notes,
) -> Option<Date> {
    if let Some((found, line)) = &closing.date {
        let date = found.date();
        if date.is_none() {
            let (y, m, d) = (found.year, found.month, found.day);
            notes.add(
                code::NO_DATE,
                *line,
                format!("the date {y}年{m}月{d}日 is not a calendar date; issued was left out"),
                format!("日期 {y}年{m}月{d}日 不是有效的日历日期；未填写 issued"),
            );
        }
        return date;
    }
    if let Some(p) = decree
        && let Some(date) = p.date.date()
    {
        let number = p.decree.as_ref().map_or("", |d| d.text.as_str());
        notes.add(
            code::DATE_ELSEWHERE,
            p.line,
            format!(
                "issued = {date} and doc_number = {number} were read from the line recording the latest decree; check them"
            ),
            format!("issued = {date} 和 doc_number = {number} 取自记载最近一次公布（修订）令的行；请核对"),
        );
        return Some(date);
    }
    let from_remark = remarks.iter().find_map(|(text, line)| {
        numeral::find_dates(text)
            .first()
            .and_then(|d| d.date())
            .map(|d| (d, *line))
    });
    match from_remark {
        Some((date, line)) => {
            notes.add(
                code::DATE_ELSEWHERE,
                line,
                format!(
                    "no signature date was found; issued = {date} was taken from the note under the title"
                ),
                format!("未找到成文日期；issued = {date} 取自标题下的题注"),
            );
            Some(date)
        }
        None => {
            notes.add(
                code::NO_DATE,
                after_title,
                "no date (成文日期, like 2021年6月2日) was found; add issued by hand",
                "未找到成文日期（如 2021年6月2日）；请手动填写 issued",
            );
            None
        }
    }
}

/// The issuer: the mark above the number, else the signature, else the body that issued the
/// decree, else the body that opens the title (`国务院办公厅关于……的通知`).
fn issuer(
    header: &layout::Header,
    closing: &Closing,
    decree: Option<&layout::Promulgation>,
    title: Option<&str>,
    first_line: u32,
    notes: &mut Notes,
) -> Option<String> {
    let from_title = || {
        let title = title?;
        let organ = &title[..title.find("关于")?];
        (layout::is_organ(organ) || layout::is_organ_list(organ)).then(|| organ.to_owned())
    };
    let found = header
        .issuer
        .as_ref()
        .map(|m| m.0.clone())
        .or_else(|| closing.signature.as_ref().map(|s| s.0.clone()))
        .or_else(|| decree.and_then(|p| p.organ.clone()))
        .or_else(from_title);
    if found.is_none() {
        notes.add(
            code::NO_ISSUER,
            first_line,
            "no issuing body (发文机关) was found, neither above the number nor above the date; add issuer by hand",
            "未找到发文机关（文号上方和日期上方都没有）；请手动填写 issuer",
        );
    }
    found
}

/// The document id. From a dated document number it is `doc-2021-39` (a prefix in Latin letters
/// is kept: `zwgk-2021-3`). Otherwise it has to be guessed, and a note says so: `doc-`, the issue
/// date if known (`20190403-`) and six hex digits of a hash (FNV-1a) of the document number, or
/// of the title when there is no number. The same text always gives the same id, and two
/// documents with different numbers or titles get different ids.
fn document_id(
    number: Option<&DocNumber>,
    issued: Option<Date>,
    title: &str,
    first_line: u32,
    notes: &mut Notes,
) -> String {
    if let Some(DocNumber {
        ascii_prefix,
        year: Some(year),
        serial,
        ..
    }) = number
    {
        let prefix = if ascii_prefix.is_empty() {
            "doc"
        } else {
            ascii_prefix
        };
        return format!("{prefix}-{year}-{serial}");
    }
    let source = match number {
        Some(n) => Some((n.text.as_str(), "the document number", "文号")),
        None if title != PLACEHOLDER_TITLE => Some((title, "the title", "标题")),
        None => None,
    };
    let date = issued.map(|d| format!("-{:04}{:02}{:02}", d.year, d.month, d.day));
    let Some((source, from_en, from_zh)) = source else {
        let id = format!("doc{}", date.as_deref().unwrap_or("-import"));
        notes.add(
            code::GUESSED_ID,
            first_line,
            format!("neither a document number nor a title to derive the id from: id = \"{id}\"; choose a unique id"),
            format!("既没有文号也没有标题可用于生成 id：id = \"{id}\"；请改为唯一的 id"),
        );
        return id;
    };
    let id = format!(
        "doc{}-{:06x}",
        date.unwrap_or_default(),
        fnv1a(source) & 0xff_ffff
    );
    notes.add(
        code::GUESSED_ID,
        first_line,
        format!(
            "no dated document number to derive the id from: id = \"{id}\" was derived from {from_en} \
             (issue date and a hash); choose a readable unique id"
        ),
        format!("没有带年份的文号可用于生成 id：id = \"{id}\" 由{from_zh}生成（成文日期加散列值）；请改为易读且唯一的 id"),
    );
    id
}

/// 32-bit FNV-1a: a small, stable hash that needs no dependency.
fn fnv1a(text: &str) -> u32 {
    text.bytes().fold(0x811c_9dc5, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// Sentences that make a document effective on its issue date.
const EFFECTIVE_ON_ISSUE: &[&str] = &[
    "自印发之日起施行",
    "自发布之日起施行",
    "自公布之日起施行",
    "自颁布之日起施行",
    "自印发之日起实施",
    "自发布之日起实施",
    "自公布之日起实施",
    "自印发之日起执行",
];

/// The effective date a sentence like `本办法自2021年8月1日起施行` or `自印发之日起施行` states,
/// or a header line like `2019年5月15日 施行`; the last such sentence wins (it is usually the
/// final article).
fn effective_date(
    remarks: &[(String, u32)],
    promulgations: &[layout::Promulgation],
    structure: &Structure,
    issued: Option<Date>,
    notes: &mut Notes,
) -> Option<Date> {
    let texts = remarks
        .iter()
        .map(|(t, l)| (t.as_str(), *l))
        .chain(structure.nodes.iter().filter_map(|n| match n {
            Node::Para(p) => Some((p.text.as_str(), p.line)),
            Node::Heading(_) => None,
        }))
        .chain(structure.closing.iter().map(|p| (p.text.as_str(), p.line)));
    let mut found = promulgations
        .iter()
        .filter(|p| p.act == layout::Act::Effective)
        .filter_map(|p| Some((p.date.date()?, p.line)))
        .next_back();
    for (text, line) in texts {
        let chars: Vec<char> = text.chars().collect();
        for date in numeral::find_dates(text) {
            let before = date.start.checked_sub(1).map(|i| chars[i]);
            let after: String = chars[date.end..].iter().take(3).collect();
            if before == Some('自')
                && ["起施行", "起实施", "起执行"].contains(&after.as_str())
                && let Some(d) = date.date()
            {
                found = Some((d, line));
            }
        }
        if let Some(d) = issued
            && EFFECTIVE_ON_ISSUE.iter().any(|p| text.contains(p))
        {
            found = Some((d, line));
        }
    }
    let (date, line) = found?;
    notes.add(
        code::EFFECTIVE,
        line,
        format!("effective = {date} was read from this sentence; check it"),
        format!("effective = {date} 取自此句；请核对"),
    );
    Some(date)
}
