//! Static HTML pages (`jiedu build --html`): the document with its interpretations and FAQs,
//! readable without JavaScript, for no-JS readers, archiving and search engines.
//!
//! A document whose front matter `replaces` another document of the same build also gets a
//! comparison page (修改前后对照表, [`compare_page`]), linked from its page.
//!
//! Every piece of document text goes through [`escape_html`] or [`RichText::to_html`](jiedu_core::rich::RichText::to_html), which
//! escape text and re-check URLs: no authored text reaches the page as markup.

use std::fmt::Write as _;

use jiedu_core::diff::{Change, DocumentDiff, Op, Piece, ProvisionDiff, ProvisionText};
use jiedu_core::rich::escape_html;
use jiedu_core::{Document, DocumentIndex, Lang, Provision, Target};

const STYLE: &str = "body{font:17px/1.75 system-ui,'PingFang SC','Microsoft YaHei',sans-serif;max-width:60rem;margin:0 auto;padding:1rem;color:#1b1b1b}\
h1{font-size:1.6rem;line-height:1.4}.meta{color:#555}.badge{display:inline-block;border:1px solid #888;border-radius:3px;padding:0 .4em;margin-right:.4em;font-size:.85em}\
section.provision{margin:1rem 0}.interp{border-left:4px solid #b3261e;background:#fbf4f3;padding:.5rem 1rem;margin:.5rem 0 .5rem 1rem}\
.interp h4{margin:.2rem 0}.faq dt{font-weight:bold;margin-top:1rem}table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2rem .5rem}\
img,video{max-width:100%}.closing{margin-top:2rem}\
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}\
table.compare{width:100%;table-layout:fixed}table.compare td{vertical-align:top}\
del{text-decoration:line-through;background:#fde7e9}ins{text-decoration:underline;background:#e3f4e6}\
td.none{color:#777}.d0{padding-left:1em}.d1{padding-left:2em}.d2{padding-left:3em}.d3{padding-left:4em}.d4{padding-left:5em}.d5{padding-left:6em}tr.unchanged summary{cursor:pointer;color:#444}";

fn esc(text: &str) -> String {
    let mut out = String::new();
    escape_html(text, &mut out);
    out
}

fn html_lang(lang: Lang) -> &'static str {
    match lang {
        Lang::ZhCn => "zh-CN",
        Lang::En => "en",
    }
}

/// The file name of a document's comparison page, beside `ID.html`.
pub fn compare_file(doc: &Document) -> String {
    format!("{}.compare.html", doc.id)
}

/// The documents of the same build a document is linked with through `replaces`.
#[derive(Clone, Copy, Default)]
pub struct Versions<'a> {
    /// The document this one replaces: the page links to the comparison.
    pub replaces: Option<&'a Document>,
    /// The document that replaces this one: the page says so and links to its comparison.
    pub replaced_by: Option<&'a Document>,
}

/// The whole page of one document.
pub fn document_page(doc: &Document, versions: Versions<'_>) -> String {
    let lang = doc.lang;
    let mut out = String::new();
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<header>\n<h1>{}</h1>\n<p class=\"meta\">",
        html_lang(lang),
        esc(&doc.title),
        esc(&doc.title)
    );
    header(&mut out, doc, versions);
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
    if !doc.closing.is_empty() {
        let _ = writeln!(
            out,
            "<div class=\"closing\">{}</div>",
            doc.closing.to_html()
        );
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

/// The metadata under the title: number, issuer, dates, badges, summary, the comparison link.
fn header(out: &mut String, doc: &Document, versions: Versions<'_>) {
    let lang = doc.lang;
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
        doc.status.label(lang),
        doc.disclosure.label(lang)
    );
    if let Some(summary) = &doc.summary {
        let _ = writeln!(out, "<p>{}</p>", esc(summary));
    }
    if let Some(old) = versions.replaces {
        let _ = writeln!(
            out,
            "<p class=\"replaces\"><a href=\"{}\">{}</a></p>",
            esc(&compare_file(doc)),
            esc(&Words::of(lang).link(&old.title))
        );
    }
    if let Some(new) = versions.replaced_by {
        let words = Words::of(lang);
        let _ = writeln!(
            out,
            "<p class=\"replaced-by\">{}<a href=\"{}.html\">{}</a>{}<a href=\"{}\">{}</a></p>",
            words.replaced_by.0,
            esc(&new.id),
            esc(&new.title),
            words.replaced_by.1,
            esc(&compare_file(new)),
            words.title
        );
    }
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
        interp.kind.label(lang),
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

/// The words of the comparison page, in the new version's language.
struct Words {
    lang: Lang,
    title: &'static str,
    before: &'static str,
    after: &'static str,
    added: &'static str,
    deleted: &'static str,
    none: &'static str,
    unchanged: &'static str,
    moved: &'static str,
    legend: &'static str,
    /// Around the title of the replacing document: "本文件已被《…》替代，见…".
    replaced_by: (&'static str, &'static str),
}

impl Words {
    fn of(lang: Lang) -> &'static Words {
        match lang {
            Lang::ZhCn => &Words {
                lang: Lang::ZhCn,
                title: "修改前后对照表",
                before: "修改前",
                after: "修改后",
                added: "新增：",
                deleted: "删除：",
                none: "（无）",
                unchanged: "未修改",
                moved: "（位置调整）",
                legend: "删除的文字加删除线，新增的文字加下划线；未修改的条款已折叠，点击可展开。",
                replaced_by: ("本文件已被《", "》替代，见"),
            },
            Lang::En => &Words {
                lang: Lang::En,
                title: "Changes compared",
                before: "Before",
                after: "After",
                added: "Added: ",
                deleted: "Deleted: ",
                none: "(none)",
                unchanged: "unchanged",
                moved: " (moved)",
                legend: "Deleted text is struck through, added text underlined; unchanged clauses are folded, open them to read.",
                replaced_by: ("This document is replaced by ", "; see "),
            },
        }
    }

    fn link(&self, old_title: &str) -> String {
        match self.lang {
            Lang::ZhCn => format!("{}（与《{old_title}》对照）", self.title),
            _ => format!("{} (against “{old_title}”)", self.title),
        }
    }

    fn counts(&self, diff: &DocumentDiff) -> String {
        let c = diff.counts;
        match self.lang {
            Lang::ZhCn => format!(
                "新增 {} 条，删除 {} 条，修改 {} 条，未修改 {} 条。",
                c.added, c.removed, c.changed, c.unchanged
            ),
            _ => format!(
                "{} added, {} deleted, {} changed, {} unchanged.",
                c.added, c.removed, c.changed, c.unchanged
            ),
        }
    }
}

/// The comparison of `new` with the document it replaces (修改前后对照表): two columns, deleted
/// text struck through in `<del>`, added text in `<ins>`, each with a visually hidden label for
/// screen readers, unchanged clauses folded in `<details>`. With `link_pages` the two titles link
/// to the documents' pages beside it (`ID.html`, as `build --html` writes them); the server's
/// page (`/documents/{id}/compare`) has none to link to.
pub fn compare_page(old: &Document, new: &Document, link_pages: bool) -> String {
    let diff = jiedu_core::diff::diff_documents(old, new);
    let words = Words::of(new.lang);
    let heading = format!("《{}》{}", new.title, words.title);
    let mut out = String::new();
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<h1>{}</h1>\n",
        html_lang(new.lang),
        esc(&heading),
        esc(&heading)
    );
    let title = |doc: &Document| {
        let mut out = esc(&doc.title);
        if link_pages {
            out = format!("<a href=\"{}.html\">{out}</a>", esc(&doc.id));
        }
        if let Some(n) = &doc.doc_number {
            out = format!("{out} {}", esc(n));
        }
        out
    };
    let _ = writeln!(
        out,
        "<p class=\"meta\">{}：{}<br>{}：{}</p>",
        words.before,
        title(old),
        words.after,
        title(new),
    );
    let _ = writeln!(
        out,
        "<p>{}</p>\n<p class=\"meta\">{}</p>",
        esc(&words.counts(&diff)),
        words.legend
    );
    let _ = writeln!(
        out,
        "<table class=\"compare\">\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\n<tbody>",
        words.before, words.after
    );
    for row in &diff.provisions {
        compare_row(&mut out, row, words);
    }
    out.push_str("</tbody>\n</table>\n</main>\n</body>\n</html>\n");
    out
}

fn compare_row(out: &mut String, row: &ProvisionDiff, words: &Words) {
    // Nesting shows as indentation, by class (d0…d5), so the page needs no inline styles.
    let indent = row.depth.min(5);
    let id = esc(&row.id);
    match (row.change, &row.old, &row.new) {
        (Change::Unchanged, _, Some(new)) => {
            let _ = write!(
                out,
                "<tr class=\"unchanged\" id=\"cmp-{id}\"><td colspan=\"2\" class=\"d{}\"><details><summary>{}（{}{}）</summary>",
                indent,
                esc(&heading_of(new)),
                words.unchanged,
                if row.moved { words.moved } else { "" }
            );
            let _ = writeln!(out, "{}</details></td></tr>", text_block(&new.text));
        }
        (_, old, new) => {
            let _ = write!(
                out,
                "<tr class=\"{}\" id=\"cmp-{id}\">",
                row.change.as_str()
            );
            for (side, keep) in [(old, Op::Delete), (new, Op::Insert)] {
                side_cell(out, row, side.as_ref(), keep, indent, words);
            }
            out.push_str("</tr>\n");
        }
    }
}

/// One column of a row: the old side keeps equal and deleted text, the new side equal and added.
fn side_cell(
    out: &mut String,
    row: &ProvisionDiff,
    side: Option<&ProvisionText>,
    keep: Op,
    indent: u32,
    words: &Words,
) {
    let Some(side) = side else {
        let _ = write!(out, "<td class=\"none\">{}</td>", words.none);
        return;
    };
    let whole = |text: &str| {
        vec![Piece {
            op: if row.change == Change::Changed {
                Op::Equal
            } else {
                keep
            },
            text: text.to_owned(),
        }]
    };
    let title = if row.title_diff.is_empty() {
        whole(&side.title)
    } else {
        row.title_diff.clone()
    };
    let text = if row.text_diff.is_empty() {
        whole(&side.text)
    } else {
        row.text_diff.clone()
    };
    let _ = write!(out, "<td class=\"d{indent}\"><p><strong>");
    if let Some(label) = &side.label {
        out.push_str(&esc(label));
    }
    marked(out, &title, keep, words);
    out.push_str("</strong>");
    if row.moved {
        out.push_str(words.moved);
    }
    out.push_str("</p><p>");
    marked(out, &text, keep, words);
    out.push_str("</p></td>");
}

/// Writes the pieces of one side: `keep` is `Delete` for the old column, `Insert` for the new.
fn marked(out: &mut String, pieces: &[Piece], keep: Op, words: &Words) {
    for piece in pieces {
        let text = esc(&piece.text).replace('\n', "<br>");
        match piece.op {
            Op::Equal => out.push_str(&text),
            op if op != keep => {}
            Op::Delete => {
                let _ = write!(
                    out,
                    "<del><span class=\"vh\">{}</span>{text}</del>",
                    words.deleted
                );
            }
            Op::Insert => {
                let _ = write!(
                    out,
                    "<ins><span class=\"vh\">{}</span>{text}</ins>",
                    words.added
                );
            }
        }
    }
}

fn heading_of(side: &ProvisionText) -> String {
    format!("{}{}", side.label.as_deref().unwrap_or(""), side.title)
}

fn text_block(text: &str) -> String {
    format!("<p>{}</p>", esc(text).replace('\n', "<br>"))
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
