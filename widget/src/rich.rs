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
//!
//! Footnotes are numbered 1, 2, … in the order their notes follow the body (core puts them in
//! order of first reference); the author's label is never shown. A reference links to its note
//! and the note links back. The links find their counterpart in the nearest body at click time
//! (`data-n`), not by `id`: the same footnote can be attached to several bodies, and a card can be
//! shown twice, so ids would not be unique in the shadow root.

use jiedu_core::rich::{Align, Block, Inline, RichText, is_safe_url};
use jiedu_core::text::highlight_ranges;
use wasm_bindgen::JsCast as _;
use web_sys::Element;
use yew::prelude::*;

use crate::i18n::Strings;

/// What rendering one body needs besides the tree: where relative media are, the body's blocks
/// (its footnotes' order gives their numbers), and the UI strings.
struct Cx<'a> {
    base: &'a str,
    body: &'a [Block],
    t: &'static Strings,
}

impl Cx<'_> {
    /// The number shown for a footnote label (1-based), if the body has that note.
    fn number(&self, label: &str) -> Option<usize> {
        self.body
            .iter()
            .filter(|b| matches!(b, Block::Footnote { .. }))
            .position(|b| matches!(b, Block::Footnote { label: l, .. } if l == label))
            .map(|i| i + 1)
    }
}

/// Renders `text`; `base` is the folder of the document's URL (see [`media_base`]), `t` the UI
/// strings (for the footnotes' and images' controls).
pub fn rich_text(text: &RichText, base: &str, t: &'static Strings) -> Html {
    let cx = Cx {
        base,
        body: &text.0,
        t,
    };
    blocks(&text.0, &cx)
}

/// A click that moves to the element `css` selects in the same body: the nearest one around the
/// clicked link, found by looking in ever larger ancestors.
fn jump(css: String) -> Callback<MouseEvent> {
    Callback::from(move |e: MouseEvent| {
        e.prevent_default();
        let mut at = e.target_dyn_into::<Element>();
        while let Some(element) = at {
            if let Ok(Some(target)) = element.query_selector(&css) {
                crate::host::focus_element(&target);
                return;
            }
            at = element.parent_element();
        }
    })
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

fn blocks(list: &[Block], cx: &Cx) -> Html {
    list.iter().map(|b| block(b, cx)).collect()
}

fn block(b: &Block, cx: &Cx) -> Html {
    match b {
        Block::Paragraph { c } => html! { <p>{ inlines(c, cx) }</p> },
        Block::List { start: None, items } => {
            html! { <ul>{ for items.iter().map(|i| item(i, cx)) }</ul> }
        }
        Block::List {
            start: Some(start),
            items,
        } => html! {
            <ol start={(*start != 1).then(|| start.to_string())}>{ for items.iter().map(|i| item(i, cx)) }</ol>
        },
        Block::Quote { c } => html! { <blockquote>{ blocks(c, cx) }</blockquote> },
        Block::Code { text } => html! { <pre><code>{ text.clone() }</code></pre> },
        Block::Table { align, head, rows } => html! {
            <div class="table">
                <table>
                    <thead><tr>{ for head.iter().enumerate().map(|(i, c)| cell(true, align.get(i), c, cx)) }</tr></thead>
                    <tbody>
                        { for rows.iter().map(|row| html! {
                            <tr>{ for row.iter().enumerate().map(|(i, c)| cell(false, align.get(i), c, cx)) }</tr>
                        }) }
                    </tbody>
                </table>
            </div>
        },
        Block::Rule => html! { <hr /> },
        Block::Footnote { label, c } => {
            // The number is the note's `::before` (from `data-n`).
            let n = cx.number(label).unwrap_or_default().to_string();
            let back = jump(format!(".fnref[data-n='{n}'] a"));
            html! {
                <div class="footnote" data-n={n} tabindex="-1">
                    { blocks(c, cx) }
                    <a href="#" class="fnback" aria-label={cx.t.footnote_back} onclick={back}>{ "↩" }</a>
                </div>
            }
        }
    }
}

fn item(blocks_of_item: &[Block], cx: &Cx) -> Html {
    html! { <li>{ blocks(blocks_of_item, cx) }</li> }
}

fn cell(head: bool, align: Option<&Align>, c: &[Inline], cx: &Cx) -> Html {
    let class = match align {
        Some(Align::Center) => Some("center"),
        Some(Align::Right) => Some("right"),
        _ => None,
    };
    if head {
        html! { <th scope="col" {class}>{ inlines(c, cx) }</th> }
    } else {
        html! { <td {class}>{ inlines(c, cx) }</td> }
    }
}

fn inlines(list: &[Inline], cx: &Cx) -> Html {
    list.iter().map(|i| inline(i, cx)).collect()
}

fn inline(i: &Inline, cx: &Cx) -> Html {
    let base = cx.base;
    match i {
        Inline::Text { s } => html! { s.clone() },
        Inline::Strong { c } => html! { <strong>{ inlines(c, cx) }</strong> },
        Inline::Emph { c } => html! { <em>{ inlines(c, cx) }</em> },
        Inline::Strike { c } => html! { <del>{ inlines(c, cx) }</del> },
        Inline::Code { s } => html! { <code>{ s.clone() }</code> },
        Inline::Link { href, c } if is_safe_url(href) => html! {
            <a href={href.clone()} rel="noopener noreferrer">{ inlines(c, cx) }</a>
        },
        Inline::Link { c, .. } => inlines(c, cx),
        Inline::Image { src, alt } if is_safe_url(src) => zoomable(&resolve(base, src), alt, cx.t),
        // No fallback link inside: every browser that runs the widget (wasm) plays <video>.
        Inline::Video { src, alt, captions } if is_safe_url(src) => html! {
            <video controls=true preload="metadata" src={resolve(base, src)} aria-label={alt.clone()}>
                if let Some(vtt) = captions.as_deref().filter(|c| is_safe_url(c)) {
                    <track kind="captions" srclang="zh" src={resolve(base, vtt)} default=true />
                }
            </video>
        },
        Inline::Image { alt, .. } | Inline::Video { alt, .. } => html! { alt.clone() },
        Inline::Break => html! { <br /> },
        Inline::FootnoteRef { label } => match cx.number(label) {
            Some(n) => html! {
                <sup class="fnref" data-n={n.to_string()}>
                    <a href="#" onclick={jump(format!(".footnote[data-n='{n}']"))}>
                        { format!("[{n}]") }
                    </a>
                </sup>
            },
            // A note the body does not carry (the JSON was edited): no number to show.
            None => Html::default(),
        },
    }
}

/// An image that a tap shows enlarged, in a modal `<dialog>` with its description as text below
/// it: the small print of an infographic becomes readable, and its long description (the alt
/// text) reachable by everyone, not only by screen readers. The dialog closes with its button (a
/// `method="dialog"` form: no script) or Escape, and the browser returns the focus to the image.
fn zoomable(src: &str, alt: &str, t: &'static Strings) -> Html {
    let open = Callback::from(|e: MouseEvent| {
        if let Some(dialog) = e
            .target_dyn_into::<Element>()
            .and_then(|b| b.closest(".figure").ok().flatten())
            .and_then(|f| f.query_selector("dialog").ok().flatten())
        {
            let _ = dialog
                .unchecked_into::<web_sys::HtmlDialogElement>()
                .show_modal();
        }
    });
    html! {
        <span class="figure">
            <button type="button" class="zoom" title={t.zoom} onclick={open}>
                <img src={src.to_owned()} alt={alt.to_owned()} loading="lazy" />
            </button>
            <dialog class="zoomed" aria-label={alt.to_owned()}>
                <form method="dialog" class="sheet-bar"><button>{ t.close }</button></form>
                <img src={src.to_owned()} alt="" loading="lazy" />
                <p>{ alt.to_owned() }</p>
            </dialog>
        </span>
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
