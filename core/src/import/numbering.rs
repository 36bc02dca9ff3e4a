//! The numbering labels that open provisions in official documents.
//!
//! Two families exist. Notices, plans and opinions number their points `一、` › `（一）` › `1.` ›
//! `（1）`; rules and measures (办法, 规定, 条例) number `第X章` › `第X节` › `第X条`. The import
//! needs the kind (for the heading level), the value (for the id and the sequence check) and
//! the label in its canonical form (kept in the heading).

use super::numeral::{is_cn_numeral_char, is_numeral_char, parse_number};

/// The kind of a numbering label, from the outermost level to the innermost.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `第一章`
    Chapter,
    /// `第一节`
    Section,
    /// `第一条`
    Article,
    /// `一、`
    Top,
    /// `（一）`
    Paren,
    /// `1.`
    Arabic,
    /// `（1）`
    ParenArabic,
}

impl Kind {
    /// Nesting rank: a label nests inside every label of a lower rank.
    pub fn rank(self) -> usize {
        match self {
            Kind::Chapter => 0,
            Kind::Section => 1,
            Kind::Article => 2,
            Kind::Top => 3,
            Kind::Paren => 4,
            Kind::Arabic => 5,
            Kind::ParenArabic => 6,
        }
    }

    /// True for the `一、` › `（一）` › `1.` › `（1）` family.
    pub fn is_list(self) -> bool {
        self.rank() >= Kind::Top.rank()
    }
}

/// A label found at the start of a paragraph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub kind: Kind,
    pub number: u32,
    /// The label in canonical form: `一、`, `（一）`, `1.`, `（1）`, `第三条`.
    pub label: String,
    /// The text after the label, trimmed.
    pub rest: String,
    /// The label as written in the input (`1、`, `(一)`), to report when it was rewritten.
    pub written: String,
}

/// Characters that, right after `第X条` with no space between, show that the text cites an
/// article rather than starts one (`第三条规定的`, `第五条至第八条`, `第十条、第十一条`).
pub(crate) const CITATION_CONTINUES: &str = "规的之中所、，和至第或及与项款同前后以上下内外";

/// The label that opens `text`, if any.
pub fn parse(text: &str) -> Option<Label> {
    let chars: Vec<char> = text.chars().collect();
    match *chars.first()? {
        '第' => ordinal(&chars),
        '（' | '(' => parenthesized(&chars),
        c if c.is_ascii_digit() => arabic(&chars),
        c if is_cn_numeral_char(c) => top(&chars),
        _ => None,
    }
}

fn collect(chars: &[char]) -> String {
    chars.iter().collect()
}

fn rest_from(chars: &[char], mut i: usize) -> String {
    while matches!(chars.get(i), Some(' ' | '、')) {
        i += 1;
    }
    collect(chars.get(i..).unwrap_or_default())
        .trim()
        .to_owned()
}

/// The end of the run of characters satisfying `pred` from `start`, at most `max` long.
fn run(chars: &[char], start: usize, max: usize, pred: impl Fn(char) -> bool) -> usize {
    let mut i = start;
    while i < chars.len() && i - start < max && pred(chars[i]) {
        i += 1;
    }
    i
}

fn ordinal(chars: &[char]) -> Option<Label> {
    let end = run(chars, 1, 6, is_numeral_char);
    let kind = match chars.get(end)? {
        '章' => Kind::Chapter,
        '节' => Kind::Section,
        '条' => Kind::Article,
        _ => return None,
    };
    let numeral = collect(&chars[1..end]);
    let number = parse_number(&numeral).filter(|&n| n > 0)?;
    let gap = chars.get(end + 1) == Some(&' ');
    if !gap
        && chars
            .get(end + 1)
            .is_some_and(|c| CITATION_CONTINUES.contains(*c))
    {
        return None;
    }
    let rest = rest_from(chars, end + 1);
    if kind != Kind::Article && (rest.chars().count() > 30 || rest.contains(['。', '，', '；']))
    {
        return None;
    }
    Some(Label {
        kind,
        number,
        label: format!("第{numeral}{}", chars[end]),
        rest,
        written: collect(&chars[..=end]),
    })
}

fn parenthesized(chars: &[char]) -> Option<Label> {
    let end = run(chars, 1, 4, is_numeral_char);
    if end == 1 || !matches!(chars.get(end), Some('）' | ')')) {
        return None;
    }
    let numeral = collect(&chars[1..end]);
    let number = parse_number(&numeral).filter(|&n| n > 0)?;
    let arabic = numeral.bytes().all(|b| b.is_ascii_digit());
    let mut i = end + 1;
    if matches!(chars.get(i), Some('.' | '．')) {
        i += 1;
    }
    Some(Label {
        kind: if arabic {
            Kind::ParenArabic
        } else {
            Kind::Paren
        },
        number,
        label: if arabic {
            format!("（{number}）")
        } else {
            format!("（{numeral}）")
        },
        rest: rest_from(chars, i),
        written: written(chars, i),
    })
}

/// The label as written: the characters up to `end`, and a `、` right after it.
fn written(chars: &[char], end: usize) -> String {
    let extra = usize::from(chars.get(end) == Some(&'、'));
    collect(&chars[..end + extra]).trim().to_owned()
}

fn arabic(chars: &[char]) -> Option<Label> {
    let end = run(chars, 0, 3, |c| c.is_ascii_digit());
    let number = parse_number(&collect(&chars[..end])).filter(|&n| n > 0)?;
    let kind = match chars.get(end)? {
        '.' | '．' | '、' => Kind::Arabic,
        ')' | '）' => Kind::ParenArabic,
        _ => return None,
    };
    if chars.get(end + 1).is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(Label {
        kind,
        number,
        label: if kind == Kind::Arabic {
            format!("{number}.")
        } else {
            format!("（{number}）")
        },
        rest: rest_from(chars, end + 1),
        written: written(chars, end + 1),
    })
}

fn top(chars: &[char]) -> Option<Label> {
    let end = run(chars, 0, 4, is_cn_numeral_char);
    match chars.get(end)? {
        '、' => {}
        '.' | '．' if !chars.get(end + 1).is_some_and(|c| c.is_ascii_digit()) => {}
        _ => return None,
    }
    let numeral = collect(&chars[..end]);
    let number = parse_number(&numeral).filter(|&n| n > 0)?;
    Some(Label {
        kind: Kind::Top,
        number,
        label: format!("{numeral}、"),
        rest: rest_from(chars, end + 1),
        written: written(chars, end + 1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(text: &str) -> String {
        match parse(text) {
            Some(l) => format!("{:?} {} {} [{}]", l.kind, l.number, l.label, l.rest),
            None => "-".to_owned(),
        }
    }

    #[test]
    fn recognises_every_level() {
        let cases = [
            ("一、总体要求", "Top 1 一、 [总体要求]"),
            ("二十三、其他", "Top 23 二十三、 [其他]"),
            (
                "（十一）规范管理。各县",
                "Paren 11 （十一） [规范管理。各县]",
            ),
            ("（一）、规范管理", "Paren 1 （一） [规范管理]"),
            ("1.推进决策公开", "Arabic 1 1. [推进决策公开]"),
            ("12、推进", "Arabic 12 12. [推进]"),
            ("（3）做好", "ParenArabic 3 （3） [做好]"),
            ("3)做好", "ParenArabic 3 （3） [做好]"),
            ("第一章 总则", "Chapter 1 第一章 [总则]"),
            ("第二节 一般规定", "Section 2 第二节 [一般规定]"),
            ("第二十三条 本办法", "Article 23 第二十三条 [本办法]"),
            ("第12条 本办法", "Article 12 第12条 [本办法]"),
            ("第九十九条本办法自", "Article 99 第九十九条 [本办法自]"),
            ("第三条规定的情形", "-"),
            ("第五条至第八条", "-"),
            ("1.5亿元", "-"),
            ("2021年", "-"),
            ("二〇二一年", "-"),
            ("一是加强", "-"),
            ("第一章规定的", "-"),
            ("（试行）", "-"),
        ];
        for (text, expected) in cases {
            assert_eq!(show(text), expected, "{text}");
        }
    }
}
