//! Reading a heading's `{…}` attribute block again from the source.
//!
//! pulldown-cmark finds the block (the trailing `{…}` of the heading's last line, with no `{`, `}`,
//! `<`, `>` or `\` inside) but splits its content at every space, so `by="市 大数据局"` arrives as
//! two broken attributes. We take the block's position from the same rule and tokenise it
//! ourselves, honouring quotes (`"…"`, `'…'` and the full-width `“…”` a Chinese input method
//! types) and the full-width space.

use std::iter::Peekable;
use std::ops::Range;
use std::str::CharIndices;

use crate::diagnostic::{Bilingual, tr};

/// One item of an attribute block, with byte spans into the source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Attr {
    pub kind: AttrKind,
    /// `id` for `#id`, `interpretation` for `.interpretation`, `kind` for `kind=…`.
    pub name: String,
    pub value: Option<String>,
    /// The whole item (`kind=background`).
    pub span: Range<usize>,
    /// The value without quotes, or the whole item when there is no value.
    pub value_span: Range<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AttrKind {
    /// `#id`
    Id,
    /// `.class`
    Class,
    /// `key=value` or a bare `key`.
    Pair,
}

/// A problem found while tokenising a block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct AttrError {
    pub span: Range<usize>,
    pub message: Bilingual,
    pub hint: Bilingual,
}

/// The byte range of the `{…}` block (braces included) that ends the heading at `heading`, using
/// pulldown-cmark's rule. `heading` is the heading's range in `source` as the parser reports it.
pub(crate) fn find_block(source: &str, heading: Range<usize>) -> Option<Range<usize>> {
    let text = source.get(heading.clone())?;
    let trimmed = text.trim_end_matches(['\n', '\r', ' ', '\t']);
    let is_atx = trimmed.trim_start_matches(' ').starts_with('#');
    // A setext heading's last line is its underline; the block ends the line before it.
    let content = if is_atx {
        trimmed.split(['\n', '\r']).next().unwrap_or("")
    } else {
        match trimmed.rfind('\n') {
            Some(i) => &trimmed[..i],
            None => return None,
        }
    };
    let content = content.trim_end_matches(['\n', '\r', ' ', '\t']);
    let bytes = content.as_bytes();
    if bytes.last() != Some(&b'}') {
        return None;
    }
    let close = bytes.len() - 1;
    let mut i = close;
    while i > 0 {
        match bytes[i - 1] {
            b'{' => {
                let start = heading.start + i - 1;
                return Some(start..heading.start + close + 1);
            }
            b'}' | b'<' | b'>' | b'\\' | b'\n' | b'\r' => return None,
            _ => i -= 1,
        }
    }
    None
}

fn is_space(c: char) -> bool {
    c.is_ascii_whitespace() || c == '\u{3000}'
}

/// Tokenises the block at `block` (braces included). Returns the items read and the problems met;
/// an item with a problem is left out.
pub(crate) fn parse_block(source: &str, block: Range<usize>) -> (Vec<Attr>, Vec<AttrError>) {
    let mut attrs = Vec::new();
    let mut errors = Vec::new();
    let Some(inner) = source.get(block.start + 1..block.end - 1) else {
        return (attrs, errors);
    };
    let base = block.start + 1;
    let mut chars = inner.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if is_space(c) {
            chars.next();
            continue;
        }
        let token = read_token(&mut chars, inner, start);
        match to_attr(&token, inner, base) {
            Ok(attr) => attrs.push(attr),
            Err(error) => errors.push(error),
        }
    }
    (attrs, errors)
}

/// One item of a block as it is written, in byte offsets into the block's inside.
struct Token {
    start: usize,
    end: usize,
    /// Where the name ends, at the first `=`.
    name_end: Option<usize>,
    /// Where the value is, quotes left out.
    value: Option<(usize, usize)>,
    /// A quote opened and never closed: the token runs to the end of the block.
    unclosed: bool,
}

/// Reads a token up to the next space, except inside quotes.
fn read_token(chars: &mut Peekable<CharIndices<'_>>, inner: &str, start: usize) -> Token {
    let mut token = Token {
        start,
        end: start,
        name_end: None,
        value: None,
        unclosed: false,
    };
    while let Some(&(i, c)) = chars.peek() {
        if is_space(c) {
            break;
        }
        chars.next();
        token.end = i + c.len_utf8();
        if c == '=' {
            token.name_end = Some(i);
            read_value(chars, inner, &mut token);
            break;
        }
    }
    token
}

/// Reads the value after a token's `=`: in quotes (`"…"`, `'…'` or `“…”`), or up to the next
/// space.
fn read_value(chars: &mut Peekable<CharIndices<'_>>, inner: &str, token: &mut Token) {
    let value_start = token.end;
    let close = match chars.peek() {
        Some(&(_, '"')) => Some('"'),
        Some(&(_, '\'')) => Some('\''),
        Some(&(_, '“')) => Some('”'),
        _ => None,
    };
    let Some(close) = close else {
        let mut value_end = value_start;
        while let Some(&(i, c)) = chars.peek() {
            if is_space(c) {
                break;
            }
            chars.next();
            value_end = i + c.len_utf8();
        }
        token.end = value_end.max(token.end);
        token.value = Some((value_start, value_end));
        return;
    };
    let (q, open) = chars.next().unwrap_or((value_start, '"'));
    let from = q + open.len_utf8();
    let mut closed_at = None;
    for (j, c) in chars.by_ref() {
        if c == close {
            closed_at = Some(j);
            token.end = j + c.len_utf8();
            break;
        }
    }
    match closed_at {
        Some(j) => token.value = Some((from, j)),
        None => {
            token.unclosed = true;
            token.end = inner.len();
        }
    }
    // Anything glued after the closing quote belongs to the same token.
    while let Some(&(i, c)) = chars.peek() {
        if is_space(c) {
            break;
        }
        chars.next();
        token.end = i + c.len_utf8();
    }
}

/// The item a token writes, or the problem that leaves it out.
fn to_attr(t: &Token, inner: &str, base: usize) -> Result<Attr, AttrError> {
    let span = base + t.start..base + t.end;
    let token = &inner[t.start..t.end];
    if t.unclosed {
        return Err(AttrError {
            span,
            message: tr(
                format!("the quoted value of `{token}` is not closed"),
                format!("`{token}` 的引号没有闭合"),
            ),
            hint: tr(
                "close the quote; a quoted value may hold spaces but no `{`, `}`, `<`, `>` or `\\`",
                "补上后引号；引号里的值可以有空格，但不能有 `{`、`}`、`<`、`>` 或 `\\`",
            ),
        });
    }
    let (kind, name) = if let Some(rest) = token.strip_prefix('#') {
        (AttrKind::Id, rest.to_owned())
    } else if let Some(rest) = token.strip_prefix('.') {
        (AttrKind::Class, rest.to_owned())
    } else {
        let name = &inner[t.start..t.name_end.unwrap_or(t.end)];
        (AttrKind::Pair, name.to_owned())
    };
    if kind != AttrKind::Pair && token.len() == 1 {
        return Err(AttrError {
            span,
            message: tr(
                format!("`{token}` has no name after it"),
                format!("`{token}` 后面缺少名称"),
            ),
            hint: tr(
                "write `#id` to fix the id or `.interpretation` / `.faq` to set the heading's role",
                "写 `#id` 固定 id，或写 `.interpretation` / `.faq` 指定标题的作用",
            ),
        });
    }
    let (value, value_span) = match (kind, t.value) {
        (AttrKind::Pair, Some((from, to))) => {
            (Some(inner[from..to].to_owned()), base + from..base + to)
        }
        (AttrKind::Id | AttrKind::Class, _) => {
            (Some(name.clone()), base + t.start + 1..base + t.end)
        }
        (AttrKind::Pair, None) => (None, span.clone()),
    };
    let name = match kind {
        AttrKind::Id => "id".to_owned(),
        _ => name,
    };
    Ok(Attr {
        kind,
        name,
        value,
        span,
        value_span,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(heading: &str) -> Vec<String> {
        let block = find_block(heading, 0..heading.len()).expect("a block");
        let (attrs, errors) = parse_block(heading, block);
        let mut out: Vec<String> = attrs
            .iter()
            .map(|a| {
                format!(
                    "{:?} {} = {:?} @{}",
                    a.kind,
                    a.name,
                    a.value,
                    &heading[a.value_span.clone()]
                )
            })
            .collect();
        out.extend(errors.iter().map(|e| format!("error {}", e.message.en)));
        out
    }

    #[test]
    fn finds_blocks_like_pulldown_cmark() {
        let h = "### 主要考虑 {.interpretation for=s1}\n";
        assert_eq!(find_block(h, 0..h.len()), Some(17..h.len() - 1));
        assert_eq!(find_block("# A {x<y}\n", 0..10), None);
        assert_eq!(find_block("# A {#a} ##\n", 0..12), None);
        let setext = "Title {#b .faq}\r\n---\r\n";
        assert_eq!(
            find_block(setext, 0..setext.len()).map(|r| &setext[r]),
            Some("{#b .faq}")
        );
    }

    #[test]
    fn honours_quotes() {
        assert_eq!(
            read("## x {#s1 .interpretation by=\"市 大数据局\" for=a,b date='2021-06-10'}"),
            vec![
                "Id id = Some(\"s1\") @s1",
                "Class interpretation = Some(\"interpretation\") @interpretation",
                "Pair by = Some(\"市 大数据局\") @市 大数据局",
                "Pair for = Some(\"a,b\") @a,b",
                "Pair date = Some(\"2021-06-10\") @2021-06-10",
            ]
        );
        assert_eq!(
            read("## x {.interpretation　by=“市政府办公室 张三”}"),
            vec![
                "Class interpretation = Some(\"interpretation\") @interpretation",
                "Pair by = Some(\"市政府办公室 张三\") @市政府办公室 张三",
            ]
        );
        assert_eq!(
            read("## x {by=\"open kind=x}"),
            vec!["error the quoted value of `by=\"open kind=x` is not closed"]
        );
        assert_eq!(
            read("## x {bare # .}"),
            vec![
                "Pair bare = None @bare",
                "error `#` has no name after it",
                "error `.` has no name after it",
            ]
        );
    }
}
