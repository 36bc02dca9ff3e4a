//! Public comments on a draft (意见征集), their dispositions and the published feedback report.
//!
//! The widget validates a comment with [`NewComment::validate`] before sending it, and the server
//! validates it again with the same function: one set of rules, one set of messages (zh-CN and en).

use serde::{Deserialize, Serialize};

use crate::model::{Document, Lang, Target};

/// The longest comment text accepted, in characters.
pub const MAX_TEXT_CHARS: usize = 20_000;
/// The shortest comment text accepted, in characters, not counting whitespace.
pub const MIN_TEXT_CHARS: usize = 2;
pub const MAX_WORDING_CHARS: usize = 5_000;
pub const MAX_NAME_CHARS: usize = 60;
pub const MAX_CONTACT_CHARS: usize = 120;

/// A comment as a citizen submits it (the body of `POST /api/v1/documents/{id}/comments`).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewComment {
    /// A provision id, or `document` for a general comment on the whole document.
    pub target: Target,
    pub stance: Stance,
    pub text: String,
    /// The wording the commenter proposes; required when `stance` is `suggest-change`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposed_wording: Option<String>,
    /// Shown masked (`朱**`) in the published feedback; optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Private: phone or email for follow-up questions. Never published; stored only with consent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    #[serde(default)]
    pub submitter_type: SubmitterType,
    /// The commenter agrees that the contact may be stored and used to follow up.
    #[serde(default)]
    pub consent: bool,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stance {
    Support,
    Oppose,
    SuggestChange,
}

impl Stance {
    pub const ALL: [Stance; 3] = [Stance::Support, Stance::Oppose, Stance::SuggestChange];
    pub fn as_str(self) -> &'static str {
        match self {
            Stance::Support => "support",
            Stance::Oppose => "oppose",
            Stance::SuggestChange => "suggest-change",
        }
    }
    pub fn parse(s: &str) -> Option<Stance> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SubmitterType {
    #[default]
    Individual,
    Organization,
}

impl SubmitterType {
    pub fn as_str(self) -> &'static str {
        match self {
            SubmitterType::Individual => "individual",
            SubmitterType::Organization => "organization",
        }
    }
}

/// One field of a request that breaks a rule. `field` is the camelCase JSON name.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldError {
    pub field: String,
    pub code: FieldErrorCode,
    /// The rule's limit where it has one (a length).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<usize>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FieldErrorCode {
    Required,
    TooShort,
    TooLong,
    ControlCharacters,
    ConsentRequired,
    UnknownProvision,
    Invalid,
}

impl FieldError {
    fn new(field: &str, code: FieldErrorCode, limit: Option<usize>) -> FieldError {
        FieldError {
            field: field.to_owned(),
            code,
            limit,
        }
    }

    /// A message for the person filling in the form, in their language.
    pub fn message(&self, lang: Lang) -> String {
        let n = self.limit.unwrap_or(0);
        match (lang, self.code) {
            (Lang::ZhCn, FieldErrorCode::Required) => "此项为必填项。".into(),
            (Lang::ZhCn, FieldErrorCode::TooShort) => format!("内容太短，至少需要 {n} 个字。"),
            (Lang::ZhCn, FieldErrorCode::TooLong) => format!("内容太长，最多 {n} 个字。"),
            (Lang::ZhCn, FieldErrorCode::ControlCharacters) => "包含不可见的控制字符，请删除后重试。".into(),
            (Lang::ZhCn, FieldErrorCode::ConsentRequired) => {
                "留下联系方式需要同意我们保存并用于回访；如不同意，请删除联系方式。".into()
            }
            (Lang::ZhCn, FieldErrorCode::UnknownProvision) => "所选条款不存在。".into(),
            (Lang::ZhCn, FieldErrorCode::Invalid) => "格式不正确。".into(),
            (Lang::En, FieldErrorCode::Required) => "This field is required.".into(),
            (Lang::En, FieldErrorCode::TooShort) => format!("Too short: write at least {n} characters."),
            (Lang::En, FieldErrorCode::TooLong) => format!("Too long: at most {n} characters."),
            (Lang::En, FieldErrorCode::ControlCharacters) => {
                "Contains invisible control characters; remove them and try again.".into()
            }
            (Lang::En, FieldErrorCode::ConsentRequired) => {
                "To leave contact details, agree that we may store them to follow up; otherwise remove them.".into()
            }
            (Lang::En, FieldErrorCode::UnknownProvision) => "This clause does not exist.".into(),
            (Lang::En, FieldErrorCode::Invalid) => "This value is not valid.".into(),
        }
    }
}

fn has_control(s: &str, allow_newlines: bool) -> bool {
    s.chars().any(|c| {
        let allowed = allow_newlines && matches!(c, '\n' | '\r' | '\t');
        !allowed
            && (c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
    })
}

fn check_text(
    errors: &mut Vec<FieldError>,
    field: &str,
    value: &str,
    min: usize,
    max: usize,
    allow_newlines: bool,
) {
    let meaningful = value.chars().filter(|c| !c.is_whitespace()).count();
    if meaningful == 0 {
        errors.push(FieldError::new(field, FieldErrorCode::Required, None));
    } else if meaningful < min {
        errors.push(FieldError::new(field, FieldErrorCode::TooShort, Some(min)));
    } else if value.chars().count() > max {
        errors.push(FieldError::new(field, FieldErrorCode::TooLong, Some(max)));
    } else if has_control(value, allow_newlines) {
        errors.push(FieldError::new(
            field,
            FieldErrorCode::ControlCharacters,
            None,
        ));
    }
}

impl NewComment {
    /// Checks the comment on its own; the errors are in form order. Empty means valid.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        check_text(
            &mut errors,
            "text",
            &self.text,
            MIN_TEXT_CHARS,
            MAX_TEXT_CHARS,
            true,
        );
        match (&self.proposed_wording, self.stance) {
            (Some(w), _) if !w.trim().is_empty() => check_text(
                &mut errors,
                "proposedWording",
                w,
                1,
                MAX_WORDING_CHARS,
                true,
            ),
            (_, Stance::SuggestChange) => errors.push(FieldError::new(
                "proposedWording",
                FieldErrorCode::Required,
                None,
            )),
            _ => {}
        }
        match self.name.as_deref().map(str::trim) {
            Some(name) if !name.is_empty() => {
                check_text(&mut errors, "name", name, 1, MAX_NAME_CHARS, false)
            }
            _ if self.submitter_type == SubmitterType::Organization => {
                errors.push(FieldError::new("name", FieldErrorCode::Required, None))
            }
            _ => {}
        }
        if let Some(contact) = self
            .contact
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            check_text(&mut errors, "contact", contact, 1, MAX_CONTACT_CHARS, false);
            if !self.consent {
                errors.push(FieldError::new(
                    "consent",
                    FieldErrorCode::ConsentRequired,
                    None,
                ));
            }
        }
        errors
    }

    /// Checks the comment against the document it is sent to: everything [`NewComment::validate`]
    /// checks, plus that the target provision exists.
    pub fn validate_for(&self, document: &Document) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if let Target::Provision(id) = &self.target
            && document.provision(id).is_none()
        {
            errors.push(FieldError::new(
                "target",
                FieldErrorCode::UnknownProvision,
                None,
            ));
        }
        errors.extend(self.validate());
        errors
    }

    /// The comment with its optional fields trimmed, and empty ones as `None`. The contact is
    /// dropped unless the commenter consented, so it can never be stored without consent.
    pub fn normalized(mut self) -> NewComment {
        fn clean(v: Option<String>) -> Option<String> {
            v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
        }
        self.name = clean(self.name);
        self.contact = if self.consent {
            clean(self.contact)
        } else {
            None
        };
        self.proposed_wording = clean(self.proposed_wording);
        self
    }
}

/// What the editors decided about a comment.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Decision {
    /// 采纳
    Adopted,
    /// 部分采纳
    PartiallyAdopted,
    /// 不予采纳
    NotAdopted,
    /// 已体现
    AlreadyReflected,
    /// 不属于征求意见范围
    OutOfScope,
}

impl Decision {
    pub const ALL: [Decision; 5] = [
        Decision::Adopted,
        Decision::PartiallyAdopted,
        Decision::NotAdopted,
        Decision::AlreadyReflected,
        Decision::OutOfScope,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Adopted => "adopted",
            Decision::PartiallyAdopted => "partially-adopted",
            Decision::NotAdopted => "not-adopted",
            Decision::AlreadyReflected => "already-reflected",
            Decision::OutOfScope => "out-of-scope",
        }
    }
    pub fn parse(s: &str) -> Option<Decision> {
        Self::ALL.into_iter().find(|d| d.as_str() == s)
    }
    pub fn label(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::ZhCn, Decision::Adopted) => "采纳",
            (Lang::ZhCn, Decision::PartiallyAdopted) => "部分采纳",
            (Lang::ZhCn, Decision::NotAdopted) => "不予采纳",
            (Lang::ZhCn, Decision::AlreadyReflected) => "已体现",
            (Lang::ZhCn, Decision::OutOfScope) => "不属于征求范围",
            (Lang::En, Decision::Adopted) => "Adopted",
            (Lang::En, Decision::PartiallyAdopted) => "Partially adopted",
            (Lang::En, Decision::NotAdopted) => "Not adopted",
            (Lang::En, Decision::AlreadyReflected) => "Already reflected",
            (Lang::En, Decision::OutOfScope) => "Out of scope",
        }
    }
}

/// An editor's answer to a comment. A reason is required unless the comment was adopted.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Disposition {
    pub decision: Decision,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

pub const MAX_REASON_CHARS: usize = 5_000;

impl Disposition {
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        match self.reason.as_deref() {
            Some(r) if !r.trim().is_empty() => {
                check_text(&mut errors, "reason", r, 1, MAX_REASON_CHARS, true)
            }
            _ if self.decision != Decision::Adopted => {
                errors.push(FieldError::new("reason", FieldErrorCode::Required, None))
            }
            _ => {}
        }
        errors
    }
}

/// The review state of a stored comment.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CommentStatus {
    /// Received, not yet answered.
    Received,
    /// An editor set a decision; not yet public.
    Decided,
    /// The decision is part of a published feedback report.
    Published,
    /// Marked as a duplicate of another comment; answered with it.
    Duplicate,
    /// Marked as spam; never published.
    Spam,
    /// Hidden by an editor (e.g. abusive); never published.
    Hidden,
}

/// What `GET /api/v1/receipts/{receipt}` tells a commenter. No contact data, ever.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReceiptStatus {
    pub receipt: String,
    pub document_id: String,
    pub target: Target,
    pub received_at: String,
    /// `received`, `under-review`, `answered` (once the decision is published), or one of the
    /// final states of a comment that will not be listed: `spam`, `hidden`.
    pub status: PublicStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<Decision>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PublicStatus {
    Received,
    UnderReview,
    Answered,
    /// Final: marked as spam, so not listed in the published feedback.
    Spam,
    /// Final: hidden by an editor (e.g. abusive), so not listed in the published feedback.
    Hidden,
}

/// The published feedback on a consultation (意见采纳情况).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FeedbackReport {
    pub document_id: String,
    pub published_at: String,
    /// Comments received in total, including duplicates but not spam or hidden ones.
    pub total: u64,
    pub by_decision: Vec<DecisionCount>,
    pub by_provision: Vec<ProvisionCount>,
    pub rows: Vec<FeedbackRow>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DecisionCount {
    pub decision: Decision,
    pub count: u64,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProvisionCount {
    pub target: Target,
    pub total: u64,
    pub by_decision: Vec<DecisionCount>,
}

/// One published comment with its answer. Names are masked; contact data is not a field at all.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FeedbackRow {
    /// A short public reference (not the receipt, which stays private to the commenter).
    pub number: u64,
    pub target: Target,
    pub stance: Stance,
    pub submitter_type: SubmitterType,
    /// The masked name (`朱**`), or absent for anonymous comments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposed_wording: Option<String>,
    pub decision: Decision,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Other comments (by public number) that said the same and share this answer.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub duplicates: Vec<u64>,
}

/// Masks a personal name for publication: the first character is kept, the rest become `*`
/// (`朱小明` → `朱**`, `Alice` → `A****`). Organisations are published in full.
pub fn mask_name(name: &str, submitter: SubmitterType) -> String {
    let name = name.trim();
    if submitter == SubmitterType::Organization {
        return name.to_owned();
    }
    let mut chars = name.chars();
    match chars.next() {
        None => String::new(),
        Some(first) => {
            let rest = chars.count().max(1);
            std::iter::once(first)
                .chain(std::iter::repeat_n('*', rest))
                .collect()
        }
    }
}

/// One comment as the report builder needs it: the stored comment with its review state.
#[derive(Clone, Debug)]
pub struct ReviewedComment {
    pub number: u64,
    pub comment: NewComment,
    pub status: CommentStatus,
    pub disposition: Option<Disposition>,
    /// For duplicates: the public number of the comment whose answer applies.
    pub duplicate_of: Option<u64>,
}

impl FeedbackReport {
    /// Builds the public report from the reviewed comments of one document. Spam and hidden
    /// comments are left out; duplicates are counted with the decision of their original and
    /// listed under it; comments without a decision are left out of the rows.
    pub fn build(
        document_id: &str,
        published_at: &str,
        comments: &[ReviewedComment],
    ) -> FeedbackReport {
        use std::collections::BTreeMap;
        let by_number: BTreeMap<u64, &ReviewedComment> =
            comments.iter().map(|c| (c.number, c)).collect();
        let effective = |c: &ReviewedComment| -> Option<Disposition> {
            match c.status {
                CommentStatus::Spam | CommentStatus::Hidden => None,
                CommentStatus::Duplicate => c
                    .duplicate_of
                    .and_then(|n| by_number.get(&n))
                    .and_then(|o| o.disposition.clone()),
                _ => c.disposition.clone(),
            }
        };
        let mut total = 0;
        let mut decisions: BTreeMap<Decision, u64> = BTreeMap::new();
        let mut provisions: Vec<(Target, BTreeMap<Decision, u64>, u64)> = Vec::new();
        let mut rows = Vec::new();
        let mut duplicates: BTreeMap<u64, Vec<u64>> = BTreeMap::new();
        for c in comments {
            if matches!(c.status, CommentStatus::Spam | CommentStatus::Hidden) {
                continue;
            }
            total += 1;
            let entry = match provisions
                .iter_mut()
                .find(|(t, _, _)| *t == c.comment.target)
            {
                Some(entry) => entry,
                None => {
                    provisions.push((c.comment.target.clone(), BTreeMap::new(), 0));
                    provisions.last_mut().expect("just pushed")
                }
            };
            entry.2 += 1;
            let Some(d) = effective(c) else { continue };
            *decisions.entry(d.decision).or_default() += 1;
            *entry.1.entry(d.decision).or_default() += 1;
            if c.status == CommentStatus::Duplicate {
                if let Some(original) = c.duplicate_of {
                    duplicates.entry(original).or_default().push(c.number);
                }
                continue;
            }
            rows.push(FeedbackRow {
                number: c.number,
                target: c.comment.target.clone(),
                stance: c.comment.stance,
                submitter_type: c.comment.submitter_type,
                name: c
                    .comment
                    .name
                    .as_deref()
                    .map(|n| mask_name(n, c.comment.submitter_type)),
                text: c.comment.text.clone(),
                proposed_wording: c.comment.proposed_wording.clone(),
                decision: d.decision,
                reason: d.reason,
                duplicates: Vec::new(),
            });
        }
        for row in &mut rows {
            row.duplicates = duplicates.remove(&row.number).unwrap_or_default();
        }
        let counts = |m: BTreeMap<Decision, u64>| {
            m.into_iter()
                .map(|(decision, count)| DecisionCount { decision, count })
                .collect::<Vec<_>>()
        };
        FeedbackReport {
            document_id: document_id.to_owned(),
            published_at: published_at.to_owned(),
            total,
            by_decision: counts(decisions),
            by_provision: provisions
                .into_iter()
                .map(|(target, m, total)| ProvisionCount {
                    target,
                    total,
                    by_decision: counts(m),
                })
                .collect(),
            rows,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comment(text: &str) -> NewComment {
        NewComment {
            target: Target::Document,
            stance: Stance::Support,
            text: text.into(),
            proposed_wording: None,
            name: None,
            contact: None,
            submitter_type: SubmitterType::Individual,
            consent: false,
        }
    }

    #[test]
    fn masks_names() {
        assert_eq!(mask_name("朱小明", SubmitterType::Individual), "朱**");
        assert_eq!(mask_name("朱", SubmitterType::Individual), "朱*");
        assert_eq!(mask_name("Alice", SubmitterType::Individual), "A****");
        assert_eq!(
            mask_name("中卫市律师协会", SubmitterType::Organization),
            "中卫市律师协会"
        );
    }

    #[test]
    fn validation_names_fields() {
        let fields = |c: &NewComment| {
            c.validate()
                .into_iter()
                .map(|e| (e.field, e.code))
                .collect::<Vec<_>>()
        };
        assert!(fields(&comment("建议延长公示期限。")).is_empty());
        assert_eq!(
            fields(&comment("  ")),
            vec![("text".into(), FieldErrorCode::Required)]
        );
        let mut c = comment("好的意见\u{0007}");
        assert_eq!(
            fields(&c),
            vec![("text".into(), FieldErrorCode::ControlCharacters)]
        );
        c.text = "建议修改".into();
        c.stance = Stance::SuggestChange;
        c.contact = Some("13800000000".into());
        c.submitter_type = SubmitterType::Organization;
        assert_eq!(
            fields(&c),
            vec![
                ("proposedWording".into(), FieldErrorCode::Required),
                ("name".into(), FieldErrorCode::Required),
                ("consent".into(), FieldErrorCode::ConsentRequired),
            ]
        );
        assert_eq!(
            comment(&"字".repeat(MAX_TEXT_CHARS + 1)).validate()[0].code,
            FieldErrorCode::TooLong
        );
    }

    #[test]
    fn contact_is_dropped_without_consent() {
        let mut c = comment("意见内容");
        c.contact = Some(" 138 ".into());
        assert_eq!(c.clone().normalized().contact, None);
        c.consent = true;
        assert_eq!(c.normalized().contact.as_deref(), Some("138"));
    }

    #[test]
    fn disposition_needs_reason_unless_adopted() {
        assert!(
            Disposition {
                decision: Decision::Adopted,
                reason: None
            }
            .validate()
            .is_empty()
        );
        assert_eq!(
            Disposition {
                decision: Decision::NotAdopted,
                reason: Some(" ".into())
            }
            .validate()
            .len(),
            1
        );
    }
}
