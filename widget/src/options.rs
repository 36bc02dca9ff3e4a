//! What the host page asks for: the `data-*` attributes of the script tag or of `<jiedu-widget>`,
//! or the options object of `Jiedu.mount`. Parsed leniently: an unknown value falls back to the
//! default rather than breaking the widget, because operators paste these by hand.

use wasm_bindgen::JsValue;

/// Where the compiled document comes from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Source {
    /// Neither `data-src` nor `data-document` was given.
    #[default]
    Missing,
    /// `data-src`: the URL of a compiled JSON file.
    Url(String),
    /// `data-document` + `data-api`: a document served by `jiedu serve` at `base`.
    Api { base: String, document: String },
}

impl Source {
    /// The URL to fetch. The API is versioned under `/api/v1` of the server's base URL.
    pub fn url(&self) -> Option<String> {
        match self {
            Source::Missing => None,
            Source::Url(url) => Some(url.clone()),
            Source::Api { base, document } => Some(format!(
                "{}/api/v1/documents/{document}",
                base.trim_end_matches('/')
            )),
        }
    }

    /// What relative media URLs in the document (`media/chart.svg`) resolve against: the folder
    /// of the JSON file, or for a document read through the API, the server's `documents/`
    /// folder, where `jiedu serve` and `jiedu build` put the media beside the documents.
    pub fn media_base(&self) -> Option<String> {
        match self {
            Source::Missing => None,
            Source::Url(url) => Some(crate::rich::media_base(url).to_owned()),
            Source::Api { base, .. } => Some(format!("{}/documents/", base.trim_end_matches('/'))),
        }
    }
}

/// How clauses and interpretations are arranged.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Layout {
    /// 原文对照: clause on the left, its interpretations on the right (stacked when narrow).
    #[default]
    SideBySide,
    /// Interpretations folded under each clause.
    Inline,
    /// Interpretation cards grouped by kind, each linking back to its clauses.
    KeyPoints,
}

impl Layout {
    pub const ALL: [Layout; 3] = [Layout::SideBySide, Layout::Inline, Layout::KeyPoints];

    pub fn as_str(self) -> &'static str {
        match self {
            Layout::SideBySide => "side-by-side",
            Layout::Inline => "inline",
            Layout::KeyPoints => "key-points",
        }
    }

    pub fn parse(s: &str) -> Option<Layout> {
        Layout::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

/// The base URL of the comment API (`…/api/v1`), or `None` when the widget cannot comment.
///
/// - `data-api` names the server (`https://host` → `https://host/api/v1`); `data-api="none"`
///   turns commenting off (a document served as a static file by a server without the API);
/// - with `data-document` and no `data-api`, the API is on the host page's own server;
/// - with `data-src` only, the API sits beside the `documents/` folder the JSON comes from, as
///   `jiedu serve` lays it out: `https://host/documents/ID.json` → `https://host/api/v1`,
///   `/x/documents/ID.json` → `/x/api/v1` (a server behind a path prefix), and a relative
///   `documents/ID.json` → `api/v1`, resolved against the page like the JSON itself. A `data-src`
///   of another shape has no API.
pub fn api_base(options: &Options) -> Option<String> {
    let server = |base: &str| format!("{}/api/v1", base.trim_end_matches('/'));
    match (options.api.as_deref(), &options.source) {
        (Some("none"), _) => None,
        (Some(base), _) => Some(server(base)),
        (None, Source::Api { base, .. }) => Some(server(base)),
        (None, Source::Url(url)) => {
            let path = url.split(['?', '#']).next().unwrap_or_default();
            let (at, _) = path.match_indices("documents/").last()?;
            let file = &path[at + "documents/".len()..];
            let prefix = &path[..at];
            let valid = (prefix.is_empty() || prefix.ends_with('/'))
                && file.len() > ".json".len()
                && file.ends_with(".json")
                && !file.contains('/');
            valid.then(|| format!("{prefix}api/v1"))
        }
        (None, Source::Missing) => None,
    }
}

/// `data-theme`: `auto` follows `prefers-color-scheme`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    #[default]
    Auto,
    Light,
    Dark,
}

impl Theme {
    pub fn class(self) -> &'static str {
        match self {
            Theme::Auto => "auto",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    pub source: Source,
    /// `data-lang` as written; resolved with the page's and the browser's language by
    /// [`crate::i18n::resolve`].
    pub lang: Option<String>,
    pub layout: Option<Layout>,
    pub theme: Theme,
    /// `data-elder`; a choice the reader made in the widget (remembered) wins over it.
    pub elder: Option<bool>,
    /// `data-provision`: open at this provision (the URL hash wins when it names one).
    pub provision: Option<String>,
    /// `data-api` as written: the server that takes comments (see [`api_base`]).
    pub api: Option<String>,
    /// `data-now` (tests and demos): the instant the consultation banner and form take as "now",
    /// in seconds since the epoch, instead of the browser's clock.
    pub now: Option<i64>,
}

impl Options {
    /// Builds options from a lookup of the option names (`src`, `document`, `api`, `lang`,
    /// `layout`, `theme`, `elder`, `provision`, `now`). Empty strings count as absent, except for
    /// `elder`, where a bare attribute (`data-elder`) means on.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Options {
        let text = |key: &str| {
            get(key)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let source = match (text("src"), text("document"), text("api")) {
            (Some(src), _, _) => Source::Url(src),
            (None, Some(document), base) => Source::Api {
                base: base.unwrap_or_default(),
                document,
            },
            (None, None, _) => Source::Missing,
        };
        Options {
            source,
            lang: text("lang"),
            layout: text("layout").and_then(|l| Layout::parse(&l)),
            theme: match text("theme").as_deref() {
                Some("dark") => Theme::Dark,
                Some("light") => Theme::Light,
                _ => Theme::Auto,
            },
            elder: get("elder").map(|v| !matches!(v.trim(), "false" | "0" | "no" | "off")),
            provision: text("provision"),
            api: text("api"),
            now: text("now")
                .and_then(|t| t.parse::<jiedu_core::Timestamp>().ok())
                .map(|t| t.unix_seconds()),
        }
    }

    /// Reads the options object the loader passes (plain strings, `elder` possibly a boolean).
    pub fn from_js(value: &JsValue) -> Options {
        Options::from_lookup(|key| {
            let v = js_sys::Reflect::get(value, &JsValue::from_str(key)).ok()?;
            match v.as_bool() {
                Some(b) => Some(if b { "true" } else { "false" }.to_owned()),
                None => v.as_string(),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    fn parse(pairs: &[(&str, &str)]) -> Options {
        Options::from_lookup(|k| {
            pairs
                .iter()
                .find(|(key, _)| *key == k)
                .map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn media_resolve_beside_the_documents() {
        let base = |pairs: &[(&str, &str)]| parse(pairs).source.media_base();
        assert_eq!(
            base(&[("src", "https://x.cn/documents/a.json?v=1")]).as_deref(),
            Some("https://x.cn/documents/")
        );
        assert_eq!(
            base(&[("document", "a"), ("api", "https://x.cn/jiedu/")]).as_deref(),
            Some("https://x.cn/jiedu/documents/")
        );
        assert_eq!(base(&[]), None);
    }

    #[test]
    fn sources() {
        assert_eq!(
            parse(&[("src", " /documents/a.json ")])
                .source
                .url()
                .as_deref(),
            Some("/documents/a.json")
        );
        assert_eq!(
            parse(&[("document", "a"), ("api", "https://x.gov.cn/")])
                .source
                .url()
                .as_deref(),
            Some("https://x.gov.cn/api/v1/documents/a")
        );
        assert_eq!(
            parse(&[("document", "a")]).source.url().as_deref(),
            Some("/api/v1/documents/a")
        );
        assert_eq!(parse(&[("src", "")]).source, Source::Missing);
        assert_eq!(
            parse(&[("now", "2026-12-15T10:00:00+08:00")]).now,
            Some(1_797_300_000)
        );
        assert_eq!(parse(&[("now", "soon")]).now, None);
    }

    #[test]
    fn lenient_values() {
        let o = parse(&[("layout", "inline"), ("theme", "dark"), ("elder", "")]);
        assert_eq!(o.layout, Some(Layout::Inline));
        assert_eq!(o.theme, Theme::Dark);
        assert_eq!(o.elder, Some(true));
        let o = parse(&[("layout", "bogus"), ("theme", "neon"), ("elder", "false")]);
        assert_eq!(
            (o.layout, o.theme, o.elder),
            (None, Theme::Auto, Some(false))
        );
    }

    #[test]
    fn the_api_is_found_from_the_options() {
        let base = |pairs: &[(&str, &str)]| api_base(&parse(pairs));
        let cases = [
            base(&[("src", "https://zwgk.example.gov.cn/documents/yc-draft.json")]),
            base(&[("src", "https://x.cn/jiedu/documents/a.json?v=2#top")]),
            base(&[("src", "/documents/a.json")]),
            base(&[("src", "documents/a.json")]),
            base(&[("src", "/static/a.json")]),
            base(&[("src", "/mydocuments/a.json")]),
            base(&[("src", "/documents/sub/a.json")]),
            base(&[("src", "blob:https://x/1234")]),
            base(&[("src", "/documents/a.json"), ("api", "https://api.x.cn/")]),
            base(&[("src", "/documents/a.json"), ("api", "none")]),
            base(&[("document", "a"), ("api", "https://x.cn")]),
            base(&[("document", "a")]),
            base(&[]),
        ];
        expect![[r#"
            [
                Some(
                    "https://zwgk.example.gov.cn/api/v1",
                ),
                Some(
                    "https://x.cn/jiedu/api/v1",
                ),
                Some(
                    "/api/v1",
                ),
                Some(
                    "api/v1",
                ),
                None,
                None,
                None,
                None,
                Some(
                    "https://api.x.cn/api/v1",
                ),
                None,
                Some(
                    "https://x.cn/api/v1",
                ),
                Some(
                    "/api/v1",
                ),
                None,
            ]
        "#]]
        .assert_debug_eq(&cases);
    }
}
