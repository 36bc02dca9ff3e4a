//! Rich text: the small, safe tree that interpretation and provision bodies compile to.
//!
//! Markdown is compiled (by the authoring parser) into this tree and serialised in the JSON. The
//! widget renders the tree as virtual DOM, so it needs no Markdown parser and no HTML string ever
//! reaches a page. Raw HTML in the source becomes [`Inline::Text`]; URLs are checked with
//! [`is_safe_url`] before a node is built, and checked again when rendering, so a tree that was
//! tampered with after compilation still renders nothing dangerous.

use serde::{Deserialize, Serialize};

/// A body: a sequence of blocks.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RichText(pub Vec<Block>);

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "camelCase")]
pub enum Block {
    /// A paragraph.
    #[serde(rename = "p")]
    Paragraph { c: Vec<Inline> },
    /// A bullet or numbered list; each item is a sequence of blocks.
    List {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    },
    /// A block quote.
    Quote { c: Vec<Block> },
    /// A fenced or indented code block, shown verbatim.
    Code { text: String },
    /// A table; `head` is the header row, every row is a list of cells.
    Table {
        align: Vec<Align>,
        head: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
    /// A thematic break.
    Rule,
    /// The text of a footnote, referenced by [`Inline::FootnoteRef`] with the same label.
    Footnote { label: String, c: Vec<Block> },
}

crate::wire_enum! {
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub enum Align {
        None = "none",
        Left = "left",
        Center = "center",
        Right = "right",
    }
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "camelCase")]
pub enum Inline {
    Text {
        s: String,
    },
    Strong {
        c: Vec<Inline>,
    },
    Emph {
        c: Vec<Inline>,
    },
    Strike {
        c: Vec<Inline>,
    },
    Code {
        s: String,
    },
    Link {
        href: String,
        c: Vec<Inline>,
    },
    Image {
        src: String,
        alt: String,
    },
    Video {
        src: String,
        alt: String,
        /// The WebVTT captions (`captions: media/x.vtt` in the Markdown image title).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        captions: Option<String>,
    },
    /// A hard line break.
    Break,
    FootnoteRef {
        label: String,
    },
}

impl RichText {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The text a reader sees, without markup: paragraphs separated by newlines.
    /// Used for search, for the formalism checks and for plain-text exports.
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        blocks_text(&self.0, &mut out);
        out.truncate(out.trim_end().len());
        out
    }

    /// Renders the tree to HTML with every text escaped and every URL checked again.
    pub fn to_html(&self) -> String {
        let mut out = String::new();
        blocks_html(&self.0, &mut out);
        out
    }
}

/// Calls `f` on every inline of the blocks, descending into nested inlines.
pub fn for_each_inline<'a>(blocks: &'a [Block], f: &mut impl FnMut(&'a Inline)) {
    fn inlines<'a>(list: &'a [Inline], f: &mut impl FnMut(&'a Inline)) {
        for inline in list {
            f(inline);
            match inline {
                Inline::Strong { c }
                | Inline::Emph { c }
                | Inline::Strike { c }
                | Inline::Link { c, .. } => inlines(c, f),
                _ => {}
            }
        }
    }
    for block in blocks {
        match block {
            Block::Paragraph { c } => inlines(c, f),
            Block::List { items, .. } => items.iter().for_each(|item| for_each_inline(item, f)),
            Block::Quote { c } | Block::Footnote { c, .. } => for_each_inline(c, f),
            Block::Table { head, rows, .. } => {
                head.iter().for_each(|cell| inlines(cell, f));
                rows.iter().flatten().for_each(|cell| inlines(cell, f));
            }
            Block::Code { .. } | Block::Rule => {}
        }
    }
}

fn blocks_text(blocks: &[Block], out: &mut String) {
    for block in blocks {
        match block {
            Block::Paragraph { c } => inlines_text(c, out),
            Block::List { items, .. } => {
                for item in items {
                    blocks_text(item, out);
                }
                continue;
            }
            Block::Quote { c } | Block::Footnote { c, .. } => {
                blocks_text(c, out);
                continue;
            }
            Block::Code { text } => out.push_str(text.trim_end()),
            Block::Table { head, rows, .. } => {
                for row in std::iter::once(head).chain(rows) {
                    for (i, cell) in row.iter().enumerate() {
                        if i > 0 {
                            out.push('\t');
                        }
                        inlines_text(cell, out);
                    }
                    out.push('\n');
                }
                continue;
            }
            Block::Rule => continue,
        }
        out.push('\n');
    }
}

/// The plain text of a list of inlines (used for headings and search).
pub fn inlines_text(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text { s } | Inline::Code { s } => out.push_str(s),
            Inline::Strong { c }
            | Inline::Emph { c }
            | Inline::Strike { c }
            | Inline::Link { c, .. } => inlines_text(c, out),
            Inline::Image { alt, .. } | Inline::Video { alt, .. } => out.push_str(alt),
            Inline::Break => out.push('\n'),
            Inline::FootnoteRef { label } => {
                out.push('[');
                out.push_str(label);
                out.push(']');
            }
        }
    }
}

/// True for URLs that may appear in a link or an image: `http`, `https`, `mailto` and relative
/// URLs. Anything with another scheme (`javascript:`, `data:`, `vbscript:` …) is refused. Control
/// characters and whitespace inside the scheme part are refused too, because browsers strip them
/// (`java\tscript:` runs as `javascript:`).
pub fn is_safe_url(url: &str) -> bool {
    let url = url.trim_matches(|c: char| c.is_ascii_whitespace() || c.is_control());
    if url.chars().any(|c| c.is_control()) {
        return false;
    }
    // A scheme is what precedes the first ':' when no '/', '?' or '#' comes before it.
    let end = url.find(['/', '?', '#']).unwrap_or(url.len());
    match url[..end].find(':') {
        None => true,
        Some(colon) => {
            let scheme = url[..colon].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto")
        }
    }
}

/// True when the URL names a video file (`.mp4`, `.webm`), ignoring query and fragment.
pub fn is_video_url(url: &str) -> bool {
    let path = url
        .split(['?', '#'])
        .next()
        .unwrap_or(url)
        .to_ascii_lowercase();
    path.ends_with(".mp4") || path.ends_with(".webm")
}

/// Escapes text for HTML element content and double-quoted attribute values.
pub fn escape_html(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

fn blocks_html(blocks: &[Block], out: &mut String) {
    for block in blocks {
        match block {
            Block::Paragraph { c } => {
                out.push_str("<p>");
                inlines_html(c, out);
                out.push_str("</p>\n");
            }
            Block::List { start, items } => {
                match start {
                    Some(1) => out.push_str("<ol>\n"),
                    Some(n) => out.push_str(&format!("<ol start=\"{n}\">\n")),
                    None => out.push_str("<ul>\n"),
                }
                for item in items {
                    out.push_str("<li>");
                    blocks_html(item, out);
                    out.push_str("</li>\n");
                }
                out.push_str(if start.is_some() {
                    "</ol>\n"
                } else {
                    "</ul>\n"
                });
            }
            Block::Quote { c } => {
                out.push_str("<blockquote>\n");
                blocks_html(c, out);
                out.push_str("</blockquote>\n");
            }
            Block::Code { text } => {
                out.push_str("<pre><code>");
                escape_html(text, out);
                out.push_str("</code></pre>\n");
            }
            Block::Table { align, head, rows } => {
                out.push_str("<table>\n<thead><tr>");
                for (i, cell) in head.iter().enumerate() {
                    cell_html("th", align.get(i).copied(), cell, out);
                }
                out.push_str("</tr></thead>\n<tbody>\n");
                for row in rows {
                    out.push_str("<tr>");
                    for (i, cell) in row.iter().enumerate() {
                        cell_html("td", align.get(i).copied(), cell, out);
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</tbody>\n</table>\n");
            }
            Block::Rule => out.push_str("<hr>\n"),
            Block::Footnote { label, c } => {
                out.push_str("<div class=\"footnote\" id=\"fn-");
                escape_html(label, out);
                out.push_str("\"><sup>");
                escape_html(label, out);
                out.push_str("</sup>\n");
                blocks_html(c, out);
                out.push_str("</div>\n");
            }
        }
    }
}

fn cell_html(tag: &str, align: Option<Align>, cell: &[Inline], out: &mut String) {
    out.push('<');
    out.push_str(tag);
    match align {
        Some(Align::Left) => out.push_str(" style=\"text-align:left\""),
        Some(Align::Center) => out.push_str(" style=\"text-align:center\""),
        Some(Align::Right) => out.push_str(" style=\"text-align:right\""),
        _ => {}
    }
    out.push('>');
    inlines_html(cell, out);
    out.push_str("</");
    out.push_str(tag);
    out.push('>');
}

fn inlines_html(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text { s } => escape_html(s, out),
            Inline::Strong { c } => wrap_html("strong", c, out),
            Inline::Emph { c } => wrap_html("em", c, out),
            Inline::Strike { c } => wrap_html("del", c, out),
            Inline::Code { s } => {
                out.push_str("<code>");
                escape_html(s, out);
                out.push_str("</code>");
            }
            Inline::Link { href, c } if is_safe_url(href) => {
                out.push_str("<a href=\"");
                escape_html(href, out);
                out.push_str("\" rel=\"noopener noreferrer\">");
                inlines_html(c, out);
                out.push_str("</a>");
            }
            Inline::Link { c, .. } => inlines_html(c, out),
            Inline::Image { src, alt } if is_safe_url(src) => {
                out.push_str("<img src=\"");
                escape_html(src, out);
                out.push_str("\" alt=\"");
                escape_html(alt, out);
                out.push_str("\" loading=\"lazy\">");
            }
            Inline::Video { src, alt, captions } if is_safe_url(src) => {
                out.push_str("<video controls preload=\"metadata\" src=\"");
                escape_html(src, out);
                out.push_str("\" aria-label=\"");
                escape_html(alt, out);
                out.push_str("\">");
                if let Some(captions) = captions.as_deref().filter(|c| is_safe_url(c)) {
                    out.push_str("<track kind=\"captions\" srclang=\"zh\" src=\"");
                    escape_html(captions, out);
                    out.push_str("\" default>");
                }
                out.push_str("</video>");
            }
            Inline::Image { alt, .. } | Inline::Video { alt, .. } => escape_html(alt, out),
            Inline::Break => out.push_str("<br>"),
            Inline::FootnoteRef { label } => {
                out.push_str("<sup><a href=\"#fn-");
                escape_html(label, out);
                out.push_str("\">");
                escape_html(label, out);
                out.push_str("</a></sup>");
            }
        }
    }
}

fn wrap_html(tag: &str, c: &[Inline], out: &mut String) {
    out.push('<');
    out.push_str(tag);
    out.push('>');
    inlines_html(c, out);
    out.push_str("</");
    out.push_str(tag);
    out.push('>');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_safety() {
        for ok in [
            "https://gov.cn/a",
            "http://x",
            "mailto:a@b.cn",
            "/rel/path",
            "a.png",
            "#frag",
            "?q=1",
            "a/b:c",
        ] {
            assert!(is_safe_url(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JavaScript:x",
            " javascript:x",
            "java\tscript:x",
            "data:text/html,x",
            "vbscript:x",
            "file:///etc",
        ] {
            assert!(!is_safe_url(bad), "{bad}");
        }
    }

    #[test]
    fn html_escapes_text_and_drops_unsafe_links() {
        let tree = RichText(vec![Block::Paragraph {
            c: vec![
                Inline::Text {
                    s: "<script>alert(1)</script>".into(),
                },
                Inline::Link {
                    href: "javascript:alert(1)".into(),
                    c: vec![Inline::Text { s: "x".into() }],
                },
            ],
        }]);
        assert_eq!(
            tree.to_html(),
            "<p>&lt;script&gt;alert(1)&lt;/script&gt;x</p>\n"
        );
    }
}
