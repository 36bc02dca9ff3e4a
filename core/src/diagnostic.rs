//! Diagnostics: what `jiedu check` reports about an authoring file.
//!
//! Every diagnostic has a stable code (`J0xxx` errors, `J1xxx` warnings; see
//! `docs/diagnostics.md`), a position, a message that says what is wrong and, where useful, a hint
//! that says what to do. [`Diagnostic::render`] prints it like rustc does, with the source line.

use std::fmt::Write as _;
use std::ops::Range;

use serde::{Deserialize, Serialize};

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostic {
    /// Stable code, e.g. `J0003`. Tests and tools match on it, never on the message.
    pub code: String,
    pub severity: Severity,
    /// 1-based line of the start of the span.
    pub line: u32,
    /// 1-based column, counted in characters (not bytes) of that line.
    pub column: u32,
    /// Byte range in the source the diagnostic points at.
    pub span: Range<usize>,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A diagnostic at the byte range `span` of `source`; line and column are computed from it.
    pub fn new(
        code: &str,
        severity: Severity,
        source: &str,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Diagnostic {
        let (line, column) = line_column(source, span.start);
        Diagnostic {
            code: code.to_owned(),
            severity,
            line,
            column,
            span,
            message: message.into(),
            hint: None,
        }
    }

    pub fn error(
        code: &str,
        source: &str,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(code, Severity::Error, source, span, message)
    }

    pub fn warning(
        code: &str,
        source: &str,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(code, Severity::Warning, source, span, message)
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    /// Renders the diagnostic like rustc:
    ///
    /// ```text
    /// warning[J1001]: interpretation copies 92% of the provision it interprets
    ///   --> content/a.md:14:1
    ///    |
    /// 14 | ### 要点 {.interpretation}
    ///    | ^^^^^^^^^^^^^^^^^^^^^^^^^
    ///    = help: explain background, considerations or impact instead of restating the text
    /// ```
    pub fn render(&self, file: &str, source: &str) -> String {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut out = String::new();
        let _ = writeln!(out, "{severity}[{}]: {}", self.code, self.message);
        let line_no = self.line.to_string();
        let pad = " ".repeat(line_no.len());
        let _ = writeln!(out, "{pad}--> {file}:{}:{}", self.line, self.column);
        if let Some(text) = source.lines().nth(self.line.saturating_sub(1) as usize) {
            let line_start = line_start(source, self.span.start);
            let start_col = self.column.saturating_sub(1) as usize;
            let end = self
                .span
                .end
                .min(line_start + text.len())
                .max(self.span.start);
            let width = source
                .get(self.span.start..end)
                .map_or(1, display_width)
                .max(1);
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{line_no} | {text}");
            let lead = display_width(&text.chars().take(start_col).collect::<String>());
            let _ = writeln!(out, "{pad} | {}{}", " ".repeat(lead), "^".repeat(width));
        }
        if let Some(hint) = &self.hint {
            let _ = writeln!(out, "{pad} = help: {hint}");
        }
        out
    }
}

fn line_start(source: &str, offset: usize) -> usize {
    let offset = offset.min(source.len());
    source[..offset].rfind('\n').map_or(0, |i| i + 1)
}

/// 1-based (line, column) of a byte offset; the column counts characters.
pub fn line_column(source: &str, offset: usize) -> (u32, u32) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let line = source[..offset].matches('\n').count() + 1;
    let column = source[line_start(source, offset)..offset].chars().count() + 1;
    (line as u32, column as u32)
}

/// Terminal columns the text takes: CJK and other wide characters take two.
fn display_width(text: &str) -> usize {
    text.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F
            | 0x2E80..=0x303E
            | 0x3041..=0x33FF
            | 0x3400..=0x4DBF
            | 0x4E00..=0x9FFF
            | 0xA000..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6
            | 0x20000..=0x3FFFD => 2,
            _ => 1,
        })
        .sum()
}

/// True when any diagnostic is an error (the document cannot be built).
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity == Severity::Error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_rustc_with_wide_characters() {
        let source = "+++\nid = \"x\"\n+++\n# 一、总则 {#s1}\n";
        let start = source.find("总则").unwrap();
        let d = Diagnostic::warning("J1999", source, start..start + "总则".len(), "example")
            .with_hint("do this");
        expect_test::expect![[r#"
            warning[J1999]: example
             --> a.md:4:5
              |
            4 | # 一、总则 {#s1}
              |       ^^^^
              = help: do this
        "#]]
        .assert_eq(&d.render("a.md", source));
    }
}
