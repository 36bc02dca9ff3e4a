//! Diagnostics: what `jiedu check` reports about an authoring file.
//!
//! Every diagnostic has a stable code (`J0xxx` errors, `J1xxx` warnings; see
//! `docs/diagnostics.md`), a position, a message that says what is wrong and, where useful, a hint
//! that says what to do. [`Diagnostic::render`] prints it like rustc does, with the source line.
//!
//! Editors write Chinese documents, so every message and hint exists in Simplified Chinese and
//! in English ([`Bilingual`]); a diagnostic carries both and shows one in `message` and `hint`.
//! The compiler shows the document's own language; [`Diagnostic::in_lang`] switches (for
//! `jiedu check --lang`, the editor API's `Accept-Language` and the editor page's language).

use std::fmt::Write as _;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::model::Lang;

/// A text in both languages of the product. There is deliberately no conversion from a plain
/// string: a diagnostic without its Chinese text does not compile.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Bilingual {
    pub en: String,
    pub zh: String,
}

impl Bilingual {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::ZhCn => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// A [`Bilingual`] from its English and its Chinese text.
pub fn tr(en: impl Into<String>, zh: impl Into<String>) -> Bilingual {
    Bilingual {
        en: en.into(),
        zh: zh.into(),
    }
}

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
    /// In the language chosen with [`Diagnostic::in_lang`] (the document's, from the compiler).
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// The message and hint in both languages (empty in a diagnostic read back from JSON).
    #[serde(skip)]
    texts: Box<(Bilingual, Option<Bilingual>)>,
}

impl Diagnostic {
    /// A diagnostic at the byte range `span` of `source`; line and column are computed from it.
    /// The diagnostic is shown in English until [`Diagnostic::in_lang`] chooses.
    pub fn new(
        code: &str,
        severity: Severity,
        source: &str,
        span: Range<usize>,
        message: Bilingual,
    ) -> Diagnostic {
        let (line, column) = line_column(source, span.start);
        Diagnostic {
            code: code.to_owned(),
            severity,
            line,
            column,
            span,
            message: message.en.clone(),
            hint: None,
            texts: Box::new((message, None)),
        }
    }

    pub fn error(code: &str, source: &str, span: Range<usize>, message: Bilingual) -> Diagnostic {
        Diagnostic::new(code, Severity::Error, source, span, message)
    }

    pub fn warning(code: &str, source: &str, span: Range<usize>, message: Bilingual) -> Diagnostic {
        Diagnostic::new(code, Severity::Warning, source, span, message)
    }

    pub fn with_hint(mut self, hint: Bilingual) -> Diagnostic {
        self.hint = Some(hint.en.clone());
        self.texts.1 = Some(hint);
        self
    }

    /// The diagnostic with its message and hint in `lang`. A diagnostic read back from JSON has
    /// only the language it was written in and stays as it is.
    pub fn in_lang(mut self, lang: Lang) -> Diagnostic {
        let (message, hint) = &*self.texts;
        if !message.en.is_empty() {
            self.message = message.get(lang).to_owned();
            self.hint = hint.as_ref().map(|h| h.get(lang).to_owned());
        }
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
        // rustc's words stay English in both languages: tools and editors grep for them.
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
        let d = Diagnostic::warning(
            "J1999",
            source,
            start..start + "总则".len(),
            tr("example", "示例"),
        )
        .with_hint(tr("do this", "这样做"));
        expect_test::expect![[r#"
            warning[J1999]: example
             --> a.md:4:5
              |
            4 | # 一、总则 {#s1}
              |       ^^^^
              = help: do this
        "#]]
        .assert_eq(&d.clone().render("a.md", source));
        expect_test::expect![[r#"
            warning[J1999]: 示例
             --> a.md:4:5
              |
            4 | # 一、总则 {#s1}
              |       ^^^^
              = help: 这样做
        "#]]
        .assert_eq(&d.in_lang(Lang::ZhCn).render("a.md", source));
    }
}
