//! The short summary printed after every import, so that an editor sees at once whether to trust
//! it: provisions found per level, metadata found and missing, attachments kept. The CLI prints it
//! and the editor page shows it; both render it from here.

use crate::model::Lang;

use super::PLACEHOLDER_TITLE;
use super::markdown::FrontMatter;
use super::structure::{Node, Structure};

/// What an import found, in numbers a person counting by hand would get.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    /// Provisions per numbering level, outermost first, only the levels that occur:
    /// (`第X条`, 15).
    pub provisions: Vec<(&'static str, usize)>,
    /// Front-matter fields read from the text.
    pub found: Vec<Field>,
    /// Front-matter fields the text did not give (assumed or left out).
    pub missing: Vec<Field>,
    /// Attachments kept at the end as sections of their own (`附件2 XX审批表`).
    pub attachments: Vec<String>,
    /// What the closing (结尾, after `---`) holds, in order; empty when there is none.
    pub closing: Vec<ClosingPart>,
    /// How many notes the import wrote.
    pub notes: usize,
}

/// A paragraph of the closing (结尾).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClosingPart {
    /// A paragraph of text (`以上通知，请认真贯彻执行。`).
    Paragraph,
    /// A line of the signature (one per issuing body).
    Signature,
    Date,
    /// The disclosure annotation (`（此件公开发布）`).
    Annotation,
}

/// A front-matter field the import fills from the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Title,
    DocNumber,
    Issuer,
    Issued,
    Effective,
    Disclosure,
}

impl Field {
    const ALL: [Field; 6] = [
        Field::Title,
        Field::DocNumber,
        Field::Issuer,
        Field::Issued,
        Field::Effective,
        Field::Disclosure,
    ];

    /// The front-matter key.
    pub fn key(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::DocNumber => "doc_number",
            Field::Issuer => "issuer",
            Field::Issued => "issued",
            Field::Effective => "effective",
            Field::Disclosure => "disclosure",
        }
    }

    /// The field's name for an editor.
    pub fn label(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::ZhCn, Field::Title) => "标题",
            (Lang::ZhCn, Field::DocNumber) => "文号",
            (Lang::ZhCn, Field::Issuer) => "发文机关",
            (Lang::ZhCn, Field::Issued) => "成文日期",
            (Lang::ZhCn, Field::Effective) => "施行日期",
            (Lang::ZhCn, Field::Disclosure) => "公开属性",
            (Lang::En, field) => field.key(),
        }
    }
}

/// The numbering levels, outermost first, as the summary names them.
const LEVELS: [&str; 7] = ["第X章", "第X节", "第X条", "一、", "（一）", "1.", "（1）"];

impl Summary {
    pub(super) fn new(
        front: &FrontMatter,
        structure: &Structure,
        attachments: Vec<String>,
        closing: Vec<ClosingPart>,
    ) -> Summary {
        let mut counts = [0usize; 7];
        for node in &structure.nodes {
            if let Node::Heading(h) = node {
                counts[h.kind.rank()] += 1;
            }
        }
        let provisions = LEVELS
            .iter()
            .zip(counts)
            .filter(|(_, n)| *n > 0)
            .map(|(l, n)| (*l, n))
            .collect();
        let has = |field: Field| match field {
            Field::Title => front.title != PLACEHOLDER_TITLE,
            Field::DocNumber => front.doc_number.is_some(),
            Field::Issuer => front.issuer.is_some(),
            Field::Issued => front.issued.is_some(),
            Field::Effective => front.effective.is_some(),
            Field::Disclosure => !front.assumed_disclosure,
        };
        let (found, missing) = Field::ALL.iter().partition(|f| has(**f));
        Summary {
            provisions,
            found,
            missing,
            attachments,
            closing,
            notes: 0,
        }
    }

    /// The closing as the summary shows it: `2 paragraphs, signature (2 lines), date` /
    /// `2 段、署名 2 行、日期`; `none` / `无`.
    fn render_closing(&self, lang: Lang) -> String {
        let zh = lang == Lang::ZhCn;
        let count = |part: ClosingPart| self.closing.iter().filter(|p| **p == part).count();
        let mut parts = Vec::new();
        match (count(ClosingPart::Paragraph), zh) {
            (0, _) => {}
            (n, true) => parts.push(format!("{n} 段")),
            (1, false) => parts.push("1 paragraph".to_owned()),
            (n, false) => parts.push(format!("{n} paragraphs")),
        }
        match (count(ClosingPart::Signature), zh) {
            (0, _) => {}
            (1, true) => parts.push("署名".to_owned()),
            (n, true) => parts.push(format!("署名 {n} 行")),
            (1, false) => parts.push("signature".to_owned()),
            (n, false) => parts.push(format!("signature ({n} lines)")),
        }
        for (part, en, zh_name) in [
            (ClosingPart::Date, "date", "日期"),
            (ClosingPart::Annotation, "annotation", "公开属性附注"),
        ] {
            if count(part) > 0 {
                parts.push(if zh { zh_name } else { en }.to_owned());
            }
        }
        match (parts.is_empty(), zh) {
            (true, true) => "无".to_owned(),
            (true, false) => "none".to_owned(),
            (false, true) => parts.join("、"),
            (false, false) => parts.join(", "),
        }
    }

    /// The summary as a few lines of text.
    pub fn render(&self, lang: Lang) -> String {
        let zh = lang == Lang::ZhCn;
        let sep = if zh { "，" } else { ", " };
        let list_sep = if zh { "、" } else { ", " };
        let none = if zh { "无" } else { "none" };
        let or_none = |items: Vec<String>, sep: &str| {
            if items.is_empty() {
                none.to_owned()
            } else {
                items.join(sep)
            }
        };
        let provisions = or_none(
            self.provisions
                .iter()
                .map(|(level, n)| format!("{level} {n}"))
                .collect(),
            sep,
        );
        let fields = |fields: &[Field]| {
            or_none(
                fields.iter().map(|f| f.label(lang).to_owned()).collect(),
                list_sep,
            )
        };
        let attachments = if self.attachments.is_empty() {
            none.to_owned()
        } else if zh {
            format!(
                "保留 {} 件（{}）",
                self.attachments.len(),
                self.attachments.join("；")
            )
        } else {
            format!(
                "kept {} ({})",
                self.attachments.len(),
                self.attachments.join("; ")
            )
        };
        let closing = self.render_closing(lang);
        if zh {
            format!(
                "导入摘要：\n  条款：{provisions}\n  已识别：{}\n  未找到：{}\n  结尾：{closing}\n  附件：{attachments}\n  备注：{} 条\n",
                fields(&self.found),
                fields(&self.missing),
                self.notes
            )
        } else {
            format!(
                "import summary:\n  provisions: {provisions}\n  found: {}\n  missing: {}\n  closing: {closing}\n  attachments: {attachments}\n  notes: {}\n",
                fields(&self.found),
                fields(&self.missing),
                self.notes
            )
        }
    }
}
