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
//! fail to compile when core adds a field, and `tests::variants_are_exhaustive` when core adds an
//! enum variant, so the mirror cannot silently drift.

use std::fmt;

use jiedu_core::comment::{
    Decision, DecisionCount, FeedbackReport, FeedbackRow, FieldError, FieldErrorCode, PublicStatus,
    ReceiptStatus, Stance, SubmitterType,
};
use jiedu_core::rich::{Align, Block, Inline, RichText};
use jiedu_core::{
    Consultation, ConsultationKind, Date, Disclosure, Document, Faq, Interpretation,
    InterpretationKind, Lang, Media, MediaKind, Provision, Status, Target, Timestamp,
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
        .map_err(|e: jiedu_core::date::DateError| DecodeError::new(e.0))
}

fn timestamp<J: Json>(value: &J) -> R<Timestamp> {
    string(value)?
        .parse()
        .map_err(|e: jiedu_core::date::DateError| DecodeError::new(e.0))
}

fn status(s: &str) -> Option<Status> {
    Some(match s {
        "draft" => Status::Draft,
        "consultation" => Status::Consultation,
        "in-force" => Status::InForce,
        "revised" => Status::Revised,
        "repealed" => Status::Repealed,
        _ => return None,
    })
}

fn disclosure(s: &str) -> Option<Disclosure> {
    Some(match s {
        "public" => Disclosure::Public,
        "on-request" => Disclosure::OnRequest,
        "restricted" => Disclosure::Restricted,
        _ => return None,
    })
}

fn lang(s: &str) -> Option<Lang> {
    Some(match s {
        "zh-CN" => Lang::ZhCn,
        "en" => Lang::En,
        _ => return None,
    })
}

fn media_kind(s: &str) -> Option<MediaKind> {
    Some(match s {
        "image" => MediaKind::Image,
        "video" => MediaKind::Video,
        _ => return None,
    })
}

fn consultation_kind(s: &str) -> Option<ConsultationKind> {
    Some(match s {
        "rule" => ConsultationKind::Rule,
        "normative" => ConsultationKind::Normative,
        "major-decision" => ConsultationKind::MajorDecision,
        "other" => ConsultationKind::Other,
        _ => return None,
    })
}

fn align(s: &str) -> Option<Align> {
    Some(match s {
        "none" => Align::None,
        "left" => Align::Left,
        "center" => Align::Center,
        "right" => Align::Right,
        _ => return None,
    })
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
        status: field(v, "status", |s| one_of(s, status))?,
        disclosure: field(v, "disclosure", |s| one_of(s, disclosure))?,
        lang: field(v, "lang", |s| one_of(s, lang))?,
        summary: optional(v, "summary", string)?,
        preamble: defaulted(v, "preamble", rich_text)?,
        provisions: field(v, "provisions", |l| list(l, provision))?,
        interpretations: field(v, "interpretations", |l| list(l, interpretation))?,
        faqs: field(v, "faqs", |l| list(l, faq))?,
        consultation: optional(v, "consultation", consultation)?,
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
        kind: field(v, "kind", |s| one_of(s, media_kind))?,
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
        kind: field(v, "kind", |s| one_of(s, consultation_kind))?,
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
            align: field(v, "align", |l| list(l, |a| one_of(a, align)))?,
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

fn field_error_code(s: &str) -> Option<FieldErrorCode> {
    Some(match s {
        "required" => FieldErrorCode::Required,
        "too-short" => FieldErrorCode::TooShort,
        "too-long" => FieldErrorCode::TooLong,
        "control-characters" => FieldErrorCode::ControlCharacters,
        "consent-required" => FieldErrorCode::ConsentRequired,
        "unknown-provision" => FieldErrorCode::UnknownProvision,
        "invalid" => FieldErrorCode::Invalid,
        _ => return None,
    })
}

fn field_error<J: Json>(v: &J) -> R<FieldError> {
    Ok(FieldError {
        field: field(v, "field", string)?,
        // A code from a newer server reads as `invalid`: the field is still marked.
        code: field(v, "code", |c| Ok(field_error_code(&string(c)?)))?
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

pub(crate) fn submitter_type(s: &str) -> Option<SubmitterType> {
    [SubmitterType::Individual, SubmitterType::Organization]
        .into_iter()
        .find(|t| t.as_str() == s)
}

fn public_status(s: &str) -> Option<PublicStatus> {
    Some(match s {
        "received" => PublicStatus::Received,
        "under-review" => PublicStatus::UnderReview,
        "answered" => PublicStatus::Answered,
        "spam" => PublicStatus::Spam,
        "hidden" => PublicStatus::Hidden,
        _ => return None,
    })
}

/// Reads `GET /api/v1/receipts/{receipt}`.
pub fn receipt_status<J: Json>(v: &J) -> R<ReceiptStatus> {
    Ok(ReceiptStatus {
        receipt: field(v, "receipt", string)?,
        document_id: field(v, "documentId", string)?,
        target: field(v, "target", target)?,
        received_at: field(v, "receivedAt", string)?,
        status: field(v, "status", |s| one_of(s, public_status))?,
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

/// Reads `GET /api/v1/documents/{id}/feedback`, all but `byProvision`.
pub fn feedback_report<J: Json>(v: &J) -> R<FeedbackReport> {
    Ok(FeedbackReport {
        document_id: field(v, "documentId", string)?,
        published_at: field(v, "publishedAt", string)?,
        total: field(v, "total", count)?,
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
        submitter_type: field(v, "submitterType", |s| one_of(s, submitter_type))?,
        name: optional(v, "name", string)?,
        text: field(v, "text", string)?,
        proposed_wording: optional(v, "proposedWording", string)?,
        decision: field(v, "decision", decision)?,
        reason: optional(v, "reason", string)?,
        duplicates: defaulted(v, "duplicates", |l| list(l, count))?,
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

    /// Fails to compile when core adds a variant this reader does not know.
    #[test]
    fn variants_are_exhaustive() {
        fn check<T: serde::Serialize + PartialEq + std::fmt::Debug>(
            all: &[T],
            parse: fn(&str) -> Option<T>,
        ) {
            for v in all {
                let text = serde_json::to_value(v).unwrap();
                assert_eq!(parse(text.as_str().unwrap()).as_ref(), Some(v));
            }
        }
        let _: fn(Status) = |s| match s {
            Status::Draft
            | Status::Consultation
            | Status::InForce
            | Status::Revised
            | Status::Repealed => {}
        };
        check(
            &[
                Status::Draft,
                Status::Consultation,
                Status::InForce,
                Status::Revised,
                Status::Repealed,
            ],
            status,
        );
        let _: fn(Disclosure) = |d| match d {
            Disclosure::Public | Disclosure::OnRequest | Disclosure::Restricted => {}
        };
        check(
            &[
                Disclosure::Public,
                Disclosure::OnRequest,
                Disclosure::Restricted,
            ],
            disclosure,
        );
        let _: fn(Lang) = |l| match l {
            Lang::ZhCn | Lang::En => {}
        };
        check(&[Lang::ZhCn, Lang::En], lang);
        let _: fn(MediaKind) = |m| match m {
            MediaKind::Image | MediaKind::Video => {}
        };
        check(&[MediaKind::Image, MediaKind::Video], media_kind);
        let _: fn(ConsultationKind) = |k| match k {
            ConsultationKind::Rule
            | ConsultationKind::Normative
            | ConsultationKind::MajorDecision
            | ConsultationKind::Other => {}
        };
        check(
            &[
                ConsultationKind::Rule,
                ConsultationKind::Normative,
                ConsultationKind::MajorDecision,
                ConsultationKind::Other,
            ],
            consultation_kind,
        );
        let _: fn(Align) = |a| match a {
            Align::None | Align::Left | Align::Center | Align::Right => {}
        };
        check(
            &[Align::None, Align::Left, Align::Center, Align::Right],
            align,
        );
        check(&InterpretationKind::ALL, InterpretationKind::parse);
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

    /// Fails to compile when core adds a variant of the comment types this reader does not know.
    #[test]
    fn comment_variants_are_exhaustive() {
        fn check<T: serde::Serialize + PartialEq + std::fmt::Debug>(
            all: &[T],
            parse: fn(&str) -> Option<T>,
        ) {
            for v in all {
                let text = serde_json::to_value(v).unwrap();
                assert_eq!(parse(text.as_str().unwrap()).as_ref(), Some(v));
            }
        }
        let _: fn(FieldErrorCode) = |c| match c {
            FieldErrorCode::Required
            | FieldErrorCode::TooShort
            | FieldErrorCode::TooLong
            | FieldErrorCode::ControlCharacters
            | FieldErrorCode::ConsentRequired
            | FieldErrorCode::UnknownProvision
            | FieldErrorCode::Invalid => {}
        };
        check(
            &[
                FieldErrorCode::Required,
                FieldErrorCode::TooShort,
                FieldErrorCode::TooLong,
                FieldErrorCode::ControlCharacters,
                FieldErrorCode::ConsentRequired,
                FieldErrorCode::UnknownProvision,
                FieldErrorCode::Invalid,
            ],
            field_error_code,
        );
        let _: fn(PublicStatus) = |s| match s {
            PublicStatus::Received
            | PublicStatus::UnderReview
            | PublicStatus::Answered
            | PublicStatus::Spam
            | PublicStatus::Hidden => {}
        };
        check(
            &[
                PublicStatus::Received,
                PublicStatus::UnderReview,
                PublicStatus::Answered,
                PublicStatus::Spam,
                PublicStatus::Hidden,
            ],
            public_status,
        );
        let _: fn(SubmitterType) = |s| match s {
            SubmitterType::Individual | SubmitterType::Organization => {}
        };
        check(
            &[SubmitterType::Individual, SubmitterType::Organization],
            submitter_type,
        );
        check(&Decision::ALL, Decision::parse);
        check(&Stance::ALL, Stance::parse);
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
}
