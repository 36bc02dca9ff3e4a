//! The parts of the official-document layout (GB/T 9704) around the body.
//!
//! Above the body: the issuing body's mark (发文机关标志), the document number (发文字号), the
//! title and the addressees (主送机关). Below it: the signature (发文机关署名), the date (成文日期),
//! the disclosure annotation (附注, `（此件公开发布）`), attachments (附件) and the imprint
//! (版记: 抄送, 印发). This module finds each of them in the clean lines, so that only the body is
//! left for the numbering and the paragraphs.

use crate::model::Disclosure;

use super::normalize::{Line, ends_sentence};
use super::numbering;
use super::numeral::{self, FoundDate};
pub use super::organ::{is_organ, is_organ_list};
use super::{Notes, code};

/// The document number, normalised to `XX〔YYYY〕N号`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocNumber {
    pub text: String,
    /// The ASCII letters of the prefix, if it has any (`ZWGK〔2021〕3号`).
    pub ascii_prefix: String,
    pub year: Option<i32>,
    pub serial: u32,
    pub line: u32,
}

/// What the lines above the body say.
#[derive(Clone, Debug, Default)]
pub struct Header {
    pub issuer: Option<(String, u32)>,
    pub doc_number: Option<DocNumber>,
    pub title: Option<(String, u32)>,
    /// Parenthesised lines under the title that carry a date (`（2021年6月2日市政府常务会议通过）`).
    pub remarks: Vec<(String, u32)>,
    pub addressee: Option<(String, u32)>,
    /// Index of the first line after the header.
    pub end: usize,
}

/// What a regulation's header records about its making: a line (or a remark under the title)
/// such as `2019年4月3日中华人民共和国国务院令第711号修订` or `2019年5月15日 施行`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Promulgation {
    pub date: FoundDate,
    /// The decree that issued it: `中华人民共和国国务院令第711号`.
    pub decree: Option<DocNumber>,
    /// The body that issued the decree: `中华人民共和国国务院`.
    pub organ: Option<String>,
    pub act: Act,
    pub line: u32,
}

/// What happened on a promulgation date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Act {
    /// 公布, 发布, 颁布, 通过
    Issued,
    /// 修订, 修正, 修改
    Revised,
    /// 施行, 实施
    Effective,
}

/// Every promulgation a text records: each date followed, before the next date, by a decree
/// number and/or a verb (公布, 修订, 施行 …).
pub fn promulgations(text: &str, line: u32) -> Vec<Promulgation> {
    let chars: Vec<char> = text.chars().collect();
    let dates = numeral::find_dates(text);
    let mut out = Vec::new();
    for (k, date) in dates.iter().enumerate() {
        let end = dates.get(k + 1).map_or(chars.len(), |d| d.start);
        let segment: String = chars[date.end..end].iter().collect();
        let segment = segment.trim_start_matches([' ', '，', '　']);
        let act = [
            ("公布", Act::Issued),
            ("发布", Act::Issued),
            ("颁布", Act::Issued),
            ("通过", Act::Issued),
            ("修订", Act::Revised),
            ("修正", Act::Revised),
            ("修改", Act::Revised),
            ("施行", Act::Effective),
            ("实施", Act::Effective),
        ]
        .iter()
        .filter_map(|(w, a)| segment.find(w).map(|i| (i, *a)))
        .min_by_key(|(i, _)| *i)
        .map(|(_, a)| a);
        let Some(act) = act else { continue };
        let (decree, organ) = decree_in(segment, line);
        out.push(Promulgation {
            date: *date,
            decree,
            organ,
            act,
            line,
        });
    }
    out
}

/// The decree number in a text like `中华人民共和国国务院令第711号公布`.
fn decree_in(segment: &str, line: u32) -> (Option<DocNumber>, Option<String>) {
    let Some(at) = segment.find("令第") else {
        return (None, None);
    };
    let organ = segment[..at].trim();
    let after = &segment[at + "令第".len()..];
    let Some(end) = after.find('号') else {
        return (None, None);
    };
    let Some(serial) = numeral::parse_number(after[..end].trim()) else {
        return (None, None);
    };
    if organ.is_empty() || organ.chars().count() > 30 || organ.contains(['。', '，', '《']) {
        return (None, None);
    }
    (
        Some(DocNumber {
            text: format!("{organ}令第{serial}号"),
            ascii_prefix: String::new(),
            year: None,
            serial,
            line,
        }),
        Some(organ.to_owned()),
    )
}

/// True for a header line that records a promulgation: it starts with a date and says what
/// happened (`2019年5月15日 施行`, `2022年6月6日 中华人民共和国国家安全部令第2号公布`).
fn is_promulgation_line(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    numeral::date_at(&chars, 0).is_some()
        && chars.len() <= 60
        && !text.contains('。')
        && !promulgations(text, 0).is_empty()
}

/// Genre words that end a title (文种).
pub(crate) const GENRES: &[&str] = &[
    "通知", "通报", "决定", "决议", "命令", "意见", "办法", "规定", "要点", "方案", "通告", "公告",
    "报告", "请示", "批复", "函", "细则", "规则", "纲要", "规划", "条例", "指引", "指南", "标准",
    "目录", "清单", "计划", "措施", "制度", "章程", "守则", "纪要", "公报", "议案", "说明",
];

/// True for a line of the issuing body's mark: `XX市人民政府文件`, `XX市人民政府办公室`.
fn is_mark(text: &str) -> bool {
    is_organ(text)
        || (text.ends_with("文件")
            && text.chars().count() <= 32
            && !text.contains(['。', '，', '；', '：']))
}

/// True for the copy number, secrecy and urgency lines above the mark (份号, 密级, 紧急程度).
fn is_security(text: &str) -> bool {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    (compact.len() <= 6 && compact.bytes().all(|b| b.is_ascii_digit()))
        || (compact.chars().count() <= 12
            && ["秘密", "机密", "绝密", "特急", "加急", "平急", "特提"]
                .iter()
                .any(|w| compact.contains(w)))
}

/// The document number on the line, if the line is one: `卫政办发〔2021〕39号`, also written with
/// `[2021]`, `【2021】` or `(2021)`, with spaces, and followed by `签发人：…` in reports.
pub fn parse_doc_number(text: &str, line: u32) -> Option<DocNumber> {
    let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    let open = chars.iter().position(|c| "〔[【(（﹝〖［".contains(*c))?;
    let prefix: String = chars[..open].iter().collect();
    let year_digits: String = chars.get(open + 1..open + 5)?.iter().collect();
    if prefix.is_empty()
        || prefix.chars().count() > 20
        || prefix.contains(['。', '，', '：', '；', '、'])
        || !year_digits.bytes().all(|b| b.is_ascii_digit())
        || !chars
            .get(open + 5)
            .is_some_and(|c| "〕]】)）﹞〗］".contains(*c))
    {
        return None;
    }
    let mut end = open + 6;
    while chars.get(end).is_some_and(|c| c.is_ascii_digit()) && end < open + 12 {
        end += 1;
    }
    let serial: u32 = chars[open + 6..end]
        .iter()
        .collect::<String>()
        .parse()
        .ok()?;
    if chars.get(end) != Some(&'号') {
        return None;
    }
    let after: String = chars[end + 1..].iter().collect();
    if !(after.is_empty() || after.starts_with("签发人")) {
        return None;
    }
    let year: i32 = year_digits.parse().ok()?;
    Some(DocNumber {
        text: format!("{prefix}〔{year}〕{serial}号"),
        ascii_prefix: prefix
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase(),
        year: Some(year),
        serial,
        line,
    })
}

/// The order number of a decree (`第12号`, `（第12号）`) under a mark like `XX市人民政府令`.
fn parse_order_number(text: &str, mark: Option<&str>, line: u32) -> Option<DocNumber> {
    let mark = mark.filter(|m| m.ends_with('令'))?;
    let inner = text
        .strip_prefix('（')
        .and_then(|t| t.strip_suffix('）'))
        .unwrap_or(text);
    let digits = inner.strip_prefix('第')?.strip_suffix('号')?;
    let serial = numeral::parse_number(digits)?;
    Some(DocNumber {
        text: format!("{mark}第{serial}号"),
        ascii_prefix: String::new(),
        year: None,
        serial,
        line,
    })
}

/// True when the text ends with a genre word, possibly followed by `（试行）` and the like.
fn ends_with_genre(text: &str) -> bool {
    let mut text = text;
    if text.ends_with('）')
        && let Some(open) = text.rfind('（')
    {
        text = &text[..open];
        if text.is_empty() {
            return true;
        }
    }
    GENRES.iter().any(|g| text.ends_with(g))
}

/// True for a line wholly in parentheses: `（试行）`, `（征求意见稿）`, `（2021年…通过）`.
pub fn is_parenthetical(text: &str) -> bool {
    text.starts_with('（') && text.ends_with('）') && text.chars().count() <= 80
}

/// True when a line could be (part of) a title.
fn title_like(text: &str) -> bool {
    text.chars().count() <= 50
        && !text.contains(['。', '；', '！', '？'])
        && !text.ends_with(['：', '，', '、'])
        && numbering::parse(text).is_none()
        && numeral::date_line(text).is_none()
        && !is_attachment_marker(text)
        && !text.starts_with("附件")
        && parse_doc_number(text, 0).is_none()
}

/// Reads a title starting at `lines[start]`: one to four lines, joined. Returns the title, its
/// line and the index after it.
pub fn take_title(lines: &[Line], start: usize) -> Option<(String, u32, usize)> {
    let first = lines.get(start)?;
    if !title_like(&first.text) || (is_parenthetical(&first.text) && has_date(&first.text)) {
        return None;
    }
    let mut title = first.text.clone();
    let mut i = start + 1;
    while let Some(next) = lines.get(i) {
        let text = next.text.as_str();
        if i - start >= 4 || !title_like(text) || (is_parenthetical(text) && has_date(text)) {
            break;
        }
        let continues = if ends_with_genre(&title) {
            is_parenthetical(text)
                || text.starts_with(['的', '之'])
                || (ends_with_genre(text) && text.chars().count() <= 12 && !is_organ(text))
        } else {
            !is_organ(text)
        };
        if !continues {
            break;
        }
        title.push_str(text);
        i += 1;
    }
    Some((title, first.no, i))
}

fn has_date(text: &str) -> bool {
    !numeral::find_dates(text).is_empty()
}

/// True for an addressee line: ends with `：`, no full stop, short, not a sentence that announces
/// what follows (`现将有关事项通知如下：`).
fn is_addressee(text: &str) -> bool {
    text.ends_with('：')
        && !text.contains('。')
        && text.chars().count() <= 100
        && !text.contains("如下")
        && !text.starts_with("附件")
        && numbering::parse(text).is_none()
}

/// Reads the header from the start of the lines.
pub fn read_header(lines: &[Line]) -> Header {
    let mut header = Header::default();
    let mut i = 0;
    while i < 4 && lines.get(i).is_some_and(|l| is_security(&l.text)) {
        i += 1;
    }

    let search_end = (i + 8).min(lines.len());
    let number_at =
        (i..search_end).find(|&k| parse_doc_number(&lines[k].text, lines[k].no).is_some());
    if let Some(k) = number_at {
        header.doc_number = parse_doc_number(&lines[k].text, lines[k].no);
        // Lines above the number are the mark; a website copy may put the title there instead.
        let above = &lines[i..k];
        let marks = above.iter().take_while(|l| is_mark(&l.text)).count();
        set_issuer(&mut header, &above[..marks]);
        if marks < above.len()
            && let Some((title, line, _)) = take_title(above, marks)
        {
            header.title = Some((title, line));
        }
        i = k + 1;
    } else {
        let marks = lines[i..]
            .iter()
            .take(3)
            .take_while(|l| {
                (l.text.ends_with("文件") && is_mark(&l.text)) || is_organ_decree(&l.text)
            })
            .count();
        let decree = decree_mark(&lines[i..i + marks]);
        set_issuer(&mut header, &lines[i..i + marks]);
        i += marks;
        if let Some(line) = lines.get(i)
            && let Some(number) = parse_order_number(&line.text, decree.as_deref(), line.no)
        {
            header.doc_number = Some(number);
            i += 1;
        }
    }

    if header.title.is_none()
        && let Some((title, line, next)) = take_title(lines, i)
    {
        header.title = Some((title, line));
        i = next;
    }
    while let Some(line) = lines
        .get(i)
        .filter(|l| is_parenthetical(&l.text) || is_promulgation_line(&l.text))
    {
        header.remarks.push((line.text.clone(), line.no));
        i += 1;
    }
    if let Some((addressee, line, next)) = take_addressee(lines, i) {
        header.addressee = Some((addressee, line));
        i = next;
    }
    header.end = i;
    header
}

/// True for a decree mark: `XX市人民政府令`.
fn is_organ_decree(text: &str) -> bool {
    text.strip_suffix('令').is_some_and(is_organ)
}

/// The decree mark among the mark lines, if any.
fn decree_mark(marks: &[Line]) -> Option<String> {
    marks
        .iter()
        .find(|l| is_organ_decree(&l.text))
        .map(|l| l.text.clone())
}

fn set_issuer(header: &mut Header, marks: &[Line]) {
    let names: Vec<&str> = marks
        .iter()
        .map(|l| {
            let text = l.text.strip_suffix("文件").unwrap_or(&l.text);
            text.strip_suffix('令')
                .filter(|t| is_organ(t))
                .unwrap_or(text)
        })
        .filter(|t| !t.is_empty())
        .collect();
    if let Some(first) = marks.first()
        && !names.is_empty()
    {
        header.issuer = Some((names.join("、"), first.no));
    }
}

/// Reads the addressees starting at `lines[start]`: one line ending with `：`, or up to three lines
/// of names the last of which ends with `：`.
fn take_addressee(lines: &[Line], start: usize) -> Option<(String, u32, usize)> {
    let first = lines.get(start)?;
    let mut text = String::new();
    for (k, line) in lines[start..].iter().take(3).enumerate() {
        text.push_str(&line.text);
        if is_addressee(&text) {
            return Some((text, first.no, start + k + 1));
        }
        if ends_sentence(&line.text) || line.text.contains('。') {
            return None;
        }
    }
    None
}

/// True for the line that starts an attachment: `附件`, `附件1`, `附件 2`.
pub fn is_attachment_marker(text: &str) -> bool {
    text.strip_prefix("附件").is_some_and(|rest| {
        let rest = rest.trim();
        rest.chars().count() <= 2 && rest.chars().all(numeral::is_numeral_char)
    })
}

/// The title on a marker line that carries one: `附件：X`, `附件1：X` → `X`.
pub fn titled_attachment_marker(text: &str) -> Option<String> {
    let rest = text.strip_prefix("附件")?;
    let rest = rest.trim_start_matches(numeral::is_numeral_char);
    let name = rest.strip_prefix(['：', ':'])?.trim();
    let name = name.trim_start_matches('《').trim_end_matches('》');
    (!name.is_empty() && title_like(name)).then(|| name.to_owned())
}

/// The disclosure named by an annotation line such as `（此件公开发布）`.
fn annotation(text: &str) -> Option<Disclosure> {
    let inner = text
        .strip_prefix('（')
        .and_then(|t| t.strip_suffix('）'))
        .unwrap_or(text);
    let inner = inner
        .strip_prefix("公开方式：")
        .or_else(|| inner.strip_prefix("公开属性："))
        .unwrap_or(inner);
    let inner = inner.strip_prefix("此件").unwrap_or(inner);
    Some(match inner {
        "公开发布" | "主动公开" | "公开" | "全文公开" => Disclosure::Public,
        "依申请公开" => Disclosure::OnRequest,
        "不予公开" | "不公开" | "不公开发布" => Disclosure::Restricted,
        _ => return None,
    })
}

/// True for a contact line under the date: `（联系人：张三，联系电话：…）`.
/// Not `联系人回执` (a title) nor a blank form field `联系人：`.
fn is_contact(text: &str) -> bool {
    let inner = text.strip_prefix('（').unwrap_or(text);
    let inner = inner.strip_suffix('）').unwrap_or(inner);
    let value = inner
        .strip_prefix("联系人")
        .or_else(|| inner.strip_prefix("联系电话"))
        .and_then(|rest| rest.strip_prefix(['：', ':']));
    value.is_some_and(|v| !v.trim().is_empty()) && text.chars().count() <= 80
}

/// Removes disclosure annotations, contact lines and `（此页无正文）` wherever they are, and
/// returns the disclosure the first annotation named, with its line (the closing shows it).
pub fn take_annotations(lines: &mut Vec<Line>, notes: &mut Notes) -> Option<(Disclosure, Line)> {
    let mut disclosure = None;
    lines.retain(|line| {
        if let Some(d) = annotation(&line.text) {
            disclosure.get_or_insert_with(|| (d, line.clone()));
            return false;
        }
        if is_contact(&line.text) {
            notes.add(
                code::CONTACT,
                line.no,
                format!(
                    "contact details were left out of the document: {}",
                    line.text
                ),
                format!("联系方式未写入文件：{}", line.text),
            );
            return false;
        }
        if line.text == "（此页无正文）" {
            notes.add(
                code::TEXT_CHANGED,
                line.no,
                "（此页无正文） (a printing instruction: this page has no body text) was removed",
                "已删除“（此页无正文）”（印制说明，不属于正文）",
            );
            return false;
        }
        true
    });
    disclosure
}

/// True for a line of the imprint (版记).
fn is_imprint(text: &str) -> bool {
    ["抄送", "抄报", "分送", "发送", "主题词"]
        .iter()
        .any(|w| text.starts_with(w))
        || (text.ends_with("印发") && has_date(text))
        || (text.starts_with("共印") && text.ends_with('份'))
}

/// Removes the imprint (版记: 抄送, 印发) at the end and notes what was removed.
pub fn take_footer(lines: &mut Vec<Line>, notes: &mut Notes) {
    let window = lines.len().saturating_sub(8);
    let Some(start) = (window..lines.len()).find(|&k| is_imprint(&lines[k].text)) else {
        return;
    };
    let removed = lines.split_off(start);
    let text: Vec<&str> = removed.iter().map(|l| l.text.as_str()).collect();
    let (first, last) = (removed[0].no, removed[removed.len() - 1].no);
    let (range, range_zh) = if first == last {
        (format!("line {first}"), format!("第 {first} 行"))
    } else {
        (
            format!("lines {first}–{last}"),
            format!("第 {first}–{last} 行"),
        )
    };
    notes.add(
        code::IMPRINT,
        first,
        format!(
            "the imprint (版记) on {range} is not part of the document and was left out: {}",
            text.join(" / ")
        ),
        format!("{range_zh}的版记不属于正文，未导入：{}", text.join(" / ")),
    );
}

/// The signature and date block that closes a document or a notice.
#[derive(Clone, Debug, Default)]
pub struct Closing {
    pub signature: Option<(String, u32)>,
    pub date: Option<(FoundDate, u32)>,
    /// The signature lines and the date line as they are in the text, for the closing (结尾).
    pub lines: Vec<Line>,
    /// Lines after the date that are none of the known closing lines.
    pub trailing: Vec<Line>,
}

/// Finds the last date line (within the last `window` lines, if given), takes it, the signature
/// lines above it and everything after it off `lines`.
pub fn take_closing(lines: &mut Vec<Line>, window: Option<usize>) -> Closing {
    let from = window.map_or(0, |w| lines.len().saturating_sub(w));
    let mut found = None;
    for k in (from..lines.len()).rev() {
        if let Some(date) = numeral::date_line(&lines[k].text) {
            found = Some((k, date, None));
            break;
        }
        if let Some((name, date)) = signed_date(&lines[k].text) {
            found = Some((k, date, Some(name)));
            break;
        }
    }
    let Some((k, date, inline_name)) = found else {
        return Closing::default();
    };
    let date_line = lines[k].no;
    let trailing = lines.split_off(k + 1);
    let Some(dated) = lines.pop() else {
        return Closing::default();
    };
    let mut signature = inline_name.map(|n| (n, date_line));
    let mut shown = Vec::new();
    if signature.is_none() {
        let mut start = lines.len();
        while start > 0 && lines.len() - start < 3 && is_signature(&lines[start - 1].text) {
            start -= 1;
        }
        let names: Vec<Line> = lines.split_off(start);
        if let Some(first) = names.first() {
            let text: Vec<&str> = names.iter().map(|l| l.text.as_str()).collect();
            signature = Some((text.join("、"), first.no));
        }
        shown = names;
    }
    shown.push(dated);
    Closing {
        signature,
        date: Some((date, date_line)),
        lines: shown,
        trailing,
    }
}

/// True for a signature line: a short name without punctuation (not a closing formula such as
/// `特此通知`).
fn is_signature(text: &str) -> bool {
    if is_organ_list(text) {
        return true;
    }
    text.chars().count() <= 30
        && !["特此", "此复", "此令", "此致", "敬礼"]
            .iter()
            .any(|w| text.starts_with(w))
        && !text.contains(['。', '，', '；', '：', '！', '？', '、'])
        && numbering::parse(text).is_none()
        && !is_attachment_marker(text)
        && (is_organ(text) || !text.contains(['（', '《']))
}

/// A signature and a date on one line: `云溪市人民政府办公室 2021年6月2日`.
fn signed_date(text: &str) -> Option<(String, FoundDate)> {
    let chars: Vec<char> = text.chars().collect();
    let found = numeral::find_dates(text);
    let date = found
        .last()
        .filter(|d| d.end == chars.len() && d.start > 0)?;
    let name: String = chars[..date.start].iter().collect();
    let name = name.trim().to_owned();
    (is_organ(&name) || is_organ_list(&name)).then_some((name, *date))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_document_numbers() {
        let cases = [
            ("卫政办发〔2021〕39号", Some("卫政办发〔2021〕39号")),
            ("云政办发[2021]7号", Some("云政办发〔2021〕7号")),
            ("云政办发 [ 2021 ] 7 号", Some("云政办发〔2021〕7号")),
            ("云政发【2021】12号", Some("云政发〔2021〕12号")),
            ("云政发（2021）12号", Some("云政发〔2021〕12号")),
            ("云政发〔2021〕12号签发人：张三", Some("云政发〔2021〕12号")),
            ("根据云政发〔2021〕12号文件精神，", None),
            ("〔2021〕12号", None),
        ];
        for (text, expected) in cases {
            let got = parse_doc_number(text, 1).map(|n| n.text);
            assert_eq!(got.as_deref(), expected, "{text}");
        }
    }

    #[test]
    fn recognises_marks_annotations_and_markers() {
        assert!(is_mark("云溪市人民政府文件"));
        assert!(is_mark("云溪市人民政府办公室"));
        assert!(!is_mark("关于印发工作要点的通知"));
        assert_eq!(annotation("（此件公开发布）"), Some(Disclosure::Public));
        assert_eq!(
            annotation("（此件依申请公开）"),
            Some(Disclosure::OnRequest)
        );
        assert_eq!(annotation("公开方式：主动公开"), Some(Disclosure::Public));
        assert_eq!(annotation("（此件不予公开）"), Some(Disclosure::Restricted));
        assert!(is_attachment_marker("附件"));
        assert!(is_attachment_marker("附件2"));
        assert!(!is_attachment_marker("附件：云溪市工作要点"));
        assert!(ends_with_genre("云溪市政务公开管理办法（试行）"));
        assert!(!ends_with_genre("云溪市人民政府办公室关于印发"));
    }
}
