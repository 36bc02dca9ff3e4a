//! Every string the widget shows, in Simplified Chinese and English.
//!
//! The language is chosen by `data-lang`, then the host page's `lang`, then the browser's
//! language, then Chinese. Strings with a value to fill in use `{}` placeholders, filled by
//! [`fill`]; no formatting machinery beyond `str::replacen` is needed.

use jiedu_core::comment::{PublicStatus, Stance, SubmitterType};
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
    /// A feedback answer's link to the provision of the final version (`{}` its label).
    pub see_final: &'static str,
    pub crashed: &'static str,
    pub reload: &'static str,
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
    pub consult_upcoming: &'static str,
    pub consult_open: &'static str,
    pub consult_closed: &'static str,
    pub consult_published: &'static str,
    pub consult_period: &'static str,
    pub consult_pending: &'static str,
    pub other_ways: &'static str,
    pub comment_document: &'static str,
    pub view_feedback: &'static str,
    pub comment_clause: &'static str,
    pub answers: &'static str,
    pub form_title: &'static str,
    pub target_label: &'static str,
    pub whole_document: &'static str,
    pub stance_label: &'static str,
    pub wording_label: &'static str,
    pub text_label: &'static str,
    pub count: &'static str,
    pub submitter_label: &'static str,
    pub name_label: &'static str,
    pub org_name_label: &'static str,
    pub name_hint: &'static str,
    pub contact_label: &'static str,
    pub privacy: &'static str,
    pub consent_label: &'static str,
    pub submit: &'static str,
    pub sending: &'static str,
    pub form_invalid: &'static str,
    pub receipt_title: &'static str,
    pub delivered: &'static str,
    pub receipt_label: &'static str,
    pub receipt_keep: &'static str,
    pub copy_receipt: &'static str,
    pub copy_text: &'static str,
    pub copy_done: &'static str,
    pub copy_failed: &'static str,
    pub queued: &'static str,
    pub refused: &'static str,
    pub keep_text: &'static str,
    pub mine_title: &'static str,
    pub mine_empty: &'static str,
    pub waiting: &'static str,
    pub remove: &'static str,
    pub check_status: &'static str,
    pub checking: &'static str,
    pub check_label: &'static str,
    pub check: &'static str,
    pub not_found: &'static str,
    pub lookup_failed: &'static str,
    pub decision_label: &'static str,
    pub reason_label: &'static str,
    pub feedback_title: &'static str,
    pub feedback_summary: &'static str,
    /// Before the reasons why received comments have no row of their own.
    pub not_listed: &'static str,
    /// Duplicates, spam, hidden, undecided (the order of `NotListed`'s fields), then the
    /// separator between them.
    pub not_listed_reasons: [&'static str; 5],
    pub chart_label: &'static str,
    pub filter_label: &'static str,
    pub all: &'static str,
    pub anonymous: &'static str,
    pub same_as: &'static str,
    pub no_rows: &'static str,
    pub proposed: &'static str,
    /// The link from a footnote back to where it is cited.
    pub footnote_back: &'static str,
    /// The button over an image that shows it enlarged, and the button that closes a dialog.
    pub zoom: &'static str,
    pub close: &'static str,
    /// The button that closes the comment sheet and returns to its clause.
    pub back_to_clause: &'static str,
    /// Why a comment cannot be sent from a host page whose origin the server does not allow.
    pub origin_refused: &'static str,
    pub columns: [&'static str; 6],
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

    pub fn stance(&self, stance: Stance) -> &'static str {
        stance.label(self.lang)
    }

    pub fn submitter(&self, submitter: SubmitterType) -> &'static str {
        submitter.label(self.lang)
    }

    pub fn public_status(&self, status: PublicStatus) -> &'static str {
        status.label(self.lang)
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
    see_final: "见定稿{}",
    crashed: "组件运行出错。",
    reload: "重新加载页面",
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
    consult_upcoming: "征求意见将于 {} 开始。",
    consult_open: "正在征求意见，还有 {} 天截止。",
    consult_closed: "征求意见已于 {} 结束。",
    consult_published: "征求意见已结束，意见采纳情况已公布。",
    consult_period: "征求意见时间：{} 至 {}",
    consult_pending: "意见采纳情况将在整理后公布。",
    other_ways: "其他提交方式：",
    comment_document: "对全文提意见",
    view_feedback: "查看意见采纳情况",
    comment_clause: "对此条提意见",
    answers: "意见答复（{}）",
    form_title: "提出意见",
    target_label: "意见针对",
    whole_document: "全文",
    stance_label: "您的态度",
    wording_label: "建议修改为",
    text_label: "意见内容",
    count: "{} / {} 字",
    submitter_label: "提出者",
    name_label: "姓名（选填）",
    org_name_label: "单位名称",
    name_hint: "公布时姓名只显示第一个字（如“朱**”），单位名称完整公布。",
    contact_label: "联系方式（选填）",
    privacy: "联系方式仅用于就您的意见与您联系，不会公开，也不会用于其他用途。",
    consent_label: "我同意保存我的联系方式，用于就本意见与我联系",
    submit: "提交意见",
    sending: "正在提交…",
    form_invalid: "请按提示修改后再提交。",
    receipt_title: "意见已提交。",
    delivered: "您保存在本机的意见已提交。",
    receipt_label: "回执号：",
    receipt_keep: "请保存回执号，可随时用它查询办理情况。",
    copy_receipt: "复制回执号",
    copy_text: "复制意见内容",
    copy_done: "已复制",
    copy_failed: "无法复制，请手动选择复制",
    queued: "已保存在本机，网络恢复后将自动提交",
    refused: "未能提交：{}",
    keep_text: "您的意见内容仍保留在下方，可复制后通过其他方式提交。",
    mine_title: "我的意见",
    mine_empty: "在本设备上提交的意见会列在这里。",
    waiting: "待提交（已保存在本机）",
    remove: "删除",
    check_status: "查询办理情况",
    checking: "正在查询…",
    check_label: "用回执号查询",
    check: "查询",
    not_found: "没有找到这个回执号。",
    lookup_failed: "暂时无法查询，请稍后重试。",
    decision_label: "处理结果：",
    reason_label: "理由：",
    feedback_title: "意见采纳情况",
    feedback_summary: "共收到意见 {} 条，{} 公布。",
    not_listed: "其中 {} 条未单独列出：{}。",
    not_listed_reasons: [
        "{} 条为重复意见，随原意见一并答复",
        "{} 条为垃圾信息",
        "{} 条被编辑隐藏",
        "{} 条尚未答复",
        "；",
    ],
    chart_label: "各处理结果的意见数",
    filter_label: "按条款筛选",
    all: "全部",
    anonymous: "匿名",
    same_as: "相同意见：",
    no_rows: "没有符合条件的意见。",
    proposed: "建议修改为：",
    footnote_back: "返回正文",
    zoom: "放大查看",
    close: "关闭",
    back_to_clause: "返回条文",
    origin_refused: "本网站尚未获准提交意见，请到发布机关网站提交。",
    columns: ["编号", "条款", "意见", "提出者", "处理结果", "理由"],
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
    see_final: "See {} of the final text",
    crashed: "The widget stopped working.",
    reload: "Reload the page",
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
    consult_upcoming: "Comments open on {}.",
    consult_open: "Open for comment: {} days left.",
    consult_closed: "The comment period closed on {}.",
    consult_published: "The comment period is over and the feedback is published.",
    consult_period: "Comment period: {} to {}",
    consult_pending: "The feedback will be published once the comments have been reviewed.",
    other_ways: "Other ways to comment: ",
    comment_document: "Comment on the whole document",
    view_feedback: "See the feedback",
    comment_clause: "Comment on this clause",
    answers: "Answers ({})",
    form_title: "Your comment",
    target_label: "About",
    whole_document: "The whole document",
    stance_label: "Your position",
    wording_label: "Proposed wording",
    text_label: "Your comment",
    count: "{} / {} characters",
    submitter_label: "You comment as",
    name_label: "Name (optional)",
    org_name_label: "Name of the organisation",
    name_hint: "Published names show only their first letter (“A****”); organisation names are published in full.",
    contact_label: "Phone or email (optional)",
    privacy: "Your phone or email is only used to contact you about this comment. It is never published and never used for anything else.",
    consent_label: "I agree that my contact details are stored to contact me about this comment",
    submit: "Send",
    sending: "Sending…",
    form_invalid: "Please correct the fields marked below.",
    receipt_title: "Your comment was received.",
    delivered: "Your saved comment has now been sent.",
    receipt_label: "Receipt number: ",
    receipt_keep: "Keep this number to check what became of your comment.",
    copy_receipt: "Copy the number",
    copy_text: "Copy your text",
    copy_done: "Copied",
    copy_failed: "Could not copy; select the text instead",
    queued: "Saved on this device; it will be sent automatically when the connection is back",
    refused: "Not accepted: {}",
    keep_text: "Your text is kept below: copy it to send it another way.",
    mine_title: "My comments",
    mine_empty: "Comments you send from this device are listed here.",
    waiting: "Waiting to be sent (saved on this device)",
    remove: "Remove",
    check_status: "Check status",
    checking: "Checking…",
    check_label: "Check a receipt number",
    check: "Check",
    not_found: "No comment has this receipt number.",
    lookup_failed: "Cannot check right now; try again later.",
    decision_label: "Decision: ",
    reason_label: "Reason: ",
    feedback_title: "Feedback on the comments",
    feedback_summary: "{} comments received; published {}.",
    not_listed: "{} of them not listed separately: {}.",
    not_listed_reasons: [
        "{} duplicates, answered with the original",
        "{} spam",
        "{} hidden by the editors",
        "{} not yet answered",
        "; ",
    ],
    chart_label: "Comments by decision",
    filter_label: "Filter by clause",
    all: "All",
    anonymous: "Anonymous",
    same_as: "Same comment: ",
    no_rows: "No comments for this clause.",
    proposed: "Proposed: ",
    footnote_back: "Back to text",
    zoom: "Enlarge",
    close: "Close",
    back_to_clause: "Back to the clause",
    origin_refused: "This site may not send comments; use the issuing authority's site.",
    columns: ["No.", "Clause", "Comment", "By", "Decision", "Reason"],
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
        assert_eq!(ZH.stance(Stance::SuggestChange), "建议修改");
        assert_eq!(EN.submitter(SubmitterType::Organization), "An organisation");
        assert_eq!(ZH.public_status(PublicStatus::Answered), "已答复");
    }
}
