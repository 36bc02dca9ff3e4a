//! Text that lost every line break.
//!
//! A common web copy of an official document is one long line: the page put every paragraph in
//! its own element and the copy kept none of the breaks. The rest of the import reads lines, so
//! this module cuts such a line again where the markers leave no doubt: at `第X章`, `第X节`,
//! `第X条`, `一、` and `（一）` when each is the next number in its sequence and stands where a
//! paragraph can start (after a full stop or a colon, or an article right after its chapter's
//! title), after the title and the document number, after the addressees, and before the
//! signature, the date and the disclosure annotation at the end. A line with fewer than two such
//! markers is left alone: without them nothing says where paragraphs began.

use super::layout;
use super::normalize::Line;
use super::numbering::CITATION_CONTINUES;
use super::numeral::{self, is_cn_numeral_char, is_numeral_char, parse_number};
use super::{Notes, code};

/// Shortest line considered for recovery: a real paragraph is rarely longer.
const FLAT_MIN: usize = 200;

/// Cuts lines that lost their line breaks into the paragraphs they had.
pub fn split(lines: Vec<Line>, notes: &mut Notes) -> Vec<Line> {
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        let chars: Vec<char> = line.text.chars().collect();
        if chars.len() < FLAT_MIN {
            out.push(line);
            continue;
        }
        let (markers, mut cuts) = markers(&chars);
        if markers < 2 {
            out.push(line);
            continue;
        }
        let first = cuts.first().copied().unwrap_or(chars.len());
        let last = cuts.last().copied().unwrap_or(0);
        cuts.extend(head_cuts(&chars[..first]));
        cuts.extend(tail_cuts(&chars, last));
        cuts.sort_unstable();
        cuts.dedup();
        let mut pieces = 0;
        let mut start = 0;
        for end in cuts.into_iter().chain([chars.len()]) {
            let text: String = chars[start..end].iter().collect();
            let text = text.trim();
            if !text.is_empty() {
                out.push(Line {
                    text: text.to_owned(),
                    split: pieces > 0,
                    blank_before: pieces == 0 && line.blank_before,
                    cells: Vec::new(),
                    ..line.clone()
                });
                pieces += 1;
            }
            start = end;
        }
        notes.add(
            code::FLAT,
            line.no,
            format!(
                "this line had lost its line breaks: it was cut into {pieces} paragraphs at the \
                 numbering (第X条, 一、 …), after the title and addressees and before the signature \
                 and date; check the structure"
            ),
            format!(
                "此行丢失了换行：已在编号（第X条、一、……）处、标题和主送机关之后、署名和日期之前切分为 \
                 {pieces} 段，请核对结构"
            ),
        );
    }
    out
}

/// The next expected number of each kind of marker.
#[derive(Default)]
struct Expected {
    chapter: u32,
    section: u32,
    article: u32,
    top: u32,
    paren: u32,
}

/// The positions where a marker starts a paragraph, and how many markers there are.
fn markers(chars: &[char]) -> (usize, Vec<usize>) {
    let mut next = Expected {
        chapter: 1,
        section: 1,
        article: 1,
        top: 1,
        paren: 1,
    };
    let mut cuts = Vec::new();
    // Where the last chapter or section title started: an article may follow it directly.
    let mut heading_at: Option<usize> = None;
    for i in 0..chars.len() {
        let after_stop = i == 0 || matches!(chars[i - 1], '。' | '：' | ' ' | '；');
        let after_heading = heading_at.is_some_and(|h| {
            i - h <= 40 && !chars[h..i].contains(&'。') && !chars[h..i].contains(&'，')
        });
        if chars[i] == '第' {
            let Some((unit, n, end)) = ordinal(chars, i) else {
                continue;
            };
            // The first chapter or article may follow the title directly (`……办法第一章总则`).
            let after_stop = after_stop || (cuts.is_empty() && n == 1);
            let accepted = match unit {
                '章' if n == next.chapter && after_stop => {
                    next.chapter += 1;
                    next.section = 1;
                    true
                }
                '节' if n == next.section && (after_stop || after_heading) => {
                    next.section += 1;
                    true
                }
                '条' if n == next.article
                    && (after_stop || after_heading)
                    && !chars
                        .get(end)
                        .is_some_and(|c| CITATION_CONTINUES.contains(*c)) =>
                {
                    next.article += 1;
                    false
                }
                _ => continue,
            };
            heading_at = accepted.then_some(i);
            cuts.push(i);
        } else if is_cn_numeral_char(chars[i]) && after_stop {
            let end = run(chars, i, is_cn_numeral_char);
            if chars.get(end) == Some(&'、') && value(&chars[i..end]) == Some(next.top) {
                next.top += 1;
                next.paren = 1;
                heading_at = Some(i);
                cuts.push(i);
            }
        } else if chars[i] == '（'
            && i > 0
            && (matches!(chars[i - 1], '。' | '：') || after_heading)
        {
            let end = run(chars, i + 1, is_cn_numeral_char);
            if end > i + 1
                && chars.get(end) == Some(&'）')
                && value(&chars[i + 1..end]) == Some(next.paren)
            {
                next.paren += 1;
                heading_at = None;
                cuts.push(i);
            }
        }
    }
    (cuts.len(), cuts)
}

/// `第X章`, `第X节` or `第X条` at `i`: the unit, the number and the index after the unit.
fn ordinal(chars: &[char], i: usize) -> Option<(char, u32, usize)> {
    let end = run(chars, i + 1, is_numeral_char).min(i + 7);
    let unit = *chars.get(end).filter(|c| matches!(c, '章' | '节' | '条'))?;
    let n = value(&chars[i + 1..end]).filter(|&n| n > 0)?;
    Some((unit, n, end + 1))
}

fn run(chars: &[char], start: usize, pred: impl Fn(char) -> bool) -> usize {
    let mut i = start;
    while i < chars.len() && i - start < 6 && pred(chars[i]) {
        i += 1;
    }
    i
}

fn value(chars: &[char]) -> Option<u32> {
    parse_number(&chars.iter().collect::<String>())
}

/// Cuts in the text before the first marker: after the title (it ends with a genre word after
/// `关于`, outside `《》`), after a document number that follows it, and after the addressees.
fn head_cuts(head: &[char]) -> Vec<usize> {
    let mut cuts = Vec::new();
    let Some(title_end) = title_end(head) else {
        return cuts;
    };
    cuts.push(title_end);
    let mut at = title_end;
    // A document number right after the title: `国办发〔2021〕3号`.
    if let Some(k) = (at..head.len().min(at + 30)).find(|&k| head[k] == '号') {
        let candidate: String = head[at..=k].iter().collect();
        if layout::parse_doc_number(&candidate, 0).is_some() {
            cuts.push(k + 1);
            at = k + 1;
        }
    }
    if let Some(colon) = (at..head.len().min(at + 100)).find(|&k| head[k] == '：')
        && !head[at..colon].contains(&'。')
    {
        cuts.push(colon + 1);
    }
    cuts
}

/// The end of a title at the start of the text: the first genre word (通知, 意见 …) after
/// `关于`, outside book-title marks, within the first 80 characters.
fn title_end(head: &[char]) -> Option<usize> {
    let text: String = head.iter().take(80).collect();
    let about = text.find("关于")?;
    let mut depth = 0i32;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(byte, c)) in chars.iter().enumerate() {
        match c {
            '《' => depth += 1,
            '》' => depth -= 1,
            _ => {}
        }
        if byte <= about || depth > 0 {
            continue;
        }
        let before = &text[..byte + c.len_utf8()];
        if layout::GENRES.iter().any(|g| before.ends_with(g)) {
            // `（试行）` right after the genre word belongs to the title.
            let rest = &text[before.len()..];
            let extra = ["（试行）", "（暂行）", "（征求意见稿）"]
                .iter()
                .find(|p| rest.starts_with(*p))
                .map_or(0, |p| p.chars().count());
            return Some(k + 1 + extra);
        }
    }
    None
}

/// Cuts at the end: before the disclosure annotation, the date and the signature above it.
fn tail_cuts(chars: &[char], last_marker: usize) -> Vec<usize> {
    let mut cuts = Vec::new();
    let text: String = chars.iter().collect();
    let mut end = chars.len();
    if let Some(byte) = text.rfind("（此件") {
        let at = text[..byte].chars().count();
        if at > last_marker {
            cuts.push(at);
            end = at;
        }
    }
    let tail: String = chars[last_marker..end].iter().collect();
    let Some(date) = numeral::find_dates(&tail).into_iter().last() else {
        return cuts;
    };
    let tail_chars: Vec<char> = tail.chars().collect();
    if tail_chars[date.end..].iter().any(|c| !c.is_whitespace()) {
        return cuts;
    }
    let date_at = last_marker + date.start;
    cuts.push(date_at);
    if let Some(stop) = chars[last_marker..date_at].iter().rposition(|&c| c == '。') {
        let signature_at = last_marker + stop + 1;
        let name: String = chars[signature_at..date_at].iter().collect();
        if !name.trim().is_empty() && name.trim().split('、').all(layout::is_organ) {
            cuts.push(signature_at);
        }
    }
    cuts
}
