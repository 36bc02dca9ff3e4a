//! Instant search over the clauses, interpretations and FAQs of one document.
//!
//! Chinese has no spaces, so matching is substring matching on normalised text
//! ([`jiedu_core::text::Query`]): `公开` finds `主动公开`; Latin terms are separated by
//! spaces. The plain text of every entry is extracted and normalised once, on the first search
//! (not before the first paint: [`crate::state::Loaded::index`]), so that a keystroke only
//! normalises its query and compares.

use jiedu_core::Document;
use jiedu_core::text::{Query, highlight_ranges, normalized};

use crate::anchor::Target;

/// One searchable thing.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub target: Target,
    pub title: String,
    pub text: String,
    /// The title and the text, normalised for matching.
    haystack: String,
}

impl Entry {
    fn new(target: Target, title: String, text: String) -> Entry {
        let haystack = normalized(&format!("{title}\n{text}"));
        Entry {
            target,
            title,
            text,
            haystack,
        }
    }
}

/// The most results shown; a query of one common character would otherwise list everything.
pub const MAX_RESULTS: usize = 50;

/// Every entry of `doc`, built as the iterator is consumed (so that it can be in slices).
pub fn entries(doc: &Document) -> impl Iterator<Item = Entry> + '_ {
    let provisions = doc.all_provisions().map(|p| {
        Entry::new(
            Target::Provision(p.id.clone()),
            crate::outline::clause_heading(p),
            p.body.plain_text(),
        )
    });
    let interpretations = doc.interpretations.iter().map(|i| {
        Entry::new(
            Target::Interpretation(i.id.clone()),
            i.title.clone(),
            i.body.plain_text(),
        )
    });
    let faqs = doc.faqs.iter().map(|f| {
        Entry::new(
            Target::Faq(f.id.clone()),
            f.question.clone(),
            f.answer.plain_text(),
        )
    });
    faqs.chain(provisions).chain(interpretations)
}

/// The entries whose title and text together contain every term of the query, FAQs first, then
/// clauses, then interpretations, each in document order.
pub fn search<'a>(index: &'a [Entry], query: &str) -> Vec<&'a Entry> {
    let query = Query::new(query);
    index
        .iter()
        .filter(|e| query.matches(&e.haystack))
        .take(MAX_RESULTS)
        .collect()
}

/// A short excerpt of `text` around the first match of `query` (about `radius` characters on each
/// side), with `…` where it was cut.
pub fn snippet(text: &str, query: &str, radius: usize) -> String {
    let text = text.trim();
    let first = highlight_ranges(text, query).first().copied();
    let (from, to) = first.unwrap_or((0, 0));
    let start = text[..from]
        .char_indices()
        .rev()
        .nth(radius.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    let end = text[to..]
        .char_indices()
        .nth(if first.is_some() { radius } else { radius * 2 })
        .map_or(text.len(), |(i, _)| to + i);
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.push_str(&text[start..end].replace('\n', " "));
    if end < text.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    pub(crate) use crate::sample::document as sample;

    #[test]
    fn finds_chinese_substrings_across_kinds() {
        let doc = sample();
        let index: Vec<Entry> = entries(&doc).collect();
        let keys: Vec<String> = search(&index, "公开")
            .iter()
            .map(|e| e.target.key())
            .collect();
        assert_eq!(keys, ["faq-q1", "s1", "s1-1", "i-bg", "i-kp"]);
        let keys: Vec<String> = search(&index, "目录 标准")
            .iter()
            .map(|e| e.target.key())
            .collect();
        assert_eq!(keys, ["s1-1", "i-kp"]);
        assert!(search(&index, "   ").is_empty());
    }

    #[test]
    fn snippets_cut_around_the_match() {
        let text = "一二三四五六七八九十主动公开甲乙丙丁戊己庚辛壬癸";
        assert_eq!(snippet(text, "公开", 3), "…十主动公开甲乙丙…");
        assert_eq!(snippet("短文本", "公开", 3), "短文本");
        assert_eq!(snippet("一二三四五六七八", "x", 2), "一二三四…");
    }
}
