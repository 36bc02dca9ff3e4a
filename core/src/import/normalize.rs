//! Clean lines out of pasted text.
//!
//! Text copied out of Word or a PDF carries the accidents of its layout: page numbers between the
//! lines (`— 3 —`, `第 3 页 共 8 页`), form feeds, CRLF, tabs and ideographic spaces used for
//! indentation, spaces that PDF extraction puts inside `2021 年`, and half-width punctuation typed
//! in Chinese text. Every later step works on the clean lines this module produces, each still
//! carrying its 1-based line number in the input so notes can point back at it.

/// One non-empty line of the input after normalisation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// 1-based line number in the input.
    pub no: u32,
    /// The normalised text, never empty, without leading or trailing spaces.
    pub text: String,
    /// True when the line was indented by at least two columns (a paragraph's first line in the
    /// official layout, or a centred line).
    pub indented: bool,
    /// Display columns the line took in the input, indentation included (CJK characters count 2).
    pub width: usize,
    /// True when a blank line (not a page break) separates this line from the one above: in web
    /// copies and Word exports that ends a paragraph.
    pub blank_before: bool,
    /// True for a piece of a line that lost its line breaks, cut at a recovered paragraph start
    /// (see `flat`): it never continues the piece above.
    pub split: bool,
    /// The cells of a line laid out in columns (separated by tabs or runs of spaces), when it has
    /// at least two: a row of a table.
    pub cells: Vec<String>,
    /// What normalisation changed in the words of the line ([`Change`] bits).
    pub changes: u8,
}

/// Kinds of change normalisation makes to the words of a line, reported in a note so that no
/// change to the official text goes unsaid.
pub struct Change;

impl Change {
    /// Full-width letters or digits made ASCII (`２０２１` → `2021`).
    pub const WIDTH: u8 = 1;
    /// Half-width punctuation made full-width, straight quotes made curly.
    pub const PUNCTUATION: u8 = 2;
    /// Spaces inside the text removed (`2021 年` → `2021年`).
    pub const SPACES: u8 = 4;
    /// Invisible characters (zero-width spaces, control characters) removed.
    pub const INVISIBLE: u8 = 8;
}

/// True for characters set in full width: CJK ideographs, kana, full-width forms, CJK
/// punctuation and the typographic quotes and dashes Chinese text uses. Spaces next to them are
/// layout noise.
pub fn is_wide(c: char) -> bool {
    (c as u32) >= 0x2E80
        || matches!(
            c,
            '“' | '”'
                | '‘'
                | '’'
                | '—'
                | '…'
                | '·'
                | '–'
                | '―'
                | '○'
                | '●'
                | '★'
                | '☆'
                | '※'
        )
}

/// Display columns of a text: wide characters count two.
pub fn width(text: &str) -> usize {
    text.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

/// True when the text ends a sentence: `。；：！？…`, possibly followed by closing quotes. Here,
/// beside the punctuation it reads, because both the layout and the paragraph joiner ask it.
pub fn ends_sentence(text: &str) -> bool {
    let trimmed = text.trim_end_matches(['”', '’', '」', '』', '"']);
    trimmed.ends_with(['。', '；', '：', '！', '？', '…', ';', '!', '?'])
        || (trimmed.ends_with('）') && trimmed.trim_end_matches('）').ends_with(['。', '；']))
}

/// Splits the input into clean lines; blank lines, page numbers and ruling lines are dropped.
pub fn lines(input: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let (mut blank, mut page_break) = (false, false);
    for (i, raw) in split_lines(input).into_iter().enumerate() {
        let no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let indent = leading_width(raw);
        let (text, changes) = match joint_organs(raw) {
            Some(names) => (names, 0),
            None => normalize_tracked(raw),
        };
        if text.is_empty() {
            page_break |= raw.contains('\u{c}');
            blank = true;
            continue;
        }
        if is_page_number(&text) || is_rule(&text) {
            page_break = true;
            continue;
        }
        let width = indent + width(&text);
        out.push(Line {
            no,
            cells: cells(raw),
            text,
            indented: indent >= 2,
            width,
            blank_before: blank && !page_break,
            split: false,
            changes,
        });
        (blank, page_break) = (false, false);
    }
    out
}

/// A line naming several issuing bodies separated by spaces (`重庆市粮食局 重庆市财政局`), joined
/// with `、` as joint issuers are written; the spaces would otherwise be removed with the others.
fn joint_organs(raw: &str) -> Option<String> {
    let parts: Vec<String> = raw.split_whitespace().map(normalize_line).collect();
    (parts.len() >= 2
        && parts
            .iter()
            .all(|p| super::organ::is_organ(p) && !p.contains('、')))
    .then(|| parts.join("、"))
}

/// The cells of a row laid out in columns: pieces separated by a tab or by at least two columns
/// of spaces, when there are at least two, none of them a sentence (longer than 30 characters,
/// with a full stop, or stopping at a comma). A numbered line (`第一章　总　则`) is never a row.
fn cells(raw: &str) -> Vec<String> {
    let mut pieces: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut gap = 0;
    for c in raw.trim().chars() {
        let columns = match c {
            ' ' | '\u{a0}' => 1,
            '\t' => 4,
            '\u{3000}' => 2,
            _ => 0,
        };
        if columns > 0 {
            gap += columns;
            continue;
        }
        if gap >= 2 && !current.is_empty() {
            pieces.push(std::mem::take(&mut current));
        } else if gap > 0 {
            current.push(' ');
        }
        gap = 0;
        current.push(c);
    }
    if !current.is_empty() {
        pieces.push(current);
    }
    let pieces: Vec<String> = pieces.iter().map(|p| normalize_line(p)).collect();
    // Justified text (`pdftotext -layout`) has gaps too, but in sentences: long pieces, full stops.
    let sentence =
        |p: &String| p.chars().count() > 30 || p.contains('。') || p.ends_with(['，', '、', '；']);
    if pieces.len() < 2
        || super::numbering::parse(&pieces[0]).is_some()
        || pieces.iter().any(sentence)
    {
        return Vec::new();
    }
    pieces
}

/// [`normalize_line`], and what it changed in the words ([`Change`] bits).
fn normalize_tracked(raw: &str) -> (String, u8) {
    let text = normalize_line(raw);
    let trimmed = raw.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let mut changes = 0;
    if trimmed.chars().any(|c| {
        matches!(c, '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}')
    }) {
        changes |= Change::WIDTH;
    }
    let punctuation = |c: char| matches!(c, ',' | ';' | ':' | '?' | '!' | '.' | '(' | ')' | '"');
    if trimmed.chars().filter(|&c| punctuation(c)).count()
        != text.chars().filter(|&c| punctuation(c)).count()
    {
        changes |= Change::PUNCTUATION;
    }
    // Folding a run of spaces into one is layout; removing a run changes the words.
    let runs = trimmed
        .split(|c: char| c.is_whitespace())
        .filter(|p| !p.is_empty())
        .count()
        .saturating_sub(1);
    if runs > text.chars().filter(|&c| c == ' ').count() {
        changes |= Change::SPACES;
    }
    if trimmed.chars().any(|c| {
        matches!(
            c,
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
        ) || (c.is_control() && c != '\t')
    }) {
        changes |= Change::INVISIBLE;
    }
    (text, changes)
}

/// Lines separated by LF, CRLF or a lone CR, the way editors number them.
fn split_lines(input: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for piece in input.split('\n') {
        let piece = piece.strip_suffix('\r').unwrap_or(piece);
        out.extend(piece.split('\r'));
    }
    out
}

/// Columns of indentation: spaces, tabs, ideographic spaces and form feeds before the text.
fn leading_width(raw: &str) -> usize {
    let mut columns = 0;
    for c in raw.chars() {
        columns += match c {
            ' ' | '\u{a0}' => 1,
            '\t' => 4,
            '\u{3000}' => 2,
            '\u{c}' | '\u{feff}' | '\u{200b}' => 0,
            _ => break,
        };
    }
    columns
}

/// A placeholder for the space after `第X条` while other spaces are removed; it is a private-use
/// character, so it cannot occur in real text that matters.
const LABEL_GAP: char = '\u{E000}';

/// Normalises one line: full-width letters and digits to ASCII, every kind of space folded and
/// removed next to CJK text (kept as one space between ASCII words), half-width punctuation in
/// Chinese text made full-width, control and zero-width characters dropped. The space that
/// separates `第三条` from its text is kept, because it tells an article from a sentence that
/// starts by citing one (`第三条规定的……`).
pub fn normalize_line(raw: &str) -> String {
    let mut chars: Vec<char> = Vec::with_capacity(raw.len());
    for c in raw.chars() {
        let c = match c {
            '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | LABEL_GAP => continue,
            c if c.is_whitespace() => ' ',
            c if c.is_control() => continue,
            c => c,
        };
        chars.push(c);
    }
    mark_label_gap(&mut chars);

    let mut out: Vec<char> = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == ' ' {
            while i < chars.len() && chars[i] == ' ' {
                i += 1;
            }
            if let (Some(&before), Some(&after)) = (out.last(), chars.get(i))
                && !is_wide(before)
                && !is_wide(after)
            {
                out.push(' ');
            }
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    punctuate(&mut out);
    out.into_iter()
        .map(|c| if c == LABEL_GAP { ' ' } else { c })
        .collect()
}

/// Replaces the spaces after a leading `第X章`, `第X节` or `第X条` with [`LABEL_GAP`].
fn mark_label_gap(chars: &mut Vec<char>) {
    let mut i = 0;
    while chars.get(i) == Some(&' ') {
        i += 1;
    }
    if chars.get(i) != Some(&'第') {
        return;
    }
    i += 1;
    let mut numerals = 0;
    while let Some(&c) = chars.get(i) {
        if super::numeral::is_numeral_char(c) {
            numerals += 1;
        } else if c != ' ' {
            break;
        }
        i += 1;
    }
    if numerals == 0 || !matches!(chars.get(i), Some('章' | '节' | '条')) {
        return;
    }
    let gap_start = i + 1;
    let mut gap_end = gap_start;
    while chars.get(gap_end) == Some(&' ') {
        gap_end += 1;
    }
    if gap_end > gap_start && gap_end < chars.len() {
        chars.splice(gap_start..gap_end, [LABEL_GAP]);
    }
}

/// Makes half-width punctuation full-width where it sits in Chinese text.
fn punctuate(chars: &mut [char]) {
    let wide_at = |chars: &[char], i: Option<usize>| {
        i.and_then(|i| chars.get(i))
            .is_some_and(|&c| is_wide(c) && c != LABEL_GAP)
    };

    // Parentheses go in pairs: `(一)` and `(试行)` become `（一）` and `（试行）`.
    let mut convert = vec![false; chars.len()];
    let mut open: Vec<usize> = Vec::new();
    for i in 0..chars.len() {
        match chars[i] {
            '(' => open.push(i),
            ')' => {
                let near =
                    |i: usize| wide_at(chars, i.checked_sub(1)) || wide_at(chars, Some(i + 1));
                match open.pop() {
                    Some(o) if near(o) || near(i) => {
                        convert[o] = true;
                        convert[i] = true;
                    }
                    Some(_) => {}
                    None => convert[i] = near(i),
                }
            }
            _ => {}
        }
    }
    for o in open {
        convert[o] = wide_at(chars, o.checked_sub(1)) || wide_at(chars, Some(o + 1));
    }
    for (i, c) in chars.iter_mut().enumerate() {
        if convert[i] {
            *c = if *c == '(' { '（' } else { '）' };
        }
    }

    let numeral_prefix = |chars: &[char], i: usize| {
        chars[..i]
            .iter()
            .all(|&c| super::numeral::is_cn_numeral_char(c))
    };
    for i in 0..chars.len() {
        let prev_wide = wide_at(chars, i.checked_sub(1));
        let next_wide = wide_at(chars, Some(i + 1));
        let prev_digit = i.checked_sub(1).is_some_and(|p| chars[p].is_ascii_digit());
        let replacement = match chars[i] {
            ',' if prev_wide || next_wide => '，',
            ';' if prev_wide || next_wide => '；',
            ':' if prev_wide => '：',
            '?' if prev_wide => '？',
            '!' if prev_wide => '！',
            '.' if prev_wide
                && (next_wide || i + 1 == chars.len())
                && !numeral_prefix(chars, i) =>
            {
                '。'
            }
            '．' if prev_digit => '.',
            _ => continue,
        };
        chars[i] = replacement;
    }

    // Straight double quotes in Chinese text become “ and ” in turn.
    let quotes = chars.iter().filter(|&&c| c == '"').count();
    if quotes > 0 && quotes % 2 == 0 && chars.iter().any(|&c| is_wide(c)) {
        let mut opening = true;
        for c in chars.iter_mut().filter(|c| **c == '"') {
            *c = if opening { '“' } else { '”' };
            opening = !opening;
        }
    }
}

/// True for a line that is only a page number: `— 3 —`, `-3-`, `3`, `第 3 页 共 8 页`, `3/8`.
pub fn is_page_number(text: &str) -> bool {
    let dash = |c: char| {
        matches!(
            c,
            '-' | '—' | '–' | '－' | '─' | '―' | '~' | '～' | '·' | '•'
        )
    };
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.chars().count() > 24 {
        return false;
    }
    let core = compact.trim_matches(dash);
    if core.is_empty() {
        return false;
    }
    if core.bytes().all(|b| b.is_ascii_digit()) {
        return core.len() <= 3 || (core.len() <= 4 && core.len() < compact.len());
    }
    // Replace each run of digits by one `0` and compare the skeleton with the known forms.
    let mut skeleton = String::new();
    let mut digits = 0;
    let mut run = 0;
    for c in core.chars() {
        if c.is_ascii_digit() {
            run += 1;
            if run == 1 {
                skeleton.push('0');
                digits += 1;
            }
            if run > 4 {
                return false;
            }
        } else {
            run = 0;
            skeleton.push(c);
        }
    }
    digits > 0
        && matches!(
            skeleton.as_str(),
            "第0页"
                | "第0页共0页"
                | "第0页，共0页"
                | "第0页,共0页"
                | "第0页/共0页"
                | "共0页第0页"
                | "0/0"
                | "Page0"
                | "page0"
                | "Page0of0"
                | "page0of0"
        )
}

/// True for a line drawn with dashes, stars or rules (the red separator line of the header).
fn is_rule(text: &str) -> bool {
    text.chars().filter(|c| !c.is_whitespace()).count() >= 3
        && text.chars().all(|c| {
            c.is_whitespace()
                || matches!(
                    c,
                    '-' | '—'
                        | '–'
                        | '－'
                        | '─'
                        | '━'
                        | '―'
                        | '='
                        | '＝'
                        | '_'
                        | '＿'
                        | '*'
                        | '＊'
                        | '★'
                        | '☆'
                        | '·'
                        | '…'
                        | '~'
                        | '～'
                )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_spaces_and_punctuation() {
        let cases = [
            ("　　2021 年 6 月 2 日", "2021年6月2日"),
            (
                "各县(区)人民政府,市政府各部门:",
                "各县（区）人民政府，市政府各部门：",
            ),
            ("(一)规范政务信息管理.各县", "（一）规范政务信息管理。各县"),
            ("１．推进决策公开", "1.推进决策公开"),
            ("二○二一 年 六 月", "二○二一年六月"),
            ("第 三 条　本办法所称", "第三条 本办法所称"),
            ("第三条规定的情形", "第三条规定的情形"),
            ("第一章　 总　则", "第一章 总则"),
            ("Open  Government Data 开放", "Open Government Data开放"),
            ("共1,000 人;其中", "共1,000人；其中"),
            ("时间为8:30,地点", "时间为8:30，地点"),
            ("所谓\"一网通办\"是指", "所谓“一网通办”是指"),
            ("一.总体要求", "一.总体要求"),
            ("f(x) = y", "f(x) = y"),
            ("\u{feff}正文\u{200b}内容\t", "正文内容"),
        ];
        for (raw, clean) in cases {
            assert_eq!(normalize_line(raw), clean, "{raw}");
        }
    }

    #[test]
    fn recognises_page_numbers() {
        for page in [
            "— 3 —",
            "-3-",
            "- 12 -",
            "3",
            "第 3 页 共 8 页",
            "第3页，共8页",
            "3/8",
            "—\u{3000}10\u{3000}—",
        ] {
            assert!(is_page_number(&normalize_line(page)), "{page}");
        }
        for text in ["2021", "一、总体要求", "第三条", "第3页的内容", "100%"] {
            assert!(!is_page_number(&normalize_line(text)), "{text}");
        }
    }

    #[test]
    fn numbers_lines_like_an_editor() {
        let lines = lines("一\r\n\r\n二\r三\n\u{c}— 2 —\n\u{3000}\u{3000}四");
        let numbered: Vec<(u32, &str, bool)> = lines
            .iter()
            .map(|l| (l.no, l.text.as_str(), l.indented))
            .collect();
        assert_eq!(
            numbered,
            [
                (1, "一", false),
                (3, "二", false),
                (4, "三", false),
                (6, "四", true)
            ]
        );
    }
}
