//! What the editor page receives from a compile or an import, as JSON.
//!
//! The page is plain JavaScript, so the results cross the wasm boundary as one JSON value each
//! (parsed into a JS object by [`crate::to_js`]). Building them here, without any browser API,
//! keeps the shape testable natively; the page relies on every field named below.

use jiedu_core::Document;
use jiedu_core::Lang;
use jiedu_core::authoring::Compiled;
use jiedu_core::diagnostic::{Diagnostic, Severity};
use jiedu_core::diff::{Change, diff_documents, diff_text};
use jiedu_core::import::{Field, Imported};
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

/// The result of importing plain text, for a page in Chinese (zh-CN):
///
/// - `markdown`: the authoring format;
/// - `notes`: `{code, line, message}`, `line` counting lines of the pasted text, `message` in
///   Chinese;
/// - `summary`: `{text, provisions: [{level, count}], found, missing, attachments}`, where `text`
///   is the summary as `jiedu import --lang zh-CN` prints it, `found` and `missing` list
///   front-matter keys.
pub fn imported(imported: &Imported) -> Value {
    let summary = &imported.summary;
    let keys = |fields: &[Field]| fields.iter().map(|f| f.key()).collect::<Vec<_>>();
    json!({
        "markdown": imported.markdown,
        "notes": imported
            .notes
            .iter()
            .map(|n| json!({ "code": n.code, "line": n.line, "message": n.message(Lang::ZhCn) }))
            .collect::<Vec<_>>(),
        "summary": {
            "text": summary.render(Lang::ZhCn),
            "provisions": summary
                .provisions
                .iter()
                .map(|(level, count)| json!({ "level": level, "count": count }))
                .collect::<Vec<_>>(),
            "found": keys(&summary.found),
            "missing": keys(&summary.missing),
            "attachments": summary.attachments,
        },
    })
}

/// The comparison of two sources (修改前后对照) for the editor's revision history:
///
/// - `ok`: both compile; otherwise `failed` says which side does not (`"old"` or `"new"`) and
///   nothing else is there;
/// - `diff`: jiedu-core's provision-level [`diff_documents`] as its JSON (`old`, `new`,
///   `counts`, `provisions` with `titleDiff` / `textDiff` pieces);
/// - `notes`: the interpretations and FAQs, which the provision diff leaves out but which are
///   most of what an editor changes after publication (a follow-up interpretation): one row per
///   id in the shape of a provision row (`id`, `change`, `old`, `new` as `{title, text}`,
///   `titleDiff`, `textDiff`) plus `part` (`"interpretation"` or `"faq"`), in the new version's
///   order, removed ones last.
pub fn compared(old: &str, new: &str) -> Value {
    let document = |source: &str| jiedu_core::authoring::compile(source).document;
    let (old, new) = match (document(old), document(new)) {
        (Some(old), Some(new)) => (old, new),
        (None, _) => return json!({ "ok": false, "failed": "old" }),
        (_, None) => return json!({ "ok": false, "failed": "new" }),
    };
    json!({
        "ok": true,
        "diff": diff_documents(&old, &new),
        "notes": note_rows(&old, &new),
    })
}

/// An interpretation or FAQ as the comparison reads it: id, part, title and plain text.
fn notes(doc: &Document) -> Vec<(&str, &'static str, &str, String)> {
    let interpretations = doc.interpretations.iter().map(|i| {
        (
            i.id.as_str(),
            "interpretation",
            i.title.as_str(),
            i.body.plain_text(),
        )
    });
    let faqs = doc.faqs.iter().map(|f| {
        (
            f.id.as_str(),
            "faq",
            f.question.as_str(),
            f.answer.plain_text(),
        )
    });
    interpretations.chain(faqs).collect()
}

fn note_rows(old: &Document, new: &Document) -> Vec<Value> {
    let (old, new) = (notes(old), notes(new));
    let side = |title: &str, text: &str| json!({ "title": title, "text": text });
    let mut rows: Vec<Value> = new
        .iter()
        .map(|(id, part, title, text)| {
            match old
                .iter()
                .find(|(old_id, old_part, ..)| old_id == id && old_part == part)
            {
                None => json!({
                    "id": id, "part": part, "change": Change::Added,
                    "new": side(title, text),
                }),
                Some((_, _, old_title, old_text)) => {
                    let same = old_title == title && old_text == text;
                    let pieces =
                        |a: &str, b: &str| if a == b { Vec::new() } else { diff_text(a, b) };
                    json!({
                        "id": id, "part": part,
                        "change": if same { Change::Unchanged } else { Change::Changed },
                        "old": side(old_title, old_text),
                        "new": side(title, text),
                        "titleDiff": pieces(old_title, title),
                        "textDiff": pieces(old_text, text),
                    })
                }
            }
        })
        .collect();
    rows.extend(
        old.iter()
            .filter(|(id, part, ..)| !new.iter().any(|(i, p, ..)| i == id && p == part))
            .map(|(id, part, title, text)| {
                json!({ "id": id, "part": part, "change": Change::Removed, "old": side(title, text) })
            }),
    );
    rows
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
                      "hint": "check the spelling; the keys are id, title, doc_number, issuer, issued, effective, status, disclosure, lang, summary, replaces and the [consultation] table (opens, closes, kind, contact)",
                      "line": 4,
                      "message": "front matter: unknown field `colour`, expected one of `id`, `title`, `doc_number`, `issuer`, `issued`, `effective`, `status`, `disclosure`, `lang`, `summary`, `replaces`, `consultation`",
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

    /// Pieces as text: `[-deleted-]{+inserted+}`.
    fn pieces(value: &Value) -> String {
        let Some(pieces) = value.as_array() else {
            return String::new();
        };
        pieces
            .iter()
            .map(|p| {
                let text = p["text"].as_str().unwrap();
                match p["op"].as_str().unwrap() {
                    "insert" => format!("{{+{text}+}}"),
                    "delete" => format!("[-{text}-]"),
                    _ => text.to_owned(),
                }
            })
            .collect()
    }

    #[test]
    fn a_comparison_has_provision_rows_and_interpretation_rows() {
        let head = "+++\nid = \"a\"\ntitle = \"标题\"\nstatus = \"in-force\"\ndisclosure = \"public\"\n+++\n";
        let old = format!(
            "{head}# 第一条 {{#s1}}\n本办法自公布之日起施行。\n\n# 第二条 {{#s2}}\n不变。\n\n\
             ## 背景 {{#jd-bg .interpretation kind=background for=s1}}\n\n旧的背景。\n"
        );
        let new = format!(
            "{head}# 第一条 {{#s1}}\n本办法自2027年1月1日起施行。\n\n# 第二条 {{#s2}}\n不变。\n\n\
             ## 背景 {{#jd-bg .interpretation kind=background for=s1}}\n\n旧的背景。\n\n\
             ### 执行情况 {{#jd-fu .interpretation kind=follow-up for=s1 date=2027-06-01}}\n\n执行良好。\n"
        );
        let value = compared(&old, &new);
        let rows = value["diff"]["provisions"]
            .as_array()
            .unwrap()
            .iter()
            .chain(value["notes"].as_array().unwrap())
            .map(|r| {
                format!(
                    "{} {} {}{}",
                    r["change"].as_str().unwrap(),
                    r["id"].as_str().unwrap(),
                    r["part"]
                        .as_str()
                        .map(|p| format!("({p}) "))
                        .unwrap_or_default(),
                    pieces(&r["textDiff"]),
                )
            })
            .collect::<Vec<_>>();
        expect![[r#"
            changed s1 本办法自[-公布之-]{+2027年1月1+}日起施行。
            unchanged s2 
            unchanged jd-bg (interpretation) 
            added jd-fu (interpretation) "#]]
        .assert_eq(&rows.join("\n"));
        assert_eq!(value["ok"], true);
        assert_eq!(
            compared("not a document", &new),
            json!({ "ok": false, "failed": "old" })
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
    fn import_gives_chinese_notes_and_the_summary() {
        let value = imported(&jiedu_core::import::import(
            "关于做好供热工作的通知\n一、做好准备\n（一）检修。完成设备检修。\n（二）储备。储备足够燃料。\n",
        ));
        expect![[r#"
            {
              "attachments": [],
              "found": [
                "title"
              ],
              "missing": [
                "doc_number",
                "issuer",
                "issued",
                "effective",
                "disclosure"
              ],
              "provisions": [
                {
                  "count": 1,
                  "level": "一、"
                },
                {
                  "count": 2,
                  "level": "（一）"
                }
              ],
              "text": "导入摘要：\n  条款：一、 1，（一） 2\n  已识别：标题\n  未找到：文号、发文机关、成文日期、施行日期、公开属性\n  结尾：无\n  附件：无\n  备注：6 条\n"
            }"#]]
        .assert_eq(&serde_json::to_string_pretty(&value["summary"]).unwrap());
        let codes: Vec<String> = value["notes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| {
                format!(
                    "{} {}",
                    n["code"].as_str().unwrap(),
                    n["message"].as_str().unwrap()
                )
            })
            .collect();
        expect![[r#"
            I002 未找到发文字号（如 云政办发〔2021〕39号）；如有文号请补写 doc_number
            I003 未找到成文日期（如 2021年6月2日）；请手动填写 issued
            I004 未找到发文机关（文号上方和日期上方都没有）；请手动填写 issuer
            I008 未找到公开属性附注（如 （此件公开发布））；按 disclosure = "public" 处理
            I018 没有带年份的文号可用于生成 id：id = "doc-83ca46" 由标题生成（成文日期加散列值）；请改为易读且唯一的 id
            I020 标题句末尾的句号未写入标题（（一）规范管理。各县…… → 标题“（一）规范管理”）：第 3, 4 行"#]].assert_eq(&codes.join("\n"));
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
