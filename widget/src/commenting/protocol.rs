//! Commenting on a draft (意见征集): the parts that need no browser, so they are unit-tested
//! natively. Where the API is, what the form holds and sends, how an answer of the server is
//! classified (sent, wrong at a field, refused, or to be retried), and how long to wait before
//! trying again. The browser parts are `api.rs` (requests) and `outbox.rs` (what is
//! kept in `localStorage`).

use jiedu_core::comment::{FieldError, FieldErrorCode, NewComment, Stance, SubmitterType};
use jiedu_core::{Lang, Target};

use super::json::Object;
use crate::decode::{self, Json};
use crate::i18n::UiLang;

/// The language of core's messages for a UI language.
pub fn core_lang(lang: UiLang) -> Lang {
    match lang {
        UiLang::Zh => Lang::ZhCn,
        UiLang::En => Lang::En,
    }
}

/// Formats 16 random bytes as a version 4 UUID (`xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`), the
/// form the server's `Idempotency-Key` takes.
pub fn uuid_v4(mut bytes: [u8; 16]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let mut out = String::with_capacity(36);
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push(HEX[usize::from(b >> 4)] as char);
        out.push(HEX[usize::from(b & 15)] as char);
    }
    out
}

/// The form's fields as the reader filled them in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Draft {
    pub target: Target,
    /// Nothing is chosen until the reader chooses.
    pub stance: Option<Stance>,
    pub text: String,
    /// Sent only with `suggest-change` (the field is shown only then).
    pub wording: String,
    pub name: String,
    pub contact: String,
    pub consent: bool,
    pub submitter: SubmitterType,
}

impl Default for Draft {
    fn default() -> Draft {
        Draft {
            target: Target::Document,
            stance: None,
            text: String::new(),
            wording: String::new(),
            name: String::new(),
            contact: String::new(),
            consent: false,
            submitter: SubmitterType::Individual,
        }
    }
}

/// The form's fields, in the order they appear (the first invalid one gets the focus).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormField {
    Target,
    Stance,
    Text,
    ProposedWording,
    SubmitterType,
    Name,
    Contact,
    Consent,
}

impl FormField {
    pub const ALL: [FormField; 8] = [
        FormField::Target,
        FormField::Stance,
        FormField::Text,
        FormField::ProposedWording,
        FormField::SubmitterType,
        FormField::Name,
        FormField::Contact,
        FormField::Consent,
    ];

    /// The field's name in the request body and in the server's field errors.
    pub fn name(self) -> &'static str {
        match self {
            FormField::Target => "target",
            FormField::Stance => "stance",
            FormField::Text => "text",
            FormField::ProposedWording => "proposedWording",
            FormField::SubmitterType => "submitterType",
            FormField::Name => "name",
            FormField::Contact => "contact",
            FormField::Consent => "consent",
        }
    }

    /// The `id` of the field's control (a radio group's first button).
    pub fn element_id(self) -> String {
        format!("jiedu-f-{}", self.name())
    }

    fn of_error(error: &FieldError) -> Option<FormField> {
        FormField::ALL.into_iter().find(|f| f.name() == error.field)
    }
}

impl Draft {
    /// The comment the form sends (optional fields trimmed, a contact only with consent), and
    /// the errors that stop it, in form order: a missing stance, then the rules of
    /// [`NewComment::validate`], the same function the server runs.
    pub fn check(&self) -> (NewComment, Vec<FieldError>) {
        let stance = self.stance.unwrap_or(Stance::Support);
        let optional = |s: &str| Some(s.to_owned());
        let comment = NewComment {
            target: self.target.clone(),
            stance,
            text: self.text.clone(),
            proposed_wording: (stance == Stance::SuggestChange)
                .then(|| self.wording.clone())
                .filter(|w| !w.trim().is_empty()),
            name: optional(&self.name),
            contact: optional(&self.contact),
            submitter_type: self.submitter,
            consent: self.consent,
        };
        let mut found = comment.validate();
        if self.stance.is_none() {
            found.push(FieldError {
                field: "stance".into(),
                code: FieldErrorCode::Required,
                limit: None,
            });
        }
        // In form order (no sort: it would cost the bundle a sorting routine).
        let mut errors = Vec::new();
        for field in FormField::ALL {
            errors.extend(found.iter().filter(|e| e.field == field.name()).cloned());
        }
        (comment.normalized(), errors)
    }
}

/// The comment form's state: the fields, the errors shown at them, and where sending stands.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Form {
    pub draft: Draft,
    /// In form order; from [`Draft::check`] or the server's `422`.
    pub errors: Vec<FieldError>,
    /// Checked once already: from then on the fields are checked again as the reader types.
    pub checked: bool,
    pub sending: bool,
    /// The server refused the comment for good (the period closed …): its message. The text
    /// stays in the form for the reader to copy.
    pub refused: Option<String>,
    /// The refused text was just copied (`false`: the clipboard refused).
    pub copied: Option<bool>,
}

/// A change to the comment form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    /// A text field (text, proposed wording, name, contact) changed.
    Text(FormField, String),
    Stance(Stance),
    Submitter(SubmitterType),
    Consent(bool),
    Target(Target),
    /// The check or the server found these errors.
    Invalid(Vec<FieldError>),
    Sending,
    Refused(String),
    /// Sent or kept for later: the comment's own fields are emptied; who writes stays.
    Done,
    /// Nothing happened (a send already under way).
    Failed,
    Copied(bool),
}

impl Form {
    /// Applies a change. Returns the field to move the focus to: the first invalid one, after a
    /// failed check.
    pub fn apply(&mut self, edit: Edit) -> Option<FormField> {
        let d = &mut self.draft;
        match edit {
            Edit::Invalid(errors) => {
                self.checked = true;
                self.sending = false;
                let first = errors.first().and_then(FormField::of_error);
                self.errors = errors;
                return Some(first.unwrap_or(FormField::Text));
            }
            Edit::Sending => {
                self.sending = true;
                self.refused = None;
                return None;
            }
            Edit::Refused(message) => {
                self.sending = false;
                self.refused = Some(message);
                self.copied = None;
                return None;
            }
            Edit::Done => {
                *d = Draft {
                    target: d.target.clone(),
                    name: std::mem::take(&mut d.name),
                    contact: std::mem::take(&mut d.contact),
                    consent: d.consent,
                    submitter: d.submitter,
                    ..Draft::default()
                };
                self.errors.clear();
                self.checked = false;
                self.sending = false;
                return None;
            }
            Edit::Failed => self.sending = false,
            Edit::Copied(ok) => self.copied = Some(ok),
            Edit::Text(FormField::Text, value) => d.text = value,
            Edit::Text(FormField::ProposedWording, value) => d.wording = value,
            Edit::Text(FormField::Name, value) => d.name = value,
            Edit::Text(_, value) => d.contact = value,
            Edit::Stance(stance) => d.stance = Some(stance),
            Edit::Submitter(submitter) => d.submitter = submitter,
            Edit::Consent(on) => d.consent = on,
            Edit::Target(target) => d.target = target,
        }
        if self.checked {
            self.errors = self.draft.check().1;
        }
        None
    }
}

/// The request body for a comment, as `POST …/comments` reads it (field names and order of
/// jiedu-core's serde). The same bytes are sent again on a retry: the server compares them
/// under the idempotency key.
pub fn body(comment: &NewComment) -> String {
    Object::new()
        .str("target", &comment.target.to_string())
        .str("stance", comment.stance.as_str())
        .str("text", &comment.text)
        .opt("proposedWording", comment.proposed_wording.as_deref())
        .opt("name", comment.name.as_deref())
        .opt("contact", comment.contact.as_deref())
        .str("submitterType", comment.submitter_type.as_str())
        .bool("consent", comment.consent)
        .finish()
}

/// What became of one attempt to send a comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// `201`: stored, with its receipt number.
    Created { receipt: String },
    /// `422`: fields break a rule; shown at the fields, not retried.
    Invalid(Vec<FieldError>),
    /// Any other `4xx` (the period is closed, the document unknown …): not retried; the message
    /// is the server's, in the reader's language.
    Refused { code: String, message: String },
    /// No answer, `5xx`, `408` or `429`: kept and sent again later, after at least `after`
    /// seconds when the server said so (`Retry-After`).
    Retry { after: Option<u32> },
}

/// Classifies the server's answer: the status, the parsed JSON body if there is one, and the
/// `Retry-After` header.
pub fn classify<J: Json>(status: u16, body: Option<&J>, retry_after: Option<u32>) -> Answer {
    let error = body.and_then(|b| decode::api_error(b).ok());
    match status {
        200 | 201 => match body.and_then(|b| b.get("receipt")).and_then(|r| r.string()) {
            Some(receipt) => Answer::Created { receipt },
            // A success without a receipt is a broken proxy in between: try again later.
            None => Answer::Retry { after: None },
        },
        408 | 429 | 500..=599 => Answer::Retry { after: retry_after },
        422 => match error {
            Some(e) if !e.fields.is_empty() => Answer::Invalid(e.fields),
            e => refused(status, e),
        },
        _ => refused(status, error),
    }
}

fn refused(status: u16, error: Option<decode::ApiError>) -> Answer {
    match error {
        Some(e) => Answer::Refused {
            code: e.code,
            message: e.message,
        },
        None => Answer::Refused {
            code: format!("http-{status}"),
            message: format!("HTTP {status}"),
        },
    }
}

/// How long to wait before the next attempt, in milliseconds, after `failures` failed ones:
/// 3 s doubling up to 5 minutes, never sooner than the server's `Retry-After`, and spread by
/// `jitter` (0.0–1.0, ±20%) so that many readers do not all come back at the same instant.
pub fn retry_delay_ms(failures: u32, retry_after: Option<u32>, jitter: f64) -> u32 {
    let base = 3_000u32.saturating_mul(1 << failures.clamp(1, 8).saturating_sub(1));
    let base = base.min(300_000);
    let spread = f64::from(base) * (0.8 + 0.4 * jitter.clamp(0.0, 1.0));
    (spread as u32).max(retry_after.unwrap_or(0).saturating_mul(1000))
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;
    use serde_json::json;

    #[test]
    fn uuids_are_version_4() {
        assert_eq!(uuid_v4([0; 16]), "00000000-0000-4000-8000-000000000000");
        assert_eq!(uuid_v4([0xff; 16]), "ffffffff-ffff-4fff-bfff-ffffffffffff");
    }

    fn draft(text: &str) -> Draft {
        Draft {
            target: Target::Provision("a3".into()),
            stance: Some(Stance::Oppose),
            text: text.into(),
            ..Draft::default()
        }
    }

    fn fields(d: &Draft) -> Vec<String> {
        d.check()
            .1
            .into_iter()
            .map(|e| format!("{}: {}", e.field, e.message(Lang::ZhCn)))
            .collect()
    }

    #[test]
    fn the_form_is_checked_by_cores_rules_in_form_order() {
        assert!(fields(&draft("建议延长公示期限。")).is_empty());
        let mut d = Draft {
            stance: None,
            contact: "13800000000".into(),
            submitter: SubmitterType::Organization,
            ..Draft::default()
        };
        expect![[r#"
            [
                "stance: 此项为必填项。",
                "text: 此项为必填项。",
                "name: 此项为必填项。",
                "consent: 留下联系方式需要同意我们保存并用于回访；如不同意，请删除联系方式。",
            ]
        "#]]
        .assert_debug_eq(&fields(&d));
        d.stance = Some(Stance::SuggestChange);
        d.text = "字".repeat(jiedu_core::comment::MAX_TEXT_CHARS + 1);
        expect![[r#"
            [
                "text: 内容太长，最多 20000 个字。",
                "proposedWording: 此项为必填项。",
                "name: 此项为必填项。",
                "consent: 留下联系方式需要同意我们保存并用于回访；如不同意，请删除联系方式。",
            ]
        "#]]
        .assert_debug_eq(&fields(&d));
    }

    #[test]
    fn the_form_focuses_the_first_invalid_field_and_rechecks_as_the_reader_types() {
        let mut form = Form::default();
        assert_eq!(form.apply(Edit::Text(FormField::Text, "好".into())), None);
        assert!(form.errors.is_empty(), "no messages before the first check");
        let errors = form.draft.check().1;
        assert_eq!(form.apply(Edit::Invalid(errors)), Some(FormField::Stance));
        let fields = |f: &Form| f.errors.iter().map(|e| e.field.clone()).collect::<Vec<_>>();
        assert_eq!(fields(&form), ["stance", "text"]);
        form.apply(Edit::Stance(Stance::Support));
        assert_eq!(
            fields(&form),
            ["text"],
            "fixed fields lose their message at once"
        );
        form.apply(Edit::Text(FormField::Text, "很好的意见".into()));
        assert!(form.errors.is_empty());
        form.apply(Edit::Text(FormField::Name, "朱小明".into()));
        form.apply(Edit::Sending);
        assert!(form.sending);
        form.apply(Edit::Done);
        assert_eq!(
            (
                form.draft.text.as_str(),
                form.draft.stance,
                form.draft.name.as_str(),
                form.sending
            ),
            ("", None, "朱小明", false),
            "the comment is emptied, who writes stays"
        );
        let server = vec![FieldError {
            field: "proposedWording".into(),
            code: FieldErrorCode::Required,
            limit: None,
        }];
        assert_eq!(
            form.apply(Edit::Invalid(server)),
            Some(FormField::ProposedWording)
        );
        form.apply(Edit::Refused("征求意见已结束".into()));
        assert_eq!(form.refused.as_deref(), Some("征求意见已结束"));
    }

    #[test]
    fn the_body_is_a_new_comment_for_the_server() {
        let mut d = draft("建议把“可以”改为“应当”。\n理由：……");
        d.wording = "hidden unless suggest-change".into();
        d.name = "  朱小明 ".into();
        d.contact = "   ".into();
        let (comment, errors) = d.check();
        assert!(errors.is_empty());
        let text = body(&comment);
        expect![[r#"{"target":"a3","stance":"oppose","text":"建议把“可以”改为“应当”。\n理由：……","name":"朱小明","submitterType":"individual","consent":false}"#]]
            .assert_eq(&text);
        let parsed: NewComment = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed, comment);
        d.stance = Some(Stance::SuggestChange);
        d.contact = "13800000000".into();
        d.consent = true;
        d.target = Target::Document;
        let (comment, _) = d.check();
        let parsed: NewComment = serde_json::from_str(&body(&comment)).unwrap();
        assert_eq!(parsed, comment);
        assert_eq!(parsed.contact.as_deref(), Some("13800000000"));
        assert_eq!(
            parsed.proposed_wording.as_deref(),
            Some("hidden unless suggest-change")
        );
    }

    #[test]
    fn answers_are_classified() {
        let answer = |status: u16, body: serde_json::Value| {
            format!("{:?}", classify(status, Some(&body), Some(7)))
        };
        expect![[r#"Created { receipt: "JD-7K3Q-9XWM" }"#]].assert_eq(&answer(
            201,
            json!({"receipt": "JD-7K3Q-9XWM", "documentId": "d", "number": 1, "receivedAt": "x"}),
        ));
        let error = |code: &str| {
            json!({"error": {"code": code, "message": "说明", "fields": [
            {"field": "proposedWording", "code": "required"},
            {"field": "text", "code": "too-long", "limit": 20000, "message": "内容太长"}]}})
        };
        expect![[r#"Invalid([FieldError { field: "proposedWording", code: Required, limit: None }, FieldError { field: "text", code: TooLong, limit: Some(20000) }])"#]]
            .assert_eq(&answer(422, error("validation-failed")));
        expect![[r#"Refused { code: "consultation-closed", message: "说明" }"#]]
            .assert_eq(&answer(409, error("consultation-closed")));
        expect![[r#"Retry { after: Some(7) }"#]].assert_eq(&answer(429, error("rate-limited")));
        expect![[r#"Retry { after: Some(7) }"#]].assert_eq(&answer(502, json!("<html>")));
        expect![[r#"Refused { code: "http-404", message: "HTTP 404" }"#]]
            .assert_eq(&answer(404, json!(null)));
        assert_eq!(
            classify::<serde_json::Value>(503, None, None),
            Answer::Retry { after: None }
        );
    }

    #[test]
    fn retries_back_off() {
        let delays: Vec<u32> = (0..11).map(|n| retry_delay_ms(n, None, 0.5)).collect();
        assert_eq!(
            delays,
            [
                3_000, 3_000, 6_000, 12_000, 24_000, 48_000, 96_000, 192_000, 300_000, 300_000,
                300_000
            ]
        );
        assert_eq!(retry_delay_ms(1, None, 0.0), 2_400);
        assert_eq!(retry_delay_ms(1, None, 1.0), 3_600);
        assert_eq!(retry_delay_ms(1, Some(60), 0.5), 60_000);
    }
}
