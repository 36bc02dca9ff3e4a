//! Renders jiedu-core's rich-text tree as yew virtual DOM.
//!
//! No HTML string is ever parsed: every text becomes a text node, and every URL is checked again
//! with [`is_safe_url`] here (the compiler checked it too, but the JSON may have been edited
//! since). An unsafe link keeps its text and loses its link; an unsafe image or video shows its
//! alt text. Table alignment uses classes, not `style` attributes, for the CSP.
//!
//! Relative image and video URLs are written relative to the document (the authoring file and its
//! `media/` folder), so they are resolved against the URL the document was loaded from, not
//! against the host page.

use jiedu_core::rich::{Align, Block, Inline, RichText, is_safe_url};
use jiedu_core::text::highlight_ranges;
use yew::prelude::*;

/// Renders `text`; `base` is the folder of the document's URL (see [`media_base`]).
pub fn rich_text(text: &RichText, base: &str) -> Html {
    blocks(&text.0, base)
}

/// The folder of a document URL, for relative media: `/documents/a.json?v=2` → `/documents/`.
pub fn media_base(document_url: &str) -> &str {
    let path = document_url.split(['?', '#']).next().unwrap_or_default();
    path.rfind('/').map_or("", |slash| &path[..=slash])
}

/// `url` resolved against `base` when it is a relative path (`media/x.svg`); absolute URLs,
/// root-relative paths, fragments and queries are kept.
pub fn resolve(base: &str, url: &str) -> String {
    let has_scheme = url
        .find(':')
        .is_some_and(|colon| !url[..colon].contains(['/', '?', '#']));
    if base.is_empty() || has_scheme || url.starts_with(['/', '#', '?']) {
        url.to_owned()
    } else {
        format!("{base}{}", url.strip_prefix("./").unwrap_or(url))
    }
}

fn blocks(list: &[Block], base: &str) -> Html {
    list.iter().map(|b| block(b, base)).collect()
}

fn block(b: &Block, base: &str) -> Html {
    match b {
        Block::Paragraph { c } => html! { <p>{ inlines(c, base) }</p> },
        Block::List { start: None, items } => {
            html! { <ul>{ for items.iter().map(|i| item(i, base)) }</ul> }
        }
        Block::List {
            start: Some(start),
            items,
        } => html! {
            <ol start={(*start != 1).then(|| start.to_string())}>{ for items.iter().map(|i| item(i, base)) }</ol>
        },
        Block::Quote { c } => html! { <blockquote>{ blocks(c, base) }</blockquote> },
        Block::Code { text } => html! { <pre><code>{ text.clone() }</code></pre> },
        Block::Table { align, head, rows } => html! {
            <div class="table">
                <table>
                    <thead><tr>{ for head.iter().enumerate().map(|(i, c)| cell(true, align.get(i), c, base)) }</tr></thead>
                    <tbody>
                        { for rows.iter().map(|row| html! {
                            <tr>{ for row.iter().enumerate().map(|(i, c)| cell(false, align.get(i), c, base)) }</tr>
                        }) }
                    </tbody>
                </table>
            </div>
        },
        Block::Rule => html! { <hr /> },
        Block::Footnote { label, c } => html! {
            <div class="footnote"><sup>{ label.clone() }</sup>{ blocks(c, base) }</div>
        },
    }
}

fn item(blocks_of_item: &[Block], base: &str) -> Html {
    html! { <li>{ blocks(blocks_of_item, base) }</li> }
}

fn cell(head: bool, align: Option<&Align>, c: &[Inline], base: &str) -> Html {
    let class = match align {
        Some(Align::Center) => Some("center"),
        Some(Align::Right) => Some("right"),
        _ => None,
    };
    if head {
        html! { <th scope="col" {class}>{ inlines(c, base) }</th> }
    } else {
        html! { <td {class}>{ inlines(c, base) }</td> }
    }
}

fn inlines(list: &[Inline], base: &str) -> Html {
    list.iter().map(|i| inline(i, base)).collect()
}

fn inline(i: &Inline, base: &str) -> Html {
    match i {
        Inline::Text { s } => html! { s.clone() },
        Inline::Strong { c } => html! { <strong>{ inlines(c, base) }</strong> },
        Inline::Emph { c } => html! { <em>{ inlines(c, base) }</em> },
        Inline::Strike { c } => html! { <del>{ inlines(c, base) }</del> },
        Inline::Code { s } => html! { <code>{ s.clone() }</code> },
        Inline::Link { href, c } if is_safe_url(href) => html! {
            <a href={href.clone()} rel="noopener noreferrer">{ inlines(c, base) }</a>
        },
        Inline::Link { c, .. } => inlines(c, base),
        Inline::Image { src, alt } if is_safe_url(src) => html! {
            <img src={resolve(base, src)} alt={alt.clone()} loading="lazy" />
        },
        Inline::Video { src, alt } if is_safe_url(src) => html! {
            <video controls=true preload="metadata" src={resolve(base, src)} aria-label={alt.clone()}>
                <a href={resolve(base, src)}>{ alt.clone() }</a>
            </video>
        },
        Inline::Image { alt, .. } | Inline::Video { alt, .. } => html! { alt.clone() },
        Inline::Break => html! { <br /> },
        Inline::FootnoteRef { label } => html! { <sup>{ format!("[{label}]") }</sup> },
    }
}

/// `text` with every match of `query` wrapped in `<mark>`.
pub fn highlighted(text: &str, query: &str) -> Html {
    let mut nodes = Vec::new();
    let mut at = 0;
    for (from, to) in highlight_ranges(text, query) {
        if from > at {
            nodes.push(html! { text[at..from].to_owned() });
        }
        nodes.push(html! { <mark>{ text[from..to].to_owned() }</mark> });
        at = to;
    }
    if at < text.len() {
        nodes.push(html! { text[at..].to_owned() });
    }
    nodes.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_urls_resolve_against_the_document() {
        let base = media_base("/documents/a.json?v=2");
        assert_eq!(base, "/documents/");
        assert_eq!(resolve(base, "media/x.svg"), "/documents/media/x.svg");
        assert_eq!(resolve(base, "./media/x.svg"), "/documents/media/x.svg");
        assert_eq!(resolve(base, "/img/x.png"), "/img/x.png");
        assert_eq!(
            resolve(base, "https://cdn.gov.cn/x.png"),
            "https://cdn.gov.cn/x.png"
        );
        assert_eq!(
            resolve(media_base("https://x.gov.cn/d/a.json"), "m/v.mp4"),
            "https://x.gov.cn/d/m/v.mp4"
        );
        assert_eq!(resolve(media_base("a.json"), "m.png"), "m.png");
    }
}
