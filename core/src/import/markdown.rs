//! Writing the authoring format: TOML front matter, provision headings with fixed ids, and text
//! escaped so that nothing in it can turn into Markdown structure.
//!
//! Official text may contain `*`, `#`, `<`, `1.` at the start of a paragraph or `[…]`; written
//! unescaped they would become emphasis, headings, raw HTML, lists or links when the file is
//! compiled. Every character with a Markdown meaning is backslash-escaped instead, which keeps the
//! file readable and makes the compiled text exactly the imported text.

use crate::Date;

/// The front matter of an imported document.
#[derive(Clone, Debug)]
pub struct FrontMatter {
    pub id: String,
    pub title: String,
    pub doc_number: Option<String>,
    pub issuer: Option<String>,
    pub issued: Option<Date>,
    pub effective: Option<Date>,
    pub status: &'static str,
    pub disclosure: &'static str,
    /// True when no disclosure annotation was found and `public` was assumed (not rendered).
    pub assumed_disclosure: bool,
}

impl FrontMatter {
    pub fn render(&self) -> String {
        let mut out = String::from("+++\n");
        let mut line = |key: &str, value: String| {
            out.push_str(key);
            out.push_str(" = ");
            out.push_str(&value);
            out.push('\n');
        };
        line("id", toml_string(&self.id));
        line("title", toml_string(&self.title));
        if let Some(n) = &self.doc_number {
            line("doc_number", toml_string(n));
        }
        if let Some(i) = &self.issuer {
            line("issuer", toml_string(i));
        }
        if let Some(d) = self.issued {
            line("issued", d.to_string());
        }
        if let Some(d) = self.effective {
            line("effective", d.to_string());
        }
        line("status", toml_string(self.status));
        line("disclosure", toml_string(self.disclosure));
        line("lang", toml_string("zh-CN"));
        out.push_str("+++\n");
        out
    }
}

/// A TOML basic string.
pub fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Escapes every character that has a meaning inside a Markdown line.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`'
                | '*'
                | '_'
                | '['
                | ']'
                | '<'
                | '>'
                | '&'
                | '|'
                | '~'
                | '#'
                | '{'
                | '}'
                | '!'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A paragraph of body text: escaped, and with the start escaped where it could open a block
/// (a list item `1.` or `-`, a thematic break, a setext underline).
pub fn paragraph(text: &str) -> String {
    let escaped = escape(text.trim());
    if escaped.starts_with(['-', '+', '=']) {
        return format!("\\{escaped}");
    }
    let digits = escaped.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=9).contains(&digits) && escaped[digits..].starts_with(['.', ')']) {
        return format!("{}\\{}", &escaped[..digits], &escaped[digits..]);
    }
    escaped
}

/// A Markdown table: the first row is the head. Cells are escaped like paragraphs, so `|` in
/// a cell stays text.
pub fn table(rows: &[Vec<String>]) -> String {
    let row = |cells: &[String]| {
        let cells: Vec<String> = cells.iter().map(|c| escape(c.trim())).collect();
        format!("| {} |", cells.join(" | "))
    };
    let mut out = Vec::with_capacity(rows.len() + 1);
    if let Some(head) = rows.first() {
        out.push(row(head));
        out.push(format!("|{}", " --- |".repeat(head.len())));
    }
    out.extend(rows.iter().skip(1).map(|r| row(r)));
    out.join("\n")
}

/// Lines kept as they are in a fenced block, with a fence longer than any run of backticks in
/// them.
pub fn fenced(lines: &[String]) -> String {
    let longest = lines
        .iter()
        .flat_map(|l| l.split(|c| c != '`').map(str::len))
        .max()
        .unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}text\n{}\n{fence}", lines.join("\n"))
}

/// A paragraph in bold (the title of a notice kept in the preamble).
pub fn strong(text: &str) -> String {
    format!("**{}**", escape(text.trim()))
}

/// A provision heading: `## （一）规范政务信息管理 {#s1-1}`.
pub fn heading(depth: usize, label: &str, separator: &str, title: &str, id: &str) -> String {
    let hashes = "#".repeat(depth.clamp(1, 6));
    let title = escape(title.trim());
    if title.is_empty() {
        format!("{hashes} {} {{#{id}}}", escape(label))
    } else {
        format!("{hashes} {}{separator}{title} {{#{id}}}", escape(label))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_markdown_would_read() {
        assert_eq!(paragraph("1.各县"), "1\\.各县");
        assert_eq!(paragraph("2) 其他"), "2\\) 其他");
        assert_eq!(paragraph("- 列表"), "\\- 列表");
        assert_eq!(
            paragraph("# 标题 *强调* <b>"),
            "\\# 标题 \\*强调\\* \\<b\\>"
        );
        assert_eq!(paragraph("2021年"), "2021年");
        assert_eq!(toml_string("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(
            heading(2, "（一）", "", "规范管理", "s1-1"),
            "## （一）规范管理 {#s1-1}"
        );
        assert_eq!(heading(3, "第三条", "", "", "a3"), "### 第三条 {#a3}");
    }
}
