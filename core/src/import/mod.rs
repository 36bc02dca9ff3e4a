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

mod layout;
mod markdown;
mod normalize;
mod numbering;
mod numeral;
mod paragraphs;
mod structure;

use std::fmt;

use crate::Date;
use crate::model::Disclosure;

use layout::{Closing, DocNumber};
use normalize::Line;
use numbering::Kind;
use paragraphs::Layout;
use structure::{Node, Structure};

/// The result of an import: the authoring-format Markdown and what the editor should check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Imported {
    pub markdown: String,
    /// Sorted by line.
    pub notes: Vec<ImportNote>,
}

/// Something the import guessed or could not recognise.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportNote {
    /// Stable code (`I001` …, see [`code`] and `docs/import.md`).
    pub code: &'static str,
    /// 1-based line of the input the note is about; for something missing, the line where it
    /// was expected.
    pub line: u32,
    pub message: String,
}

impl ImportNote {
    /// The note as the CLI prints it: `FILE:LINE: note[CODE]: message`.
    pub fn render(&self, file: &str) -> String {
        format!("{file}:{self}")
    }
}

/// `LINE: note[CODE]: message`, so that `format!("{file}:{note}")` reads like a compiler message.
impl fmt::Display for ImportNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: note[{}]: {}", self.line, self.code, self.message)
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
    /// Text that was not imported, or kept in a place it may not belong.
    pub const LEFT_OVER: &str = "I011";
    /// The date was taken from somewhere other than the signature.
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
    /// No number and no date to derive the id from.
    pub const FALLBACK_ID: &str = "I018";
}

/// Collects notes during an import.
#[derive(Debug, Default)]
pub(crate) struct Notes(Vec<ImportNote>);

impl Notes {
    pub(crate) fn add(&mut self, code: &'static str, line: u32, message: impl Into<String>) {
        self.0.push(ImportNote {
            code,
            line,
            message: message.into(),
        });
    }
}

/// The title written when none was recognised.
pub const PLACEHOLDER_TITLE: &str = "（未识别标题）";

/// Converts the pasted plain text of an official document into authoring-format Markdown.
/// Never panics, whatever the input; does no I/O.
pub fn import(text: &str) -> Imported {
    let mut notes = Notes::default();
    let mut lines = normalize::lines(text);
    let layout = Layout::detect(&lines);
    let disclosure = layout::take_annotations(&mut lines, &mut notes);
    layout::take_footer(&mut lines, &mut notes);
    let first_line = lines.first().map_or(1, |l| l.no);
    let header = layout::read_header(&lines);
    let mut body = lines.split_off(header.end.min(lines.len()));

    // Markdown blocks of the preamble, in reading order.
    let mut preamble: Vec<String> = Vec::new();
    let mut title = header.title.clone();
    let mut remarks: Vec<(String, u32)> = header.remarks.clone();
    let closing: Closing;
    let trailing: Vec<Line>;

    let head_blocks = |preamble: &mut Vec<String>| {
        for (remark, _) in &header.remarks {
            preamble.push(markdown::paragraph(remark));
        }
        if let Some((addressee, _)) = &header.addressee {
            preamble.push(markdown::paragraph(addressee));
        }
    };

    match find_attachment(&body, title.as_ref().map(|t| t.0.as_str())) {
        Some(start) => {
            let mut attachment = body.split_off(start.index);
            let marker_line = attachment.first().map_or(first_line, |l| l.no);
            if start.marker {
                attachment.remove(0);
            }
            // `附件：X` followed by the title line `X` again: one title is enough.
            if let Some(name) = &start.title
                && attachment.first().is_some_and(|l| &l.text == name)
            {
                attachment.remove(0);
            }
            if let Some(next) = attachment
                .iter()
                .position(|l| layout::is_attachment_marker(&l.text))
            {
                let others = attachment.split_off(next);
                left_out(&mut notes, &others, "a further attachment was not imported");
            }
            let mut notice = body;
            let mut notice_closing = layout::take_closing(&mut notice, None);
            if use_attachment(title.as_ref().map(|t| t.0.as_str()), &notice, &attachment) {
                notes.add(
                    code::ATTACHMENT,
                    marker_line,
                    "the notice wraps its attachment: the attachment was imported as the document; \
                     the notice's number, issuer and date are in the front matter and its text is the preamble",
                );
                if let Some((notice_title, _)) = &title {
                    preamble.push(markdown::strong(notice_title));
                }
                head_blocks(&mut preamble);
                let notice_paras = paragraphs::join(&notice, &layout);
                preamble.extend(notice_paras.iter().map(|p| markdown::paragraph(&p.text)));
                let notice_trailing = paragraphs::join(&notice_closing.trailing, &layout);
                preamble.extend(notice_trailing.iter().map(|p| markdown::paragraph(&p.text)));

                let mut at = 0;
                match start.title.map_or_else(
                    || layout::take_title(&attachment, 0),
                    |name| Some((name, marker_line, 0)),
                ) {
                    Some((attachment_title, line, next)) => {
                        title = Some((attachment_title, line));
                        at = next;
                    }
                    None => notes.add(
                        code::NO_TITLE,
                        marker_line,
                        "the attachment has no title line of its own; the notice's title was kept",
                    ),
                }
                while let Some(line) = attachment
                    .get(at)
                    .filter(|l| layout::is_parenthetical(&l.text))
                {
                    remarks.push((line.text.clone(), line.no));
                    preamble.push(markdown::paragraph(&line.text));
                    at += 1;
                }
                body = attachment.split_off(at.min(attachment.len()));
                let own = layout::take_closing(&mut body, Some(4));
                if notice_closing.date.is_none() && own.date.is_some() {
                    if let Some((_, line)) = own.date {
                        notes.add(
                            code::DATE_ELSEWHERE,
                            line,
                            "the notice has no date; the date under the attachment was used",
                        );
                    }
                    notice_closing.date = own.date;
                }
                if notice_closing.signature.is_none() {
                    notice_closing.signature = own.signature;
                }
                trailing = own.trailing;
            } else {
                left_out(
                    &mut notes,
                    &attachment,
                    "the attachment was not imported (the notice is the document)",
                );
                head_blocks(&mut preamble);
                body = notice;
                trailing = std::mem::take(&mut notice_closing.trailing);
            }
            closing = notice_closing;
        }
        None => {
            head_blocks(&mut preamble);
            let mut own = layout::take_closing(&mut body, None);
            trailing = std::mem::take(&mut own.trailing);
            closing = own;
        }
    }

    let mut paras = paragraphs::join(&body, &layout);
    if let Some(first) = trailing.first() {
        notes.add(
            code::LEFT_OVER,
            first.no,
            "text after the signature and date was kept at the end of the document; move or delete it",
        );
        paras.extend(paragraphs::join(&trailing, &layout));
    }
    let structure = structure::build(paras, &mut notes);
    if !structure
        .nodes
        .iter()
        .any(|n| matches!(n, Node::Heading(_)))
    {
        notes.add(
            code::NO_PROVISIONS,
            body.first().map_or(first_line, |l| l.no),
            "no numbered point (一、, （一）, 1., 第一条 …) was found: all the text is in the preamble; \
             add provision headings by hand",
        );
    }
    preamble.extend(
        structure
            .preamble
            .iter()
            .map(|p| markdown::paragraph(&p.text)),
    );

    let front = front_matter(
        &header, title, &closing, &remarks, disclosure, &structure, first_line, &mut notes,
    );

    let mut markdown = front.render();
    for block in &preamble {
        markdown.push('\n');
        markdown.push_str(block);
        markdown.push('\n');
    }
    for node in &structure.nodes {
        markdown.push('\n');
        match node {
            Node::Heading(h) => {
                let separator = if matches!(h.kind, Kind::Chapter | Kind::Section) {
                    " "
                } else {
                    ""
                };
                markdown.push_str(&markdown::heading(
                    h.depth, &h.label, separator, &h.title, &h.id,
                ));
            }
            Node::Para(p) => markdown.push_str(&markdown::paragraph(&p.text)),
        }
        markdown.push('\n');
    }

    let mut notes = notes.0;
    notes.sort_by_key(|n| n.line);
    Imported { markdown, notes }
}

/// Notes lines that were left out of the document.
fn left_out(notes: &mut Notes, lines: &[Line], what: &str) {
    if let (Some(first), Some(last)) = (lines.first(), lines.last()) {
        notes.add(
            code::LEFT_OVER,
            first.no,
            format!(
                "{what}: lines {}–{} ({}…); import it separately if it is needed",
                first.no,
                last.no,
                first.text.chars().take(20).collect::<String>()
            ),
        );
    }
}

/// Where an attachment starts in the lines after the header.
#[derive(Debug)]
struct AttachmentStart {
    index: usize,
    /// True when `lines[index]` is a marker line (`附件`, `附件：X`) rather than the title itself.
    marker: bool,
    /// The title written on the marker line: `附件：云溪市2021年政务公开工作要点`.
    title: Option<String>,
}

/// Finds the attachment: a line `附件` (or `附件1`) on its own; or, after the notice's date, a
/// line `附件：X` or a line that repeats the name the title announces (`关于印发《X》的通知` … `X`).
/// Before the date, `附件：X` is the attachment note of the notice, not the attachment.
fn find_attachment(lines: &[Line], title: Option<&str>) -> Option<AttachmentStart> {
    if let Some(index) = lines
        .iter()
        .position(|l| layout::is_attachment_marker(&l.text))
    {
        return Some(AttachmentStart {
            index,
            marker: true,
            title: None,
        });
    }
    let date = lines
        .iter()
        .position(|l| numeral::date_line(&l.text).is_some())?;
    let after = &lines[date + 1..];
    if let Some((k, name)) = after
        .iter()
        .enumerate()
        .find_map(|(k, l)| Some((k, layout::titled_attachment_marker(&l.text)?)))
    {
        return Some(AttachmentStart {
            index: date + 1 + k,
            marker: true,
            title: Some(name),
        });
    }
    let name = announced_name(title?)?;
    let k = after
        .iter()
        .position(|l| l.text.trim_start_matches('《').trim_end_matches('》') == name)?;
    Some(AttachmentStart {
        index: date + 1 + k,
        marker: false,
        title: None,
    })
}

/// Verbs of a notice that issues another document (印发, 转发 …).
const ISSUING_VERBS: &[&str] = &["印发", "转发", "批转", "发布", "公布", "颁发", "颁布"];

/// The name of the document a title announces: `关于印发《X》的通知` → `X`.
fn announced_name(title: &str) -> Option<String> {
    let (verb_at, verb) = ISSUING_VERBS
        .iter()
        .filter_map(|v| title.find(v).map(|i| (i, *v)))
        .min()?;
    let after = &title[verb_at + verb.len()..];
    let name = &after[..after.rfind('的')?];
    let name = name.trim_start_matches('《').trim_end_matches('》');
    (!name.is_empty()).then(|| name.to_owned())
}

/// True when the attachment, not the notice, is the real document: the notice issues it, or it
/// has more numbered points than the notice.
fn use_attachment(title: Option<&str>, notice: &[Line], attachment: &[Line]) -> bool {
    if attachment.is_empty() {
        return false;
    }
    let issues = title.is_some_and(|t| ISSUING_VERBS.iter().any(|v| t.contains(v)));
    let numbered = |lines: &[Line]| {
        lines
            .iter()
            .filter(|l| numbering::parse(&l.text).is_some())
            .count()
    };
    issues || numbered(attachment) > numbered(notice)
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
    let title = match title {
        Some((t, _)) => t,
        None => {
            notes.add(
                code::NO_TITLE,
                first_line,
                format!(
                    "no title was recognised; `{PLACEHOLDER_TITLE}` was written: put the title in the front matter"
                ),
            );
            PLACEHOLDER_TITLE.to_owned()
        }
    };

    let number: Option<&DocNumber> = header.doc_number.as_ref();
    if number.is_none() {
        notes.add(
            code::NO_NUMBER,
            first_line,
            "no document number (文号, like 云政办发〔2021〕39号) was found; add doc_number if the document has one",
        );
    }

    let mut issued = None;
    let after_title = header.addressee.as_ref().map_or(title_line, |a| a.1);
    match &closing.date {
        Some((found, line)) => match found.date() {
            Some(date) => issued = Some(date),
            None => notes.add(
                code::NO_DATE,
                *line,
                format!(
                    "the date {}年{}月{}日 is not a calendar date; issued was left out",
                    found.year, found.month, found.day
                ),
            ),
        },
        None => {
            let from_remark = remarks.iter().find_map(|(text, line)| {
                numeral::find_dates(text)
                    .first()
                    .and_then(|d| d.date())
                    .map(|d| (d, *line))
            });
            match from_remark {
                Some((date, line)) => {
                    issued = Some(date);
                    notes.add(
                        code::DATE_ELSEWHERE,
                        line,
                        format!(
                            "no signature date was found; issued = {date} was taken from the note under the title"
                        ),
                    );
                }
                None => notes.add(
                    code::NO_DATE,
                    after_title,
                    "no date (成文日期, like 2021年6月2日) was found; add issued by hand",
                ),
            }
        }
    }

    let issuer = match (&header.issuer, &closing.signature) {
        (Some((mark, _)), _) => Some(mark.clone()),
        (None, Some((signature, _))) => Some(signature.clone()),
        (None, None) => {
            notes.add(
                code::NO_ISSUER,
                first_line,
                "no issuing body (发文机关) was found, neither above the number nor above the date; add issuer by hand",
            );
            None
        }
    };

    let disclosure = match disclosure {
        Some((d, _)) => d,
        None => {
            notes.add(
                code::NO_DISCLOSURE,
                closing.date.as_ref().map_or(first_line, |d| d.1),
                "no disclosure annotation like （此件公开发布） was found; disclosure = \"public\" was assumed",
            );
            Disclosure::Public
        }
    };

    let effective = effective_date(remarks, structure, issued, notes);

    let status = if ["征求意见稿", "草案", "送审稿"]
        .iter()
        .any(|w| title.contains(w))
    {
        notes.add(
            code::DRAFT,
            title_line,
            "the title marks a draft: status = \"draft\"; add a [consultation] table to open it for comments",
        );
        "draft"
    } else {
        "in-force"
    };

    let id = match (number, issued) {
        (
            Some(DocNumber {
                ascii_prefix,
                year: Some(year),
                serial,
                ..
            }),
            _,
        ) => {
            let prefix = if ascii_prefix.is_empty() {
                "doc"
            } else {
                ascii_prefix
            };
            format!("{prefix}-{year}-{serial}")
        }
        (_, Some(date)) => format!("doc-{:04}{:02}{:02}", date.year, date.month, date.day),
        (Some(number), None) => format!("doc-{}", number.serial),
        (None, None) => {
            notes.add(
                code::FALLBACK_ID,
                first_line,
                "neither a document number nor a date to derive the id from: id = \"doc-import\"; choose a unique id",
            );
            "doc-import".to_owned()
        }
    };

    markdown::FrontMatter {
        id,
        title,
        doc_number: number.map(|n| n.text.clone()),
        issuer,
        issued,
        effective,
        status,
        disclosure: match disclosure {
            Disclosure::Public => "public",
            Disclosure::OnRequest => "on-request",
            Disclosure::Restricted => "restricted",
        },
    }
}

/// The effective date a sentence like `本办法自2021年8月1日起施行` or `自印发之日起施行` states;
/// the last such sentence wins (it is usually the final article).
fn effective_date(
    remarks: &[(String, u32)],
    structure: &Structure,
    issued: Option<Date>,
    notes: &mut Notes,
) -> Option<Date> {
    let texts =
        remarks
            .iter()
            .map(|(t, l)| (t.as_str(), *l))
            .chain(structure.nodes.iter().filter_map(|n| match n {
                Node::Para(p) => Some((p.text.as_str(), p.line)),
                Node::Heading(_) => None,
            }));
    let mut found = None;
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
            && [
                "自印发之日起施行",
                "自发布之日起施行",
                "自公布之日起施行",
                "自印发之日起实施",
                "自发布之日起实施",
            ]
            .iter()
            .any(|p| text.contains(p))
        {
            found = Some((d, line));
        }
    }
    let (date, line) = found?;
    notes.add(
        code::EFFECTIVE,
        line,
        format!("effective = {date} was read from this sentence; check it"),
    );
    Some(date)
}
