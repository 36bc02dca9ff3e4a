//! Instant search over the clauses, interpretations and FAQs of one document.
//!
//! Chinese has no spaces, so matching is substring matching on normalised text
//! ([`jiedu_core::text::matches_query`]): `公开` finds `主动公开`; Latin terms are separated by
//! spaces. The plain text of every entry is extracted once, on the first search (not before the
//! first paint: [`crate::state::Loaded::index`]).

use jiedu_core::Document;
use jiedu_core::text::{highlight_ranges, matches_query};

use crate::anchor::Target;

/// One searchable thing.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub target: Target,
    pub title: String,
    pub text: String,
}

/// The most results shown; a query of one common character would otherwise list everything.
pub const MAX_RESULTS: usize = 50;

pub fn index(doc: &Document) -> Vec<Entry> {
    let provisions = doc.all_provisions().map(|p| Entry {
        target: Target::Provision(p.id.clone()),
        title: crate::outline::clause_heading(p),
        text: p.body.plain_text(),
    });
    let interpretations = doc.interpretations.iter().map(|i| Entry {
        target: Target::Interpretation(i.id.clone()),
        title: i.title.clone(),
        text: i.body.plain_text(),
    });
    let faqs = doc.faqs.iter().map(|f| Entry {
        target: Target::Faq(f.id.clone()),
        title: f.question.clone(),
        text: f.answer.plain_text(),
    });
    faqs.chain(provisions).chain(interpretations).collect()
}

/// The entries whose title and text together contain every term of the query, FAQs first, then
/// clauses, then interpretations, each in document order.
pub fn search<'a>(index: &'a [Entry], query: &str) -> Vec<&'a Entry> {
    index
        .iter()
        .filter(|e| matches_query(&format!("{}\n{}", e.title, e.text), query))
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
        let index = index(&doc);
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
