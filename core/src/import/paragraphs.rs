//! Joining lines back into paragraphs.
//!
//! A PDF breaks every printed line and every page; Word text breaks only paragraphs, but pasted
//! pages still bring page numbers in mid-sentence. This module decides, for each pair of lines,
//! whether the second continues the first. It looks at the layout of the whole text first: whether
//! lines are hard-wrapped at a fixed width (PDF) and whether paragraphs are marked by indentation.

use super::normalize::{Line, ends_sentence};
use super::numbering;
use super::numeral;

/// A paragraph of the input: joined text and the line it starts on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Para {
    pub line: u32,
    /// The text of a paragraph; empty for a table.
    pub text: String,
    /// The rows of a table (lines laid out in columns), when the paragraph is one.
    pub table: Option<Table>,
    /// True for a numbered line that is not a provision: an item of the attachment note
    /// (`附件：1.检查表` ⏎ `2.联系人回执`).
    pub plain: bool,
}

/// Lines laid out in columns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    pub rows: Vec<Vec<String>>,
    /// The last input line of the table.
    pub last_line: u32,
    /// True for a form whose lines show no columns: kept line by line in a fenced block.
    pub form: bool,
}

impl Table {
    /// True when every row has the same number of cells, so the columns are clear.
    pub fn regular(&self) -> bool {
        !self.form && self.rows.windows(2).all(|w| w[0].len() == w[1].len())
    }
}

impl Para {
    pub fn text(line: u32, text: impl Into<String>) -> Para {
        Para {
            line,
            text: text.into(),
            table: None,
            plain: false,
        }
    }
}

/// What the text's layout says about line breaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    /// The width in columns at which lines were wrapped, when most long lines share it.
    pub wrap: Option<usize>,
    /// True when paragraphs start with indentation, so an unindented line continues the one above.
    pub indents: bool,
    /// True when a blank line ends a paragraph (web copies, Word exports); false when
    /// indentation marks paragraphs, and for a hard-wrapped text that puts a blank line after
    /// almost every line (many of them long lines cut mid-sentence): there a blank line says
    /// nothing.
    pub blanks: bool,
}

impl Layout {
    pub fn detect(lines: &[Line]) -> Layout {
        let mut widths: Vec<usize> = lines.iter().map(|l| l.width).filter(|&w| w >= 20).collect();
        let wrap = if widths.len() >= 8 {
            widths.sort_unstable_by(|a, b| b.cmp(a));
            let w = widths[widths.len() / 5];
            let full = widths.iter().filter(|&&x| x + 4 >= w && x <= w + 2).count();
            (w <= 120 && full * 2 >= widths.len()).then_some(w)
        } else {
            None
        };
        let indented = lines.iter().filter(|l| l.indented).count();
        let indents = indented >= 3 && indented * 100 >= lines.len() * 15;
        // A hard-wrapped text with a blank line after every line breaks long lines mid-sentence
        // at blank lines; a web copy breaks at the end of sentences and headings.
        let blank = lines.iter().filter(|l| l.blank_before).count();
        let mid_sentence = lines
            .windows(2)
            .filter(|w| w[1].blank_before && w[0].width >= 50 && !ends_sentence(&w[0].text))
            .count();
        Layout {
            wrap,
            indents,
            blanks: !indents
                && (wrap.is_none() || blank * 10 < lines.len() * 6)
                && (mid_sentence < 3 || mid_sentence * 8 <= blank),
        }
    }

    /// True when `next` continues the paragraph whose last line is `prev`.
    pub fn continues(&self, prev: &Line, next: &Line) -> bool {
        if starts_block(&next.text)
            || next.split
            || (self.indents && next.indented)
            || prev.text.starts_with("附件")
        {
            return false;
        }
        if ends_clause(&prev.text) {
            return true;
        }
        if self.blanks && next.blank_before {
            return false;
        }
        let full = self.wrap.is_some_and(|w| prev.width + 4 >= w);
        if ends_sentence(&prev.text) {
            // A full printed line can end at a full stop while its paragraph goes on; indentation
            // is the only way to tell. A semicolon at the end of a full line is only where the
            // line was wrapped: the items of one sentence go on.
            return full && (self.indents || prev.text.ends_with('；'));
        }
        if self.indents {
            // An unindented line after an unfinished sentence continues it, unless the line
            // above is a short heading of its own.
            return full || !heading_like(&prev.text);
        }
        if self.wrap.is_some() {
            return full;
        }
        !heading_like(&prev.text)
    }
}

/// True when `lines[k]` is a row of a table: laid out in columns, next to another such line.
pub fn is_row(lines: &[Line], k: usize) -> bool {
    let columns = |l: &Line| !l.cells.is_empty();
    lines.get(k).is_some_and(columns)
        && (k
            .checked_sub(1)
            .and_then(|p| lines.get(p))
            .is_some_and(columns)
            || lines.get(k + 1).is_some_and(columns))
}

/// Joins lines into paragraphs; runs of at least two rows laid out in columns become tables.
pub fn join(lines: &[Line], layout: &Layout) -> Vec<Para> {
    let mut out: Vec<Para> = Vec::new();
    let mut prev: Option<&Line> = None;
    for (k, line) in lines.iter().enumerate() {
        if is_row(lines, k) {
            match out.last_mut() {
                Some(Para {
                    table: Some(table), ..
                }) if prev.is_some_and(|p| !p.cells.is_empty()) => {
                    table.rows.push(line.cells.clone());
                    table.last_line = line.no;
                }
                _ => out.push(Para {
                    line: line.no,
                    text: String::new(),
                    plain: false,
                    table: Some(Table {
                        rows: vec![line.cells.clone()],
                        last_line: line.no,
                        form: false,
                    }),
                }),
            }
            prev = Some(line);
            continue;
        }
        if out.last().is_some_and(|p| p.table.is_some()) {
            out.push(Para::text(line.no, line.text.clone()));
            prev = Some(line);
            continue;
        }
        match out.last_mut() {
            Some(last) if prev.is_some_and(|p| layout.continues(p, line)) => {
                let ascii_seam = last.text.ends_with(|c: char| c.is_ascii_alphanumeric())
                    && line.text.starts_with(|c: char| c.is_ascii_alphanumeric());
                if ascii_seam {
                    last.text.push(' ');
                }
                last.text.push_str(&line.text);
            }
            _ => {
                let plain = out.last().is_some_and(|p| {
                    (p.text.starts_with("附件：") || p.plain) && attachment_item(&line.text)
                });
                out.push(Para {
                    plain,
                    ..Para::text(line.no, line.text.clone())
                });
            }
        }
        prev = Some(line);
    }
    out
}

/// True for an item of the attachment note: `2.联系人回执`, a short numbered name.
fn attachment_item(text: &str) -> bool {
    numbering::parse(text).is_some_and(|l| {
        l.kind == numbering::Kind::Arabic
            && l.rest.chars().count() <= 40
            && !l.rest.contains(['。', '，', '；'])
    })
}

/// True when a line starts something new whatever precedes it: a numbered item, a date line, or
/// the attachment note.
pub fn starts_block(text: &str) -> bool {
    numbering::parse(text).is_some()
        || numeral::date_line(text).is_some()
        || text.starts_with("附件：")
        || super::layout::is_attachment_marker(text)
}

/// True when the text stops inside a sentence, after a comma or an opening bracket.
fn ends_clause(text: &str) -> bool {
    text.ends_with(['，', '、', '“', '《', '（', '‘', ','])
}

/// A short numbered line without any full stop: a heading on a line of its own (`一、总体要求`).
/// `（二）加强监督。各部门要定期检查，及时` is not one: it was cut off by a page break.
/// An article (`第二条 本细则适用于……`) has no title: a short first line of one was wrapped.
fn heading_like(text: &str) -> bool {
    numbering::parse(text).is_some_and(|l| {
        l.kind != numbering::Kind::Article
            && l.rest.chars().count() <= 30
            && !l.rest.contains(['。', '；'])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(no: u32, text: &str, indented: bool, width: usize) -> Line {
        Line {
            no,
            text: text.to_owned(),
            indented,
            width,
            blank_before: false,
            split: false,
            cells: Vec::new(),
            changes: 0,
        }
    }

    #[test]
    fn word_text_joins_only_mid_sentence() {
        let layout = Layout {
            wrap: None,
            indents: false,
            blanks: true,
        };
        let lines = [
            line(1, "一、总体要求", false, 12),
            line(
                2,
                "以习近平新时代中国特色社会主义思想为指导，坚持以",
                false,
                50,
            ),
            line(4, "人民为中心。", false, 12),
            line(5, "二、重点任务", false, 12),
        ];
        let paras: Vec<String> = join(&lines, &layout).into_iter().map(|p| p.text).collect();
        assert_eq!(
            paras,
            [
                "一、总体要求",
                "以习近平新时代中国特色社会主义思想为指导，坚持以人民为中心。",
                "二、重点任务"
            ]
        );
    }

    #[test]
    fn pdf_text_joins_full_lines() {
        let layout = Layout {
            wrap: Some(56),
            indents: true,
            blanks: false,
        };
        let lines = [
            line(1, "一、总体要求", true, 16),
            line(
                2,
                "各县（区）要对照标准指引。梳理细化本地区事项标准目",
                true,
                56,
            ),
            line(
                3,
                "录，并于年底前完成。全面推进基层政务公开标准化规范。",
                false,
                56,
            ),
            line(4, "化建设。", false, 8),
            line(5, "二、重点任务", true, 16),
        ];
        let paras: Vec<u32> = join(&lines, &layout).into_iter().map(|p| p.line).collect();
        assert_eq!(paras, [1, 2, 5]);
    }
}
