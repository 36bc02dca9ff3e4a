//! The compiled document: what `jiedu build` writes, the server serves and the widget renders.
//!
//! JSON field names are camelCase; enums are kebab-case strings. Every document carries
//! `formatVersion`; readers refuse versions they do not know instead of guessing.

use serde::{Deserialize, Serialize};

use crate::date::{Date, Timestamp};
use crate::rich::{Inline, RichText, for_each_inline};

/// The version of the compiled JSON format. Bump it when an old reader would misread new data.
pub const FORMAT_VERSION: u32 = 1;

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Document {
    pub format_version: u32,
    /// `[a-z0-9-]+`, unique among the documents of a site.
    pub id: String,
    pub title: String,
    /// The official document number (文号), e.g. `卫政办发〔2021〕39号`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective: Option<Date>,
    pub status: Status,
    pub disclosure: Disclosure,
    pub lang: Lang,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Text before the first provision heading (preamble), if any.
    #[serde(default, skip_serializing_if = "RichText::is_empty")]
    pub preamble: RichText,
    pub provisions: Vec<Provision>,
    /// Text after the provisions (结尾): a notice's closing paragraph, the signature and date.
    /// Not a provision: it has no id and takes no comments.
    #[serde(default, skip_serializing_if = "RichText::is_empty")]
    pub closing: RichText,
    pub interpretations: Vec<Interpretation>,
    pub faqs: Vec<Faq>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consultation: Option<Consultation>,
    /// The id of the document this one replaces: the consultation draft of a final version, or
    /// the policy a new one supersedes. The compare view (修改前后对照) diffs against it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaces: Option<String>,
    /// Set when the document was repealed (已废止) or expired (已失效), with the date. Not written
    /// in the authoring format: the server sets it when an approver marks the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lapsed: Option<Lapse>,
}

/// A document that no longer applies: how and since when.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Lapse {
    pub kind: LapseKind,
    /// The day it stopped applying.
    pub on: Date,
}

crate::wire_enum! {
    /// Why a document no longer applies.
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum LapseKind {
        /// 已废止: repealed by a decision.
        Repealed = "repealed" | "已废止" | "Repealed",
        /// 已失效: its term ended.
        Expired = "expired" | "已失效" | "Expired",
    }
}

/// One entry of a site's document list (`index.json`, `GET /api/v1/documents`).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentSummary {
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued: Option<Date>,
    pub status: Status,
    pub lang: Lang,
    pub interpretations: usize,
    pub faqs: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consultation: Option<Consultation>,
}

/// The list of documents a site publishes: `index.json` beside the compiled documents.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentIndex {
    pub format_version: u32,
    pub documents: Vec<DocumentSummary>,
}

impl Document {
    pub fn summary(&self) -> DocumentSummary {
        DocumentSummary {
            id: self.id.clone(),
            title: self.title.clone(),
            doc_number: self.doc_number.clone(),
            issuer: self.issuer.clone(),
            issued: self.issued,
            status: self.status,
            lang: self.lang,
            interpretations: self.interpretations.len(),
            faqs: self.faqs.len(),
            consultation: self.consultation.clone(),
        }
    }
}

crate::wire_enum! {
    /// Where a document stands in its life.
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum Status {
        Draft = "draft" | "草案" | "Draft",
        Consultation = "consultation" | "征求意见中" | "Open for comment",
        InForce = "in-force" | "现行有效" | "In force",
        Revised = "revised" | "已修订" | "Revised",
        Repealed = "repealed" | "已废止" | "Repealed",
    }
}

crate::wire_enum! {
    /// The disclosure attribute every government document is given (公开属性).
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum Disclosure {
        /// 主动公开
        Public = "public" | "主动公开" | "Public",
        /// 依申请公开
        OnRequest = "on-request" | "依申请公开" | "On request",
        /// 不予公开
        Restricted = "restricted" | "不予公开" | "Restricted",
    }
}

crate::wire_enum! {
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum Lang {
        #[default]
        ZhCn = "zh-CN",
        En = "en",
    }
}

/// One clause of the document, with its sub-clauses.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Provision {
    /// Stable id (`s1-1`), fixed by the editor with `{#id}` or derived from the position (`1.2`).
    pub id: String,
    /// True when the id was written by the editor, false when derived from the position.
    #[serde(default)]
    pub fixed_id: bool,
    /// The official numbering that opened the heading (`一、`, `（一）`, `第三条`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub title: String,
    #[serde(default, skip_serializing_if = "RichText::is_empty")]
    pub body: RichText,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Provision>,
}

impl Provision {
    /// This provision and all its descendants, depth first.
    pub fn walk(&self) -> impl Iterator<Item = &Provision> {
        let mut stack = vec![self];
        std::iter::from_fn(move || {
            let next = stack.pop()?;
            stack.extend(next.children.iter().rev());
            Some(next)
        })
    }

    /// The label and title as one line, the way the official text prints them.
    pub fn heading(&self) -> String {
        match &self.label {
            Some(label) => format!("{label}{}", self.title),
            None => self.title.clone(),
        }
    }
}

impl Document {
    /// Every provision of the document, depth first in reading order.
    pub fn all_provisions(&self) -> impl Iterator<Item = &Provision> {
        self.provisions.iter().flat_map(Provision::walk)
    }

    pub fn provision(&self, id: &str) -> Option<&Provision> {
        self.all_provisions().find(|p| p.id == id)
    }

    /// The interpretations that target the given provision.
    pub fn interpretations_of<'a>(
        &'a self,
        provision_id: &'a str,
    ) -> impl Iterator<Item = &'a Interpretation> {
        self.interpretations.iter().filter(move |i| {
            i.targets
                .iter()
                .any(|t| matches!(t, Target::Provision(id) if id == provision_id))
        })
    }
}

/// What an interpretation, FAQ or comment is about.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// The whole document (written `document`).
    Document,
    Provision(String),
}

impl Target {
    pub fn provision_id(&self) -> Option<&str> {
        match self {
            Target::Document => None,
            Target::Provision(id) => Some(id),
        }
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Target::Document => f.write_str("document"),
            Target::Provision(id) => f.write_str(id),
        }
    }
}

impl Serialize for Target {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Target {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Ok(if s == "document" {
            Target::Document
        } else {
            Target::Provision(s.into_owned())
        })
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Target {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Target".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A provision id, or `document` for the whole document."
        })
    }
}

/// An interpretation (解读) of one or more provisions or of the whole document.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Interpretation {
    pub id: String,
    pub targets: Vec<Target>,
    pub kind: InterpretationKind,
    pub title: String,
    pub body: RichText,
    /// The interpreting body or person (第一解读人).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// Images and videos of the body, listed for graphic and video interpretations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub media: Vec<Media>,
}

crate::wire_enum! {
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    pub enum InterpretationKind {
        /// 出台背景
        Background = "background" | "出台背景" | "Background",
        /// 主要考虑
        Considerations = "considerations" | "主要考虑" | "Considerations",
        /// 要点
        KeyPoints = "key-points" | "要点" | "Key points",
        /// 作用影响
        Impact = "impact" | "作用影响" | "Impact",
        /// 名词解释
        Terms = "terms" | "名词解释" | "Terms",
        /// 问答
        Qa = "qa" | "问答" | "Q&A",
        /// 图解
        Graphic = "graphic" | "图解" | "Graphic",
        /// 视频解读
        Video = "video" | "视频解读" | "Video",
        /// 跟踪解读 / 二次解读
        FollowUp = "follow-up" | "跟踪解读" | "Follow-up",
    }
}

impl InterpretationKind {
    /// The kinds that explain rather than restate: background, considerations, impact.
    pub fn is_explanatory(self) -> bool {
        matches!(
            self,
            InterpretationKind::Background
                | InterpretationKind::Considerations
                | InterpretationKind::Impact
        )
    }
}

/// An image or a video referenced by an interpretation.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Media {
    pub kind: MediaKind,
    pub src: String,
    pub alt: String,
}

impl Media {
    /// Every image and video of a body, in reading order. It lives here, not on [`RichText`]:
    /// the model holds rich text, so rich text does not know the model.
    pub fn in_body(body: &RichText) -> Vec<Media> {
        let mut out = Vec::new();
        for_each_inline(&body.0, &mut |inline| match inline {
            Inline::Image { src, alt } => out.push(Media {
                kind: MediaKind::Image,
                src: src.clone(),
                alt: alt.clone(),
            }),
            Inline::Video { src, alt, .. } => out.push(Media {
                kind: MediaKind::Video,
                src: src.clone(),
                alt: alt.clone(),
            }),
            _ => {}
        });
        out
    }
}

crate::wire_enum! {
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub enum MediaKind {
        Image = "image",
        Video = "video",
    }
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Faq {
    pub id: String,
    pub question: String,
    pub answer: RichText,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Target>,
}

/// A period during which the public may comment on the document (意见征集).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Consultation {
    pub opens: Timestamp,
    pub closes: Timestamp,
    pub kind: ConsultationKind,
    /// Other ways to send comments (letter, email, phone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
}

crate::wire_enum! {
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum ConsultationKind {
        /// 规章
        Rule = "rule",
        /// 规范性文件
        Normative = "normative",
        /// 重大行政决策
        MajorDecision = "major-decision",
        Other = "other",
    }
}

impl ConsultationKind {
    /// The shortest comment period the rules allow for this kind, in days.
    /// Rules (规章) and major decisions: 30 days; normative documents: 7 days.
    pub fn legal_minimum_days(self) -> Option<u32> {
        match self {
            ConsultationKind::Rule | ConsultationKind::MajorDecision => Some(30),
            ConsultationKind::Normative => Some(7),
            ConsultationKind::Other => None,
        }
    }
}

crate::wire_enum! {
    /// Where a consultation stands at a given instant.
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub enum ConsultationState {
        Upcoming = "upcoming",
        Open = "open",
        Closed = "closed",
    }
}

impl Consultation {
    /// The state at `now` (seconds since the Unix epoch). Opens is inclusive, closes is inclusive:
    /// a period that `closes = …T23:59:59` accepts comments during that last second.
    pub fn state_at(&self, now_unix_seconds: i64) -> ConsultationState {
        if now_unix_seconds < self.opens.unix_seconds() {
            ConsultationState::Upcoming
        } else if now_unix_seconds <= self.closes.unix_seconds() {
            ConsultationState::Open
        } else {
            ConsultationState::Closed
        }
    }

    /// Length of the period in whole calendar days, counting both the first and the last day
    /// (1 December to 31 December is 31 days), each in the offset it was written in.
    pub fn period_days(&self) -> i64 {
        self.closes.local_date().days_since_epoch() - self.opens.local_date().days_since_epoch() + 1
    }

    /// Whole days left at `now` until the period closes, rounding up; 0 once closed.
    pub fn days_left_at(&self, now_unix_seconds: i64) -> i64 {
        let left = self.closes.unix_seconds() - now_unix_seconds;
        if left < 0 {
            0
        } else {
            (left + 86_399) / 86_400
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consultation_states_and_period() {
        let c = Consultation {
            opens: "2026-12-01T00:00:00+08:00".parse().unwrap(),
            closes: "2026-12-31T23:59:59+08:00".parse().unwrap(),
            kind: ConsultationKind::Rule,
            contact: None,
        };
        assert_eq!(c.period_days(), 31);
        let opens = c.opens.unix_seconds();
        let closes = c.closes.unix_seconds();
        assert_eq!(c.state_at(opens - 1), ConsultationState::Upcoming);
        assert_eq!(c.state_at(opens), ConsultationState::Open);
        assert_eq!(c.state_at(closes), ConsultationState::Open);
        assert_eq!(c.state_at(closes + 1), ConsultationState::Closed);
        assert_eq!(c.days_left_at(closes - 86_400 * 2), 2);
    }
}
