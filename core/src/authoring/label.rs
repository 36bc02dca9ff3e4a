//! Splitting the official numbering (`一、`, `（一）`, `第三条` …) off a provision heading.
//!
//! Official documents number their parts in a fixed hierarchy, and readers cite provisions by that
//! numbering. We keep it as the provision's label, apart from the title, so the widget can show
//! and search both without re-parsing headings.

/// Chinese numerals as they appear in official numbering (including the financial `〇` and `两`).
fn is_cjk_numeral(c: char) -> bool {
    matches!(
        c,
        '零' | '〇'
            | '一'
            | '二'
            | '三'
            | '四'
            | '五'
            | '六'
            | '七'
            | '八'
            | '九'
            | '十'
            | '百'
            | '千'
            | '两'
    )
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '　' | '：' | ':' | '、' | '—' | '－' | '.')
}

/// Splits `heading` into `(label, title)`. The label keeps its own punctuation (`一、`, `1.`,
/// `（一）`); the title is trimmed. Headings without official numbering have no label.
///
/// ```
/// use jiedu_core::authoring::split_label;
/// assert_eq!(split_label("一、总体要求"), (Some("一、".into()), "总体要求".into()));
/// assert_eq!(split_label("第三条　适用范围"), (Some("第三条".into()), "适用范围".into()));
/// assert_eq!(split_label("1.5亿元专项资金"), (None, "1.5亿元专项资金".into()));
/// ```
pub fn split_label(heading: &str) -> (Option<String>, String) {
    let heading = heading.trim_matches(|c: char| c.is_whitespace() || c == '　');
    match label_len(heading) {
        Some(len) => {
            let (label, rest) = heading.split_at(len);
            let title = rest.trim_start_matches(is_separator).trim_end();
            (Some(label.trim_end().to_owned()), title.to_owned())
        }
        None => (None, heading.to_owned()),
    }
}

/// Byte length of the numbering that opens `s`, if any.
fn label_len(s: &str) -> Option<usize> {
    let opening = Opening::new(s);
    match opening.at(0)? {
        '第' => ordinal_len(&opening),
        '（' | '(' => bracketed_len(&opening),
        c if is_cjk_numeral(c) => cjk_len(&opening),
        c if c.is_ascii_digit() => arabic_len(&opening),
        _ => english_len(s),
    }
}

/// The first characters of a heading, with their byte offsets, for reading its numbering.
struct Opening<'a> {
    s: &'a str,
    chars: Vec<(usize, char)>,
}

impl Opening<'_> {
    fn new(s: &str) -> Opening<'_> {
        Opening {
            s,
            chars: s.char_indices().take(24).collect(),
        }
    }

    /// The `i`-th character.
    fn at(&self, i: usize) -> Option<char> {
        self.chars.get(i).map(|&(_, c)| c)
    }

    /// The byte offset where the `i`-th character starts (the end of those before it).
    fn end(&self, i: usize) -> usize {
        self.chars.get(i).map_or(self.s.len(), |&(b, _)| b)
    }

    /// How many characters from the `from`-th on satisfy `pred`.
    fn count(&self, from: usize, pred: impl Fn(char) -> bool) -> usize {
        self.chars[from.min(self.chars.len())..]
            .iter()
            .take_while(|&&(_, c)| pred(c))
            .count()
    }
}

fn is_cjk_or_digit(c: char) -> bool {
    is_cjk_numeral(c) || c.is_ascii_digit()
}

/// 第一章 / 第一节 / 第一条 / 第一编 / 第一部分 / 第1条
fn ordinal_len(o: &Opening<'_>) -> Option<usize> {
    let n = o.count(1, is_cjk_or_digit);
    if n == 0 {
        return None;
    }
    match o.at(1 + n) {
        Some('章' | '节' | '条' | '编' | '款') => Some(o.end(2 + n)),
        Some('部') if o.at(2 + n) == Some('分') => Some(o.end(3 + n)),
        _ => None,
    }
}

/// （一） (1) （1） (一), and (a), (iv): a single letter or a short roman numeral.
fn bracketed_len(o: &Opening<'_>) -> Option<usize> {
    let n = o.count(1, is_cjk_or_digit);
    let n = if n == 0 {
        let letters = o.count(1, |c| c.is_ascii_lowercase());
        let roman = o.count(1, |c| matches!(c, 'i' | 'v' | 'x'));
        if letters == 1 || (roman == letters && (1..=4).contains(&roman)) {
            letters
        } else {
            0
        }
    } else {
        n
    };
    (n > 0 && matches!(o.at(1 + n), Some('）' | ')'))).then(|| o.end(2 + n))
}

/// 一、
fn cjk_len(o: &Opening<'_>) -> Option<usize> {
    let n = o.count(0, is_cjk_numeral);
    (o.at(n) == Some('、')).then(|| o.end(n + 1))
}

/// 1.  1．  1、  1.2  3.1.2
fn arabic_len(o: &Opening<'_>) -> Option<usize> {
    let n = o.count(0, |c| c.is_ascii_digit());
    match o.at(n) {
        Some('、') => Some(o.end(n + 1)),
        Some('.' | '．') => dotted_len(o, n),
        _ => None,
    }
}

/// A number followed by a dot at `n`: `1.` is a label, and so is `1.2` or `1.2.3` when a
/// space follows; `1.5亿` is a number, not a label.
fn dotted_len(o: &Opening<'_>, n: usize) -> Option<usize> {
    let mut i = n;
    let mut parts = 1;
    while matches!(o.at(i), Some('.' | '．')) && o.at(i + 1).is_some_and(|c| c.is_ascii_digit()) {
        i += 1 + o.count(i + 1, |c| c.is_ascii_digit());
        parts += 1;
    }
    if parts > 1 {
        return o
            .at(i)
            .is_some_and(|c| c.is_whitespace() || c == '　')
            .then(|| o.end(i));
    }
    (!o.at(n + 1).is_some_and(|c| c.is_ascii_digit())).then(|| o.end(n + 1))
}

/// Article 3 / Chapter II / Section 2 / Part 1
fn english_len(s: &str) -> Option<usize> {
    for word in ["Article ", "Chapter ", "Section ", "Part "] {
        if let Some(rest) = s.strip_prefix(word) {
            let num = rest
                .chars()
                .take_while(|c| c.is_ascii_digit() || matches!(c, 'I' | 'V' | 'X' | 'L'))
                .count();
            let after = rest[num..].chars().next();
            if num > 0 && after.is_none_or(|c| c.is_whitespace() || matches!(c, '.' | ':')) {
                return Some(word.len() + num);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::split_label;

    #[test]
    fn splits_official_numbering() {
        let cases = [
            ("一、持续推进政务公开", Some("一、"), "持续推进政务公开"),
            ("十二、附则", Some("十二、"), "附则"),
            ("（一）规范政务信息管理", Some("（一）"), "规范政务信息管理"),
            ("(3)half width", Some("(3)"), "half width"),
            ("1.加强组织领导", Some("1."), "加强组织领导"),
            ("2．全角点", Some("2．"), "全角点"),
            ("3、顿号", Some("3、"), "顿号"),
            ("（1）细目", Some("（1）"), "细目"),
            ("第一章 总则", Some("第一章"), "总则"),
            ("第二节　公开内容", Some("第二节"), "公开内容"),
            ("第十八条", Some("第十八条"), ""),
            ("第一部分 总体要求", Some("第一部分"), "总体要求"),
            ("3.1 Scope", Some("3.1"), "Scope"),
            ("1. Purpose", Some("1."), "Purpose"),
            ("Article 12. Penalties", Some("Article 12"), "Penalties"),
            ("(a) Definitions", Some("(a)"), "Definitions"),
            ("(iv) Fourth", Some("(iv)"), "Fourth"),
            ("1.5亿元专项资金", None, "1.5亿元专项资金"),
            ("2021年工作要点", None, "2021年工作要点"),
            ("十分重要的事项", None, "十分重要的事项"),
            ("第三方评估", None, "第三方评估"),
            ("(draft) Title", None, "(draft) Title"),
            ("Articles of association", None, "Articles of association"),
            ("", None, ""),
        ];
        for (input, label, title) in cases {
            assert_eq!(
                split_label(input),
                (label.map(str::to_owned), title.to_owned()),
                "{input}"
            );
        }
    }
}
