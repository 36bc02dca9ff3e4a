//! What the editor page receives from a compile or an import, as JSON.
//!
//! The page is plain JavaScript, so the results cross the wasm boundary as one JSON value each
//! (parsed into a JS object by [`crate::to_js`]). Building them here, without any browser API,
//! keeps the shape testable natively; the page relies on every field named below.

use jiedu_core::authoring::Compiled;
use jiedu_core::diagnostic::{Diagnostic, Severity};
use jiedu_core::import::Imported;
use serde_json::{Value, json};

/// The result of compiling `source`:
///
/// - `ok`: no error, so `json` holds the document;
/// - `errors`, `warnings`: counts;
/// - `diagnostics`: `{code, severity, line, column, from, to, message, hint}` sorted by
///   position, where `line` and `column` are 1-based (columns count characters, like
///   `jiedu check`) and `from..to` is the span in UTF-16 code units, ready for
///   `textarea.setSelectionRange`;
/// - `id`, `title`: the document's, for file names and the page title (`null` with errors);
/// - `json`: the compiled document exactly as `jiedu build` writes it (`null` with errors).
pub fn compiled(source: &str, compiled: &Compiled) -> Value {
    let count = |severity| {
        compiled
            .diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    };
    let document = compiled.document.as_ref();
    json!({
        "ok": document.is_some(),
        "errors": count(Severity::Error),
        "warnings": count(Severity::Warning),
        "diagnostics": compiled
            .diagnostics
            .iter()
            .map(|d| diagnostic(source, d))
            .collect::<Vec<_>>(),
        "id": document.map(|d| d.id.as_str()),
        "title": document.map(|d| d.title.as_str()),
        "json": document.map(|d| serde_json::to_string(d).expect("a document always serialises")),
    })
}

fn diagnostic(source: &str, d: &Diagnostic) -> Value {
    json!({
        "code": d.code,
        "severity": match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        },
        "line": d.line,
        "column": d.column,
        "from": utf16_offset(source, d.span.start),
        "to": utf16_offset(source, d.span.end.max(d.span.start)),
        "message": d.message,
        "hint": d.hint,
    })
}

/// The UTF-16 offset (what JavaScript strings count) of a byte offset, clamped into `source`
/// and moved back to a character boundary.
pub fn utf16_offset(source: &str, byte: usize) -> usize {
    let mut byte = byte.min(source.len());
    while !source.is_char_boundary(byte) {
        byte -= 1;
    }
    source[..byte].encode_utf16().count()
}

/// The result of importing plain text: `markdown` (authoring format) and `notes`
/// (`{code, line, message}`, `line` counting lines of the pasted text).
pub fn imported(imported: &Imported) -> Value {
    json!({
        "markdown": imported.markdown,
        "notes": imported
            .notes
            .iter()
            .map(|n| json!({ "code": n.code, "line": n.line, "message": n.message }))
            .collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;

    fn check(source: &str, expect: Expect) {
        let compiled_source = jiedu_core::authoring::compile(source).in_lang(jiedu_core::Lang::En);
        let mut value = compiled(source, &compiled_source);
        // The compiled JSON is `jiedu build`'s business; here only whether it is there matters.
        if let Some(json) = value.get_mut("json").filter(|j| j.is_string()) {
            *json = Value::from("…");
        }
        expect.assert_eq(&serde_json::to_string_pretty(&value).unwrap());
    }

    #[test]
    fn errors_have_positions_in_utf16_and_no_document() {
        // `𝔸` takes two UTF-16 code units and four bytes: the span must count the former.
        check(
            "+++\nid = \"a\"\ntitle = \"𝔸 标题\"\ncolour = 1\n+++\n# 一、总则 {#s1}\n正文。\n",
            expect![[r#"
                {
                  "diagnostics": [
                    {
                      "code": "J0003",
                      "column": 1,
                      "from": 29,
                      "hint": "check the spelling; the keys are id, title, doc_number, issuer, issued, effective, status, disclosure, lang, summary and the [consultation] table (opens, closes, kind, contact)",
                      "line": 4,
                      "message": "front matter: unknown field `colour`, expected one of `id`, `title`, `doc_number`, `issuer`, `issued`, `effective`, `status`, `disclosure`, `lang`, `summary`, `consultation`",
                      "severity": "error",
                      "to": 35
                    }
                  ],
                  "errors": 1,
                  "id": null,
                  "json": null,
                  "ok": false,
                  "title": null,
                  "warnings": 0
                }"#]],
        );
    }

    #[test]
    fn a_clean_document_has_its_json() {
        check(
            "+++\nid = \"a\"\ntitle = \"标题\"\nstatus = \"draft\"\ndisclosure = \"public\"\n+++\n# 一、总则 {#s1}\n正文。\n",
            expect![[r#"
                {
                  "diagnostics": [],
                  "errors": 0,
                  "id": "a",
                  "json": "…",
                  "ok": true,
                  "title": "标题",
                  "warnings": 0
                }"#]],
        );
    }

    #[test]
    fn offsets_clamp_to_character_boundaries() {
        assert_eq!(utf16_offset("a𝔸b", 0), 0);
        assert_eq!(utf16_offset("a𝔸b", 2), 1, "inside 𝔸: back to its start");
        assert_eq!(utf16_offset("a𝔸b", 5), 3);
        assert_eq!(utf16_offset("a𝔸b", 99), 4);
    }

    #[test]
    fn import_notes_keep_their_codes_and_lines() {
        let value = imported(&jiedu_core::import::import("一、总则\n正文。\n"));
        assert!(value["markdown"].as_str().unwrap().starts_with("+++\n"));
        let notes = value["notes"].as_array().unwrap();
        assert!(
            !notes.is_empty(),
            "no title, number or date: notes expected"
        );
        assert!(
            notes
                .iter()
                .all(|n| n["code"].as_str().unwrap().starts_with('I')
                    && n["line"].as_u64().unwrap() >= 1
                    && !n["message"].as_str().unwrap().is_empty())
        );
    }
}
