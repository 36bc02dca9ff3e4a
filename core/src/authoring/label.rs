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
    let chars: Vec<(usize, char)> = s.char_indices().take(24).collect();
    let at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let end = |i: usize| chars.get(i).map_or(s.len(), |&(b, _)| b);
    let count = |from: usize, pred: &dyn Fn(char) -> bool| {
        chars[from.min(chars.len())..]
            .iter()
            .take_while(|&&(_, c)| pred(c))
            .count()
    };
    let first = at(0)?;

    // 第一章 / 第一节 / 第一条 / 第一编 / 第一部分 / 第1条
    if first == '第' {
        let n = count(1, &|c| is_cjk_numeral(c) || c.is_ascii_digit());
        if n > 0 {
            match at(1 + n) {
                Some('章' | '节' | '条' | '编' | '款') => return Some(end(2 + n)),
                Some('部') if at(2 + n) == Some('分') => return Some(end(3 + n)),
                _ => {}
            }
        }
        return None;
    }
    // （一） (1) （1） (一)
    if first == '（' || first == '(' {
        let n = count(1, &|c| is_cjk_numeral(c) || c.is_ascii_digit());
        let n = if n == 0 {
            // (a), (iv): a single letter or a short roman numeral.
            let letters = count(1, &|c| c.is_ascii_lowercase());
            let roman = count(1, &|c| matches!(c, 'i' | 'v' | 'x'));
            if letters == 1 || (roman == letters && (1..=4).contains(&roman)) {
                letters
            } else {
                0
            }
        } else {
            n
        };
        if n > 0 && matches!(at(1 + n), Some('）' | ')')) {
            return Some(end(2 + n));
        }
        return None;
    }
    // 一、
    if is_cjk_numeral(first) {
        let n = count(0, &|c| is_cjk_numeral(c));
        if at(n) == Some('、') {
            return Some(end(n + 1));
        }
        return None;
    }
    // 1.  1．  1、  1.2  3.1.2
    if first.is_ascii_digit() {
        let n = count(0, &|c| c.is_ascii_digit());
        match at(n) {
            Some('、') => return Some(end(n + 1)),
            Some('.' | '．') => {
                // 1.2 / 1.2.3 followed by a space is a decimal outline number.
                let mut i = n;
                let mut parts = 1;
                while matches!(at(i), Some('.' | '．'))
                    && at(i + 1).is_some_and(|c| c.is_ascii_digit())
                {
                    i += 1 + count(i + 1, &|c| c.is_ascii_digit());
                    parts += 1;
                }
                if parts > 1 {
                    return at(i)
                        .is_some_and(|c| c.is_whitespace() || c == '　')
                        .then(|| end(i));
                }
                // `1.` followed by anything but a digit (`1.5亿` is a number, not a label).
                if !at(n + 1).is_some_and(|c| c.is_ascii_digit()) {
                    return Some(end(n + 1));
                }
                return None;
            }
            _ => return None,
        }
    }
    // Article 3 / Chapter II / Section 2 / Part 1
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
