//! Static HTML pages (`jiedu build --html`): the document with its interpretations and FAQs,
//! readable without JavaScript, for no-JS readers, archiving and search engines.
//!
//! Every piece of document text goes through [`escape_html`] or [`RichText::to_html`], which
//! escape text and re-check URLs: no authored text reaches the page as markup.

use std::fmt::Write as _;

use jiedu_core::rich::escape_html;
use jiedu_core::{
    Disclosure, Document, DocumentIndex, InterpretationKind, Lang, Provision, Status, Target,
};

const STYLE: &str = "body{font:17px/1.75 system-ui,'PingFang SC','Microsoft YaHei',sans-serif;max-width:60rem;margin:0 auto;padding:1rem;color:#1b1b1b}\
h1{font-size:1.6rem;line-height:1.4}.meta{color:#555}.badge{display:inline-block;border:1px solid #888;border-radius:3px;padding:0 .4em;margin-right:.4em;font-size:.85em}\
section.provision{margin:1rem 0}.interp{border-left:4px solid #b3261e;background:#fbf4f3;padding:.5rem 1rem;margin:.5rem 0 .5rem 1rem}\
.interp h4{margin:.2rem 0}.faq dt{font-weight:bold;margin-top:1rem}table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2rem .5rem}\
img,video{max-width:100%}";

fn esc(text: &str) -> String {
    let mut out = String::new();
    escape_html(text, &mut out);
    out
}

fn kind_label(kind: InterpretationKind, lang: Lang) -> &'static str {
    use InterpretationKind::*;
    match (lang, kind) {
        (Lang::ZhCn, Background) => "出台背景",
        (Lang::ZhCn, Considerations) => "主要考虑",
        (Lang::ZhCn, KeyPoints) => "要点",
        (Lang::ZhCn, Impact) => "作用影响",
        (Lang::ZhCn, Terms) => "名词解释",
        (Lang::ZhCn, Qa) => "问答",
        (Lang::ZhCn, Graphic) => "图解",
        (Lang::ZhCn, Video) => "视频解读",
        (Lang::ZhCn, FollowUp) => "跟踪解读",
        (Lang::En, Background) => "Background",
        (Lang::En, Considerations) => "Main considerations",
        (Lang::En, KeyPoints) => "Key points",
        (Lang::En, Impact) => "Impact",
        (Lang::En, Terms) => "Terms",
        (Lang::En, Qa) => "Q&A",
        (Lang::En, Graphic) => "Graphic",
        (Lang::En, Video) => "Video",
        (Lang::En, FollowUp) => "Follow-up",
    }
}

fn status_label(status: Status, lang: Lang) -> &'static str {
    match (lang, status) {
        (Lang::ZhCn, Status::Draft) => "草案",
        (Lang::ZhCn, Status::Consultation) => "征求意见中",
        (Lang::ZhCn, Status::InForce) => "现行有效",
        (Lang::ZhCn, Status::Revised) => "已修订",
        (Lang::ZhCn, Status::Repealed) => "已废止",
        (Lang::En, Status::Draft) => "Draft",
        (Lang::En, Status::Consultation) => "Open for comment",
        (Lang::En, Status::InForce) => "In force",
        (Lang::En, Status::Revised) => "Revised",
        (Lang::En, Status::Repealed) => "Repealed",
    }
}

fn disclosure_label(disclosure: Disclosure, lang: Lang) -> &'static str {
    match (lang, disclosure) {
        (Lang::ZhCn, Disclosure::Public) => "主动公开",
        (Lang::ZhCn, Disclosure::OnRequest) => "依申请公开",
        (Lang::ZhCn, Disclosure::Restricted) => "不予公开",
        (Lang::En, Disclosure::Public) => "Public",
        (Lang::En, Disclosure::OnRequest) => "On request",
        (Lang::En, Disclosure::Restricted) => "Restricted",
    }
}

fn html_lang(lang: Lang) -> &'static str {
    match lang {
        Lang::ZhCn => "zh-CN",
        Lang::En => "en",
    }
}

/// The whole page of one document.
pub fn document_page(doc: &Document) -> String {
    let lang = doc.lang;
    let mut out = String::new();
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<header>\n<h1>{}</h1>\n<p class=\"meta\">",
        html_lang(lang),
        esc(&doc.title),
        esc(&doc.title)
    );
    for part in [&doc.doc_number, &doc.issuer].into_iter().flatten() {
        let _ = write!(out, "{} ", esc(part));
    }
    if let Some(date) = doc.issued {
        let _ = write!(
            out,
            "{} {date} ",
            if lang == Lang::En { "Issued" } else { "发布" }
        );
    }
    if let Some(date) = doc.effective {
        let _ = write!(
            out,
            "{} {date}",
            if lang == Lang::En {
                "Effective"
            } else {
                "施行"
            }
        );
    }
    let _ = write!(
        out,
        "</p>\n<p><span class=\"badge\">{}</span><span class=\"badge\">{}</span></p>\n",
        status_label(doc.status, lang),
        disclosure_label(doc.disclosure, lang)
    );
    if let Some(summary) = &doc.summary {
        let _ = writeln!(out, "<p>{}</p>", esc(summary));
    }
    out.push_str("</header>\n");
    out.push_str(&doc.preamble.to_html());
    let whole: Vec<_> = doc
        .interpretations
        .iter()
        .filter(|i| i.targets.contains(&Target::Document))
        .collect();
    if !whole.is_empty() {
        let _ = writeln!(
            out,
            "<section><h2>{}</h2>",
            if lang == Lang::En {
                "Interpretation"
            } else {
                "政策解读"
            }
        );
        for interp in whole {
            interpretation(&mut out, interp, lang);
        }
        out.push_str("</section>\n");
    }
    for p in &doc.provisions {
        provision(&mut out, doc, p, 2);
    }
    if !doc.faqs.is_empty() {
        let _ = writeln!(
            out,
            "<section class=\"faq\"><h2>{}</h2>\n<dl>",
            if lang == Lang::En {
                "FAQ"
            } else {
                "常见问题"
            }
        );
        for faq in &doc.faqs {
            let _ = writeln!(
                out,
                "<dt id=\"faq-{}\">{}</dt><dd>{}</dd>",
                esc(&faq.id),
                esc(&faq.question),
                faq.answer.to_html()
            );
        }
        out.push_str("</dl></section>\n");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

fn provision(out: &mut String, doc: &Document, p: &Provision, level: usize) {
    let level = level.min(6);
    let _ = writeln!(
        out,
        "<section class=\"provision\" id=\"{}\">\n<h{level}>{}</h{level}>",
        esc(&p.id),
        esc(&p.heading())
    );
    out.push_str(&p.body.to_html());
    for interp in doc.interpretations_of(&p.id) {
        interpretation(out, interp, doc.lang);
    }
    for child in &p.children {
        provision(out, doc, child, level + 1);
    }
    out.push_str("</section>\n");
}

fn interpretation(out: &mut String, interp: &jiedu_core::Interpretation, lang: Lang) {
    let _ = write!(
        out,
        "<aside class=\"interp\" id=\"interp-{}\">\n<h4>{}：{}</h4>\n",
        esc(&interp.id),
        kind_label(interp.kind, lang),
        esc(&interp.title)
    );
    let byline: Vec<String> = [interp.by.clone(), interp.date.map(|d| d.to_string())]
        .into_iter()
        .flatten()
        .collect();
    if !byline.is_empty() {
        let _ = writeln!(out, "<p class=\"meta\">{}</p>", esc(&byline.join(" · ")));
    }
    out.push_str(&interp.body.to_html());
    out.push_str("</aside>\n");
}

/// The list of documents.
pub fn index_page(index: &DocumentIndex) -> String {
    let mut out = format!(
        "<!doctype html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>政策文件</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<h1>政策文件</h1>\n<ul>\n"
    );
    for d in &index.documents {
        let _ = writeln!(
            out,
            "<li><a href=\"{}.html\">{}</a> <span class=\"meta\">{}</span></li>",
            esc(&d.id),
            esc(&d.title),
            esc(d.doc_number.as_deref().unwrap_or(""))
        );
    }
    out.push_str("</ul>\n</main>\n</body>\n</html>\n");
    out
}
