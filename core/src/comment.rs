//! Public comments on a draft (意见征集), their dispositions and the published feedback report.
//!
//! The widget validates a comment with [`NewComment::validate`] before sending it, and the server
//! validates it again with the same function: one set of rules, one set of messages (zh-CN and en).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::{Document, Lang, Target};

/// The longest comment text accepted, in characters.
pub const MAX_TEXT_CHARS: usize = 20_000;
/// The shortest comment text accepted, in visible characters (not counting whitespace and
/// invisible characters, see [`is_visible`]).
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

crate::wire_enum! {
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum Stance {
        Support = "support" | "赞成" | "Support",
        Oppose = "oppose" | "反对" | "Oppose",
        SuggestChange = "suggest-change" | "建议修改" | "Suggest a change",
    }
}

crate::wire_enum! {
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum SubmitterType {
        #[default]
        Individual = "individual" | "个人" | "An individual",
        Organization = "organization" | "单位" | "An organisation",
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

crate::wire_enum! {
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub enum FieldErrorCode {
        Required = "required",
        TooShort = "too-short",
        TooLong = "too-long",
        ControlCharacters = "control-characters",
        ConsentRequired = "consent-required",
        UnknownProvision = "unknown-provision",
        Invalid = "invalid",
    }
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
        !allowed && c.is_control()
    })
}

/// Characters that show nothing by themselves: format characters (joiners, direction marks
/// and controls, word joiners, the byte-order mark, line and paragraph separators, tags),
/// variation selectors, fillers that render blank, and the blank Braille cell.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{2800}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}'
        | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF9}'..='\u{FFFB}' | '\u{1BCA0}'..='\u{1BCA3}'
        | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}')
}

/// A character a reader sees: neither whitespace nor invisible. Minimum lengths count these.
pub fn is_visible(c: char) -> bool {
    !c.is_whitespace() && !is_invisible(c)
}

fn is_variation_selector(c: char) -> bool {
    matches!(c, '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}' | '\u{034F}')
}

fn is_rtl_letter(c: char) -> bool {
    matches!(c, '\u{0590}'..='\u{061B}' | '\u{061D}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFE}'
        | '\u{10800}'..='\u{10FFF}' | '\u{1E800}'..='\u{1EFFF}')
}

/// Whether the invisible character at `chars[i]` does a job there. Legitimate uses are kept:
/// joiners between two visible characters (emoji ZWJ sequences such as 👩‍💻, Indic and Persian
/// shaping), variation selectors after a visible character (❤️, CJK ideographic variation
/// sequences), tags inside an emoji flag (🏴󠁧󠁢󠁳󠁣󠁴󠁿), Mongolian variation selectors after Mongolian
/// letters, and direction marks in text that has right-to-left letters (Uyghur, Arabic).
/// Anything else (zero-width spaces, word joiners, BOMs, directional overrides, line separators,
/// blank fillers, stray joiners) carries nothing a reader can see, and is refused.
fn invisible_has_a_job(chars: &[char], i: usize, has_rtl: bool) -> bool {
    let c = chars[i];
    let before = chars[..i]
        .iter()
        .rev()
        .copied()
        .find(|&p| !is_variation_selector(p));
    let after = chars.get(i + 1).copied();
    match c {
        '\u{200C}' | '\u{200D}' => before.is_some_and(is_visible) && after.is_some_and(is_visible),
        c if is_variation_selector(c) => i > 0 && is_visible(chars[i - 1]),
        '\u{E0020}'..='\u{E007F}' => {
            chars[..i]
                .iter()
                .rev()
                .find(|&&p| !matches!(p, '\u{E0020}'..='\u{E007F}'))
                == Some(&'\u{1F3F4}')
        }
        '\u{180B}'..='\u{180F}' => {
            i > 0 && matches!(chars[i - 1], '\u{1820}'..='\u{18AA}' | '\u{180B}'..='\u{180F}')
        }
        '\u{200E}' | '\u{200F}' | '\u{061C}' => has_rtl,
        '\u{2800}' => true,
        _ => false,
    }
}

/// Whether `s` has an invisible character where it does no job (see [`invisible_has_a_job`]).
pub fn has_stray_invisible(s: &str) -> bool {
    if !s.chars().any(is_invisible) {
        return false;
    }
    let chars: Vec<char> = s.chars().collect();
    let has_rtl = chars.iter().copied().any(is_rtl_letter);
    (0..chars.len()).any(|i| is_invisible(chars[i]) && !invisible_has_a_job(&chars, i, has_rtl))
}

fn check_text(
    errors: &mut Vec<FieldError>,
    field: &str,
    value: &str,
    min: usize,
    max: usize,
    allow_newlines: bool,
) {
    let meaningful = value.chars().filter(|&c| is_visible(c)).count();
    if meaningful == 0 {
        errors.push(FieldError::new(field, FieldErrorCode::Required, None));
    } else if meaningful < min {
        errors.push(FieldError::new(field, FieldErrorCode::TooShort, Some(min)));
    } else if value.chars().count() > max {
        errors.push(FieldError::new(field, FieldErrorCode::TooLong, Some(max)));
    } else if has_control(value, allow_newlines) || has_stray_invisible(value) {
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

crate::wire_enum! {
    /// What the editors decided about a comment.
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    pub enum Decision {
        /// 采纳
        Adopted = "adopted" | "采纳" | "Adopted",
        /// 部分采纳
        PartiallyAdopted = "partially-adopted" | "部分采纳" | "Partially adopted",
        /// 不予采纳
        NotAdopted = "not-adopted" | "不予采纳" | "Not adopted",
        /// 已体现
        AlreadyReflected = "already-reflected" | "已体现" | "Already reflected",
        /// 不属于征求意见范围
        OutOfScope = "out-of-scope" | "不属于征求范围" | "Out of scope",
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
    /// The id of the provision of the final version (the document whose `replaces` is this
    /// draft) that carries the answer: 「已采纳，见第五条」. The server checks that the final
    /// version's published revision has it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_provision: Option<String>,
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
        if self
            .final_provision
            .as_deref()
            .is_some_and(|p| p.trim().is_empty())
        {
            errors.push(FieldError::new(
                "finalProvision",
                FieldErrorCode::Invalid,
                None,
            ));
        }
        errors
    }
}

crate::wire_enum! {
    /// The review state of a stored comment.
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum CommentStatus {
        /// Received, not yet answered.
        Received = "received" | "待处理" | "Received",
        /// An editor set a decision; not yet public.
        Decided = "decided" | "已处理" | "Decided",
        /// The decision is part of a published feedback report.
        Published = "published" | "已公布" | "Published",
        /// Marked as a duplicate of another comment; answered with it.
        Duplicate = "duplicate" | "重复" | "Duplicate",
        /// Marked as spam; never published.
        Spam = "spam" | "垃圾" | "Spam",
        /// Hidden by an editor (e.g. abusive); never published.
        Hidden = "hidden" | "隐藏" | "Hidden",
    }
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

crate::wire_enum! {
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub enum PublicStatus {
        Received = "received" | "已收到，待办理" | "Received",
        UnderReview = "under-review" | "正在办理" | "Under review",
        Answered = "answered" | "已答复" | "Answered",
        /// Final: marked as spam, so not listed in the published feedback.
        Spam = "spam" | "未列入公开答复（广告或无关信息）" | "Not listed in the answers (spam or off-topic)",
        /// Final: hidden by an editor (e.g. abusive), so not listed in the published feedback.
        Hidden = "hidden" | "未列入公开答复（内容不宜公开）" | "Not listed in the answers (unsuitable)",
    }
}

/// The published feedback on a consultation (意见采纳情况).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FeedbackReport {
    pub document_id: String,
    pub published_at: String,
    /// Every comment received on the document, whatever became of it. Absent (0) in reports
    /// published before it was added; readers then fall back to `total`.
    #[serde(default)]
    pub received: u64,
    /// The comments the report counts: every one received except spam and hidden ones
    /// (duplicates included, with their original's decision).
    pub total: u64,
    /// How many received comments have no row of their own in `rows`, and why.
    #[serde(default)]
    pub not_listed: NotListed,
    pub by_decision: Vec<DecisionCount>,
    pub by_provision: Vec<ProvisionCount>,
    pub rows: Vec<FeedbackRow>,
}

/// The received comments a report does not list as rows of their own, by reason, so that
/// `received` = rows + the sum of these: a reader can see nothing was silently dropped.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotListed {
    /// Duplicates: answered with their original and listed under it (`duplicates`).
    pub duplicates: u64,
    /// Marked as spam (advertising, nonsense).
    pub spam: u64,
    /// Hidden by an editor (e.g. abusive).
    pub hidden: u64,
    /// Not answered yet when the report was published.
    pub undecided: u64,
}

impl NotListed {
    pub fn sum(&self) -> u64 {
        self.duplicates + self.spam + self.hidden + self.undecided
    }
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
    /// The provision of the final version that carries the answer (见第五条).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub see: Option<FinalProvision>,
}

/// A provision of the final version of a consultation draft, as a feedback row names it.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FinalProvision {
    /// The final version's document id.
    pub document_id: String,
    /// The provision's id there (its compare page's anchor is `cmp-{id}`).
    pub provision_id: String,
    /// How the official text names it: its label (`第五条`), else its heading.
    pub label: String,
}

impl FinalProvision {
    /// The provision `id` of `final_version`, if it has one.
    pub fn find(final_version: &Document, id: &str) -> Option<FinalProvision> {
        let p = final_version.provision(id)?;
        Some(FinalProvision {
            document_id: final_version.id.clone(),
            provision_id: id.to_owned(),
            label: p.label.clone().unwrap_or_else(|| p.heading()),
        })
    }
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
    /// comments are left out of the counts; duplicates are counted with the decision of their
    /// original and listed under it; comments without a decision are left out of the rows.
    /// Every comment left out of the rows is counted in `not_listed` by reason. A row whose
    /// disposition names a provision of `final_version` (the document replacing this draft, if
    /// published) links to it in `see`; a name the final version no longer has is dropped.
    pub fn build(
        document_id: &str,
        published_at: &str,
        comments: &[ReviewedComment],
        final_version: Option<&Document>,
    ) -> FeedbackReport {
        let by_number: BTreeMap<u64, &ReviewedComment> =
            comments.iter().map(|c| (c.number, c)).collect();
        let mut tally = Tally::default();
        for c in comments {
            tally.add(c, effective_disposition(c, &by_number), final_version);
        }
        tally.into_report(document_id, published_at, comments.len() as u64)
    }
}

/// The answer that counts for a comment: none for spam and hidden ones, the original's for a
/// duplicate, else its own.
fn effective_disposition(
    c: &ReviewedComment,
    by_number: &BTreeMap<u64, &ReviewedComment>,
) -> Option<Disposition> {
    match c.status {
        CommentStatus::Spam | CommentStatus::Hidden => None,
        CommentStatus::Duplicate => c
            .duplicate_of
            .and_then(|n| by_number.get(&n))
            .and_then(|o| o.disposition.clone()),
        _ => c.disposition.clone(),
    }
}

/// The counts and rows of a [`FeedbackReport`] while [`FeedbackReport::build`] goes through the
/// comments.
#[derive(Default)]
struct Tally {
    total: u64,
    not_listed: NotListed,
    decisions: BTreeMap<Decision, u64>,
    /// Per target, in order of first comment: the decisions and the number of comments.
    provisions: Vec<(Target, BTreeMap<Decision, u64>, u64)>,
    rows: Vec<FeedbackRow>,
    /// The duplicates of each original, by public number.
    duplicates: BTreeMap<u64, Vec<u64>>,
}

impl Tally {
    /// Counts comment `c`, whose answer is `decided`, and gives it a row unless it is spam,
    /// hidden, undecided or a duplicate.
    fn add(
        &mut self,
        c: &ReviewedComment,
        decided: Option<Disposition>,
        final_version: Option<&Document>,
    ) {
        match c.status {
            CommentStatus::Spam => self.not_listed.spam += 1,
            CommentStatus::Hidden => self.not_listed.hidden += 1,
            _ => self.total += 1,
        }
        if matches!(c.status, CommentStatus::Spam | CommentStatus::Hidden) {
            return;
        }
        let entry = self.provision(&c.comment.target);
        entry.2 += 1;
        let Some(d) = decided else {
            self.not_listed.undecided += 1;
            return;
        };
        *entry.1.entry(d.decision).or_default() += 1;
        *self.decisions.entry(d.decision).or_default() += 1;
        if c.status == CommentStatus::Duplicate {
            self.not_listed.duplicates += 1;
            if let Some(original) = c.duplicate_of {
                self.duplicates.entry(original).or_default().push(c.number);
            }
            return;
        }
        self.rows.push(row(c, d, final_version));
    }

    /// The counts for `target`, added at the end the first time it is commented on.
    fn provision(&mut self, target: &Target) -> &mut (Target, BTreeMap<Decision, u64>, u64) {
        match self.provisions.iter().position(|(t, _, _)| t == target) {
            Some(k) => &mut self.provisions[k],
            None => {
                self.provisions.push((target.clone(), BTreeMap::new(), 0));
                self.provisions.last_mut().expect("just pushed")
            }
        }
    }

    fn into_report(
        mut self,
        document_id: &str,
        published_at: &str,
        received: u64,
    ) -> FeedbackReport {
        for row in &mut self.rows {
            row.duplicates = self.duplicates.remove(&row.number).unwrap_or_default();
        }
        FeedbackReport {
            document_id: document_id.to_owned(),
            published_at: published_at.to_owned(),
            received,
            total: self.total,
            not_listed: self.not_listed,
            by_decision: decision_counts(self.decisions),
            by_provision: self
                .provisions
                .into_iter()
                .map(|(target, m, total)| ProvisionCount {
                    target,
                    total,
                    by_decision: decision_counts(m),
                })
                .collect(),
            rows: self.rows,
        }
    }
}

/// The public row of comment `c` answered with `d`: the name masked, no contact.
fn row(c: &ReviewedComment, d: Disposition, final_version: Option<&Document>) -> FeedbackRow {
    FeedbackRow {
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
        see: final_version
            .zip(d.final_provision.as_deref())
            .and_then(|(doc, id)| FinalProvision::find(doc, id)),
    }
}

fn decision_counts(m: BTreeMap<Decision, u64>) -> Vec<DecisionCount> {
    m.into_iter()
        .map(|(decision, count)| DecisionCount { decision, count })
        .collect()
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
    fn the_report_accounts_for_every_comment_received() {
        let reviewed = |number, status, decision: Option<Decision>, duplicate_of| ReviewedComment {
            number,
            comment: comment("意见内容"),
            status,
            disposition: decision.map(|decision| Disposition {
                decision,
                reason: None,
                final_provision: None,
            }),
            duplicate_of,
        };
        let comments = [
            reviewed(1, CommentStatus::Decided, Some(Decision::Adopted), None),
            reviewed(2, CommentStatus::Duplicate, None, Some(1)),
            reviewed(3, CommentStatus::Spam, None, None),
            reviewed(4, CommentStatus::Hidden, Some(Decision::NotAdopted), None),
            reviewed(5, CommentStatus::Received, None, None),
            reviewed(6, CommentStatus::Duplicate, None, Some(5)),
        ];
        let report = FeedbackReport::build("d", "2026-12-15T10:00:00+08:00", &comments, None);
        assert_eq!((report.received, report.total), (6, 4));
        assert_eq!(
            report.not_listed,
            NotListed {
                duplicates: 1,
                spam: 1,
                hidden: 1,
                undecided: 2,
            }
        );
        assert_eq!(report.rows.len(), 1);
        assert_eq!(report.rows[0].duplicates, [2]);
        assert_eq!(
            report.rows.len() as u64 + report.not_listed.sum(),
            report.received,
            "every comment received is listed or accounted for"
        );
    }

    #[test]
    fn disposition_needs_reason_unless_adopted() {
        assert!(
            Disposition {
                decision: Decision::Adopted,
                reason: None,
                final_provision: None,
            }
            .validate()
            .is_empty()
        );
        assert_eq!(
            Disposition {
                decision: Decision::NotAdopted,
                reason: Some(" ".into()),
                final_provision: None,
            }
            .validate()
            .len(),
            1
        );
    }
}
