//! Numbers as Chinese official documents write them.
//!
//! Numbering labels use Chinese numerals (`第二十三条`, `（十一）`), dates may use them too
//! (`二〇二一年六月二日`), and pasted text often carries full-width digits. The import needs the
//! values to derive provision ids, check that numbering runs in sequence and fill front-matter
//! dates, so this module reads all of these forms.

/// The value of one Chinese digit character (`〇` … `九`, and the financial forms `壹` … `玖`).
pub fn cn_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '零' | '○' => 0,
        '一' | '壹' => 1,
        '二' | '贰' | '两' => 2,
        '三' | '叁' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

/// True for characters that can be part of a number: ASCII digits, Chinese digits and the
/// units `十` and `百`.
pub fn is_numeral_char(c: char) -> bool {
    c.is_ascii_digit() || cn_digit(c).is_some() || matches!(c, '十' | '拾' | '百' | '佰')
}

/// True for characters that can be part of a number written in Chinese numerals only.
pub fn is_cn_numeral_char(c: char) -> bool {
    cn_digit(c).is_some() || matches!(c, '十' | '拾' | '百' | '佰')
}

/// The value of a number written in Arabic digits (`23`) or Chinese numerals (`十一`, `二十三`,
/// `九十九`, `一百零五`). `None` for anything else, including digit strings without units such as
/// `二三` (those only occur in years, see [`parse_year`]).
pub fn parse_number(s: &str) -> Option<u32> {
    let count = s.chars().count();
    if count == 0 || count > 8 {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok();
    }
    let mut total: u32 = 0;
    let mut current: Option<u32> = None;
    let mut last_unit = u32::MAX;
    for c in s.chars() {
        if let Some(d) = cn_digit(c) {
            if current.is_some() {
                return None;
            }
            if d != 0 {
                current = Some(d);
            }
        } else {
            let unit = match c {
                '十' | '拾' => 10,
                '百' | '佰' => 100,
                _ => return None,
            };
            if unit >= last_unit {
                return None;
            }
            total += current.take().unwrap_or(1) * unit;
            last_unit = unit;
        }
    }
    Some(total + current.unwrap_or(0))
}

/// A four-digit year written digit by digit: `2021`, `二〇二一`, and the common misspellings of
/// zero as `○`, `O` or `Ｏ`.
pub fn parse_year(s: &str) -> Option<i32> {
    let mut year = 0i32;
    let mut count = 0;
    for c in s.chars() {
        let digit = if c.is_ascii_digit() {
            c as u32 - u32::from(b'0')
        } else if matches!(c, 'O' | 'o' | 'Ｏ') {
            0
        } else {
            cn_digit(c)?
        };
        year = year * 10 + digit as i32;
        count += 1;
        if count > 4 {
            return None;
        }
    }
    (count == 4).then_some(year)
}

/// A date `YYYY年M月D日` found in text: the numbers as written (not yet checked against the
/// calendar) and the character range it covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FoundDate {
    pub year: i32,
    pub month: u32,
    pub day: u32,
    pub start: usize,
    pub end: usize,
}

impl FoundDate {
    /// The calendar date, or `None` when the numbers name no such day (`2021年2月30日`).
    pub fn date(&self) -> Option<crate::Date> {
        let month = u8::try_from(self.month).ok()?;
        let day = u8::try_from(self.day).ok()?;
        crate::Date::new(self.year, month, day).ok()
    }
}

/// The date that starts at character `at` of `chars`, if one does.
pub fn date_at(chars: &[char], at: usize) -> Option<FoundDate> {
    let year_end = at.checked_add(4)?;
    if chars.get(year_end) != Some(&'年') {
        return None;
    }
    let year = parse_year(&chars[at..year_end].iter().collect::<String>())?;
    let (month, after_month) = number_before(chars, year_end + 1, '月')?;
    let (day, end) = number_before(chars, after_month, '日')?;
    Some(FoundDate {
        year,
        month,
        day,
        start: at,
        end,
    })
}

/// The number written from `start` up to the character `unit`, and the index after `unit`.
fn number_before(chars: &[char], start: usize, unit: char) -> Option<(u32, usize)> {
    let mut i = start;
    while i < chars.len() && i - start < 4 && is_numeral_char(chars[i]) {
        i += 1;
    }
    if i == start || chars.get(i) != Some(&unit) {
        return None;
    }
    let n = parse_number(&chars[start..i].iter().collect::<String>())?;
    Some((n, i + 1))
}

/// Every date written in the text, in order.
pub fn find_dates(text: &str) -> Vec<FoundDate> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match date_at(&chars, i) {
            Some(date) => {
                i = date.end;
                found.push(date);
            }
            None => i += 1,
        }
    }
    found
}

/// The date when the whole text is one date (a signature date line).
pub fn date_line(text: &str) -> Option<FoundDate> {
    let chars: Vec<char> = text.chars().collect();
    date_at(&chars, 0).filter(|d| d.end == chars.len())
}

/// A number in Chinese numerals, the way labels write it: `一`, `十一`, `二十三`, `九十九`. Numbers
/// from 100 on are written in Arabic digits.
pub fn to_chinese(n: u32) -> String {
    const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    match n {
        0..=9 => DIGITS[n as usize].to_string(),
        10..=99 => {
            let (tens, ones) = (n / 10, n % 10);
            let mut s = String::new();
            if tens > 1 {
                s.push(DIGITS[tens as usize]);
            }
            s.push('十');
            if ones > 0 {
                s.push(DIGITS[ones as usize]);
            }
            s
        }
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_chinese_numerals_up_to_ninety_nine_and_beyond() {
        let cases = [
            ("一", 1),
            ("十", 10),
            ("十一", 11),
            ("二十", 20),
            ("二十三", 23),
            ("九十九", 99),
            ("一百", 100),
            ("一百零五", 105),
            ("一百二十", 120),
            ("23", 23),
        ];
        for (text, value) in cases {
            assert_eq!(parse_number(text), Some(value), "{text}");
        }
        for bad in ["", "二三", "十十", "百十百", "第", "1a"] {
            assert_eq!(parse_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn reads_dates_in_both_scripts() {
        let d = date_line("二〇二一年六月二日").unwrap();
        assert_eq!((d.year, d.month, d.day), (2021, 6, 2));
        let d = date_line("2021年12月31日").unwrap();
        assert_eq!(d.date().unwrap().to_string(), "2021-12-31");
        let d = date_line("二○二一年十二月二十三日").unwrap();
        assert_eq!((d.year, d.month, d.day), (2021, 12, 23));
        assert!(date_line("2021年2月30日").unwrap().date().is_none());
        for n in [1, 10, 11, 20, 23, 99] {
            assert_eq!(parse_number(&to_chinese(n)), Some(n));
        }
        assert!(date_line("2021年6月2日印发").is_none());
        let found = find_dates("本办法自2021年8月1日起施行，2022年1月1日起废止。");
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].date().unwrap().to_string(), "2021-08-01");
    }
}
