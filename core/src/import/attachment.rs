//! Attachments (附件): which one is the document, and what happens to the others.
//!
//! Many documents are published wrapped in a notice that issues them (`关于印发《X》的通知`,
//! two sentences, signature and date, then X). The document people read and comment on is X, so
//! it is imported as the document; it is found by the name the notice's title quotes, even when
//! no `附件` line announces it and its title wraps over two lines, and it is preferred over forms
//! attached after it. Every other attachment (a form, a list, a reply slip) is kept at the end
//! as a section of its own, so nothing of the official text is lost.

use super::layout;
use super::normalize::Line;
use super::numbering;
use super::numeral::{self, parse_number};
use super::paragraphs::{self, Layout, Para, Table};

/// Where the attachment that may be the document starts in the lines after the header.
#[derive(Debug)]
pub struct Start {
    pub index: usize,
    /// True when `lines[index]` is a marker line (`附件`, `附件：X`) rather than the title itself.
    pub marker: bool,
    /// The attachment's title, when the marker line or the notice's title gives it.
    pub title: Option<String>,
}

/// An attachment kept at the end of the document as a section of its own.
#[derive(Clone, Debug)]
pub struct Attachment {
    /// The marker as written, `附件2`.
    pub marker: String,
    pub title: Option<String>,
    /// The line of the marker.
    pub line: u32,
    pub lines: Vec<Line>,
    /// The heading id, `att2`.
    pub id: String,
    /// True for a form (its title ends with `表`) whose lines show no columns.
    pub form: bool,
}

impl Attachment {
    /// `附件2 XX审批表`.
    pub fn heading_text(&self) -> String {
        match &self.title {
            Some(t) => format!("{} {t}", self.marker),
            None => self.marker.clone(),
        }
    }

    /// The first and last input lines of the attachment.
    pub fn line_range(&self) -> (u32, u32) {
        (self.line, self.lines.last().map_or(self.line, |l| l.no))
    }
}

/// Verbs of a notice that issues another document (印发, 转发 …).
const ISSUING_VERBS: &[&str] = &["印发", "转发", "批转", "发布", "公布", "颁发", "颁布"];

/// Finds the attachment that may be the document: after the notice's date, the lines that
/// repeat the name the title quotes (`关于印发《X》的通知` … `X`, over up to four lines, maybe
/// under a `附件` line); else a line `附件` (or `附件1`) on its own; else, after the date, a line
/// `附件：X`. Before the date, `附件：X` is the attachment note of the notice, not the attachment.
pub fn find(lines: &[Line], title: Option<&str>) -> Option<Start> {
    let date = lines
        .iter()
        .position(|l| numeral::date_line(&l.text).is_some());
    let from = date.map_or(0, |d| d + 1);
    if let Some(name) = title.and_then(announced_name)
        && let Some(k) = (from..lines.len()).find(|&k| repeats(&lines[k..], &name).is_some())
    {
        let marked = k > from && layout::is_attachment_marker(&lines[k - 1].text);
        return Some(Start {
            index: if marked { k - 1 } else { k },
            marker: marked,
            title: Some(name),
        });
    }
    if let Some(index) = lines
        .iter()
        .position(|l| layout::is_attachment_marker(&l.text))
    {
        return Some(Start {
            index,
            marker: true,
            title: None,
        });
    }
    let (k, name) = lines
        .iter()
        .enumerate()
        .skip(from)
        .find_map(|(k, l)| Some((k, layout::titled_attachment_marker(&l.text)?)))?;
    date?;
    Some(Start {
        index: k,
        marker: true,
        title: Some(name),
    })
}

/// How many lines from the start of `lines` spell `name` (up to four, joined).
fn repeats(lines: &[Line], name: &str) -> Option<usize> {
    let mut joined = String::new();
    for (m, line) in lines.iter().take(4).enumerate() {
        joined.push_str(&line.text);
        let bare = joined.trim_start_matches('《').trim_end_matches('》');
        if bare == name {
            return Some(m + 1);
        }
        if !name.starts_with(bare) {
            return None;
        }
    }
    None
}

/// The name of the document a title announces: `关于印发《X》的通知` → `X`.
pub fn announced_name(title: &str) -> Option<String> {
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
pub fn issues(title: Option<&str>, notice: &[Line], attachment: &[Line]) -> bool {
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

/// Removes the marker line and the title lines from the attachment that is the document, and
/// returns its title when it was known from the marker or the notice's title.
pub fn take_head(attachment: &mut Vec<Line>, start: &Start) -> Option<String> {
    if start.marker && !attachment.is_empty() {
        attachment.remove(0);
    }
    let name = start.title.clone()?;
    if let Some(m) = repeats(attachment, &name) {
        attachment.drain(..m);
    }
    Some(name)
}

/// Splits off every further attachment (from the first `附件2`-like marker line on), each kept
/// as a section.
pub fn split_further(lines: &mut Vec<Line>) -> Vec<Attachment> {
    let is_marker = |l: &Line| {
        layout::is_attachment_marker(&l.text) || numbered_titled_marker(&l.text).is_some()
    };
    let Some(first) = lines.iter().position(is_marker) else {
        return Vec::new();
    };
    let rest = lines.split_off(first);
    let mut out: Vec<Attachment> = Vec::new();
    let mut current: Vec<Line> = Vec::new();
    for line in rest {
        if is_marker(&line) && !current.is_empty() {
            out.push(section(std::mem::take(&mut current), out.len()));
        }
        current.push(line);
    }
    if !current.is_empty() {
        out.push(section(current, out.len()));
    }
    out
}

/// An attachment that was found by its name but is not the document (the notice is): kept like
/// the others, under a plain `附件` marker.
pub fn unmarked(lines: Vec<Line>) -> Attachment {
    let line = lines.first().map_or(1, |l| l.no);
    let mut a = titled(lines, "附件".to_owned(), None, 0);
    a.line = line;
    a
}

/// `附件2：X` → (`附件2`, `X`); only with a number, so that `附件：` notes stay text.
fn numbered_titled_marker(text: &str) -> Option<(String, String)> {
    let rest = text.strip_prefix("附件")?;
    let digits: String = rest
        .chars()
        .take_while(|&c| numeral::is_numeral_char(c))
        .collect();
    if digits.is_empty() {
        return None;
    }
    let name = layout::titled_attachment_marker(text)?;
    Some((format!("附件{digits}"), name))
}

/// A section from its lines, the first of which is the marker.
fn section(mut lines: Vec<Line>, index: usize) -> Attachment {
    let marker_line = lines.remove(0);
    let (marker, title) = match numbered_titled_marker(&marker_line.text) {
        Some((marker, name)) => (marker, Some(name)),
        None => (marker_line.text.replace(' ', ""), None),
    };
    let mut a = titled(lines, marker, title, index);
    a.line = marker_line.no;
    a
}

/// Reads the title (unless known) and decides the id and whether it is a form.
fn titled(mut lines: Vec<Line>, marker: String, title: Option<String>, index: usize) -> Attachment {
    // One line only: a form's title is often followed by its first row, which reads like more title.
    let title = title.or_else(|| {
        let (title, _, _) = layout::take_title(&lines[..lines.len().min(1)], 0)?;
        lines.remove(0);
        Some(title)
    });
    let number = marker
        .strip_prefix("附件")
        .and_then(parse_number)
        .unwrap_or(u32::try_from(index + 1).unwrap_or(u32::MAX));
    let form = title
        .as_deref()
        .is_some_and(|t| t.trim_end_matches(['）', ')']).ends_with('表') || t.ends_with('表'))
        && lines.iter().all(|l| l.cells.is_empty());
    Attachment {
        marker,
        title,
        line: 0,
        lines,
        id: format!("att{number}"),
        form,
    }
}

/// The attachment's text: a form as one fenced block of its lines as they are, anything else
/// as paragraphs (and tables where lines show columns).
pub fn blocks(a: &Attachment, layout: &Layout) -> Vec<Para> {
    if !a.form {
        return paragraphs::join(&a.lines, layout);
    }
    let Some(first) = a.lines.first() else {
        return Vec::new();
    };
    vec![Para {
        line: first.no,
        text: String::new(),
        plain: false,
        table: Some(Table {
            rows: a.lines.iter().map(|l| vec![l.text.clone()]).collect(),
            last_line: a.lines.last().map_or(first.no, |l| l.no),
            form: true,
        }),
    }]
}

/// Makes the ids of the attachments unique (`att1`, `att1_2`).
pub fn unique_ids(attachments: &mut [Attachment]) {
    let mut used = std::collections::HashSet::new();
    for a in attachments {
        let base = a.id.clone();
        let mut k = 1;
        while !used.insert(a.id.clone()) {
            k += 1;
            a.id = format!("{base}_{k}");
        }
    }
}
