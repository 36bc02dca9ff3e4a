//! Reads a compiled document from parsed JSON without serde.
//!
//! Why not `serde_json::from_str::<Document>`: measured on this widget, serde_json plus the derived
//! visitors (the internally tagged rich-text enums buffer through serde's `Content`, and the
//! number parser brings float tables and float formatting) cost about 125 KB of the 550 KB wasm
//! before optimisation, roughly a quarter of the size budget. The browser already has a JSON
//! parser: the widget calls `JSON.parse` and walks the result with this module, which compiles to
//! a small fraction of that.
//!
//! The reader is generic over [`Json`], so the same code runs on `JsValue` in the browser and on
//! `serde_json::Value` in native tests, where it is checked against jiedu-core's own serde
//! implementation (a round trip of a document that uses every type and variant). It mirrors the
//! serde attributes of `jiedu_core::model` and `jiedu_core::rich`: required fields are required,
//! `#[serde(default)]` fields may be missing, unknown fields are ignored. Struct literals below
//! fail to compile when core adds a field, and `tests::rich_text_variants_are_exhaustive` when core
//! adds a rich-text node; the string enums are read with the `parse` that core's `wire_enum!`
//! generates from the same table as serde, so the mirror cannot silently drift.

use std::fmt;

use jiedu_core::comment::{
    Decision, DecisionCount, FeedbackReport, FeedbackRow, FieldError, FieldErrorCode,
    FinalProvision, NotListed, PublicStatus, ReceiptStatus, Stance, SubmitterType,
};
use jiedu_core::rich::{Align, Block, Inline, RichText};
use jiedu_core::{
    Consultation, ConsultationKind, Date, Disclosure, Document, Faq, Interpretation,
    InterpretationKind, Lang, Lapse, LapseKind, Media, MediaKind, Provision, Status, Target,
    Timestamp,
};

/// A parsed JSON value, as far as the reader needs to see it.
pub trait Json: Sized {
    /// The member `key` of an object; `None` when absent, `null`, or `self` is not an object.
    fn get(&self, key: &str) -> Option<Self>;
    fn string(&self) -> Option<String>;
    fn number(&self) -> Option<f64>;
    fn boolean(&self) -> Option<bool>;
    fn array(&self) -> Option<Vec<Self>>;
}

/// Why a JSON value is not a compiled document: what is wrong and where (`provisions[2].title`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    /// Path segments, innermost first while the error travels up.
    path: Vec<String>,
    message: String,
}

impl DecodeError {
    pub(crate) fn new(message: impl Into<String>) -> DecodeError {
        DecodeError {
            path: Vec::new(),
            message: message.into(),
        }
    }

    fn at(mut self, segment: String) -> DecodeError {
        self.path.push(segment);
        self
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if !self.path.is_empty() {
            f.write_str(" at ")?;
            for (i, segment) in self.path.iter().rev().enumerate() {
                if i > 0 && !segment.starts_with('[') {
                    f.write_str(".")?;
                }
                f.write_str(segment)?;
            }
        }
        Ok(())
    }
}

pub(crate) type R<T> = Result<T, DecodeError>;

pub(crate) fn field<J: Json, T>(obj: &J, key: &str, read: fn(&J) -> R<T>) -> R<T> {
    match obj.get(key) {
        Some(value) => read(&value).map_err(|e| e.at(key.to_owned())),
        None => Err(DecodeError::new(format!("missing field `{key}`"))),
    }
}

pub(crate) fn optional<J: Json, T>(obj: &J, key: &str, read: fn(&J) -> R<T>) -> R<Option<T>> {
    obj.get(key)
        .map(|value| read(&value).map_err(|e| e.at(key.to_owned())))
        .transpose()
}

pub(crate) fn defaulted<J: Json, T: Default>(obj: &J, key: &str, read: fn(&J) -> R<T>) -> R<T> {
    Ok(optional(obj, key, read)?.unwrap_or_default())
}

pub(crate) fn string<J: Json>(value: &J) -> R<String> {
    value
        .string()
        .ok_or_else(|| DecodeError::new("expected a string"))
}

pub(crate) fn boolean<J: Json>(value: &J) -> R<bool> {
    value
        .boolean()
        .ok_or_else(|| DecodeError::new("expected true or false"))
}

pub(crate) fn integer<J: Json>(value: &J, max: f64) -> R<f64> {
    match value.number() {
        Some(n) if n.fract() == 0.0 && (0.0..=max).contains(&n) => Ok(n),
        _ => Err(DecodeError::new("expected a whole number")),
    }
}

pub(crate) fn list<J: Json, T>(value: &J, read: fn(&J) -> R<T>) -> R<Vec<T>> {
    let items = value
        .array()
        .ok_or_else(|| DecodeError::new("expected an array"))?;
    items
        .iter()
        .enumerate()
        .map(|(i, item)| read(item).map_err(|e| e.at(format!("[{i}]"))))
        .collect()
}

/// Reads a string and maps it to a value with `parse`, naming the field's allowed values.
pub(crate) fn one_of<J: Json, T>(value: &J, parse: fn(&str) -> Option<T>) -> R<T> {
    let s = string(value)?;
    parse(&s).ok_or_else(|| DecodeError::new(format!("unknown value `{s}`")))
}

fn date<J: Json>(value: &J) -> R<Date> {
    string(value)?
        .parse()
        .map_err(|e: jiedu_core::date::DateError| DecodeError::new(e.to_string()))
}

fn timestamp<J: Json>(value: &J) -> R<Timestamp> {
    string(value)?
        .parse()
        .map_err(|e: jiedu_core::date::DateError| DecodeError::new(e.to_string()))
}

pub(crate) fn target<J: Json>(value: &J) -> R<Target> {
    let s = string(value)?;
    Ok(if s == "document" {
        Target::Document
    } else {
        Target::Provision(s)
    })
}

/// Reads a compiled document. The caller has checked `formatVersion` already.
pub fn document<J: Json>(v: &J) -> R<Document> {
    Ok(Document {
        format_version: field(v, "formatVersion", |n| integer(n, u32::MAX.into()))? as u32,
        id: field(v, "id", string)?,
        title: field(v, "title", string)?,
        doc_number: optional(v, "docNumber", string)?,
        issuer: optional(v, "issuer", string)?,
        issued: optional(v, "issued", date)?,
        effective: optional(v, "effective", date)?,
        status: field(v, "status", |s| one_of(s, Status::parse))?,
        disclosure: field(v, "disclosure", |s| one_of(s, Disclosure::parse))?,
        lang: field(v, "lang", |s| one_of(s, Lang::parse))?,
        summary: optional(v, "summary", string)?,
        preamble: defaulted(v, "preamble", rich_text)?,
        provisions: field(v, "provisions", |l| list(l, provision))?,
        closing: defaulted(v, "closing", rich_text)?,
        interpretations: field(v, "interpretations", |l| list(l, interpretation))?,
        faqs: field(v, "faqs", |l| list(l, faq))?,
        consultation: optional(v, "consultation", consultation)?,
        // Read for the link to the compare page (修订对照) that the server renders. Leniently,
        // with plain gets: the `optional` reader's error paths cost the budget ~200 bytes more.
        replaces: v.get("replaces").and_then(|r| r.string()),
        lapsed: optional(v, "lapsed", lapse)?,
    })
}

fn lapse<J: Json>(v: &J) -> R<Lapse> {
    Ok(Lapse {
        kind: field(v, "kind", |s| one_of(s, LapseKind::parse))?,
        on: field(v, "on", date)?,
    })
}

fn provision<J: Json>(v: &J) -> R<Provision> {
    Ok(Provision {
        id: field(v, "id", string)?,
        fixed_id: defaulted(v, "fixedId", boolean)?,
        label: optional(v, "label", string)?,
        title: field(v, "title", string)?,
        body: defaulted(v, "body", rich_text)?,
        children: defaulted(v, "children", |l| list(l, provision))?,
    })
}

fn interpretation<J: Json>(v: &J) -> R<Interpretation> {
    Ok(Interpretation {
        id: field(v, "id", string)?,
        targets: field(v, "targets", |l| list(l, target))?,
        kind: field(v, "kind", |s| one_of(s, InterpretationKind::parse))?,
        title: field(v, "title", string)?,
        body: field(v, "body", rich_text)?,
        by: optional(v, "by", string)?,
        date: optional(v, "date", date)?,
        media: defaulted(v, "media", |l| list(l, media))?,
    })
}

fn media<J: Json>(v: &J) -> R<Media> {
    Ok(Media {
        kind: field(v, "kind", |s| one_of(s, MediaKind::parse))?,
        src: field(v, "src", string)?,
        alt: field(v, "alt", string)?,
    })
}

fn faq<J: Json>(v: &J) -> R<Faq> {
    Ok(Faq {
        id: field(v, "id", string)?,
        question: field(v, "question", string)?,
        answer: field(v, "answer", rich_text)?,
        related: defaulted(v, "related", |l| list(l, target))?,
    })
}

fn consultation<J: Json>(v: &J) -> R<Consultation> {
    Ok(Consultation {
        opens: field(v, "opens", timestamp)?,
        closes: field(v, "closes", timestamp)?,
        kind: field(v, "kind", |s| one_of(s, ConsultationKind::parse))?,
        contact: optional(v, "contact", string)?,
    })
}

fn rich_text<J: Json>(v: &J) -> R<RichText> {
    Ok(RichText(blocks(v)?))
}

fn blocks<J: Json>(v: &J) -> R<Vec<Block>> {
    list(v, block)
}

fn inlines<J: Json>(v: &J) -> R<Vec<Inline>> {
    list(v, inline)
}

fn block<J: Json>(v: &J) -> R<Block> {
    let tag = field(v, "t", string)?;
    Ok(match tag.as_str() {
        "p" => Block::Paragraph {
            c: field(v, "c", inlines)?,
        },
        "list" => Block::List {
            start: optional(v, "start", |n| integer(n, 9.007_199_254_740_991e15))?
                .map(|n| n as u64),
            items: field(v, "items", |l| list(l, blocks))?,
        },
        "quote" => Block::Quote {
            c: field(v, "c", blocks)?,
        },
        "code" => Block::Code {
            text: field(v, "text", string)?,
        },
        "table" => Block::Table {
            align: field(v, "align", |l| list(l, |a| one_of(a, Align::parse)))?,
            head: field(v, "head", |l| list(l, inlines))?,
            rows: field(v, "rows", |l| list(l, |row| list(row, inlines)))?,
        },
        "rule" => Block::Rule,
        "footnote" => Block::Footnote {
            label: field(v, "label", string)?,
            c: field(v, "c", blocks)?,
        },
        other => return Err(DecodeError::new(format!("unknown block `{other}`")).at("t".into())),
    })
}

fn inline<J: Json>(v: &J) -> R<Inline> {
    let tag = field(v, "t", string)?;
    Ok(match tag.as_str() {
        "text" => Inline::Text {
            s: field(v, "s", string)?,
        },
        "strong" => Inline::Strong {
            c: field(v, "c", inlines)?,
        },
        "emph" => Inline::Emph {
            c: field(v, "c", inlines)?,
        },
        "strike" => Inline::Strike {
            c: field(v, "c", inlines)?,
        },
        "code" => Inline::Code {
            s: field(v, "s", string)?,
        },
        "link" => Inline::Link {
            href: field(v, "href", string)?,
            c: field(v, "c", inlines)?,
        },
        "image" => Inline::Image {
            src: field(v, "src", string)?,
            alt: field(v, "alt", string)?,
        },
        "video" => Inline::Video {
            src: field(v, "src", string)?,
            alt: field(v, "alt", string)?,
            captions: optional(v, "captions", string)?,
        },
        "break" => Inline::Break,
        "footnoteRef" => Inline::FootnoteRef {
            label: field(v, "label", string)?,
        },
        other => return Err(DecodeError::new(format!("unknown inline `{other}`")).at("t".into())),
    })
}

/// The error body of the API: `{"error": {"code", "message", "fields": [{"field", "code"}]}}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    pub code: String,
    pub message: String,
    pub fields: Vec<FieldError>,
}

pub fn api_error<J: Json>(v: &J) -> R<ApiError> {
    field(v, "error", |e| {
        Ok(ApiError {
            code: field(e, "code", string)?,
            message: defaulted(e, "message", string)?,
            fields: defaulted(e, "fields", |l| list(l, field_error))?,
        })
    })
}

fn field_error<J: Json>(v: &J) -> R<FieldError> {
    Ok(FieldError {
        field: field(v, "field", string)?,
        // A code from a newer server reads as `invalid`: the field is still marked.
        code: field(v, "code", |c| Ok(FieldErrorCode::parse(&string(c)?)))?
            .unwrap_or(FieldErrorCode::Invalid),
        limit: optional(v, "limit", |n| integer(n, u32::MAX.into()))?.map(|n| n as usize),
    })
}

fn count<J: Json>(v: &J) -> R<u64> {
    integer(v, 9.007_199_254_740_991e15).map(|n| n as u64)
}

fn decision<J: Json>(v: &J) -> R<Decision> {
    one_of(v, Decision::parse)
}

/// Reads `GET /api/v1/receipts/{receipt}`.
pub fn receipt_status<J: Json>(v: &J) -> R<ReceiptStatus> {
    Ok(ReceiptStatus {
        receipt: field(v, "receipt", string)?,
        document_id: field(v, "documentId", string)?,
        target: field(v, "target", target)?,
        received_at: field(v, "receivedAt", string)?,
        status: field(v, "status", |s| one_of(s, PublicStatus::parse))?,
        decision: optional(v, "decision", decision)?,
        reason: optional(v, "reason", string)?,
    })
}

fn decision_count<J: Json>(v: &J) -> R<DecisionCount> {
    Ok(DecisionCount {
        decision: field(v, "decision", decision)?,
        count: field(v, "count", count)?,
    })
}

fn not_listed<J: Json>(v: &J) -> R<NotListed> {
    Ok(NotListed {
        duplicates: defaulted(v, "duplicates", count)?,
        spam: defaulted(v, "spam", count)?,
        hidden: defaulted(v, "hidden", count)?,
        undecided: defaulted(v, "undecided", count)?,
    })
}

/// Reads `GET /api/v1/documents/{id}/feedback`, all but `byProvision`.
pub fn feedback_report<J: Json>(v: &J) -> R<FeedbackReport> {
    Ok(FeedbackReport {
        document_id: field(v, "documentId", string)?,
        published_at: field(v, "publishedAt", string)?,
        received: defaulted(v, "received", count)?,
        total: field(v, "total", count)?,
        not_listed: defaulted(v, "notListed", not_listed)?,
        by_decision: field(v, "byDecision", |l| list(l, decision_count))?,
        // The widget counts the rows per clause itself; the per-clause totals are not read.
        by_provision: Vec::new(),
        rows: field(v, "rows", |l| list(l, feedback_row))?,
    })
}

fn feedback_row<J: Json>(v: &J) -> R<FeedbackRow> {
    Ok(FeedbackRow {
        number: field(v, "number", count)?,
        target: field(v, "target", target)?,
        stance: field(v, "stance", |s| one_of(s, Stance::parse))?,
        submitter_type: field(v, "submitterType", |s| one_of(s, SubmitterType::parse))?,
        name: optional(v, "name", string)?,
        text: field(v, "text", string)?,
        proposed_wording: optional(v, "proposedWording", string)?,
        decision: field(v, "decision", decision)?,
        reason: optional(v, "reason", string)?,
        duplicates: defaulted(v, "duplicates", |l| list(l, count))?,
        // Leniently, with plain gets, like `replaces` (a malformed link is no link).
        see: v.get("see").and_then(|s| {
            Some(FinalProvision {
                document_id: s.get("documentId")?.string()?,
                provision_id: s.get("provisionId")?.string()?,
                label: s.get("label")?.string()?,
            })
        }),
    })
}

impl Json for wasm_bindgen::JsValue {
    fn get(&self, key: &str) -> Option<Self> {
        if !self.is_object() {
            return None;
        }
        js_sys::Reflect::get(self, &wasm_bindgen::JsValue::from_str(key))
            .ok()
            .filter(|v| !v.is_undefined() && !v.is_null())
    }

    fn string(&self) -> Option<String> {
        self.as_string()
    }

    fn number(&self) -> Option<f64> {
        self.as_f64()
    }

    fn boolean(&self) -> Option<bool> {
        self.as_bool()
    }

    fn array(&self) -> Option<Vec<Self>> {
        js_sys::Array::is_array(self).then(|| js_sys::Array::from(self).iter().collect())
    }
}

#[cfg(test)]
impl Json for serde_json::Value {
    fn get(&self, key: &str) -> Option<Self> {
        self.as_object()?.get(key).filter(|v| !v.is_null()).cloned()
    }

    fn string(&self) -> Option<String> {
        self.as_str().map(str::to_owned)
    }

    fn number(&self) -> Option<f64> {
        self.as_f64()
    }

    fn boolean(&self) -> Option<bool> {
        self.as_bool()
    }

    fn array(&self) -> Option<Vec<Self>> {
        self.as_array().cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;
    use serde_json::json;

    fn decode(value: serde_json::Value) -> String {
        match document(&value) {
            Ok(doc) => format!("ok {}", doc.id),
            Err(e) => e.to_string(),
        }
    }

    /// The wire enums read through the `parse` that `jiedu_core::wire_enum!` generates from the
    /// same strings as serde's: every variant reads back as itself.
    #[test]
    fn wire_enums_read_what_serde_writes() {
        fn check<T: serde::Serialize + PartialEq + std::fmt::Debug>(
            all: &[T],
            parse: fn(&str) -> Option<T>,
        ) {
            for v in all {
                let text = serde_json::to_value(v).unwrap();
                assert_eq!(parse(text.as_str().unwrap()).as_ref(), Some(v));
            }
        }
        check(&Status::ALL, Status::parse);
        check(&Disclosure::ALL, Disclosure::parse);
        check(&Lang::ALL, Lang::parse);
        check(&MediaKind::ALL, MediaKind::parse);
        check(&ConsultationKind::ALL, ConsultationKind::parse);
        check(&Align::ALL, Align::parse);
        check(&InterpretationKind::ALL, InterpretationKind::parse);
        check(&FieldErrorCode::ALL, FieldErrorCode::parse);
        check(&PublicStatus::ALL, PublicStatus::parse);
        check(&SubmitterType::ALL, SubmitterType::parse);
        check(&Decision::ALL, Decision::parse);
        check(&Stance::ALL, Stance::parse);
    }

    /// Fails to compile when core adds a rich-text node this reader does not know.
    #[test]
    fn rich_text_variants_are_exhaustive() {
        let _: fn(&Block) = |b| match b {
            Block::Paragraph { .. }
            | Block::List { .. }
            | Block::Quote { .. }
            | Block::Code { .. }
            | Block::Table { .. }
            | Block::Rule
            | Block::Footnote { .. } => {}
        };
        let _: fn(&Inline) = |i| match i {
            Inline::Text { .. }
            | Inline::Strong { .. }
            | Inline::Emph { .. }
            | Inline::Strike { .. }
            | Inline::Code { .. }
            | Inline::Link { .. }
            | Inline::Image { .. }
            | Inline::Video { .. }
            | Inline::Break
            | Inline::FootnoteRef { .. } => {}
        };
    }

    #[test]
    fn api_answers_agree_with_cores_serde() {
        let mut report = crate::sample::feedback();
        let value = serde_json::to_value(&report).unwrap();
        report.by_provision.clear();
        assert_eq!(feedback_report(&value), Ok(report));
        for status in crate::sample::receipt_statuses() {
            let value = serde_json::to_value(&status).unwrap();
            assert_eq!(receipt_status(&value), Ok(status));
        }
        let error = json!({"error": {"code": "validation-failed", "message": "有误",
            "fields": [{"field": "text", "code": "too-long", "limit": 20000, "message": "太长"},
                       {"field": "name", "code": "from-the-future"}]}});
        expect![[r#"
            Ok(
                ApiError {
                    code: "validation-failed",
                    message: "有误",
                    fields: [
                        FieldError {
                            field: "text",
                            code: TooLong,
                            limit: Some(
                                20000,
                            ),
                        },
                        FieldError {
                            field: "name",
                            code: Invalid,
                            limit: None,
                        },
                    ],
                },
            )
        "#]]
        .assert_debug_eq(&api_error(&error));
    }

    #[test]
    fn agrees_with_cores_serde() {
        let doc = crate::sample::complete();
        let value = serde_json::to_value(&doc).unwrap();
        assert_eq!(document(&value), Ok(doc));
    }

    #[test]
    fn says_what_is_wrong_and_where() {
        let mut value = serde_json::to_value(crate::sample::document()).unwrap();
        value["provisions"][0]["children"][1]["title"] = json!(7);
        expect![[r#"expected a string at provisions[0].children[1].title"#]]
            .assert_eq(&decode(value.clone()));
        value["provisions"] = json!([]);
        value["interpretations"][0]["body"][0] = json!({"t": "marquee"});
        expect![[r#"unknown block `marquee` at interpretations[0].body[0].t"#]]
            .assert_eq(&decode(value.clone()));
        value.as_object_mut().unwrap().remove("faqs");
        value["interpretations"] = json!([]);
        expect![[r#"missing field `faqs`"#]].assert_eq(&decode(value.clone()));
        value["faqs"] = json!([]);
        value["status"] = json!("in_force");
        expect![[r#"unknown value `in_force` at status"#]].assert_eq(&decode(value));
    }

    /// Replays the fuzzing corpus (`fuzz/corpus/widget_decode/`, see fuzz/README.md) natively,
    /// through the same calls as `fuzz/fuzz_targets/widget_decode.rs`.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn fuzz_corpus_replays() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus/widget_decode");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        assert!(!files.is_empty());
        let failed: Vec<_> = files
            .iter()
            .filter(|file| {
                let data = std::fs::read(file).unwrap();
                std::panic::catch_unwind(|| {
                    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(&data) {
                        let _ = document(&value);
                        let _ = api_error(&value);
                        let _ = receipt_status(&value);
                        let _ = feedback_report(&value);
                    }
                })
                .is_err()
            })
            .collect();
        assert!(failed.is_empty(), "inputs that panic: {failed:#?}");
    }
}
