//! Every string the widget shows, in Simplified Chinese and English.
//!
//! The language is chosen by `data-lang`, then the host page's `lang`, then the browser's
//! language, then Chinese. Strings with a value to fill in use `{}` placeholders, filled by
//! [`fill`]; no formatting machinery beyond `str::replacen` is needed.

use jiedu_core::{Disclosure, InterpretationKind, Lang, Status};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum UiLang {
    #[default]
    Zh,
    En,
}

impl UiLang {
    pub fn tag(self) -> &'static str {
        match self {
            UiLang::Zh => "zh-CN",
            UiLang::En => "en",
        }
    }

    pub fn strings(self) -> &'static Strings {
        match self {
            UiLang::Zh => &ZH,
            UiLang::En => &EN,
        }
    }
}

/// The first candidate (`data-lang`, page `lang`, `navigator.language`) that names Chinese or
/// English decides; any other language falls through to the next candidate.
pub fn resolve<'a>(candidates: impl IntoIterator<Item = Option<&'a str>>) -> UiLang {
    for candidate in candidates.into_iter().flatten() {
        let lower = candidate.trim().to_ascii_lowercase();
        if lower == "zh" || lower.starts_with("zh-") || lower.starts_with("zh_") {
            return UiLang::Zh;
        }
        if lower == "en" || lower.starts_with("en-") || lower.starts_with("en_") {
            return UiLang::En;
        }
    }
    UiLang::Zh
}

/// Replaces the `{}` placeholders of `template` in order.
pub fn fill(template: &str, values: &[&str]) -> String {
    let mut out = template.to_owned();
    for value in values {
        out = out.replacen("{}", value, 1);
    }
    out
}

#[derive(Debug)]
pub struct Strings {
    /// The language of these strings, for the labels jiedu-core keeps (statuses, kinds, stances).
    pub lang: Lang,
    pub region: &'static str,
    pub loading: &'static str,
    pub retry: &'static str,
    pub error_title: &'static str,
    pub error_no_source: &'static str,
    pub error_network: &'static str,
    pub error_http: &'static str,
    pub error_json: &'static str,
    pub error_version: &'static str,
    pub error_document: &'static str,
    /// The title of the notice for a withdrawn (撤回) document (the server's message below it).
    pub withdrawn: &'static str,
    /// After 已废止 / 已失效: since when.
    pub lapsed_on: &'static str,
    /// The link to the 修订对照 page of a document that replaces another.
    pub compare: &'static str,
    pub doc_number: &'static str,
    pub issuer: &'static str,
    pub issued: &'static str,
    pub effective: &'static str,
    pub toolbar: &'static str,
    pub layout: &'static str,
    pub layouts: [&'static str; 3],
    pub search_label: &'static str,
    pub search_placeholder: &'static str,
    pub elder: &'static str,
    pub toc: &'static str,
    pub overall: &'static str,
    pub original: &'static str,
    pub interpretations_of: &'static str,
    pub show: &'static str,
    pub hide: &'static str,
    pub copy_link: &'static str,
    pub copied: &'static str,
    pub link_in_address_bar: &'static str,
    pub related: &'static str,
    pub faqs: &'static str,
    pub timeline: &'static str,
    pub by: &'static str,
    pub results: &'static str,
    pub results_label: &'static str,
    pub no_results: &'static str,
    pub result_kinds: [&'static str; 3],
    pub clear: &'static str,
    /// The link from a footnote back to where it is cited.
    pub footnote_back: &'static str,
    /// The button over an image that shows it enlarged, and the button that closes a dialog.
    pub zoom: &'static str,
    pub close: &'static str,
    /// The commenting bundle's strings.
    #[cfg(feature = "commenting")]
    pub c: &'static crate::commenting::strings::CommentStrings,
}

/// The names of the model's values come from jiedu-core's `wire_enum!` tables, so the widget,
/// the static pages and the review console call a status, kind or stance the same.
impl Strings {
    pub fn status(&self, status: Status) -> &'static str {
        status.label(self.lang)
    }

    pub fn disclosure(&self, disclosure: Disclosure) -> &'static str {
        disclosure.label(self.lang)
    }

    pub fn kind(&self, kind: InterpretationKind) -> &'static str {
        kind.label(self.lang)
    }
}

pub static ZH: Strings = Strings {
    lang: Lang::ZhCn,
    region: "政策解读",
    loading: "正在加载政策文件…",
    retry: "重试",
    error_title: "暂时无法显示此政策文件",
    error_no_source: "页面没有指明要显示哪份文件（缺少 data-src 或 data-document 属性）。",
    error_network: "网络连接失败，请检查网络后重试。",
    error_http: "服务器返回错误（{}），请稍后重试。",
    error_json: "文件内容不是有效的数据格式。",
    error_version: "此文件的格式版本（{}）较新，当前组件只能读取版本 {}，请更新组件。",
    error_document: "文件内容不完整或有误。",
    withdrawn: "该文件已撤回",
    lapsed_on: "（自{}起）",
    compare: "修订对照",
    doc_number: "文号",
    issuer: "发布机关",
    issued: "成文日期",
    effective: "施行日期",
    toolbar: "阅读设置",
    layout: "版式",
    layouts: ["原文对照", "逐条展开", "要点卡片"],
    search_label: "搜索条款、解读和问答",
    search_placeholder: "输入关键词，如“公开”",
    elder: "大字模式",
    toc: "目录",
    overall: "总体解读",
    original: "政策原文",
    interpretations_of: "解读",
    show: "查看解读（{}）",
    hide: "收起解读",
    copy_link: "复制链接",
    copied: "已复制链接",
    link_in_address_bar: "链接已显示在地址栏",
    related: "相关条款：",
    faqs: "常见问题",
    timeline: "跟踪解读",
    by: "解读：",
    results: "找到 {} 条结果",
    results_label: "搜索结果",
    no_results: "没有找到与“{}”相关的内容。",
    result_kinds: ["条款", "解读", "问答"],
    clear: "清除",
    footnote_back: "返回正文",
    zoom: "放大查看",
    close: "关闭",
    #[cfg(feature = "commenting")]
    c: &crate::commenting::strings::ZH,
};

pub static EN: Strings = Strings {
    lang: Lang::En,
    region: "Policy interpretation",
    loading: "Loading the document…",
    retry: "Try again",
    error_title: "This document cannot be shown right now",
    error_no_source: "The page does not say which document to show (no data-src or data-document attribute).",
    error_network: "The network request failed. Check your connection and try again.",
    error_http: "The server answered with an error ({}). Please try again later.",
    error_json: "The file is not valid data.",
    error_version: "This document uses a newer format (version {}); this widget reads version {}. Please update the widget.",
    error_document: "The document is incomplete or malformed.",
    withdrawn: "This document has been withdrawn",
    lapsed_on: " (since {})",
    compare: "Changes compared",
    doc_number: "Document no.",
    issuer: "Issued by",
    issued: "Date",
    effective: "In force from",
    toolbar: "Reading options",
    layout: "Layout",
    layouts: ["Side by side", "Inline", "Key points"],
    search_label: "Search clauses, interpretations and questions",
    search_placeholder: "Search…",
    elder: "Large text",
    toc: "Contents",
    overall: "About the whole document",
    original: "Original text",
    interpretations_of: "Interpretation",
    show: "Show interpretation ({})",
    hide: "Hide interpretation",
    copy_link: "Copy link",
    copied: "Link copied",
    link_in_address_bar: "The link is in the address bar",
    related: "Clauses: ",
    faqs: "Questions and answers",
    timeline: "Follow-up interpretations",
    by: "By ",
    results: "{} results",
    results_label: "Search results",
    no_results: "Nothing found for “{}”.",
    result_kinds: ["Clause", "Interpretation", "Q&A"],
    clear: "Clear",
    footnote_back: "Back to text",
    zoom: "Enlarge",
    close: "Close",
    #[cfg(feature = "commenting")]
    c: &crate::commenting::strings::EN,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolution_order() {
        assert_eq!(resolve([Some("en"), Some("zh-CN")]), UiLang::En);
        assert_eq!(resolve([None, Some("zh-Hans"), Some("en-US")]), UiLang::Zh);
        assert_eq!(resolve([Some("fr"), Some(""), Some("en-GB")]), UiLang::En);
        assert_eq!(resolve([None, None, Some("de")]), UiLang::Zh);
        assert_eq!(fill("{} of {}", &["1", "2"]), "1 of 2");
    }
}
